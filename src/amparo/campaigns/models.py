"""Detection runs over an organisation's material, and the campaigns they found."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.keyring.fields import EncryptedJSONField


class DetectionRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    params = models.JSONField(default=dict)
    include_case_actions = models.BooleanField(default=True)
    # Uploaded inputs, encrypted: [{"blob": ..., "name": <encrypted via inputs>, "format": ..., "kind": posts|actions}]
    inputs = EncryptedJSONField()
    stats = models.JSONField(default=dict)
    error = models.CharField(max_length=200, blank=True)
    # A scheduled run reads the organisation's collected items instead of files of its own.
    schedule = models.ForeignKey(
        "campaigns.DetectionSchedule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"detection run {self.pk}"


class DetectionSchedule(models.Model):
    """Detection run again and again over what the organisation collected: the files of posts
    and enforcement actions uploaded for its runs in the last ``window_days`` (while retention
    keeps them) and, if chosen, the enforcement actions of its own reports."""

    class Every(models.IntegerChoices):
        DAY = 1, _("Every day")
        WEEK = 7, _("Every week")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    every_days = models.PositiveSmallIntegerField(_("how often"), choices=Every.choices)
    window_days = models.PositiveSmallIntegerField(_("collected in the last (days)"))
    params = models.JSONField(default=dict)
    include_case_actions = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    next_run_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", _("To review")
        CONFIRMED = "confirmed", _("Confirmed as coordinated")
        DISMISSED = "dismissed", _("Dismissed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(DetectionRun, on_delete=models.CASCADE, related_name="campaigns")
    engine_id = models.CharField(max_length=40)
    kind = models.CharField(max_length=32)
    score = models.FloatField()
    account_count = models.PositiveIntegerField()
    item_count = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    signals = models.JSONField(default=list)
    # Accounts, items and evidence: encrypted (they name the people targeted, too).
    detail = EncryptedJSONField()
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="campaigns")

    class Meta:
        ordering = ["-score"]

    def __str__(self) -> str:
        return f"{self.kind} campaign"
