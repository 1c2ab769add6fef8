"""Who may see which cases: members with case access, in their own organisation only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability
from amparo.cases.models import Case, CaseReport, Task


def cases_for(user: Any, org_slug: str) -> QuerySet[Case]:
    organisation = membership_for(user, org_slug, Capability.VIEW_CASES).organisation
    return Case.objects.filter(organisation=organisation)


def case_for(user: Any, org_slug: str, case_id: Any, *, write: bool = False) -> Case:
    capability = Capability.WRITE_CASES if write else Capability.VIEW_CASES
    organisation = membership_for(user, org_slug, capability).organisation
    try:
        return Case.objects.select_related("organisation", "data_key", "assignee").get(
            pk=case_id, organisation=organisation
        )
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None


def task_for(user: Any, org_slug: str, case_id: Any, task_id: Any) -> Task:
    case = case_for(user, org_slug, case_id, write=True)
    try:
        return case.tasks.select_related("case").get(pk=task_id)
    except (Task.DoesNotExist, ValueError):
        raise Http404 from None


def report_in_a_case(report: Any) -> bool:
    """Whether the report belongs to a case (for intake's queue, which must not close it)."""
    return CaseReport.objects.filter(report=report).exists()


def case_by_reference(user: Any, org_slug: str, reference: str) -> Case:
    """A case of the organisation by its reference, for someone who may work on it (else 404)."""
    organisation = membership_for(user, org_slug, Capability.WRITE_CASES).organisation
    try:
        return Case.objects.get(organisation=organisation, reference=reference.strip().upper())
    except Case.DoesNotExist:
        raise Http404 from None


def case_state_of_report(report: Any) -> tuple[str, str] | None:
    """(status, outcome) of the case a report belongs to, for the reporter's follow-up page;
    None when it is in no case. A case merged into another answers with that other case's."""
    link = CaseReport.objects.filter(report=report).select_related("case").first()
    if link is None:
        return None
    return link.case.status, link.case.outcome
