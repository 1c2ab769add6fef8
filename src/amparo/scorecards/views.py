"""The scorecard pages: one platform and period, the side-by-side comparison, and one POST view
per action (record or withdraw an assessment, publish)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of
from amparo.accounts.roles import Capability, can
from amparo.core.platforms import platform_name
from amparo.scorecards import access, services
from amparo.scorecards.card import build, compare
from amparo.scorecards.forms import AssessmentForm, CompareForm, PublishForm, ScorecardFilter
from amparo.scorecards.indicators import Period
from amparo.scorecards.models import Publication
from amparo.scorecards.suppression import DEFAULT_THRESHOLD


def _back(org_slug: str, platform: str, start: str, end: str) -> str:
    query = urlencode({"platform": platform, "start": start, "end": end})
    return reverse("scorecard", args=[org_slug]) + "?" + query


@login_required
@require_safe
def scorecard_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = access.reader(request.user, org_slug)
    organisation = membership.organisation
    selection = ScorecardFilter.from_query(request.GET)
    card = None
    if selection.is_valid():
        data = selection.cleaned_data
        card = build(organisation, data["platform"], Period(data["start"], data["end"]))
        initial = {"platform": data["platform"], "start": data["start"], "end": data["end"]}
    else:
        initial = {}
    return render(
        request,
        "scorecards/scorecard.html",
        {
            "organisation": organisation,
            "selection": selection,
            "card": card,
            "platform_name": platform_name(card.platform) if card else "",
            "threshold": DEFAULT_THRESHOLD,
            "can_assess": can(membership.role, Capability.WRITE_CASES),
            "can_publish": can(membership.role, Capability.COORDINATE),
            "assessment_form": AssessmentForm(initial={"platform": initial.get("platform")}),
            "publish_form": PublishForm(initial={**initial, "threshold": DEFAULT_THRESHOLD}),
            "publications": Publication.objects.filter(organisation=organisation)
            .defer("html", "methodology_html", "csv", "pdf")
            .select_related("published_by")[:20],
        },
    )


@login_required
@require_POST
def assessment_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.writer(request.user, org_slug).organisation
    form = AssessmentForm(request.POST)
    start, end = request.POST.get("period_start", ""), request.POST.get("period_end", "")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_assessment(organisation, actor=actor_of(request), **data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Assessment recorded."))
        return redirect(_back(org_slug, data["platform"], start, end))
    problems = "; ".join(
        f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
        for name, errors in form.errors.items()
    )
    messages.error(request, _("Not recorded: %(problems)s") % {"problems": problems})
    return redirect(_back(org_slug, request.POST.get("platform", ""), start, end))


@login_required
@require_POST
def assessment_withdraw(request: HttpRequest, org_slug: str, assessment_id: str) -> HttpResponse:
    assessment = access.assessment_for(request.user, org_slug, assessment_id)
    try:
        services.withdraw_assessment(assessment, actor=actor_of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Assessment withdrawn."))
    return redirect(
        _back(
            org_slug,
            assessment.platform,
            request.POST.get("period_start", ""),
            request.POST.get("period_end", ""),
        )
    )


@login_required
@require_POST
def publish_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.publisher(request.user, org_slug).organisation
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Not published: %(problems)s")
            % {"problems": "; ".join(" ".join(str(m) for m in e) for e in form.errors.values())},
        )
        return redirect("scorecard", org_slug)
    data = form.cleaned_data
    try:
        publication = services.publish(
            organisation,
            platform=data["platform"],
            start=data["start"],
            end=data["end"],
            threshold=data["threshold"],
            actor=actor_of(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("scorecard", org_slug)
    messages.success(request, _("Scorecard published."))
    return redirect("scorecard_publication", org_slug, publication.pk)


@login_required
@require_safe
def publication_view(request: HttpRequest, org_slug: str, publication_id: str) -> HttpResponse:
    publication = access.publication_for(request.user, org_slug, publication_id)
    return render(
        request,
        "scorecards/publication.html",
        {
            "organisation": publication.organisation,
            "publication": publication,
            "platform_name": platform_name(publication.platform),
            "files": sorted(publication.sha256.items()),
        },
    )


FILES = {
    "scorecard.html": ("html", "text/html; charset=utf-8"),
    "methodology.html": ("methodology_html", "text/html; charset=utf-8"),
    "scorecard.csv": ("csv", "text/csv; charset=utf-8"),
    "scorecard.pdf": ("pdf", "application/pdf"),
}


@login_required
@require_safe
def publication_file(
    request: HttpRequest, org_slug: str, publication_id: str, name: str
) -> HttpResponse:
    """A published file, exactly as frozen, as a download (never rendered inside the app)."""
    publication = access.publication_for(request.user, org_slug, publication_id)
    if name not in FILES:
        raise Http404
    attribute, content_type = FILES[name]
    body = getattr(publication, attribute)
    response = HttpResponse(bytes(body) if attribute == "pdf" else body, content_type=content_type)
    filename = (
        f"scorecard-{publication.platform}-{publication.period_start:%Y%m%d}-"
        f"{publication.period_end:%Y%m%d}-{name}"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def compare_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.reader(request.user, org_slug).organisation
    form = CompareForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        columns = [(p, Period(s, e)) for p, s, e in form.columns()]
        result = compare(organisation, columns)
        result["headers"] = [{"platform": platform_name(p), "period": per} for p, per in columns]
    return render(
        request,
        "scorecards/compare.html",
        {
            "organisation": organisation,
            "form": form,
            "result": result,
            "threshold": DEFAULT_THRESHOLD,
        },
    )
