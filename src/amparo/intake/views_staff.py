"""Caseworkers' pages: the triage queue, a report, evidence, questions to the reporter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.core.platforms import platform_name
from amparo.engines.triage import UrgencyInput, redact, score_urgency
from amparo.intake import access, notifying, replies, services
from amparo.intake.choices import Channel
from amparo.intake.forms import EvidenceForm, IntermediaryReportForm, QuestionForm
from amparo.intake.models import Indicator, Notification, Report
from amparo.intake.views_public import read_files
from amparo.keyring import blobs

QUEUE_FIELDS = (
    "id",
    "reference",
    "incident_type",
    "platform",
    "country",
    "queue",
    "status",
    "urgency_level",
    "urgency_score",
    "received_at",
    "channel",
    "organisation_id",
)


def _suggestions(report: Report, visible: QuerySet[Report]) -> list[tuple[Report, int]]:
    """Reports sharing a link or an account with ``report``, among those the viewer may see
    (``visible``: an intermediary's own submissions only), with the case each belongs to."""
    digests = list(report.indicators.values_list("digest", flat=True))
    if not digests:
        return []
    shared: dict[str, int] = {}
    for report_id in (
        Indicator.objects.filter(organisation=report.organisation, digest__in=digests)
        .exclude(report=report)
        .values_list("report_id", flat=True)
    ):
        shared[str(report_id)] = shared.get(str(report_id), 0) + 1
    related = (
        visible.filter(pk__in=shared.keys())
        .select_related("case_link__case")
        .only(*QUEUE_FIELDS, "case_link__case__reference", "case_link__case__id")
    )
    return sorted(((r, shared[str(r.pk)]) for r in related), key=lambda item: -item[1])[:10]


@login_required
def report_detail(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    report = access.report_for(request.user, org_slug, report_id)
    membership = access.reading_membership(request.user, org_slug)
    identity = None
    form = QuestionForm(initial={"body": _canned_body(report, request.GET.get("reply", ""))})
    if request.method == "POST":
        report = access.report_for(request.user, org_slug, report_id, write=True)
        action = request.POST.get("action")
        if action == "acknowledge":
            services.acknowledge(report, actor=request.user)
            messages.success(request, _("Acknowledged. The response-time alarms were stopped."))
            return redirect("intake_report", org_slug, report.pk)
        if action == "ask":
            form = QuestionForm(request.POST)
            if form.is_valid():
                services.ask_reporter(report, form.cleaned_data["body"], actor=request.user)
                messages.success(
                    request, _("Your message will be shown on the reporter's follow-up page.")
                )
                return redirect("intake_report", org_slug, report.pk)
        elif action == "referral":
            from amparo.cases.referrals import answer

            referral = getattr(report, "referral", None)
            if referral is None:
                raise Http404
            try:
                answer(referral, request.POST.get("status", ""), actor=request.user)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The referring organisation sees your answer."))
            return redirect("intake_report", org_slug, report.pk)
        elif action == "attach":
            return _attach_to_case(request, report)
        elif action == "reveal":
            membership_for(request.user, org_slug, Capability.REVEAL_IDENTITY)
            identity = services.reveal_identity(report, actor=request.user)
        elif action == "erase":
            membership_for(request.user, org_slug, Capability.COORDINATE)
            if not report.deletion_requested:
                messages.error(
                    request, _("Only reports whose reporter asked for deletion can be erased here.")
                )
            elif request.POST.get("confirm_reference", "").strip() != report.reference:
                messages.error(
                    request,
                    _("The report was not erased: type its reference exactly to confirm."),
                )
            else:
                services.erase_report(report, actor=request.user)
                messages.success(
                    request, _("The report was erased. Its encryption key was destroyed.")
                )
                return redirect("intake_queue", org_slug)
        else:
            raise Http404
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
            "suggestions": _suggestions(report, access.reports_for(request.user, org_slug)),
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


def _attach_to_case(request: HttpRequest, report: Report) -> HttpResponse:
    """Attach this report to the case of a possibly related report (one click)."""
    from amparo.cases.models import CaseReport
    from amparo.cases.services import link_report

    org_slug = report.organisation.slug
    related = access.report_for(request.user, org_slug, request.POST.get("related", ""))
    link = CaseReport.objects.filter(report=related).select_related("case").first()
    if link is None:
        raise Http404
    try:
        link_report(link.case, report, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The report was attached to %(case)s.") % {"case": link.case.reference},
        )
    return redirect("intake_report", org_slug, report.pk)


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
        actor=request.user,
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
                    actor=request.user,
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
