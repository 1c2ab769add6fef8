"""Answering a partner's signed request (the pull and push endpoints), and applying changes
received either way (a push to us, or the answer to our pull).

Anything wrong before the signature of a known, active partner is verified — not JSON, an
unknown key, a bad signature, a replay — gives the same :class:`Refused`, which the views turn
into the same 404 as any unknown address: an outsider learns nothing, not even that this is an
Amparo server taking part in federation.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ValidationError

from amparo.engines.federation import envelope, protocol
from amparo.federation import feed
from amparo.federation.keys import private_key, server_key
from amparo.federation.models import Link, Partner
from amparo.federation.replay import DatabaseReplayGuard

logger = logging.getLogger("amparo.federation")


class Refused(Exception):
    """The request is not answered (404); ``reason`` is for the log only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _sender(raw: bytes) -> Partner:
    try:
        message = json.loads(raw)
        sender = message.get("sender") if isinstance(message, dict) else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Refused("malformed") from None
    partner = (
        Partner.objects.filter(key_id=str(sender), status=Partner.Status.ACTIVE).first()
        if isinstance(sender, str)
        else None
    )
    if partner is None:
        raise Refused("unknown-sender")
    return partner


def public_key(partner: Partner) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes(partner.public_key))


def apply_changes(link: Link, raw_changes: Any) -> tuple[int, list[dict[str, Any]]]:
    """Apply a partner's changes to our linked group: new or updated items, tombstones.
    Returns how many were applied and the rejected ones (``seq``, ``reason``)."""
    from amparo.sharing.items import receive_remote_item, withdraw_remote_item

    changes, rejected = protocol.read_changes(raw_changes)
    applied = 0
    for change in changes:
        try:
            if change.op == "withdraw":
                withdraw_remote_item(link.group, change.item_id, origin=link.partner.origin)
            else:
                assert change.item is not None
                receive_remote_item(link.group, change.item.to_dict(), origin=link.partner.origin)
            applied += 1
        except ValidationError as exc:
            rejected.append({"seq": change.seq, "reason": "; ".join(exc.messages)[:200]})
    return applied, rejected


def answer(raw: bytes, *, method: str) -> dict[str, Any]:
    """The signed response to a request, or :class:`Refused`."""
    partner = _sender(raw)
    me = server_key()
    try:
        opened = envelope.open_envelope(
            raw,
            recipient=me.key_id,
            public_key_for=lambda kid: public_key(partner) if kid == partner.key_id else None,
            guard=DatabaseReplayGuard(partner),
        )
        kind, group, since = protocol.read_request(opened.body)
    except envelope.EnvelopeError as exc:
        raise Refused(exc.reason) from None
    except protocol.ProtocolError:
        raise Refused("bad-request") from None
    if (kind == "pull") != (method == "GET"):
        raise Refused("wrong-method")
    if kind == "pull":
        try:
            group_id = uuid.UUID(group)
        except ValueError:
            raise Refused("unknown-group") from None
        link = (
            Link.objects.select_related("group").filter(partner=partner, group_id=group_id).first()
        )
        if link is None:
            raise Refused("unknown-group")
        changes, more, reached = feed.changes_since(link.group, since or 0)
        body = protocol.changes_response(opened.nonce, group, changes, more=more, next_seq=reached)
    else:
        link = (
            Link.objects.select_related("group", "partner")
            .filter(partner=partner, remote_group=group)
            .first()
        )
        if link is None:
            raise Refused("unknown-group")
        try:
            applied, rejected = apply_changes(link, opened.body.get("changes"))
        except protocol.ProtocolError:
            raise Refused("bad-request") from None
        body = protocol.accepted_response(opened.nonce, applied, rejected)
    return envelope.seal(
        body, private_key=private_key(me), sender=me.key_id, recipient=partner.key_id, sequence=0
    )
