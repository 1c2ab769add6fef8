from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "amparo.sharing"
    label = "sharing"
    verbose_name = "Sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amparo.sharing import jobs  # noqa: F401  registers the daily refresh
