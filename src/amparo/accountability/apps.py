from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "amparo.accountability"
    label = "accountability"
    verbose_name = "Accountability"
