"""Error pages and error reports never show secrets or what people typed, in any mode.

Django's own filter hides settings named like API keys and passwords, and only outside debug
mode; it does not match AMPARO_KEK. Amparo's filter is active in debug mode too."""

from __future__ import annotations

import sys
import uuid

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.views.debug import ExceptionReporter, technical_500_response

# Made at run time, so the source lines an error page quotes cannot contain them.
KEK_VALUE, SECRET_VALUE, PASSWORD_VALUE, NARRATIVE_VALUE, TOKEN_VALUE, PATH, DBPASS, SESSION = (
    uuid.uuid4().hex for _ in range(8)
)


def _crash(kek: str, password: str) -> None:
    token = TOKEN_VALUE
    raise RuntimeError(f"something failed near {len(token)}")


@pytest.mark.parametrize("debug", [True, False])
def test_the_crash_page_hides_keys_secrets_and_posted_values(debug: bool) -> None:
    request = RequestFactory().post(
        "/accounts/login/",
        {"login": "someone@example.org", "password": PASSWORD_VALUE, "narrative": NARRATIVE_VALUE},
        HTTP_COOKIE=f"amparo_session={SESSION}",
    )
    with override_settings(
        DEBUG=debug,
        AMPARO_KEK=KEK_VALUE,
        SECRET_KEY=SECRET_VALUE,
        AMPARO_KEK_FILE=f"/mnt/keys/{PATH}",
        AMPARO_SMTP_PASSWORD=PASSWORD_VALUE,
        DATABASE_URL=f"postgres://amparo:{DBPASS}@db/amparo",
    ):
        try:
            _crash(KEK_VALUE, PASSWORD_VALUE)
        except RuntimeError:
            exc_info = sys.exc_info()
            html = technical_500_response(request, *exc_info).content.decode()
            reporter = ExceptionReporter(request, *exc_info)
            text = reporter.get_traceback_text()
    for rendered in (html, text):
        for canary in (
            KEK_VALUE,
            SECRET_VALUE,
            PASSWORD_VALUE,
            NARRATIVE_VALUE,
            PATH,
            DBPASS,
            SESSION,
            TOKEN_VALUE,
        ):
            assert canary not in rendered
    # The page still says where it failed and which settings exist.
    assert "_crash" in html and "AMPARO_KEK" in html


def test_the_filter_is_the_configured_one() -> None:
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER == "amparo.core.reporting.SecretsHiddenFilter"
