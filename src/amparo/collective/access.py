"""Organisation-scoped reads of collective redress. Outsiders get 404.

An action belongs to its coordinator's organisation: its pages are for members of that
organisation (VIEW_CASES to read, COORDINATE to change). A partner organisation sees only its
own cases in an action it was invited to (WRITE_CASES to approve them and record mandates).
The members, mandates and filings of partners' cases carry their own organisation, so the
coordinator's reads cross organisations explicitly, under row-level security's bypass, after
the checks here (``amparo.core.rls``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability
from amparo.collective.models import CollectiveAction, Filing, Member
from amparo.core import rls


def actions_for(user: Any, org_slug: str) -> QuerySet[CollectiveAction]:
    organisation = membership_for(user, org_slug, Capability.VIEW_CASES).organisation
    return CollectiveAction.objects.filter(organisation=organisation)


def action_for(
    user: Any, org_slug: str, action_id: Any, *, coordinate: bool = False
) -> CollectiveAction:
    capability = Capability.COORDINATE if coordinate else Capability.VIEW_CASES
    organisation = membership_for(user, org_slug, capability).organisation
    try:
        return CollectiveAction.objects.select_related("organisation", "data_key").get(
            pk=action_id, organisation=organisation
        )
    except (CollectiveAction.DoesNotExist, ValueError):
        raise Http404 from None


def members_of(action: CollectiveAction) -> list[Member]:
    """Every member of ``action``, across organisations (for its coordinator's pages)."""
    with rls.bypass():
        return list(
            action.members.select_related("case", "organisation").prefetch_related(
                "mandates", "mandates__data_key"
            )
        )


def filings_of(action: CollectiveAction) -> list[Filing]:
    with rls.bypass():
        return list(
            action.filings.select_related("member", "data_key", "representing_body", "approved_by")
        )


def filing_for(user: Any, org_slug: str, filing_id: Any, *, coordinate: bool = False) -> Filing:
    capability = Capability.COORDINATE if coordinate else Capability.VIEW_CASES
    organisation = membership_for(user, org_slug, capability).organisation
    try:
        return Filing.objects.select_related("action", "member", "data_key").get(
            pk=filing_id, organisation=organisation
        )
    except (Filing.DoesNotExist, ValueError):
        raise Http404 from None


def shared_with(user: Any, org_slug: str) -> QuerySet[Member]:
    """The organisation's own cases in actions of other organisations (the partner's view)."""
    organisation = membership_for(user, org_slug, Capability.VIEW_CASES).organisation
    return (
        Member.objects.filter(organisation=organisation)
        .exclude(action__organisation=organisation)
        .select_related("action", "action__organisation", "case")
    )


def own_member_for(user: Any, org_slug: str, member_id: Any, *, write: bool = True) -> Member:
    """A member whose case belongs to the user's organisation (partner or coordinator)."""
    capability = Capability.WRITE_CASES if write else Capability.VIEW_CASES
    organisation = membership_for(user, org_slug, capability).organisation
    try:
        return Member.objects.select_related("action", "case", "case__organisation").get(
            pk=member_id, organisation=organisation
        )
    except (Member.DoesNotExist, ValueError):
        raise Http404 from None


def memberships_of_case(case: Any) -> list[Member]:
    """The collective actions a case is in (for the case page: its own organisation's view)."""
    return list(
        Member.objects.filter(case=case, organisation_id=case.organisation_id).select_related(
            "action", "action__organisation"
        )
    )
