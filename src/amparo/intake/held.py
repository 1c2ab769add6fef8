"""Reports held as a possible flood (docs/intake.md, "Floods"): released to the queue or
discarded as junk by a coordinator, each one audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from amparo.audit.services import record
from amparo.intake.choices import ReportStatus
from amparo.intake.models import Report
from amparo.intake.services import erase_report

if TYPE_CHECKING:
    from amparo.accounts.types import Actor


def release_held(reports: Any, *, actor: Actor) -> int:
    """Send held reports to the normal queue, their alarms counted from now. Each one is
    audited; returns how many were released."""
    from amparo.intake.alarms import schedule_alarms

    released = 0
    for report in reports:
        with transaction.atomic():
            if not Report.objects.filter(pk=report.pk, held=True, erased_at__isnull=True).update(
                held=False
            ):
                continue  # released or discarded meanwhile
            report.held = False
            if report.status == ReportStatus.RECEIVED:
                schedule_alarms(report)
            record(
                "report.released", actor=actor, obj=report, old={"held": True}, new={"held": False}
            )
        released += 1
    return released


def discard_held(reports: Any, *, actor: Actor) -> int:
    """Discard held reports as junk: each is erased (its data key shredded, its files deleted)
    and audited as discarded. Returns how many were discarded."""
    discarded = 0
    for report in reports:
        if not report.held or report.erased_at is not None:
            continue
        with transaction.atomic():
            erase_report(report, actor=actor)
            record("report.discarded", actor=actor, obj=report, old={"held": True})
        discarded += 1
    return discarded
