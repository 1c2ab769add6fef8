"""The state machines of collective redress. Moves are data, checked in the services before a
row changes; each change is one UPDATE conditional on the state read, so two changes at once
cannot both land.

Mandate (DSA Art 86(1): given by the person, revocable at any time)::

    valid ──revoke──▶ revoked        (final: nothing leaves revoked)
      └────replace──▶ superseded     (a newer mandate of the same member took over; final)

Action::

    building ──file──▶ filing ──close──▶ closed
        └──────────────close────────────▲

Filing (as an escalation: a second person approves what leaves, then it is filed, then
chased while its decision is overdue, then decided)::

    prepared ──approve──▶ approved ──file──▶ filed ──decide──▶ decided
        └──────withdraw──────┴──▶ withdrawn
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

VALID, REVOKED, SUPERSEDED = "valid", "revoked", "superseded"

MANDATE_TRANSITIONS: dict[str, frozenset[str]] = {
    VALID: frozenset({REVOKED, SUPERSEDED}),
    REVOKED: frozenset(),
    SUPERSEDED: frozenset(),
}
MANDATE_ACTIONS: dict[str, tuple[str, str]] = {
    "revoke": (VALID, REVOKED),
    "replace": (VALID, SUPERSEDED),
}
MANDATE_REFUSALS = {
    "revoke": _("This mandate was already revoked or replaced."),
    "replace": _("Only a valid mandate can be replaced."),
}

BUILDING, FILING, CLOSED = "building", "filing", "closed"
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    BUILDING: frozenset({FILING, CLOSED}),
    FILING: frozenset({CLOSED}),
    CLOSED: frozenset(),
}

PREPARED, APPROVED, FILED, DECIDED, WITHDRAWN = (
    "prepared",
    "approved",
    "filed",
    "decided",
    "withdrawn",
)
FILING_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({PREPARED}), APPROVED),
    "file": (frozenset({APPROVED}), FILED),
    "decide": (frozenset({FILED}), DECIDED),
    "withdraw": (frozenset({PREPARED, APPROVED}), WITHDRAWN),
}
FILING_REFUSALS = {
    "approve": _("Only a prepared filing can be approved."),
    "file": _("Only an approved filing can be filed: a second person approves it first."),
    "decide": _("An outcome can be recorded only for a filing that was filed."),
    "withdraw": _("Only a filing that was not filed can be withdrawn."),
}


def check_mandate(current: str, action: str) -> str:
    """The state ``action`` moves a mandate in ``current`` to, or :class:`ValidationError`."""
    source, to = MANDATE_ACTIONS[action]
    if current != source or to not in MANDATE_TRANSITIONS.get(current, frozenset()):
        raise ValidationError(str(MANDATE_REFUSALS[action]))
    return to


def check_action(current: str, to: str) -> str:
    if to not in ACTION_TRANSITIONS.get(current, frozenset()):
        raise ValidationError(str(_("This collective action cannot move there.")))
    return to


def check_filing(current: str, action: str) -> str:
    sources, to = FILING_ACTIONS[action]
    if current not in sources:
        raise ValidationError(str(FILING_REFUSALS[action]))
    return to


def filing_actions(current: str) -> frozenset[str]:
    return frozenset(a for a, (sources, _to) in FILING_ACTIONS.items() if current in sources)


@dataclass(frozen=True)
class MandateView:
    """What decides whether a mandate covers a use: plain values, so the rule is tested by
    property without a database (``tests/collective/test_mandate_states.py``)."""

    state: str
    given_at: datetime
    revoked_at: datetime | None
    platforms: tuple[str, ...]
    decisions: tuple[str, ...]
    remedies: tuple[str, ...]


def covers(
    mandate: MandateView, *, remedy: str, platform: str, decision_type: str, at: datetime
) -> bool:
    """Whether ``mandate`` lets the body act for the person in ``remedy`` at ``at``.

    Art 86(1): the body exercises the rights "on their behalf" only as mandated, so the scope
    must name the platform, the kind of decision (empty = every kind on that platform) and the
    remedy; a mandate counts from the moment it was given and not from the moment it was
    revoked or replaced (a revoked mandate never covers again)."""
    if mandate.state == VALID:
        ended = None
    elif mandate.revoked_at is not None:
        ended = mandate.revoked_at
    else:
        return False
    if at < mandate.given_at or (ended is not None and at >= ended):
        return False
    if platform not in mandate.platforms or remedy not in mandate.remedies:
        return False
    return not mandate.decisions or decision_type in mandate.decisions
