from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.campaigns import access, downloads, services
from amparo.campaigns.evidence import evidence_tables
from amparo.campaigns.forms import DetectionForm, LinkCaseForm, ReviewForm
from amparo.campaigns.models import Campaign, DetectionRun, DetectionSchedule
from amparo.campaigns.network import picture
from amparo.campaigns.uploads import MAX_UPLOAD, CampaignUploadHandler
from amparo.campaigns.views_schedules import ScheduleForm
from amparo.cases.models import Case

#: Campaigns of a run drawn as a network on the run page (the strongest first).
MAX_PICTURES = 20


@csrf_exempt  # the handler below must be set before the CSRF check reads the body
def runs(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Files of posts are larger than evidence files: this page's requests get their own
    upload handler (memory only, up to MAX_UPLOAD a file), then the usual CSRF check."""
    if request.method == "POST":
        request.upload_handlers = [CampaignUploadHandler(request)]
    return _runs(request, org_slug)


@csrf_protect
@login_required
def _runs(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    form = DetectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        files = {field: [f for f in request.FILES.getlist(field)] for field in ("posts", "actions")}
        too_large = [f.name for fs in files.values() for f in fs if getattr(f, "too_large", False)]
        for name in too_large:
            messages.error(
                request,
                _("%(name)s is larger than %(mb)d MB and was not taken.")
                % {"name": name, "mb": MAX_UPLOAD // 2**20},
            )
        if form.is_valid() and not too_large:
            try:
                run = services.start_run(
                    organisation,
                    actor=actor_of(request),
                    posts=[(f.name or "posts", f.read()) for f in files["posts"]],
                    actions=[(f.name or "actions", f.read()) for f in files["actions"]],
                    include_case_actions=form.cleaned_data["case_actions"],
                    params=form.params(),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                return redirect("campaign_run", org_slug, run.pk)
    return render(
        request,
        "campaigns/runs.html",
        {
            "organisation": organisation,
            "form": form,
            "max_mb": MAX_UPLOAD // 2**20,
            "runs": DetectionRun.objects.filter(organisation=organisation).select_related(
                "schedule"
            )[:50],
            "schedules": DetectionSchedule.objects.filter(organisation=organisation),
            "schedule_form": ScheduleForm(),
            "schedule_detection": DetectionForm(prefix="s"),
        },
    )


@login_required
def run_detail(request: HttpRequest, org_slug: str, run_id: str) -> HttpResponse:
    run = access.run_for(request.user, org_slug, run_id)
    campaigns = list(run.campaigns.select_related("data_key"))
    pictures = [
        (c, picture(c.detail or {}))
        for c in campaigns[:MAX_PICTURES]
        if c.kind != downloads.BURST_KIND
    ]
    return render(
        request,
        "campaigns/run.html",
        {
            "organisation": run.organisation,
            "run": run,
            "campaigns": campaigns,
            "pictures": [(c, p) for c, p in pictures if p is not None],
            "more_pictures": max(len(campaigns) - MAX_PICTURES, 0),
        },
    )


@login_required
def run_download(request: HttpRequest, org_slug: str, run_id: str, fmt: str) -> HttpResponse:
    """A finished run's results as a file (coordinators of the run's organisation only)."""
    run = access.run_for(request.user, org_slug, run_id)
    if run.status != DetectionRun.Status.DONE:
        # The run is theirs (outsiders got 404 above), it has just not finished.
        return HttpResponse(
            _("This run has not finished: there is nothing to download yet."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    download = downloads.render(run, fmt)
    record("campaigns.run_downloaded", actor=actor_of(request), obj=run, new={"format": fmt})
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def campaign_detail(request: HttpRequest, org_slug: str, campaign_id: str) -> HttpResponse:
    campaign = access.campaign_for(request.user, org_slug, campaign_id)
    return _campaign_page(request, campaign)


def _campaign_page(
    request: HttpRequest, campaign: Campaign, *, link_form: LinkCaseForm | None = None
) -> HttpResponse:
    return render(
        request,
        "campaigns/campaign.html",
        {
            "organisation": campaign.organisation,
            "campaign": campaign,
            "detail": campaign.detail or {},
            "evidence": evidence_tables((campaign.detail or {}).get("evidence") or {}),
            "picture": picture(campaign.detail or {}),
            "reviews": Campaign.Review.choices,
            "link_form": link_form or LinkCaseForm(),
        },
    )


# One view per thing done on a campaign's page, each at its own address, for coordinators of
# its organisation (anyone else gets 404, as for the page itself).


@login_required
@require_POST
def campaign_review(request: HttpRequest, org_slug: str, campaign_id: str) -> HttpResponse:
    campaign = access.campaign_for(request.user, org_slug, campaign_id)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Unknown review."))
        services.review(campaign, form.cleaned_data["verdict"], actor=actor_of(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _campaign_page(request, campaign)
    except PermissionDenied:
        raise Http404 from None
    return redirect("campaign_detail", org_slug, campaign.pk)


@login_required
@require_POST
def campaign_link_case(request: HttpRequest, org_slug: str, campaign_id: str) -> HttpResponse:
    campaign = access.campaign_for(request.user, org_slug, campaign_id)
    form = LinkCaseForm(request.POST)
    if not form.is_valid():
        return _campaign_page(request, campaign, link_form=form)
    case = Case.objects.filter(
        organisation=campaign.organisation, reference=form.cleaned_data["case"]
    ).first()
    if case is None:
        form.add_error("case", _("No case with that reference."))
        return _campaign_page(request, campaign, link_form=form)
    try:
        services.link_case(campaign, case, actor=actor_of(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _campaign_page(request, campaign, link_form=form)
    except PermissionDenied:
        raise Http404 from None
    return redirect("campaign_detail", org_slug, campaign.pk)
