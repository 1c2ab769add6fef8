"""Clocks of the remedy ladder as scheduled jobs: a reminder before a filing window closes,
and a chase when a decision is due and nothing was recorded."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.outbound import services as outbound
from amparo.worker.registry import scheduled
from amparo.worker.services import cancel, schedule

WINDOW = "remedy.window_closing"
DUE = "remedy.decision_due"
WARN_DAYS = (14, 3)


def _at(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def watch_windows(decision: Any, remedies: list[Any]) -> None:
    for remedy in remedies:
        if remedy.deadline_kind != "filing_window" or remedy.deadline is None:
            continue
        for days in WARN_DAYS:
            due = _at(remedy.deadline - timedelta(days=days))
            if due > timezone.now():
                schedule(
                    WINDOW,
                    key=f"{WINDOW}:{decision.pk}:{remedy.code.value}:{days}",
                    organisation=decision.case.organisation,
                    due_at=due,
                    payload={"decision": str(decision.pk), "code": remedy.code.value, "days": days},
                )


def watch_decision(step: Any) -> None:
    if step.decision_due:
        schedule(
            DUE,
            key=f"{DUE}:{step.pk}",
            organisation=step.decision.case.organisation,
            due_at=_at(step.decision_due),
            payload={"step": str(step.pk)},
        )
    for days in WARN_DAYS:
        cancel(f"{WINDOW}:{step.decision_id}:{step.code}:{days}")


def stop(step: Any) -> None:
    cancel(f"{DUE}:{step.pk}")


def _tell(case: Any, subject: str) -> None:
    from amparo.intake.models import Notification

    users = [u for u in (case.assignee,) if u is not None] or [case.decisions.first().created_by]
    for user in users:
        Notification.objects.create(
            recipient=user, organisation_id=case.organisation_id, kind=subject[:32]
        )
    # In-app above, always; the e-mails are queued for the worker after.
    for user in users:
        outbound.queue_email_or_log(
            EmailMessage(
                subject=_("Case %(ref)s: %(what)s") % {"ref": case.reference, "what": subject},
                body=_("Open the case in Amparo to act before the deadline."),
                to=[user.email],
            ),
            kind="reminder",
            organisation=case.organisation,
            ref=case.pk,
        )


@scheduled(WINDOW)
def window_closing(job: Any) -> None:
    from amparo.remedies.models import PlatformDecision

    decision = (
        PlatformDecision.objects.filter(pk=job.payload["decision"]).select_related("case").first()
    )
    if (
        decision is None
        or decision.steps.filter(code=job.payload["code"]).exclude(status="prepared").exists()
    ):
        return
    _tell(decision.case, f"{job.payload['code']} window closes in {job.payload['days']} days")


@scheduled(DUE)
def decision_due(job: Any) -> None:
    from amparo.remedies.models import RemedyStep

    step = (
        RemedyStep.objects.filter(pk=job.payload["step"], status=RemedyStep.Status.FILED)
        .select_related("decision__case")
        .first()
    )
    if step is not None:
        _tell(step.decision.case, f"{step.code} decision overdue")
