"""Staff assessments of a platform against an action (with their sources), and published
scorecards (frozen HTML, PDF and CSV)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Finding(models.TextChoices):
    MET = "met", _("Meets the action")
    PARTLY = "partly", _("Partly meets the action")
    NOT_MET = "not_met", _("Does not meet the action")
    NO_EVIDENCE = "no_evidence", _("No public evidence found")


class Assessment(models.Model):
    """What staff found about a platform and one action, from a dated source they link to.
    It is about the platform's public conduct (policies, reports), never about a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    platform = models.CharField(_("platform"), max_length=32)
    action = models.PositiveSmallIntegerField(_("action"))
    finding = models.CharField(_("finding"), max_length=12, choices=Finding.choices)
    summary = models.TextField(_("what the source shows"), max_length=2000)
    source_title = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("link to the source"), max_length=500)
    source_date = models.DateField(_("date of the source"))
    assessed_on = models.DateField(_("assessed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A newer assessment of the same action replaces this one on the scorecard (kept, dated).
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]
        indexes = [
            models.Index(
                fields=["organisation", "platform", "action", "assessed_on"],
                name="assessment_lookup_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} action {self.action}"


class Publication(models.Model):
    """A scorecard as published: the exact files, frozen, with a digest of each."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    platform = models.CharField(max_length=32)
    period_start = models.DateField()
    period_end = models.DateField()  # inclusive
    threshold = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8)
    html = models.TextField()
    methodology_html = models.TextField()
    csv = models.TextField()
    pdf = models.BinaryField()
    sha256 = models.JSONField(default=dict)  # file name -> hex digest
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"scorecard {self.platform} {self.period_start}..{self.period_end}"
