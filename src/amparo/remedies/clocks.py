"""Clocks of the remedy ladder as scheduled jobs: a reminder before a filing window closes,
and a chase when a decision is due and nothing was recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.accounts.languages import speaking_to
from amparo.outbound import services as outbound
from amparo.remedies.routes import REMEDY_LABELS
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


def _tell(case: Any, kind: str, subject: Callable[[], str]) -> None:
    """Tell the case's caseworker (else who recorded the decision) in the app, and by e-mail in
    their staff language: ``subject`` is called once per person inside that language."""
    from amparo.intake.notifying import notify

    users = [u for u in (case.assignee,) if u is not None] or [case.decisions.first().created_by]
    notify(users, case.organisation_id, kind, link="case_detail", object_id=case.pk)
    # In-app above, always; the e-mails are queued for the worker after.
    link = settings.SITE_URL + reverse("case_detail", args=[case.organisation.slug, case.pk])
    for user in users:
        with speaking_to(user):
            message = EmailMessage(
                subject=subject(),
                body=_("Open the case in Amparo to act before the deadline: %(link)s")
                % {"link": link},
                to=[user.email],
            )
        outbound.queue_email_or_log(
            message, kind="reminder", organisation=case.organisation, ref=case.pk
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
    code, days, case = job.payload["code"], int(job.payload["days"]), decision.case
    _tell(
        case,
        "remedy_window_closing",
        lambda: (
            ngettext(
                "Case %(ref)s: %(days)d day left to use %(remedy)s",
                "Case %(ref)s: %(days)d days left to use %(remedy)s",
                days,
            )
            % {"ref": case.reference, "days": days, "remedy": REMEDY_LABELS.get(code, code)}
        ),
    )


@scheduled(DUE)
def decision_due(job: Any) -> None:
    from amparo.remedies.models import RemedyStep

    step = (
        RemedyStep.objects.filter(pk=job.payload["step"], status=RemedyStep.Status.FILED)
        .select_related("decision__case")
        .first()
    )
    if step is not None:
        case, code = step.decision.case, step.code
        _tell(
            case,
            "remedy_decision_overdue",
            lambda: (
                _("Case %(ref)s: the decision on %(remedy)s is overdue")
                % {"ref": case.reference, "remedy": REMEDY_LABELS.get(code, code)}
            ),
        )
