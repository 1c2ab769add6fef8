"""Reading and validating the register's JSON files and an organisation's overrides."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import fields as dc_fields
from dataclasses import replace
from pathlib import Path
from typing import Any

from .model import Channel, Eligibility, Platform, Register
from .vocabulary import (
    ELIGIBILITY_FLAGS,
    EMAIL_RE,
    EU_ONLY_KINDS,
    FIELDS,
    Field,
    Kind,
    ResponseBasis,
    is_role_address,
)

DATA = Path(__file__).resolve().parent / "data"

CHANNEL_KEYS_REQUIRED = (
    "code",
    "kind",
    "name",
    "eligibility",
    "required_fields",
    "languages",
    "expected_response_hours",
    "response_time_basis",
    "reached_by",
    "legal_basis",
)
CHANNEL_KEYS_OPTIONAL = (
    "platforms",
    "optional_fields",
    "notes",
    "verified",
    "as_of",
    "country",
    "priority",
    "disabled",
    "details",
)
CHANNEL_KEYS = frozenset(CHANNEL_KEYS_REQUIRED + CHANNEL_KEYS_OPTIONAL)
ELIGIBILITY_KEYS = frozenset((*ELIGIBILITY_FLAGS, "min_age", "countries", "note"))
PLATFORM_KEYS = frozenset(
    {"slug", "name", "owner", "eu_establishment", "vlop", "caution", "notes", "verified", "as_of"}
)
OVERRIDE_KEYS = frozenset({"organisation", "add", "change", "disable", "notes"})

_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9._\-]*$")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_RE = re.compile(r"^https://[A-Za-z0-9.\-]+(?::\d+)?(?:/\S*)?$")


class RegisterError(ValueError):
    """Invalid register data or overrides; the message names the file (source) and the entry."""

    def __init__(self, source: str, entry: str, problem: str):
        self.source, self.entry, self.problem = source, entry, problem
        super().__init__(f"{source}: {entry}: {problem}")


# --------------------------------------------------------------------------------- loading
def load_register(path: str | Path | None = None) -> Register:
    """Load and validate the register from ``path`` (a data directory; default: the shipped one).

    Layout: ``platforms/<slug>.json`` = {"platform": {...}, "channels": [...]} and any other
    ``*.json`` = {"channels": [...]} for channels shared by several platforms (each names its
    ``platforms``; ``"*"`` = all). Raises RegisterError on the first problem found.
    """
    root = Path(path) if path is not None else DATA
    if not root.is_dir():
        raise RegisterError(str(root), "(directory)", "the register data directory does not exist")
    platforms: dict[str, Platform] = {}
    raw_channels: list[tuple[str, dict[str, Any], str | None]] = []
    platform_files = sorted((root / "platforms").glob("*.json"))
    if not platform_files:
        raise RegisterError(str(root / "platforms"), "(directory)", "no platform files found")
    for file in platform_files:
        doc = _read_json(file)
        source = _rel(file, root)
        if not isinstance(doc, dict) or set(doc) - {"platform", "channels"}:
            raise RegisterError(source, "(file)", 'expected {"platform": {...}, "channels": [...]}')
        platform = _platform(doc.get("platform"), source)
        if platform.slug != file.stem:
            raise RegisterError(
                source, platform.slug, f"the slug must match the file name ({file.stem!r})"
            )
        platforms[platform.slug] = platform
        for raw in _channel_list(doc, source):
            raw_channels.append((source, raw, platform.slug))
    for file in sorted(root.glob("*.json")):
        doc = _read_json(file)
        source = _rel(file, root)
        if not isinstance(doc, dict) or set(doc) - {"channels", "notes"}:
            raise RegisterError(source, "(file)", 'expected {"channels": [...]}')
        for raw in _channel_list(doc, source):
            raw_channels.append((source, raw, None))
    channels = [
        parse_channel(raw, source=source, known_platforms=platforms, default_platform=default)
        for source, raw, default in raw_channels
    ]
    _check_unique(channels)
    from .law import load_legal_grounds, load_territory

    return Register(
        platforms=platforms,
        channels=tuple(channels),
        dsa_territory=load_territory(root),
        legal_grounds=load_legal_grounds(root),
    )


def load_overrides(path: str | Path) -> dict[str, Any]:
    doc = _read_json(Path(path))
    if not isinstance(doc, dict):
        raise RegisterError(str(path), "(file)", "overrides must be a JSON object")
    return doc


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RegisterError(str(file), f"line {exc.lineno}", f"not valid JSON: {exc.msg}") from None


def _rel(file: Path, root: Path) -> str:
    try:
        return str(file.relative_to(root.parent))
    except ValueError:
        return str(file)


def _channel_list(doc: dict[str, Any], source: str) -> list[dict[str, Any]]:
    channels = doc.get("channels", [])
    if not isinstance(channels, list):
        raise RegisterError(source, "channels", "must be a list")
    return channels


def _check_unique(channels: list[Channel]) -> None:
    seen: dict[str, str] = {}
    for c in channels:
        if c.code in seen:
            raise RegisterError(
                c.source, c.code, f"duplicate channel code (also in {seen[c.code]})"
            )
        seen[c.code] = c.source


# --------------------------------------------------------------------------------- parsing
def _platform(raw: Any, source: str) -> Platform:
    if not isinstance(raw, dict):
        raise RegisterError(source, "platform", "must be an object")
    entry = str(raw.get("slug", "platform"))
    unknown = set(raw) - PLATFORM_KEYS
    if unknown:
        raise RegisterError(source, entry, f"unknown platform keys: {sorted(unknown)}")
    for key in ("slug", "name", "owner"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise RegisterError(source, entry, f"platform needs a non-empty {key!r}")
    vlop = raw.get("vlop")
    if vlop is not None and not isinstance(vlop, bool):
        raise RegisterError(source, entry, "'vlop' must be true, false or null")
    est = raw.get("eu_establishment", "")
    if est and not _COUNTRY_RE.match(est):
        raise RegisterError(source, entry, f"'eu_establishment' must be ISO alpha-2, got {est!r}")
    for key in ("caution", "notes"):
        _check_text(raw.get(key, ""), source, entry, key)
    return Platform(
        slug=raw["slug"],
        name=raw["name"],
        owner=raw["owner"],
        eu_establishment=est,
        vlop=vlop,
        caution=raw.get("caution", ""),
        notes=raw.get("notes", ""),
        source=source,
    )


def parse_channel(
    raw: Any,
    *,
    source: str,
    known_platforms: Mapping[str, Platform],
    default_platform: str | None = None,
) -> Channel:
    """Validate one channel entry and build it; every problem raises RegisterError."""
    if not isinstance(raw, dict):
        raise RegisterError(source, "(channel)", "each channel must be a JSON object")
    entry = str(raw.get("code") or f"(channel named {raw.get('name')!r})")

    def fail(problem: str) -> RegisterError:
        return RegisterError(source, entry, problem)

    unknown = set(raw) - CHANNEL_KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}; allowed: {sorted(CHANNEL_KEYS)}")
    missing = [k for k in CHANNEL_KEYS_REQUIRED if k not in raw]
    if missing:
        raise fail(f"missing required keys {missing}")
    code = raw["code"]
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise fail("'code' must be lower-case letters, digits, '.', '_' or '-'")
    try:
        kind = Kind(raw["kind"])
    except ValueError:
        raise fail(
            f"unknown kind {raw['kind']!r}; known kinds: {sorted(k.value for k in Kind)}"
        ) from None
    name = raw["name"]
    if not isinstance(name, str) or not name.strip():
        raise fail("'name' must be a non-empty string")

    # platforms
    platforms = raw.get("platforms")
    if platforms is None:
        if default_platform is not None:
            platforms = [default_platform]
        elif kind is Kind.REGULATOR:
            platforms = ["*"]
        else:
            raise fail("a shared channel must list its 'platforms' (slugs, or \"*\" for all)")
    if not isinstance(platforms, list) or not platforms:
        raise fail("'platforms' must be a non-empty list")
    for slug in platforms:
        if slug != "*" and slug not in known_platforms:
            raise fail(f"unknown platform {slug!r}; known: {sorted(known_platforms)}")

    eligibility = _eligibility(raw["eligibility"], fail)
    required = _fields(raw["required_fields"], "required_fields", fail)
    optional = _fields(raw.get("optional_fields", []), "optional_fields", fail)
    both = set(required) & set(optional)
    if both:
        raise fail(f"fields both required and optional: {sorted(both)}")

    languages = raw["languages"]
    if not isinstance(languages, list) or not languages:
        raise fail("'languages' must be a non-empty list of ISO 639 codes (or \"*\")")
    for lang in languages:
        if lang != "*" and not (isinstance(lang, str) and _LANG_RE.match(lang)):
            raise fail(f"language {lang!r} is not an ISO 639 code in lower case")

    hours = raw["expected_response_hours"]
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
        raise fail("'expected_response_hours' must be a positive number")
    try:
        basis = ResponseBasis(raw["response_time_basis"])
    except ValueError:
        raise fail(
            f"unknown response_time_basis {raw['response_time_basis']!r}; "
            f"use one of {sorted(b.value for b in ResponseBasis)}"
        ) from None

    reached_by = raw["reached_by"]
    if not isinstance(reached_by, str) or not reached_by.strip():
        raise fail(
            "'reached_by' must be a form URL, a role e-mail address, 'in-app: <where>' "
            "or 'portal: <which>'"
        )
    reached_by = reached_by.strip()
    if reached_by.startswith(("in-app:", "portal:")):
        if len(reached_by.split(":", 1)[1].strip()) < 3:
            raise fail("'in-app:' / 'portal:' must say where")
    elif reached_by.startswith("http"):
        if not _URL_RE.match(reached_by):
            raise fail(f"'reached_by' URL must be https:// and well formed: {reached_by!r}")
    elif EMAIL_RE.fullmatch(reached_by):
        pass  # checked below with every other address
    else:
        raise fail(
            f"'reached_by' {reached_by!r} is neither an https URL, an e-mail address "
            "nor 'in-app: <where>' / 'portal: <which>'"
        )

    legal_basis = raw["legal_basis"]
    if not isinstance(legal_basis, str) or not legal_basis.strip():
        raise fail("'legal_basis' must say what the channel rests on (e.g. 'DSA Art 20')")

    verified = raw.get("verified", True)
    if not isinstance(verified, bool):
        raise fail("'verified' must be true or false")
    as_of = raw.get("as_of", "")
    if as_of and not (isinstance(as_of, str) and _DATE_RE.match(as_of)):
        raise fail("'as_of' must be a date YYYY-MM-DD")
    if not verified and not as_of:
        raise fail("an unverified entry needs 'as_of' (the date it was written)")

    country = raw.get("country")
    if country is not None and not (isinstance(country, str) and _COUNTRY_RE.match(country)):
        raise fail(f"'country' must be ISO 3166-1 alpha-2 in capitals, got {country!r}")
    if kind is Kind.REGULATOR and not country:
        raise fail("a regulator needs 'country'")
    priority = raw.get("priority")
    if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
        raise fail("'priority' must be a whole number")
    disabled = raw.get("disabled", False)
    if not isinstance(disabled, bool):
        raise fail("'disabled' must be true or false")
    details = raw.get("details", {})
    if not isinstance(details, dict):
        raise fail("'details' must be an object")
    programme = details.get("programme")
    if programme is not None and not (isinstance(programme, str) and _CODE_RE.match(programme)):
        raise fail("'details.programme' must be a code (lower-case letters, digits, '.', '-')")
    if programme and kind is not Kind.TRUSTED_PARTNER:
        raise fail("only a trusted_partner channel belongs to a partner programme")
    types = details.get("decision_types")
    if types is not None and not (
        isinstance(types, list) and types and all(isinstance(t, str) and t for t in types)
    ):
        raise fail("'details.decision_types' must be a non-empty list of decision types")
    notes = raw.get("notes", "")
    _check_text(notes, source, entry, "notes")

    # rules that tie kinds to eligibility
    if kind in EU_ONLY_KINDS and not eligibility.eu_users_only:
        raise fail(f"a {kind.value} channel exists only under the DSA: set eu_users_only true")
    if kind is Kind.TRUSTED_PARTNER and not (
        eligibility.trusted_partners_only or eligibility.trusted_flaggers_only
    ):
        raise fail(
            "a trusted_partner channel must set trusted_partners_only or trusted_flaggers_only"
        )
    if kind is Kind.EMAIL and not EMAIL_RE.fullmatch(reached_by):
        raise fail("an email channel must be reached by a role e-mail address")

    # no personal addresses anywhere in the entry
    for address in _addresses(raw):
        if not is_role_address(address):
            raise fail(
                f"{address!r} is not a role address: the register holds only addresses of a "
                "function (legal@, dsa@, abuse@, support@, appeals@...), never a person's"
            )

    return Channel(
        code=code,
        kind=kind,
        name=name.strip(),
        platforms=tuple(platforms),
        eligibility=eligibility,
        required_fields=required,
        optional_fields=optional,
        languages=tuple(languages),
        expected_response_hours=float(hours),
        response_time_basis=basis,
        reached_by=reached_by,
        legal_basis=legal_basis.strip(),
        notes=notes,
        verified=verified,
        as_of=as_of,
        country=country,
        priority=priority,
        disabled=disabled,
        source=source,
        extra=details,
    )


def _eligibility(raw: Any, fail) -> Eligibility:
    if not isinstance(raw, dict):
        raise fail("'eligibility' must be an object")
    unknown = set(raw) - ELIGIBILITY_KEYS
    if unknown:
        raise fail(
            f"unknown eligibility keys {sorted(unknown)}; allowed: {sorted(ELIGIBILITY_KEYS)}"
        )
    values: dict[str, Any] = {}
    for flag in ELIGIBILITY_FLAGS:
        if flag in raw:
            if not isinstance(raw[flag], bool):
                raise fail(f"eligibility.{flag} must be true or false")
            values[flag] = raw[flag]
    if "min_age" in raw and raw["min_age"] is not None:
        if isinstance(raw["min_age"], bool) or not isinstance(raw["min_age"], int):
            raise fail("eligibility.min_age must be a whole number")
        values["min_age"] = raw["min_age"]
    countries = raw.get("countries", [])
    if not isinstance(countries, list) or not all(
        isinstance(c, str) and _COUNTRY_RE.match(c) for c in countries
    ):
        raise fail("eligibility.countries must be a list of ISO alpha-2 codes in capitals")
    values["countries"] = tuple(countries)
    note = raw.get("note", "")
    if not isinstance(note, str) or not note.strip():
        raise fail("eligibility.note must say in words who may use the channel")
    values["note"] = note
    elig = Eligibility(**values)
    if not (
        elig.affected_users or elig.notifiers or elig.representatives or elig.representatives_art86
    ):
        raise fail("eligibility admits nobody: set affected_users, notifiers or representatives")
    return elig


def _fields(raw: Any, key: str, fail) -> tuple[Field, ...]:
    if not isinstance(raw, list):
        raise fail(f"'{key}' must be a list")
    out = []
    for name in raw:
        if name not in FIELDS:
            raise fail(f"unknown field {name!r} in {key}; the vocabulary is {sorted(FIELDS)}")
        out.append(Field(name))
    if len(set(out)) != len(out):
        raise fail(f"'{key}' lists a field twice")
    return tuple(out)


def _check_text(value: Any, source: str, entry: str, key: str) -> None:
    if not isinstance(value, str):
        raise RegisterError(source, entry, f"'{key}' must be a string")
    for address in EMAIL_RE.findall(value):
        if not is_role_address(address):
            raise RegisterError(source, entry, f"{address!r} in {key} is not a role address")


def _addresses(value: Any) -> list[str]:
    if isinstance(value, str):
        return EMAIL_RE.findall(value)
    if isinstance(value, dict):
        return [a for v in value.values() for a in _addresses(v)]
    if isinstance(value, list):
        return [a for v in value for a in _addresses(v)]
    return []


# --------------------------------------------------------------------------------- overrides
def channel_to_raw(c: Channel) -> dict[str, Any]:
    """The JSON form of a channel (what the files hold), for merging and export."""
    elig = {f.name: getattr(c.eligibility, f.name) for f in dc_fields(Eligibility)}
    elig["countries"] = list(elig["countries"])
    raw: dict[str, Any] = {
        "code": c.code,
        "kind": c.kind.value,
        "name": c.name,
        "platforms": list(c.platforms),
        "eligibility": elig,
        "required_fields": [f.value for f in c.required_fields],
        "optional_fields": [f.value for f in c.optional_fields],
        "languages": list(c.languages),
        "expected_response_hours": c.expected_response_hours,
        "response_time_basis": c.response_time_basis.value,
        "reached_by": c.reached_by,
        "legal_basis": c.legal_basis,
        "notes": c.notes,
        "verified": c.verified,
        "as_of": c.as_of,
        "disabled": c.disabled,
        "details": dict(c.extra),
    }
    if c.country:
        raw["country"] = c.country
    if c.priority is not None:
        raw["priority"] = c.priority
    return raw


def apply_overrides(register: Register, overrides: Any, *, source: str = "overrides") -> Register:
    if not isinstance(overrides, Mapping):
        raise RegisterError(source, "(overrides)", "overrides must be a JSON object")
    unknown = set(overrides) - OVERRIDE_KEYS
    if unknown:
        raise RegisterError(
            source,
            "(overrides)",
            f"unknown keys {sorted(unknown)}; allowed: {sorted(OVERRIDE_KEYS)}",
        )
    organisation = overrides.get("organisation", "")
    if not isinstance(organisation, str):
        raise RegisterError(source, "organisation", "must be a string")
    _check_text(overrides.get("notes", ""), source, "(overrides)", "notes")
    channels = {c.code: c for c in register.channels}
    order = [c.code for c in register.channels]

    adds = overrides.get("add", [])
    if not isinstance(adds, list):
        raise RegisterError(source, "add", "must be a list of channels")
    for i, raw in enumerate(adds):
        entry = f"add[{i}]"
        if isinstance(raw, dict) and raw.get("code"):
            entry = f"add[{i}] {raw['code']}"
        if isinstance(raw, dict) and "platforms" not in raw and raw.get("kind") != Kind.REGULATOR:
            raise RegisterError(source, entry, "an added channel must list its 'platforms'")
        try:
            channel = parse_channel(raw, source=source, known_platforms=register.platforms)
        except RegisterError as exc:
            raise RegisterError(source, entry, exc.problem) from None
        if channel.code in channels:
            raise RegisterError(
                source, entry, f"channel {channel.code!r} exists already; use 'change' to alter it"
            )
        channels[channel.code] = replace(channel, own=True)  # the organisation's own channel
        order.append(channel.code)

    changes = overrides.get("change", {})
    if not isinstance(changes, dict):
        raise RegisterError(source, "change", "must be an object {channel code: {key: value}}")
    for code, patch in changes.items():
        entry = f"change.{code}"
        if code not in channels:
            raise RegisterError(source, entry, f"no channel {code!r} to change")
        if not isinstance(patch, dict) or not patch:
            raise RegisterError(source, entry, "must be a non-empty object of keys to change")
        if "code" in patch and patch["code"] != code:
            raise RegisterError(source, entry, "'code' cannot be changed; add a new channel")
        unknown = set(patch) - CHANNEL_KEYS
        if unknown:
            raise RegisterError(source, entry, f"unknown keys {sorted(unknown)}")
        raw = channel_to_raw(channels[code])
        for key, value in patch.items():
            if key == "eligibility" and isinstance(value, dict):
                raw["eligibility"] = {**raw["eligibility"], **value}
            else:
                raw[key] = copy.deepcopy(value)
        if not raw["eligibility"].get("min_age"):
            raw["eligibility"].pop("min_age", None)
        try:
            changed = parse_channel(raw, source=source, known_platforms=register.platforms)
        except RegisterError as exc:
            raise RegisterError(source, entry, exc.problem) from None
        channels[code] = replace(changed, own=channels[code].own)

    disables = overrides.get("disable", [])
    if not isinstance(disables, list):
        raise RegisterError(source, "disable", "must be a list of channel codes")
    for code in disables:
        if code not in channels:
            raise RegisterError(source, f"disable {code}", f"no channel {code!r} to disable")
        raw = channel_to_raw(channels[code])
        raw["disabled"] = True
        if not raw["eligibility"].get("min_age"):
            raw["eligibility"].pop("min_age", None)
        disabled = parse_channel(raw, source=source, known_platforms=register.platforms)
        channels[code] = replace(disabled, own=channels[code].own)

    return register.replace_channels((channels[c] for c in order), organisation=organisation)
