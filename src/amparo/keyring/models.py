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


class SigningKey(models.Model):
    """An organisation's Ed25519 key for signing dossiers (docs/dossier-format.md).

    The private key is stored only sealed (AES-256-GCM) by the organisation data key named in
    ``data_key``; a retired key loses its private part and keeps its public one, so dossiers it
    signed still verify. ``key_id`` is the first 16 hex digits of the SHA-256 of the raw public
    key: public, and the same wherever the key is published.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="signing_keys"
    )
    key_id = models.CharField(max_length=32, unique=True)
    public_key = models.BinaryField()
    wrapped_private = models.BinaryField(null=True)
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(retired_at__isnull=True),
                name="one_live_signing_key",
            )
        ]

    def __str__(self) -> str:
        return f"signing key {self.key_id}"
