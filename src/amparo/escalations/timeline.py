"""The escalations' lines on a case's timeline in words (registered with cases.timeline)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def describe(kind: str, old: dict[str, Any], new: dict[str, Any], names: Any) -> str:
    from amparo.escalations.models import Outcome

    if kind == "created":
        return _("Prepared an escalation to the platform.")
    if kind == "edited":
        return _("Changed the escalation before it was sent.")
    if kind == "approved":
        return _("Approved the escalation for sending.")
    if kind == "cancelled":
        return _("Cancelled the escalation.")
    if kind == "queued":
        return _("Queued the escalation for sending.")
    if kind == "sent":
        return _("The escalation was sent to the platform.")
    if kind == "sent_by_hand":
        return _("Recorded the escalation as sent by hand.")
    if kind in ("responded", "closed"):
        try:
            outcome = str(Outcome(str(new.get("outcome"))).label)
        except ValueError:
            outcome = ""
        if kind == "responded":
            if outcome:
                return _("The platform answered the escalation: %(outcome)s.") % {
                    "outcome": outcome
                }
            return _("The platform answered the escalation.")
        if outcome:
            return _("Closed the escalation: %(outcome)s.") % {"outcome": outcome}
        return _("Closed the escalation.")
    return _("Recorded on the case: %(what)s.") % {"what": kind.replace("_", " ")}
