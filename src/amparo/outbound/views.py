"""The organisation's outbound messages not delivered yet, with the last error and retry-now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amparo.accounts.access import actor_of
from amparo.outbound import access
from amparo.outbound import services as outbound


@login_required
def outbound_messages(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation, undelivered = access.undelivered_for(request.user, org_slug)
    if request.method == "POST":
        if request.POST.get("action") != "retry":
            raise Http404
        message = access.message_for(request.user, org_slug, request.POST.get("message"))
        try:
            outbound.retry_now(message, actor=actor_of(request))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The worker will try again within a minute."))
        return redirect("outbound_messages", org_slug)
    page = Paginator(undelivered, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/outbound.html",
        {
            "organisation": organisation,
            "page": page,
            "max_attempts": outbound.MAX_ATTEMPTS,
        },
    )
