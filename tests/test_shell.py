"""The web shell: language and direction, security headers, static files from our own origin."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "direction"),
    [("ar", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("es", "ltr"), ("en", "ltr")],
)
def test_pages_follow_the_language_and_its_direction(client, db, language, direction):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page


def test_the_language_switcher_works_without_javascript(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page and '<select id="lang-switch" name="language">' in page
    assert "<script" not in page.split("</header>")[0]


def test_every_page_sends_the_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_static_assets_come_from_the_app_itself(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/static/amparo/css/app.css' in page
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
    assert client.get("/static/amparo/css/app.css").status_code == 200


def test_unknown_pages_get_our_404(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"There is nothing here" in response.content
