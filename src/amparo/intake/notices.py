"""What each notification says, in words, and where it leads ("Told what happened"): the row
keeps only a code (``Notification.kind``), so the sentence is in the reader's language."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

#: URL names a notification may link to; each takes the organisation's slug and an id.
LINKS = frozenset({"case_detail", "escalation_detail", "campaign_run", "collective_action"})
#: URL names a notification may link to that take only the organisation's slug.
PAGE_LINKS = frozenset({"collective_list"})


def _sentences() -> dict[str, str]:
    return {
        "reporter_answered": _("The reporter of %(ref)s answered."),
        "consent_changed": _("The reporter of %(ref)s changed their consent."),
        "deletion_requested": _("The reporter of %(ref)s asked for their report to be deleted."),
        "referral_received": _("A partner referred a case to you: report %(ref)s."),
        "referral_accepted": _("A partner accepted a case you referred."),
        "referral_declined": _("A partner declined a case you referred."),
        "referral_completed": _("A partner completed a case you referred."),
        "escalation_needs_approval": _("An escalation waits for your approval."),
        "response due soon": _("The platform's response to an escalation is due soon."),
        "overdue: chase the platform": _("An escalation is overdue: chase the platform."),
        "remedy_window_closing": _(
            "The window to use a remedy on a case closes soon: file it or decide not to."
        ),
        "remedy_decision_overdue": _(
            "A decision on a remedy you filed is overdue: chase the body you filed with."
        ),
        "campaign_run_done": _("Your campaign detection run finished."),
        "campaign_run_failed": _("Your campaign detection run failed."),
        "collective_mandate_revoked": _(
            "A member of a collective action revoked their mandate: they leave its future filings."
        ),
        "collective_filing_overdue": _(
            "A collective action's filing is overdue for a decision: chase the recipient."
        ),
        "collective_member_proposed": _(
            "A partner's collective action proposes one of your cases: approve or decline it."
        ),
    }


def sentence(notification: Any) -> str:
    ref = notification.report.reference if notification.report_id else ""
    kind = notification.kind
    if kind.startswith("unacknowledged_"):
        return _("Report %(ref)s was not acknowledged after %(minutes)s minutes.") % {
            "ref": ref,
            "minutes": kind.removeprefix("unacknowledged_"),
        }
    known = _sentences().get(kind)
    if known is None:
        return _("Something happened (%(kind)s).") % {"kind": kind}
    return known % {"ref": ref} if "%(ref)s" in known else known


def url(notification: Any, org_slug: str) -> str:
    """Where the notification leads, or "" when it is about nothing that can be opened."""
    try:
        if notification.link in LINKS and notification.object_id:
            return reverse(notification.link, args=[org_slug, notification.object_id])
        if notification.link in PAGE_LINKS:
            return reverse(notification.link, args=[org_slug])
        if notification.report_id:
            return reverse("intake_report", args=[org_slug, notification.report_id])
    except NoReverseMatch:
        return ""
    return ""


def unread(user: Any, organisation: Any) -> int:
    from amparo.intake.models import Notification

    return Notification.objects.filter(
        recipient_id=user.pk, organisation=organisation, read_at__isnull=True
    ).count()
