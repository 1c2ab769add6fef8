"""Who may see and change escalations: members with case access, in their own organisation
only; anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from amparo.accounts.access import membership_for
from amparo.accounts.models import Membership
from amparo.accounts.roles import Capability
from amparo.escalations.models import Escalation


def escalation_for(
    user: Any, org_slug: str, escalation_id: Any, *, write: bool = False
) -> Escalation:
    organisation = membership_for(
        user, org_slug, Capability.WRITE_CASES if write else Capability.VIEW_CASES
    ).organisation
    try:
        return Escalation.objects.select_related("case", "case__organisation", "data_key").get(
            pk=escalation_id, organisation=organisation
        )
    except (Escalation.DoesNotExist, ValueError):
        raise Http404 from None


def escalations_for(user: Any, org_slug: str) -> tuple[Membership, QuerySet[Escalation]]:
    """The reader's membership and the organisation's escalations (for the escalations list)."""
    membership = membership_for(user, org_slug, Capability.VIEW_CASES)
    return membership, Escalation.objects.filter(organisation=membership.organisation)
