"""The queue of reports held as a possible flood (see ``intake.throttle``): caseworkers look at
them, then release them into the normal queue or discard them (crypto-shredded). Every report
released or discarded is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability
from amparo.intake import access, services

PAGE_SIZE = 100


@login_required
def held_queue(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = membership_for(request.user, org_slug, Capability.WRITE_CASES)
    held = access.reports_for(request.user, org_slug).filter(held=True).select_related("data_key")
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("release", "discard"):
            raise Http404
        if request.POST.get("scope") == "all":
            # Only what the caseworker saw: if more came in meanwhile, look again first.
            if request.POST.get("expected") != str(held.count()):
                messages.error(
                    request, _("More reports were held meanwhile. Look at them before acting.")
                )
                return redirect("intake_held", org_slug)
            chosen = list(held)
        else:
            try:
                chosen = list(held.filter(pk__in=request.POST.getlist("report")))
            except (ValidationError, ValueError):  # a malformed id
                raise Http404 from None
        if action == "release":
            done = services.release_held(chosen, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)d report was released into the queue.",
                    "%(count)d reports were released into the queue.",
                    done,
                )
                % {"count": done},
            )
        else:
            done = services.discard_held(chosen, actor=request.user)
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
