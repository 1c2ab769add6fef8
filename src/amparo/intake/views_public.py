"""The reporter's pages: the report form and the follow-up page. No account, no JavaScript,
nothing from another origin, nothing about the reporter's device kept."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from amparo.core.platforms import platform_name
from amparo.intake import services
from amparo.intake.access import public_organisation
from amparo.intake.advice import advice_for
from amparo.intake.choices import Channel, IncidentType
from amparo.intake.evidence import EvidenceRejected, check
from amparo.intake.forms import AnswerForm, ConsentForm, EvidenceForm, FollowUpCodeForm, ReportForm
from amparo.intake.models import Report
from amparo.intake.throttle import allow

SESSION_DONE = "amparo_report_done"
SESSION_FOLLOWUP = "amparo_followup"


def _apply_language(request: HttpRequest) -> str | None:
    wanted = request.GET.get("lang", "")
    if wanted and wanted in dict(settings.LANGUAGES):
        translation.activate(wanted)
        request.LANGUAGE_CODE = wanted
        return wanted
    return None


def _with_language_cookie(response: HttpResponse, language: str | None) -> HttpResponse:
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            httponly=True,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def read_files(request: HttpRequest) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]]:
    """Check every uploaded file; returns (accepted (name, checked), rejected (name, reason))."""
    accepted, rejected = [], []
    for upload in request.FILES.getlist("files"):
        name = (upload.name or "file")[:200]
        if getattr(upload, "too_large", False):
            rejected.append(
                (
                    name,
                    _(
                        "The file is larger than 20 MB. Please send a smaller file or several parts."
                    ),
                )
            )
            continue
        try:
            accepted.append((name, check(upload.read())))
        except EvidenceRejected as exc:
            rejected.append((name, str(exc)))
    return accepted, rejected


@never_cache
def report_form(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = public_organisation(org_slug)
    language = _apply_language(request)
    form = ReportForm(request.POST or None)
    kept: list[Any] = []
    rejected: list[tuple[str, str]] = []
    tokens: list[str] = request.POST.getlist("evidence_token") if request.method == "POST" else []
    if request.method == "POST":
        if not allow(
            request,
            f"report:{organisation.pk}",
            limit=settings.AMPARO_INTAKE_LIMIT_PER_HOUR,
            window=3600,
        ):
            return render(
                request, "intake/slow_down.html", {"organisation": organisation}, status=429
            )
        accepted, rejected = read_files(request)
        kept = services.claim_stashed(organisation, tokens)
        if form.is_valid() and form.is_bot:
            # Pretend all went well; store nothing.
            request.session[SESSION_DONE] = {"bot": True}
            return redirect("report_done", org_slug)
        if form.is_valid() and not rejected:
            try:
                submission = services.submit_report(
                    organisation,
                    form.report_fields(),
                    channel=Channel.WEB_FORM,
                    language=translation.get_language() or "en",
                    files=accepted,
                    stashed=kept,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session[SESSION_DONE] = {
                    "code": submission.followup_code,
                    "reference": submission.report.reference,
                    "receipts": submission.receipts,
                    "platform": submission.report.platform,
                    "incident": submission.report.incident_type,
                }
                return redirect("report_done", org_slug)
        # Something must be fixed: keep the accepted files, encrypted, and hand back tokens.
        for name, checked in accepted:
            token, item = services.stash_upload(organisation, checked, name)
            tokens.append(token)
            kept.append(item)
    response = render(
        request,
        "intake/report_form.html",
        {
            "organisation": organisation,
            "form": form,
            "evidence_form": EvidenceForm(),
            "kept": kept,
            "tokens": tokens,
            "rejected": rejected,
        },
        status=400 if request.method == "POST" else 200,
    )
    return _with_language_cookie(response, language)


@never_cache
def report_done(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = public_organisation(org_slug)
    done = request.session.pop(SESSION_DONE, None)  # shown once
    if not done:
        return redirect("report_followup", org_slug)
    if done.get("bot"):
        return render(
            request, "intake/report_done.html", {"organisation": organisation, "bot": True}
        )
    return render(
        request,
        "intake/report_done.html",
        {
            "organisation": organisation,
            "done": done,
            "platform_name": platform_name(done["platform"]),
            "incident_label": IncidentType(done["incident"]).label,
            "advice": advice_for(
                translation.get_language() or "en", done["platform"], done["incident"]
            ),
        },
    )


def _followup_report(request: HttpRequest, organisation: Any) -> Report | None:
    held = request.session.get(SESSION_FOLLOWUP)
    if not held or held.get("org") != str(organisation.pk):
        return None
    return Report.objects.filter(
        pk=held["report"], organisation=organisation, erased_at__isnull=True
    ).first()


@never_cache
def followup(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = public_organisation(org_slug)
    language = _apply_language(request)
    form = FollowUpCodeForm(request.POST or None)
    if request.method == "POST":
        if not allow(request, f"followup:{organisation.pk}", limit=10, window=600):
            return render(
                request, "intake/slow_down.html", {"organisation": organisation}, status=429
            )
        if form.is_valid():
            report = services.find_by_code(organisation, form.cleaned_data["code"])
            if report is not None:
                request.session.cycle_key()
                request.session[SESSION_FOLLOWUP] = {
                    "org": str(organisation.pk),
                    "report": str(report.pk),
                }
                request.session.set_expiry(30 * 60)
                return redirect("report_status", org_slug)
            form.add_error(
                "code",
                _("We could not find a report with this code. Check the words and try again."),
            )
    response = render(request, "intake/followup.html", {"organisation": organisation, "form": form})
    return _with_language_cookie(response, language)


@never_cache
def status(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = public_organisation(org_slug)
    report = _followup_report(request, organisation)
    if report is None:
        return redirect("report_followup", org_slug)
    answer_form = AnswerForm()
    consent_form = ConsentForm(initial={f: getattr(report, f) for f in services.CONSENT_FIELDS})
    notice = None
    rejected: list[tuple[str, str]] = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "answer":
            answer_form = AnswerForm(request.POST)
            if answer_form.is_valid():
                services.reporter_answer(report, answer_form.cleaned_data["body"])
                notice = _("Thank you. Your answer was sent.")
                answer_form = AnswerForm()
        elif action == "evidence":
            accepted, rejected = read_files(request)
            if accepted:
                try:
                    services.reporter_add_evidence(report, accepted)
                    notice = _("Thank you. Your files were received.")
                except ValidationError as exc:
                    rejected += [("", m) for m in exc.messages]
        elif action == "consent":
            consent_form = ConsentForm(request.POST)
            if consent_form.is_valid():
                services.change_consent(report, consent_form.cleaned_data)
                notice = _("Your choices were saved.")
        elif action == "delete":
            if request.POST.get("confirm") == "yes":
                services.request_deletion(report)
                notice = _(
                    "We received your request to delete your report. A caseworker will carry it out."
                )
        elif action == "leave":
            request.session.flush()
            return redirect("report_followup", org_slug)
        else:
            raise Http404
        report.refresh_from_db()
    messages_ = list(report.messages.all())
    return render(
        request,
        "intake/status.html",
        {
            "organisation": organisation,
            "report": report,
            "messages_list": messages_,
            "evidence": report.evidence.all(),
            "answer_form": answer_form,
            "consent_form": consent_form,
            "evidence_form": EvidenceForm(),
            "notice": notice,
            "rejected": rejected,
            "platform_name": platform_name(report.platform),
        },
    )
