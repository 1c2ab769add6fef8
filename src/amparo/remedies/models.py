"""A platform decision recorded on a case, and the remedy steps taken against it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.keyring.fields import EncryptedTextField


class PlatformDecision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="decisions")
    decision_type = models.CharField(_("decision"), max_length=32)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    informed_on = models.DateField(_("the person was informed on"))
    represented_by_art86_body = models.BooleanField(
        _("we represent the person (DSA Art 86)"), default=False
    )
    # Who acts on it (``ladder.Actor``): the person, a representative under Art 86(1), or the
    # organisation as notifier on its own standing (Art 16, then Art 20-21 and Art 53).
    acting_as = models.CharField(_("who acts"), max_length=16, default="affected_user")
    # The ground the platform gave (Art 17(3)(d)-(e)): illegal_content, incompatible_content.
    decision_ground = models.CharField(_("ground of the decision"), max_length=24, blank=True)
    # The statement of reasons' reference or the platform's content id: it points at the
    # person's post, so it is encrypted (under the organisation's key).
    statement_reference = EncryptedTextField()
    # The escalation whose response (its parsed statement of reasons) this decision came from.
    source_escalation = models.ForeignKey(
        "escalations.Escalation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-informed_on"]

    def __str__(self) -> str:
        return self.decision_type


class RemedyStep(models.Model):
    class Status(models.TextChoices):
        PREPARED = "prepared", _("Document prepared")
        FILED = "filed", _("Filed, waiting for a decision")
        DECIDED = "decided", _("Decided")
        LAPSED = "lapsed", _("Window lapsed")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Complaint upheld (decision reversed)")
        PARTLY = "partly", _("Partly upheld")
        REJECTED = "rejected", _("Rejected")
        NO_ANSWER = "no_answer", _("No answer")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(PlatformDecision, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(max_length=40)
    article = models.CharField(max_length=20)
    legal_basis = models.CharField(max_length=200)
    filing_deadline = models.DateField(null=True, blank=True)
    decision_due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARED)
    language = models.CharField(max_length=8)
    document_text = EncryptedTextField()
    document_pdf = models.CharField(max_length=32, blank=True)  # an encrypted blob
    document_sha256 = models.CharField(max_length=64, blank=True)
    document_contents = models.JSONField(default=list)  # exactly which fields the document carries
    includes_identity = models.BooleanField(default=False)
    # Art 21(1): the certified body the person chose (a register code such as ods.adroit).
    ods_body = models.CharField(max_length=80, blank=True)
    # The IANA zone its deadlines are counted in: that of whoever files (docs/remedies.md).
    time_zone = models.CharField(max_length=64, blank=True)
    filed_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.code
