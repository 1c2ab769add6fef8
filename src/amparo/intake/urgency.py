"""Urgency of a report: the triage engine's rules plus the register of heightened-risk periods.

The heightened-risk period that applies to an organisation, a country and a day is remembered
by each server process for ``RISK_PERIOD_CACHE_SECONDS``. Registering or deleting a period
forgets them at once in the process that saved it; other processes see it within that time.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from amparo.core.ttl import TTLCache
from amparo.engines.triage import UrgencyInput, score_urgency
from amparo.intake.choices import URGENCY_ORDER
from amparo.intake.models import Report, RiskPeriod

RISK_PERIOD_CACHE_SECONDS = 60

_periods: TTLCache[RiskPeriod | None] = TTLCache(RISK_PERIOD_CACHE_SECONDS)


def active_risk_period(organisation: Any, country: str, on: Any) -> RiskPeriod | None:
    if not country:
        return None
    org_id = getattr(organisation, "pk", organisation)
    return _periods.get_or_set(
        (org_id, country, on),
        lambda: (
            RiskPeriod.objects.filter(country=country, starts_on__lte=on, ends_on__gte=on)
            .filter(Q(organisation=org_id) | Q(organisation__isnull=True))
            .order_by("starts_on")
            .first()
        ),
    )


@receiver(post_save, sender=RiskPeriod)
@receiver(post_delete, sender=RiskPeriod)
def forget_risk_periods(**_kwargs: Any) -> None:
    _periods.clear()


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
