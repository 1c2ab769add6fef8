"""Urgency scoring: which report a helpline should look at first.

A score is the sum of the weights of the reasons found, clamped to 0..100:

* **answers** the reporter gave on the form (``source="answer"``), which weigh most;
* the **incident type** the reporter chose (``source="answer"``), a base;
* **context**: a heightened-risk period in the reporter's country, the reporter being a
  human rights defender or journalist (``source="context"``);
* **text**: multilingual keyword patterns found in the report (``source="text"``,
  ``matched`` = the phrase found), and a postal address found in it.

A text reason that repeats what an answer or the incident type already says is kept for
the caseworker to see, with weight 0 (a minor mentioned in a report whose reporter ticked
"a minor is involved" counts once). ``violence_threat`` is dropped when a death or
sexual-violence threat was found. Levels: critical >= 70, high >= 45, medium >= 25,
low below. ``danger_now`` alone reaches critical. See docs/triage.md for every weight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from . import keywords
from .addresses import find_addresses

Source = Literal["answer", "text", "context"]
Level = Literal["critical", "high", "medium", "low"]

#: Level thresholds, highest first.
THRESHOLDS: tuple[tuple[Level, int], ...] = (("critical", 70), ("high", 45), ("medium", 25))

#: Weights of the reporter's explicit answers.
ANSWER_WEIGHTS = {
    "danger_now": 70,
    "home_address_exposed": 45,
    "minor_involved": 45,
    "arrest_risk": 45,
    "under_attack_now": 35,
}

#: Weights of context.
CONTEXT_WEIGHTS = {
    "heightened_risk": 15,
    "hrd_or_journalist": 5,
}

#: Base weight per incident type (reason code ``incident_<type>``).
INCIDENT_WEIGHTS = {
    "threats_of_violence": 45,
    "doxxing": 45,
    "ncii": 45,
    "internet_shutdown": 30,
    "account_hacked": 25,
    "account_suspended": 25,
    "false_mass_reporting": 25,
    "government_takedown": 25,
    "harassment": 20,
    "impersonation": 20,
    "smear_campaign": 20,
    "content_removed": 15,
    "reach_reduced": 10,
    "other": 10,
}

#: Weights of what the text says.
TEXT_WEIGHTS = {
    "death_threat": 40,
    "sexual_violence_threat": 35,
    "knows_location": 35,
    "arrest_or_detention": 30,
    "minor_mentioned": 30,
    "address_mentioned": 25,
    "intimate_images": 20,
    "active_takeover": 20,
    "violence_threat": 15,
}

#: Text reasons that an answer or incident type already covers (they then weigh 0).
COVERED_BY = {
    "home_address_exposed": {"address_mentioned"},
    "minor_involved": {"minor_mentioned"},
    "arrest_risk": {"arrest_or_detention"},
    "under_attack_now": {"active_takeover"},
    "incident_doxxing": {"address_mentioned"},
    "incident_threats_of_violence": {"violence_threat"},
    "incident_ncii": {"intimate_images"},
}

#: Text reasons made redundant by a stronger text reason.
SUBSUMED_BY = {
    "death_threat": {"violence_threat"},
    "sexual_violence_threat": {"violence_threat"},
}

URGENCY_REASON_CODES: dict[str, str] = {
    "danger_now": "The reporter says someone is in immediate danger",
    "home_address_exposed": "The reporter says a home address has been exposed",
    "minor_involved": "The reporter says a minor is involved",
    "arrest_risk": "The reporter says there is a risk of arrest",
    "under_attack_now": "The reporter says the account is being attacked right now",
    "heightened_risk": "A heightened-risk period in the reporter's country",
    "hrd_or_journalist": "The reporter is a human rights defender or journalist",
    **{f"incident_{t}": f"Incident type: {t.replace('_', ' ')}" for t in INCIDENT_WEIGHTS},
    "death_threat": "The report mentions a threat to kill",
    "sexual_violence_threat": "The report mentions rape or sexual violence",
    "violence_threat": "The report mentions threats or violence",
    "knows_location": "The report says attackers know where someone lives or will come",
    "address_mentioned": "The report mentions or contains a home address",
    "arrest_or_detention": "The report mentions arrest, detention, police or summons",
    "minor_mentioned": "The report mentions a child or minor",
    "active_takeover": "The report says an account is being taken over now",
    "intimate_images": "The report mentions intimate images or sextortion",
}

_SOURCE_ORDER = {"answer": 0, "context": 1, "text": 2}


@dataclass(frozen=True)
class Reason:
    code: str
    weight: int
    source: Source
    matched: str | None = None


@dataclass
class UrgencyInput:
    incident_type: str
    text: str
    language: str | None = None
    danger_now: bool = False
    minor_involved: bool = False
    arrest_risk: bool = False
    home_address_exposed: bool = False
    under_attack_now: bool = False
    heightened_risk: str | None = None
    reporter_is_hrd_or_journalist: bool = False


@dataclass(frozen=True)
class Urgency:
    score: int
    level: Level
    reasons: list[Reason] = field(default_factory=list)


def level_for(score: int) -> Level:
    for level, threshold in THRESHOLDS:
        if score >= threshold:
            return level
    return "low"


def _text_reasons(text: str, language: str | None) -> list[Reason]:
    found: dict[str, str] = {}
    for hit in keywords.scan(text, prefer=language):
        found.setdefault(hit.code, hit.matched)
    if "address_mentioned" not in found and isinstance(text, str):
        addresses = find_addresses(text[: keywords.MAX_SCAN_CHARS])
        if addresses:
            # The street word, not the address itself: reasons are shown and stored.
            found["address_mentioned"] = addresses[0].street_word
    for strong, weaker in SUBSUMED_BY.items():
        if strong in found:
            for code in weaker:
                found.pop(code, None)
    return [Reason(code, TEXT_WEIGHTS[code], "text", matched) for code, matched in found.items()]


def score_urgency(data: UrgencyInput) -> Urgency:
    """Score a report 0..100 and give the reasons, heaviest first."""
    reasons: list[Reason] = []
    incident = data.incident_type if data.incident_type in INCIDENT_WEIGHTS else "other"
    reasons.append(Reason(f"incident_{incident}", INCIDENT_WEIGHTS[incident], "answer"))
    for code, weight in ANSWER_WEIGHTS.items():
        if getattr(data, code, False):
            reasons.append(Reason(code, weight, "answer"))
    if data.heightened_risk:
        reasons.append(
            Reason(
                "heightened_risk",
                CONTEXT_WEIGHTS["heightened_risk"],
                "context",
                str(data.heightened_risk),
            )
        )
    if data.reporter_is_hrd_or_journalist:
        reasons.append(Reason("hrd_or_journalist", CONTEXT_WEIGHTS["hrd_or_journalist"], "context"))

    covered = set()
    for reason in reasons:
        covered |= COVERED_BY.get(reason.code, set())
    language = data.language if isinstance(data.language, str) else None
    for reason in _text_reasons(data.text if isinstance(data.text, str) else "", language):
        if reason.code in covered:
            reason = Reason(reason.code, 0, reason.source, reason.matched)
        reasons.append(reason)

    reasons.sort(key=lambda r: (-r.weight, _SOURCE_ORDER[r.source], r.code))
    score = max(0, min(100, sum(r.weight for r in reasons)))
    return Urgency(score=score, level=level_for(score), reasons=reasons)
