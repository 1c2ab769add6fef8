from __future__ import annotations

import contextlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.cases import access as case_access
from amparo.core import outbound
from amparo.engines.register import RegisterError
from amparo.escalations import access, register, services
from amparo.escalations.models import Outcome, RegisterOverrides
from amparo.escalations.packaging import identity_consent, render_text
from amparo.escalations.scorecard import scorecard


@login_required
def escalate(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = case_access.case_for(request.user, org_slug, case_id, write=True)
    channels = register.channels_for_case(case)
    code = request.POST.get("channel") or request.GET.get("channel", "")
    disclose = (request.POST.get("identity") or request.GET.get("identity")) == "1"
    preview = chan = None
    consent = identity_consent(services.reports_of(case))
    if code:
        try:
            chan, preview = services.preview(
                case, code, disclose_identity=disclose and consent != "no"
            )
        except (KeyError, ValidationError):
            messages.error(request, _("Unknown channel."))
    if request.method == "POST" and chan is not None:
        try:
            escalation = services.create(
                case,
                chan.code,
                actor=request.user,
                disclose_identity=disclose,
                asked_reporter=request.POST.get("asked") == "1",
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect("escalation_detail", org_slug, escalation.pk)
    return render(
        request,
        "escalations/escalate.html",
        {
            "organisation": case.organisation,
            "case": case,
            "channels": channels,
            "chan": chan,
            "preview": preview,
            "preview_text": render_text(preview.fields) if preview else "",
            "disclose": disclose,
            "consent": consent,
        },
    )


@login_required
def escalation_detail(request: HttpRequest, org_slug: str, escalation_id: str) -> HttpResponse:
    escalation = access.escalation_for(request.user, org_slug, escalation_id)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    if request.method == "POST":
        escalation = access.escalation_for(request.user, org_slug, escalation_id, write=True)
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.approve(escalation, actor=request.user)
            elif action == "send":
                services.send(
                    escalation,
                    actor=request.user,
                    external_reference=request.POST.get("reference", ""),
                )
                if escalation.transport == "email":
                    messages.success(
                        request,
                        _(
                            "Queued. The e-mail leaves as soon as the mail server answers; "
                            "the clock starts then."
                        ),
                    )
                elif escalation.transport == "webhook":
                    messages.success(
                        request,
                        _(
                            "Queued. The package leaves as soon as the receiving system "
                            "answers; the clock starts then."
                        ),
                    )
                else:
                    messages.success(request, _("Sent. The clock has started."))
            elif action == "sent_by_hand":
                try:
                    sent_on = parse_date(request.POST.get("sent_on") or "")
                except ValueError:  # well formed but not a day (2026-02-30)
                    sent_on = None
                if sent_on is None:
                    raise ValidationError(_("Enter the day it was sent."))
                services.mark_sent_by_hand(
                    escalation,
                    actor=request.user,
                    sent_on=sent_on,
                    reference=request.POST.get("reference", ""),
                )
                messages.success(request, _("Marked as sent by hand. The clock has started."))
            elif action == "response":
                services.record_response(
                    escalation,
                    actor=request.user,
                    text=request.POST.get("text", ""),
                    outcome=request.POST.get("outcome", ""),
                    account_restored_on=parse_date(request.POST.get("account_restored_on") or "")
                    or None,
                )
            else:
                raise Http404
            return redirect("escalation_detail", org_slug, escalation.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
    chan = None
    with contextlib.suppress(KeyError):  # a channel removed from the register since
        chan = register.channel(escalation.organisation, escalation.channel_code)
    record(
        "escalation.package_viewed",
        actor=request.user,
        obj=escalation,
        organisation=escalation.organisation_id,
    )
    return render(
        request,
        "escalations/detail.html",
        {
            "organisation": escalation.case.organisation,
            "escalation": escalation,
            "chan": chan,
            "package_text": render_text(escalation.package or {}),
            "outcomes": Outcome.choices,
            "writer": can(membership.role, Capability.WRITE_CASES),
            "delivery": outbound.latest_for("escalation", escalation.pk),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_safe
def scorecard_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.VIEW_CASES).organisation
    return render(
        request,
        "escalations/scorecard.html",
        {"organisation": organisation, "rows": scorecard(organisation)},
    )


@login_required
def register_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    organisation = membership.organisation
    current = RegisterOverrides.objects.filter(organisation=organisation).first()
    text = json.dumps(current.document if current else {}, indent=2, ensure_ascii=False)
    if request.method == "POST":
        membership_for(request.user, org_slug, Capability.MANAGE_MEMBERS)
        text = request.POST.get("document", "")
        try:
            document = json.loads(text or "{}")
            register.shipped().with_overrides(document, source="your overrides")
        except (ValueError, RegisterError) as exc:
            messages.error(request, _("Not saved: %(problem)s") % {"problem": exc})
        else:
            RegisterOverrides.objects.update_or_create(
                organisation=organisation,
                defaults={"document": document, "updated_by": request.user},
            )
            record("register.overrides_saved", actor=request.user, organisation=organisation)
            messages.success(request, _("Saved."))
            return redirect("escalation_register", org_slug)
    reg = register.for_organisation(organisation)
    return render(
        request,
        "escalations/register.html",
        {
            "organisation": organisation,
            "register": reg,
            "text": text,
            "can_edit": can(membership.role, Capability.MANAGE_MEMBERS),
            "platforms": [
                (p, reg.channels_of(p.slug))
                for p in sorted(reg.platforms.values(), key=lambda p: p.name)
            ],
        },
    )
