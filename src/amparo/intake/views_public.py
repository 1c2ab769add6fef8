"""The reporter's pages: the report form and the follow-up page. No account, no JavaScript,
nothing from another origin, nothing about the reporter's device kept.

**The follow-up code exists only in the response that shows it.** The "received" page is the
response to the form's POST itself, not a redirect to a page that reads the code back from the
session: anything put in the session (the database table ``django_session``) would stay in the
database file and, on SQLite, in its write-ahead log long after the row was deleted, where the
code and the original file names could be read by anyone holding a copy of the disk. A
short-lived encryption under a key in process memory was the other option, but it breaks as
soon as the redirected GET reaches another server process, and it still writes ciphertext next
to the data. So the form's pages create no session at all.

Reloading that page makes the browser send the form again. Each form carries a random
submission id (``submission``, in a hidden field); the first successful POST claims it in the
shared cache (as a keyed hash, expiring on a 15-minute boundary so its row tells nothing about
when the report came in), and a repeated POST with the same id creates nothing and shows
"already received" without the code (it is shown only once).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from amparo.core.platforms import platform_name
from amparo.intake import followup as followup_codes
from amparo.intake import services, throttle
from amparo.intake.access import public_organisation
from amparo.intake.advice import advice_for
from amparo.intake.choices import RISK_FLAGS, Channel, IncidentType
from amparo.intake.evidence import EvidenceRejected, PixelBudget, check
from amparo.intake.forms import AnswerForm, ConsentForm, EvidenceForm, FollowUpCodeForm, ReportForm
from amparo.intake.models import Report
from amparo.intake.reporter_status import for_reporter

SESSION_FOLLOWUP = "amparo_followup"
#: How long the follow-up page stays open after the code was entered.
FOLLOWUP_SECONDS = 30 * 60
#: A claimed submission id is remembered at least this long (see the module docstring).
SUBMISSION_SECONDS = 3600


def _submission_id(request: HttpRequest) -> str:
    """The id posted with the form (kept when the form comes back), or a new one."""
    posted = request.POST.get("submission", "") if request.method == "POST" else ""
    if 16 <= len(posted) <= 64 and posted.replace("-", "").replace("_", "").isalnum():
        return posted
    return secrets.token_urlsafe(16)


def _submission_key(submission: str) -> str:
    # The database cache stores keys as keyed hashes (amparo.core.cache.hashed_key).
    return f"intake:submitted:{submission}"


def _claim_submission(request: HttpRequest) -> str | None:
    """Claim the posted submission id; returns it, "" if none was posted, None if already used."""
    posted = request.POST.get("submission", "")
    if not posted or _submission_id(request) != posted:
        return ""
    now = time.time()
    # Expire on a 15-minute boundary, so the row's expiry does not date the report.
    expires = (int(now // 900) + 1) * 900 + SUBMISSION_SECONDS
    if caches["default"].add(_submission_key(posted), 1, timeout=expires - now):
        return posted
    return None


def _claimed_before(request: HttpRequest) -> bool:
    posted = request.POST.get("submission", "")
    return bool(posted) and caches["default"].get(_submission_key(posted)) is not None


def _sent_again(request: HttpRequest, organisation: Any) -> HttpResponse:
    """Never a second report for one form: "already received", without the code."""
    return render(request, "intake/report_done.html", {"organisation": organisation, "again": True})


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
    """Check every uploaded file; returns (accepted (name, checked), rejected (name, reason)).
    A file that cannot be checked is only ever rejected, with its reason: never an error."""
    accepted, rejected = [], []
    budget = PixelBudget()  # the pictures sent together share one bound
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
            accepted.append((name, check(upload.read(), budget)))
        except EvidenceRejected as exc:
            rejected.append((name, str(exc)))
    return accepted, rejected


def _too_many_held(organisation: Any) -> bool:
    return (
        Report.objects.filter(organisation=organisation, held=True, erased_at__isnull=True).count()
        >= settings.AMPARO_INTAKE_HELD_MAX
    )


@never_cache
def report_form(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = public_organisation(org_slug)
    language = _apply_language(request)
    form = ReportForm(request.POST or None)
    kept: list[Any] = []
    rejected: list[tuple[str, str]] = []
    tokens: list[str] = request.POST.getlist("evidence_token") if request.method == "POST" else []
    if request.method == "POST":
        accepted, rejected = read_files(request)
        kept = services.claim_stashed(organisation, tokens)
        if form.is_valid() and form.is_bot:
            # Pretend all went well; store nothing.
            return render(
                request, "intake/report_done.html", {"organisation": organisation, "bot": True}
            )
        if form.is_valid():  # a refused file is set aside: the report is kept, and says so
            if _claimed_before(request):  # the same form sent again (a reload)
                return _sent_again(request, organisation)
            fields = form.report_fields()
            # Above the organisation's budget a report is held as a possible flood (the
            # reporter is not told); one with an immediate-risk answer never is.
            urgent = any(fields[flag] for flag in RISK_FLAGS)
            held = throttle.over_budget(organisation.pk) and not urgent
            if held and _too_many_held(organisation):
                return render(
                    request, "intake/slow_down.html", {"organisation": organisation}, status=429
                )
            try:
                prepared = services.prepare_report(
                    organisation,
                    fields,
                    channel=Channel.WEB_FORM,
                    language=translation.get_language() or "en",
                    files=accepted,
                    stashed=kept,
                    set_aside=rejected,
                    held=held,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                # The claim commits with the report or not at all: a server killed between
                # the two must not leave a claim that answers "already received" for a
                # report that was never stored.
                with transaction.atomic():
                    if _claim_submission(request) is None:  # sent twice at once
                        submission = None
                    else:
                        submission = services.store_report(prepared)
                if submission is None:
                    services.discard_prepared(prepared)
                    return _sent_again(request, organisation)
                return _received(request, organisation, submission, rejected)
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
            "submission": _submission_id(request),
        },
        status=400 if request.method == "POST" else 200,
    )
    return _with_language_cookie(response, language)


def _received(
    request: HttpRequest,
    organisation: Any,
    submission: Any,
    set_aside: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The "received" page with the follow-up code: only ever this POST's response."""
    report = submission.report
    done = {
        "code": submission.followup_code,
        "code_is_digits": followup_codes.is_digits(submission.followup_code),
        "reference": report.reference,
        "receipts": submission.receipts,
        "set_aside": set_aside or [],  # files refused, each with the reason
    }
    return render(
        request,
        "intake/report_done.html",
        {
            "organisation": organisation,
            "done": done,
            "platform_name": platform_name(report.platform),
            "incident_label": IncidentType(report.incident_type).label,
            "advice": advice_for(
                translation.get_language() or "en", report.platform, report.incident_type
            ),
        },
    )


@never_cache
def report_done(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The old address of the "received" page: the code is never shown here (see above)."""
    public_organisation(org_slug)
    return redirect("report_followup", org_slug)


def _followup_report(request: HttpRequest, organisation: Any) -> Report | None:
    held = request.session.get(SESSION_FOLLOWUP)
    if not held or held.get("org") != str(organisation.pk):
        return None
    if held.get("until", 0) < time.time():
        request.session.flush()
        return None
    return Report.objects.filter(
        pk=held["report"], organisation=organisation, erased_at__isnull=True
    ).first()


@never_cache
def followup(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = public_organisation(org_slug)
    language = _apply_language(request)
    form = FollowUpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Limited per code, never per client: wrong codes slow only themselves (see throttle).
        digest = followup_codes.digest(form.cleaned_data["code"])
        if not throttle.followup_allowed(digest):
            return render(
                request, "intake/slow_down.html", {"organisation": organisation}, status=429
            )
        report = services.find_by_digest(organisation, digest)
        if report is not None:
            request.session.cycle_key()
            request.session[SESSION_FOLLOWUP] = {
                "org": str(organisation.pk),
                "report": str(report.pk),
                "until": int(time.time()) + FOLLOWUP_SECONDS,
            }
            # A browser-session cookie (no Max-Age, gone when the browser closes); the
            # 30 minutes are checked on the server ("until").
            request.session.set_expiry(0)
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
            if accepted or rejected:
                try:
                    services.reporter_add_evidence(report, accepted, set_aside=rejected)
                    if accepted:
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
            "reporter_status": for_reporter(report),
        },
    )
