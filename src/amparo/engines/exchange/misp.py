"""Shared items as a MISP event (pymisp's ``MISPEvent``/``MISPObject``, offline), and back.

No MISP server is contacted: pymisp builds the event from its bundled object templates, and
the JSON is what a MISP instance imports ("Add event from JSON").

- an indicator item: one ``user-account`` object per attacker account (``username``,
  ``account-type`` = the platform), one ``url`` object per URL, one ``annotation`` object per
  text fingerprint (``type`` = ``amparo-text-fingerprint``) and one for the campaign's pattern
  (``type`` = ``amparo-campaign-pattern``);
- an incident item: an ``incident`` object (``name``, ``incident_type``, ``description``: the
  same ``name: value`` lines as the STIX note), never a name or contact.

Tags: ``tlp:…`` (MISP taxonomy ``tlp``, TLP 2.0) on the event (its strictest level) and on each
attribute; ``amparo:kind="…"`` (``data/amparo-machinetag.json``, Amparo's own namespace in the
MISP taxonomy format). Each object's ``comment`` is ``amparo:<item id>`` (objects of one item
share it), its ``first_seen`` the item's creation, its ``timestamp`` the item's last change.
Not exported, as in STIX: hashed-only indicators, posts and actions, collective actions, risk
periods.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from amparo.engines.exchange import tlp
from amparo.engines.exchange.items import Distribution, Item, ItemError, ItemKind, format_time
from amparo.engines.exchange.stix import NAMESPACE, exportable, note_content, note_fields

FINGERPRINT_TYPE = "amparo-text-fingerprint"
PATTERN_TYPE = "amparo-campaign-pattern"
COMMENT_PREFIX = "amparo:"
#: MISP distribution: 0 your organisation only, 1 this community, 3 all communities.
MISP_DISTRIBUTION: dict[Distribution, int] = {
    Distribution.ORGANISATION: 0,
    Distribution.PARTNERS: 0,
    Distribution.GROUP: 0,
    Distribution.NETWORK: 1,
    Distribution.PUBLIC: 3,
}


def _objects(item: Item) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(key, template name, [(relation, value)]) of the MISP objects an item gives."""
    if item.kind == ItemKind.INCIDENT:
        title = (
            f"Incident: {item.fields.get('incident_type', '')} on {item.fields.get('platform', '')}"
        )
        values = [("name", title), ("description", note_content(item) or "incident")]
        if item.fields.get("incident_type"):
            values.append(("incident_type", item.fields["incident_type"]))
        return [("incident", "incident", values)]
    platform = str(item.fields.get("platform") or "")
    out: list[tuple[str, str, list[tuple[str, str]]]] = []
    for account in item.fields.get("accounts", []):
        values = [("username", account)] + ([("account-type", platform)] if platform else [])
        out.append((f"account:{account}", "user-account", values))
    for url in item.fields.get("urls", []):
        out.append((f"url:{url}", "url", [("url", url)]))
    for fingerprint in item.fields.get("fingerprints", []):
        out.append(
            (f"fp:{fingerprint}", "annotation", [("text", fingerprint), ("type", FINGERPRINT_TYPE)])
        )
    if item.fields.get("pattern"):
        out.append(
            ("pattern", "annotation", [("text", item.fields["pattern"]), ("type", PATTERN_TYPE)])
        )
    return out


def to_event(
    items: list[Item],
    *,
    info: str = "Amparo sharing group export",
    event_id: str = "amparo-export",
    now: datetime | None = None,
) -> Any:
    """A ``pymisp.MISPEvent`` of the items MISP can express."""
    from pymisp import MISPEvent, MISPObject

    now = now or datetime.now(UTC)
    event = MISPEvent(force_timestamps=True)
    event.uuid = str(uuid.uuid5(NAMESPACE, f"misp-event:{event_id}"))
    event.info = info
    event.date = now.date()
    event.threat_level_id = 3
    event.analysis = 2
    levels: list[str] = []
    for item in items:
        if not exportable(item):
            continue
        level = tlp.LEVEL_OF[item.distribution]
        levels.append(level)
        tags = [f"tlp:{level}", f'amparo:kind="{item.kind.value.replace("_", "-")}"']
        for key, name, values in _objects(item):
            obj = MISPObject(name, standalone=False, force_timestamps=True)
            obj.uuid = str(uuid.uuid5(NAMESPACE, f"misp:{item.id}:{key}"))
            obj.comment = COMMENT_PREFIX + item.id
            obj.distribution = MISP_DISTRIBUTION[item.distribution]
            obj.first_seen = item.created
            obj.timestamp = item.modified
            for relation, value in values:
                attribute = obj.add_attribute(
                    relation,
                    value=value,
                    uuid=str(uuid.uuid5(NAMESPACE, f"misp:{item.id}:{key}:{relation}")),
                    distribution=5,  # as the object
                    to_ids=relation in ("username", "url"),
                )
                for tag in tags:
                    if attribute is not None:
                        attribute.add_tag(tag)
            event.add_object(obj)
    strictest = tlp.strictest(levels, Distribution.GROUP)
    event.distribution = MISP_DISTRIBUTION[strictest]
    event.add_tag(tlp.misp_tag(strictest))
    event.timestamp = now
    return event


def to_json(items: list[Item], **kwargs: Any) -> str:
    """The event as MISP's JSON format (``{"Event": {...}}``)."""
    event = to_event(items, **kwargs)
    return json.dumps({"Event": json.loads(event.to_json())}, indent=2, sort_keys=True)


def _tags(entity: Any) -> list[str]:
    return [tag.name for tag in getattr(entity, "tags", []) or []]


def _time(value: Any) -> str | None:
    if isinstance(value, datetime):
        return format_time(value if value.tzinfo else value.replace(tzinfo=UTC))
    return None


def from_json(text: str | bytes) -> tuple[list[Item], list[str]]:
    """Items read from a MISP event's JSON (as exported by MISP or by :func:`to_json`), and a
    line for each object or attribute left out and why."""
    from pymisp import MISPEvent

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ItemError(f"not JSON: {exc}") from exc
    event = MISPEvent()
    try:
        event.load(data)
    except Exception as exc:  # pymisp raises its own errors and plain ones
        raise ItemError(f"not a MISP event: {exc}") from exc
    default = tlp.distribution_of_tags(_tags(event), Distribution.ORGANISATION)
    skipped = [f"attribute {a.uuid}: {a.type} is not imported" for a in event.attributes]
    gathered: dict[str, dict[str, Any]] = {}
    for obj in event.objects:
        values = {attr.object_relation: str(attr.value) for attr in obj.attributes}
        comment = str(obj.comment or "")
        item_id = comment[len(COMMENT_PREFIX) :] if comment.startswith(COMMENT_PREFIX) else obj.uuid
        kind = "incident" if obj.name == "incident" else "indicator"
        entry = gathered.setdefault(
            str(item_id),
            {
                "kind": kind,
                "id": str(item_id),
                "created": _time(obj.first_seen) or _time(obj.timestamp),
                "modified": _time(obj.timestamp),
                "tags": [],
                "fields": {"accounts": [], "urls": [], "fingerprints": []},
            },
        )
        entry["tags"] += [tag for attr in obj.attributes for tag in _tags(attr)]
        fields = entry["fields"]
        if obj.name == "incident":
            fields.update(note_fields(values.get("description", "")))
            fields.setdefault("incident_type", values.get("incident_type", ""))
        elif obj.name == "user-account" and values.get("username"):
            fields["accounts"].append(values["username"])
            if values.get("account-type"):
                fields["platform"] = values["account-type"]
        elif obj.name == "url" and values.get("url"):
            fields["urls"].append(values["url"])
        elif obj.name == "annotation" and values.get("type") == FINGERPRINT_TYPE:
            fields["fingerprints"].append(values.get("text", ""))
        elif obj.name == "annotation" and values.get("type") == PATTERN_TYPE:
            fields["pattern"] = values.get("text", "")
        else:
            skipped.append(f"object {obj.uuid}: {obj.name} objects are not imported")
    items: list[Item] = []
    for entry in gathered.values():
        tags = entry.pop("tags")
        entry["distribution"] = tlp.distribution_of_tags(tags, default).value
        entry["created"] = entry["created"] or format_time(datetime.now(UTC))
        try:
            items.append(Item.from_dict(entry))
        except ItemError as exc:
            skipped.append(f"item {entry['id']}: {exc}")
    return items, skipped
