from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amparo.core"
    label = "core"
    verbose_name = "Amparo core"

    def ready(self) -> None:
        from amparo.core import signals  # noqa: F401
