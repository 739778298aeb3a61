from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "ctnet.directory"
    label = "directory"
    verbose_name = "Directory"
