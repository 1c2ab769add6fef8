"""Reports, their evidence and messages, and the tokens that let machines submit them.

Everything that could identify or endanger a reporter is encrypted under the report's own data
key (so one report can be crypto-shredded). Reporter-side times are coarse (see ``coarse_now``),
and nothing about the reporter's device (address, user agent) is ever stored.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.intake.choices import (
    Channel,
    CloseReason,
    ContactMethod,
    IncidentType,
    ReportStatus,
    UrgencyLevel,
    YesNo,
    YesNoAsk,
)
from amparo.keyring.fields import EncryptedJSONField, EncryptedTextField


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="reports"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=12, unique=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intermediary_attested = models.BooleanField(default=False)

    incident_type = models.CharField(max_length=32, choices=IncidentType.choices)
    platform = models.CharField(max_length=32)
    country = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=8)  # the language the reporter used the form in
    detected_language = models.CharField(max_length=8, blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(db_index=True)  # coarse

    # Encrypted: who they are, how to reach them, what happened, what the platform said.
    reporter = EncryptedJSONField()
    narrative = EncryptedTextField()
    platform_notice = EncryptedTextField()
    accounts = EncryptedJSONField()  # {"affected": [...], "attackers": [...], "links": [...]}
    self_description = EncryptedJSONField()  # {"gender": "...", "identities": [...]}

    consent_contact = models.CharField(max_length=3, choices=YesNo.choices, default=YesNo.NO)
    contact_method = models.CharField(max_length=16, choices=ContactMethod.choices, blank=True)
    consent_share_identity = models.CharField(
        max_length=3, choices=YesNoAsk.choices, default=YesNoAsk.NO
    )
    consent_collective = models.CharField(
        max_length=3, choices=YesNoAsk.choices, default=YesNoAsk.ASK
    )
    consent_statistics = models.CharField(max_length=3, choices=YesNo.choices, default=YesNo.YES)

    danger_now = models.BooleanField(default=False)
    minor_involved = models.BooleanField(default=False)
    arrest_risk = models.BooleanField(default=False)
    home_address_exposed = models.BooleanField(default=False)
    under_attack_now = models.BooleanField(default=False)

    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    urgency_score = models.PositiveSmallIntegerField(default=0)
    urgency_level = models.CharField(
        max_length=8, choices=UrgencyLevel.choices, default=UrgencyLevel.LOW
    )
    urgency_reasons = models.JSONField(default=list, blank=True)  # codes and matched keywords
    urgency_rank = models.PositiveSmallIntegerField(default=3)  # 0 = critical, for ordering
    queue = models.CharField(max_length=40, db_index=True)  # "<language>:<region>"

    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    followup_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    deletion_requested = models.BooleanField(default=False)
    erased_at = models.DateTimeField(null=True, blank=True)
    # Held as a possible flood: received through the public form above the organisation's
    # budget (see ``intake.throttle``). Kept out of the queue and without alarms until a
    # caseworker releases it (or discards it, crypto-shredded). Never set with a risk flag.
    held = models.BooleanField(default=False)
    # Work on the queue (``intake.queue``): who has the report, and why it was closed without
    # a case (the note is the caseworker's words, encrypted like the rest of the report).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_reason = models.CharField(max_length=16, choices=CloseReason.choices, blank=True)
    closed_note = EncryptedTextField(blank=True)
    # Whether the keyed word tokens of the narrative exist (``intake.search``); reports from
    # before search existed are indexed by the worker's daily job (run at each worker start).
    search_indexed = models.BooleanField(default=False)

    class Meta:
        ordering = ["urgency_rank", "-urgency_score", "received_at"]
        indexes = [
            models.Index(fields=["organisation", "held", "received_at"], name="report_held_idx"),
            models.Index(
                fields=["organisation", "status", "urgency_rank", "received_at"],
                name="report_queue_idx",
            ),
            models.Index(fields=["organisation", "queue", "status"], name="report_queue_name_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class Indicator(models.Model):
    """A keyed hash of a normalised URL or handle from a report, to suggest links between
    reports without decrypting them. Keyed per organisation, so digests mean nothing elsewhere."""

    class Kind(models.TextChoices):
        URL = "url"
        AFFECTED = "affected"
        ATTACKER = "attacker"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicators")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["organisation", "digest"], name="indicator_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} indicator"


class Evidence(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    # A pending upload (form failed validation) is found again by this token's hash.
    pending_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    original_blob = models.CharField(max_length=32)
    clean_blob = models.CharField(max_length=32, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    metadata_removed = models.BooleanField(default=False)
    filename = EncryptedTextField()
    received_at = models.DateTimeField()  # coarse

    class Meta:
        ordering = ["received_at", "sha256"]

    def __str__(self) -> str:
        return f"evidence {self.sha256[:12]}"


class Message(models.Model):
    class Direction(models.TextChoices):
        TO_REPORTER = "to_reporter", _("Question from the helpline")
        FROM_REPORTER = "from_reporter", _("Answer from the reporter")
        STATUS = "status", _("Status change")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = EncryptedTextField()
    status_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()  # coarse when written by the reporter

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.direction} message"


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        SUBMIT = "reports:submit", _("Submit reports")
        READ_STATUS = "reports:status", _("Read the status of reports it submitted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """A retried API request with the same key returns the first result, never a duplicate."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    report = models.ForeignKey(Report, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="one_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key


class RiskPeriod(models.Model):
    """A register of heightened-risk periods per country (elections, protests, crackdowns)."""

    class Kind(models.TextChoices):
        ELECTION = "election", _("Election")
        PROTEST = "protest", _("Protests")
        CRACKDOWN = "crackdown", _("Crackdown or state of emergency")
        CONFLICT = "conflict", _("Armed conflict")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="risk_periods",
    )
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["country", "starts_on"]

    def __str__(self) -> str:
        return f"{self.country} {self.kind}"


class Notification(models.Model):
    """In-app notifications of one person ("Told what happened", the alarms page): ``kind`` is
    a code, never content; ``link`` (a URL name taking the organisation's slug and
    ``object_id``) points at what it is about when that is not ``report``."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(Report, null=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    link = models.CharField(max_length=40, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kind


class SearchToken(models.Model):
    """A keyed hash of one normalised word of a report's narrative or platform notice, so the
    queue can be searched without decrypting every report (see ``intake.search``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="search_tokens")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["organisation", "token"], name="search_token_lookup")]

    def __str__(self) -> str:
        return "search token"


class SavedView(models.Model):
    """A person's named search and filters of the report queue (a query string)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "name"], name="saved_view_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CannedReply(models.Model):
    """A message to reporters that a helpline sends often, written once per language by its
    coordinators ("We received your report and a caseworker will write within two days")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8)
    body = models.TextField(_("text"), max_length=4000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title", "language"], name="canned_reply_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class DigestPreference(models.Model):
    """Whether a person wants a daily e-mail of their unread notifications at an organisation
    (the e-mail says only the notifications' sentences and links, never report content)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    daily = models.BooleanField(default=False)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="digest_pref_unique")
        ]

    def __str__(self) -> str:
        return f"digest {'daily' if self.daily else 'off'}"
