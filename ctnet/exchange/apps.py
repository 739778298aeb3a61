from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "ctnet.exchange"
    label = "exchange"
    verbose_name = "Secure exchange"
