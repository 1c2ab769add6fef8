"""Hashing and verification of the audit chain. Django-free apart from the rows it is given."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"|" + canonical(fields)).hexdigest()


def hashed_fields(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    organisation_id: Any,
    action: str,
    object_type: str,
    object_id: str,
    old: Any,
    new: Any,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "org": str(organisation_id) if organisation_id is not None else None,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "old": old,
        "new": new,
    }


@dataclass
class Problem:
    seq: int
    reason: str


def verify(rows: Iterable[Any], head_seq: int | None, head_hash: str | None) -> list[Problem]:
    """Walk events in sequence order; report gaps, edited rows, broken links and a cut tail."""
    problems: list[Problem] = []
    expected_seq = 1
    prev = GENESIS
    for row in rows:
        if row.seq != expected_seq:
            problems.append(Problem(expected_seq, f"events {expected_seq}..{row.seq - 1} missing"))
        if row.prev_hash != prev:
            problems.append(Problem(row.seq, "link to the previous event is broken"))
        fields = hashed_fields(
            seq=row.seq,
            at=row.at,
            actor_id=row.actor_id,
            organisation_id=row.organisation_id,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            old=row.old,
            new=row.new,
        )
        if event_hash(row.prev_hash, fields) != row.hash:
            problems.append(Problem(row.seq, "event content does not match its hash"))
        prev = row.hash
        expected_seq = row.seq + 1
    last_seq = expected_seq - 1
    if head_seq is not None and head_seq != last_seq:
        problems.append(
            Problem(last_seq + 1, f"chain head says {head_seq} events, found {last_seq}")
        )
    elif head_hash is not None and head_hash != prev:
        problems.append(Problem(last_seq, "chain head hash does not match the last event"))
    return problems


def parse_head(text: str) -> tuple[int, str]:
    """A head as ``amparo audit head`` prints it: ``SEQ HASH`` (``SEQ:HASH`` also accepted)."""
    parts = text.replace(":", " ").split()
    if len(parts) != 2 or not parts[0].isdigit():
        raise ValueError("a head is the sequence number and the hash: 'SEQ HASH'")
    seq, digest = int(parts[0]), parts[1].lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError("a head's hash is 64 hexadecimal digits")
    return seq, digest


def check_published(found_hash: str | None, seq: int, digest: str, last_seq: int) -> list[Problem]:
    """Compare the chain with a head published earlier, kept outside the server.

    The chain may have grown since, but event ``seq`` must still be there with that hash;
    with the chain itself intact, everything up to it is then as it was when published."""
    if seq == 0:
        return []
    if found_hash is None:
        return [
            Problem(
                seq,
                f"published head #{seq} is missing: the chain ends at #{last_seq} "
                "(events were cut, the stored head rewritten)",
            )
        ]
    if found_hash != digest:
        return [Problem(seq, f"event {seq} does not match the published head: history rewritten")]
    return []
