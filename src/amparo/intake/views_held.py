"""The queue of reports held as a possible flood (see ``intake.throttle``): caseworkers look at
them, then release them into the normal queue or discard them (crypto-shredded). Every report
released or discarded is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability
from amparo.intake import access
from amparo.intake import held as held_reports
from amparo.intake.forms_staff import HeldReportsForm
from amparo.intake.models import Report

PAGE_SIZE = 100


@login_required
@require_safe
def held_queue(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = membership_for(request.user, org_slug, Capability.WRITE_CASES)
    held = _held(request, org_slug)
    page = Paginator(held.order_by("received_at", "reference"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "intake/held.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "page": page,
            "total": page.paginator.count,
        },
    )


def _held(request: HttpRequest, org_slug: str) -> QuerySet[Report]:
    return access.reports_for(request.user, org_slug).filter(held=True).select_related("data_key")


def _chosen(request: HttpRequest, org_slug: str) -> list[Report] | None:
    """The held reports a release or a discard applies to, for those who work on reports
    (others get 404); None, with the reason said, when nothing should be done."""
    membership_for(request.user, org_slug, Capability.WRITE_CASES)
    held = _held(request, org_slug)
    form = HeldReportsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return None
    if form.cleaned_data["scope"] == "all":
        # Only what the caseworker saw: if more came in meanwhile, look again first.
        if form.cleaned_data["expected"] != held.count():
            messages.error(
                request, _("More reports were held meanwhile. Look at them before acting.")
            )
            return None
        return list(held)
    return list(held.filter(pk__in=form.cleaned_data["report"]))


@login_required
@require_POST
def held_release(request: HttpRequest, org_slug: str) -> HttpResponse:
    chosen = _chosen(request, org_slug)
    if chosen is not None:
        done = held_reports.release_held(chosen, actor=actor_of(request))
        messages.success(
            request,
            ngettext(
                "%(count)d report was released into the queue.",
                "%(count)d reports were released into the queue.",
                done,
            )
            % {"count": done},
        )
    return redirect("intake_held", org_slug)


@login_required
@require_POST
def held_discard(request: HttpRequest, org_slug: str) -> HttpResponse:
    chosen = _chosen(request, org_slug)
    if chosen is not None:
        done = held_reports.discard_held(chosen, actor=actor_of(request))
        messages.success(
            request,
            ngettext(
                "%(count)d report was discarded. Its encryption key was destroyed.",
                "%(count)d reports were discarded. Their encryption keys were destroyed.",
                done,
            )
            % {"count": done},
        )
    return redirect("intake_held", org_slug)
