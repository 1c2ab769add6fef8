"""Pages of matching between organisations: asking to connect, and private comparisons (PSI)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.cases.access import case_for
from amparo.sharing import access, forms, matching, psi
from amparo.sharing.views import _guarded, _partner_choices


@login_required
@require_POST
def case_connect(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = case_for(request.user, org_slug, case_id, write=True)
    form = forms.ConnectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what you propose."))
    else:
        _guarded(
            request,
            lambda: matching.ask_to_connect(
                case,
                purpose=form.cleaned_data["purpose"],
                message=form.cleaned_data["message"],
                actor=actor_of(request),
            ),
            _("Asked. You will see here who accepts; your case stays yours."),
        )
    return redirect("case_detail", org_slug, case.pk)


@login_required
@require_POST
def connect_accept(request: HttpRequest, org_slug: str, invite_id: str) -> HttpResponse:
    invite = access.connect_invite_for(request.user, org_slug, invite_id)
    _guarded(
        request,
        lambda: matching.answer_connect(invite, accept=True, actor=actor_of(request)),
        _("Accepted: the other organisation now sees your name and can contact you."),
    )
    return redirect("sharing_home", org_slug)


@login_required
@require_POST
def connect_decline(request: HttpRequest, org_slug: str, invite_id: str) -> HttpResponse:
    invite = access.connect_invite_for(request.user, org_slug, invite_id)
    _guarded(
        request,
        lambda: matching.answer_connect(invite, accept=False, actor=actor_of(request)),
        _("Declined. The other organisation is not told who you are."),
    )
    return redirect("sharing_home", org_slug)


@login_required
@require_POST
def psi_request(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    form = forms.PsiForm(request.POST, choices=_partner_choices(organisation))
    if not form.is_valid():
        messages.error(request, _("Choose a partner organisation."))
        return redirect("sharing_home", org_slug)
    partner = Organisation.objects.get(pk=form.cleaned_data["partner"])
    made: list[Any] = []
    if _guarded(
        request,
        lambda: made.append(psi.request_exchange(organisation, partner, actor=actor_of(request))),
        _("Sent. The partner's coordinator answers it."),
    ):
        return redirect("sharing_psi", org_slug, made[0].pk)
    return redirect("sharing_home", org_slug)


@login_required
@require_safe
def psi_detail(request: HttpRequest, org_slug: str, exchange_id: str) -> HttpResponse:
    exchange, organisation = access.psi_for(request.user, org_slug, exchange_id)
    requester = exchange.organisation_id == organisation.pk
    return render(
        request,
        "sharing/psi.html",
        {
            "organisation": organisation,
            "exchange": exchange,
            "requester": requester,
            "result": psi.result(exchange) if requester else None,
        },
    )


@login_required
@require_POST
def psi_accept(request: HttpRequest, org_slug: str, exchange_id: str) -> HttpResponse:
    exchange, organisation = access.psi_for(request.user, org_slug, exchange_id)
    if exchange.partner_id != organisation.pk:
        raise Http404
    _guarded(
        request,
        lambda: psi.answer_exchange(exchange, accept=True, actor=actor_of(request)),
        _("Answered. Only the requester learns which of its accounts you also face."),
    )
    return redirect("sharing_psi", org_slug, exchange.pk)


@login_required
@require_POST
def psi_decline(request: HttpRequest, org_slug: str, exchange_id: str) -> HttpResponse:
    exchange, organisation = access.psi_for(request.user, org_slug, exchange_id)
    if exchange.partner_id != organisation.pk:
        raise Http404
    _guarded(
        request,
        lambda: psi.answer_exchange(exchange, accept=False, actor=actor_of(request)),
        _("Declined."),
    )
    return redirect("sharing_psi", org_slug, exchange.pk)
