"""Helpers other tests use to record what the law needs before acting as representative."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone


def mandate_for_case(
    case: Any,
    *,
    coordinator: Any,
    caseworker: Any,
    remedies: tuple[str, ...] = (
        "art20_priority_complaint",
        "art21_out_of_court",
        "art53_complaint",
    ),
    disclose_name: bool = True,
) -> Any:
    """A collective action of the case's organisation with the case as its member, and a
    mandate recorded by ``caseworker`` on a signed form (DSA Art 86(1))."""
    from amparo.collective import mandates, services

    today = timezone.localdate()
    action = services.open_action(
        case.organisation,
        title="Mandate of one person",
        platform=case.platform,
        decision_type="account_suspended",
        decision_ground="",
        window_start=today - timedelta(days=365),
        window_end=today,
        actor=coordinator,
    )
    member = services.add_own_case(action, case, actor=caseworker)
    return mandates.record_by_caseworker(
        member,
        channel="signed_form",
        evidence=("mandate.pdf", "application/pdf", b"%PDF-1.4 signed mandate"),
        remedies=list(remedies),
        disclose_name=disclose_name,
        actor=caseworker,
    )


def matrix_objects(people: Any) -> None:
    """The collective objects of ``tests/test_access_matrix.py``'s world: an action of the
    Defenders Helpline with its case as a member, a mandate, a proposal and a filing."""
    from amparo.cases.services import open_case
    from amparo.collective import filings
    from amparo.collective.models import Proposal
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    from tests.collective.scenario import make_eligible
    from tests.intake.conftest import valid_report

    make_eligible(people.org, people.alice)
    mandate = mandate_for_case(people.case, coordinator=people.alice, caseworker=people.carlos)
    people.collective_member = mandate.member
    people.collective_action = mandate.member.action
    form = ReportForm(valid_report())
    assert form.is_valid()
    other = submit_report(people.org, form.report_fields(), channel="web_form", language="en")
    case = open_case(people.org, reports=[other.report], title="proposed", actor=people.carlos)
    people.proposal = Proposal.objects.create(
        action=people.collective_action,
        organisation=people.org,
        case=case,
        reasons=[{"code": "incident"}],
    )
    (people.filing,) = filings.prepare_per_member(
        people.collective_action, filings.K.ART86_PRIORITY, actor=people.alice
    )
