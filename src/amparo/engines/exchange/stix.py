"""Shared items as STIX 2.1 bundles, and back.

Export (built with the ``stix2`` library, so what leaves is well-formed STIX):

- an indicator item gives one ``indicator`` per value:

  - attacker account: ``[user-account:account_login = '…' AND user-account:account_type = '…']``
    (the account type is the platform; STIX's vocabulary for it is open)
  - URL: ``[url:value = '…']``
  - text fingerprint: ``pattern_type`` ``amparo-text-fingerprint``, the fingerprint as pattern

  and, when it names the campaign's pattern, a ``campaign`` (its ``objective``) that each of
  those indicators ``indicates`` (``relationship``);
- an incident item gives a ``note`` (platform, incident type, country, ISO week, at-risk
  group, and the narrative only when the item carries it): no one's name, contact or account;
- every object carries the TLP 2.0 ``marking-definition`` of its item's distribution;
- the sharing organisation appears (``identity``, ``created_by_ref``) only when ``sender`` is
  given, i.e. when it may be named;
- one ``grouping`` (the sharing group) holds everything.

Object ids are derived from the item's id and value (UUIDv5), and the item id is kept as an
``external_references`` entry with ``source_name`` ``amparo``, so an export imported back gives
the same items. Not exported: indicators shared only as keyed hashes (nothing to show),
posts and enforcement actions (Amparo-to-Amparo only), collective actions and risk periods.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from amparo.engines.exchange import tlp
from amparo.engines.exchange.items import (
    Distribution,
    Item,
    ItemError,
    ItemKind,
    format_time,
)

NAMESPACE = uuid.UUID("6f7f6b1e-5d0c-4b7e-9a53-0a6d3c1f2e90")
SOURCE = "amparo"
FINGERPRINT_PATTERN_TYPE = "amparo-text-fingerprint"
#: The incident fields a note carries, one "name: value" line each, in this order.
NOTE_FIELDS = ("platform", "incident_type", "country", "week", "at_risk_group")

_ACCOUNT = re.compile(
    r"^\[user-account:account_login = '((?:[^'\\]|\\.)*)' AND "
    r"user-account:account_type = '((?:[^'\\]|\\.)*)'\]$"
)
_URL = re.compile(r"^\[url:value = '((?:[^'\\]|\\.)*)'\]$")


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _quote(value: str) -> str:
    """A STIX pattern string literal: backslash and quote escaped (STIX 2.1 §9.3)."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _unquote(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def account_pattern(account: str, platform: str) -> str:
    return (
        f"[user-account:account_login = '{_quote(account)}' AND "
        f"user-account:account_type = '{_quote(platform)}']"
    )


def url_pattern(url: str) -> str:
    return f"[url:value = '{_quote(url)}']"


def exportable(item: Item) -> bool:
    if item.kind == ItemKind.INCIDENT:
        return True
    return item.kind == ItemKind.INDICATOR and not item.hashed_only


def note_content(item: Item) -> str:
    lines = [f"{name}: {item.fields[name]}" for name in NOTE_FIELDS if item.fields.get(name)]
    if item.fields.get("narrative"):
        lines += ["", item.fields["narrative"]]
    return "\n".join(lines)


def note_fields(content: str) -> dict[str, str]:
    head, _sep, narrative = content.partition("\n\n")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        name, sep, value = line.partition(": ")
        if sep and name in NOTE_FIELDS:
            fields[name] = value.strip()
    if narrative.strip():
        fields["narrative"] = narrative.strip()
    return fields


def indicator_values(item: Item) -> list[tuple[str, str, str, str]]:
    """(key, name, pattern, pattern_type) of each STIX indicator an indicator item gives."""
    platform = str(item.fields.get("platform") or "")
    out: list[tuple[str, str, str, str]] = []
    for account in item.fields.get("accounts", []):
        name = f"Attacker account {account}" + (f" on {platform}" if platform else "")
        out.append((f"account:{account}", name, account_pattern(account, platform), "stix"))
    for url in item.fields.get("urls", []):
        out.append((f"url:{url}", "Campaign URL", url_pattern(url), "stix"))
    for fingerprint in item.fields.get("fingerprints", []):
        out.append((f"fp:{fingerprint}", "Text fingerprint", fingerprint, FINGERPRINT_PATTERN_TYPE))
    return out


def to_bundle(
    items: list[Item],
    *,
    group_name: str = "Amparo sharing group",
    sender: dict[str, str] | None = None,
    now: datetime | None = None,
) -> str:
    """A STIX 2.1 bundle (JSON text) of the items STIX can express.

    ``sender``: ``{"id": ..., "name": ...}`` of the sharing organisation, given only when its
    name may be shown; otherwise no identity is in the bundle at all."""
    import stix2

    now = now or datetime.now(UTC)
    stamp = format_time(now)
    sender_ref: str | None = None
    head: list[Any] = []
    if sender:
        identity = stix2.Identity(
            id=stix_id("identity", sender["id"]),
            name=sender["name"],
            identity_class="organization",
            created=stamp,
            modified=stamp,
        )
        sender_ref = identity.id
        head.append(identity)
    by = {"created_by_ref": sender_ref} if sender_ref else {}
    grouping_id = stix_id("grouping", group_name)
    levels: set[str] = set()
    content: list[Any] = []
    for item in items:
        if not exportable(item):
            continue
        level = tlp.LEVEL_OF[item.distribution]
        levels.add(level)
        common: dict[str, Any] = {
            "created": format_time(item.created),
            "modified": format_time(item.modified),
            "object_marking_refs": [tlp.MARKINGS[level][0]],
            **by,
        }
        reference = {"external_references": [{"source_name": SOURCE, "external_id": item.id}]}
        if item.kind == ItemKind.INCIDENT:
            content.append(
                stix2.Note(
                    id=stix_id("note", item.id),
                    abstract=(
                        f"Incident: {item.fields.get('incident_type', '')} on "
                        f"{item.fields.get('platform', '')}"
                    ),
                    content=note_content(item) or "incident",
                    object_refs=[grouping_id],
                    **common,
                    **reference,
                )
            )
            continue
        campaign_id = None
        if item.fields.get("pattern"):
            campaign = stix2.Campaign(
                id=stix_id("campaign", item.id),
                name=f"Campaign: {item.fields['pattern'][:80]}",
                objective=item.fields["pattern"],
                **common,
                **reference,
            )
            campaign_id = campaign.id
            content.append(campaign)
        for key, name, pattern, pattern_type in indicator_values(item):
            indicator = stix2.Indicator(
                id=stix_id("indicator", f"{item.id}:{key}"),
                name=name,
                description="Shared by a helpline through Amparo",
                indicator_types=["malicious-activity"],
                pattern=pattern,
                pattern_type=pattern_type,
                valid_from=format_time(item.created),
                **common,
                **reference,
            )
            content.append(indicator)
            if campaign_id:
                content.append(
                    stix2.Relationship(
                        id=stix_id("relationship", f"{item.id}:{key}"),
                        relationship_type="indicates",
                        source_ref=indicator.id,
                        target_ref=campaign_id,
                        **common,
                    )
                )
    objects: list[Any] = list(head)
    if content:
        strictest = tlp.LEVEL_OF[tlp.strictest(sorted(levels), Distribution.GROUP)]
        objects.append(
            stix2.Grouping(
                id=grouping_id,
                name=group_name,
                context="suspicious-activity",
                object_refs=[obj.id for obj in content],
                created=stamp,
                modified=stamp,
                object_marking_refs=[tlp.MARKINGS[strictest][0]],
                **by,
            )
        )
        objects.extend(content)
    markings = [stix2.MarkingDefinition(**tlp.marking_object(level)) for level in sorted(levels)]
    return str(stix2.Bundle(*markings, *objects).serialize(pretty=True))


def _item_id(obj: dict[str, Any]) -> str:
    for ref in obj.get("external_references") or []:
        if isinstance(ref, dict) and ref.get("source_name") == SOURCE and ref.get("external_id"):
            return str(ref["external_id"])
    return str(obj.get("id", "")).split("--", 1)[-1]


def _levels(obj: dict[str, Any]) -> list[str]:
    return [tlp.MARKING_LEVEL.get(ref, "") for ref in obj.get("object_marking_refs") or []]


def _read_indicator(obj: dict[str, Any]) -> tuple[str, str, str] | None:
    """(field, value, platform) of an indicator in one of the shapes Amparo writes."""
    pattern = str(obj.get("pattern", "")).strip()
    if obj.get("pattern_type") == FINGERPRINT_PATTERN_TYPE:
        return "fingerprints", pattern, ""
    if obj.get("pattern_type") != "stix":
        return None
    if match := _ACCOUNT.match(pattern):
        return "accounts", _unquote(match.group(1)), _unquote(match.group(2))
    if match := _URL.match(pattern):
        return "urls", _unquote(match.group(1)), ""
    return None


def from_bundle(text: str | bytes) -> tuple[list[Item], list[str]]:
    """Items read from a STIX 2.1 bundle, and a line for each object left out and why.

    Only the shapes Amparo writes are understood (the patterns above, notes with
    ``name: value`` lines); any other object is left out with a reason, never guessed at.
    Indicators with the same Amparo item id (or indicating the same campaign) become one
    indicator item, as they were."""
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ItemError(f"not JSON: {exc}") from exc
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise ItemError('not a STIX bundle (no "type": "bundle")')
    objects = [obj for obj in bundle.get("objects") or [] if isinstance(obj, dict)]
    by_id = {obj.get("id"): obj for obj in objects}
    campaign_of: dict[str, dict[str, Any]] = {}
    for obj in objects:
        if obj.get("type") == "relationship" and obj.get("relationship_type") == "indicates":
            target = by_id.get(obj.get("target_ref"))
            if target and target.get("type") == "campaign":
                campaign_of[str(obj.get("source_ref"))] = target
    skipped: list[str] = []
    gathered: dict[str, dict[str, Any]] = {}
    incidents: list[dict[str, Any]] = []
    ignored = {"marking-definition", "identity", "grouping", "relationship", "campaign"}
    for obj in objects:
        kind = obj.get("type")
        if kind == "indicator":
            found = _read_indicator(obj)
            if found is None:
                skipped.append(f"{obj.get('id')}: pattern not understood")
                continue
            name, value, platform = found
            campaign = campaign_of.get(str(obj.get("id")))
            key = (
                _item_id(obj)
                if _item_id(obj) != str(obj["id"]).split("--", 1)[-1]
                else (_item_id(campaign) if campaign else _item_id(obj))
            )
            entry = gathered.setdefault(
                key,
                {
                    "kind": "indicator",
                    "id": key,
                    "created": obj.get("created"),
                    "modified": obj.get("modified"),
                    "levels": [],
                    "fields": {"accounts": [], "urls": [], "fingerprints": []},
                },
            )
            entry["fields"][name].append(value)
            entry["levels"] += _levels(obj)
            if platform:
                entry["fields"]["platform"] = platform
            if campaign and campaign.get("objective"):
                entry["fields"]["pattern"] = campaign["objective"]
        elif kind == "note":
            incidents.append(
                {
                    "kind": "incident",
                    "id": _item_id(obj),
                    "created": obj.get("created"),
                    "modified": obj.get("modified"),
                    "levels": _levels(obj),
                    "fields": note_fields(str(obj.get("content", ""))),
                }
            )
        elif kind not in ignored:
            skipped.append(f"{obj.get('id')}: {kind} objects are not imported")
    items: list[Item] = []
    for data in [*gathered.values(), *incidents]:
        levels = data.pop("levels")
        data["distribution"] = tlp.strictest(levels, Distribution.ORGANISATION).value
        try:
            items.append(Item.from_dict(data))
        except ItemError as exc:
            skipped.append(f"item {data['id']}: {exc}")
    return items, skipped
