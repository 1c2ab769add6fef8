"""The exchange representation of a shared item: plain JSON, no personal data of its own.

``{"kind": ..., "id": ..., "created": ..., "modified": ..., "distribution": ..., "fields": {...}}``

It is what ``amparo.sharing.models.SharedItem.to_exchange_dict()`` gives (its ``origin``,
``group`` and ``withdrawn`` members are local bookkeeping and are not read here). Only the
fields named in :data:`FIELDS` for the item's kind survive :meth:`Item.from_dict`: whatever else
a sender puts in ``fields`` is dropped on arrival, so a partner that sends more than the format
allows cannot make this server store it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class ItemError(ValueError):
    """An item that cannot be read: the message says which field and why."""


class ItemKind(StrEnum):
    INCIDENT = "incident"
    INDICATOR = "indicator"
    COLLECTIVE_ACTION = "collective_action"
    RISK_PERIOD = "risk_period"


class Distribution(StrEnum):
    """Who may see an item (as MISP's distribution levels)."""

    ORGANISATION = "organisation"
    PARTNERS = "partners"
    GROUP = "group"
    NETWORK = "network"
    PUBLIC = "public"


TEXT, TEXTS, RECORDS, FLAG, COUNT = "text", "texts", "records", "flag", "count"

#: The only fields each kind may carry, and their shape.
FIELDS: dict[ItemKind, dict[str, str]] = {
    ItemKind.INCIDENT: {
        "platform": TEXT,
        "incident_type": TEXT,
        "country": TEXT,
        "week": TEXT,
        "at_risk_group": TEXT,
        "narrative": TEXT,
    },
    ItemKind.INDICATOR: {
        "platform": TEXT,
        "accounts": TEXTS,
        "urls": TEXTS,
        "fingerprints": TEXTS,
        "pattern": TEXT,
        "posts": RECORDS,
        "actions": RECORDS,
        "hashed": FLAG,
        "accounts_count": COUNT,
        "urls_count": COUNT,
    },
    ItemKind.COLLECTIVE_ACTION: {"reference": TEXT, "title": TEXT, "description": TEXT},
    ItemKind.RISK_PERIOD: {
        "country": TEXT,
        "kind": TEXT,
        "starts_on": TEXT,
        "ends_on": TEXT,
        "note": TEXT,
    },
}
MAX_TEXT = 4000
MAX_LIST = 5000
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


def parse_time(value: Any, name: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise ItemError(f"{name}: not an ISO 8601 time: {value!r}") from exc
    if moment.tzinfo is None:
        raise ItemError(f"{name}: a time zone is required")
    return moment.astimezone(UTC)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | bool)


def _clean(name: str, shape: str, value: Any) -> Any:
    if shape == TEXT:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ItemError(f"fields.{name}: must be text")
        text = str(value)
        if len(text) > MAX_TEXT:
            raise ItemError(f"fields.{name}: longer than {MAX_TEXT} characters")
        return text
    if shape == FLAG:
        if not isinstance(value, bool):
            raise ItemError(f"fields.{name}: must be true or false")
        return value
    if shape == COUNT:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ItemError(f"fields.{name}: must be a whole number")
        return value
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise ItemError(f"fields.{name}: must be a list of at most {MAX_LIST}")
    if shape == TEXTS:
        if not all(isinstance(v, str) and len(v) <= MAX_TEXT for v in value):
            raise ItemError(f"fields.{name}: must be a list of texts")
        return list(value)
    # RECORDS: flat objects of text, numbers, flags (posts, enforcement actions)
    if not all(
        isinstance(v, dict) and all(isinstance(k, str) and _scalar(x) for k, x in v.items())
        for v in value
    ):
        raise ItemError(f"fields.{name}: must be a list of flat objects")
    return [dict(v) for v in value]


@dataclass(frozen=True)
class Item:
    kind: ItemKind
    id: str
    created: datetime
    modified: datetime
    distribution: Distribution
    fields: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> Item:
        """Read an exchange dict; unknown fields are dropped, bad ones raise :class:`ItemError`."""
        if not isinstance(data, dict):
            raise ItemError("an item must be a JSON object")
        try:
            kind = ItemKind(str(data.get("kind")))
        except ValueError:
            raise ItemError(f"kind: unknown item kind {data.get('kind')!r}") from None
        try:
            distribution = Distribution(str(data.get("distribution")))
        except ValueError:
            raise ItemError(f"distribution: unknown level {data.get('distribution')!r}") from None
        item_id = str(data.get("id", ""))
        if not _ID.match(item_id):
            raise ItemError(f"id: not a valid item id: {item_id!r}")
        raw = data.get("fields") or {}
        if not isinstance(raw, dict):
            raise ItemError("fields: must be a JSON object")
        fields: dict[str, Any] = {}
        for name, shape in FIELDS[kind].items():
            value = raw.get(name)
            if value is None or value == "" or value == []:
                continue
            fields[name] = _clean(name, shape, value)
        return cls(
            kind=kind,
            id=item_id,
            created=parse_time(data.get("created"), "created"),
            modified=parse_time(data.get("modified") or data.get("created"), "modified"),
            distribution=distribution,
            fields=fields,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "id": self.id,
            "created": format_time(self.created),
            "modified": format_time(self.modified),
            "distribution": self.distribution.value,
            "fields": dict(sorted(self.fields.items())),
        }

    @property
    def hashed_only(self) -> bool:
        """An indicator shared only as keyed hashes under a group key of its own server:
        nothing another server could match, so it is not exported."""
        return self.kind == ItemKind.INDICATOR and bool(self.fields.get("hashed"))
