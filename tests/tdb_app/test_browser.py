"""A researcher uses the Transparency Database pages in a real browser: navigation, filters,
a chart titled with them, the community lens, a download and bulk matching."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


def test_a_researcher_asks_the_database_in_the_browser(page, live_server, configured, tmp_path):
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp

    org = accounts.create_organisation(name="Helpline", slug="helpline", actor=None)
    rita = User.objects.create_user("rita@helpline.example", PASSWORD, display_name="Rita")
    accounts.add_member(org, rita, "researcher", actor=None)
    secret = give_totp(rita)
    sign_in(page, live_server, rita, secret)

    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Cases").count() == 0
    nav.get_by_role("link", name="Transparency Database").click()
    page.wait_for_url("**/o/helpline/tdb/")
    assert page.get_by_role("heading", name="DSA Transparency Database").is_visible()

    # Filters and a split: the chart is titled with them, its figures are in a table.
    page.get_by_label("Platform", exact=True).select_option(["TikTok", "X"])
    page.get_by_label("One line per").select_option("platform")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**platform=TikTok**")
    title = page.locator("figure.tdb-chart svg title").first.text_content() or ""
    assert "Statements per day, one line per platform" in title
    assert "Platform: TikTok, X" in title
    platforms = set(page.locator(".tdb-table tbody tr td:nth-child(2)").all_inner_texts())
    assert platforms == {"TikTok", "X"}

    # The whole table as CSV.
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").first.click()
    saved = tmp_path / "series.csv"
    info.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0].startswith('"day","platform","statements"') and len(lines) > 2

    # A community lens question, narrowed by words in the statements.
    page.get_by_role("link", name="Community lens").click()
    page.get_by_label("Question").select_option("terms-of-service")
    page.get_by_label("Words in the statements").fill("hate OR Wahlen")
    page.get_by_role("button", name="Show").click()
    title = page.locator("figure.tdb-chart svg title").first.text_content() or ""
    assert "terms of service" in title and "Text: hate OR wahlen" in title

    # A list of posts to match.
    page.get_by_role("link", name="Match a list").click()
    page.get_by_label("File of post addresses or content ids (text or CSV)").set_input_files(
        files=[
            {
                "name": "posts.txt",
                "mimeType": "text/plain",
                "buffer": b"https://x.com/someone/status/1717181920212223242\n"
                b"https://www.tiktok.com/@a/video/1\n",
            }
        ]
    )
    page.get_by_role("button", name="Match").click()
    assert page.get_by_role("heading", name="1 of 2 lines have statements").is_visible()
    assert page.console_errors == []  # nothing refused by the Content-Security-Policy
