"""Urgency of a report: the triage engine's rules plus the register of heightened-risk periods."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from amparo.engines.triage import UrgencyInput, score_urgency
from amparo.intake.choices import URGENCY_ORDER
from amparo.intake.models import Report, RiskPeriod


def active_risk_period(organisation: Any, country: str, on: Any) -> RiskPeriod | None:
    if not country:
        return None
    return (
        RiskPeriod.objects.filter(country=country, starts_on__lte=on, ends_on__gte=on)
        .filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .order_by("starts_on")
        .first()
    )


def assess(report: Report, *, text: str, identities: list[str]) -> None:
    """Set the report's urgency score, level, rank and readable reasons (codes, not prose)."""
    period = active_risk_period(report.organisation, report.country, report.received_at.date())
    result = score_urgency(
        UrgencyInput(
            incident_type=report.incident_type,
            text=text,
            language=report.detected_language or report.language,
            danger_now=report.danger_now,
            minor_involved=report.minor_involved,
            arrest_risk=report.arrest_risk,
            home_address_exposed=report.home_address_exposed,
            under_attack_now=report.under_attack_now,
            heightened_risk=period.kind if period else None,
            reporter_is_hrd_or_journalist=bool(
                {"journalist", "hrd", "woman_hrd"} & set(identities)
            ),
        )
    )
    report.urgency_score = result.score
    report.urgency_level = result.level
    report.urgency_rank = URGENCY_ORDER[result.level]
    # Codes only: the matched words are part of the encrypted narrative, so the report page
    # recomputes them from the decrypted text when a caseworker opens it.
    report.urgency_reasons = [
        {"code": r.code, "weight": r.weight, "source": r.source} for r in result.reasons
    ]
