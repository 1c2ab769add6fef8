"""Data keys: per-organisation keys, and per-record keys that can be shredded.

Every data key is stored only wrapped (AES-256-GCM) by the key-encryption key (KEK), which is
read from the environment or a key file and never written to the database. ``kek_id`` names
the KEK that wrapped it, so a rotation can be resumed and a wrong KEK is reported clearly.
"""

from __future__ import annotations

import uuid

from django.db import models


class DataKey(models.Model):
    class Purpose(models.TextChoices):
        ORGANISATION = "organisation", "organisation"
        RECORD = "record", "record"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="data_keys"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    wrapped = models.BinaryField(null=True)
    kek_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    shredded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(purpose="organisation", shredded_at__isnull=True),
                name="one_live_organisation_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} key {self.id}"
