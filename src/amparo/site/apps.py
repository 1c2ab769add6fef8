from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What surrounds the domains: the home page, the layout's context on every page, the
    template filters that put codes into words, ``/healthz`` and ``amparo serve``. It may use
    every other app; none uses it."""

    name = "amparo.site"
    label = "site"
    verbose_name = "Amparo site"
