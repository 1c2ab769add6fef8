"""Telling staff what happened: in-app notifications (the alarms page) from any app, and who
is told about what a reporter did. Kinds are codes, never content (``intake.notices`` turns
them into sentences)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from amparo.intake.models import Report


def notify(
    recipients: list[Any],
    organisation: Any,
    kind: str,
    *,
    report: Any = None,
    link: str = "",
    object_id: Any = "",
) -> int:
    """In-app notifications (the alarms page) for ``recipients``, from any app: ``kind`` is a
    code (32 characters at most), never content; ``link`` is the URL name of what it is about
    (taking the organisation's slug and ``object_id``) when that is not ``report``. Returns how
    many were created."""
    from amparo.intake.models import Notification

    rows = [
        Notification(
            recipient=user,
            organisation_id=getattr(organisation, "pk", organisation),
            report=report,
            kind=kind[:32],
            link=link,
            object_id=str(object_id or ""),
        )
        for user in {u.pk: u for u in recipients if u is not None}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def team(organisation: Any) -> list[Any]:
    """The shift leads, coordinators and administrators of ``organisation``: told when no one
    in particular works on what happened."""
    from amparo.intake.alarms import recipients

    return recipients(organisation, "shift_lead") + recipients(organisation, "coordinator")


def report_audience(report: Report) -> list[Any]:
    """Who is told what a reporter did: the caseworker assigned to the report, else the
    assignee of its case, else the organisation's team (:func:`team`)."""
    if report.assigned_to_id:
        return [report.assigned_to]
    link = getattr(report, "case_link", None) if report.pk else None
    if link is not None and link.case.assignee_id:
        return [link.case.assignee]
    return team(report.organisation)


def tell_staff(report: Report, kind: str) -> None:
    """Tell :func:`report_audience` that the reporter did ``kind`` on ``report``."""
    notify(report_audience(report), report.organisation, kind, report=report)


def mark_read(user: Any, organisation: Any, one: int | None = None) -> int:
    """Mark one of ``user``'s notifications at ``organisation`` (``one``), or all, as read.
    Someone else's notification is never touched (``PermissionDenied`` for ``one``)."""
    from amparo.intake.models import Notification

    mine = Notification.objects.filter(
        recipient_id=user.pk, organisation=organisation, read_at__isnull=True
    )
    if one is not None:
        if not Notification.objects.filter(
            pk=one, recipient_id=user.pk, organisation=organisation
        ).exists():
            raise PermissionDenied
        mine = mine.filter(pk=one)
    return mine.update(read_at=timezone.now())
