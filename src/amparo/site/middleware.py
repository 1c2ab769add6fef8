"""The health probe.

:class:`HealthzMiddleware` goes first: it answers ``GET``/``HEAD /healthz`` before
SecurityMiddleware's HTTPS redirect and before any Host validation, so a plain loopback probe
(``curl http://127.0.0.1:8000/healthz``) works behind the TLS proxy settings.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEALTHZ_PATH = "/healthz"


class HealthzMiddleware:
    """Answers exactly ``GET``/``HEAD /healthz``; everything else passes through untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTHZ_PATH and request.method in ("GET", "HEAD"):
            from amparo.site.health import health_response

            return health_response(request)
        return self.get_response(request)
