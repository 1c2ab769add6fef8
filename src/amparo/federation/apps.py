from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "amparo.federation"
    label = "federation"
    verbose_name = "Federation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amparo.federation import jobs  # noqa: F401  registers the sync job
