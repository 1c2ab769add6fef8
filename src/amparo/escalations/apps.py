from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "amparo.escalations"
    label = "escalations"
    verbose_name = "Escalations"

    def ready(self) -> None:
        from amparo.escalations import clocks  # noqa: F401  (registers scheduled jobs)
