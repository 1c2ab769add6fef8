from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.cases import access as case_access
from amparo.engines.remedies.ladder import DECISION_TYPES
from amparo.keyring import blobs
from amparo.remedies import access, services
from amparo.remedies.models import PlatformDecision, RemedyStep


def _day(value: str | None) -> Any:
    try:
        return parse_date(value or "") or None
    except ValueError:  # well formed but not a day (2026-02-30)
        return None


@login_required
def remedies(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    """The case's platform decisions, the remedies open after each (who files, until when, in
    the deadline's own zone), and their documents; a new decision is pre-filled from the
    latest escalation response that recorded a statement of reasons."""
    from amparo.intake import disclosure
    from amparo.remedies import routes

    case = case_access.case_for(request.user, org_slug, case_id)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    writer = can(membership.role, Capability.WRITE_CASES)
    if request.method == "POST":
        case = case_access.case_for(request.user, org_slug, case_id, write=True)
        action = request.POST.get("action")
        try:
            if action == "decision":
                informed = _day(request.POST.get("informed_on"))
                if informed is None:
                    raise ValidationError(
                        _("Enter the day the person was informed of the decision.")
                    )
                source = None
                if request.POST.get("escalation"):
                    source = case.escalations.filter(pk=request.POST["escalation"]).first()
                    if source is None:
                        raise Http404
                acting_as = request.POST.get("acting_as") or None
                services.record_decision(
                    case,
                    decision_type=request.POST.get("decision_type", ""),
                    informed_on=informed,
                    decided_on=_day(request.POST.get("decided_on")),
                    represented=request.POST.get("represented") == "1"
                    or acting_as == "representative",
                    acting_as=acting_as,
                    decision_ground=request.POST.get("decision_ground", ""),
                    statement_reference=request.POST.get("statement_reference", ""),
                    source_escalation=source,
                    actor=request.user,
                )
            elif action == "prepare":
                decision = access.decision_of_case(case, request.POST.get("decision"))
                step = services.prepare_step(
                    decision,
                    request.POST.get("code", ""),
                    language=request.POST.get("language", "en"),
                    facts=request.POST.get("facts", ""),
                    arguments=request.POST.get("arguments", ""),
                    requested=request.POST.get("requested", ""),
                    include_identity=request.POST.get("identity") == "1",
                    asked_and_confirmed=request.POST.get("asked") == "1",
                    include_account=request.POST.get("include_account") == "1",
                    account=request.POST.get("account", ""),
                    ods_body=request.POST.get("ods_body", ""),
                    requested_action=request.POST.get("requested_action", ""),
                    actor=request.user,
                )
                return redirect("remedy_step", org_slug, step.pk)
            else:
                raise Http404
            return redirect("case_remedies", org_slug, case.pk)
        except (ValidationError, PlatformDecision.DoesNotExist, ValueError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
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
            "consent": disclosure.consent_of(
                [link.report for link in case.report_links.select_related("report")]
            ),
            "notice_email": case.organisation.notice_email,
        },
    )


@login_required
def step_detail(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponse:
    step = access.step_for(request.user, org_slug, step_id)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    if request.method == "POST":
        step = access.step_for(request.user, org_slug, step_id, write=True)
        try:
            if request.POST.get("action") == "file":
                filed = parse_date(request.POST.get("filed_on") or "")
                if filed is None:
                    raise ValidationError(_("Enter the day it was filed."))
                services.file_step(
                    step,
                    filed_on=filed,
                    reference=request.POST.get("reference", ""),
                    actor=request.user,
                )
            elif request.POST.get("action") == "outcome":
                decided = parse_date(request.POST.get("decided_on") or "")
                if decided is None:
                    raise ValidationError(_("Enter the day of the decision."))
                services.record_outcome(
                    step,
                    outcome=request.POST.get("outcome", ""),
                    decided_on=decided,
                    actor=request.user,
                )
            elif request.POST.get("action") == "cancel":
                services.cancel_step(step, actor=request.user)
            elif request.POST.get("action") == "lapse":
                services.lapse_step(step, actor=request.user)
            else:
                raise Http404
            return redirect("remedy_step", org_slug, step.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
    from amparo.cases.clocks import step_zone
    from amparo.engines.remedies.clocks import days_left
    from amparo.escalations.services import statement_for_case
    from amparo.remedies import states
    from amparo.remedies.services import MINIMUM_WINDOWS

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
        },
    )


@login_required
@require_safe
def step_document(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponseBase:
    step = access.step_for(request.user, org_slug, step_id)
    record(
        "remedy.document_downloaded",
        actor=request.user,
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
