"""The ``/healthz`` answer: the database, the workers' heartbeats and outbound delivery."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

from amparo.core.logging import describe_exception, new_error_id

health_logger = logging.getLogger("amparo.health")


def _problem(what: str, exc: Exception) -> dict[str, str]:
    """Log a failed check with an error id; the answer names the id and the type only."""
    error_id = new_error_id()
    health_logger.warning("%s failed error_id=%s: %s", what, error_id, describe_exception(exc))
    return {"error": type(exc).__name__, "error_id": error_id}


def health_report() -> tuple[int, dict[str, Any]]:
    """The /healthz answer: 200 when the database answers and a worker reported recently.

    With the database down nothing is known about the workers (their heartbeats are in it), so
    the worker check says "unknown". ``details`` carries no content and no configuration beyond
    the database vendor: /healthz answers anyone who can reach the server.
    """
    from amparo.worker.services import failed_work, live_worker_ids

    checks = {"database": "ok", "worker": "unknown"}
    details: dict[str, Any] = {"database": {"vendor": connection.vendor}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        checks["database"] = "unreachable"
        details["database"].update(_problem("health check of the database", exc))
    else:
        try:
            live = live_worker_ids()
        except Exception as exc:
            details["worker"] = _problem("health check of the workers", exc)
        else:
            checks["worker"] = "ok" if live else "no recent heartbeat"
            details["worker"] = {
                "live": len(live),
                "lease_seconds": settings.AMPARO_WORKER_LEASE_SECONDS,
                **failed_work(),  # failed in 7 days; poison tasks that killed their worker
            }
    if checks["database"] == "ok":
        from amparo.outbound import services as outbound

        try:
            details["outbound"] = outbound.health_details()
        except Exception as exc:
            details["outbound"] = _problem("health check of outbound delivery", exc)
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "unhealthy", "checks": checks, "details": details}
    return (200 if healthy else 503), body


def health_response(request: HttpRequest) -> JsonResponse:
    status, body = health_report()
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    if request.method == "HEAD":
        response.content = b""
    # The probe's monitor reports a 503; Django need not log it on every probe as well.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
