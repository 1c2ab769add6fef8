"""Read a platform's statement of reasons (DSA Art 17) into Transparency Database fields.

``parse_statement(text)`` takes the e-mail or in-app notice a platform sent (English,
French, German, Spanish, Italian, Polish, Dutch, or a mix) and returns a
:class:`ParsedStatement` whose values are Transparency Database enum codes (see
``tdb-schema``: ``DECISION_VISIBILITY_CONTENT_REMOVED``, ``DECISION_GROUND_INCOMPATIBLE_CONTENT``,
``AUTOMATED_DECISION_FULLY``...). Every value is an :class:`Extracted` carrying the sentence it
came from, so a caseworker can check it. When the text is silent or contradicts itself the
field is ``None`` (or empty): the parser never guesses.

Art 17(3) DSA lists what a statement must contain: (a) the measure, its territorial scope
and duration; (b) the facts, and whether it followed a notice or was taken on the provider's
own initiative; (c) the use of automated means in detection and decision; (d) the legal
ground for illegal content or (e) the contractual ground for incompatible content; (f) the
redress possibilities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any, Generic, TypeVar

from babel import Locale

from . import _sor_patterns as P
from .clocks import MEMBER_STATE_TIMEZONES

__all__ = ["EEA_COUNTRIES", "Extracted", "ParsedStatement", "parse_statement"]

T = TypeVar("T")

#: EEA country codes as the Transparency Database writes them (Greece is GR).
EEA_COUNTRIES = frozenset(MEMBER_STATE_TIMEZONES)  # the 27 EU states, IS, LI and NO
LANGUAGES = ("en", "fr", "de", "es", "it", "pl", "nl")
_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class Extracted(Generic[T]):
    """A value read from the statement, with the sentence it came from and its offsets."""

    value: T
    snippet: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedStatement:
    decision_visibility: tuple[Extracted[str], ...] = ()
    decision_account: Extracted[str] | None = None
    decision_monetary: Extracted[str] | None = None
    decision_provision: Extracted[str] | None = None
    decision_ground: Extracted[str] | None = None
    illegal_content_legal_ground: Extracted[str] | None = None
    incompatible_content_ground: Extracted[str] | None = None
    source_type: Extracted[str] | None = None
    automated_detection: Extracted[str] | None = None  # "Yes" / "No"
    automated_decision: Extracted[str] | None = None
    territorial_scope: Extracted[tuple[str, ...]] | None = None  # codes, or ("EEA",)
    end_date: Extracted[date] | None = None
    duration: Extracted[str] | None = None  # ISO 8601: P30D, P2W, P3M, PT24H
    indefinite: Extracted[bool] | None = None
    puid: Extracted[str] | None = None
    redress: tuple[Extracted[str], ...] = field(default=())

    @property
    def decision_types(self) -> list[str]:
        """All decision codes found (visibility, account, monetary, provision)."""
        codes = [item.value for item in self.decision_visibility]
        for item in (self.decision_account, self.decision_monetary, self.decision_provision):
            if item is not None:
                codes.append(item.value)
        return codes

    def to_tdb(self) -> dict[str, Any]:
        """The fields as Transparency Database columns (``None`` where unknown)."""

        def val(item: Extracted[Any] | None) -> Any:
            return None if item is None else item.value

        ground = val(self.decision_ground)
        return {
            "decision_visibility": [item.value for item in self.decision_visibility] or None,
            "decision_monetary": val(self.decision_monetary),
            "decision_provision": val(self.decision_provision),
            "decision_account": val(self.decision_account),
            "decision_ground": ground,
            "illegal_content_legal_ground": val(self.illegal_content_legal_ground)
            if ground == "DECISION_GROUND_ILLEGAL_CONTENT"
            else None,
            "incompatible_content_ground": val(self.incompatible_content_ground)
            if ground == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
            else None,
            "source_type": val(self.source_type),
            "automated_detection": val(self.automated_detection),
            "automated_decision": val(self.automated_decision),
            "territorial_scope": list(self.territorial_scope.value)
            if self.territorial_scope
            else None,
            "end_date": self.end_date.value.isoformat() if self.end_date else None,
            "platform_uid": val(self.puid),
        }


# --- sentences ---------------------------------------------------------------------------


def _sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: cut at new lines and at .!? followed by a capital letter."""
    spans, start = [], 0
    for i, char in enumerate(text):
        cut = char == "\n"
        if char in ".!?":
            rest = text[i + 1 : i + 3]
            nxt = rest.lstrip()[:1]
            cut = (not rest.strip()) or (rest[:1].isspace() and (nxt.isupper() or nxt in '"«„'))
        if cut:
            if text[start : i + 1].strip():
                spans.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class _Text:
    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = _sentences(text)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for start, end in self.spans:
            if start <= pos < end:
                return start, end
        return 0, len(self.text)

    def extracted(self, value: T, match_start: int, match_end: int) -> Extracted[T]:
        start, end = self.sentence_of(match_start)
        snippet = self.text[start:end].strip()
        if len(snippet) > 300:  # keep the caseworker's view short, centred on the match
            left = max(start, match_start - 140)
            snippet = self.text[left : min(end, match_end + 140)].strip()
        return Extracted(value, snippet, match_start, match_end)

    def sentences(self) -> Iterator[tuple[int, str]]:
        for start, end in self.spans:
            yield start, self.text[start:end]


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _FLAGS)


def _negated(sentence: str, pos: int) -> bool:
    """A negation word in the 40 characters before ``pos`` in the same sentence."""
    return bool(_rx(P.NEGATION).search(sentence[max(0, pos - 40) : pos]))


def _near(a: str, b: str, words: int = 6) -> str:
    return rf"\b(?:{a})\b\W+(?:\S+\s+){{0,{words}}}?{b}|{b}\W+(?:\S+\s+){{0,{words}}}?\b(?:{a})\b"


# --- decision ----------------------------------------------------------------------------


def _account(doc: _Text) -> tuple[Extracted[str] | None, set[int]]:
    """The account measure, and the sentences that speak of one (to skip for visibility)."""
    found: Extracted[str] | None = None
    account_sentences: set[int] = set()
    for start, sentence in doc.sentences():
        if _rx(P.MONETARY).search(sentence) or _rx(P.PROVISION).search(sentence):
            continue  # "monetisation on your channel was suspended" is not an account measure
        for code, verb in (
            ("DECISION_ACCOUNT_TERMINATED", P.ACCOUNT_TERMINATED),
            ("DECISION_ACCOUNT_SUSPENDED", P.ACCOUNT_SUSPENDED),
        ):
            match = _rx(_near(P.ACCOUNT, verb)).search(sentence)
            if match and not (
                _negated(sentence, match.start()) or _rx(P.NEGATION).search(match.group(0))
            ):
                account_sentences.add(start)
                if found is None or (
                    code.endswith("TERMINATED") and found.value.endswith("SUSPENDED")
                ):
                    found = doc.extracted(code, start + match.start(), start + match.end())
                break
    return found, account_sentences


def _visibility(doc: _Text, skip: set[int]) -> tuple[Extracted[str], ...]:
    found: dict[str, Extracted[str]] = {}
    for start, sentence in doc.sentences():
        if start in skip and not _rx(rf"\b(?:{P.CONTENT})\b").search(sentence):
            continue
        for code, pattern in P.VISIBILITY.items():
            if code in found:
                continue
            for match in _rx(pattern).finditer(sentence):
                if not _negated(sentence, match.start()):
                    found[code] = doc.extracted(code, start + match.start(), start + match.end())
                    break
    return tuple(found[code] for code in P.VISIBILITY if code in found)


_MONETARY_ACTION = (
    rf"{P.SUSPEND_WORD}|{P.TERMINATE_WORD}|demoneti\w*|no longer eligible|disabled|removed|"
    r"entzogen|deaktiviert|retiré\w*|désactivé\w*|retirad\w*|desactivad\w*|revocat\w*|"
    r"disattivat\w*|odebran\w*|wyłączon\w*|ingetrokken|uitgeschakeld"
)


def _monetary(doc: _Text) -> Extracted[str] | None:
    for start, sentence in doc.sentences():
        match = _rx(P.MONETARY).search(sentence)
        if not match:  # no negation check: "no longer eligible for monetisation" is the measure
            continue
        if not (_rx(_MONETARY_ACTION).search(sentence) or "demoneti" in match.group(0).lower()):
            continue
        code = (
            "DECISION_MONETARY_TERMINATION"
            if _rx(P.TERMINATE_WORD).search(sentence)
            else "DECISION_MONETARY_SUSPENSION"
        )
        return doc.extracted(code, start + match.start(), start + match.end())
    return None


def _provision(doc: _Text) -> Extracted[str] | None:
    for start, sentence in doc.sentences():
        match = _rx(P.PROVISION).search(sentence)
        if not match or _negated(sentence, match.start()):
            continue
        terminated = _rx(P.TERMINATE_WORD).search(sentence)
        if not terminated and not _rx(P.SUSPEND_WORD).search(sentence):
            continue
        extent = "PARTIAL" if _rx(P.PARTIAL_WORD).search(sentence) else "TOTAL"
        kind = "TERMINATION" if terminated else "SUSPENSION"
        return doc.extracted(
            f"DECISION_PROVISION_{extent}_{kind}", start + match.start(), start + match.end()
        )
    return None


# --- grounds -----------------------------------------------------------------------------


def _first_unnegated(doc: _Text, pattern: str) -> tuple[int, int] | None:
    for start, sentence in doc.sentences():
        for match in _rx(pattern).finditer(sentence):
            if not _negated(sentence, match.start()):
                return start + match.start(), start + match.end()
    return None


def _label_value(doc: _Text, label: str) -> Extracted[str] | None:
    match = _rx(rf"(?:^|\n)[ \t*-]*{label}\s*[:\-–]\s*([^\n]{{2,200}})").search(doc.text)
    if not match:
        return None
    value = match.group(1).strip().rstrip(".")
    return doc.extracted(value, match.start(1), match.end(1))


_POLICY_NAMED = (
    r"(?:Community Standards?|Community Guidelines|Terms of (?:Service|Use)|[Pp]olic(?:y|ies)|"
    r"Gemeinschaftsstandards|Community-Richtlinien|Richtlinien?|standards de la communauté|"
    r"règles de la communauté|normas comunitarias|normas de la comunidad|standard della community|"
    r"linee guida della community|standard\w* społeczności|zasad\w* społeczności|"
    r"communitynormen|communityrichtlijnen)"
    r"\s+(?:on|regarding|about|against|zu|zum|zur|über|sur|concernant|relatives? à|sobre|en materia de|"
    r"relati(?:ves?|fs?) aux?|su|in materia di|relative a|dotycząc\w*|w zakresie|over|inzake|"
    r"met betrekking tot)\s+"
    r"([^\n.,;:()]{3,60})"
)
_POLICY_BEFORE = (
    r"\b(?:our|unsere[nmr]?|notre|nos|nuestra|nuestras|la nostra|le nostre|nasz\w*|onze)\s+"
    r"([\w&'’ -]{3,50}?)\s+(?:policy|Policy|Richtlinie|politique|política|normativa|polityk\w*|beleid)"
)


def _grounds(
    doc: _Text,
) -> tuple[Extracted[str] | None, Extracted[str] | None, Extracted[str] | None]:
    legal = _label_value(doc, P.LEGAL_GROUND_LABEL)
    contractual = _label_value(doc, P.CONTRACT_GROUND_LABEL)
    illegal = _first_unnegated(doc, P.ILLEGAL)
    incompatible = _first_unnegated(doc, P.INCOMPATIBLE)
    if legal is None and illegal is not None:
        start, end = doc.sentence_of(illegal[0])
        statute = _rx(P.STATUTE).search(doc.text, start, end)
        if statute:
            legal = doc.extracted(
                statute.group(0).strip().rstrip(".,;"), statute.start(), statute.end()
            )
    if contractual is None:
        for pattern in (_POLICY_NAMED, _POLICY_BEFORE):
            match = _rx(pattern).search(doc.text)
            if match:
                contractual = doc.extracted(
                    match.group(0).strip().rstrip("."), match.start(), match.end()
                )
                break
    ground: Extracted[str] | None = None
    if illegal is not None and incompatible is None:
        ground = doc.extracted("DECISION_GROUND_ILLEGAL_CONTENT", *illegal)
    elif incompatible is not None and illegal is None:
        ground = doc.extracted("DECISION_GROUND_INCOMPATIBLE_CONTENT", *incompatible)
    elif illegal is not None and incompatible is not None:
        # Both mentioned: only an explicit label decides.
        if legal is not None and contractual is None:
            ground = doc.extracted("DECISION_GROUND_ILLEGAL_CONTENT", legal.start, legal.end)
        elif contractual is not None and legal is None:
            ground = doc.extracted(
                "DECISION_GROUND_INCOMPATIBLE_CONTENT", contractual.start, contractual.end
            )
    return ground, legal, contractual


def _source(doc: _Text) -> Extracted[str] | None:
    found = {}
    for code, pattern in P.SOURCES.items():
        hit = _first_unnegated(doc, pattern)
        if hit:
            found[code] = hit
    if "SOURCE_TRUSTED_FLAGGER" in found:
        return doc.extracted("SOURCE_TRUSTED_FLAGGER", *found["SOURCE_TRUSTED_FLAGGER"])
    if len(found) == 1:
        code, hit = found.popitem()
        return doc.extracted(code, *hit)
    return None


# --- automation ----------------------------------------------------------------------------


def _automated_detection(doc: _Text) -> Extracted[str] | None:
    label = _rx(P.DETECTION_LABEL).search(doc.text)
    if label:
        value = "Yes" if label.group(1).lower() in P.YES_WORDS else "No"
        return doc.extracted(value, label.start(), label.end())
    values: dict[str, tuple[int, int]] = {}
    for start, sentence in doc.sentences():
        for match in _rx(P.DETECTION_YES).finditer(sentence):
            value = "No" if _negated(sentence, match.start()) else "Yes"
            values.setdefault(value, (start + match.start(), start + match.end()))
    if len(values) == 1:
        value, span = values.popitem()
        return doc.extracted(value, *span)
    return None


def _automated_decision(doc: _Text) -> Extracted[str] | None:
    label = _rx(P.DECISION_LABEL).search(doc.text)
    if label:
        said = label.group(1)
        value = None
        if _rx(
            P.DECISION_FULLY
            + r"|\b(?:fully|entièrement|vollständig|totalmente|completamente|w pełni|volledig)\b"
        ).search(said):
            value = "AUTOMATED_DECISION_FULLY"
        elif _rx(P.PARTIAL_WORD).search(said):
            value = "AUTOMATED_DECISION_PARTIALLY"
        elif _rx(P.NEGATION + r"|\b(?:nein|nee|manual\w*|manuel\w*|manuell)\b").search(said):
            value = "AUTOMATED_DECISION_NOT_AUTOMATED"
        if value:
            return doc.extracted(value, label.start(), label.end())
    found: dict[str, tuple[int, int]] = {}
    for code, pattern in (
        ("AUTOMATED_DECISION_FULLY", P.DECISION_FULLY),
        ("AUTOMATED_DECISION_PARTIALLY", P.DECISION_PARTIALLY),
        ("AUTOMATED_DECISION_NOT_AUTOMATED", P.DECISION_NOT),
    ):
        for start, sentence in doc.sentences():
            match = _rx(pattern).search(sentence)
            # "not solely automated" says only that it was not fully automated: unknown.
            if not match:
                continue
            if code.endswith("NOT_AUTOMATED"):
                if any(  # "nicht automatisiert erkannt" speaks of detection
                    d.start() < match.end() and match.start() < d.end()
                    for d in _rx(P.DETECTION_YES).finditer(sentence)
                ):
                    continue
            elif _negated(sentence, match.start()):
                continue
            found.setdefault(code, (start + match.start(), start + match.end()))
    if len(found) == 1:
        code, span = found.popitem()
        return doc.extracted(code, *span)
    return None


# --- scope, dates, ids, redress ------------------------------------------------------------


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for lang in LANGUAGES:
        territories = Locale.parse(lang).territories
        for code in EEA_COUNTRIES:
            names[territories[code].lower()] = code
    names["the netherlands"] = "NL"
    return names


@lru_cache(maxsize=1)
def _country_alternation() -> str:
    return "|".join(re.escape(n) for n in sorted(_country_names(), key=len, reverse=True))


@lru_cache(maxsize=1)
def _country_rx() -> re.Pattern[str]:
    return re.compile(rf"\b({_country_alternation()})\b", _FLAGS)


_IN = (
    r"\b(?:in|across|throughout|within|dans|en|au|aux|im|innerhalb|nel|nella|nell'|w|na terenie|"
    r"binnen)\s+(?:the\s+|l'|la\s+|le\s+|die\s+|der\s+|de\s+|het\s+|el\s+)?"
)


def _codes_in(value: str) -> tuple[str, ...]:
    if _rx(P.EEA_WIDE).search(value):
        return ("EEA",)
    codes = {"GR" if c == "EL" else c for c in re.findall(r"\b([A-Z]{2})\b", value)}
    codes &= EEA_COUNTRIES
    codes |= {_country_names()[m.lower()] for m in _country_rx().findall(value)}
    return tuple(sorted(codes))


def _scope(doc: _Text) -> Extracted[tuple[str, ...]] | None:
    label = _rx(P.SCOPE_LABEL).search(doc.text)
    if label:
        codes = _codes_in(label.group(1))
        if codes:
            return doc.extracted(codes, label.start(), label.end())
    for start, sentence in doc.sentences():
        if not _rx(P.SCOPE_CONTEXT).search(sentence) and not any(
            _rx(pattern).search(sentence) for pattern in P.VISIBILITY.values()
        ):
            continue
        wide = _rx(_IN + rf"(?:{P.EEA_WIDE})").search(sentence) or _rx(
            r"\b(?:worldwide|globally|weltweit|dans le monde entier|en todo el mundo|"
            r"in tutto il mondo|na całym świecie|wereldwijd)\b"
        ).search(sentence)
        if wide:
            return doc.extracted(("EEA",), start + wide.start(), start + wide.end())
        named = [m for m in re.finditer(_IN + rf"({_country_alternation()})\b", sentence, _FLAGS)]
        if named:
            codes = tuple(sorted({_country_names()[m.group(1).lower()] for m in named}))
            return doc.extracted(codes, start + named[0].start(), start + named[-1].end())
    return None


@lru_cache(maxsize=1)
def _month_names() -> dict[str, int]:
    months: dict[str, int] = {}
    for lang in LANGUAGES:
        locale = Locale.parse(lang)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    months[name.lower().rstrip(".")] = number
    return months


def _date_rx() -> str:
    names = "|".join(sorted((re.escape(n) for n in _month_names()), key=len, reverse=True))
    return (
        r"(?P<iso>\d{4}-\d{2}-\d{2})|"
        r"(?P<num>\d{1,2})[./](?P<nmon>\d{1,2})[./](?P<nyear>\d{4})|"
        rf"(?P<day>\d{{1,2}})(?:er|\.|º)?\s+(?:de\s+)?(?P<mon>{names})\.?\s+(?:de\s+)?(?P<year>\d{{4}})|"
        rf"(?P<mon2>{names})\.?\s+(?P<day2>\d{{1,2}}),?\s+(?P<year2>\d{{4}})"
    )


def _to_date(match: re.Match[str]) -> date | None:
    try:
        if match["iso"]:
            return date.fromisoformat(match["iso"])
        if match["num"]:
            return date(int(match["nyear"]), int(match["nmon"]), int(match["num"]))
        if match["mon"]:
            return date(int(match["year"]), _month_names()[match["mon"].lower()], int(match["day"]))
        return date(int(match["year2"]), _month_names()[match["mon2"].lower()], int(match["day2"]))
    except ValueError:
        return None


def _end_date(doc: _Text) -> Extracted[date] | None:
    for match in _rx(rf"\b{P.UNTIL}\s+(?:{_date_rx()})").finditer(doc.text):
        value = _to_date(match)
        if value:
            return doc.extracted(value, match.start(), match.end())
    return None


_UNITS = (
    ("PT{}H", r"^(?:hour|heure|stund|hora|ora$|ore$|godzin|uur|uren)"),
    ("P{}W", r"^(?:week|semaine|woche|semana|settiman|tygod|weken)"),
    ("P{}M", r"^(?:month|mois|monat|mes|miesi|maand)"),
    ("P{}D", r""),
)


def _duration(doc: _Text) -> tuple[Extracted[str] | None, Extracted[bool] | None]:
    appeal = _rx(P.REDRESS["INTERNAL_COMPLAINT"])
    duration = indefinite = None
    for start, sentence in doc.sentences():
        if appeal.search(sentence):
            continue  # "you can appeal for 6 months" is not the measure's duration
        match = _rx(P.DURATION).search(sentence)
        if match and duration is None:
            unit = match.group(2).lower()
            template = next(t for t, rx in _UNITS if re.search(rx, unit, _FLAGS))
            duration = doc.extracted(
                template.format(int(match.group(1))), start + match.start(), start + match.end()
            )
        forever = _rx(P.INDEFINITE).search(sentence)
        if forever and indefinite is None:
            indefinite = doc.extracted(True, start + forever.start(), start + forever.end())
    return duration, indefinite


def _puid(doc: _Text) -> Extracted[str] | None:
    labelled = list(_rx(P.PUID_LABEL).finditer(doc.text))
    content_labels = _rx(r"^(?:content|post|video|inhalt|identifiant|ID|identyfikator|inhouds)")
    for match in labelled:
        if content_labels.search(match.group(0)):
            return doc.extracted(match.group(1).rstrip(".,;"), match.start(1), match.end(1))
    for pattern in P.PUID_URLS:
        url = _rx(pattern).search(doc.text)
        if url:
            return doc.extracted(url.group(1), url.start(1), url.end(1))
    if labelled:
        match = labelled[0]
        return doc.extracted(match.group(1).rstrip(".,;"), match.start(1), match.end(1))
    return None


def _redress(doc: _Text) -> tuple[Extracted[str], ...]:
    found = []
    for code, pattern in P.REDRESS.items():
        match = _rx(pattern).search(doc.text)
        if match:
            found.append(doc.extracted(code, match.start(), match.end()))
    return tuple(found)


def parse_statement(text: str) -> ParsedStatement:
    """Extract the Art 17 / Transparency Database fields from a statement's text."""
    doc = _Text(text)
    account, account_sentences = _account(doc)
    ground, legal, contractual = _grounds(doc)
    duration, indefinite = _duration(doc)
    return ParsedStatement(
        decision_visibility=_visibility(doc, account_sentences),
        decision_account=account,
        decision_monetary=_monetary(doc),
        decision_provision=_provision(doc),
        decision_ground=ground,
        illegal_content_legal_ground=legal,
        incompatible_content_ground=contractual,
        source_type=_source(doc),
        automated_detection=_automated_detection(doc),
        automated_decision=_automated_decision(doc),
        territorial_scope=_scope(doc),
        end_date=_end_date(doc),
        duration=duration,
        indefinite=indefinite,
        puid=_puid(doc),
        redress=_redress(doc),
    )
