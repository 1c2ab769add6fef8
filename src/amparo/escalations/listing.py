"""The escalations list: what waits for a second person, what is ready to leave, what waits for
a platform (and what is overdue), what was answered — for shift leads, who see everyone's, and
for caseworkers, who start from their own."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import Role
from amparo.escalations.models import Escalation, Status

TABS: dict[str, Any] = {
    "approval": _("Awaiting approval"),
    "ready": _("Ready to send"),
    "awaiting": _("Awaiting the platform"),
    "overdue": _("Overdue"),
    "answered": _("Answered"),
    "closed": _("Closed and cancelled"),
}
WHOSE = {"all": _("Everyone's"), "mine": _("Mine")}


def _tab(escalations: QuerySet[Escalation], tab: str) -> QuerySet[Escalation]:
    if tab == "approval":
        return escalations.filter(status=Status.AWAITING_APPROVAL).order_by("created_at")
    if tab == "ready":
        return escalations.filter(status=Status.READY).order_by("created_at")
    if tab == "awaiting":
        return escalations.filter(status=Status.SENT).order_by("expected_response_at")
    if tab == "overdue":
        return escalations.filter(
            status=Status.SENT, expected_response_at__lt=timezone.now()
        ).order_by("expected_response_at")
    if tab == "answered":
        return escalations.filter(status=Status.RESPONDED).order_by("-first_response_at")
    return escalations.filter(status__in=[Status.CLOSED, Status.CANCELLED]).order_by("-closed_at")


def default_whose(membership: Any) -> str:
    """Shift leads, coordinators and administrators see everyone's; others start from theirs."""
    if membership.is_shift_lead or membership.role in (Role.ADMIN, Role.COORDINATOR):
        return "all"
    return "mine"


def _mine(escalations: QuerySet[Escalation], tab: str, user: Any) -> QuerySet[Escalation]:
    if tab == "approval":  # the ones this person may approve
        return escalations.exclude(created_by=user).exclude(edited_by=user)
    return escalations.filter(Q(created_by=user) | Q(case__assignee=user) | Q(send_claimed_by=user))


def select(
    escalations: QuerySet[Escalation], *, tab: str, whose: str, user: Any
) -> QuerySet[Escalation]:
    chosen = _tab(escalations, tab)
    if whose == "mine":
        chosen = _mine(chosen, tab, user)
    return chosen.select_related("case", "created_by", "approved_by")


def counts(escalations: QuerySet[Escalation]) -> dict[str, int]:
    """How many in each tab (for the organisation, whoever's they are)."""
    return {tab: _tab(escalations, tab).count() for tab in TABS}


def with_channel_labels(organisation: Any, escalations: Iterable[Any]) -> list[Any]:
    """``escalations`` with ``channel_label`` set: "Platform — channel name" from the
    register, or the code where the register no longer knows the channel."""
    from amparo.core.platforms import platform_name
    from amparo.escalations.register import for_organisation

    chosen = list(escalations)
    register = for_organisation(organisation)
    names: dict[str, str] = {}
    for code in {e.channel_code for e in chosen}:
        try:
            names[code] = register.channel(code).name
        except (KeyError, LookupError, ValueError):
            continue
    for escalation in chosen:
        label = names.get(escalation.channel_code)
        escalation.channel_label = (
            f"{platform_name(escalation.platform)} — {label}" if label else escalation.channel_code
        )
    return chosen
