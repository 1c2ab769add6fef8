"""Who may read figures and publish reports.

* The dashboard, its charts and downloads, and the organisation's published reports: members
  with ``view_cases`` (administrators, coordinators, caseworkers, viewers), who see the
  organisation's cases anyway; figures are aggregates.
* Composing, previewing and publishing a transparency report: ``coordinate`` (administrators
  and coordinators).
* Researchers, intermediaries and outsiders get 404, as everywhere.
* A published report marked public is readable by anyone at its public address.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from amparo.accountability.models import PublishedReport
from amparo.accounts.access import membership_for
from amparo.accounts.models import Membership
from amparo.accounts.roles import Capability, can


def reader(user: Any, org_slug: str) -> Membership:
    return membership_for(user, org_slug, Capability.VIEW_CASES)


def coordinator(user: Any, org_slug: str) -> Membership:
    return membership_for(user, org_slug, Capability.COORDINATE)


def may_publish(membership: Membership) -> bool:
    return can(membership.role, Capability.COORDINATE)


def published_for(user: Any, org_slug: str, report_id: Any) -> PublishedReport:
    organisation = reader(user, org_slug).organisation
    try:
        return PublishedReport.objects.get(pk=report_id, organisation=organisation)
    except (PublishedReport.DoesNotExist, ValueError):
        raise Http404 from None


def public_report(org_slug: str, report_id: Any) -> PublishedReport:
    try:
        return PublishedReport.objects.select_related("organisation").get(
            pk=report_id, organisation__slug=org_slug, public=True
        )
    except (PublishedReport.DoesNotExist, ValueError):
        raise Http404 from None
