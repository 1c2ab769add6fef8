from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability
from amparo.campaigns import services
from amparo.campaigns.models import Campaign, DetectionRun
from amparo.cases.models import Case


def _run_for(user, org_slug, run_id):
    organisation = membership_for(user, org_slug, Capability.COORDINATE).organisation
    try:
        return DetectionRun.objects.get(pk=run_id, organisation=organisation)
    except (DetectionRun.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def runs(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    if request.method == "POST":
        posts = [(f.name or "posts", f.read()) for f in request.FILES.getlist("posts")]
        actions = [(f.name or "actions", f.read()) for f in request.FILES.getlist("actions")]
        params = {}
        for name, cast in (("threshold", float), ("window", int)):
            if request.POST.get(name):
                try:
                    params[name] = cast(request.POST[name])
                except ValueError:
                    messages.error(request, _("%(name)s must be a number.") % {"name": name})
        try:
            run = services.start_run(
                organisation,
                actor=request.user,
                posts=posts,
                actions=actions,
                include_case_actions=request.POST.get("case_actions") == "1",
                params=params,
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
            "runs": DetectionRun.objects.filter(organisation=organisation)[:50],
        },
    )


@login_required
def run_detail(request: HttpRequest, org_slug: str, run_id: str) -> HttpResponse:
    run = _run_for(request.user, org_slug, run_id)
    return render(
        request,
        "campaigns/run.html",
        {"organisation": run.organisation, "run": run, "campaigns": run.campaigns.all()},
    )


@login_required
def campaign_detail(request: HttpRequest, org_slug: str, campaign_id: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    try:
        campaign = Campaign.objects.select_related("run", "data_key").get(
            pk=campaign_id, organisation=organisation
        )
    except (Campaign.DoesNotExist, ValueError):
        raise Http404 from None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "review":
                services.review(campaign, request.POST.get("verdict", ""), actor=request.user)
            elif request.POST.get("action") == "link":
                case = Case.objects.filter(
                    organisation=organisation,
                    reference=request.POST.get("case", "").strip().upper(),
                ).first()
                if case is None:
                    messages.error(request, _("No case with that reference."))
                else:
                    services.link_case(campaign, case, actor=request.user)
            else:
                raise Http404
            return redirect("campaign_detail", org_slug, campaign.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
    return render(
        request,
        "campaigns/campaign.html",
        {
            "organisation": organisation,
            "campaign": campaign,
            "detail": campaign.detail or {},
            "reviews": Campaign.Review.choices,
        },
    )
