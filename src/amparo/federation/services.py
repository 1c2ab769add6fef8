"""Partners and links: every write here is audited. Called by the ``amparo federation`` command
(operators) and by the sync job; nothing here talks to the network."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from amparo.audit.services import record
from amparo.engines.federation import keys as wire_keys
from amparo.federation.models import Link, Partner
from amparo.sharing.models import SharingGroup

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


def check_base_url(url: str) -> str:
    """A partner's address: ``https://host[:port][/path]``; plain ``http://`` only for a
    loopback host and only when ``AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK`` is on (tests, dev)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if not parts.hostname or parts.query or parts.fragment or parts.username:
        raise ValidationError(f"not a server address: {url!r} (e.g. https://amparo.example.org)")
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        if getattr(settings, "AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK", False):
            return url
        raise ValidationError(
            "plain HTTP is refused; for a loopback test set AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK=1"
        )
    raise ValidationError("a partner's address must start with https://")


@transaction.atomic
def add_partner(
    *, name: str, base_url: str, public_key: str, fingerprint: str = "", actor: Actor = None
) -> Partner:
    """Add a partner server from what its administrator gave out of band. When
    ``fingerprint`` is given it must be the key's (the check a person makes by reading it)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("give the partner a name")
    url = check_base_url(base_url)
    try:
        raw = wire_keys.parse_public(public_key)
    except wire_keys.KeyFormatError as exc:
        raise ValidationError(str(exc)) from exc
    if fingerprint and wire_keys.normalise_fingerprint(fingerprint) != (
        wire_keys.normalise_fingerprint(wire_keys.fingerprint(raw))
    ):
        raise ValidationError("the fingerprint does not match the key: nothing was added")
    from amparo.federation.keys import server_key

    if wire_keys.key_id(raw) == server_key().key_id:
        raise ValidationError("that is this server's own key")
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                name=name[:120], base_url=url, key_id=wire_keys.key_id(raw), public_key=raw
            )
    except IntegrityError:
        raise ValidationError("a partner with this address or key already exists") from None
    record("federation.partner_added", actor=actor, obj=partner, new=partner.key_id)
    return partner


@transaction.atomic
def set_partner_status(partner: Partner, status: str, *, actor: Actor = None) -> Partner:
    if status not in Partner.Status.values:
        raise ValidationError(f"unknown status {status!r}")
    old = partner.status
    Partner.objects.filter(pk=partner.pk).update(status=status)
    partner.refresh_from_db()
    record("federation.partner_status", actor=actor, obj=partner, old=old, new=status)
    return partner


@transaction.atomic
def remove_partner(partner: Partner, *, actor: Actor = None) -> None:
    """Forget a partner: its key is no longer accepted, nothing more is sent to it, and every
    item it sent is withdrawn here at once (its tombstones could no longer arrive)."""
    for link in list(partner.links.select_related("group", "partner")):
        unlink_group(link, actor=actor)
    record("federation.partner_removed", actor=actor, obj=partner, old=partner.key_id)
    partner.delete()


@transaction.atomic
def link_group(
    partner: Partner, group: SharingGroup, remote_group: str, *, actor: Actor = None
) -> Link:
    """Exchange ``group``'s items with the partner's group ``remote_group``."""
    remote_group = remote_group.strip()
    if not remote_group or len(remote_group) > 100:
        raise ValidationError("give the partner's group id (as its administrator gave it)")
    try:
        with transaction.atomic():
            link = Link.objects.create(partner=partner, group=group, remote_group=remote_group)
    except IntegrityError:
        raise ValidationError("this group or the partner's group is already linked") from None
    record(
        "federation.group_linked",
        actor=actor,
        obj=link,
        organisation=group.owner_id,
        new=remote_group,
    )
    return link


@transaction.atomic
def unlink_group(link: Link, *, actor: Actor = None) -> None:
    """Stop exchanging: nothing more is sent, nothing more is accepted for the group, and the
    items the partner sent for it are withdrawn here at once."""
    from amparo.sharing.items import withdraw_remote_item
    from amparo.sharing.models import SharedItem

    partner, group = link.partner, link.group
    for remote_id in SharedItem.objects.filter(
        origin=partner.origin, group=group, withdrawn_at__isnull=True
    ).values_list("remote_id", flat=True):
        withdraw_remote_item(group, remote_id, origin=partner.origin)
    record(
        "federation.group_unlinked",
        actor=actor,
        obj=link,
        organisation=group.owner_id,
        old=link.remote_group,
    )
    link.delete()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_taxii_token(partner: Partner, *, actor: Actor = None) -> str:
    """A new bearer token (or Basic password, with the partner's key id as user name) for the
    partner's threat-intelligence tools; shown once, stored only as its SHA-256."""
    token = secrets.token_urlsafe(32)
    Partner.objects.filter(pk=partner.pk).update(taxii_token_digest=token_digest(token))
    partner.refresh_from_db()
    record("federation.taxii_token_issued", actor=actor, obj=partner)
    return token


def partner_for_taxii_token(token: str) -> Partner | None:
    if not token:
        return None
    digest = token_digest(token)
    partner = Partner.objects.filter(
        taxii_token_digest=digest, status=Partner.Status.ACTIVE
    ).first()
    if partner is None or not secrets.compare_digest(partner.taxii_token_digest, digest):
        return None
    return partner
