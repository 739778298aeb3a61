from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "ctnet.practices"
    label = "practices"
    verbose_name = "Good practices"
