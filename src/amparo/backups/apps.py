from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "amparo.backups"
    label = "backups"
    verbose_name = "Backups and restore"
