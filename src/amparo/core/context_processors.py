from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: languages, direction, current organisation."""
    from amparo.accounts.access import current_membership, memberships_for

    context: dict[str, Any] = {
        "LANGUAGE_BIDI": translation.get_language_bidi(),
        "AMPARO_LANGUAGES": settings.LANGUAGES,
    }
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
