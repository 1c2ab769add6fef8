"""Access log and error ids.

* :class:`AccessLogMiddleware` goes right after the health probe
  (:class:`amparo.site.middleware.HealthzMiddleware`): one ``amparo.access`` line per request with
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


def assign_error_id(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None:
        setattr(request, ERROR_ID_ATTRIBUTE, new_error_id())


# Connected when the middleware module is imported, which Django does when it builds the
# handler: every process that serves requests has it.
got_request_exception.connect(assign_error_id, dispatch_uid="amparo.core.error_id")


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
