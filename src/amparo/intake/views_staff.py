"""Caseworkers' pages: the triage queue, a report, evidence, questions to the reporter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.core.platforms import platform_name
from amparo.engines.triage import UrgencyInput, redact, score_urgency
from amparo.intake import access, notifying, replies, services
from amparo.intake.choices import Channel
from amparo.intake.forms import EvidenceForm, IntermediaryReportForm, QuestionForm
from amparo.intake.forms_staff import AttachForm, EraseForm
from amparo.intake.models import Notification, Report
from amparo.intake.views_public import read_files
from amparo.keyring import blobs


@login_required
@require_safe
def report_detail(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    report = access.report_for(request.user, org_slug, report_id)
    return _report_page(request, report)


def _report_page(
    request: HttpRequest,
    report: Report,
    *,
    identity: dict[str, Any] | None = None,
    form: QuestionForm | None = None,
) -> HttpResponse:
    """A report's page; with the reporter's ``identity`` once a caseworker asked to see it, and
    the message ``form`` as it was sent when it needs correcting."""
    membership = access.reading_membership(request.user, report.organisation.slug)
    if form is None:
        form = QuestionForm(initial={"body": _canned_body(report, request.GET.get("reply", ""))})
    text = f"{report.narrative or ''}\n{report.platform_notice or ''}"
    live = score_urgency(
        UrgencyInput(
            incident_type=report.incident_type, text=text, language=report.detected_language or None
        )
    )
    matched = {r.code: r.matched for r in live.reasons if r.matched}
    show_redacted = request.GET.get("view") == "redacted"
    return render(
        request,
        "intake/report_detail.html",
        {
            "organisation": report.organisation,
            "membership": membership,
            "report": report,
            "narrative": redact(report.narrative or "").text if show_redacted else report.narrative,
            "platform_notice": redact(report.platform_notice or "").text
            if show_redacted
            else report.platform_notice,
            "show_redacted": show_redacted,
            "accounts": report.accounts or {},
            "identity": identity,
            "reasons": [
                (r["code"], r["weight"], r["source"], matched.get(r["code"]))
                for r in report.urgency_reasons
            ],
            "evidence": report.evidence.all(),
            "messages_list": report.messages.select_related("author"),
            "suggestions": access.related_reports(
                report, access.reports_for(request.user, report.organisation.slug)
            ),
            "form": form,
            "platform_name": platform_name(report.platform),
            "can_work": can(membership.role, Capability.WRITE_CASES),
            "can_reveal": can(membership.role, Capability.REVEAL_IDENTITY),
            "can_erase": can(membership.role, Capability.COORDINATE),
            "self_description": report.self_description or {},
            "referral": getattr(report, "referral", None),
            "case_link": _case_link(report),
            "canned_replies": replies.replies_for(report.organisation, report.language)
            if can(membership.role, Capability.WRITE_CASES)
            else [],
        },
    )


# One view per thing done on a report's page, each at its own address, for those who work on
# reports (anyone else gets 404, as for a report they cannot see).


def _report_to_work_on(request: HttpRequest, org_slug: str, report_id: str) -> Report:
    return access.report_for(request.user, org_slug, report_id, write=True)


def _back(report: Report) -> HttpResponse:
    return redirect("intake_report", report.organisation.slug, report.pk)


@login_required
@require_POST
def report_acknowledge(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    report = _report_to_work_on(request, org_slug, report_id)
    services.acknowledge(report, actor=actor_of(request))
    messages.success(request, _("Acknowledged. The response-time alarms were stopped."))
    return _back(report)


@login_required
@require_POST
def report_ask(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    """A message for the reporter's follow-up page; one that needs correcting comes back as
    typed."""
    report = _report_to_work_on(request, org_slug, report_id)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, form=form)
    services.ask_reporter(report, form.cleaned_data["body"], actor=actor_of(request))
    messages.success(request, _("Your message will be shown on the reporter's follow-up page."))
    return _back(report)


@login_required
@require_POST
def report_referral_answer(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    """Accept, decline or complete the referral that brought this report in."""
    from amparo.cases.forms import ReferralAnswerForm
    from amparo.cases.referrals import answer

    report = _report_to_work_on(request, org_slug, report_id)
    referral = getattr(report, "referral", None)
    if referral is None:
        raise Http404
    form = ReferralAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Unknown answer."))
        answer(referral, form.cleaned_data["status"], actor=actor_of(request))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The referring organisation sees your answer."))
    return _back(report)


@login_required
@require_POST
def report_attach(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    """Attach this report to the case of a possibly related report (one click)."""
    from amparo.cases.models import CaseReport
    from amparo.cases.services import link_report

    report = _report_to_work_on(request, org_slug, report_id)
    form = AttachForm(request.POST)
    if not form.is_valid():
        raise Http404  # a forged request: the page only offers related reports by their id
    related = access.report_for(request.user, org_slug, form.cleaned_data["related"])
    link = CaseReport.objects.filter(report=related).select_related("case").first()
    if link is None:
        raise Http404
    try:
        link_report(link.case, report, actor=actor_of(request))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The report was attached to %(case)s.") % {"case": link.case.reference},
        )
    return _back(report)


@login_required
@require_POST
def report_reveal(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    """The reporter's identity and contacts, shown once on the page answering this request
    (never kept in the page's address; audited by the service)."""
    report = _report_to_work_on(request, org_slug, report_id)
    membership_for(request.user, org_slug, Capability.REVEAL_IDENTITY)
    identity = services.reveal_identity(report, actor=actor_of(request))
    return _report_page(request, report, identity=identity)


@login_required
@require_POST
def report_erase(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    """Erase a report whose reporter asked for deletion (coordinators, after typing its
    reference)."""
    report = _report_to_work_on(request, org_slug, report_id)
    membership_for(request.user, org_slug, Capability.COORDINATE)
    form = EraseForm(request.POST, reference=report.reference)
    if not report.deletion_requested:
        messages.error(
            request, _("Only reports whose reporter asked for deletion can be erased here.")
        )
    elif not form.is_valid():
        for message in form.errors.get("confirm_reference", []):
            messages.error(request, str(message))
    else:
        services.erase_report(report, actor=actor_of(request))
        messages.success(request, _("The report was erased. Its encryption key was destroyed."))
        return redirect("intake_queue", org_slug)
    return _report_page(request, report)


def _canned_body(report: Report, reply_id: str) -> str:
    """The text of the organisation's canned reply ``reply_id``, to fill the message box."""
    if not reply_id:
        return ""
    try:
        return replies.replies_for(report.organisation).get(pk=reply_id).body
    except (ObjectDoesNotExist, ValidationError, ValueError):
        return ""


def _case_link(report: Report) -> object:
    from amparo.cases.models import CaseReport

    return CaseReport.objects.filter(report=report).select_related("case").first()


@login_required
@require_safe
def evidence_download(
    request: HttpRequest, org_slug: str, report_id: str, evidence_id: str
) -> StreamingHttpResponse:
    """Served only as an attachment, never displayed inline; the clean copy unless a
    coordinator asks for the original (audited)."""
    item = access.evidence_for(request.user, org_slug, report_id, evidence_id)
    original = request.GET.get("copy") == "original"
    if original:
        membership_for(request.user, org_slug, Capability.COORDINATE)
    aad = blobs.blob_aad(item.organisation_id, "evidence", item.pk) + (
        b"|original" if original else b"|clean"
    )
    name = item.original_blob if original else item.clean_blob
    record(
        "evidence.downloaded",
        actor=actor_of(request),
        obj=item,
        new={"copy": "original" if original else "clean"},
    )
    response = StreamingHttpResponse(
        blobs.read(item.data_key, name, aad), content_type="application/octet-stream"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="evidence-{item.sha256[:12]}.{item.extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def intermediary_report(request: HttpRequest, org_slug: str) -> HttpResponse:
    """A trusted intermediary reports on someone's behalf, attesting the consent they obtained."""
    membership = membership_for(request.user, org_slug, Capability.SUBMIT_ON_BEHALF)
    form = IntermediaryReportForm(request.POST or None)
    rejected: list[tuple[str, str]] = []
    if request.method == "POST":
        accepted, rejected = read_files(request)
        if form.is_valid() and not rejected:
            try:
                submission = services.submit_report(
                    membership.organisation,
                    form.report_fields(),
                    channel=Channel.INTERMEDIARY,
                    language=translation.get_language() or "en",
                    actor=actor_of(request),
                    attested=form.cleaned_data["attestation"],
                    files=accepted,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return render(
                    request,
                    "intake/intermediary_done.html",
                    {"organisation": membership.organisation, "submission": submission},
                )
    return render(
        request,
        "intake/intermediary_form.html",
        {
            "organisation": membership.organisation,
            "form": form,
            "evidence_form": EvidenceForm(),
            "rejected": rejected,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def notifications(request: HttpRequest, org_slug: str) -> HttpResponse:
    from amparo.intake import notices

    membership = membership_for(request.user, org_slug, Capability.WRITE_CASES)
    items = list(
        Notification.objects.filter(
            recipient_id=request.user.pk, organisation=membership.organisation
        ).select_related("report")[:100]
    )
    for n in items:
        n.sentence = notices.sentence(n)  # type: ignore[attr-defined]
        n.url = notices.url(n, org_slug)  # type: ignore[attr-defined]
    from amparo.intake.digest import wants_daily

    return render(
        request,
        "intake/notifications.html",
        {
            "organisation": membership.organisation,
            "items": items,
            "digest_daily": wants_daily(request.user, membership.organisation),
        },
    )


@login_required
@require_POST
def notifications_digest(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Turn one's own daily e-mail digest on or off."""
    from amparo.intake.digest import set_daily

    membership = membership_for(request.user, org_slug, Capability.WRITE_CASES)
    on = request.POST.get("daily") == "1"
    set_daily(request.user, membership.organisation, on)
    messages.success(
        request,
        _("You will get a daily e-mail of unread notifications.")
        if on
        else _("No more daily e-mails."),
    )
    return redirect("intake_notifications", org_slug)


@login_required
@require_POST
def notifications_read(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Mark one notification (``id``) or all of them as read; only the person's own."""
    membership = membership_for(request.user, org_slug, Capability.WRITE_CASES)
    one = request.POST.get("id", "")
    if one and not one.isdigit():
        raise Http404
    try:
        notifying.mark_read(request.user, membership.organisation, int(one) if one else None)
    except PermissionDenied:  # someone else's notification, or another organisation's
        raise Http404 from None
    return redirect("intake_notifications", org_slug)
