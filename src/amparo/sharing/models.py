"""Sharing among organisations on this server: sharing groups, shared items with a
distribution level, keyed hashes of attacker accounts and URLs for matching, requests to
connect, and private set intersection exchanges. See docs/sharing.md."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.keyring.fields import EncryptedJSONField


class SharingGroup(models.Model):
    """A named group of organisations (as MISP has them). Its owner organisation's
    coordinators and administrators invite members and coordinate it. With ``hide_members``
    a member sees only the group's name and its own membership, never the other members."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="owned_sharing_groups"
    )
    hide_members = models.BooleanField(_("hide the list of members from members"), default=False)
    # The epoch of the group's live matching key (``GroupKey``); raised on every rotation.
    epoch = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Member")
        DECLINED = "declined", _("Declined the invitation")
        LEFT = "left", _("Left the group")
        REMOVED = "removed", _("Removed from the group")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(SharingGroup, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="sharing_memberships"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    # Whether the keyed hashes of its cases' attacker accounts and URLs take part in matching.
    match_cases = models.BooleanField(_("match my cases' attacker accounts"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "organisation"], name="one_member_row_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.group_id} ({self.status})"


class GroupKey(models.Model):
    """The group's HMAC key for one epoch: 32 random bytes, stored only wrapped by the KEK
    (AES-256-GCM, as ``keyring.DataKey``); a retired key loses its wrapped bytes."""

    group = models.ForeignKey(SharingGroup, on_delete=models.CASCADE, related_name="keys")
    epoch = models.PositiveIntegerField()
    wrapped = models.BinaryField(null=True)
    kek_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "epoch"], name="one_key_per_group_epoch")
        ]

    def __str__(self) -> str:
        return f"key {self.epoch} of {self.group_id}"


class Kind(models.TextChoices):
    INCIDENT = "incident", _("Anonymised incident")
    INDICATOR = "indicator", _("Campaign indicators")
    COLLECTIVE_ACTION = "collective_action", _("Collective action looking for members")
    RISK_PERIOD = "risk_period", _("Heightened-risk period")


class Distribution(models.TextChoices):
    ORGANISATION = "organisation", _("Only my organisation")
    PARTNERS = "partners", _("Named partner organisations")
    GROUP = "group", _("A sharing group")
    NETWORK = "network", _("Every organisation on this server")
    PUBLIC = "public", _("Public (may be published)")


class SharedItem(models.Model):
    """One thing an organisation shares. ``fields`` holds only what is shared (plain,
    JSON-able, anonymised: see ``sharing.items``); ``source_*`` names what it came from and is
    shown only to its own organisation. An item leaves its organisation only once a second
    person with the coordinate capability approved it (status ``shared``); withdrawing it
    keeps the row (``withdrawn``) and hides it from every recipient at once.

    Items received from another server (``origin`` not empty) have no organisation here and
    are written only by ``sharing.items.receive_remote_item``."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for review")
        SHARED = "shared", _("Shared")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shared_items",
    )
    origin = models.CharField(max_length=200, blank=True)  # "" = made on this server
    remote_id = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    distribution = models.CharField(max_length=14, choices=Distribution.choices)
    group = models.ForeignKey(
        SharingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    partners = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")
    fields = models.JSONField(default=dict)
    # Indicators shared only as keyed hashes: their clear accounts and URLs, readable only by
    # the item's own organisation (encrypted under its key), to hash them again after a
    # rotation of the group key. Never part of ``to_exchange_dict``.
    private = EncryptedJSONField()
    source_type = models.CharField(max_length=20, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    modified_at = models.DateTimeField()

    class Meta:
        ordering = ["-modified_at"]
        indexes = [models.Index(fields=["status", "distribution"], name="shareditem_seen_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "remote_id"],
                condition=~models.Q(origin=""),
                name="one_item_per_remote_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    def to_exchange_dict(self) -> dict[str, Any]:
        """The item as plain JSON-able data for another server or an exchange format
        (``engines.exchange``): never the organisation's own source reference, never the
        reviewer or proposer. ``id`` is the item's id on its origin server."""
        return {
            "kind": self.kind,
            "id": self.remote_id or str(self.pk),
            "origin": self.origin,
            "created": self.created_at.isoformat(),
            "modified": self.modified_at.isoformat(),
            "distribution": self.distribution,
            "group": str(self.group_id) if self.group_id else None,
            "withdrawn": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
            "fields": dict(self.fields),
        }


class Digest(models.Model):
    """A keyed hash (HMAC-SHA256 under the group's key of ``epoch``) of one normalised
    attacker account or URL, from a member's case or a shared indicator. Only counts of other
    organisations with the same digest are ever shown; ``case`` is for its own organisation."""

    group = models.ForeignKey(SharingGroup, on_delete=models.CASCADE, related_name="+")
    epoch = models.PositiveIntegerField()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64)
    kind = models.CharField(max_length=8)  # "handle" or "url"
    case = models.ForeignKey("cases.Case", null=True, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(SharedItem, null=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["group", "epoch", "digest"], name="digest_match_idx"),
            models.Index(fields=["organisation", "case"], name="digest_case_idx"),
        ]

    def __str__(self) -> str:
        return self.digest[:12]


class ConnectRequest(models.Model):
    """ "Ask them to connect": sent from a case to the organisations whose cases share an
    attacker account with it. Recipients see the requesting organisation and its message,
    never the case; the requester learns who accepted, never who declined."""

    class Purpose(models.TextChoices):
        REFERRAL = "referral", _("Talk about a referral")
        COLLECTIVE_ACTION = "collective_action", _("Invite to a joint collective action")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"connect request {self.pk}"


class ConnectInvite(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(ConnectRequest, on_delete=models.CASCADE, related_name="invites")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-request__created_at"]

    def __str__(self) -> str:
        return f"invite {self.pk} ({self.status})"


class PsiExchange(models.Model):
    """Private set intersection between two organisations (OpenMined's PSI): the requester's
    blinded accounts go to the partner, the partner answers with its own blinded set, and only
    the requester learns the intersection's size and which of its own accounts are in it. The
    requester's PSI key and its account list are encrypted under its organisation's key."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the partner")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined by the partner")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    data_key = models.ForeignKey("keyring.DataKey", on_delete=models.PROTECT, related_name="+")
    # {"key": base64 client key, "items": [the requester's own normalised tokens]}
    secret = EncryptedJSONField()
    request_message = models.TextField()  # base64 of the blinded request
    setup_message = models.TextField(blank=True)
    response_message = models.TextField(blank=True)
    requester_size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"PSI {self.pk}"
