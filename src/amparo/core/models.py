"""Outbound messages waiting for (or done with) delivery by the worker: the rows of the
outbound queue (:mod:`amparo.outbound`, which reads and writes them; nothing here imports it).

A row is queued in the same transaction as the change that causes it, so a message is never
lost and never sent for a change that was rolled back. Its content (subject, body, recipients,
headers) is one sealed value, encrypted at rest (see :mod:`amparo.outbound.services`);
everything else on the row is metadata without content, kept after delivery for visibility.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        ESCALATION = "escalation", _("Escalation package")
        ALARM = "alarm", _("Response-time alarm")
        REMINDER = "reminder", _("Clock reminder")
        ACCOUNT = "account", _("Account e-mail")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # None for a message of no organisation (a password reset): see amparo.outbound.services.
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Transport(models.TextChoices):
        EMAIL = "email", _("E-mail")
        HTTP = "http", _("Webhook (HTTP POST)")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    # How it leaves: over SMTP, or as a signed HTTP POST (its URL is sealed with the content;
    # ``recipient_domains`` then holds the host name only).
    transport = models.CharField(max_length=8, choices=Transport.choices, default=Transport.EMAIL)
    # The id of what the message is about (an escalation), to show its delivery there.
    ref = models.CharField(max_length=64, blank=True, db_index=True)
    recipient_domains = models.CharField(max_length=200, blank=True)
    recipient_count = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The class of the last delivery error (``SMTPServerDisconnected``), never its text.
    last_error = models.CharField(max_length=100, blank=True)
    # The KEK a message without organisation was sealed under (its key is derived from it).
    kek_id = models.CharField(max_length=16, blank=True)
    # The content, sealed; None once delivered, cancelled, or given up and purged.
    sealed = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="outbound_org_status"),
            models.Index(
                fields=["created_at"],
                name="outbound_pending_created",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} message {self.id} ({self.status})"


class WebhookSecret(models.Model):
    """The secret an organisation's webhook endpoint (a register channel with a
    ``webhook_url``) is signed with: HMAC-SHA256, see :mod:`amparo.outbound.services`.

    Sealed with the organisation's data key (shredding it makes the secret unreadable); set and
    rotated with ``amparo webhooks secret``, shown only then."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # The register channel's code the webhook belongs to.
    endpoint = models.CharField(max_length=100)
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "endpoint"], name="webhook_secret_one_per_endpoint"
            )
        ]

    def __str__(self) -> str:
        return f"webhook secret of {self.organisation_id}/{self.endpoint}"
