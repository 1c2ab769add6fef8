"""A caseworker pages through the case list with the Next link and searches it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_page_through_the_case_list_by_next_and_search_by_reference(page, live_server):
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.cases.models import Case
    from amparo.cases.services import open_case
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp
    from tests.intake.conftest import valid_report

    org = accounts.create_organisation(name="Helpline", slug="helpline", actor=None)
    carlos = User.objects.create_user("carlos@helpline.example", PASSWORD, display_name="Carlos")
    accounts.add_member(org, carlos, "caseworker", actor=None)
    secret = give_totp(carlos)
    for i in range(60):
        form = ReportForm(valid_report(platform="tiktok" if i % 3 else "telegram"))
        assert form.is_valid()
        report = submit_report(
            org, form.report_fields(), channel="web_form", language="en", with_followup=False
        ).report
        open_case(org, reports=[report], title=f"Case number {i}", actor=carlos)

    sign_in(page, live_server, carlos, secret)

    def references() -> list[str]:
        return page.locator("tbody tr td a").all_inner_texts()

    page.goto("/o/helpline/cases/?view=all&size=25")
    seen = references()
    assert len(seen) == 25 and "Page 1 of 3" in page.content()
    for number in (2, 3):
        page.get_by_role("link", name="Next").click()
        assert "after=" in page.url and f"Page {number} of 3" in page.content()
        seen += references()
    assert page.get_by_role("link", name="Next").count() == 0
    assert len(seen) == 60 and len(set(seen)) == 60  # every case once, none twice
    assert set(seen) == set(Case.objects.values_list("reference", flat=True))

    # A tampered cursor shows the first page instead of an error.
    page.goto("/o/helpline/cases/?view=all&size=25&after=not-a-cursor")
    assert "Page 1 of 3" in page.content() and references() == seen[:25]

    # Search by a case reference finds that case alone; by platform name, its cases.
    page.goto("/o/helpline/cases/?view=all")
    page.get_by_label("Search reference, platform, country or tag").fill(seen[40].lower())
    page.get_by_role("button", name="Search").click()
    assert references() == [seen[40]]
    page.goto("/o/helpline/cases/?view=all&size=100")
    page.get_by_label("Search reference, platform, country or tag").fill("Telegram")
    page.get_by_role("button", name="Search").click()
    assert len(references()) == 20
