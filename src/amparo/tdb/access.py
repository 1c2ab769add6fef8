"""Who may read the Transparency Database pages: members whose role grants ``view_tdb``
(administrators, coordinators, caseworkers and researchers) of that organisation. Everyone
else, outsiders, viewers and intermediaries included, gets 404. The pages show public data
only: nothing of the organisation's cases, reports, escalations or campaigns."""

from __future__ import annotations

from typing import Any

from amparo.accounts.access import membership_for
from amparo.accounts.models import Membership
from amparo.accounts.roles import Capability, can


def tdb_membership(user: Any, org_slug: str) -> Membership:
    """The user's membership of ``org_slug`` if it may read the pages, else Http404."""
    return membership_for(user, org_slug, Capability.VIEW_TDB)


def may_read_tdb(membership: Membership | None) -> bool:
    return membership is not None and can(membership.role, Capability.VIEW_TDB)
