"""A linked sharing group's feed: its own approved and withdrawn items, as protocol changes.

The feed is read from ``sharing.SharedItem`` itself, so sharing needs to know nothing about
federation. A change's ``seq`` is the item's ``modified_at`` in microseconds since the epoch:
every review or withdrawal moves it forward. Readers ask with ``since`` a little behind what
they saw last (``OVERLAP``), because a transaction that commits late may carry an earlier
time; applying a change twice changes nothing (``receive_remote_item`` ignores anything not
newer), so the overlap only costs a few repeated items.

Only items made on this server (``origin`` empty), distributed to the group, and not shared
"as hashes only" (their keyed hashes mean nothing on another server) are in the feed. Items
received from other partners are never passed on.
"""

from __future__ import annotations

from datetime import UTC, datetime

from amparo.engines.exchange.items import Item, ItemError
from amparo.engines.federation.protocol import MAX_CHANGES, Change, upsert, withdraw
from amparo.sharing.models import Distribution, SharedItem, SharingGroup

OVERLAP_MICROSECONDS = 120 * 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def seq_of(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def moment_of(seq: int) -> datetime:
    from datetime import timedelta

    return _EPOCH + timedelta(microseconds=seq)


def change_for(item: SharedItem) -> Change | None:
    seq = seq_of(item.modified_at)
    if item.withdrawn_at is not None or item.status == SharedItem.Status.WITHDRAWN:
        return withdraw(seq, str(item.pk))
    data = item.to_exchange_dict()
    try:
        parsed = Item.from_dict(data)
    except ItemError:
        return None
    if parsed.hashed_only:
        return None
    return upsert(seq, parsed)


def changes_since(group: SharingGroup, since: int) -> tuple[list[Change], bool, int]:
    """Up to ``MAX_CHANGES`` changes of ``group`` after ``since``, oldest first, whether more
    remain, and the position reached."""
    rows = list(
        SharedItem.objects.filter(
            group=group,
            origin="",
            distribution=Distribution.GROUP,
            status__in=[SharedItem.Status.SHARED, SharedItem.Status.WITHDRAWN],
            modified_at__gt=moment_of(since),
        )
        .exclude(reviewed_at__isnull=True)
        .order_by("modified_at", "pk")[: MAX_CHANGES + 1]
    )
    more = len(rows) > MAX_CHANGES
    changes = [c for c in (change_for(item) for item in rows[:MAX_CHANGES]) if c is not None]
    reached = seq_of(rows[min(len(rows), MAX_CHANGES) - 1].modified_at) if rows else since
    return changes, more, reached
