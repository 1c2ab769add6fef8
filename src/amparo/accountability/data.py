"""The organisation's records reduced to what figures count: codes and dates, no content.

Only reports whose reporter agreed to be counted in statistics (``consent_statistics``), not
held as a possible flood and not erased, are counted. The self-described gender is decrypted
only to map it to a category (``amparo.engines.figures.gender``); the words are not kept here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q
from django.utils import timezone

from amparo.engines.figures.gender import categorise
from amparo.escalations.models import Escalation
from amparo.intake.choices import YesNo
from amparo.intake.models import Report, RiskPeriod
from amparo.remedies.models import RemedyStep

H72 = 72.0


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    platform: str = ""
    incident_type: str = ""
    country: str = ""

    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class Incident:
    day: date
    incident_type: str
    platform: str
    country: str
    language: str
    gender: str
    identities: list[str] = field(default_factory=list)


@dataclass
class Sent:
    day: date
    platform: str
    channel: str
    country: str
    incident_type: str
    hours: float | None  # to the first answer; None: pending
    outcome: str
    restored_days: float | None

    @property
    def timing(self) -> str:
        if self.hours is None:
            return "pending"
        return "within_72h" if self.hours <= H72 else "later"


@dataclass
class Appeal:
    day: date
    platform: str
    outcome: str


def _day(moment: Any) -> date:
    return timezone.localtime(moment).date()


def incidents(organisation: Any, f: Filters) -> list[Incident]:
    start = timezone.make_aware(datetime.combine(f.start, time.min))
    end = timezone.make_aware(datetime.combine(f.end, time.max))
    rows = Report.objects.filter(
        organisation=organisation,
        consent_statistics=YesNo.YES,
        held=False,
        erased_at__isnull=True,
        received_at__range=(start, end),
    ).select_related("data_key")
    if f.platform:
        rows = rows.filter(platform=f.platform)
    if f.incident_type:
        rows = rows.filter(incident_type=f.incident_type)
    if f.country:
        rows = rows.filter(country=f.country)
    out = []
    for r in rows.only(
        "received_at",
        "incident_type",
        "platform",
        "country",
        "language",
        "self_description",
        "data_key",
        "organisation_id",
    ).order_by("received_at"):
        described = r.self_description or {}
        out.append(
            Incident(
                day=_day(r.received_at),
                incident_type=r.incident_type,
                platform=r.platform,
                country=r.country,
                language=r.language,
                gender=categorise(str(described.get("gender") or "")),
                identities=sorted(set(described.get("identities") or [])),
            )
        )
    return out


def escalations(organisation: Any, f: Filters) -> list[Sent]:
    start = timezone.make_aware(datetime.combine(f.start, time.min))
    end = timezone.make_aware(datetime.combine(f.end, time.max))
    rows = Escalation.objects.filter(
        organisation=organisation, sent_at__range=(start, end)
    ).select_related("case")
    if f.platform:
        rows = rows.filter(platform=f.platform)
    if f.incident_type:
        rows = rows.filter(case__incident_type=f.incident_type)
    if f.country:
        rows = rows.filter(case__country=f.country)
    out = []
    for e in rows.only(
        "sent_at",
        "platform",
        "channel_code",
        "first_response_at",
        "outcome",
        "account_restored_on",
        "case__country",
        "case__incident_type",
    ).order_by("sent_at"):
        assert e.sent_at is not None
        hours = (
            (e.first_response_at - e.sent_at).total_seconds() / 3600
            if e.first_response_at
            else None
        )
        restored = (
            float((e.account_restored_on - _day(e.sent_at)).days) if e.account_restored_on else None
        )
        out.append(
            Sent(
                day=_day(e.sent_at),
                platform=e.platform,
                channel=e.channel_code,
                country=e.case.country,
                incident_type=e.case.incident_type,
                hours=max(hours, 0.0) if hours is not None else None,
                outcome=e.outcome,
                restored_days=restored,
            )
        )
    return out


def appeals(organisation: Any, f: Filters) -> list[Appeal]:
    rows = RemedyStep.objects.filter(
        organisation=organisation,
        status=RemedyStep.Status.DECIDED,
        decided_on__range=(f.start, f.end),
    ).select_related("decision__case")
    if f.platform:
        rows = rows.filter(decision__case__platform=f.platform)
    if f.incident_type:
        rows = rows.filter(decision__case__incident_type=f.incident_type)
    if f.country:
        rows = rows.filter(decision__case__country=f.country)
    return [
        Appeal(day=s.decided_on, platform=s.decision.case.platform, outcome=s.outcome)
        for s in rows.only("decided_on", "outcome", "decision__case__platform")
        if s.decided_on
    ]


def risk_periods(organisation: Any, start: date, end: date, country: str = "") -> list[RiskPeriod]:
    rows = RiskPeriod.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True),
        starts_on__lte=end,
        ends_on__gte=start,
    )
    if country:
        rows = rows.filter(country=country)
    return list(rows.order_by("starts_on"))


def risk_period(organisation: Any, period_id: Any) -> RiskPeriod | None:
    try:
        return RiskPeriod.objects.get(
            Q(organisation=organisation) | Q(organisation__isnull=True), pk=period_id
        )
    except (RiskPeriod.DoesNotExist, ValueError, TypeError):
        return None


def all_risk_periods(organisation: Any) -> list[RiskPeriod]:
    return list(
        RiskPeriod.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True)
        ).order_by("-starts_on")
    )
