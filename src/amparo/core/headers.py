"""Response headers that no view should have to remember.

* ``Permissions-Policy`` on every response: no page of Amparo uses the camera, microphone,
  location or any other powerful browser feature, so none may be used — not by an injected
  script, not by a page that frames another (framing is refused anyway).
* ``Cache-Control: no-store`` (with ``private`` and an ``Expires`` in the past) on every
  response except static files: staff pages show decrypted reports, evidence downloads are
  decrypted files, and the reporter's pages show codes, answers and file names. None of them
  may stay in a browser's disk cache or in a shared proxy. Static files (``STATIC_URL``) keep
  their long-lived caching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

#: Every feature a page could ask for, denied to every origin (``()``).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Adds ``Permissions-Policy`` everywhere and ``no-store`` to everything but static files."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not request.path_info.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        return response
