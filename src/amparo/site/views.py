from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amparo.accounts.access import current_membership
from amparo.site.health import health_response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Normally answered by amparo.site.middleware.HealthzMiddleware before any other
    middleware; this view answers if that middleware is not installed."""
    return health_response(request)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"membership": current_membership(request)})
