from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "amparo.intake"
    label = "intake"
    verbose_name = "Intake and triage"

    def ready(self) -> None:
        from amparo.intake import alarms, digest, queue  # noqa: F401  (registers scheduled jobs)
