from __future__ import annotations

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
from amparo.remedies import services
from amparo.remedies.models import PlatformDecision, RemedyStep


def _step_for(user, org_slug, step_id, *, write=False):
    organisation = membership_for(
        user, org_slug, Capability.WRITE_CASES if write else Capability.VIEW_CASES
    ).organisation
    try:
        return RemedyStep.objects.select_related("decision__case", "data_key").get(
            pk=step_id, organisation=organisation
        )
    except (RemedyStep.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def remedies(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = case_access.case_for(request.user, org_slug, case_id)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    writer = can(membership.role, Capability.WRITE_CASES)
    if request.method == "POST":
        case = case_access.case_for(request.user, org_slug, case_id, write=True)
        action = request.POST.get("action")
        try:
            if action == "decision":
                informed = parse_date(request.POST.get("informed_on") or "")
                if informed is None:
                    raise ValidationError(
                        _("Enter the day the person was informed of the decision.")
                    )
                services.record_decision(
                    case,
                    decision_type=request.POST.get("decision_type", ""),
                    informed_on=informed,
                    decided_on=parse_date(request.POST.get("decided_on") or "") or None,
                    represented=request.POST.get("represented") == "1",
                    actor=request.user,
                )
            elif action == "prepare":
                decision = PlatformDecision.objects.get(
                    pk=request.POST.get("decision") or "", case=case
                )
                step = services.prepare_step(
                    decision,
                    request.POST.get("code", ""),
                    language=request.POST.get("language", "en"),
                    facts=request.POST.get("facts", ""),
                    arguments=request.POST.get("arguments", ""),
                    requested=request.POST.get("requested", ""),
                    include_identity=request.POST.get("identity") == "1",
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
    decisions = [(d, services.open_remedies(d), list(d.steps.all())) for d in case.decisions.all()]
    return render(
        request,
        "remedies/case.html",
        {
            "organisation": case.organisation,
            "case": case,
            "writer": writer,
            "decisions": decisions,
            "decision_types": sorted(DECISION_TYPES),
            "languages": services.DOCUMENT_LANGUAGES,
            "documents": services.DOCUMENT_KIND,
            "days_left": services.days_left,
        },
    )


@login_required
def step_detail(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponse:
    step = _step_for(request.user, org_slug, step_id)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    if request.method == "POST":
        step = _step_for(request.user, org_slug, step_id, write=True)
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
            else:
                raise Http404
            return redirect("remedy_step", org_slug, step.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
    return render(
        request,
        "remedies/step.html",
        {
            "organisation": step.organisation,
            "step": step,
            "case": step.decision.case,
            "outcomes": RemedyStep.Outcome.choices,
            "writer": can(membership.role, Capability.WRITE_CASES),
            "filing_left": services.days_left(step.filing_deadline),
            "decision_left": services.days_left(step.decision_due),
        },
    )


@login_required
@require_safe
def step_document(request: HttpRequest, org_slug: str, step_id: str) -> HttpResponseBase:
    step = _step_for(request.user, org_slug, step_id)
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
