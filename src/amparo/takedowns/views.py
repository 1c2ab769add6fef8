"""The takedown register's pages: the list with its figures, one demand, and one view per
action (record, record the response, link a case, import, publish the figures)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.core.platforms import platform_name
from amparo.scorecards.suppression import DEFAULT_THRESHOLD
from amparo.takedowns import access, figures, importer, services
from amparo.takedowns.forms import DemandForm, ImportForm, ResponseForm
from amparo.takedowns.models import KNOWN, Demand, Response

DEFAULT_YEARS = 5


def _period(query: Any) -> tuple[date, date, list[str]]:
    today = timezone.localdate()
    start, end, problems = today - timedelta(days=365 * DEFAULT_YEARS), today, []
    for name in ("start", "end"):
        raw = (query.get(name) or "").strip()
        if not raw:
            continue
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            problems.append(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw})
            continue
        if name == "start":
            start = value
        else:
            end = value
    if end < start:
        problems.append(_("The period must end on or after the day it starts."))
        start, end = end, start
    return start, end, problems


def _labels() -> dict[str, str]:
    return {r.value: str(r.label) for r in Response}


@login_required
@require_safe
def demand_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = access.reader(request.user, org_slug)
    organisation = membership.organisation
    start, end, problems = _period(request.GET)
    for problem in problems:
        messages.error(request, problem)
    demands = Demand.objects.filter(
        organisation=organisation, demanded_on__gte=start, demanded_on__lte=end
    ).select_related("case", "risk_period")
    page = Paginator(demands, 50).get_page(request.GET.get("page"))
    exact = figures.exact(organisation, start, end, "platform")
    totals = [sum(r["counts"][i] for r in exact["rows"]) for i in range(len(figures.RESPONSES))]
    labels = _labels()
    overall = figures.rate(list(totals))
    return render(
        request,
        "takedowns/list.html",
        {
            "organisation": organisation,
            "start": start,
            "end": end,
            "page": page,
            "overall_percent": None if overall is None else round(overall * 100),
            "overall_known": sum(totals[figures.RESPONSES.index(r)] for r in KNOWN),
            "overall_unknown": totals[figures.RESPONSES.index(Response.UNKNOWN)],
            "tables": [
                _with_labels(t, labels)
                for t in figures.published_tables(organisation, start, end, DEFAULT_THRESHOLD)
            ],
            "response_labels": [labels[r] for r in figures.RESPONSES],
            "threshold": DEFAULT_THRESHOLD,
            "can_write": can(membership.role, Capability.WRITE_CASES),
            "can_publish": can(membership.role, Capability.COORDINATE),
            "platform_name": platform_name,
        },
    )


def _with_labels(table: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    titles = {
        "platform": _("By platform"),
        "authority_country": _("By country of the authority"),
        "period": _("Heightened-risk periods against the baseline"),
    }
    return {**table, "title": titles[table["by"]]}


@login_required
def demand_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.writer(request.user, org_slug).organisation
    form = DemandForm(request.POST or None, initial={"response": Response.UNKNOWN})
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.record_demand(
                organisation, data=form.cleaned_data, actor=actor_of(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Demand recorded."))
            return redirect("takedown_detail", org_slug, demand.pk)
    return render(request, "takedowns/form.html", {"organisation": organisation, "form": form})


@login_required
@require_safe
def demand_detail(request: HttpRequest, org_slug: str, demand_id: str) -> HttpResponse:
    membership = access.reader(request.user, org_slug)
    demand = access.demand_for(request.user, org_slug, demand_id)
    return render(
        request,
        "takedowns/detail.html",
        {
            "organisation": membership.organisation,
            "demand": demand,
            "platform": platform_name(demand.platform),
            "can_write": can(membership.role, Capability.WRITE_CASES),
            "response_form": ResponseForm(
                initial={"response": demand.response, "responded_on": demand.responded_on}
            ),
        },
    )


@login_required
@require_POST
def demand_response(request: HttpRequest, org_slug: str, demand_id: str) -> HttpResponse:
    demand = access.demand_for(request.user, org_slug, demand_id, write=True)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.record_response(
                demand,
                response=form.cleaned_data["response"],
                responded_on=form.cleaned_data["responded_on"],
                actor=actor_of(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Response recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("takedown_detail", org_slug, demand.pk)


@login_required
@require_POST
def demand_link_case(request: HttpRequest, org_slug: str, demand_id: str) -> HttpResponse:
    demand = access.demand_for(request.user, org_slug, demand_id, write=True)
    try:
        services.link_case(
            demand, reference=request.POST.get("case_reference", ""), actor=actor_of(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Case link saved."))
    return redirect("takedown_detail", org_slug, demand.pk)


@login_required
def demand_import(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.writer(request.user, org_slug).organisation
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read(importer.MAX_BYTES + 1)
        result = importer.import_csv(organisation, raw, actor=actor_of(request))
    return render(
        request,
        "takedowns/import.html",
        {
            "organisation": organisation,
            "form": form,
            "result": result,
            "columns": importer.COLUMNS,
            "required": importer.REQUIRED,
        },
    )


@login_required
@require_safe
def import_template(request: HttpRequest, org_slug: str) -> HttpResponse:
    access.writer(request.user, org_slug)
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="takedown-demands-template.csv"'
    return response


@login_required
@require_safe
def figures_csv(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The published figures (suppressed), for a coordinator; each download is audited."""
    organisation = access.publisher(request.user, org_slug).organisation
    start, end, _problems = _period(request.GET)
    body = figures.published_csv(organisation, start, end, DEFAULT_THRESHOLD)
    record(
        "takedown.figures_published",
        actor=actor_of(request),
        organisation=organisation,
        new={"start": start.isoformat(), "end": end.isoformat(), "threshold": DEFAULT_THRESHOLD},
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="takedown-compliance-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response
