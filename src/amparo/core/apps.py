from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amparo.core"
    label = "core"
    verbose_name = "Amparo core"

    def ready(self) -> None:
        # rls starts connections with the RLS bypass.
        from amparo.core import rls  # noqa: F401
