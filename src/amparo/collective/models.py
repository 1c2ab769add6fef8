"""Collective redress: an action against a platform for a pattern of decisions, its members
(cases of the coordinator's and of partner organisations), each member's mandates (DSA Art
86(1)), the proposals that found them, the filings made for them, and the representing body's
Art 86(1) eligibility."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.keyring.fields import EncryptedTextField

#: The uses a mandate may cover (DSA Art 86(2) with Art 20, Art 21, Art 53; Art 90 with
#: Directive (EU) 2020/1828). Codes, never labels.
REMEDIES = (
    "art20_priority_complaint",
    "art21_out_of_court",
    "art53_complaint",
    "representative_action",
)


class Eligibility(models.Model):
    """What the organisation recorded about its standing under DSA Art 86(1)(a)-(c)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    not_for_profit = models.BooleanField(_("operates on a not-for-profit basis"), default=False)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    member_state = models.CharField(_("member state of constitution"), max_length=2, blank=True)
    statutory_objectives = models.TextField(_("statutory objectives"), blank=True)
    dsa_interest = models.BooleanField(
        _("the statutes include a legitimate interest in DSA compliance"), default=False
    )
    statutes_blob = models.CharField(max_length=32, blank=True)
    statutes_name = models.CharField(max_length=200, blank=True)
    statutes_media_type = models.CharField(max_length=100, blank=True)
    statutes_sha256 = models.CharField(max_length=64, blank=True)
    statutes_size = models.PositiveIntegerField(default=0)
    # An organisation outside the EU works through an eligible partner (Art 86(1)(b)).
    works_through = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"eligibility of {self.organisation_id}"


class CollectiveAction(models.Model):
    class Status(models.TextChoices):
        BUILDING = "building", _("Gathering members")
        FILING = "filing", _("Filings under way")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=200)
    platform = models.CharField(_("platform"), max_length=32)
    decision_type = models.CharField(_("decision"), max_length=32)
    decision_ground = models.CharField(_("ground"), max_length=24, blank=True)
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("until"))
    community = models.CharField(_("community"), max_length=120, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    opened_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.reference


class ActionPartner(models.Model):
    """A partner organisation on the same server whose cases may join the action."""

    action = models.ForeignKey(CollectiveAction, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation"], name="collective_partner")
        ]

    def __str__(self) -> str:
        return f"partner {self.organisation_id}"


class Proposal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("To decide")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(CollectiveAction, on_delete=models.CASCADE, related_name="proposals")
    organisation = models.ForeignKey(  # the case's organisation (row-level security)
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    # Why: [{"code": pattern|campaign_burst|co_action|statement, ...counts and dates}]
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["action", "case"], name="collective_proposal_once")
        ]

    def __str__(self) -> str:
        return f"proposal {self.pk}"


class Member(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        RESTORED = "restored", _("Restored")
        UPHELD = "upheld", _("Decision upheld")
        REVERSED_ON_APPEAL = "reversed_on_appeal", _("Reversed on appeal")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(CollectiveAction, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(  # the case's organisation: each keeps its cases
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    pseudonym = models.CharField(max_length=12)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A partner's case joins only once the partner's caseworker approves it.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["action", "case"], name="collective_member_once")
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Mandate(models.Model):
    class State(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Replaced by a newer mandate")

    class Channel(models.TextChoices):
        FOLLOW_UP_PAGE = "follow_up_page", _("Given on the follow-up page")
        SIGNED_FORM = "signed_form", _("Signed form")
        ORAL_CONSENT = "oral_consent", _("Recorded oral consent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="mandates")
    organisation = models.ForeignKey(  # the case's organisation (row-level security)
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.VALID)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    language = models.CharField(max_length=8, blank=True)
    given_at = models.DateTimeField()
    scope_platforms = models.JSONField(default=list)
    scope_decisions = models.JSONField(default=list)
    scope_remedies = models.JSONField(default=list)
    disclose_name = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_via = models.CharField(max_length=16, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_blob = models.CharField(max_length=32, blank=True)
    evidence_name = EncryptedTextField()
    evidence_media_type = models.CharField(max_length=100, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"mandate {self.pk}"


class Filing(models.Model):
    class Kind(models.TextChoices):
        ART86_PRIORITY = "art86_priority_complaint", _("Priority complaint (DSA Art 86(2), Art 20)")
        ART21 = "art21_submission", _("Out-of-court dispute settlement (DSA Art 21)")
        ART53_JOINT = "art53_joint_complaint", _("Joint complaint to the coordinator (DSA Art 53)")
        ART23_NOTICE = "art23_notice", _("Misuse notice: false mass reporting (DSA Art 23)")
        REPRESENTATIVE_ACTION = (
            "representative_action",
            _("Representative action file (Directive (EU) 2020/1828)"),
        )

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared, waiting for a second person's approval")
        APPROVED = "approved", _("Approved, ready to file")
        FILED = "filed", _("Filed, waiting for a decision")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(CollectiveAction, on_delete=models.CASCADE, related_name="filings")
    organisation = models.ForeignKey(  # the coordinator's organisation (row-level security)
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="filings"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARED)
    # The body that signs it (the coordinator, or the eligible partner it works through).
    representing_body = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=8)
    document_text = EncryptedTextField()
    # The same document in the member's language, when it differs and the engine has it.
    member_language = models.CharField(max_length=8, blank=True)
    member_document_text = EncryptedTextField()
    document_sha256 = models.CharField(max_length=64)
    included_members = models.JSONField(default=list)  # Member ids whose mandate covered it
    cites = models.JSONField(default=dict)  # the campaign evidence an Art 23 notice cites
    decision_due = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The last day the team was told the decision is overdue (chased again a week later).
    chased_on = models.DateField(null=True, blank=True)
    filed_on = models.DateField(null=True, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)  # when it was recorded as filed
    reference = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=20, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.kind
