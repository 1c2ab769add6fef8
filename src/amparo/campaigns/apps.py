from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "amparo.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amparo.campaigns import schedules  # noqa: F401  (registers the scheduled job)
