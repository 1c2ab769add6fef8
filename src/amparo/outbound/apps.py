from django.apps import AppConfig


class OutboundConfig(AppConfig):
    """Outbound e-mail and webhooks: queued in the caller's transaction, delivered by the
    worker. The rows (``OutboundMessage``, ``WebhookSecret``) are models of ``amparo.core``."""

    name = "amparo.outbound"
    label = "outbound"
    verbose_name = "Outbound e-mail and webhooks"

    def ready(self) -> None:
        # Registers the delivery job, so a worker delivers what any process queued.
        from amparo.outbound import services  # noqa: F401
