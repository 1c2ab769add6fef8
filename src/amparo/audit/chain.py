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
