"""The law the register carries besides its channels (``data/law/``): where the DSA applies,
and the legal grounds a caseworker may cite in a notice (DSA Art 16(2)(a))."""

from __future__ import annotations

from pathlib import Path

from .loader import _CODE_RE, _COUNTRY_RE, _LANG_RE, RegisterError, _check_text, _read_json, _rel
from .model import LegalGround
from .vocabulary import EEA_NON_EU, EU_MEMBER_STATES, INCIDENT_TYPES

__all__ = ["load_legal_grounds", "load_territory"]


def load_territory(root: Path) -> frozenset[str]:
    """EU member states, plus the EEA states that ``law/territory.json`` lists as applying the
    DSA (only once the Regulation is incorporated into the EEA Agreement)."""
    file = root / "law" / "territory.json"
    if not file.exists():
        return EU_MEMBER_STATES
    doc = _read_json(file)
    source = _rel(file, root)
    if not isinstance(doc, dict) or set(doc) - {"notes", "as_of", "eea_states_applying"}:
        raise RegisterError(
            source, "(file)", 'expected {"notes": ..., "as_of": ..., "eea_states_applying": []}'
        )
    states = doc.get("eea_states_applying", [])
    if not isinstance(states, list) or not all(s in EEA_NON_EU for s in states):
        raise RegisterError(
            source,
            "eea_states_applying",
            f"must list only EEA states outside the EU: {sorted(EEA_NON_EU)}",
        )
    return EU_MEMBER_STATES | frozenset(states)


_GROUND_KEYS = frozenset(
    {"code", "country", "incident_types", "law", "provision", "title", "language", "note"}
)


def load_legal_grounds(root: Path) -> tuple[LegalGround, ...]:
    file = root / "law" / "legal_grounds.json"
    if not file.exists():
        return ()
    doc = _read_json(file)
    source = _rel(file, root)
    if not isinstance(doc, dict) or set(doc) - {"notes", "as_of", "grounds"}:
        raise RegisterError(source, "(file)", 'expected {"notes": ..., "grounds": [...]}')
    grounds: list[LegalGround] = []
    seen: set[str] = set()
    for raw in doc.get("grounds", []):
        if not isinstance(raw, dict):
            raise RegisterError(source, "(ground)", "each ground must be a JSON object")
        entry = str(raw.get("code", "(ground)"))
        unknown = set(raw) - _GROUND_KEYS
        if unknown:
            raise RegisterError(source, entry, f"unknown keys {sorted(unknown)}")
        for key in ("code", "country", "law", "provision", "title", "language"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise RegisterError(source, entry, f"a legal ground needs a non-empty {key!r}")
        if not _CODE_RE.match(raw["code"]):
            raise RegisterError(
                source, entry, "'code' must be lower-case letters, digits, '.', '-'"
            )
        if raw["code"] in seen:
            raise RegisterError(source, entry, "duplicate legal ground code")
        seen.add(raw["code"])
        if raw["country"] != "EU" and not _COUNTRY_RE.match(raw["country"]):
            raise RegisterError(source, entry, "'country' must be ISO alpha-2 or 'EU'")
        if not _LANG_RE.match(raw["language"]):
            raise RegisterError(source, entry, "'language' must be an ISO 639 code")
        types = raw.get("incident_types")
        if not isinstance(types, list) or not types or not set(types) <= INCIDENT_TYPES:
            raise RegisterError(
                source,
                entry,
                f"'incident_types' must list incident types of {sorted(INCIDENT_TYPES)}",
            )
        _check_text(raw.get("note", ""), source, entry, "note")
        grounds.append(
            LegalGround(
                code=raw["code"],
                country=raw["country"],
                incident_types=tuple(types),
                law=raw["law"].strip(),
                provision=raw["provision"].strip(),
                title=raw["title"].strip(),
                language=raw["language"],
                note=raw.get("note", ""),
                source=source,
            )
        )
    return tuple(grounds)
