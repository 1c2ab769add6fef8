"""Response-time alarms, like a real helpline: a report not acknowledged within 60 minutes
alerts the shift leads, within 90 minutes the coordinators (both configurable per deployment).
Delivered in the app (a Notification row, always) and by e-mail, queued after it for the worker
(``amparo.outbound``), so a mail server that is down delays the e-mail but never the alarm.
Alarms are scheduled jobs: rows with a due time, counted from the exact moment of receipt (the
report keeps only a coarse time)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.languages import speaking_to
from amparo.accounts.models import Membership
from amparo.accounts.roles import Role
from amparo.outbound import services as outbound
from amparo.worker.models import ScheduledJob
from amparo.worker.registry import scheduled
from amparo.worker.services import cancel

logger = logging.getLogger("amparo.intake")
KIND = "intake.unacknowledged"


def _steps() -> list[tuple[int, str]]:
    return [
        (settings.AMPARO_ALARM_SHIFT_LEAD_MINUTES, "shift_lead"),
        (settings.AMPARO_ALARM_COORDINATOR_MINUTES, "coordinator"),
    ]


def schedule_alarms(report: Any, received: datetime | None = None) -> None:
    """Schedule the alarms of a report just created, in one INSERT.

    ``received`` is the exact moment the report came in (now, when not given). The report
    itself keeps only a coarse ``received_at`` (rounded down to 15 minutes), which would make
    alarms fire up to 15 minutes early; the exact moment is kept only here, on the jobs.

    Their keys contain the new report's id, so none can exist yet: a conflict is an error,
    not something to skip.
    """
    received = received or timezone.now()
    ScheduledJob.objects.bulk_create(
        ScheduledJob(
            kind=KIND,
            key=f"{KIND}:{report.pk}:{audience}",
            organisation=report.organisation,
            due_at=received + timedelta(minutes=minutes),
            payload={"report": str(report.pk), "audience": audience, "minutes": minutes},
        )
        for minutes, audience in _steps()
    )


def cancel_alarms(report: Any) -> None:
    for _minutes, audience in _steps():
        cancel(f"{KIND}:{report.pk}:{audience}")


def recipients(organisation: Any, audience: str) -> list[Any]:
    memberships = Membership.objects.filter(
        organisation=organisation, is_active=True, user__is_active=True
    )
    if audience == "shift_lead":
        memberships = memberships.filter(is_shift_lead=True)
    else:
        memberships = memberships.filter(role__in=[Role.COORDINATOR, Role.ADMIN])
    return [m.user for m in memberships.select_related("user")]


@scheduled(KIND)
def unacknowledged(job: Any) -> None:
    from amparo.intake.choices import ReportStatus
    from amparo.intake.models import Notification, Report

    report = Report.objects.filter(pk=job.payload["report"]).select_related("organisation").first()
    if report is None or report.status != ReportStatus.RECEIVED:
        return
    link = settings.SITE_URL + reverse("intake_report", args=[report.organisation.slug, report.pk])
    # In-app first, for everyone: these rows are what the alarm is; e-mail is queued after.
    fresh = []
    for user in recipients(report.organisation, job.payload["audience"]):
        _notification, created = Notification.objects.get_or_create(
            recipient=user,
            organisation=report.organisation,
            report=report,
            kind=f"unacknowledged_{job.payload['minutes']}",
        )
        if created:
            fresh.append(user)
    for user in fresh:
        # Only the reference, urgency and a link: never what the report says.
        with speaking_to(user):
            subject = _("Report %(ref)s not acknowledged after %(minutes)s minutes") % {
                "ref": report.reference,
                "minutes": job.payload["minutes"],
            }
            body = _(
                "Report %(ref)s (urgency: %(level)s) in queue %(queue)s has not been acknowledged.\n\nOpen it: %(link)s"
            ) % {
                "ref": report.reference,
                "level": report.get_urgency_level_display(),
                "queue": report.queue,
                "link": link,
            }
        outbound.queue_email_or_log(
            EmailMessage(subject=subject, body=body, to=[user.email]),
            kind="alarm",
            organisation=report.organisation,
            ref=report.pk,
        )
    logger.info("alarm raised for a report after %s minutes", job.payload["minutes"])
