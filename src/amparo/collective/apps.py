from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "amparo.collective"
    label = "collective"
    verbose_name = "Collective redress"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amparo.collective import filings  # noqa: F401  (registers the chasing job)
