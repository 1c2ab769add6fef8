"""Escalating a case: build the package, approve it when it carries personal data, edit or
cancel it before it leaves; then (``lifecycle.py``) send it, run the clock, record the answer
and close it. The state machine is ``states.py``; every change passes ``events.advance``.

An e-mail escalation is queued (``amparo.outbound``) and stays *ready* until the worker has
handed it to the mail server (:func:`email_delivered`) or a caseworker marks it as sent by hand
(:func:`mark_sent_by_hand`, which cancels the queued message); only then is it *sent* and its
clock started."""

from __future__ import annotations

import inspect
import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.languages import speaking_to
from amparo.accounts.roles import Capability
from amparo.escalations import packaging, register, states, transports
from amparo.escalations.events import advance, event, writer
from amparo.escalations.lifecycle import (
    FALLBACK_RESPONSE_HOURS,
    close,
    email_delivered,
    fresh,
    is_queued,
    mark_sent_by_hand,
    parse_statement_codes,
    record_response,
    require_open_case,
    send,
)
from amparo.escalations.models import Escalation, Status
from amparo.outbound import services as outbound

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor

__all__ = [
    "FALLBACK_RESPONSE_HOURS",
    "approve",
    "cancel",
    "close",
    "create",
    "edit",
    "email_delivered",
    "is_queued",
    "mark_sent_by_hand",
    "parse_statement_codes",
    "preview",
    "record_response",
    "reports_of",
    "send",
    "statement_for_case",
]


def reports_of(case: Any) -> list[Any]:
    return [link.report for link in case.report_links.select_related("report", "report__data_key")]


def _build(
    case: Any,
    chan: Any,
    reports: list[Any],
    *,
    disclose_identity: bool,
    notice: dict[str, str] | None,
    asked_and_confirmed: bool,
) -> packaging.Package:
    """``packaging.build`` with the notice and the confirmation, where it takes them."""
    accepted = inspect.signature(packaging.build).parameters
    extra: dict[str, Any] = {}
    if "notice" in accepted:
        extra["notice"] = notice
    if "asked_and_confirmed" in accepted:
        extra["asked_and_confirmed"] = asked_and_confirmed
    build: Any = packaging.build
    package: packaging.Package = build(
        case, chan, reports, disclose_identity=disclose_identity, **extra
    )
    return package


def preview(
    case: Any,
    channel_code: str,
    *,
    disclose_identity: bool,
    notice: dict[str, str] | None = None,
    asked_and_confirmed: bool = False,
) -> tuple[Any, packaging.Package]:
    chan = register.channel(case.organisation, channel_code)
    if not chan.covers(case.platform) and chan.kind.value != "regulator":
        raise ValidationError(_("This channel does not cover the case's platform."))
    return chan, _build(
        case,
        chan,
        reports_of(case),
        disclose_identity=disclose_identity,
        notice=notice,
        asked_and_confirmed=asked_and_confirmed,
    )


def _check_consent(reports: list[Any], disclose_identity: bool, asked_and_confirmed: bool) -> None:
    from amparo.intake.disclosure import consent_of

    consent = consent_of(reports)
    if disclose_identity and consent == "no":
        raise ValidationError(
            _("The reporter did not consent to sharing their identity with the platform.")
        )
    if disclose_identity and consent == "ask" and not asked_and_confirmed:
        raise ValidationError(
            _("Confirm that you asked the reporter and they agreed to this disclosure.")
        )


def _clean_notice(notice: dict[str, str] | None) -> dict[str, str]:
    return {
        str(k): str(v).strip()
        for k, v in (notice or {}).items()
        if v is not None and str(v).strip()
    }


@transaction.atomic
def create(
    case: Any,
    channel_code: str,
    *,
    actor: Actor,
    disclose_identity: bool = False,
    notice: dict[str, str] | None = None,
    asked_and_confirmed: bool = False,
) -> Escalation:
    writer(case, actor)
    require_open_case(case)
    _check_consent(reports_of(case), disclose_identity, asked_and_confirmed)
    notice = _clean_notice(notice)
    chan, package = preview(
        case,
        channel_code,
        disclose_identity=disclose_identity,
        notice=notice,
        asked_and_confirmed=asked_and_confirmed,
    )
    escalation = Escalation(
        organisation_id=case.organisation_id,
        case=case,
        data_key_id=case.data_key_id,
        platform=case.platform,
        channel_code=chan.code,
        channel_kind=str(chan.kind.value),
        transport=transports.choose(chan),
        status=Status.AWAITING_APPROVAL if package.personal else Status.READY,
        package_fields=sorted(package.fields),
        carries_personal_data=package.personal,
        disclose_identity=disclose_identity,
        asked_and_confirmed=asked_and_confirmed,
        created_by=actor,
    )
    escalation.package = package.fields
    escalation.notice = notice
    escalation.save()
    event(
        escalation,
        "created",
        actor=actor,
        new={
            "channel": chan.code,
            "fields": sorted(package.fields),
            "personal": package.personal,
            "withheld": package.withheld,
            "status": escalation.status,
        },
    )
    if escalation.status == Status.AWAITING_APPROVAL:
        notify_approvers(escalation, actor=actor)
    return escalation


def _canonical(fields: Any) -> str:
    return json.dumps(fields or {}, sort_keys=True, ensure_ascii=False, default=str)


@transaction.atomic
def edit(
    escalation: Escalation,
    *,
    actor: Actor,
    notice: dict[str, str] | None = None,
    disclose_identity: bool | None = None,
    asked_and_confirmed: bool = False,
) -> Escalation:
    """Rebuild a prepared escalation's package from ``notice`` (and the identity choices), as
    :func:`create` builds it. A package with personal data that changed, or that still waits,
    needs a second person's approval (again); an unchanged one keeps its approval. Nothing is
    written when nothing changed. Refused once the package is queued or sent."""
    writer(escalation.case, actor)
    fresh(escalation)
    states.check(escalation.status, "edit")
    require_open_case(escalation.case)
    if is_queued(escalation):
        raise ValidationError(
            _("The package is queued to leave: cancel the escalation, or mark it as sent.")
        )
    disclose = escalation.disclose_identity if disclose_identity is None else disclose_identity
    _check_consent(reports_of(escalation.case), disclose, asked_and_confirmed)
    notice = _clean_notice(notice)
    try:
        _chan, package = preview(
            escalation.case,
            escalation.channel_code,
            disclose_identity=disclose,
            notice=notice,
            asked_and_confirmed=asked_and_confirmed,
        )
    except KeyError:
        raise ValidationError(
            _("This channel is no longer in the register; cancel the escalation.")
        ) from None
    changed = _canonical(package.fields) != _canonical(escalation.package)
    if (
        not changed
        and notice == (escalation.notice or {})
        and disclose == escalation.disclose_identity
        and asked_and_confirmed == escalation.asked_and_confirmed
    ):
        return escalation
    if not package.personal:
        target = Status.READY
    elif changed or escalation.status == Status.AWAITING_APPROVAL:
        target = Status.AWAITING_APPROVAL
    else:
        target = Status.READY  # the approved package is the one that leaves
    old = {
        "status": escalation.status,
        "fields": escalation.package_fields,
        "personal": escalation.carries_personal_data,
    }
    # A changed package loses its approval, and whoever changed it cannot be the second person.
    approval: dict[str, Any] = (
        {"approved_by": None, "approved_at": None, "edited_by": actor} if changed else {}
    )
    advance(
        escalation,
        "edit",
        to=target,
        package_fields=sorted(package.fields),
        carries_personal_data=package.personal,
        disclose_identity=disclose,
        asked_and_confirmed=asked_and_confirmed,
        send_claimed_at=None,
        send_claimed_by=None,
        **approval,
    )
    escalation.package = package.fields
    escalation.notice = notice
    escalation.save(update_fields=["package", "notice"])
    event(
        escalation,
        "edited",
        actor=actor,
        old=old,
        new={
            "status": target,
            "fields": sorted(package.fields),
            "personal": package.personal,
            "changed": changed,
            "withheld": package.withheld,
        },
    )
    if target == Status.AWAITING_APPROVAL and (changed or old["status"] != target):
        notify_approvers(escalation, actor=actor)
    return escalation


@transaction.atomic
def approve(escalation: Escalation, *, actor: User) -> Escalation:
    """A package with personal data leaves only after a second person approves it: not the
    person who prepared it, nor the one who last edited it."""
    writer(escalation.case, actor, Capability.REVEAL_IDENTITY)
    fresh(escalation)
    states.check(escalation.status, "approve", Status.READY)
    if actor.pk in (escalation.created_by_id, escalation.edited_by_id):
        raise ValidationError(
            _("A second person must approve a package that carries personal data.")
        )
    advance(escalation, "approve", to=Status.READY, approved_by=actor, approved_at=timezone.now())
    event(
        escalation,
        "approved",
        actor=actor,
        old={"status": Status.AWAITING_APPROVAL},
        new={"status": Status.READY},
    )
    return escalation


@transaction.atomic
def cancel(escalation: Escalation, *, actor: Actor) -> Escalation:
    """An escalation that has not been sent is withdrawn; a queued e-mail or webhook with it."""
    writer(escalation.case, actor)
    fresh(escalation)
    was = escalation.status
    advance(escalation, "cancel", to=Status.CANCELLED, closed_at=timezone.now())
    cancelled = outbound.cancel_for("escalation", escalation.pk)
    event(
        escalation,
        "cancelled",
        actor=actor,
        old={"status": was},
        new={"status": Status.CANCELLED, "cancelled_messages": cancelled},
    )
    return escalation


# --------------------------------------------------------------------------- approvers


def approvers(escalation: Escalation) -> list[Any]:
    """Who is asked to approve: the organisation's shift leads who may reveal identities, else
    everyone who may; never the person who prepared or last edited the package."""
    from amparo.accounts.models import Membership
    from amparo.accounts.roles import can

    members = [
        m
        for m in Membership.objects.filter(
            organisation_id=escalation.organisation_id, is_active=True, user__is_active=True
        ).select_related("user")
        if can(m.role, Capability.REVEAL_IDENTITY)
        and m.user_id not in (escalation.created_by_id, escalation.edited_by_id)
    ]
    leads = [m for m in members if m.is_shift_lead]
    return [m.user for m in (leads or members)]


def notify_approvers(escalation: Escalation, *, actor: Actor) -> int:
    """In the app (the alarms page), and by e-mail queued for the worker: a link, never what
    the package says."""
    from amparo.intake.notifying import notify

    people = approvers(escalation)
    notify(
        people,
        escalation.organisation_id,
        "escalation_needs_approval",
        link="escalation_detail",
        object_id=escalation.pk,
    )
    org = escalation.case.organisation
    link = settings.SITE_URL + reverse("escalation_detail", args=[org.slug, escalation.pk])
    for user in people:
        with speaking_to(user):
            subject = _("Escalation of %(ref)s waits for your approval") % {
                "ref": escalation.case.reference
            }
            body = _(
                "A package for %(channel)s carries personal data and needs a second person's "
                "approval before it leaves.\n\nOpen it: %(link)s"
            ) % {"channel": register.label(escalation.channel_code), "link": link}
        outbound.queue_email_or_log(
            EmailMessage(subject=subject, body=body, to=[user.email]),
            kind="reminder",
            organisation=org,
            ref=escalation.pk,
        )
    return len(people)


# -------------------------------------------------------- the statement, for the case


def statement_for_case(case: Any) -> dict[str, Any] | None:
    """What the platform's latest recorded statement of reasons on ``case`` says, parsed once
    when it was recorded: for the Transparency Database look-up (``content_id``) and for the
    remedy steps (the decision's reference, codes and the day it arrived)."""
    escalation = (
        Escalation.objects.filter(case=case, first_response_at__isnull=False)
        .exclude(statement__isnull=True, decision_reference="", content_id__isnull=True)
        .order_by("-first_response_at")
        .first()
    )
    if escalation is None:
        return None
    return {
        "escalation": escalation,
        "codes": escalation.statement or {},
        "content_id": escalation.content_id or "",
        "decision_reference": escalation.decision_reference,
        "received_on": escalation.response_received_on,
    }
