"""Reads of the remedies domain, scoped to an organisation and a capability: anyone else
(another organisation, a role without it, an id that is not one) gets 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability
from amparo.remedies.models import PlatformDecision, RemedyStep


def step_for(user: Any, org_slug: str, step_id: Any, *, write: bool = False) -> RemedyStep:
    organisation = membership_for(
        user, org_slug, Capability.WRITE_CASES if write else Capability.VIEW_CASES
    ).organisation
    try:
        return RemedyStep.objects.select_related("decision__case", "data_key").get(
            pk=step_id, organisation=organisation
        )
    except (RemedyStep.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def decision_of_case(case: Any, decision_id: Any) -> PlatformDecision:
    """A platform decision recorded on ``case`` (which the caller already checked)."""
    try:
        return PlatformDecision.objects.get(pk=decision_id or "", case=case)
    except (PlatformDecision.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
