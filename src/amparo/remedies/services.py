"""Remedies on a case: record the platform's decision, see which remedies are open and until
when, prepare the document for a step, file it, and record its outcome — each with its clock."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.cases.services import record_event
from amparo.engines.remedies import ladder
from amparo.intake import disclosure
from amparo.keyring import blobs
from amparo.remedies import clocks, routes
from amparo.remedies.models import PlatformDecision, RemedyStep

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

DOCUMENT_LANGUAGES = ["en", "fr", "de", "es", "it", "pl", "nl"]
# Remedy codes that have a generated document, and which document.
DOCUMENT_KIND = {
    "art16_notice": "art16_notice",
    "art20_complaint": "art20_complaint",
    "art86_priority_complaint": "art20_complaint",
    "art21_ods": "art21_submission",
    "art53_dsc_complaint": "art53_complaint",
}


def _writer(case: Any, actor: Actor) -> None:
    require_capability(actor, case.organisation_id, Capability.WRITE_CASES)


def _event(
    case: Any, kind: str, *, actor: Actor, obj: Any, new: Any = None, old: Any = None
) -> None:
    record_event(case, f"remedy_{kind}", actor=actor, old=old, new=new)
    record(
        f"remedy.{kind}", actor=actor, obj=obj, organisation=case.organisation_id, old=old, new=new
    )


def engine_decision(decision: PlatformDecision) -> ladder.Decision:
    """Who acts and where, for the ladder (``remedies.routes``)."""
    return routes.engine_decision(decision)


def open_remedies(decision: PlatformDecision) -> list[ladder.Remedy]:
    filed = {s.code: s for s in decision.steps.all()}
    ods = filed.get("art21_ods")
    return ladder.open_remedies(
        engine_decision(decision), ods_received_on=ods.filed_on if ods else None
    )


@transaction.atomic
def record_decision(
    case: Any,
    *,
    decision_type: str,
    informed_on: date,
    decided_on: date | None,
    represented: bool,
    actor: Actor,
    acting_as: str | None = None,
    decision_ground: str = "",
    statement_reference: str = "",
    source_escalation: Any = None,
) -> PlatformDecision:
    """Record the platform's decision and who acts on it (``ladder.Actor``: the person, a
    representative under Art 86, or the organisation as notifier). ``source_escalation``: the
    escalation whose response (its parsed statement of reasons) the values came from."""
    _writer(case, actor)
    if decision_type not in ladder.DECISION_TYPES:
        raise ValidationError(_("Unknown decision type."))
    acting_as = acting_as or (
        ladder.Actor.REPRESENTATIVE if represented else ladder.Actor.AFFECTED_USER
    )
    if acting_as not in {a.value for a in ladder.Actor}:
        raise ValidationError(_("Say who acts: the person, a representative or a notifier."))
    if decision_ground and decision_ground not in ladder.DECISION_GROUNDS:
        raise ValidationError(_("Unknown ground of the decision."))
    if decided_on and decided_on > informed_on:
        raise ValidationError(
            _("The decision cannot have been taken after the person was informed of it.")
        )
    if source_escalation is not None and source_escalation.case_id != case.pk:
        raise ValidationError(_("That escalation belongs to another case."))
    decision = PlatformDecision(
        organisation_id=case.organisation_id,
        case=case,
        decision_type=decision_type,
        informed_on=informed_on,
        decided_on=decided_on,
        represented_by_art86_body=represented or acting_as == ladder.Actor.REPRESENTATIVE,
        acting_as=acting_as,
        decision_ground=decision_ground,
        source_escalation=source_escalation,
        created_by=actor,
    )
    decision.statement_reference = statement_reference.strip()[:200]
    decision.save()
    _event(
        case,
        "decision_recorded",
        actor=actor,
        obj=decision,
        new={
            "type": decision_type,
            "informed_on": informed_on.isoformat(),
            "acting_as": acting_as,
            "from_escalation": str(source_escalation.pk) if source_escalation else None,
        },
    )
    clocks.watch_windows(decision, open_remedies(decision))
    return decision


def _remedy(decision: PlatformDecision, code: str) -> ladder.Remedy:
    for remedy in open_remedies(decision):
        if remedy.code.value == code:
            return remedy
    raise ValidationError(_("This remedy is not open for this decision."))


@transaction.atomic
def prepare_step(
    decision: PlatformDecision,
    code: str,
    *,
    language: str,
    facts: str,
    arguments: str,
    requested: str,
    include_identity: bool,
    actor: Actor,
    asked_and_confirmed: bool = False,
    include_account: bool = False,
    account: str = "",
    ods_body: str = "",
    requested_action: str = "",
) -> RemedyStep:
    """Generate the step's document from the case; it records exactly what it contains. The
    reporter's name goes in only with their consent: "yes", or "ask" and the caseworker
    confirmed they asked (``asked_and_confirmed``; ``amparo.intake.disclosure``).

    The document is wholly in ``language``: the decision and its ground by the engine's labels,
    the platform by its name. The person's account of events goes in only when the caseworker
    ticks ``include_account``, as ``account``: their own translation or summary, never the
    report's narrative itself. ``ods_body``: the certified Art 21 body the person chose, among
    those that take the dispute (Art 21(1)); empty, the submission names none. An Art 16
    notice is signed by the organisation as notifier, with its role address (Art 16(2)(c))."""
    case = decision.case
    _writer(case, actor)
    remedy = _remedy(decision, code)
    if language not in DOCUMENT_LANGUAGES:
        raise ValidationError(
            _(
                "Documents are available in English, French, German, Spanish, Italian, Polish and Dutch."
            )
        )
    if code == "art16_notice" and not case.organisation.notice_email:
        raise ValidationError(
            _(
                "A notice names the notifier's e-mail address (DSA Art 16(2)(c)): add your "
                "organisation's role address on its settings page first."
            )
        )
    if code == "art16_notice" and not (facts.strip() and arguments.strip()):
        raise ValidationError(
            _(
                "Art 16(2)(a): write why the content is illegal (the facts, in your own words) "
                "and the legal ground (the law and the provision)."
            )
        )
    if include_account and not account.strip():
        raise ValidationError(
            _("Write the person's account in the document's language: translated or summarised.")
        )
    body = None
    if ods_body:
        body = next((b for b in routes.ods_bodies(decision, language) if b.code == ods_body), None)
        if code != "art21_ods" or body is None:
            raise ValidationError(
                _(
                    "That body does not take this dispute (the platform, the language of the "
                    "submission or the kind of decision): choose one of those listed."
                )
            )
    # Acting as representative (Art 86(1)), a document says the person mandated the
    # organisation: only with a recorded valid mandate covering this remedy (collective app).
    if (
        decision.represented_by_art86_body or decision.acting_as == ladder.Actor.REPRESENTATIVE
    ) and code != "art16_notice":
        from amparo.collective.mandates import case_is_mandated

        if not case_is_mandated(case, code):
            raise ValidationError(
                _(
                    "No valid mandate covering this remedy is recorded for this person (DSA "
                    "Art 86(1)): record it on the collective action's member page first."
                )
            )
    reports = [link.report for link in case.report_links.select_related("report")]
    if (
        include_identity
        and not disclosure.for_reports(
            reports, asked_and_confirmed=asked_and_confirmed
        ).may_identify
    ):
        raise ValidationError(_("The reporter did not consent to sharing their identity."))
    from amparo.remedies.documents import render

    document = render(
        kind=DOCUMENT_KIND.get(code, ""),
        language=language,
        case=case,
        decision=decision,
        reports=reports,
        facts=facts,
        arguments=arguments,
        requested=requested,
        include_identity=include_identity,
        asked_and_confirmed=asked_and_confirmed,
        account=account if include_account else "",
        recipient=body.name if body else "",
        member_state=remedy.member_state or "",
        requested_action=requested_action,
    )
    step = RemedyStep(
        organisation_id=case.organisation_id,
        data_key_id=case.data_key_id,
        decision=decision,
        code=code,
        article=remedy.article,
        legal_basis=remedy.legal_basis[:200],
        language=language,
        filing_deadline=remedy.deadline if remedy.deadline_kind == "filing_window" else None,
        decision_due=remedy.deadline if remedy.deadline_kind == "decision_due" else None,
        document_sha256=document.sha256,
        document_contents=list(document.contents),
        includes_identity=include_identity,
        ods_body=body.code if body else "",
        time_zone=remedy.time_zone,
        created_by=actor,
    )
    step.document_text = document.text
    if document.pdf:
        step.document_pdf, _size = blobs.store(
            case.data_key,
            io.BytesIO(document.pdf),
            blobs.blob_aad(case.organisation_id, "remedy", step.pk),
        )
    step.save()
    _after_clock_change(case)  # its filing window in the case's "Next due"
    _event(
        case,
        "prepared",
        actor=actor,
        obj=step,
        new={
            "code": code,
            "language": language,
            "contents": list(document.contents),
            "ods_body": body.code if body else None,
        },
    )
    return step


def _today(case: Any) -> date:
    """The latest "today" that counts for ``case``: in the person's member state, or in the
    deployment's zone when that is ahead (a day typed there is not in the future)."""
    from datetime import datetime

    from amparo.cases.clocks import zone_for

    return max(datetime.now(zone_for(case)).date(), timezone.localdate())


def _day_of(case: Any, moment: Any) -> date:
    """The earliest day ``moment`` fell on, in the member state's zone or the deployment's."""
    from amparo.cases.clocks import zone_for

    return min(moment.astimezone(zone_for(case)).date(), timezone.localdate(moment))


def _move(step: RemedyStep, action: str, **changes: Any) -> str:
    """Move ``step`` by ``action`` (``remedies/states.py``), conditional on the status read
    again: of two changes at once, one lands; the other is refused."""
    from amparo.remedies import states

    current = RemedyStep.objects.filter(pk=step.pk).values_list("status", flat=True).first()
    to = states.check(current or step.status, action)
    if not RemedyStep.objects.filter(pk=step.pk, status=current).update(status=to, **changes):
        raise ValidationError(_("This step was changed a moment ago; open it again."))
    step.status = to
    for name, value in changes.items():
        setattr(step, name, value)
    return to


def _after_clock_change(case: Any) -> None:
    from amparo.cases import clocks as case_clocks

    case_clocks.refresh(case)


#: Steps whose filing window is a minimum the platform must offer (DSA Art 20(1)), not a bar.
MINIMUM_WINDOWS = frozenset({"art20_complaint", "art86_priority_complaint"})


@transaction.atomic
def file_step(step: RemedyStep, *, filed_on: date, reference: str, actor: Actor) -> RemedyStep:
    """The document was filed on ``filed_on`` (a day in the person's member state: not after
    today there, not before the document was prepared, not after the filing window closed);
    the decision clock starts."""
    case = step.decision.case
    _writer(case, actor)
    late = bool(step.filing_deadline and filed_on > step.filing_deadline)
    # DSA Art 20(1): the internal complaint-handling system must be open "for a period of at
    # least six months" after the person is informed — a minimum the platform must offer, not
    # a bar: a platform may accept a later complaint, so a late filing is recorded (and the
    # step page warns), never refused. Other windows (e.g. the Oversight Board's) are bars.
    if late and step.code not in MINIMUM_WINDOWS:
        raise ValidationError(
            _("The filing window closed on %(day)s.") % {"day": step.filing_deadline}
        )
    if filed_on > _today(case):
        raise ValidationError(_("The day it was filed cannot be in the future."))
    if step.created_at and filed_on < _day_of(case, step.created_at):
        raise ValidationError(_("The day it was filed cannot be before the document was made."))
    decision_due = step.decision_due
    if step.code == "art21_ods":
        decision_due = ladder.ods_decision_due(filed_on)
    elif step.code in ("art20_complaint", "art86_priority_complaint"):
        decision_due = ladder.art20_expected_decision(filed_on)
    elif step.code == "art16_notice":
        decision_due = ladder.art16_expected_decision(filed_on)
    _move(
        step,
        "file",
        filed_on=filed_on,
        reference=reference.strip()[:200],
        decision_due=decision_due,
    )
    clocks.watch_decision(step)
    _after_clock_change(case)
    _event(
        case,
        "filed",
        actor=actor,
        obj=step,
        new={
            "code": step.code,
            "filed_on": filed_on.isoformat(),
            "decision_due": step.decision_due.isoformat() if step.decision_due else None,
            "after_window": late,
        },
    )
    return step


@transaction.atomic
def record_outcome(step: RemedyStep, *, outcome: str, decided_on: date, actor: Actor) -> RemedyStep:
    """The outcome of a filed step, decided on ``decided_on`` (not before it was filed, not
    after today); a step never filed has none."""
    case = step.decision.case
    _writer(case, actor)
    if outcome not in RemedyStep.Outcome.values:
        raise ValidationError(_("Unknown outcome."))
    if decided_on > _today(case):
        raise ValidationError(_("The day of the decision cannot be in the future."))
    if step.filed_on and decided_on < step.filed_on:
        raise ValidationError(_("The day of the decision cannot be before the step was filed."))
    _move(step, "decide", outcome=outcome, decided_on=decided_on)
    clocks.stop(step)
    _after_clock_change(case)
    _event(case, "decided", actor=actor, obj=step, new={"code": step.code, "outcome": outcome})
    return step


@transaction.atomic
def cancel_step(step: RemedyStep, *, actor: Actor) -> RemedyStep:
    """Withdraw a prepared step that will not be filed (its remedy stays open)."""
    case = step.decision.case
    _writer(case, actor)
    _move(step, "cancel")
    _after_clock_change(case)
    _event(case, "cancelled", actor=actor, obj=step, new={"code": step.code})
    return step


@transaction.atomic
def lapse_step(step: RemedyStep, *, actor: Actor) -> RemedyStep:
    """Record that a prepared step's filing window closed unused: only once its last day has
    ended in the person's member state."""
    case = step.decision.case
    _writer(case, actor)
    from datetime import datetime

    from amparo.cases.clocks import zone_for

    if step.filing_deadline is None or step.filing_deadline >= datetime.now(zone_for(case)).date():
        raise ValidationError(_("The filing window of this step has not closed yet."))
    _move(step, "lapse")
    _after_clock_change(case)
    _event(case, "lapsed", actor=actor, obj=step, new={"code": step.code})
    return step


def days_left(day: date | None, zone: str | None = None) -> int | None:
    """Whole days left until ``day``, counted in the deadline's own zone (a step's
    ``time_zone``: where whoever files is), the server's only when none is known."""
    from amparo.engines.remedies.clocks import days_left as engine_days_left

    return None if day is None else engine_days_left(day, tz=zone or settings.TIME_ZONE)
