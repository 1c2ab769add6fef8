"""Cases: one or more reports, their notes, tasks, tags and a timeline of everything."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.cases.states import OPEN, Outcome, Status
from amparo.keyring.fields import EncryptedJSONField, EncryptedTextField

_OPEN_VALUES = sorted(s.value for s in OPEN)


class Tag(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.SlugField(_("tag"), max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_tag_per_org")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=12, unique=True)
    title = EncryptedTextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    # Whether the status is one of states.OPEN, stored so that the open work views have an index
    # in the list's order. Kept in step by save() and enforced by a check constraint.
    is_open = models.BooleanField(default=True, editable=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    account_restored_on = models.DateField(null=True, blank=True)
    # Copied from the first report, not encrypted, for filtering and statistics.
    incident_type = models.CharField(max_length=32)
    platform = models.CharField(max_length=32)
    country = models.CharField(max_length=2, blank=True)
    queue = models.CharField(max_length=40, blank=True)
    urgency_level = models.CharField(max_length=8, default="low")
    urgency_rank = models.PositiveSmallIntegerField(default=3)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags: models.ManyToManyField[Tag, CaseTag] = models.ManyToManyField(
        Tag, blank=True, related_name="cases", through="CaseTag"
    )
    opened_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    next_due_at = models.DateTimeField(null=True, blank=True)  # earliest open task or clock
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["urgency_rank", "-updated_at"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "urgency_rank", "updated_at"],
                name="case_work_idx",
            ),
            # The case list's order (cases/listing.py: urgency, most recently updated, id), so a
            # page is read from the index instead of sorting every case of the organisation. The
            # open views walk the second one, which also holds what "mine" and "overdue" filter
            # on, so that they never read a row to decide.
            models.Index(
                fields=["organisation", "urgency_rank", "-updated_at", "id"],
                name="case_list_idx",
            ),
            models.Index(
                fields=[
                    "organisation",
                    "is_open",
                    "urgency_rank",
                    "-updated_at",
                    "id",
                    "assignee",
                    "next_due_at",
                ],
                name="case_open_list_idx",
            ),
            models.Index(fields=["organisation", "assignee", "status"], name="case_assignee_idx"),
            models.Index(fields=["organisation", "next_due_at"], name="case_due_idx"),
            models.Index(fields=["organisation", "queue", "status"], name="case_queue_idx"),
            # Reached by id from a tag's rows: the list's order without reading the wide row.
            models.Index(
                fields=["id", "organisation", "urgency_rank", "updated_at"],
                name="case_id_order_idx",
            ),
            # Search by platform or country (cases/listing.py), in the list's order too.
            models.Index(
                fields=["organisation", "platform", "urgency_rank", "-updated_at", "id"],
                name="case_platform_idx",
            ),
            models.Index(
                fields=["organisation", "country", "urgency_rank", "-updated_at", "id"],
                name="case_country_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_open=True, status__in=_OPEN_VALUES)
                | (models.Q(is_open=False) & ~models.Q(status__in=_OPEN_VALUES)),
                name="case_is_open_matches_status",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.is_open = self.status in OPEN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_open"}
        super().save(*args, **kwargs)


class CaseTag(models.Model):
    """A tag on a case: the table Django made for ``Case.tags``, declared to index it by tag."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "cases_case_tags"
        unique_together = [("case", "tag")]
        # A tag's cases from the index alone (the tag filter and search, cases/listing.py).
        indexes = [models.Index(fields=["tag", "case"], name="case_tag_by_tag_idx")]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.case_id}"


class CaseReport(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="report_links")
    report = models.OneToOneField(
        "intake.Report", on_delete=models.CASCADE, related_name="case_link"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.report_id}"


class Note(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note on {self.case_id}"


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    title = EncryptedTextField()
    due_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_at"]

    def __str__(self) -> str:
        return f"task on {self.case_id}"


class CaseEvent(models.Model):
    """The case's timeline: one row per change, with codes (never content or labels)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.kind


class Referral(models.Model):
    """A case referred to a partner organisation: only what is needed goes, as a new report in
    the partner's queue; the referral's status is tracked on both sides."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the partner")
        ACCEPTED = "accepted", _("Accepted by the partner")
        DECLINED = "declined", _("Declined by the partner")
        COMPLETED = "completed", _("Completed by the partner")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    report = models.OneToOneField(
        "intake.Report", on_delete=models.PROTECT, related_name="referral"
    )
    shared_fields = models.JSONField(default=list)
    includes_identity = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"referral of {self.case_id}"


class StatementMatch(models.Model):
    """A statement of reasons in the DSA Transparency Database found for the case: by the
    platform's content id from its answer to an escalation, or typed on the case page. The id
    and the statement's fields point at the person's content, so both are encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statement_matches")
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    content_id = EncryptedTextField()
    # The statement as the database has it: uuid, created_at, category, decision codes.
    statement = EncryptedJSONField()
    # The escalation whose answer named the content id (none when it was typed).
    from_escalation = models.UUIDField(null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at"]

    def __str__(self) -> str:
        return f"statement match of {self.case_id}"
