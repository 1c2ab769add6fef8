"""Read a platform's statement of reasons (DSA Art 17) into Transparency Database fields.

``parse_statement(text)`` takes the e-mail or in-app notice a platform sent (English,
French, German, Spanish, Italian, Polish, Dutch, Arabic, Russian, Turkish, Portuguese, or a
mix) and returns a :class:`ParsedStatement` whose values are Transparency Database enum codes
(see ``tdb-schema``: ``DECISION_VISIBILITY_CONTENT_REMOVED``,
``DECISION_GROUND_INCOMPATIBLE_CONTENT``, ``AUTOMATED_DECISION_FULLY``...). Every value is an
:class:`Extracted` carrying the sentence it came from, so a caseworker can check it. When the
text is silent or contradicts itself the field is ``None`` (or empty): the parser never
guesses.

Art 17(3) DSA lists what a statement must contain: (a) the measure, its territorial scope
and duration; (b) the facts, and whether it followed a notice or was taken on the provider's
own initiative; (c) the use of automated means in detection and decision; (d) the legal
ground for illegal content or (e) the contractual ground for incompatible content; (f) the
redress possibilities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale

from . import _sor_patterns as P
from ._sor_text import (
    FLAGS,
    Extracted,
    Text,
    clause,
    conditional,
    generic,
    negated,
    rx,
)
from ._sor_time import decision_date, duration, end_date
from .clocks import MEMBER_STATE_TIMEZONES

__all__ = ["EEA_COUNTRIES", "Extracted", "ParsedStatement", "parse_statement"]

#: EEA country codes as the Transparency Database writes them (Greece is GR).
EEA_COUNTRIES = frozenset(MEMBER_STATE_TIMEZONES)  # the 27 EU states, IS, LI and NO
LANGUAGES = tuple(P.LANGUAGE_WORDS)


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
    decision_date: Extracted[date] | None = None  # the TDB's application_date

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
            "application_date": self.decision_date.value.isoformat()
            if self.decision_date
            else None,
            "platform_uid": val(self.puid),
        }


def _near(a: str, b: str, after: int = 10, before: int = 6) -> str:
    """``a`` then ``b`` within ``after`` words (verb-final languages need room), or ``b`` then
    ``a`` within ``before`` words."""
    return (
        rf"\b(?:{a})\b\W+(?:\S+\s+){{0,{after}}}?{b}|"
        rf"{b}\W+(?:\S+\s+){{0,{before}}}?\b(?:{a})\b"
    )


# --- decision ----------------------------------------------------------------------------

_ACCOUNT_VERBS = (
    ("terminated", P.ACCOUNT_TERMINATED),
    ("suspended", P.ACCOUNT_SUSPENDED),
    ("restricted", P.ACCOUNT_RESTRICTED),
)


def _account_code(kind: str, sentence: str, around: str) -> str | None:
    """Termination or suspension: "permanently" makes any measure a termination; a ban or a
    block with no word on its length stays unknown unless the sentence gives an end."""
    if kind == "terminated" or rx(P.PERMANENT).search(around):
        return "DECISION_ACCOUNT_TERMINATED"
    if kind == "suspended":
        return "DECISION_ACCOUNT_SUSPENDED"
    temporary = (
        rx(P.TEMPORARY).search(sentence)
        or rx(P.DURATION).search(sentence)
        or rx(rf"\b{P.UNTIL}\s+\d").search(sentence)
        or rx(rf"\d{{4}}\s+{P.UNTIL_AFTER}\b").search(sentence)
    )
    return "DECISION_ACCOUNT_SUSPENDED" if temporary else None


def _account(doc: Text) -> tuple[Extracted[str] | None, set[int]]:
    """The account measure, and the sentences that speak of one (to skip for visibility)."""
    found: Extracted[str] | None = None
    account_sentences: set[int] = set()
    for start, sentence in doc.sentences():
        if rx(P.MONETARY).search(sentence) or rx(P.PROVISION).search(sentence):
            continue  # "monetisation on your channel was suspended" is not an account measure
        for kind, verb in _ACCOUNT_VERBS:
            for match in rx(_near(P.ACCOUNT, rf"\b(?:{verb})\b")).finditer(sentence):
                if negated(sentence, match.start()) or rx(P.NEGATION).search(match.group(0)):
                    continue
                if conditional(sentence, match.start(), match.end()):
                    continue  # "if you don't appeal, your account will be disabled"
                account_sentences.add(start)
                around = clause(sentence, match.start(), match.end())
                code = _account_code(kind, sentence, around)
                if code and (found is None or code > found.value):  # TERMINATED > SUSPENDED
                    found = doc.extracted(code, start + match.start(), start + match.end())
    return found, account_sentences


def _visibility(doc: Text, skip: set[int]) -> tuple[Extracted[str], ...]:
    found: dict[str, Extracted[str]] = {}
    for start, sentence in doc.sentences():
        if start in skip and not rx(rf"\b(?:{P.CONTENT})\b").search(sentence):
            continue
        for code, pattern in P.VISIBILITY.items():
            if code in found:
                continue
            for match in rx(pattern).finditer(sentence):
                if negated(sentence, match.start()):
                    continue
                if conditional(sentence, match.start(), match.end()):
                    continue
                found[code] = doc.extracted(code, start + match.start(), start + match.end())
                break
    return tuple(found[code] for code in P.VISIBILITY if code in found)


def _monetary(doc: Text) -> Extracted[str] | None:
    action = rf"{P.SUSPEND_WORD}|{P.TERMINATE_WORD}|demoneti\w*|\b{P.MONETARY_ACTION}"
    for start, sentence in doc.sentences():
        match = rx(P.MONETARY).search(sentence)
        if not match:  # no negation check: "no longer eligible for monetisation" is the measure
            continue
        if not (rx(action).search(sentence) or "demoneti" in match.group(0).lower()):
            continue
        code = (
            "DECISION_MONETARY_TERMINATION"
            if rx(P.TERMINATE_WORD).search(sentence)
            else "DECISION_MONETARY_SUSPENSION"
        )
        return doc.extracted(code, start + match.start(), start + match.end())
    return None


def _provision(doc: Text) -> Extracted[str] | None:
    for start, sentence in doc.sentences():
        match = rx(P.PROVISION).search(sentence)
        if not match or negated(sentence, match.start()):
            continue
        terminated = rx(P.TERMINATE_WORD).search(sentence)
        if not terminated and not rx(P.SUSPEND_WORD).search(sentence):
            continue
        extent = "PARTIAL" if rx(P.PARTIAL_WORD).search(sentence) else "TOTAL"
        kind = "TERMINATION" if terminated else "SUSPENSION"
        return doc.extracted(
            f"DECISION_PROVISION_{extent}_{kind}", start + match.start(), start + match.end()
        )
    return None


# --- grounds -----------------------------------------------------------------------------


def _first_unnegated(doc: Text, pattern: str) -> tuple[int, int] | None:
    for start, sentence in doc.sentences():
        for match in rx(pattern).finditer(sentence):
            if not negated(sentence, match.start()):
                return start + match.start(), start + match.end()
    return None


def _label_value(doc: Text, label: str) -> Extracted[str] | None:
    """The value after "Label:" at the start of a line or sentence, up to the sentence's end."""
    pattern = (
        rf"(?:^|\n|(?<=[.!?])[ \t]+)[ \t*•-]*(?:\d+[.)]\s*)?(?:{label})\s*[:：\-–]\s*"
        r"([^\n]{2,200})"
    )
    match = rx(pattern).search(doc.text)
    if not match:
        return None
    end = min(match.end(1), doc.sentence_of(match.start(1))[1])
    value = doc.text[match.start(1) : end].strip().rstrip(".")
    return doc.extracted(value, match.start(1), match.start(1) + len(value)) if value else None


def _rule_negated(sentence: str, start: int, end: int) -> bool:
    """Negated: "does not violate our Community Standards". Not negated: "doesn't follow our
    Community Standards", a violation said with a negation."""
    if rx(P.NOT_FOLLOW).search(sentence[max(0, start - 60) : end + 60]):
        return False
    return negated(sentence, start, end)


_TOPIC_END = r"\b(?:because|so|weil|denn|car|porque|perché|ponieważ|omdat|لأن|так как|çünkü)\b"


def _rule_text(sentence: str, match: re.Match[str], with_topic: bool) -> tuple[str, int]:
    """The named rule, with its topic ("Community Standards on hate speech"), without "our"."""
    end = match.end()
    if with_topic:
        topic = rx(rf"\s+(?:{P.RULE_TOPIC})\s+[^\n.;:()!?،,]{{2,80}}").match(sentence, end)
        if topic:
            text = topic.group(0)
            stop = rx(rf"{P.VIOLATES}|{_TOPIC_END}").search(text)
            end = end + (stop.start() if stop else len(text))
    text = sentence[match.start() : end].strip().rstrip(".,;:'’")
    possessive = rx(rf"^{P.POSSESSIVE}\s+").match(text)
    if possessive:
        text = text[possessive.end() :]
    return re.sub(r"['’](?:[^\W\d_]){1,4}$", "", text.strip()), end


def _rule_mentions(doc: Text) -> list[tuple[int, int, str, bool]]:
    """Rules named and not negated: (start, end, text, in a sentence that says "violates")."""
    mentions = []
    for start, sentence in doc.sentences():
        if generic(sentence):
            continue
        violation = any(
            not negated(sentence, m.start()) or rx(P.NOT_FOLLOW).search(m.group(0))
            for m in rx(P.VIOLATES).finditer(sentence)
        )
        for pattern, with_topic in ((P.RULES, True), (P.POLICY, False)):
            for match in rx(pattern).finditer(sentence):
                if _rule_negated(sentence, match.start(), match.end()):
                    continue
                text, end = _rule_text(sentence, match, with_topic)
                if text:
                    mentions.append((start + match.start(), start + end, text, violation))
    mentions.sort(key=lambda m: (m[0], -m[1]))
    return mentions


def _contractual(doc: Text, mentions: list[tuple[int, int, str, bool]]) -> Extracted[str] | None:
    """The rule the content broke: the first one named in a sentence that says it was broken,
    or the first one named at all; a later, longer naming of the same rule (with its topic)
    is kept instead."""
    if not mentions:
        return None
    chosen = next((m for m in mentions if m[3]), mentions[0])
    for mention in mentions:
        longer = mention[0] > chosen[0] and len(mention[2]) > len(chosen[2])
        if longer and mention[2].casefold().startswith(chosen[2].casefold()):
            chosen = mention
    return doc.extracted(chosen[2], chosen[0], chosen[1])


def _grounds(
    doc: Text,
) -> tuple[Extracted[str] | None, Extracted[str] | None, Extracted[str] | None]:
    legal_label = _label_value(doc, P.LEGAL_GROUND_LABEL)
    contract_label = _label_value(doc, P.CONTRACT_GROUND_LABEL)
    mentions = _rule_mentions(doc)
    illegal = _first_unnegated(doc, P.ILLEGAL)
    incompatible = _first_unnegated(doc, P.GENERIC_RULES)
    if mentions:
        incompatible = mentions[0][0], mentions[0][1]
    if illegal is None and legal_label is not None:
        illegal = legal_label.start, legal_label.end
    if incompatible is None and contract_label is not None:
        incompatible = contract_label.start, contract_label.end
    legal = legal_label
    if legal is None and illegal is not None:
        start, end = doc.sentence_of(illegal[0])
        statute = rx(P.STATUTE).search(doc.text, start, end)
        if statute:
            legal = doc.extracted(
                statute.group(0).strip().rstrip(".,;"), statute.start(), statute.end()
            )
    contractual = contract_label or _contractual(doc, mentions)
    ground: Extracted[str] | None = None
    if illegal is not None and incompatible is None:
        ground = doc.extracted("DECISION_GROUND_ILLEGAL_CONTENT", *illegal)
    elif incompatible is not None and illegal is None:
        ground = doc.extracted("DECISION_GROUND_INCOMPATIBLE_CONTENT", *incompatible)
    elif illegal is not None and incompatible is not None:
        # Both mentioned: only an explicit label decides.
        if legal_label is not None and contract_label is None:
            ground = doc.extracted(
                "DECISION_GROUND_ILLEGAL_CONTENT", legal_label.start, legal_label.end
            )
        elif contract_label is not None and legal_label is None:
            ground = doc.extracted(
                "DECISION_GROUND_INCOMPATIBLE_CONTENT", contract_label.start, contract_label.end
            )
    return ground, legal, contractual


def _source(doc: Text) -> Extracted[str] | None:
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


def _no_automation(doc: Text) -> dict[str, tuple[int, int]]:
    """Sentences saying "no automated means were used" (to detect, in this decision): which
    of detection and decision each speaks of (both when it names neither or both)."""
    found: dict[str, tuple[int, int]] = {}
    for start, sentence in doc.sentences():
        for match in rx(P.AUTO_MEANS).finditer(sentence):
            if not negated(sentence, match.start(), match.end()):
                continue
            detection = bool(rx(P.DETECTED).search(sentence))
            decision = bool(rx(P.DECISION_WORD).search(sentence))
            span = start + match.start(), start + match.end()
            if detection or not decision:
                found.setdefault("detection", span)
            if decision or not detection:
                found.setdefault("decision", span)
    return found


def _automated_detection(doc: Text) -> Extracted[str] | None:
    label = rx(P.DETECTION_LABEL).search(doc.text)
    if label:
        return doc.extracted("Yes" if label.group("yes") else "No", label.start(), label.end())
    values: dict[str, tuple[int, int]] = {}
    for start, sentence in doc.sentences():
        if generic(sentence):
            continue
        for match in rx(P.DETECTION_YES).finditer(sentence):
            value = "No" if negated(sentence, match.start(), match.end()) else "Yes"
            values.setdefault(value, (start + match.start(), start + match.end()))
    if "detection" in (none := _no_automation(doc)):
        values.setdefault("No", none["detection"])
    if len(values) == 1:
        value, span = values.popitem()
        return doc.extracted(value, *span)
    return None


def _labelled_decision(doc: Text) -> Extracted[str] | None:
    label = rx(P.DECISION_LABEL).search(doc.text)
    if not label:
        return None
    said = label.group(1)
    value = None
    if rx(
        P.DECISION_FULLY + r"|\b(?:fully|entièrement|vollständig|totalmente|completamente|"
        r"w pełni|volledig|полностью|tamamen|بالكامل)\b"
    ).search(said):
        value = "AUTOMATED_DECISION_FULLY"
    elif rx(P.PARTIAL_WORD).search(said):
        value = "AUTOMATED_DECISION_PARTIALLY"
    elif rx(rf"{P.NEGATION}|{P.NO}|\b(?:manual\w*|manuel\w*|manuell)\b").search(said):
        value = "AUTOMATED_DECISION_NOT_AUTOMATED"
    return doc.extracted(value, label.start(), label.end()) if value else None


def _overlaps(a: re.Match[str], others: list[re.Match[str]]) -> bool:
    return any(o.start() < a.end() and a.start() < o.end() for o in others)


def _not_the_decision(sentence: str, match: re.Match[str]) -> bool:
    """Not a fully automated decision: "Die Entscheidung wurde teilweise automatisiert";
    "the decision ... content detected automatically" (the adverb is the detection's)."""
    if rx(rf"{P.PARTIAL_WORD}|{P.NEGATION}").search(match.group(0)):
        return True
    adverb = list(rx(P.AUTO_ADVERB).finditer(match.group(0)))[-1]
    before = sentence[match.start() : match.start() + adverb.start()]
    return bool(rx(rf"{P.DETECTED}\s+(?:\S+\s+){{0,2}}$").search(before))


def _automated_decision(doc: Text) -> Extracted[str] | None:
    labelled = _labelled_decision(doc)
    if labelled:
        return labelled
    found: dict[str, tuple[int, int]] = {}
    for start, sentence in doc.sentences():
        if generic(sentence):
            continue
        detections = list(rx(P.DETECTION_YES).finditer(sentence))
        for code, pattern in (
            ("AUTOMATED_DECISION_FULLY", P.DECISION_FULLY),
            ("AUTOMATED_DECISION_FULLY", P.DECISION_AUTOMATIC),
            ("AUTOMATED_DECISION_PARTIALLY", P.DECISION_PARTIALLY),
            ("AUTOMATED_DECISION_NOT_AUTOMATED", P.DECISION_NOT),
        ):
            for match in rx(pattern).finditer(sentence):
                # "not solely automated" says only that it was not fully automated: unknown.
                if negated(sentence, match.start()):
                    continue
                if pattern is P.DECISION_AUTOMATIC and _not_the_decision(sentence, match):
                    continue
                if code.endswith("NOT_AUTOMATED") and _overlaps(match, detections):
                    continue  # "nicht automatisiert erkannt" speaks of detection
                found.setdefault(code, (start + match.start(), start + match.end()))
    if "decision" in (none := _no_automation(doc)):
        found.setdefault("AUTOMATED_DECISION_NOT_AUTOMATED", none["decision"])
    if set(found) == {"AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"}:
        del found["AUTOMATED_DECISION_NOT_AUTOMATED"]  # a person reviewed a partly automated one
    if len(found) == 1:
        code, span = found.popitem()
        return doc.extracted(code, *span)
    return None


# --- scope, ids, redress ----------------------------------------------------------------------


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
    return re.compile(rf"\b({_country_alternation()})\b", FLAGS)


def _codes_in(value: str) -> tuple[str, ...]:
    if rx(P.EEA_WIDE).search(value):
        return ("EEA",)
    codes = {"GR" if c == "EL" else c for c in re.findall(r"\b([A-Z]{2})\b", value)}
    codes &= EEA_COUNTRIES
    codes |= {_country_names()[m.lower()] for m in _country_rx().findall(value)}
    return tuple(sorted(codes))


def _scope(doc: Text) -> Extracted[tuple[str, ...]] | None:
    label = rx(P.SCOPE_LABEL).search(doc.text)
    if label:
        codes = _codes_in(label.group(1))
        if codes:
            return doc.extracted(codes, label.start(), label.end())
    for start, sentence in doc.sentences():
        if not rx(P.SCOPE_CONTEXT).search(sentence) and not any(
            rx(pattern).search(sentence) for pattern in P.VISIBILITY.values()
        ):
            continue
        wide = rx(P.IN + P.EEA_WIDE).search(sentence) or rx(P.WORLDWIDE).search(sentence)
        if wide:
            return doc.extracted(("EEA",), start + wide.start(), start + wide.end())
        named = list(re.finditer(P.IN + rf"({_country_alternation()})\b", sentence, FLAGS))
        if named:
            codes = tuple(sorted({_country_names()[m.group(1).lower()] for m in named}))
            return doc.extracted(codes, start + named[0].start(), start + named[-1].end())
    return None


_CONTENT_ID_LABEL = (
    r"^(?:content|post|video|inhalt|identifiant|ID|identyfikator|inhouds|معر|идентификатор|"
    r"İçerik|içerik)"
)


def _puid(doc: Text) -> Extracted[str] | None:
    labelled = list(rx(P.PUID_LABEL).finditer(doc.text))
    for match in labelled:
        if rx(_CONTENT_ID_LABEL).search(match.group(0)):
            return doc.extracted(match.group(1).rstrip(".,;"), match.start(1), match.end(1))
    for pattern in P.PUID_URLS:
        url = rx(pattern).search(doc.text)
        if url:
            return doc.extracted(url.group(1), url.start(1), url.end(1))
    if labelled:
        match = labelled[0]
        return doc.extracted(match.group(1).rstrip(".,;"), match.start(1), match.end(1))
    return None


def _redress(doc: Text) -> tuple[Extracted[str], ...]:
    found = []
    for code, pattern in P.REDRESS.items():
        match = rx(pattern).search(doc.text)
        if match:
            found.append(doc.extracted(code, match.start(), match.end()))
    return tuple(found)


def parse_statement(text: str) -> ParsedStatement:
    """Extract the Art 17 / Transparency Database fields from a statement's text."""
    doc = Text(text)
    account, account_sentences = _account(doc)
    ground, legal, contractual = _grounds(doc)
    stated_duration, indefinite = duration(doc)
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
        end_date=end_date(doc),
        duration=stated_duration,
        indefinite=indefinite,
        puid=_puid(doc),
        redress=_redress(doc),
        decision_date=decision_date(doc),
    )
