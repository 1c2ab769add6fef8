"""A caseworker works the report queue in chromium: searches the encrypted narratives, ticks the
reports found, closes them as spam in one go, and saves the view."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_tick_close_in_bulk_and_save_the_view(page, live_server):
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.intake.forms import ReportForm
    from amparo.intake.models import Report
    from amparo.intake.services import submit_report
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp
    from tests.intake.conftest import valid_report

    org = accounts.create_organisation(name="Helpline", slug="helpline", actor=None)
    carlos = User.objects.create_user("carlos@helpline.example", PASSWORD, display_name="Carlos")
    accounts.add_member(org, carlos, "caseworker", actor=None)
    secret = give_totp(carlos)
    texts = ["Cheap followers, click here"] * 3 + ["Death threats after my article on the mine"]
    for text in texts:
        form = ReportForm(valid_report(narrative=text))
        assert form.is_valid()
        submit_report(org, form.report_fields(), channel="web_form", language="en")

    sign_in(page, live_server, carlos, secret)
    page.goto("/o/helpline/reports/")
    page.get_by_label("Search", exact=True).fill("FOLLOWERS cheap")
    page.get_by_role("button", name="Search and filter").click()
    ticks = page.locator("input[name=report]")
    assert ticks.count() == 3
    for i in range(3):
        ticks.nth(i).check()
    page.get_by_label("Do", exact=True).select_option("close")
    page.get_by_label("Reason for closing").select_option("spam")
    page.get_by_role("button", name="Apply").click()
    assert "3 reports closed." in page.content()
    assert "q=FOLLOWERS" in page.url  # back on the same search
    assert page.locator("input[name=report]").count() == 0
    assert Report.objects.filter(status="closed", closed_reason="spam").count() == 3

    page.get_by_label("Save this view as").fill("Spam sweep")
    page.get_by_role("button", name="Save view").click()
    page.goto("/o/helpline/reports/")
    page.get_by_role("link", name="Spam sweep").click()
    assert "q=FOLLOWERS" in page.url
    assert page.get_by_label("Search", exact=True).input_value() == "FOLLOWERS cheap"
