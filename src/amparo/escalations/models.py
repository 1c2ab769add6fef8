"""Escalations: a case sent to a platform or body through a channel of the register, with the
exact package that left, the clock, reminders, the response and the outcome."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.keyring.fields import EncryptedJSONField, EncryptedTextField


class Status(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for a second person's approval")
    READY = "ready", _("Ready to send")
    SENT = "sent", _("Sent, waiting for the platform")
    RESPONDED = "responded", _("The platform responded")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    ACTIONED = "actioned", _("Actioned as asked")
    REVERSED = "reversed", _("Decision reversed (restored)")
    PARTIAL = "partial", _("Partly actioned")
    NOT_ACTIONED = "not_actioned", _("Not actioned")
    NO_RESPONSE = "no_response", _("No response")


ACTIONED = {Outcome.ACTIONED, Outcome.REVERSED, Outcome.PARTIAL}


class Escalation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="escalations")
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(max_length=32)
    channel_code = models.CharField(max_length=80)
    channel_kind = models.CharField(max_length=32)
    transport = models.CharField(max_length=12)  # email | webhook | manual
    status = models.CharField(max_length=20, choices=Status.choices)
    # Raised by every change (escalations/states.py): a change decided on a stale read is refused.
    version = models.PositiveIntegerField(default=0)
    # Exactly what leaves (encrypted), and which field codes it carries (plain, for audit).
    package = EncryptedJSONField()
    package_fields = models.JSONField(default=list)
    carries_personal_data = models.BooleanField(default=False)
    # What the caseworker asked for, so that an edit rebuilds the package the same way: the
    # Art 16 notice fields they typed (encrypted), and the identity choices.
    notice = EncryptedJSONField()
    disclose_identity = models.BooleanField(default=False)
    asked_and_confirmed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Who last changed the package: a second person other than them (and the creator) approves.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The claim taken before anything is queued or recorded as sent: two sends at once find it
    # taken and the platform hears once (lifecycle.send).
    send_claimed_at = models.DateTimeField(null=True, blank=True)
    send_claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    external_reference = models.CharField(max_length=200, blank=True)
    expected_response_at = models.DateTimeField(null=True, blank=True)
    chases = models.PositiveSmallIntegerField(default=0)
    first_response_at = models.DateTimeField(null=True, blank=True)
    # The day the platform's first answer arrived, as the caseworker said (not the day it was
    # typed in): first_response_at and the scorecard's times follow it.
    response_received_on = models.DateField(null=True, blank=True)
    # The platform's reference of its decision, from the statement of reasons (a register field
    # that later packages and remedy steps need).
    decision_reference = models.CharField(max_length=200, blank=True)
    response_text = EncryptedTextField()
    # Parsed once from the response (Art 17 / Transparency Database codes, no content); the
    # platform's content id it names is kept apart, encrypted: it points at the person's post.
    statement = models.JSONField(null=True, blank=True)
    content_id = EncryptedTextField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    account_restored_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # closed or cancelled

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["organisation", "platform", "channel_code"], name="escalation_scorecard_idx"
            ),
            # The escalations list: one status, the most pressing clock first.
            models.Index(
                fields=["organisation", "status", "expected_response_at"],
                name="escalation_work_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}/{self.channel_code}"


class RegisterOverrides(models.Model):
    """An organisation's own changes to the escalation register (JSON, validated on save)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="register_overrides"
    )
    document = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"register overrides of {self.organisation_id}"
