"""Every write of the takedown register: atomic, the actor keyword-only, one audit event each
(codes only: never the targets, which identify people)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.keyring.services import organisation_key
from amparo.takedowns.models import Demand, Response

if TYPE_CHECKING:
    from amparo.accounts.types import Actor


def risk_period_for(organisation: Any, countries: list[str], on: date) -> Any:
    """The heightened-risk period (the organisation's or a shared one) running on ``on`` in one
    of ``countries``, the shortest first; None when there is none."""
    from amparo.intake.models import RiskPeriod

    found = list(
        RiskPeriod.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True),
            country__in=[c for c in countries if c],
            starts_on__lte=on,
            ends_on__gte=on,
        )
    )
    found.sort(key=lambda p: (p.ends_on - p.starts_on, p.pk))
    return found[0] if found else None


def case_by_reference(organisation: Any, reference: str) -> Any:
    from amparo.cases.models import Case

    reference = (reference or "").strip().upper()
    if not reference:
        return None
    case = Case.objects.filter(organisation=organisation, reference=reference).first()
    if case is None:
        raise ValidationError(_("No case %(ref)s in this organisation.") % {"ref": reference})
    return case


def _check_dates(demanded_on: date, responded_on: date | None) -> None:
    today = timezone.localdate()
    if demanded_on > today or (responded_on and responded_on > today):
        raise ValidationError(_("A date of the demand or of the response cannot be in the future."))
    if responded_on and responded_on < demanded_on:
        raise ValidationError(_("The response cannot come before the demand."))


@transaction.atomic
def record_demand(organisation: Any, *, data: dict[str, Any], actor: Actor) -> Demand:
    """Record one demand from ``DemandForm.cleaned_data`` (the page and the CSV import)."""
    require_capability(actor, organisation.pk, Capability.WRITE_CASES)
    _check_dates(data["demanded_on"], data.get("responded_on"))
    case = case_by_reference(organisation, data.get("case_reference", ""))
    country = data.get("country") or data["authority_country"]
    demand = Demand(
        organisation=organisation,
        data_key=organisation_key(organisation),
        platform=data["platform"],
        authority_country=data["authority_country"],
        authority=data["authority"].strip(),
        legal_basis=(data.get("legal_basis") or "").strip(),
        demanded_on=data["demanded_on"],
        country=country,
        scope=data["scope"],
        source=data["source"],
        target_count=len(data.get("targets") or []),
        response=data.get("response") or Response.UNKNOWN,
        responded_on=data.get("responded_on"),
        case=case,
        risk_period=risk_period_for(
            organisation, [country, data["authority_country"]], data["demanded_on"]
        ),
        created_by=actor,
    )
    demand.targets = data.get("targets") or []
    demand.source_reference = (data.get("source_reference") or "").strip()
    demand.notes = (data.get("notes") or "").strip()
    demand.save()
    record(
        "takedown.recorded",
        actor=actor,
        obj=demand,
        new={
            "platform": demand.platform,
            "authority_country": demand.authority_country,
            "response": demand.response,
            "targets": demand.target_count,
            "case": str(case.pk) if case else None,
        },
    )
    return demand


@transaction.atomic
def record_response(
    demand: Demand, *, response: str, responded_on: date | None, actor: Actor
) -> Demand:
    require_capability(actor, demand.organisation_id, Capability.WRITE_CASES)
    if response not in Response.values:
        raise ValidationError(_("Unknown response."))
    _check_dates(demand.demanded_on, responded_on)
    old = {"response": demand.response, "responded_on": _iso(demand.responded_on)}
    Demand.objects.filter(pk=demand.pk).update(
        response=response, responded_on=responded_on, updated_at=timezone.now()
    )
    demand.response, demand.responded_on = response, responded_on
    record(
        "takedown.response_recorded",
        actor=actor,
        obj=demand,
        old=old,
        new={"response": response, "responded_on": _iso(responded_on)},
    )
    return demand


@transaction.atomic
def link_case(demand: Demand, *, reference: str, actor: Actor) -> Demand:
    require_capability(actor, demand.organisation_id, Capability.WRITE_CASES)
    case = case_by_reference(demand.organisation, reference)
    old = str(demand.case_id) if demand.case_id else None
    Demand.objects.filter(pk=demand.pk).update(case=case, updated_at=timezone.now())
    demand.case = case
    record(
        "takedown.case_linked",
        actor=actor,
        obj=demand,
        old={"case": old},
        new={"case": str(case.pk) if case else None},
    )
    return demand


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
