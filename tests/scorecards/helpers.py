"""Constructed data with known answers: cases, escalations, remedy steps and statement matches
written straight to the tables (the figures read tables; how rows get there is tested by their
own apps), plus a coordinator, Cora, for the Defenders Helpline."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

_refs = itertools.count(1)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def coordinator(people: Any) -> Any:
    from amparo.accounts import services
    from amparo.accounts.models import User
    from tests.conftest import PASSWORD

    cora = User.objects.create_user("cora@defenders.example", PASSWORD, display_name="Cora")
    services.add_member(people.org, cora, "coordinator", actor=None)
    return cora


def case(
    org: Any,
    *,
    platform: str = "facebook",
    incident_type: str = "harassment",
    country: str = "MX",
    language: str = "es",
    opened: datetime | None = None,
    status: str = "in_progress",
    outcome: str = "",
    restored_on: date | None = None,
    closed: datetime | None = None,
) -> Any:
    from amparo.cases.models import Case
    from amparo.keyring.services import organisation_key

    opened = opened or at("2026-03-02")
    c = Case(
        organisation=org,
        data_key=organisation_key(org),
        reference=f"T{next(_refs):07d}",
        status=status,
        outcome=outcome,
        account_restored_on=restored_on,
        incident_type=incident_type,
        platform=platform,
        country=country,
        queue=f"{language}:latam",
        opened_at=opened,
        updated_at=opened,
        closed_at=closed,
    )
    c.title = "constructed"
    c.save()
    return c


def escalation(
    the_case: Any,
    actor: Any,
    *,
    sent: datetime,
    answered_after_hours: float | None = None,
    channel_code: str = "facebook.dsa_notice",
    channel_kind: str = "dsa_notice",
) -> Any:
    from amparo.escalations.models import Escalation

    e = Escalation(
        organisation_id=the_case.organisation_id,
        case=the_case,
        data_key_id=the_case.data_key_id,
        platform=the_case.platform,
        channel_code=channel_code,
        channel_kind=channel_kind,
        transport="manual",
        status="sent" if answered_after_hours is None else "responded",
        created_by=actor,
        sent_at=sent,
        first_response_at=None
        if answered_after_hours is None
        else sent + timedelta(hours=answered_after_hours),
    )
    e.package = {}
    e.notice = {}
    e.save()
    return e


def remedy_step(
    the_case: Any,
    actor: Any,
    *,
    filed: date,
    decided: date | None = None,
    outcome: str = "",
    article: str = "Art 20",
) -> Any:
    from amparo.remedies.models import PlatformDecision, RemedyStep

    decision = PlatformDecision.objects.create(
        organisation_id=the_case.organisation_id,
        case=the_case,
        decision_type="account_suspension",
        informed_on=filed,
        created_by=actor,
    )
    return RemedyStep.objects.create(
        organisation_id=the_case.organisation_id,
        data_key_id=the_case.data_key_id,
        decision=decision,
        code="internal_complaint",
        article=article,
        legal_basis="DSA Art 20",
        language="en",
        status="decided" if decided else "filed",
        filed_on=filed,
        decided_on=decided,
        outcome=outcome,
        created_by=actor,
    )


def decision(the_case: Any, actor: Any, *, informed: date, decided: date | None = None) -> Any:
    from amparo.remedies.models import PlatformDecision

    return PlatformDecision.objects.create(
        organisation_id=the_case.organisation_id,
        case=the_case,
        decision_type="content_removal",
        informed_on=informed,
        decided_on=decided,
        created_by=actor,
    )


def statement(the_case: Any, *, created: str) -> Any:
    from amparo.cases.models import StatementMatch

    m = StatementMatch(
        organisation_id=the_case.organisation_id, case=the_case, data_key_id=the_case.data_key_id
    )
    m.content_id = "123"
    m.statement = {"uuid": f"u-{next(_refs)}", "created_at": created}
    m.save()
    return m


def matrix_objects(people: Any) -> None:
    """A scorecard assessment and publication and a takedown demand of the Defenders Helpline,
    for tests/test_access_matrix.py."""
    from django.utils import timezone

    from amparo.scorecards import services as scorecards
    from amparo.takedowns import services as takedowns

    today = timezone.localdate()
    people.assessment = scorecards.record_assessment(
        people.org,
        platform="facebook",
        action=1,
        finding="met",
        summary="s",
        source_title="t",
        source_url="https://example.org/policy",
        source_date=today,
        actor=people.alice,
    )
    people.scorecard = scorecards.publish(
        people.org, platform="facebook", start=today, end=today, actor=people.alice
    )
    people.demand = takedowns.record_demand(
        people.org,
        data={
            "platform": "x",
            "authority_country": "TR",
            "authority": "BTK",
            "demanded_on": today,
            "scope": "global",
            "source": "hrd",
        },
        actor=people.alice,
    )
