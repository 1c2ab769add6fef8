"""The dossier's JSON Schema, a validator for it, canonical JSON and the checks across fields.

The schema (``schema/dossier-1.0.json``, draft 2020-12) is the published description of the
format. It is checked here by a small validator of the keywords the schema uses (``type``,
``const``, ``enum``, ``properties``, ``required``, ``additionalProperties``, ``propertyNames``,
``items``, ``uniqueItems``, ``anyOf``, ``$ref`` to ``$defs``, ``pattern``, ``minLength``,
``minimum``, ``maximum``) so that verifying a dossier needs nothing beyond the standard library
and ``cryptography``; any other keyword in the schema is an error, so the validator cannot
silently ignore a rule. A test checks that a full JSON Schema implementation agrees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

SCHEMA_VERSION = "1.0"
SCHEMA_FILE = f"dossier-{SCHEMA_VERSION}.json"

#: The remedies a mandate can cover; every filing is one of them.
REMEDIES = (
    "art20_priority_complaint",
    "art21_out_of_court",
    "art53_complaint",
    "representative_action",
)

_ANNOTATIONS = {"description", "title", "$schema", "$id", "$defs", "$comment"}
_KEYWORDS = _ANNOTATIONS | {
    "type",
    "const",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "items",
    "uniqueItems",
    "anyOf",
    "$ref",
    "pattern",
    "minLength",
    "minimum",
    "maximum",
}


@cache
def schema_text() -> str:
    return files("amparo.engines.dossier").joinpath("schema", SCHEMA_FILE).read_text("utf-8")


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


def canonical_json(value: Any) -> bytes:
    """Sorted keys, UTF-8 (not ASCII escapes), ``,`` and ``:`` without spaces, no NaN."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def utc_timestamp(moment: datetime) -> str:
    """``moment`` as the schema's instants: ISO 8601 in UTC with a ``Z``."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no time zone: give an aware one")
    text = moment.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.removesuffix("Z") + "+00:00")


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise ValueError(f"schema uses unknown type {kind!r}")


def _json_type(value: Any) -> str:
    for kind in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _type_ok(value, kind):
            return kind
    return type(value).__name__


def _resolve(ref: str) -> dict[str, Any]:
    if not ref.startswith("#/$defs/"):
        raise ValueError(f"schema uses an unsupported $ref {ref!r}")
    found: dict[str, Any] = schema()["$defs"][ref.removeprefix("#/$defs/")]
    return found


def _validate(value: Any, rule: dict[str, Any], where: str) -> list[str]:
    unknown = set(rule) - _KEYWORDS
    if unknown:
        raise ValueError(f"schema keyword(s) not supported by the validator: {sorted(unknown)}")
    problems: list[str] = []
    if "$ref" in rule:
        problems += _validate(value, _resolve(rule["$ref"]), where)
    if "anyOf" in rule:
        options = [_validate(value, option, where) for option in rule["anyOf"]]
        if all(options):
            # Report the option that came closest: fewest problems, a type that fits first.
            best = min(options, key=lambda found: (len(found), ": expected " in found[0]))
            problems.append(best[0])
    if "type" in rule:
        kinds = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
        if not any(_type_ok(value, kind) for kind in kinds):
            return [*problems, f"{where}: expected {' or '.join(kinds)}, got {_json_type(value)}"]
    if "const" in rule and value != rule["const"]:
        problems.append(f"{where}: must be {rule['const']!r}, got {value!r}")
    if "enum" in rule and value not in rule["enum"]:
        problems.append(f"{where}: {value!r} is not one of {', '.join(rule['enum'])}")
    if isinstance(value, str):
        if len(value) < rule.get("minLength", 0):
            problems.append(f"{where}: must not be empty")
        if "pattern" in rule and not re.search(rule["pattern"], value):
            problems.append(f"{where}: {value!r} is not in the expected form")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in rule and value < rule["minimum"]:
            problems.append(f"{where}: {value} is below {rule['minimum']}")
        if "maximum" in rule and value > rule["maximum"]:
            problems.append(f"{where}: {value} is above {rule['maximum']}")
    if isinstance(value, dict):
        properties = rule.get("properties", {})
        for name in rule.get("required", []):
            if name not in value:
                problems.append(f"{where}: {name!r} is missing")
        for name, item in value.items():
            path = f"{where}.{name}"
            if "propertyNames" in rule:
                problems += _validate(name, rule["propertyNames"], f"{where} key {name!r}")
            if name in properties:
                problems += _validate(item, properties[name], path)
            elif rule.get("additionalProperties") is False:
                problems.append(f"{where}: unexpected field {name!r}")
            elif isinstance(rule.get("additionalProperties"), dict):
                problems += _validate(item, rule["additionalProperties"], path)
    if isinstance(value, list):
        if "items" in rule:
            for index, item in enumerate(value):
                problems += _validate(item, rule["items"], f"{where}[{index}]")
        if rule.get("uniqueItems"):
            seen = [canonical_json(item) for item in value]
            if len(set(seen)) != len(seen):
                problems.append(f"{where}: has repeated items")
    return problems


def schema_problems(dossier: Any) -> list[str]:
    """Everything in ``dossier`` that the schema does not allow, one line each (``$`` is the
    top); an empty list when it is valid."""
    return _validate(dossier, schema(), "$")


_FAR = datetime.max.replace(tzinfo=UTC)


def _instant(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return parse_timestamp(text)
    except ValueError:
        return None


def _day_or_instant(text: Any) -> datetime | None:
    if isinstance(text, str) and len(text) == 10:
        try:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        except ValueError:
            return None
    return _instant(text)


def _evidence_references(dossier: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    eligibility = dossier["organisation"]["eligibility"]
    yield "$.organisation.eligibility.statutes_evidence_id", eligibility["statutes_evidence_id"]
    for m, member in enumerate(dossier["members"]):
        if member["mandate"] is not None:
            yield f"$.members[{m}].mandate.evidence_id", member["mandate"]["evidence_id"]
        for f, filing in enumerate(member["filings"]):
            yield (
                f"$.members[{m}].filings[{f}].document_evidence_id",
                filing["document_evidence_id"],
            )


def consistency_problems(dossier: dict[str, Any]) -> list[str]:
    """Rules across fields, for a dossier that already fits the schema: real dates, unique ids
    and pseudonyms, evidence references that exist, a window that is not reversed."""
    problems: list[str] = []
    for where, text in _all_instants(dossier):
        if _instant(text) is None and _day_or_instant(text) is None:
            problems.append(f"{where}: {text!r} is not a real date and time")
    pattern = dossier["action"]["pattern"]
    start, end = _day_or_instant(pattern["window_start"]), _day_or_instant(pattern["window_end"])
    if start and end and end < start:
        problems.append("$.action.pattern: window_end is before window_start")
    ids = [item["id"] for item in dossier["evidence"]]
    if len(set(ids)) != len(ids):
        problems.append("$.evidence: two items have the same id")
    pseudonyms = [member["pseudonym"] for member in dossier["members"]]
    if len(set(pseudonyms)) != len(pseudonyms):
        problems.append("$.members: two members have the same pseudonym")
    for where, ref in _evidence_references(dossier):
        if ref is not None and ref not in ids:
            problems.append(f"{where}: evidence {ref!r} is not in the dossier's evidence list")
    return problems


def _all_instants(value: Any, where: str = "$") -> Iterable[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}"
            if isinstance(item, str) and (
                key == "at" or key.endswith("_at") or key.startswith("window_")
            ):
                yield path, item
            else:
                yield from _all_instants(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _all_instants(item, f"{where}[{index}]")


def compute_figures(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``figures`` of a dossier from its ``members`` (the definitions documented in
    docs/dossier-format.md); what :func:`amparo.engines.dossier.build` writes when the dossier
    has none, and what :func:`verify` compares the counts against."""
    by_kind: dict[str, int] = {}
    days: list[float] = []
    restored = 0
    for member in members:
        for filing in member["filings"]:
            by_kind[filing["kind"]] = by_kind.get(filing["kind"], 0) + 1
        outcome = member["outcome"]
        if outcome["state"] == "restored":
            restored += 1
            first = min((_instant(f["filed_at"]) or _FAR for f in member["filings"]), default=None)
            restored_at = _instant(outcome["restored_at"])
            if first is not None and first is not _FAR and restored_at is not None:
                seconds = (restored_at - first).total_seconds()
                days.append(max(seconds, 0) / 86400)
    days.sort()
    median: float | None = None
    if days:
        middle = len(days) // 2
        median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
        median = round(median, 2)
    return {
        "members": len(members),
        "mandates_given": sum(1 for m in members if m["mandate"] is not None),
        "mandates_revoked": sum(
            1 for m in members if m["mandate"] is not None and m["mandate"]["revoked_at"]
        ),
        "filings_by_kind": dict(sorted(by_kind.items())),
        "restored": restored,
        "restoration_rate": round(restored / len(members), 4) if members else 0,
        "median_days_to_restoration": median,
    }
