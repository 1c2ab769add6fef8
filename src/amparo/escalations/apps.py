from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "amparo.escalations"
    label = "escalations"
    verbose_name = "Escalations"

    def ready(self) -> None:
        # clocks registers scheduled jobs; services, the hook run when an e-mail is delivered.
        from amparo.cases import timeline
        from amparo.escalations import clocks, services  # noqa: F401
        from amparo.escalations.timeline import describe

        timeline.register("escalation_", describe)
