"""Who may see and change the takedown register: members who may see cases read it, those who
may write cases record and import demands, coordinators publish its figures; anyone else gets
a 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from amparo.accounts.access import membership_for
from amparo.accounts.models import Membership
from amparo.accounts.roles import Capability
from amparo.takedowns.models import Demand


def reader(user: Any, org_slug: str) -> Membership:
    return membership_for(user, org_slug, Capability.VIEW_CASES)


def writer(user: Any, org_slug: str) -> Membership:
    return membership_for(user, org_slug, Capability.WRITE_CASES)


def publisher(user: Any, org_slug: str) -> Membership:
    return membership_for(user, org_slug, Capability.COORDINATE)


def demand_for(user: Any, org_slug: str, demand_id: Any, *, write: bool = False) -> Demand:
    membership = writer(user, org_slug) if write else reader(user, org_slug)
    try:
        return Demand.objects.select_related("data_key", "case", "risk_period").get(
            pk=demand_id, organisation=membership.organisation
        )
    except (Demand.DoesNotExist, ValueError):
        raise Http404 from None
