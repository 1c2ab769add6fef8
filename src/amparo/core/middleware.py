"""Health probe, access log and error ids.

* :class:`HealthzMiddleware` goes first: it answers ``GET``/``HEAD /healthz`` before
  SecurityMiddleware's HTTPS redirect and before any Host validation, so a plain loopback probe
  (``curl http://127.0.0.1:8000/healthz``) works behind the TLS proxy settings.
* :class:`AccessLogMiddleware` goes right after it: one ``amparo.access`` line per request with
  the method, the route *pattern* (never the path, which holds slugs, ids and codes), the
  status and the duration — no client address, user agent or query string.
* Every unhandled exception gets an error id (``got_request_exception``), kept on the request:
  the 500 page shows it and the ``django.request`` record carries it (amparo.core.logging).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse

from amparo.core.logging import ERROR_ID_ATTRIBUTE, method_of, new_error_id, route_of

access_logger = logging.getLogger("amparo.access")

HEALTHZ_PATH = "/healthz"


def assign_error_id(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None:
        setattr(request, ERROR_ID_ATTRIBUTE, new_error_id())


# Connected when the middleware module is imported, which Django does when it builds the
# handler: every process that serves requests has it.
got_request_exception.connect(assign_error_id, dispatch_uid="amparo.core.error_id")


class HealthzMiddleware:
    """Answers exactly ``GET``/``HEAD /healthz``; everything else passes through untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTHZ_PATH and request.method in ("GET", "HEAD"):
            from amparo.core.views import health_response

            return health_response(request)
        return self.get_response(request)


class AccessLogMiddleware:
    """``GET /o/<slug:org_slug>/cases/ 200 12ms`` (`` error_id=…`` on a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        error_id = getattr(request, ERROR_ID_ATTRIBUTE, None)
        access_logger.info(
            "%s %s %s %.0fms%s",
            method_of(request),
            route_of(request),
            response.status_code,
            elapsed_ms,
            f" error_id={error_id}" if error_id else "",
        )
        return response
