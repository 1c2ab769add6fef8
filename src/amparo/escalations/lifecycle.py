"""An escalation once it is ready: sent (by e-mail or webhook through the worker, in a form
by hand, or marked as sent by hand), answered, closed — and the case following it.

* **Claim before send.** :func:`send` takes the escalation with a conditional UPDATE (status
  and version as read, ``events.advance``) before anything is queued or recorded: of two sends
  at once, in two threads or two processes, one queues the message and the other is refused,
  so the platform hears once. A queued message keeps the claim until it is delivered; one the
  worker gave up on (or that was cancelled) releases it, and "Send again" claims anew.
* **The case follows.** The escalation's being sent moves its case to "awaiting the platform"
  (``cases.services.transition_case``); the answer to the last escalation still out moves it
  back to "in progress". A resolved or closed case is left where it is.
* **Clocks.** Being sent starts the response clock (reminder, chases: ``clocks.py``) and puts
  ``expected_response_at`` in the case's "Next due" (``cases/clocks.py``); an answer or closing
  stops both.
* **The answer** has the day it arrived (``received_on``), not the day it was typed in: the
  scorecard's times to first response count from it. Its statement of reasons is parsed once,
  here; the platform's content id it names is kept (encrypted) and looked up in the
  Transparency Database, and a match is saved on the case (``cases/statements.py``).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases import clocks as case_clocks
from amparo.escalations import clocks, register, states, transports
from amparo.escalations.events import advance, event, writer
from amparo.escalations.models import Escalation, Outcome, Status
from amparo.outbound import services as outbound

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

logger = logging.getLogger("amparo.escalations")

# When a channel was removed from the register since the escalation was prepared.
FALLBACK_RESPONSE_HOURS = 72.0


def fresh(escalation: Escalation) -> Escalation:
    """The caller's object, read again: every decision is taken on what the database holds."""
    escalation.refresh_from_db()
    return escalation


def _response_hours(escalation: Escalation) -> float:
    try:
        chan = register.channel(escalation.organisation, escalation.channel_code)
    except KeyError:
        return FALLBACK_RESPONSE_HOURS
    return float(chan.expected_response_hours)


def _channel(escalation: Escalation) -> Any:
    try:
        return register.channel(escalation.organisation, escalation.channel_code)
    except KeyError:
        raise ValidationError(
            _("This channel is no longer in the register; cancel the escalation.")
        ) from None


def require_open_case(case: Any) -> None:
    """Refuse to reach a platform about a resolved or closed case (its status read again)."""
    from amparo.cases.models import Case
    from amparo.cases.states import OPEN

    status = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
    if status not in OPEN:
        raise ValidationError(_("The case is resolved or closed: reopen it first."))


# ------------------------------------------------------------------------- the case follows


def _case_awaits(escalation: Escalation, *, actor: Actor) -> None:
    """The case waits for the platform now (unless it is resolved or closed, or waits already)."""
    from amparo.cases.models import Case
    from amparo.cases.services import transition_case
    from amparo.cases.states import Status as CaseStatus
    from amparo.cases.states import allowed

    case = Case.objects.select_for_update().get(pk=escalation.case_id)
    if case.status == CaseStatus.AWAITING_PLATFORM:
        return
    if CaseStatus.AWAITING_PLATFORM not in allowed(case.status):
        return
    transition_case(case, CaseStatus.AWAITING_PLATFORM, actor=actor, system=actor is None)
    escalation.case.status = CaseStatus.AWAITING_PLATFORM


def _case_answered(escalation: Escalation, *, actor: Actor) -> None:
    """The case is back in the caseworkers' hands when no other escalation of it is still out."""
    from amparo.cases.models import Case
    from amparo.cases.services import transition_case
    from amparo.cases.states import Status as CaseStatus

    case = Case.objects.select_for_update().get(pk=escalation.case_id)
    if case.status != CaseStatus.AWAITING_PLATFORM:
        return
    if (
        Escalation.objects.filter(case_id=case.pk, status=Status.SENT)
        .exclude(pk=escalation.pk)
        .exists()
    ):
        return
    transition_case(case, CaseStatus.IN_PROGRESS, actor=actor, system=actor is None)
    escalation.case.status = CaseStatus.IN_PROGRESS


# ------------------------------------------------------------------------------- sending


def _mark_sent(
    escalation: Escalation,
    action: str,
    *,
    actor: Actor,
    sent_at: datetime,
    reference: str,
    event_kind: str,
    new: dict[str, Any],
    any_version: bool = False,
    **claim: Any,
) -> None:
    """In the caller's transaction: sent, the case waiting, the clock started, audited."""
    changes = {
        "sent_at": sent_at,
        "external_reference": reference[:200],
        "expected_response_at": sent_at + timedelta(hours=_response_hours(escalation)),
        **claim,
    }
    if any_version:  # the worker: the e-mail has left, whatever was changed meanwhile
        states.check(escalation.status, action, Status.SENT)
        if not Escalation.objects.filter(pk=escalation.pk, status=Status.READY).update(
            status=Status.SENT, version=F("version") + 1, **changes
        ):
            return
        escalation.status = Status.SENT
        for name, value in changes.items():
            setattr(escalation, name, value)
    else:
        advance(escalation, action, to=Status.SENT, **changes)
    _case_awaits(escalation, actor=actor)
    event(escalation, event_kind, actor=actor, new=new)
    clocks.start(escalation)
    case_clocks.refresh(escalation.case)


def _live_claim(escalation: Escalation) -> Any:
    """The queued (or just delivered) message that holds the escalation's claim, if any."""
    if escalation.send_claimed_at is None:
        return None
    from amparo.core.models import OutboundMessage

    latest = outbound.latest_for("escalation", escalation.pk)
    live = (OutboundMessage.Status.PENDING, OutboundMessage.Status.SENT)
    return latest if latest is not None and latest.status in live else None


def is_queued(escalation: Escalation) -> bool:
    return _live_claim(escalation) is not None


def send(escalation: Escalation, *, actor: Actor, external_reference: str = "") -> Escalation:
    """Send through the channel's transport; a form filled by hand records its reference.

    By e-mail or webhook the package is queued: nothing waits for a mail server or the
    receiving system here, and the escalation counts as sent when the worker delivered it
    (:func:`email_delivered`). The escalation is claimed first; a second send is refused."""
    writer(escalation.case, actor)
    with transaction.atomic():
        fresh(escalation)
        states.check(escalation.status, "send")
        require_open_case(escalation.case)
        chan = _channel(escalation)
        now = timezone.now()
        claim: dict[str, Any] = {"send_claimed_at": now, "send_claimed_by": actor}
        if escalation.transport in ("email", "webhook"):
            if _live_claim(escalation) is not None:
                raise ValidationError(
                    _("The e-mail is already queued; it leaves as soon as the mail server answers.")
                    if escalation.transport == "email"
                    else _(
                        "The package is already queued; it leaves as soon as the receiver answers."
                    )
                )
            advance(escalation, "send", **claim)
            transport: Any = transports.TRANSPORTS[escalation.transport]
            message = transport.queue(escalation, chan)
            event(
                escalation,
                "queued",
                actor=actor,
                new={"transport": escalation.transport, "message": str(message.pk)},
            )
            return escalation
        reference = transports.send(escalation, chan, external_reference=external_reference)
        _mark_sent(
            escalation,
            "send",
            actor=actor,
            sent_at=now,
            reference=reference,
            event_kind="sent",
            new={"transport": escalation.transport, "expected_hours": chan.expected_response_hours},
            **claim,
        )
    return escalation


@outbound.on_delivered("escalation")
def email_delivered(message: Any) -> None:
    """The worker handed an escalation's e-mail to the mail server (or its webhook's receiver
    answered 2xx): it is sent now, its clock starts and its case waits for the platform (unless
    a caseworker marked it as sent by hand, or cancelled it, meanwhile)."""
    escalation = (
        Escalation.objects.select_related("case", "case__organisation")
        .filter(pk=message.ref, status=Status.READY)
        .first()
    )
    if escalation is None:
        return
    _mark_sent(
        escalation,
        "delivered",
        actor=None,
        sent_at=message.sent_at or timezone.now(),
        reference=getattr(message, "reply", "") or escalation.case.reference,
        event_kind="sent",
        new={
            "transport": "webhook" if message.transport == "http" else "email",
            "expected_hours": _response_hours(escalation),
        },
        any_version=True,
    )


def _moment_of(day: date, *, not_before: datetime | None = None) -> datetime:
    """When something that happened on ``day`` is counted from: now if it is today, else noon
    that day (never before ``not_before``)."""
    if day == timezone.localdate():
        return timezone.now()
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    return max(moment, not_before) if not_before else moment


@transaction.atomic
def mark_sent_by_hand(
    escalation: Escalation, *, actor: Actor, sent_on: date, reference: str = ""
) -> Escalation:
    """A caseworker sent the package themselves (from the role mailbox, by a form): record the
    day and, if given, the platform's reference; the queued e-mail, if any, is cancelled."""
    writer(escalation.case, actor)
    fresh(escalation)
    states.check(escalation.status, "mark_sent")
    if sent_on > timezone.localdate():
        raise ValidationError(_("The day it was sent cannot be in the future."))
    if sent_on < timezone.localdate(escalation.created_at):
        raise ValidationError(
            _("The day it was sent cannot be before the escalation was prepared.")
        )
    cancelled = outbound.cancel_for("escalation", escalation.pk)
    reference = reference.strip()
    _mark_sent(
        escalation,
        "mark_sent",
        actor=actor,
        sent_at=_moment_of(sent_on),
        reference=reference,
        event_kind="sent_by_hand",
        new={
            "transport": "by_hand",
            "sent_on": sent_on.isoformat(),
            "reference": bool(reference),
            "cancelled_messages": cancelled,
        },
    )
    return escalation


# ---------------------------------------------------------------------- answer and close


def parse_statement_codes(text: str) -> dict[str, Any] | None:
    """Art 17 / Transparency Database fields found in a statement of reasons (codes, and the
    platform's content id under ``platform_uid``)."""
    from amparo.engines.remedies.sor import parse_statement

    fields = parse_statement(text).to_tdb()
    return {name: value for name, value in fields.items() if value not in (None, "", [])} or None


def record_response(
    escalation: Escalation,
    *,
    actor: Actor,
    received_on: date | None = None,
    text: str = "",
    outcome: str = "",
    account_restored_on: date | None = None,
    decision_reference: str = "",
    content_id: str = "",
) -> Escalation:
    """The platform answered on ``received_on`` (today when not given; not in the future, not
    before the escalation was sent). A pasted statement of reasons is parsed once; the content
    id it names (or ``content_id``, typed) is kept and looked up in the Transparency Database."""
    writer(escalation.case, actor)
    with transaction.atomic():
        fresh(escalation)
        states.check(escalation.status, "respond", Status.RESPONDED)
        received_on = received_on or timezone.localdate()
        if received_on > timezone.localdate():
            raise ValidationError(_("The day the answer arrived cannot be in the future."))
        if escalation.sent_at and received_on < timezone.localdate(escalation.sent_at):
            raise ValidationError(
                _("The day the answer arrived cannot be before the escalation was sent.")
            )
        if outcome and outcome not in Outcome.values:
            raise ValidationError(_("Unknown outcome."))
        if account_restored_on and account_restored_on > timezone.localdate():
            raise ValidationError(_("The day the account was restored cannot be in the future."))
        was = escalation.status
        old = {"status": was, "outcome": escalation.outcome}
        changes: dict[str, Any] = {}
        if escalation.first_response_at is None:
            changes["first_response_at"] = _moment_of(received_on, not_before=escalation.sent_at)
            changes["response_received_on"] = received_on
        text = text.strip()
        parsed_uid = ""
        if text and text != (escalation.response_text or ""):
            codes = parse_statement_codes(text) or {}
            parsed_uid = str(codes.pop("platform_uid", "") or "")
            changes["statement"] = codes or None
        if outcome:
            changes["outcome"] = outcome
        if account_restored_on:
            changes["account_restored_on"] = account_restored_on
        if decision_reference.strip():
            changes["decision_reference"] = decision_reference.strip()[:200]
        advance(escalation, "respond", to=Status.RESPONDED, **changes)
        new_uid = (content_id.strip() or parsed_uid)[:200]
        sealed = []
        if text:
            escalation.response_text = text
            sealed.append("response_text")
        if new_uid and new_uid != (escalation.content_id or ""):
            escalation.content_id = new_uid
            sealed.append("content_id")
        if sealed:
            escalation.save(update_fields=sealed)
        look_up = new_uid if "content_id" in sealed else ""
        if was == Status.SENT:
            clocks.stop(escalation)
            _case_answered(escalation, actor=actor)
            case_clocks.refresh(escalation.case)
        event(
            escalation,
            "responded",
            actor=actor,
            old=old,
            new={
                "status": Status.RESPONDED,
                "outcome": escalation.outcome,
                "received_on": received_on.isoformat(),
                "statement": bool(escalation.statement),
                "content_id": bool(new_uid),
            },
        )
    if look_up:
        _match_statement(escalation, look_up, actor=actor)
    return escalation


def _match_statement(escalation: Escalation, content_id: str, *, actor: Actor) -> None:
    """Look the content id up in the Transparency Database store; save what matches on the
    case. A store that is missing or unreadable changes nothing (the case page says why)."""
    from amparo.cases.statements import lookup_and_save

    try:
        lookup_and_save(escalation.case, content_id, actor=actor, escalation=escalation)
    except Exception:
        logger.exception("the Transparency Database look-up after a response failed")


@transaction.atomic
def close(escalation: Escalation, *, actor: Actor, outcome: str = "") -> Escalation:
    """Nothing more is expected: a sent escalation that was never answered closes with the
    outcome "no response" unless another is given."""
    writer(escalation.case, actor)
    fresh(escalation)
    states.check(escalation.status, "close", Status.CLOSED)
    if outcome and outcome not in Outcome.values:
        raise ValidationError(_("Unknown outcome."))
    was = escalation.status
    outcome = outcome or escalation.outcome or (Outcome.NO_RESPONSE if was == Status.SENT else "")
    old = {"status": was, "outcome": escalation.outcome}
    advance(escalation, "close", to=Status.CLOSED, outcome=outcome, closed_at=timezone.now())
    if was == Status.SENT:
        clocks.stop(escalation)
        _case_answered(escalation, actor=actor)
        case_clocks.refresh(escalation.case)
    event(
        escalation,
        "closed",
        actor=actor,
        old=old,
        new={"status": Status.CLOSED, "outcome": outcome},
    )
    return escalation
