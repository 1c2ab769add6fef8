from django.apps import AppConfig


class KeyringConfig(AppConfig):
    name = "amparo.keyring"
    label = "keyring"
    verbose_name = "Encryption keys"
