from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ctnet.core"
    label = "core"
    verbose_name = "ctnet core"
