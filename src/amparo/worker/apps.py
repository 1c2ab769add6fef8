from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "amparo.worker"
    label = "worker"
    verbose_name = "Background worker"

    def ready(self) -> None:
        from amparo.worker import jobs  # noqa: F401  (registers the built-in scheduled jobs)
