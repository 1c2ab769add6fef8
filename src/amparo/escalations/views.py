from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.cases import access as case_access
from amparo.engines.register import RegisterError
from amparo.escalations import access, forms, listing, register, services, statement, states
from amparo.escalations.lifecycle import fresh
from amparo.escalations.models import RegisterOverrides
from amparo.escalations.packaging import render_text
from amparo.intake import disclosure
from amparo.outbound import services as outbound


@login_required
def escalate(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    """The channels open to the case as the organisation stands, who may act through each, and
    for the one chosen: the fields to fill, a review of exactly what will leave, and creation
    (only of the package reviewed)."""
    from amparo.accounts.identity import notifier_for
    from amparo.escalations import notice_form

    case = case_access.case_for(request.user, org_slug, case_id, write=True)
    offers = register.offers_for_case(case)
    data = request.POST if request.method == "POST" else request.GET
    action = request.POST.get("action", "") if request.method == "POST" else ""
    disclose, asked = data.get("identity") == "1", data.get("asked") == "1"
    reports = services.reports_of(case)
    consent = disclosure.consent_of(reports)
    offer = next((o for o in offers if o.channel.code == data.get("channel")), None)
    if data.get("channel") and offer is None:
        messages.error(request, _("This channel is not open to this case."))
    chan = offer.channel if offer else None
    form = preview = None
    token = ""
    if chan is not None:
        reg = register.for_organisation(case.organisation)
        where = register.standing(case, reg)
        grounds = notice_form.suggestions(
            reg, case, [where.user_country, where.organisation_country]
        )
        if request.method == "POST":
            post = request.POST.copy()
            if action == "summary":
                typed = post.get("explanation", "").rstrip()
                post["explanation"] = f"{typed}\n\n{notice_form.scrubbed_summary(reports)}".strip()
            form = notice_form.NoticeForm(post, channel=chan, grounds=grounds)
        else:
            form = notice_form.NoticeForm(
                channel=chan, grounds=grounds, initial=notice_form.initial(case, chan, reports)
            )
        notice: dict[str, str] | None = None
        if form.is_bound and action in ("review", "create") and form.is_valid():
            notice = form.notice()
        elif not form.is_bound and not chan.is_art16_notice:
            notice = {k: str(v) for k, v in form.initial.items() if k in form.fields and v}
        if notice is not None:
            try:
                _chan, preview = services.preview(
                    case,
                    chan.code,
                    disclose_identity=disclose and consent != "no",
                    notice=notice,
                    asked_and_confirmed=asked,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                token = notice_form.review_token(chan.code, preview.fields, disclose)
        if action == "create" and preview is not None and notice is not None:
            if request.POST.get("reviewed") != token:
                messages.error(
                    request,
                    _("What would leave changed since you reviewed it: review it again."),
                )
            else:
                try:
                    escalation = services.create(
                        case,
                        chan.code,
                        actor=actor_of(request),
                        disclose_identity=disclose,
                        notice=notice,
                        asked_and_confirmed=asked,
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        messages.error(request, message)
                except PermissionDenied:
                    raise Http404 from None
                else:
                    return redirect("escalation_detail", org_slug, escalation.pk)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    return render(
        request,
        "escalations/escalate.html",
        {
            "organisation": case.organisation,
            "case": case,
            "offers": [(o, [notice_form.ROLE_LABELS[r] for r in o.roles]) for o in offers],
            "chan": chan,
            "form": form,
            "preview": preview,
            "preview_text": render_text(preview.fields) if preview else "",
            "token": token,
            "disclose": disclose,
            "asked": asked,
            "consent": consent,
            "notifier": notifier_for(case.organisation),
            "needs_notifier": any(o.channel.is_art16_notice for o in offers),
            "can_settle": can(membership.role, Capability.COORDINATE),
        },
    )


# ------------------------------------------------------------------ one escalation, its actions


def _notice_rows(notice: dict[str, Any], chan: Any) -> list[tuple[str, Any]]:
    """What the caseworker wrote for the notice, each under the question the form asked."""
    labels: dict[str, str] = {}
    if chan is not None:
        from amparo.escalations.notice_form import NoticeForm

        labels = {name: str(f.label) for name, f in NoticeForm(channel=chan).fields.items()}
    return [(labels.get(key, key.replace("_", " ")), value) for key, value in notice.items()]


def _detail_context(request: HttpRequest, org_slug: str, escalation: Any) -> dict[str, Any]:
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    chan = None
    with contextlib.suppress(KeyError):  # a channel removed from the register since
        chan = register.channel(escalation.organisation, escalation.channel_code)
    writer = can(membership.role, Capability.WRITE_CASES)
    return {
        "organisation": escalation.case.organisation,
        "escalation": escalation,
        "chan": chan,
        "package_text": render_text(escalation.package or {}),
        "writer": writer,
        "can_approve": writer
        and can(membership.role, Capability.REVEAL_IDENTITY)
        and request.user.pk not in (escalation.created_by_id, escalation.edited_by_id),
        "actions": states.actions_for(escalation.status),
        "delivery": outbound.latest_for("escalation", escalation.pk),
        "queued": services.is_queued(escalation),
        "today": timezone.localdate(),
        "now": timezone.now(),
        "response_form": forms.ResponseForm(),
        "close_form": forms.CloseForm(),
        "sent_by_hand_form": forms.SentByHandForm(initial={"sent_on": timezone.localdate()}),
        "send_form": forms.SendForm(),
        "notice": _notice_rows(escalation.notice or {}, chan),
        "statement_rows": statement.rows(escalation),
    }


@login_required
def escalation_detail(request: HttpRequest, org_slug: str, escalation_id: str) -> HttpResponse:
    if request.method == "POST":
        # Forms of earlier pages post their ``action`` here: the same views answer them.
        view = ACTIONS.get(request.POST.get("action", ""))
        if view is None:
            access.escalation_for(request.user, org_slug, escalation_id, write=True)
            raise Http404
        return view(request, org_slug, escalation_id)
    escalation = access.escalation_for(request.user, org_slug, escalation_id)
    return _render_detail(request, org_slug, escalation)


def _render_detail(request: HttpRequest, org_slug: str, escalation: Any) -> HttpResponse:
    """The escalation's page: it shows the package, so each showing is audited."""
    record(
        "escalation.package_viewed",
        actor=actor_of(request),
        obj=escalation,
        organisation=escalation.organisation_id,
    )
    return render(
        request, "escalations/detail.html", _detail_context(request, org_slug, escalation)
    )


def _act(
    request: HttpRequest,
    org_slug: str,
    escalation_id: str,
    form_class: Any,
    act: Callable[[Any, Any], str],
) -> HttpResponse:
    """Run one action: the writer's escalation (else 404), its form, the service; errors are
    shown on the escalation's page, success redirects to it."""
    escalation = access.escalation_for(request.user, org_slug, escalation_id, write=True)
    form = form_class(request.POST) if form_class else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
        done = act(escalation, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _render_detail(request, org_slug, fresh(escalation))
    except PermissionDenied:
        raise Http404 from None
    if done:
        messages.success(request, done)
    return redirect("escalation_detail", org_slug, escalation.pk)


@login_required
@require_POST
def escalation_approve(request: HttpRequest, org_slug: str, escalation_id: str) -> HttpResponse:
    def act(escalation: Any, data: dict[str, Any]) -> str:
        services.approve(escalation, actor=actor_of(request))
        return _("Approved. It can be sent now.")

    return _act(request, org_slug, escalation_id, None, act)


@login_required
@require_POST
def escalation_send(request: HttpRequest, org_slug: str, escalation_id: str) -> HttpResponse:
    def act(escalation: Any, data: dict[str, Any]) -> str:
        services.send(escalation, actor=actor_of(request), external_reference=data["reference"])
        if escalation.transport == "email":
            return _(
                "Queued. The e-mail leaves as soon as the mail server answers; the clock starts then."
            )
        if escalation.transport == "webhook":
            return _(
                "Queued. The package leaves as soon as the receiving system answers; the clock starts then."
            )
        return _("Sent. The clock has started.")

    return _act(request, org_slug, escalation_id, forms.SendForm, act)


@login_required
@require_POST
def escalation_sent_by_hand(
    request: HttpRequest, org_slug: str, escalation_id: str
) -> HttpResponse:
    def act(escalation: Any, data: dict[str, Any]) -> str:
        services.mark_sent_by_hand(
            escalation,
            actor=actor_of(request),
            sent_on=data["sent_on"],
            reference=data["reference"],
        )
        return _("Marked as sent by hand. The clock has started.")

    return _act(request, org_slug, escalation_id, forms.SentByHandForm, act)


@login_required
@require_POST
def escalation_respond(request: HttpRequest, org_slug: str, escalation_id: str) -> HttpResponse:
    def act(escalation: Any, data: dict[str, Any]) -> str:
        services.record_response(
            escalation,
            actor=actor_of(request),
            received_on=data["received_on"],
            text=data["text"],
            outcome=data["outcome"],
            account_restored_on=data["account_restored_on"],
            decision_reference=data["decision_reference"],
            content_id=data["content_id"],
        )
        return _("The response was recorded.")

    return _act(request, org_slug, escalation_id, forms.ResponseForm, act)


@login_required
@require_POST
def escalation_close(request: HttpRequest, org_slug: str, escalation_id: str) -> HttpResponse:
    def act(escalation: Any, data: dict[str, Any]) -> str:
        services.close(escalation, actor=actor_of(request), outcome=data["outcome"])
        return _("Closed.")

    return _act(request, org_slug, escalation_id, forms.CloseForm, act)


@login_required
@require_POST
def escalation_cancel(request: HttpRequest, org_slug: str, escalation_id: str) -> HttpResponse:
    def act(escalation: Any, data: dict[str, Any]) -> str:
        services.cancel(escalation, actor=actor_of(request))
        return _("Cancelled. Nothing more will leave.")

    return _act(request, org_slug, escalation_id, None, act)


@login_required
def escalation_edit(request: HttpRequest, org_slug: str, escalation_id: str) -> HttpResponse:
    """The prepared package's notice fields and identity choices; saving rebuilds it."""
    escalation = access.escalation_for(request.user, org_slug, escalation_id, write=True)
    keys = list((escalation.notice or {}).keys())
    initial = {f"notice_{k}": v for k, v in (escalation.notice or {}).items()}
    initial |= {
        "disclose_identity": escalation.disclose_identity,
        "asked_and_confirmed": escalation.asked_and_confirmed,
    }
    form = forms.EditForm(request.POST or None, kept_keys=keys, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit(
                escalation,
                actor=actor_of(request),
                notice=form.notice(),
                disclose_identity=form.cleaned_data["disclose_identity"],
                asked_and_confirmed=form.cleaned_data["asked_and_confirmed"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
        else:
            if escalation.status == "awaiting_approval":
                messages.success(request, _("Saved. A second person must approve it (again)."))
            else:
                messages.success(request, _("Saved."))
            return redirect("escalation_detail", org_slug, escalation.pk)
    return render(
        request,
        "escalations/edit.html",
        {
            "organisation": escalation.case.organisation,
            "escalation": escalation,
            "form": form,
            "editable": "edit" in states.actions_for(escalation.status),
        },
    )


ACTIONS: dict[str, Callable[..., HttpResponse]] = {
    "approve": escalation_approve,
    "send": escalation_send,
    "sent_by_hand": escalation_sent_by_hand,
    "response": escalation_respond,
    "close": escalation_close,
    "cancel": escalation_cancel,
}


# ------------------------------------------------------------------------ the escalations list


@login_required
@require_safe
def escalation_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership, escalations = access.escalations_for(request.user, org_slug)
    tab = request.GET.get("tab", "approval")
    tab = tab if tab in listing.TABS else "approval"
    whose = request.GET.get("whose") or listing.default_whose(membership)
    whose = whose if whose in listing.WHOSE else "all"
    chosen = listing.select(escalations, tab=tab, whose=whose, user=request.user)
    page = Paginator(chosen, 50).get_page(request.GET.get("page"))
    listing.with_channel_labels(membership.organisation, page)
    return render(
        request,
        "escalations/list.html",
        {
            "organisation": membership.organisation,
            "page": page,
            "tab": tab,
            "tabs": list(listing.TABS.items()),
            "whose": whose,
            "whose_choices": list(listing.WHOSE.items()),
            "counts": listing.counts(escalations),
            "now": timezone.now(),
        },
    )


@login_required
@require_safe
def scorecard_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The old raw table moved: the scorecard against the 10 US-EU actions replaces it."""
    membership_for(request.user, org_slug, Capability.VIEW_CASES)
    return redirect("scorecard", org_slug, permanent=True)


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
            record("register.overrides_saved", actor=actor_of(request), organisation=organisation)
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
