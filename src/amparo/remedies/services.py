"""Remedies on a case: record the platform's decision, see which remedies are open and until
when, prepare the document for a step, file it, and record its outcome — each with its clock."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.cases.models import CaseEvent
from amparo.core.countries import EU_EEA
from amparo.engines.remedies import ladder
from amparo.keyring import blobs
from amparo.remedies import clocks
from amparo.remedies.models import PlatformDecision, RemedyStep

DOCUMENT_LANGUAGES = ["en", "fr", "de", "es", "it", "pl", "nl"]
# Remedy codes that have a generated document, and which document.
DOCUMENT_KIND = {
    "art16_notice": "art16_notice",
    "art20_complaint": "art20_complaint",
    "art86_priority_complaint": "art20_complaint",
    "art21_ods": "art21_submission",
    "art53_dsc_complaint": "art53_complaint",
}


def _writer(case: Any, actor: Any) -> None:
    require_capability(actor, case.organisation_id, Capability.WRITE_CASES)


def _event(case: Any, kind: str, *, actor: Any, obj: Any, new: Any = None, old: Any = None) -> None:
    CaseEvent.objects.create(case=case, actor=actor, kind=f"remedy_{kind}", old=old, new=new)
    record(
        f"remedy.{kind}", actor=actor, obj=obj, organisation=case.organisation_id, old=old, new=new
    )


def engine_decision(decision: PlatformDecision) -> ladder.Decision:
    case = decision.case
    return ladder.Decision(
        platform=case.platform,
        decided_on=decision.decided_on,
        informed_on=decision.informed_on,
        user_in_eu=case.country in EU_EEA,
        member_state=case.country or None,
        decision_type=decision.decision_type,
        cause_false_mass_reporting=case.incident_type == "false_mass_reporting",
        represented_by_art86_body=decision.represented_by_art86_body,
    )


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
    actor: Any,
) -> PlatformDecision:
    _writer(case, actor)
    if decision_type not in ladder.DECISION_TYPES:
        raise ValidationError(_("Unknown decision type."))
    decision = PlatformDecision.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        decision_type=decision_type,
        informed_on=informed_on,
        decided_on=decided_on,
        represented_by_art86_body=represented,
        created_by=actor,
    )
    _event(
        case,
        "decision_recorded",
        actor=actor,
        obj=decision,
        new={"type": decision_type, "informed_on": informed_on.isoformat()},
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
    actor: Any,
) -> RemedyStep:
    """Generate the step's document from the case; it records exactly what it contains."""
    case = decision.case
    _writer(case, actor)
    remedy = _remedy(decision, code)
    if language not in DOCUMENT_LANGUAGES:
        raise ValidationError(
            _(
                "Documents are available in English, French, German, Spanish, Italian, Polish and Dutch."
            )
        )
    reports = [link.report for link in case.report_links.select_related("report")]
    if include_identity and any(r.consent_share_identity != "yes" for r in reports):
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
    _event(
        case,
        "prepared",
        actor=actor,
        obj=step,
        new={"code": code, "language": language, "contents": list(document.contents)},
    )
    return step


@transaction.atomic
def file_step(step: RemedyStep, *, filed_on: date, reference: str, actor: Any) -> RemedyStep:
    case = step.decision.case
    _writer(case, actor)
    if step.status != RemedyStep.Status.PREPARED:
        raise ValidationError(_("This step was already filed."))
    if step.filing_deadline and filed_on > step.filing_deadline:
        raise ValidationError(
            _("The filing window closed on %(day)s.") % {"day": step.filing_deadline}
        )
    step.status, step.filed_on, step.reference = (
        RemedyStep.Status.FILED,
        filed_on,
        reference.strip()[:200],
    )
    if step.code == "art21_ods":
        step.decision_due = ladder.ods_decision_due(filed_on)
    elif step.code in ("art20_complaint", "art86_priority_complaint"):
        step.decision_due = ladder.art20_expected_decision(filed_on)
    elif step.code == "art16_notice":
        step.decision_due = ladder.art16_expected_decision(filed_on)
    step.save(update_fields=["status", "filed_on", "reference", "decision_due"])
    _event(
        case,
        "filed",
        actor=actor,
        obj=step,
        new={
            "code": step.code,
            "decision_due": step.decision_due.isoformat() if step.decision_due else None,
        },
    )
    clocks.watch_decision(step)
    return step


@transaction.atomic
def record_outcome(step: RemedyStep, *, outcome: str, decided_on: date, actor: Any) -> RemedyStep:
    case = step.decision.case
    _writer(case, actor)
    if outcome not in RemedyStep.Outcome.values:
        raise ValidationError(_("Unknown outcome."))
    step.status, step.outcome, step.decided_on = RemedyStep.Status.DECIDED, outcome, decided_on
    step.save(update_fields=["status", "outcome", "decided_on"])
    _event(case, "decided", actor=actor, obj=step, new={"code": step.code, "outcome": outcome})
    clocks.stop(step)
    return step


def days_left(day: date | None) -> int | None:
    from amparo.engines.remedies.clocks import days_left as engine_days_left

    return None if day is None else engine_days_left(day, tz=settings.TIME_ZONE)
