"""Message bodies of the protocol, and the change feed they carry.

A sharing group's feed, on the server that owns the items, is a list of changes with growing
sequence numbers (``seq``)::

    {"seq": 12, "op": "upsert", "item": {exchange dict}}
    {"seq": 13, "op": "withdraw", "id": "ITEM-ID"}

Requests (signed envelopes from the caller):

- ``{"type": "pull", "group": GROUP, "since": N}``: the changes of the answering server's group
  ``GROUP`` with ``seq > N`` (at most ``MAX_CHANGES``).
- ``{"type": "push", "group": GROUP, "changes": [...]}``: changes of the calling server's group
  ``GROUP``.

Responses (signed envelopes from the answering server, ``in_reply_to`` = the request's nonce):

- ``{"type": "changes", "in_reply_to": NONCE, "group": GROUP, "changes": [...], "next": M,
  "more": BOOL}``
- ``{"type": "accepted", "in_reply_to": NONCE, "applied": K, "rejected": [{"seq": ..,
  "reason": ..}]}``

``GROUP`` is always the id the *owning* server gives its group; each side maps it to its own
group through the link its administrator made (docs/federation.md, "Links").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from amparo.engines.exchange.items import Item, ItemError

MAX_CHANGES = 200
_GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


class ProtocolError(ValueError):
    pass


@dataclass(frozen=True)
class Change:
    seq: int
    op: str  # "upsert" or "withdraw"
    item_id: str
    item: Item | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.op == "withdraw":
            return {"seq": self.seq, "op": "withdraw", "id": self.item_id}
        assert self.item is not None
        return {"seq": self.seq, "op": "upsert", "item": self.item.to_dict()}


def upsert(seq: int, item: Item) -> Change:
    return Change(seq=seq, op="upsert", item_id=item.id, item=item)


def withdraw(seq: int, item_id: str) -> Change:
    return Change(seq=seq, op="withdraw", item_id=item_id)


def _group(body: dict[str, Any]) -> str:
    group = body.get("group")
    if not isinstance(group, str) or not _GROUP.match(group):
        raise ProtocolError("group: not a valid group id")
    return group


def pull_request(group: str, since: int) -> dict[str, Any]:
    return {"type": "pull", "group": group, "since": since}


def push_request(group: str, changes: list[Change]) -> dict[str, Any]:
    return {"type": "push", "group": group, "changes": [c.to_dict() for c in changes]}


def changes_response(
    in_reply_to: str, group: str, changes: list[Change], *, more: bool, next_seq: int
) -> dict[str, Any]:
    """``next_seq``: where the reader's cursor may move (the last row looked at, which may be
    past the last change when some rows give none)."""
    return {
        "type": "changes",
        "in_reply_to": in_reply_to,
        "group": group,
        "changes": [c.to_dict() for c in changes],
        "next": next_seq,
        "more": more,
    }


def accepted_response(
    in_reply_to: str, applied: int, rejected: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "type": "accepted",
        "in_reply_to": in_reply_to,
        "applied": applied,
        "rejected": rejected,
    }


def read_request(body: dict[str, Any]) -> tuple[str, str, int | None]:
    """(type, group, since) of a request body; ``since`` only for a pull."""
    kind = body.get("type")
    if kind == "pull":
        since = body.get("since")
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            raise ProtocolError("since: must be a whole number, 0 or more")
        return "pull", _group(body), since
    if kind == "push":
        return "push", _group(body), None
    raise ProtocolError(f"type: unknown request {kind!r}")


def read_response(body: dict[str, Any], *, expected: str, in_reply_to: str) -> dict[str, Any]:
    if body.get("type") != expected:
        raise ProtocolError(f"expected a {expected!r} response")
    if body.get("in_reply_to") != in_reply_to:
        raise ProtocolError("response is not to this request")
    return body


def read_changes(raw: Any) -> tuple[list[Change], list[dict[str, Any]]]:
    """Changes that can be applied, and a rejection (``seq``, ``reason``) for each that cannot:
    one bad item never loses the good ones."""
    if not isinstance(raw, list):
        raise ProtocolError("changes: must be a list")
    if len(raw) > MAX_CHANGES:
        raise ProtocolError(f"changes: at most {MAX_CHANGES} in one message")
    good: list[Change] = []
    rejected: list[dict[str, Any]] = []
    for entry in raw:
        seq = entry.get("seq") if isinstance(entry, dict) else None
        if not isinstance(seq, int) or isinstance(seq, bool):
            rejected.append({"seq": None, "reason": "seq: must be an integer"})
            continue
        op = entry.get("op")
        if op == "withdraw":
            item_id = entry.get("id")
            if not isinstance(item_id, str) or not item_id:
                rejected.append({"seq": seq, "reason": "id: required"})
                continue
            good.append(withdraw(seq, item_id))
        elif op == "upsert":
            try:
                good.append(upsert(seq, Item.from_dict(entry.get("item"))))
            except ItemError as exc:
                rejected.append({"seq": seq, "reason": str(exc)})
        else:
            rejected.append({"seq": seq, "reason": f"op: unknown {op!r}"})
    return good, rejected


def latest_per_item(changes: list[Change]) -> list[Change]:
    """The last change of each item, in sequence order: what a partner needs to catch up
    (an item shared then withdrawn travels only as its tombstone)."""
    last: dict[str, Change] = {}
    for change in sorted(changes, key=lambda c: c.seq):
        last[change.item_id] = change
    return sorted(last.values(), key=lambda c: c.seq)
