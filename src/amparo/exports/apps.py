from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "amparo.exports"
    label = "exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The datasets this app knows of today; other apps register theirs in their own ready().
        from amparo.exports import datasets  # noqa: F401
