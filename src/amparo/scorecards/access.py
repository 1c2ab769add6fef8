"""Who may see and change scorecards: members who may see cases read them, those who may write
cases record assessments, coordinators publish; anyone else (another organisation, a role
without the capability) gets a 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from amparo.accounts.access import membership_for
from amparo.accounts.models import Membership
from amparo.accounts.roles import Capability
from amparo.scorecards.models import Assessment, Publication


def reader(user: Any, org_slug: str) -> Membership:
    return membership_for(user, org_slug, Capability.VIEW_CASES)


def writer(user: Any, org_slug: str) -> Membership:
    return membership_for(user, org_slug, Capability.WRITE_CASES)


def publisher(user: Any, org_slug: str) -> Membership:
    return membership_for(user, org_slug, Capability.COORDINATE)


def publication_for(user: Any, org_slug: str, publication_id: Any) -> Publication:
    organisation = reader(user, org_slug).organisation
    try:
        return Publication.objects.get(pk=publication_id, organisation=organisation)
    except (Publication.DoesNotExist, ValueError):
        raise Http404 from None


def assessment_for(user: Any, org_slug: str, assessment_id: Any) -> Assessment:
    organisation = writer(user, org_slug).organisation
    try:
        return Assessment.objects.get(pk=assessment_id, organisation=organisation)
    except (Assessment.DoesNotExist, ValueError):
        raise Http404 from None
