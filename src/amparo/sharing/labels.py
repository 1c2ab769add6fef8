"""Shared items' fields and figures in words: every code has a translated label."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.core.platforms import platform_name
from amparo.intake.choices import Identity, IncidentType
from amparo.intake.models import RiskPeriod

FIELD_LABELS = {
    "platform": gettext_lazy("Platform"),
    "incident_type": gettext_lazy("Incident type"),
    "country": gettext_lazy("Country"),
    "week": gettext_lazy("Week"),
    "at_risk_group": gettext_lazy("At-risk group"),
    "narrative": gettext_lazy("What happened"),
    "accounts": gettext_lazy("Attacker accounts"),
    "urls": gettext_lazy("URLs"),
    "fingerprints": gettext_lazy("Text fingerprints"),
    "pattern": gettext_lazy("The campaign's pattern"),
    "accounts_count": gettext_lazy("Attacker accounts, shared only as keyed hashes"),
    "urls_count": gettext_lazy("URLs, shared only as keyed hashes"),
    "reference": gettext_lazy("Reference"),
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "kind": gettext_lazy("Kind of period"),
    "starts_on": gettext_lazy("First day"),
    "ends_on": gettext_lazy("Last day"),
    "note": gettext_lazy("Note"),
}
#: Fields whose values are identifiers, shown as literals (``<code>``).
LITERAL = {"accounts", "urls", "fingerprints"}


def value_label(name: str, value: Any) -> str:
    """A code of a field in words (the value itself when it is not a code)."""
    text = str(value or "")
    if not text:
        return "—"
    if name == "platform":
        return platform_name(text)
    for field, choices in (
        ("incident_type", IncidentType),
        ("at_risk_group", Identity),
        ("kind", RiskPeriod.Kind),
    ):
        if name == field:
            return str(dict(choices.choices).get(text, _("Other")))
    return text


def field_rows(fields: dict[str, Any]) -> list[tuple[str, bool, list[str] | str]]:
    """(label, literal, value or values) for each known field of an item, in a fixed order."""
    rows: list[tuple[str, bool, list[str] | str]] = []
    for name, label in FIELD_LABELS.items():
        if name not in fields:
            continue
        value = fields[name]
        if isinstance(value, list):
            rows.append((str(label), name in LITERAL, [str(v) for v in value]))
        else:
            rows.append((str(label), False, value_label(name, value)))
    return rows
