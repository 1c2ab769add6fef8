"""Setting up intake: API tokens, the register of heightened-risk periods, spreadsheet import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability
from amparo.intake import access, importer, tokens
from amparo.intake import risk_periods as risk_period_services
from amparo.intake.forms import ApiTokenForm, ImportForm, RiskPeriodForm
from amparo.intake.models import ApiToken, RiskPeriod


@login_required
def api_tokens(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.MANAGE_MEMBERS).organisation
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = tokens.create(
            organisation,
            name=form.cleaned_data["name"],
            scopes=[ApiToken.Scope.SUBMIT, ApiToken.Scope.READ_STATUS],
            actor=actor_of(request),
        )
        form = ApiTokenForm()
    return render(
        request,
        "intake/api_tokens.html",
        {
            "organisation": organisation,
            "form": form,
            "new_secret": new_secret,
            "tokens": ApiToken.objects.filter(organisation=organisation),
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, org_slug: str, token_id: str) -> HttpResponse:
    token = access.api_token_for(request.user, org_slug, token_id)
    if token.revoked_at is None:
        tokens.revoke(token, actor=actor_of(request))
        messages.success(request, _("Token revoked."))
    return redirect("intake_api_tokens", org_slug)


@login_required
def risk_periods(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    organisation = membership.organisation
    form = RiskPeriodForm(request.POST or None)
    if request.method == "POST":
        membership_for(request.user, org_slug, Capability.COORDINATE)
        if form.is_valid():
            risk_period_services.add(organisation, form.cleaned_data, actor=actor_of(request))
            messages.success(
                request,
                _("Saved. New reports from that country will rank higher during that period."),
            )
            return redirect("intake_risk_periods", org_slug)
    periods = RiskPeriod.objects.filter(organisation=organisation) | RiskPeriod.objects.filter(
        organisation__isnull=True
    )
    return render(
        request,
        "intake/risk_periods.html",
        {"organisation": organisation, "form": form, "periods": periods.order_by("-starts_on")},
    )


@login_required
@require_POST
def risk_period_delete(request: HttpRequest, org_slug: str, period_id: str) -> HttpResponse:
    period = access.risk_period_for(request.user, org_slug, period_id)
    risk_period_services.delete(period, actor=actor_of(request))
    return redirect("intake_risk_periods", org_slug)


@login_required
def import_reports(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.WRITE_CASES).organisation
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importer.import_file(
            organisation,
            upload.name or "",
            upload.read(),
            actor=actor_of(request),
            language=translation.get_language() or "en",
        )
        if result.imported:
            messages.success(request, _("%(n)s reports were imported.") % {"n": result.imported})
    return render(
        request,
        "intake/import.html",
        {
            "organisation": organisation,
            "form": form,
            "result": result,
            "columns": importer_columns(),
        },
    )


def importer_columns() -> list[str]:
    from amparo.intake.forms import ReportForm

    return [name for name in ReportForm.base_fields if name != "website"]
