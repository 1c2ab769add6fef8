from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from amparo.accounts import (  # noqa: F401
            retention,  # registers the daily retention job
            signals,
        )
