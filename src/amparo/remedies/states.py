"""The remedy step state machine. Moves are data, checked in ``remedies/services.py`` before a
step changes; each change is one UPDATE conditional on the status read, so two changes at once
cannot both land.

::

    prepared ──file──▶ filed ──record the outcome──▶ decided
        │
        ├──the filing window passed──▶ lapsed
        └──withdrawn before filing──▶ cancelled
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amparo.remedies.models import RemedyStep

PREPARED = RemedyStep.Status.PREPARED.value
FILED = RemedyStep.Status.FILED.value
DECIDED = RemedyStep.Status.DECIDED.value
LAPSED = RemedyStep.Status.LAPSED.value
CANCELLED: str = getattr(RemedyStep.Status, "CANCELLED", "cancelled")
CANCELLED = str(getattr(CANCELLED, "value", CANCELLED))

TRANSITIONS: dict[str, frozenset[str]] = {
    PREPARED: frozenset({FILED, LAPSED, CANCELLED}),
    FILED: frozenset({DECIDED}),
    DECIDED: frozenset(),
    LAPSED: frozenset(),
    CANCELLED: frozenset(),
}

#: Each action: the status it needs, where it goes, and what it is refused with otherwise.
ACTIONS: dict[str, tuple[str, str]] = {
    "file": (PREPARED, FILED),
    "decide": (FILED, DECIDED),
    "lapse": (PREPARED, LAPSED),
    "cancel": (PREPARED, CANCELLED),
}

REFUSALS = {
    "file": _("Only a prepared step can be filed; this one was filed, decided or withdrawn."),
    "decide": _("An outcome can be recorded only for a step that was filed."),
    "lapse": _("Only a prepared step that was never filed can lapse."),
    "cancel": _("Only a step that was not filed can be withdrawn."),
}

#: Clocks that run: a filing window (prepared) or a decision due (filed).
RUNNING = frozenset({PREPARED, FILED})

LABELS = {CANCELLED: _("Withdrawn before filing")}


def allowed(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def actions_for(current: str) -> frozenset[str]:
    return frozenset(action for action, (source, _to) in ACTIONS.items() if source == current)


def check(current: str, action: str) -> str:
    """The status ``action`` moves a step in ``current`` to, or :class:`ValidationError`."""
    source, to = ACTIONS[action]
    if current != source or to not in allowed(current):
        raise ValidationError(str(REFUSALS[action]))
    return to
