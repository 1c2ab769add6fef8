"""Federation with other Amparo servers: this server's Ed25519 key, its partners (their
public keys, exchanged out of band), which sharing group is linked with which of theirs, how
far each link has synced, and the nonces seen recently (replay protection).

Nothing here holds case or person data: a partner row names a server, a link names two
groups, a nonce is random. The items themselves live in ``sharing.SharedItem``.
See docs/federation.md.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServerKey(models.Model):
    """This server's signing key. The private half is stored only sealed by the KEK
    (AES-256-GCM, associated data naming the key); one live key at a time."""

    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.BinaryField()
    wrapped_private = models.BinaryField(null=True)
    kek_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["retired_at"],
                condition=models.Q(retired_at__isnull=True),
                name="one_live_server_key",
            )
        ]

    def __str__(self) -> str:
        return f"server key {self.key_id}"


class Partner(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    base_url = models.CharField(_("address"), max_length=300, unique=True)
    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Our next request's sequence number to them, and the highest of theirs we accepted.
    next_sequence = models.BigIntegerField(default=1)
    last_sequence_in = models.BigIntegerField(default=0)
    # SHA-256 of the token their threat-intelligence tools use on our TAXII collection.
    taxii_token_digest = models.CharField(max_length=64, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def origin(self) -> str:
        """How items from this partner are labelled in ``sharing.SharedItem.origin``."""
        return self.base_url


class Link(models.Model):
    """Our sharing group ``group`` exchanges items with the partner's group ``remote_group``
    (its id on their server). Both administrators make the link, each on their side.
    ``pull_cursor``/``push_cursor``: the feed position (microseconds) reached each way."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="links")
    group = models.ForeignKey("sharing.SharingGroup", on_delete=models.CASCADE, related_name="+")
    remote_group = models.CharField(max_length=100)
    pull_cursor = models.BigIntegerField(default=0)
    push_cursor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "group"], name="one_link_per_group"),
            models.UniqueConstraint(
                fields=["partner", "remote_group"], name="one_link_per_remote_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} <-> {self.remote_group}"


class SeenNonce(models.Model):
    """A nonce accepted from a partner, kept a little longer than the timestamp window."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "nonce"], name="one_use_per_nonce")
        ]
        indexes = [models.Index(fields=["seen_at"], name="seennonce_age_idx")]

    def __str__(self) -> str:
        return self.nonce
