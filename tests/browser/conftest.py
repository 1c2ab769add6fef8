"""Real browser tests: Playwright for Python driving Debian's chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# The session's chromium (the ``browser`` fixture) lives in tests/conftest.py, shared with
# tests/install.

# Playwright's sync API runs an event loop in this thread; the live server and the ORM calls
# made by the test itself are ordinary blocking code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=True)
    page = context.new_page()
    page.requests_seen = []  # type: ignore[attr-defined]
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests_seen.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page with JavaScript disabled, as in Tor Browser's "Safest" level."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.requests_seen = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests_seen.append(request.url))
    yield page
    context.close()


def sign_in(page: Any, live_server: Any, user: Any, secret: str) -> None:
    """Sign ``user`` in through the login form and the authenticator-code step."""
    from tests.conftest import PASSWORD, totp_now, wait_for_fresh_totp_window

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/2fa/authenticate/")
    wait_for_fresh_totp_window()
    page.get_by_role("textbox", name="Code").fill(totp_now(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
