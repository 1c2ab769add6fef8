from django.apps import AppConfig


class RemediesConfig(AppConfig):
    name = "amparo.remedies"
    label = "remedies"
    verbose_name = "Remedies"

    def ready(self) -> None:
        from amparo.cases import timeline
        from amparo.remedies import clocks  # noqa: F401  (registers scheduled jobs)
        from amparo.remedies.timeline import describe

        timeline.register("remedy_", describe)
