"""Demo data of the figures and transparency reports: six months of reports to Línea Segura
(Mexico), more of them during a demo election period, escalations with the platforms' answers,
and one transparency report published at its public address.

Everything is made through the services (reports submitted, cases opened, escalations sent by
hand and answered); only the days are then moved back into the six months, as a demo history
(a service records what happens today, and the figures need yesterday's).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone, translation

SLUG = "linea-segura"

PLATFORMS = ["facebook", "x", "instagram", "youtube", "tiktok"]
TYPES = [
    "harassment",
    "threats_of_violence",
    "account_suspended",
    "content_removed",
    "doxxing",
    "smear_campaign",
    "false_mass_reporting",
]
GENDERS = ["mujer", "Mujer", "hombre", "no binarie", "prefiero no decir", "", "mujer trans"]
IDENTITIES = [["journalist"], ["hrd"], ["woman_hrd", "journalist"], [], ["lgbtqi"]]
# (days before today it was sent, days to the answer or None, outcome, days to restoration)
ESCALATIONS: list[tuple[int, int | None, str, int | None]] = [
    (150, 2, "actioned", None),
    (130, 1, "reversed", 3),
    (120, 4, "partial", None),
    (95, 6, "not_actioned", None),
    (90, 3, "reversed", 5),
    (88, 1, "actioned", None),
    (80, 2, "reversed", 2),
    (78, None, "", None),
    (50, 3, "partial", None),
    (40, 2, "reversed", 4),
    (30, None, "", None),
    (10, None, "", None),
]


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def seed_accountability() -> None:
    from amparo.accountability import reports, services
    from amparo.accounts.models import Organisation, User
    from amparo.intake.models import RiskPeriod

    organisation = Organisation.objects.get(slug=SLUG)
    today = timezone.localdate()
    election = (today - timedelta(days=100), today - timedelta(days=70))
    RiskPeriod.objects.get_or_create(
        organisation=organisation,
        country="MX",
        kind=RiskPeriod.Kind.ELECTION,
        starts_on=election[0],
        ends_on=election[1],
        defaults={"note": "Elecciones (demo)"},
    )
    rng = random.Random(16)  # noqa: S311  (demo data, not secrets)
    days = []
    for _ in range(45):
        day = today - timedelta(days=rng.randint(1, 180))
        days.append(day)
    days += [election[0] + timedelta(days=rng.randint(0, 30)) for _ in range(25)]
    for i, day in enumerate(days):
        _report(
            organisation,
            day,
            platform=rng.choices(PLATFORMS, weights=[5, 4, 3, 2, 1])[0],
            incident_type=rng.choice(TYPES),
            gender=rng.choice(GENDERS),
            identities=rng.choice(IDENTITIES),
            language="es" if i % 5 else "en",
        )
    caseworker = User.objects.get(email=f"caseworker@{SLUG}.example.org")
    approver = User.objects.get(email=f"admin@{SLUG}.example.org")
    for i, (ago, answer, outcome, restored) in enumerate(ESCALATIONS):
        _escalation(
            organisation,
            caseworker,
            approver,
            platform=PLATFORMS[i % 3],
            sent_on=today - timedelta(days=ago),
            answer=answer,
            outcome=outcome,
            restored=restored,
        )
    coordinator = User.objects.get(email=f"coordinator@{SLUG}.example.org")
    end = today.replace(day=1) - timedelta(days=1)
    start = (end - timedelta(days=150)).replace(day=1)
    with translation.override("es"):
        services.publish(
            organisation,
            reports.Spec(
                title="Informe de transparencia (demo)",
                start=start,
                end=end,
                kinds=[
                    "by_month",
                    "by_type",
                    "by_platform",
                    "by_gender",
                    "escalation_timing",
                    "escalation_outcomes",
                ],
                public=True,
            ),
            actor=coordinator,
        )


def _report(organisation: Any, day: date, **fields: Any) -> Any:
    from amparo.intake.forms import ReportForm
    from amparo.intake.models import Report
    from amparo.intake.services import submit_report

    data: dict[str, Any] = {
        "incident_type": fields["incident_type"],
        "platform": fields["platform"],
        "country": "MX",
        "narrative": "Cuentas coordinadas me acosan después de publicar mi reportaje (demo).",
        "consent_contact": "no",
        "consent_share_identity": "no",
        "consent_collective": "ask",
        "consent_statistics": "yes",
        "gender": fields["gender"],
        "identities": fields["identities"],
    }
    form = ReportForm(data)
    if not form.is_valid():
        raise ValueError(f"demo report invalid: {form.errors.as_json()}")
    report = submit_report(
        organisation,
        form.report_fields(),
        channel="web_form",
        language=fields["language"],
        with_followup=False,
    ).report
    # The demo history: received on ``day`` (the service records today).
    Report.objects.filter(pk=report.pk).update(received_at=_noon(day))
    return report


def _escalation(
    organisation: Any,
    caseworker: Any,
    approver: Any,
    *,
    platform: str,
    sent_on: date,
    answer: int | None,
    outcome: str,
    restored: int | None,
) -> None:
    from amparo.cases.services import open_case
    from amparo.escalations import lifecycle
    from amparo.escalations import register as esc_register
    from amparo.escalations.models import Escalation
    from amparo.escalations.services import approve, create

    report = _report(
        organisation,
        sent_on,
        platform=platform,
        incident_type="account_suspended",
        gender="mujer",
        identities=["journalist"],
        language="es",
    )
    case = open_case(
        organisation, reports=[report], title="Cuenta suspendida (demo)", actor=caseworker
    )
    channel = esc_register.channels_for_case(case)[0]
    escalation = create(case, channel.code, actor=caseworker)
    if escalation.status == "awaiting_approval":
        approve(escalation, actor=approver)
    today = timezone.localdate()
    lifecycle.mark_sent_by_hand(escalation, actor=caseworker, sent_on=today)
    if answer is not None:
        lifecycle.record_response(
            escalation,
            actor=caseworker,
            received_on=today,
            outcome=outcome,
            account_restored_on=today if restored is not None else None,
        )
    # The demo history: sent, answered and restored on the days of the table above.
    answered_on = sent_on + timedelta(days=answer) if answer is not None else None
    Escalation.objects.filter(pk=escalation.pk).update(
        created_at=_noon(sent_on) - timedelta(hours=2),
        sent_at=_noon(sent_on),
        first_response_at=_noon(answered_on) if answered_on else None,
        response_received_on=answered_on,
        account_restored_on=sent_on + timedelta(days=restored) if restored is not None else None,
    )
