from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "amparo.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from amparo.audit import maintenance  # noqa: F401  (registers the SQLite guard function)
