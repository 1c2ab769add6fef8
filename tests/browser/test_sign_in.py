"""A person signs in with password and TOTP in a real browser; the page is locked down."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, give_totp, totp_now, wait_for_fresh_totp_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_mfa_under_a_strict_csp(page, live_server, tmp_path):
    from amparo.accounts import services
    from amparo.accounts.models import User

    org = services.create_organisation(name="Browser Helpline", slug="browser", actor=None)
    alice = User.objects.create_user("alice@browser.example", PASSWORD, display_name="Alice")
    services.add_member(org, alice, "admin", actor=None)
    secret = give_totp(alice)

    response = page.goto("/accounts/login/")
    csp = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp

    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    wait_for_fresh_totp_window()
    page.get_by_role("textbox", name="Code").fill(totp_now(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    assert "Browser Helpline" in page.content()
    page.screenshot(path=str(tmp_path / "signed-in.png"))

    page.goto("/o/browser/members/")
    expect(page.get_by_role("heading", name="Members of Browser Helpline")).to_be_visible()

    assert page.requests_seen, "requests were recorded"
    foreign = [
        url
        for url in page.requests_seen
        if not url.startswith(live_server.url) and not url.startswith("data:")
    ]
    assert foreign == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
