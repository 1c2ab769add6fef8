"""A coordinator opens the scorecard of one platform, sees all ten actions (measured ones with
figures, assessed ones with their recorded source), records an assessment of action 2 with a
link, publishes the scorecard, and finds a compliance figure on the takedown register."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_assesses_and_publishes_a_platforms_scorecard(page, live_server):
    from django.utils import timezone

    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.scorecards.models import Publication
    from amparo.scorecards.services import record_assessment
    from amparo.takedowns import services as takedowns
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp
    from tests.scorecards import helpers as h

    org = accounts.create_organisation(name="Helpline", slug="helpline", actor=None)
    cora = User.objects.create_user("cora@helpline.example", PASSWORD, display_name="Cora")
    accounts.add_member(org, cora, "coordinator", actor=None)
    secret = give_totp(cora)
    now = timezone.now()
    case = h.case(org, opened=now - timedelta(days=20))
    for i in range(11):
        h.escalation(case, cora, sent=now - timedelta(days=10), answered_after_hours=5 + i)
    h.escalation(case, cora, sent=now - timedelta(days=9))  # no answer after 72 hours
    today = timezone.localdate()
    record_assessment(
        org,
        platform="facebook",
        action=1,
        finding="met",
        summary="A corporate human rights policy commits to protect human rights defenders.",
        source_title="Corporate Human Rights Policy",
        source_url="https://about.fb.com/wp-content/uploads/2021/04/Facebooks-Corporate-Human-Rights-Policy.pdf",
        source_date=today - timedelta(days=900),
        actor=cora,
    )
    for i in range(10):
        takedowns.record_demand(
            org,
            data={
                "platform": "facebook",
                "authority_country": "VN",
                "authority": "Ministry of Information and Communications",
                "demanded_on": today - timedelta(days=30 + i),
                "scope": "geo_blocked",
                "source": "transparency_report",
                "response": "complied_fully" if i < 9 else "refused",
                "targets": [{"kind": "account", "value": f"@blogger{i}"}],
            },
            actor=cora,
        )

    sign_in(page, live_server, cora, secret)
    page.get_by_role("link", name="Scorecard").first.click()
    page.get_by_label("Platform", exact=True).first.select_option("facebook")
    page.get_by_role("button", name="Show").click()
    for n in range(1, 11):
        expect(page.locator(f"#action-{n}")).to_be_visible()
    channels = page.locator("#action-8")
    assert "Responsiveness of each reporting channel" in channels.inner_text()
    assert "100 %" not in channels.inner_text() and "92 %" in channels.inner_text()  # 11 of 12
    first = page.locator("#action-1").inner_text()
    assert "Meets the action" in first and "Corporate Human Rights Policy" in first
    assert "Not yet assessed." in page.locator("#action-2").inner_text()

    form = page.locator("form[action$='/assessments/']")
    form.get_by_label("Action").select_option("2")
    form.get_by_label("Finding").select_option("partly")
    form.get_by_label("What the source shows").fill(
        "The human rights report names risks to defenders but has no gender analysis."
    )
    form.get_by_label("Source (title)").fill("Meta Human Rights Report 2023")
    form.get_by_label("Link to the source").fill("https://humanrights.fb.com/annual-report-2023/")
    form.get_by_label("Date of the source").fill((today - timedelta(days=200)).isoformat())
    form.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_text("Assessment recorded.")).to_be_visible()
    second = page.locator("#action-2")
    assert "Partly meets the action" in second.inner_text()
    link = second.get_by_role("link", name="Meta Human Rights Report 2023")
    assert link.get_attribute("href") == "https://humanrights.fb.com/annual-report-2023/"

    page.get_by_role("button", name="Publish the scorecard").click()
    expect(page.get_by_text("Scorecard published.")).to_be_visible()
    publication = Publication.objects.get()
    assert "Meta Human Rights Report 2023" in publication.html
    with page.expect_download() as download:
        page.get_by_role("link", name="scorecard.pdf").click()
    assert download.value.suggested_filename.endswith("scorecard.pdf")

    page.goto("/o/helpline/takedowns/")
    figure = page.locator(".compliance-figure").inner_text()
    assert "90 %" in figure and "n = 10" in figure
    assert not page.console_errors
