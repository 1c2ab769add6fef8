"""What the follow-up page tells a reporter about their report, in plain words.

The report's own status says only where it stands at the helpline (received, looked at, closed
without a case); once the report is in a case, the case's status and outcome say what happened.
Staff words ("triaged", "awaiting the platform", "merged") are not shown to reporters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.intake.choices import CloseReason, ReportStatus
from amparo.intake.models import Report

WORKING = _("We are working on it.")
RAISED = _("We raised it with the platform and are waiting for its answer.")
CLOSED = _("Closed.")

#: What the case's outcome means for the person who reported.
OUTCOMES: dict[str, Promise] = {
    "account_restored": _("The platform restored the account."),
    "content_restored": _("The platform restored the content."),
    "content_removed": _("The platform removed the harmful content."),
    "no_action": _("The platform did not act on our request."),
    "withdrawn": _("The report was withdrawn."),
    "referred": _("We passed the case on to a partner organisation that can help further."),
    "advice_given": _("We gave advice; there was nothing to raise with the platform."),
    "merged": _("It is handled together with other reports about the same attack."),
}
#: Why a report was closed without a case, as the reporter is told it.
CLOSE_REASONS: dict[str, Promise] = {
    CloseReason.DUPLICATE: _("We already have this report, and we handle it there."),
    CloseReason.SPAM: CLOSED,
    CloseReason.OUT_OF_SCOPE: _("This is outside what we can help with."),
    CloseReason.ADVICE_GIVEN: _("We gave advice; there was nothing to raise with the platform."),
}


@dataclass(frozen=True)
class ReporterStatus:
    headline: str
    outcome: str = ""
    finished: bool = False


def for_reporter(report: Report) -> ReporterStatus:
    from amparo.cases.access import case_state_of_report

    if report.status == ReportStatus.WITHDRAWN:
        return ReporterStatus(str(ReportStatus.WITHDRAWN.label), finished=True)
    state = case_state_of_report(report)
    if state is not None:
        status, outcome = state
        if outcome == "merged":
            return ReporterStatus(str(WORKING), str(OUTCOMES["merged"]))
        if status in ("resolved", "closed"):
            return ReporterStatus(str(CLOSED), str(OUTCOMES.get(outcome, "")), finished=True)
        if status in ("escalated", "awaiting_platform"):
            return ReporterStatus(str(RAISED))
        return ReporterStatus(str(WORKING))
    if report.status == ReportStatus.CLOSED:
        reason = CLOSE_REASONS.get(report.closed_reason, CLOSED)
        return ReporterStatus(str(CLOSED), "" if reason is CLOSED else str(reason), finished=True)
    return ReporterStatus(str(ReportStatus(report.status).label))
