from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


def page_path(request: HttpRequest) -> str:
    """The address of the page being shown, for the language switcher to return to.

    A page shown again after a form was refused sits at the address its form posted to (an
    action such as ``cases/<id>/status/``, which answers only POST); the page the person
    came from is the one the browser names as referrer (same origin: the referrer policy
    sends nothing elsewhere)."""
    if request.method == "GET":
        return request.get_full_path()
    referrer = request.META.get("HTTP_REFERER", "")
    if referrer and url_has_allowed_host_and_scheme(
        referrer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referrer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: languages, direction, current organisation."""
    from amparo.accounts.access import current_membership, memberships_for

    context: dict[str, Any] = {
        "LANGUAGE_BIDI": translation.get_language_bidi(),
        "AMPARO_LANGUAGES": settings.LANGUAGES,
        # Staff pages offer the languages every page is translated into; the reporter's pages
        # (intake/public_base.html) offer all of LANGUAGES.
        "AMPARO_STAFF_LANGUAGES": [
            (code, name) for code, name in settings.LANGUAGES if code in settings.STAFF_LANGUAGES
        ],
    }
    context["page_path"] = page_path(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["memberships"] = memberships_for(user)
        context["current_membership"] = membership = current_membership(request)
        from amparo.accounts.roles import Capability, can

        if membership is not None and can(membership.role, Capability.WRITE_CASES):
            from amparo.intake.notices import unread

            context["show_alarms"] = True
            context["unread_notifications"] = unread(user, membership.organisation)
    return context
