"""The escalation state machine. Statuses and moves are data, checked in the services
(``escalations/services.py`` and ``escalations/lifecycle.py``) before any row changes; every
change is then one conditional UPDATE on the status and the row's version, so a move decided on
a stale read never lands.

::

    awaiting_approval ──approve──▶ ready ──send / mark sent / e-mail delivered──▶ sent
          ▲    │                     │ ▲                                          │
          └edit┘◀──────edit──────────┘ └edit                                      │
          │                          │                              respond ──────┤
          └──────cancel──────────────┴──▶ cancelled            responded ◀────────┘
                                                                  │  (respond again)
                                          closed ◀──close─────────┴──── sent (close: no answer)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.escalations.models import Status

S = Status

#: Where each status may go. An edit may stay (ready → ready) or ask for approval again.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.AWAITING_APPROVAL: frozenset({S.AWAITING_APPROVAL, S.READY, S.CANCELLED}),
    S.READY: frozenset({S.READY, S.AWAITING_APPROVAL, S.SENT, S.CANCELLED}),
    S.SENT: frozenset({S.RESPONDED, S.CLOSED}),
    S.RESPONDED: frozenset({S.RESPONDED, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: What each action needs the escalation to be in, and what it is refused with otherwise.
ACTIONS: dict[str, frozenset[str]] = {
    "edit": frozenset({S.AWAITING_APPROVAL, S.READY}),
    "approve": frozenset({S.AWAITING_APPROVAL}),
    "send": frozenset({S.READY}),
    "mark_sent": frozenset({S.READY}),
    "delivered": frozenset({S.READY}),
    "cancel": frozenset({S.AWAITING_APPROVAL, S.READY}),
    "respond": frozenset({S.SENT, S.RESPONDED}),
    "close": frozenset({S.SENT, S.RESPONDED}),
}

REFUSALS = {
    "edit": gettext_lazy("Only an escalation that has not been sent can be edited."),
    "approve": gettext_lazy("This escalation does not need approval."),
    "send": gettext_lazy("Only an escalation that is ready (and approved if needed) can be sent."),
    "mark_sent": gettext_lazy(
        "Only an escalation that is ready (and approved if needed) can be marked as sent."
    ),
    "delivered": gettext_lazy("This escalation is not waiting for its e-mail to leave."),
    "cancel": gettext_lazy(
        "Only an escalation that has not been sent can be cancelled; close a sent one instead."
    ),
    "respond": gettext_lazy("Record a response only for an escalation that was sent."),
    "close": gettext_lazy("Only an escalation that was sent can be closed."),
}

#: Still to go out, or out and waiting: what the escalations list and the case page follow.
OPEN = frozenset({S.AWAITING_APPROVAL, S.READY, S.SENT})
FINAL = frozenset({S.CLOSED, S.CANCELLED})


def allowed(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def actions_for(current: str) -> frozenset[str]:
    """The actions an escalation in ``current`` accepts (the pages offer only these)."""
    return frozenset(action for action, sources in ACTIONS.items() if current in sources)


def check(current: str, action: str, to: str | None = None) -> None:
    """Raise :class:`ValidationError` unless ``action`` may be taken in ``current`` (and, when
    it moves the escalation, ``current`` → ``to`` is in :data:`TRANSITIONS`)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown escalation action {action!r}")
    if current not in ACTIONS[action]:
        raise ValidationError(str(REFUSALS[action]))
    if to is not None and to not in allowed(current):
        raise ValidationError(
            _("An escalation cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(current).label, "to": Status(to).label}
        )
