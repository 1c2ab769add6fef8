"""Writing audit events. Every service that changes something calls :func:`record`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from amparo.audit.chain import GENESIS, event_hash, hashed_fields
from amparo.audit.models import AuditEvent, ChainHead

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

CodeValue = str | int | bool | None | list[Any] | dict[str, Any]


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def record(
    action: str,
    *,
    actor: Actor = None,
    obj: models.Model | None = None,
    organisation: Any = None,
    old: CodeValue = None,
    new: CodeValue = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction if there is one.

    ``old`` and ``new`` must be codes (status codes, role codes, ids, booleans), never free text
    or translated labels. ``organisation`` defaults to ``obj.organisation`` when it has one.

    The chain head row is locked from here until the caller's transaction ends, and every other
    audited write waits for it meanwhile: call this as the last write of a transaction. Inside a
    caller's transaction no savepoint is made, so an error here fails the caller's whole
    transaction: a change is never kept without its event.
    """
    if organisation is None and obj is not None:
        organisation = getattr(obj, "organisation", None)
    object_type, object_id = _object_ref(obj)
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    org_id = getattr(organisation, "pk", organisation)
    with transaction.atomic(savepoint=False):
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS}
        )
        seq = head.seq + 1
        at = timezone.now()
        fields = hashed_fields(
            seq=seq,
            at=at,
            actor_id=actor_id,
            organisation_id=org_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            old=old,
            new=new,
        )
        digest = event_hash(head.hash, fields)
        event = AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor_id=actor_id,
            organisation_id=org_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            old=old,
            new=new,
            prev_hash=head.hash,
            hash=digest,
        )
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash"])
    return event
