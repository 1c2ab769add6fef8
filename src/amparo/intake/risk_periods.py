"""Heightened-risk periods (elections, protests, crackdowns) that raise the urgency of reports
from a country while they last: writes, for coordinators and administrators."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record

if TYPE_CHECKING:
    from amparo.accounts.types import Actor


def add(organisation: Any, data: dict[str, Any], *, actor: Actor) -> Any:
    """A heightened-risk period of the organisation (coordinators and administrators)."""
    from amparo.intake.models import RiskPeriod

    require_capability(actor, organisation.pk, Capability.COORDINATE)
    with transaction.atomic():
        period = RiskPeriod.objects.create(organisation=organisation, **data)
        record(
            "risk_period.created",
            actor=actor,
            obj=period,
            organisation=organisation,
            new={"country": period.country, "kind": period.kind},
        )
    return period


def delete(period: Any, *, actor: Actor) -> None:
    require_capability(actor, period.organisation_id, Capability.COORDINATE)
    with transaction.atomic():
        record("risk_period.deleted", actor=actor, obj=period, organisation=period.organisation)
        period.delete()
