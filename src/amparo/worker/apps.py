from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkerConfig(AppConfig):
    name = "amparo.worker"
    label = "worker"
    verbose_name = "Background worker"

    def ready(self) -> None:
        from amparo.worker import jobs  # registers the built-in scheduled jobs

        post_migrate.connect(jobs.optimize_after_migrate, sender=self)
