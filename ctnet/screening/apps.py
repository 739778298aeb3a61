from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "ctnet.screening"
    label = "screening"
    verbose_name = "Traveller screening"
