"""Rows the worker needs: its heartbeats, and scheduled jobs (deadlines, alarms) with a due time.

Scheduled jobs are claimed atomically with ``filter(pk=..., status=PENDING).update(...) == 1``,
served by a partial index on pending rows, so any number of workers can run side by side.
"""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    pid = models.IntegerField()
    hostname = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class ScheduledJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        CLAIMED = "claimed"
        DONE = "done"
        FAILED = "failed"
        CANCELLED = "cancelled"

    kind = models.CharField(max_length=64)
    # Makes scheduling idempotent: scheduling the same key twice keeps one row.
    key = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"],
                name="scheduled_pending_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at:%Y-%m-%d %H:%M}"
