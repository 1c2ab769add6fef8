"""Session lifetime and mandatory MFA for every staff account."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

STARTED = "amparo_started"
SEEN = "amparo_seen"
#: The token-authenticated API: sessions play no part in it, so they are neither read nor kept
#: alive by its requests.
API_PREFIX = "/api/"


class SessionLifetimeMiddleware:
    """Ends a session after 30 idle minutes or 8 hours in all (both configurable)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(STARTED)
            seen = request.session.get(SEEN)
            if started is None:
                request.session[STARTED] = now
                request.session[SEEN] = now
            elif (
                now - started > settings.SESSION_ABSOLUTE_SECONDS
                or now - (seen or started) > settings.SESSION_IDLE_SECONDS
            ):
                logout(request)
                messages.info(request, _("Your session ended. Please sign in again."))
                return HttpResponseRedirect(reverse("account_login"))
            elif now - (seen or 0) >= 30:
                request.session[SEEN] = now
        return self.get_response(request)


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("mfa_activate_totp"),
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("set_language"),
        reverse("healthz"),
        settings.STATIC_URL,
        "/accounts/2fa/",
        "/report/",
        API_PREFIX,
    )


class RequireMFAMiddleware:
    """A signed-in account without TOTP is sent to set it up before it can do anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._is_exempt(request.path) and request.user.is_authenticated:
            from allauth.mfa.models import Authenticator

            has_totp = Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
            if not has_totp:
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _is_exempt(self, path: str) -> bool:
        if self._exempt is None:
            self._exempt = _exempt_prefixes()
        return path.startswith(self._exempt)


class OrganisationScopeMiddleware:
    """Scopes the request's database connection to one organisation for PostgreSQL's row-level
    security (amparo.core.rls): nothing at first; in the view, the organisation of
    ``/o/<slug>/`` when the user is an active member of it, or of ``/report/<slug>/`` (the
    public form); the API sets its token's organisation. The bypass comes back at the end.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        from amparo.core import rls

        if connection.vendor != "postgresql":
            return self.get_response(request)
        rls.set_scope(rls.NOTHING)
        try:
            return self.get_response(request)
        finally:
            try:
                rls.set_scope(rls.BYPASS)
            except Exception:
                # The scope could not be restored: drop the connection rather than keep it.
                connection.close()

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict[str, Any]
    ) -> None:
        from django.db import connection

        from amparo.core import rls

        slug = view_kwargs.get("org_slug")
        if connection.vendor != "postgresql" or not slug:
            return None
        if request.path_info.startswith("/o/"):
            from amparo.accounts.access import memberships_for

            for membership in memberships_for(request.user):
                if membership.organisation.slug == slug:
                    rls.set_scope(membership.organisation_id)
                    break
        elif request.path_info.startswith("/report/"):
            from amparo.accounts.models import Organisation

            org_id = Organisation.objects.filter(slug=slug).values_list("pk", flat=True).first()
            if org_id is not None:
                rls.set_scope(org_id)
        return None
