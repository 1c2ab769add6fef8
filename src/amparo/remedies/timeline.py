"""The remedies' lines on a case's timeline in words (registered with cases.timeline)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def describe(kind: str, old: dict[str, Any], new: dict[str, Any], names: Any) -> str:
    from amparo.remedies.models import RemedyStep
    from amparo.remedies.routes import DECISION_LABELS, REMEDY_LABELS

    remedy = str(REMEDY_LABELS.get(new.get("code", ""), new.get("code", "")))
    if kind == "decision_recorded":
        decision = str(DECISION_LABELS.get(new.get("type", ""), new.get("type", "")))
        return _(
            "Recorded the platform's decision: %(decision)s (the person was told on %(on)s)."
        ) % {
            "decision": decision,
            "on": new.get("informed_on", "—"),
        }
    if kind == "prepared":
        return _("Prepared: %(remedy)s.") % {"remedy": remedy}
    if kind == "filed":
        return _("Filed on %(on)s: %(remedy)s.") % {
            "on": new.get("filed_on", "—"),
            "remedy": remedy,
        }
    if kind == "decided":
        try:
            outcome = str(RemedyStep.Outcome(str(new.get("outcome"))).label)
        except ValueError:
            outcome = str(new.get("outcome"))
        return _("Decided: %(remedy)s — %(outcome)s.") % {"remedy": remedy, "outcome": outcome}
    if kind == "cancelled":
        return _("Withdrawn before filing: %(remedy)s.") % {"remedy": remedy}
    if kind == "lapsed":
        return _("The time to file ran out: %(remedy)s.") % {"remedy": remedy}
    return _("Recorded on the case: %(what)s.") % {"what": kind.replace("_", " ")}
