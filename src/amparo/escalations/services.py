"""Escalating a case: build the package, approve it when it carries personal data, send it
through a transport, run the clock, record the response and the outcome.

An e-mail escalation is queued (``amparo.core.outbound``) and stays *ready* until the worker has
handed it to the mail server (:func:`email_delivered`) or a caseworker marks it as sent by hand
(:func:`mark_sent_by_hand`, which cancels the queued message); only then is it *sent* and its
clock started."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.cases.models import CaseEvent
from amparo.core import outbound
from amparo.escalations import clocks, packaging, register, transports
from amparo.escalations.models import Escalation, Outcome, Status


def _writer(case: Any, actor: Any, capability: str = Capability.WRITE_CASES) -> None:
    require_capability(actor, case.organisation_id, capability)


def _event(
    escalation: Escalation, kind: str, *, actor: Any, old: Any = None, new: Any = None
) -> None:
    CaseEvent.objects.create(
        case=escalation.case, actor=actor, kind=f"escalation_{kind}", old=old, new=new
    )
    record(
        f"escalation.{kind}",
        actor=actor,
        obj=escalation,
        organisation=escalation.organisation_id,
        old=old,
        new=new,
    )


def reports_of(case: Any) -> list[Any]:
    return [link.report for link in case.report_links.select_related("report", "report__data_key")]


def preview(
    case: Any, channel_code: str, *, disclose_identity: bool
) -> tuple[Any, packaging.Package]:
    chan = register.channel(case.organisation, channel_code)
    if not chan.covers(case.platform) and chan.kind.value != "regulator":
        raise ValidationError(_("This channel does not cover the case's platform."))
    return chan, packaging.build(case, chan, reports_of(case), disclose_identity=disclose_identity)


@transaction.atomic
def create(
    case: Any,
    channel_code: str,
    *,
    actor: Any,
    disclose_identity: bool = False,
    asked_reporter: bool = False,
) -> Escalation:
    _writer(case, actor)
    reports = reports_of(case)
    consent = packaging.identity_consent(reports)
    if disclose_identity and consent == "no":
        raise ValidationError(
            _("The reporter did not consent to sharing their identity with the platform.")
        )
    if disclose_identity and consent == "ask" and not asked_reporter:
        raise ValidationError(
            _("Confirm that you asked the reporter and they agreed to this disclosure.")
        )
    chan, package = preview(case, channel_code, disclose_identity=disclose_identity)
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
        created_by=actor,
    )
    escalation.package = package.fields
    escalation.save()
    _event(
        escalation,
        "created",
        actor=actor,
        new={
            "channel": chan.code,
            "fields": sorted(package.fields),
            "personal": package.personal,
            "withheld": package.withheld,
        },
    )
    return escalation


@transaction.atomic
def approve(escalation: Escalation, *, actor: Any) -> Escalation:
    """A package with personal data leaves only after a second person approves it."""
    _writer(escalation.case, actor, Capability.REVEAL_IDENTITY)
    if escalation.status != Status.AWAITING_APPROVAL:
        raise ValidationError(_("This escalation does not need approval."))
    if escalation.created_by_id == actor.pk:
        raise ValidationError(
            _("A second person must approve a package that carries personal data.")
        )
    escalation.status = Status.READY
    escalation.approved_by = actor
    escalation.save(update_fields=["status", "approved_by"])
    _event(
        escalation,
        "approved",
        actor=actor,
        old={"status": "awaiting_approval"},
        new={"status": "ready"},
    )
    return escalation


# When a channel was removed from the register since the escalation was prepared.
FALLBACK_RESPONSE_HOURS = 72.0


def _response_hours(escalation: Escalation) -> float:
    try:
        chan = register.channel(escalation.organisation, escalation.channel_code)
    except KeyError:
        return FALLBACK_RESPONSE_HOURS
    return float(chan.expected_response_hours)


def _mark_sent(
    escalation: Escalation,
    *,
    actor: Any,
    sent_at: datetime,
    reference: str,
    event: str,
    new: dict[str, Any],
) -> None:
    """In the caller's transaction: sent, the clock started, audited."""
    escalation.status = Status.SENT
    escalation.sent_at = sent_at
    escalation.external_reference = reference[:200]
    escalation.expected_response_at = sent_at + timedelta(hours=_response_hours(escalation))
    escalation.save(
        update_fields=["status", "sent_at", "external_reference", "expected_response_at"]
    )
    _event(escalation, event, actor=actor, new=new)
    clocks.start(escalation)


def send(escalation: Escalation, *, actor: Any, external_reference: str = "") -> Escalation:
    """Send through the channel's transport; a form filled by hand records its reference.

    By e-mail or webhook the package is queued: nothing waits for a mail server or the
    receiving system here."""
    _writer(escalation.case, actor)
    if escalation.status != Status.READY:
        raise ValidationError(
            _("Only an escalation that is ready (and approved if needed) can be sent.")
        )
    chan = register.channel(escalation.organisation, escalation.channel_code)
    if escalation.transport in ("email", "webhook"):
        return _queue(escalation, chan, actor=actor)
    reference = transports.send(escalation, chan, external_reference=external_reference)
    with transaction.atomic():
        _mark_sent(
            escalation,
            actor=actor,
            sent_at=timezone.now(),
            reference=reference,
            event="sent",
            new={"transport": escalation.transport, "expected_hours": chan.expected_response_hours},
        )
    return escalation


@transaction.atomic
def _queue(escalation: Escalation, chan: Any, *, actor: Any) -> Escalation:
    from amparo.core.models import OutboundMessage

    locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if locked.status != Status.READY:
        raise ValidationError(
            _("Only an escalation that is ready (and approved if needed) can be sent.")
        )
    if OutboundMessage.objects.filter(
        kind="escalation", ref=str(escalation.pk), status=OutboundMessage.Status.PENDING
    ).exists():
        raise ValidationError(
            _("The e-mail is already queued; it leaves as soon as the mail server answers.")
            if escalation.transport == "email"
            else _("The package is already queued; it leaves as soon as the receiver answers.")
        )
    transport: Any = transports.TRANSPORTS[escalation.transport]
    message = transport.queue(escalation, chan)
    _event(
        escalation,
        "queued",
        actor=actor,
        new={"transport": escalation.transport, "message": str(message.pk)},
    )
    return escalation


@outbound.on_delivered("escalation")
def email_delivered(message: Any) -> None:
    """The worker handed an escalation's e-mail to the mail server (or its webhook's receiver
    answered 2xx): it is sent now, its clock starts (unless a caseworker marked it as sent by
    hand meanwhile)."""
    escalation = (
        Escalation.objects.select_for_update()
        .select_related("case", "case__organisation")
        .filter(pk=message.ref, status=Status.READY)
        .first()
    )
    if escalation is None:
        return
    _mark_sent(
        escalation,
        actor=None,
        sent_at=message.sent_at or timezone.now(),
        reference=getattr(message, "reply", "") or escalation.case.reference,
        event="sent",
        new={
            "transport": "webhook" if message.transport == "http" else "email",
            "expected_hours": _response_hours(escalation),
        },
    )


@transaction.atomic
def mark_sent_by_hand(
    escalation: Escalation, *, actor: Any, sent_on: date, reference: str = ""
) -> Escalation:
    """A caseworker sent the package themselves (from the role mailbox, by a form): record the
    day and, if given, the platform's reference; the queued e-mail, if any, is cancelled."""
    _writer(escalation.case, actor)
    escalation = (
        Escalation.objects.select_for_update()
        .select_related("case", "case__organisation")
        .get(pk=escalation.pk)
    )
    if escalation.status != Status.READY:
        raise ValidationError(
            _("Only an escalation that is ready (and approved if needed) can be marked as sent.")
        )
    today = timezone.localdate()
    if sent_on > today:
        raise ValidationError(_("The day it was sent cannot be in the future."))
    if sent_on < timezone.localdate(escalation.created_at):
        raise ValidationError(
            _("The day it was sent cannot be before the escalation was prepared.")
        )
    sent_at = (
        timezone.now()
        if sent_on == today
        else timezone.make_aware(datetime.combine(sent_on, time(12)))
    )
    cancelled = outbound.cancel_for("escalation", escalation.pk)
    reference = reference.strip()
    _mark_sent(
        escalation,
        actor=actor,
        sent_at=sent_at,
        reference=reference,
        event="sent_by_hand",
        new={
            "transport": "by_hand",
            "sent_on": sent_on.isoformat(),
            "reference": bool(reference),
            "cancelled_messages": cancelled,
        },
    )
    return escalation


@transaction.atomic
def record_response(
    escalation: Escalation,
    *,
    actor: Any,
    text: str = "",
    outcome: str = "",
    account_restored_on: Any = None,
) -> Escalation:
    _writer(escalation.case, actor)
    if escalation.status not in (Status.SENT, Status.RESPONDED):
        raise ValidationError(_("Record a response only for an escalation that was sent."))
    if outcome and outcome not in Outcome.values:
        raise ValidationError(_("Unknown outcome."))
    old = {"status": escalation.status, "outcome": escalation.outcome}
    now = timezone.now()
    if escalation.first_response_at is None:
        escalation.first_response_at = now
    if text:
        escalation.response_text = text
        escalation.statement = parse_statement_codes(text)
    if outcome:
        escalation.outcome = outcome
    if account_restored_on:
        escalation.account_restored_on = account_restored_on
    escalation.status = Status.RESPONDED
    escalation.save(
        update_fields=[
            "first_response_at",
            "response_text",
            "statement",
            "outcome",
            "account_restored_on",
            "status",
        ]
    )
    _event(
        escalation,
        "responded",
        actor=actor,
        old=old,
        new={"status": "responded", "outcome": escalation.outcome},
    )
    clocks.stop(escalation)
    return escalation


def parse_statement_codes(text: str) -> dict[str, Any] | None:
    """Art 17 / Transparency Database fields found in a statement of reasons (codes only)."""
    from amparo.engines.remedies.sor import parse_statement

    fields = parse_statement(text).to_tdb()
    return {name: value for name, value in fields.items() if value not in (None, "", [])} or None
