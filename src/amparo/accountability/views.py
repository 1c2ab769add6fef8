from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from amparo.accountability import access, data, figures, forms, labels, reports, services
from amparo.accountability.definitions import DEFINITIONS
from amparo.accountability.models import PublishedReport
from amparo.accounts.access import actor_of
from amparo.engines.figures.charts import render_csv, render_svg
from amparo.engines.figures.png import render_png

FORMATS = {
    "svg": ("image/svg+xml; charset=utf-8", "svg"),
    "png": ("image/png", "png"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


#: The figures of ``amparo.collective.figures.summary`` shown, in words (nested ones are not).
COLLECTIVE = {
    "actions": gettext_lazy("Collective actions opened"),
    "members": gettext_lazy("People who joined"),
    "mandates_given": gettext_lazy("Mandates given"),
    "mandates_revoked": gettext_lazy("Mandates revoked"),
    "filings_filed": gettext_lazy("Filings filed"),
    "restored": gettext_lazy("Accounts restored"),
    "restoration_rate": gettext_lazy("Share restored"),
    "median_days_to_restoration": gettext_lazy("Median days to restoration"),
}


def _collective(organisation: Any, f: data.Filters) -> list[tuple[str, str]]:
    """Collective actions (``amparo.collective``) opened in the range, when that module
    exists: its scalar figures, labelled."""
    from datetime import datetime, time, timedelta
    from importlib import util

    from django.utils import timezone

    if util.find_spec("amparo.collective") is None:
        return []
    try:
        from amparo.collective import figures as collective_figures  # optional module
    except ImportError:
        return []
    summary = collective_figures.summary(
        organisation,
        start=timezone.make_aware(datetime.combine(f.start, time.min)),
        end=timezone.make_aware(datetime.combine(f.end + timedelta(days=1), time.min)),
    )
    out = []
    for key, name in COLLECTIVE.items():
        value = (summary or {}).get(key)
        if value is None or isinstance(value, dict | list):
            continue
        shown = f"{value:.0%}" if key == "restoration_rate" else str(value)
        out.append((str(name), shown))
    return out


def _responsiveness_rows(organisation: Any, board: figures.Dashboard) -> list[dict[str, Any]]:
    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:.0%}"

    def num(v: float | None) -> str:
        return "—" if v is None else f"{v:,.1f}"

    return [
        {
            "name": f"{labels.label('platform', r.platform)} — "
            f"{labels.channel(organisation, r.channel)}",
            "sent": r.sent,
            "pending": r.pending,
            "median_hours": num(r.median_hours),
            "share_72h": pct(r.share_72h),
            "share_actioned": pct(r.share_actioned),
            "share_reversed": pct(r.share_reversed),
            "restored": r.restored,
            "median_days_restored": num(r.median_days_restored),
        }
        for r in board.responsiveness
    ]


@login_required
@require_safe
def dashboard(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = access.reader(request.user, org_slug)
    organisation = membership.organisation
    form = forms.FilterForm(request.GET or None, periods=data.all_risk_periods(organisation))
    f, period = form.filters()
    board = figures.dashboard(organisation, f, period)
    svgs = {fig.key: render_svg(fig.chart) for fig in board.figures}
    return render(
        request,
        "accountability/dashboard.html",
        {
            "organisation": organisation,
            "membership": membership,
            "form": form,
            "board": board,
            "items": [(fig, svgs[fig.key]) for fig in board.figures],
            "query": request.GET.urlencode(),
            "may_publish": access.may_publish(membership),
            "definitions": DEFINITIONS,
            "collective": _collective(organisation, f),
            "responsiveness": _responsiveness_rows(organisation, board),
            "appeals": [
                (labels.label("platform", p), n, "—" if share is None else f"{share:.0%}")
                for p, (n, share) in board.appeals.items()
            ],
        },
    )


@login_required
@require_safe
def chart(request: HttpRequest, org_slug: str) -> HttpResponse:
    """One figure of the dashboard, with the same filters, as SVG, PNG or CSV."""
    organisation = access.reader(request.user, org_slug).organisation
    fmt = request.GET.get("format", "svg")
    if fmt not in FORMATS:
        raise Http404
    form = forms.FilterForm(request.GET, periods=data.all_risk_periods(organisation))
    f, period = form.filters()
    fig = figures.figure(organisation, f, request.GET.get("figure", ""), period)
    if fig is None:
        raise Http404
    if fmt == "svg":
        body: bytes = render_svg(fig.chart).encode()
    elif fmt == "png":
        body = render_png(fig.chart)
    else:
        body = render_csv(fig.chart).encode()
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    name = f"{fig.key}-{f.start.isoformat()}-{f.end.isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def report_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = access.reader(request.user, org_slug)
    rows = PublishedReport.objects.filter(organisation=membership.organisation).defer(
        "html", "csv", "pdf", "tables"
    )
    return render(
        request,
        "accountability/report_list.html",
        {
            "organisation": membership.organisation,
            "reports": rows,
            "may_publish": access.may_publish(membership),
        },
    )


@login_required
@require_safe
def compose(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The composer; with the form filled in, a preview of exactly what would be published."""
    organisation = access.coordinator(request.user, org_slug).organisation
    form = forms.ComposeForm(request.GET or None)
    preview = None
    if request.GET and form.is_valid():
        try:
            composed = reports.compose(organisation, form.spec())
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            preview = {
                "tables": reports.shown_tables(organisation, composed),
                "method": reports.method_text(composed),
                "suppressed": composed.suppressed_count(),
            }
    return render(
        request,
        "accountability/compose.html",
        {"organisation": organisation, "form": form, "preview": preview},
    )


@login_required
@require_POST
def publish(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.coordinator(request.user, org_slug).organisation
    form = forms.ComposeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accountability/compose.html",
            {"organisation": organisation, "form": form, "preview": None},
            status=400,
        )
    try:
        report = services.publish(organisation, form.spec(), actor=actor_of(request))
    except (ValueError, ValidationError) as exc:
        form.add_error(None, str(exc))
        return render(
            request,
            "accountability/compose.html",
            {"organisation": organisation, "form": form, "preview": None},
            status=400,
        )
    messages.success(request, _("The report was published."))
    return redirect("accountability_report", org_slug=org_slug, published_id=report.pk)


def _body(html: str) -> str:
    start, end = html.find("<body>"), html.rfind("</body>")
    return html[start + len("<body>") : end] if start >= 0 and end > start else html


@login_required
@require_safe
def report_detail(request: HttpRequest, org_slug: str, published_id: str) -> HttpResponse:
    report = access.published_for(request.user, org_slug, published_id)
    return render(
        request,
        "accountability/report_detail.html",
        {"organisation": report.organisation, "report": report, "body": _body(report.html)},
    )


def _file(report: PublishedReport, fmt: str) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    elif fmt == "csv":
        response = HttpResponse(report.csv, content_type="text/csv; charset=utf-8")
    elif fmt == "html":
        response = HttpResponse(report.html, content_type="text/html; charset=utf-8")
    else:
        raise Http404
    name = f"transparency-report-{report.period_start.isoformat()}-{report.period_end.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_safe
def report_file(request: HttpRequest, org_slug: str, published_id: str) -> HttpResponse:
    report = access.published_for(request.user, org_slug, published_id)
    return _file(report, request.GET.get("format", "html"))


@require_safe
def public_report(request: HttpRequest, org_slug: str, published_id: str) -> HttpResponse:
    """A report published as public: its static HTML as it was published, or its PDF or CSV."""
    report = access.public_report(org_slug, published_id)
    fmt = request.GET.get("format", "")
    if fmt:
        return _file(report, fmt)
    return HttpResponse(report.html, content_type="text/html; charset=utf-8")
