from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amparo.core"
    label = "core"
    verbose_name = "Amparo core"

    def ready(self) -> None:
        from amparo.core import outbound  # noqa: F401  (registers the delivery job)
