from django.apps import AppConfig


class TdbConfig(AppConfig):
    name = "amparo.tdb"
    label = "tdb"
    verbose_name = "DSA Transparency Database"
