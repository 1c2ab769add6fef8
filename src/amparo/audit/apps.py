from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "amparo.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from amparo.audit import (  # noqa: F401
            jobs,  # registers the daily e-mail of the chain head
            maintenance,  # registers the SQLite guard function
        )
