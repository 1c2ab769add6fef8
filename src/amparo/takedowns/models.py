"""A register of government demands to platforms to take down or block content and accounts,
in the manner of Lumen (lumendatabase.org) for this field: who demanded what, on what legal
basis, how we know, and what the platform did."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.keyring.fields import EncryptedJSONField, EncryptedTextField


class Scope(models.TextChoices):
    GLOBAL = "global", _("Removal everywhere")
    GEO_BLOCKED = "geo_blocked", _("Blocking in the country (geo-blocking)")
    THROTTLING_THREAT = "throttling_threat", _("Under threat of throttling the platform")


class Source(models.TextChoices):
    """How we know of the demand."""

    PLATFORM_NOTICE = "platform_notice", _("The platform's notice to the user")
    TRANSPARENCY_REPORT = "transparency_report", _("The platform's transparency report")
    LUMEN = "lumen", _("Lumen database")
    LEAKED = "leaked", _("Leaked document")
    HRD = "hrd", _("The human rights defender told us")


class Response(models.TextChoices):
    COMPLIED_FULLY = "complied_fully", _("Complied fully")
    COMPLIED_PARTLY = "complied_partly", _("Complied partly")
    GEO_BLOCKED = "geo_blocked", _("Blocked in the country only")
    REFUSED = "refused", _("Refused")
    UNKNOWN = "unknown", _("Not known")


#: Responses in which the platform did (some of) what the authority demanded.
COMPLIED = frozenset({Response.COMPLIED_FULLY, Response.COMPLIED_PARTLY, Response.GEO_BLOCKED})
#: Responses known: the denominator of the compliance rate (``unknown`` is counted apart).
KNOWN = frozenset(COMPLIED | {Response.REFUSED})


class Demand(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(_("platform"), max_length=32)
    authority_country = models.CharField(_("country of the authority"), max_length=2)
    authority = models.CharField(_("authority"), max_length=200)
    legal_basis = models.CharField(_("legal basis cited"), max_length=300, blank=True)
    demanded_on = models.DateField(_("date of the demand"))
    # Where the targets are affected (blocked, or where the person lives): by default the
    # authority's own country; an extraterritorial demand names another.
    country = models.CharField(_("country affected"), max_length=2)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    source = models.CharField(_("how we know"), max_length=20, choices=Source.choices)
    # Accounts and URLs targeted: they identify people, so they are encrypted; only their
    # number is kept in the clear, for the figures.
    targets = EncryptedJSONField()
    target_count = models.PositiveIntegerField(default=0)
    # The notice, the Lumen entry, the report: a link that may point at the person, encrypted.
    source_reference = EncryptedTextField()
    notes = EncryptedTextField()
    response = models.CharField(
        _("the platform's response"), max_length=16, choices=Response.choices, default="unknown"
    )
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    risk_period = models.ForeignKey(
        "intake.RiskPeriod", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-demanded_on", "-created_at"]
        indexes = [
            models.Index(
                fields=["organisation", "demanded_on", "platform"], name="takedown_figures_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_country} {self.authority} → {self.platform}"
