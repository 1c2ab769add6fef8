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
