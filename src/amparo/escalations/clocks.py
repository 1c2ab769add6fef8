"""The clock of an escalation: a reminder before the expected response time, a chase when it
passes (and again after half that time again), stopped by the platform's response."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.languages import speaking_to
from amparo.escalations.register import label
from amparo.outbound import services as outbound
from amparo.worker.registry import scheduled
from amparo.worker.services import cancel, schedule

REMINDER = "escalation.reminder"
CHASE = "escalation.chase"
MAX_CHASES = 3
#: Notification kinds (``intake.notices`` says them in words).
DUE_SOON = "response due soon"
OVERDUE = "overdue: chase the platform"
logger = logging.getLogger("amparo.escalations")


def start(escalation: Any) -> None:
    span = escalation.expected_response_at - escalation.sent_at
    schedule(
        REMINDER,
        key=f"{REMINDER}:{escalation.pk}",
        organisation=escalation.case.organisation,
        due_at=escalation.sent_at + span * 0.75,
        payload={"escalation": str(escalation.pk)},
    )
    schedule(
        CHASE,
        key=f"{CHASE}:{escalation.pk}:1",
        organisation=escalation.case.organisation,
        due_at=escalation.expected_response_at,
        payload={"escalation": str(escalation.pk), "n": 1},
    )


def stop(escalation: Any) -> None:
    cancel(f"{REMINDER}:{escalation.pk}")
    for n in range(1, MAX_CHASES + 1):
        cancel(f"{CHASE}:{escalation.pk}:{n}")


def _notify(escalation: Any, kind: str) -> None:
    """Tell the case's caseworker (else who prepared the escalation) in the app, and by e-mail
    in their staff language, that the platform's answer is due soon or overdue (``kind``)."""
    from amparo.intake.notifying import notify

    user = escalation.case.assignee or escalation.created_by
    notify(
        [user],
        escalation.organisation_id,
        kind,
        link="escalation_detail",
        object_id=escalation.pk,
    )
    # In-app above, always; the e-mail is queued for the worker.
    org = escalation.case.organisation
    values = {
        "ref": escalation.case.reference,
        "channel": label(escalation.channel_code),
        "link": settings.SITE_URL + reverse("escalation_detail", args=[org.slug, escalation.pk]),
    }
    with speaking_to(user):
        if kind == DUE_SOON:
            subject = _("Case %(ref)s: the platform's answer is due soon") % values
        else:
            subject = _("Case %(ref)s: the platform is late to answer, chase it") % values
        body = _("Escalation through %(channel)s.\n\nOpen it in Amparo: %(link)s") % values
    outbound.queue_email_or_log(
        EmailMessage(subject=subject, body=body, to=[user.email]),
        kind="reminder",
        organisation=org,
        ref=escalation.pk,
    )


@scheduled(REMINDER)
def reminder(job: Any) -> None:
    from amparo.escalations.models import Escalation, Status

    escalation = (
        Escalation.objects.filter(pk=job.payload["escalation"], status=Status.SENT)
        .select_related("case")
        .first()
    )
    if escalation is not None:
        _notify(escalation, DUE_SOON)


@scheduled(CHASE)
def chase(job: Any) -> None:
    from amparo.audit.services import record
    from amparo.escalations.models import Escalation, Status

    escalation = (
        Escalation.objects.filter(pk=job.payload["escalation"], status=Status.SENT)
        .select_related("case")
        .first()
    )
    if escalation is None:
        return
    n = int(job.payload.get("n", 1))
    Escalation.objects.filter(pk=escalation.pk).update(chases=n)
    record(
        "escalation.overdue",
        obj=escalation,
        organisation=escalation.organisation_id,
        new={"chase": n},
    )
    _notify(escalation, OVERDUE)
    sent, expected = escalation.sent_at, escalation.expected_response_at
    if n < MAX_CHASES:
        # a sent escalation has both; without them the next chase comes after an hour
        span = expected - sent if sent and expected else timedelta(hours=2)
        schedule(
            CHASE,
            key=f"{CHASE}:{escalation.pk}:{n + 1}",
            organisation=escalation.case.organisation,
            due_at=timezone.now() + max(span / 2, timedelta(hours=1)),
            payload={"escalation": str(escalation.pk), "n": n + 1},
        )
