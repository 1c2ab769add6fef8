"""The case state machine. Transitions are data, checked in services.transition_case."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    ESCALATED = "escalated", _("Escalated to the platform")
    AWAITING_PLATFORM = "awaiting_platform", _("Awaiting the platform")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    ACCOUNT_RESTORED = "account_restored", _("Account restored")
    CONTENT_RESTORED = "content_restored", _("Content restored")
    CONTENT_REMOVED = "content_removed", _("Harmful content removed")
    NO_ACTION = "no_action", _("Platform took no action")
    WITHDRAWN = "withdrawn", _("Withdrawn by the person")
    REFERRED = "referred", _("Referred to a partner")
    ADVICE_GIVEN = "advice_given", _("Advice given, nothing to escalate")
    # Set only by merging (cases/merging.py), never chosen by hand.
    MERGED = "merged", _("Merged into another case")


# The outcomes a person chooses when resolving or closing a case.
CHOOSABLE_OUTCOMES = [(value, label) for value, label in Outcome.choices if value != "merged"]


S = Status
# New and triaged cases may go straight to "awaiting the platform": sending an escalation moves
# the case there (escalations/lifecycle.py), and an urgent case (an account being taken over)
# is escalated before anyone has triaged it.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.TRIAGED, S.IN_PROGRESS, S.AWAITING_PLATFORM, S.CLOSED}),
    S.TRIAGED: frozenset({S.IN_PROGRESS, S.ESCALATED, S.AWAITING_PLATFORM, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.ESCALATED, S.AWAITING_PLATFORM, S.RESOLVED, S.CLOSED}),
    S.ESCALATED: frozenset({S.AWAITING_PLATFORM, S.IN_PROGRESS, S.RESOLVED}),
    S.AWAITING_PLATFORM: frozenset({S.IN_PROGRESS, S.ESCALATED, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset({S.IN_PROGRESS}),  # reopening
}
NEEDS_OUTCOME = frozenset({S.RESOLVED, S.CLOSED})
OPEN = frozenset({S.NEW, S.TRIAGED, S.IN_PROGRESS, S.ESCALATED, S.AWAITING_PLATFORM})


def allowed(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


# Referrals to a partner (cases/referrals.py): the partner answers a proposed referral, and
# completes one it accepted; an answer given is final.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    "proposed": frozenset({"accepted", "declined"}),
    "accepted": frozenset({"completed"}),
    "declined": frozenset(),
    "completed": frozenset(),
}


def referral_answers(current: str) -> frozenset[str]:
    return REFERRAL_TRANSITIONS.get(current, frozenset())
