"""From a recorded decision to the ladder's routes, as the case and the organisation stand.

Who acts and where (``ladder.Decision``) come from the case and the organisation: where the
person is (DSA territory per the escalation register, so Iceland, Liechtenstein and Norway only
once the register says so), where the organisation is established, the provider's EU
establishment, and a national regulator outside the EU that the register lists. Deadlines are
counted in their own zone (``Remedy.time_zone``), and a closed window says so.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from amparo.engines.register import Channel, Kind
from amparo.engines.remedies import ladder
from amparo.engines.remedies.clocks import DeadlineStatus, deadline_status

# What the pages show for the engine's codes (the engine's own titles are English).
REMEDY_LABELS = {
    "art16_notice": _("Notice of illegal content (DSA Art 16)"),
    "art20_complaint": _("Internal complaint to the platform (DSA Art 20)"),
    "art86_priority_complaint": _("Priority complaint by a mandated body (DSA Art 86(2))"),
    "art21_ods": _("Out-of-court dispute settlement (DSA Art 21)"),
    "art53_dsc_complaint": _("Complaint to a Digital Services Coordinator (DSA Art 53)"),
    "art23_misuse": _("Misuse complaint: false mass reporting (DSA Art 23)"),
    "platform_report": _("Report through the platform's own tools"),
    "platform_appeal": _("Appeal through the platform's own channel"),
    "oversight_board": _("Appeal to the Oversight Board"),
    "national_regulator": _("Complaint to a national regulator"),
    "public_reporting": _("Public reporting"),
}
DECISION_LABELS = {
    "content_removed": _("Content removed"),
    "visibility_restricted": _("Visibility restricted"),
    "account_suspended": _("Account suspended"),
    "account_terminated": _("Account terminated"),
    "service_restricted": _("Service suspended or restricted"),
    "monetisation": _("Monetisation suspended or restricted"),
    "no_action": _("A notice was rejected: the platform decided not to act"),
    "content_online": _("Illegal content still online, nothing notified yet"),
}
ACTOR_LABELS = {
    "affected_user": _("The person, with our help"),
    "representative": _("We represent the person (DSA Art 86)"),
    "notifier": _("We act as notifier on our own standing (DSA Art 16)"),
}
GROUND_LABELS = {
    "": _("Not known"),
    "illegal_content": _("Illegal content"),
    "incompatible_content": _("Against the platform's terms"),
}


def platform_name(organisation: Any, slug: str) -> str:
    """The platform's display name (the register's, else the maintained list's), never a slug."""
    from amparo.core.platforms import platform_name as listed
    from amparo.escalations.register import for_organisation

    try:
        return for_organisation(organisation).platform(slug).name
    except KeyError:
        return listed(slug)


def engine_decision(decision: Any) -> ladder.Decision:
    from amparo.escalations.register import for_organisation, standing

    case = decision.case
    register = for_organisation(case.organisation)
    where = standing(case, register)
    establishment = None
    with contextlib.suppress(KeyError):  # a platform the register does not list
        establishment = register.platform(case.platform).eu_establishment or None
    regulator = None
    if where.user_country and not where.user_in_eu:
        found = register.regulator_for(where.user_country)
        regulator = found.name if found is not None else None
    return ladder.Decision(
        platform=platform_name(case.organisation, case.platform),
        decided_on=decision.decided_on,
        informed_on=decision.informed_on,
        user_in_eu=where.user_in_eu,
        member_state=where.user_country if where.user_in_eu else None,
        decision_type=decision.decision_type,
        cause_false_mass_reporting=case.incident_type == "false_mass_reporting",
        represented_by_art86_body=decision.represented_by_art86_body,
        non_eu_regulator=regulator,
        acting_as=decision.acting_as or ladder.Actor.AFFECTED_USER,
        organisation_country=where.organisation_country,
        organisation_in_eu=where.organisation_in_eu,
        platform_establishment=establishment,
    )


def ods_bodies(decision: Any, language: str | None = None) -> list[Channel]:
    """The certified Art 21 bodies that take this dispute: the platform, the language of the
    submission, the kind of decision (as far as the register knows). The person chooses."""
    from amparo.escalations.register import for_organisation

    case = decision.case
    try:
        return for_organisation(case.organisation).ods_bodies_for(
            case.platform, language=language, decision_type=decision.decision_type
        )
    except KeyError:
        return []


def coordinator(organisation: Any, member_state: str | None) -> Channel | None:
    """The Digital Services Coordinator of ``member_state`` in the register (Art 53)."""
    from amparo.escalations.register import for_organisation

    if not member_state:
        return None
    found = for_organisation(organisation).regulator_for(member_state)
    return found if found is not None and found.kind is Kind.REGULATOR else None


@dataclass(frozen=True)
class Deadline:
    """A remedy's deadline as the pages show it."""

    day: date
    kind: str  # filing_window | decision_due
    status: DeadlineStatus


def deadline(remedy: ladder.Remedy, today: date | None = None) -> Deadline | None:
    """``remedy``'s deadline counted in its own zone (not the server's)."""
    if remedy.deadline is None:
        return None
    return Deadline(
        remedy.deadline,
        remedy.deadline_kind,
        deadline_status(
            remedy.deadline,
            tz=remedy.time_zone or "UTC",
            today=today,
            minimum=remedy.deadline_is_minimum,
        ),
    )


def prefill(case: Any) -> dict[str, Any]:
    """A decision as the case's latest escalation response says it (its parsed statement of
    reasons, ``escalations.services.statement_for_case``), so the Art 20 complaint is made
    from it without retyping: empty when no response recorded one. The caseworker checks every
    value before saving."""
    from django.utils import timezone

    from amparo.escalations.register import channel as channel_of
    from amparo.escalations.services import statement_for_case

    found = statement_for_case(case)
    if not found:
        return {}
    escalation = found["escalation"]
    values: dict[str, Any] = {"escalation": escalation}
    values.update(ladder.decision_from_statement(found.get("codes") or {}))
    reference = found.get("decision_reference") or found.get("content_id") or ""
    if reference:
        values["statement_reference"] = str(reference)[:200]
    received = found.get("received_on")
    if received is None and escalation.first_response_at is not None:
        received = timezone.localdate(escalation.first_response_at)
    if received is not None:
        values["informed_on"] = received
    notice = escalation.channel_kind == Kind.DSA_NOTICE.value
    with contextlib.suppress(KeyError):  # a channel removed from the register since
        notice = channel_of(case.organisation, escalation.channel_code).is_art16_notice
    if notice:
        # The organisation notified: the answer is a decision on its notice.
        values["acting_as"] = ladder.Actor.NOTIFIER.value
        values.setdefault("decision_type", "no_action")
    return values
