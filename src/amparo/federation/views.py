"""The protocol endpoint (partners' servers) and the federation page (coordinators)."""

from __future__ import annotations

import base64
import binascii
import logging

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability
from amparo.engines.federation import canonical
from amparo.engines.federation.envelope import MAX_MESSAGE_BYTES
from amparo.federation import inbound
from amparo.federation.access import partners_for
from amparo.federation.client import ENVELOPE_HEADER
from amparo.federation.keys import public_summary

logger = logging.getLogger("amparo.federation")


def _not_found() -> HttpResponse:
    return HttpResponseNotFound(b"Not Found", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def changes(request: HttpRequest) -> HttpResponse:
    """GET: a partner pulls (envelope in the ``Amparo-Envelope`` header, base64url); POST: a
    partner pushes (envelope as the body). Only a known partner's valid signature is answered;
    anything else is the plain 404 any unknown address gets."""
    if request.method == "GET":
        header = request.headers.get(ENVELOPE_HEADER, "")
        try:
            raw = base64.urlsafe_b64decode(header.encode("ascii") + b"==") if header else b""
        except (binascii.Error, ValueError, UnicodeEncodeError):
            return _not_found()
    else:
        if int(request.headers.get("Content-Length") or 0) > MAX_MESSAGE_BYTES:
            return _not_found()
        raw = request.body
    if not raw:
        return _not_found()
    try:
        answer = inbound.answer(raw, method=request.method or "")
    except inbound.Refused as exc:
        logger.info("federation request refused: %s", exc.reason)
        return _not_found()
    return HttpResponse(canonical.dumps(answer), content_type="application/json")


@require_GET
def page(request: HttpRequest, org_slug: str) -> HttpResponse:
    """This server's key (to give partners) and the state of the partners linked with the
    organisation's groups: last success, failures, the last error in words."""
    membership = membership_for(request.user, org_slug, Capability.COORDINATE)
    rows = partners_for(membership.organisation)
    return render(
        request,
        "federation/page.html",
        {"organisation": membership.organisation, "partners": rows, "key": public_summary()},
    )
