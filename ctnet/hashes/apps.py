from django.apps import AppConfig


class HashesConfig(AppConfig):
    name = "ctnet.hashes"
    label = "hashes"
    verbose_name = "Content hash sharing"
