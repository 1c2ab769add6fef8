from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.cases import access as case_access
from amparo.engines.remedies.ladder import DECISION_TYPES
from amparo.keyring import blobs
from amparo.remedies import access, services
from amparo.remedies.forms import DecisionForm, FileStepForm, OutcomeForm, PrepareForm
from amparo.remedies.models import RemedyStep

if TYPE_CHECKING:
    from amparo.cases.models import Case


@login_required
@require_safe
def remedies(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = case_access.case_for(request.user, org_slug, case_id)
    return _remedies_page(request, case)


def _remedies_page(
    request: HttpRequest,
    case: Case,
    *,
    decision_form: DecisionForm | None = None,
    prepare_form: PrepareForm | None = None,
) -> HttpResponse:
    """The case's platform decisions, the remedies open after each (who files, until when, in
    the deadline's own zone), and their documents; a new decision is pre-filled from the
    latest escalation response that recorded a statement of reasons. A form posted with a
    mistake comes back with what was accepted of it."""
    from amparo.intake import disclosure
    from amparo.remedies import routes

    membership = membership_for(request.user, case.organisation.slug, Capability.VIEW_CASES)
    writer = can(membership.role, Capability.WRITE_CASES)
    decisions: list[dict[str, Any]] = []
    for d in case.decisions.select_related("source_escalation"):
        open_ = services.open_remedies(d)
        decisions.append(
            {
                "decision": d,
                "label": routes.DECISION_LABELS.get(d.decision_type, d.decision_type),
                "actor": routes.ACTOR_LABELS.get(d.acting_as, d.acting_as),
                "remedies": [
                    {
                        "remedy": r,
                        "label": routes.REMEDY_LABELS.get(r.code.value, r.title),
                        "filed_by": routes.ACTOR_LABELS.get(r.filed_by, r.filed_by),
                        "deadline": routes.deadline(r),
                        "coordinator": routes.coordinator(case.organisation, r.member_state)
                        if r.code.value == "art53_dsc_complaint"
                        else None,
                        "bodies": routes.ods_bodies(d) if r.code.value == "art21_ods" else [],
                        "document": r.code.value in services.DOCUMENT_KIND,
                        # What was typed for this remedy, when it comes back to be corrected.
                        "posted": prepare_form
                        if prepare_form is not None and prepare_form.is_for(d.pk, r.code.value)
                        else None,
                    }
                    for r in open_
                ],
                "steps": list(d.steps.all()),
            }
        )
    prefill = routes.prefill(case) if writer else {}
    if prefill and any(
        d["decision"].source_escalation_id == prefill["escalation"].pk for d in decisions
    ):
        prefill = {}  # that response was recorded already
    return render(
        request,
        "remedies/case.html",
        {
            "organisation": case.organisation,
            "case": case,
            "writer": writer,
            "decisions": decisions,
            "decision_types": [(t, routes.DECISION_LABELS[t]) for t in sorted(DECISION_TYPES)],
            "actors": list(routes.ACTOR_LABELS.items()),
            "grounds": list(routes.GROUND_LABELS.items()),
            "languages": services.DOCUMENT_LANGUAGES,
            "prefill": prefill,
            # The decision form's values: what was accepted of a form sent back, else the
            # pre-filled ones.
            "values": _accepted(decision_form, case) if decision_form is not None else prefill,
            "consent": disclosure.consent_of(
                [link.report for link in case.report_links.select_related("report")]
            ),
            "notice_email": case.organisation.notice_email,
        },
    )


def _accepted(form: DecisionForm, case: Case) -> dict[str, Any]:
    """The values of a decision form sent back to be corrected: those that were valid."""
    values = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in ("", None)}
    if values.get("escalation"):
        values["escalation"] = case.escalations.filter(pk=values["escalation"]).first()
    return values


def _said(request: HttpRequest, errors: ValidationError | ValueError | forms.Form) -> None:
    """Say why nothing was done: a service's refusal, or what a form found wrong."""
    if isinstance(errors, forms.Form):
        for field_errors in errors.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    else:
        for message in getattr(errors, "messages", [str(errors)]):
            messages.error(request, message)


# One view per thing done on these pages, each at its own address, for those who may change
# cases (anyone else gets 404, as for a case they cannot see).


@login_required
@require_POST
def decision_record(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = case_access.case_for(request.user, org_slug, case_id, write=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _said(request, form)
        return _remedies_page(request, case, decision_form=form)
    data = form.cleaned_data
    source = None
    if data["escalation"]:
        source = case.escalations.filter(pk=data["escalation"]).first()
        if source is None:
            raise Http404
    acting_as = data["acting_as"] or None
    try:
        services.record_decision(
            case,
            decision_type=data["decision_type"],
            informed_on=data["informed_on"],
            decided_on=data["decided_on"],
            represented=data["represented"] or acting_as == "representative",
            acting_as=acting_as,
            decision_ground=data["decision_ground"],
            statement_reference=data["statement_reference"],
            source_escalation=source,
            actor=actor_of(request),
        )
    except (ValidationError, ValueError) as exc:
        _said(request, exc)
        return _remedies_page(request, case, decision_form=form)
    except PermissionDenied:
        raise Http404 from None
    return redirect("case_remedies", org_slug, case.pk)


@login_required
@require_POST
def step_prepare(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    """Generate a remedy's document; texts typed for it come back if it must be corrected."""
    case = case_access.case_for(request.user, org_slug, case_id, write=True)
    decision = access.decision_of_case(case, request.POST.get("decision"))
    form = PrepareForm(request.POST)
    if not form.is_valid():
        _said(request, form)
        return _remedies_page(request, case, prepare_form=form)
    data = form.cleaned_data
    try:
        step = services.prepare_step(
            decision,
            data["code"],
            language=data["language"],
            facts=data["facts"],
            arguments=data["arguments"],
            requested=data["requested"],
            include_identity=data["identity"],
            asked_and_confirmed=data["asked"],
            include_account=data["include_account"],
            account=data["account"],
            ods_body=data["ods_body"],
            requested_action=data["requested_action"],
            actor=actor_of(request),
        )
    except (ValidationError, ValueError) as exc:
        _said(request, exc)
        return _remedies_page(request, case, prepare_form=form)
    except PermissionDenied:
        raise Http404 from None
    return redirect("remedy_step", org_slug, step.pk)


@login_required
@require_safe
def step_detail(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponse:
    step = access.step_for(request.user, org_slug, step_id)
    return _step_page(request, step)


def _step_page(
    request: HttpRequest,
    step: RemedyStep,
    *,
    file_form: FileStepForm | None = None,
    outcome_form: OutcomeForm | None = None,
) -> HttpResponse:
    from amparo.cases.clocks import step_zone
    from amparo.engines.remedies.clocks import days_left
    from amparo.escalations.services import statement_for_case
    from amparo.remedies import states
    from amparo.remedies.services import MINIMUM_WINDOWS

    membership = membership_for(request.user, step.organisation.slug, Capability.VIEW_CASES)
    case = step.decision.case
    zone = step_zone(step, case)  # whoever files: the organisation's zone when it is notifier
    return render(
        request,
        "remedies/step.html",
        {
            "organisation": step.organisation,
            "step": step,
            "case": case,
            "outcomes": RemedyStep.Outcome.choices,
            "writer": can(membership.role, Capability.WRITE_CASES),
            "actions": states.actions_for(step.status),
            "status_label": states.LABELS.get(step.status, step.get_status_display()),
            # Days are counted in the zone of whoever files (cases.clocks.step_zone).
            "zone": zone.key,
            "filing_left": days_left(step.filing_deadline, tz=zone)
            if step.filing_deadline
            else None,
            "decision_left": days_left(step.decision_due, tz=zone) if step.decision_due else None,
            "statement": statement_for_case(case),
            "window_is_minimum": step.code in MINIMUM_WINDOWS,
            "file_form": file_form or FileStepForm(),
            "outcome_form": outcome_form or OutcomeForm(),
        },
    )


def _step_to_change(request: HttpRequest, org_slug: str, step_id: str) -> RemedyStep:
    return access.step_for(request.user, org_slug, step_id, write=True)


def _act_on_step(
    request: HttpRequest,
    org_slug: str,
    step: RemedyStep,
    act: Callable[[], object],
    form: FileStepForm | OutcomeForm | None = None,
) -> HttpResponse:
    """Run one action on a step: back to its page, or the page again with why nothing was done
    (the form's errors, or the service's refusal) and what was typed."""
    try:
        if form is not None and not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        act()
    except ValidationError as exc:
        _said(request, exc)
        return _step_page(
            request,
            step,
            file_form=form if isinstance(form, FileStepForm) else None,
            outcome_form=form if isinstance(form, OutcomeForm) else None,
        )
    except PermissionDenied:
        raise Http404 from None
    return redirect("remedy_step", org_slug, step.pk)


@login_required
@require_POST
def step_file(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponse:
    step = _step_to_change(request, org_slug, step_id)
    form = FileStepForm(request.POST)
    return _act_on_step(
        request,
        org_slug,
        step,
        lambda: services.file_step(
            step,
            filed_on=form.cleaned_data["filed_on"],
            reference=form.cleaned_data["reference"],
            actor=actor_of(request),
        ),
        form,
    )


@login_required
@require_POST
def step_outcome(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponse:
    step = _step_to_change(request, org_slug, step_id)
    form = OutcomeForm(request.POST)
    return _act_on_step(
        request,
        org_slug,
        step,
        lambda: services.record_outcome(
            step,
            outcome=form.cleaned_data["outcome"],
            decided_on=form.cleaned_data["decided_on"],
            actor=actor_of(request),
        ),
        form,
    )


@login_required
@require_POST
def step_withdraw(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponse:
    step = _step_to_change(request, org_slug, step_id)
    return _act_on_step(
        request, org_slug, step, lambda: services.cancel_step(step, actor=actor_of(request))
    )


@login_required
@require_POST
def step_lapse(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponse:
    step = _step_to_change(request, org_slug, step_id)
    return _act_on_step(
        request, org_slug, step, lambda: services.lapse_step(step, actor=actor_of(request))
    )


@login_required
@require_safe
def step_document(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponseBase:
    step = access.step_for(request.user, org_slug, step_id)
    record(
        "remedy.document_downloaded",
        actor=actor_of(request),
        obj=step,
        organisation=step.organisation_id,
    )
    name = f"{step.code}-{step.decision.case.reference}-{step.language}"
    if request.GET.get("format") == "pdf" and step.document_pdf:
        aad = blobs.blob_aad(step.organisation_id, "remedy", step.pk)
        response = StreamingHttpResponse(
            blobs.read(step.data_key, step.document_pdf, aad), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    text = HttpResponse(step.document_text or "", content_type="text/plain; charset=utf-8")
    text["Content-Disposition"] = f'attachment; filename="{name}.txt"'
    return text
