from django.apps import AppConfig


class RemediesConfig(AppConfig):
    name = "amparo.remedies"
    label = "remedies"
    verbose_name = "Remedies"

    def ready(self) -> None:
        from amparo.remedies import clocks  # noqa: F401  (registers scheduled jobs)
