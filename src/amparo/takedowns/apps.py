from django.apps import AppConfig


class TakedownsConfig(AppConfig):
    name = "amparo.takedowns"
    label = "takedowns"
    verbose_name = "Government takedown demands"
