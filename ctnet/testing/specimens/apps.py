from django.apps import AppConfig


class SpecimensConfig(AppConfig):
    name = "ctnet.testing.specimens"
    label = "specimens"
