"""A coordinator works in Arabic: opens the figures, filters to one platform and an election
period, downloads a chart, composes and publishes a transparency report in which two cells are
suppressed, and the differencing attacker, holding this and the earlier report of an
overlapping period, recovers neither."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_dashboard_filter_download_compose_and_publish(page, live_server):
    from django.utils import timezone

    from amparo.accountability import reports, services
    from amparo.accountability.models import PublishedReport
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.engines.figures.attacker import recovered
    from amparo.intake.models import RiskPeriod
    from tests.accountability.conftest import make_incidents, many
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp

    org = accounts.create_organisation(name="Helpline", slug="helpline", actor=None)
    cora = User.objects.create_user("cora@helpline.example", PASSWORD, display_name="Cora")
    accounts.add_member(org, cora, "coordinator", actor=None)
    secret = give_totp(cora)
    end = timezone.localdate().replace(day=1) - timedelta(days=1)  # last day of last month
    second = end.replace(day=1)  # the election month
    first = (second - timedelta(days=1)).replace(day=1)
    make_incidents(
        org,
        many(first, 10, platform="facebook")
        + many(first, 10, platform="x")
        + many(second, 2, platform="facebook")
        + many(second, 1, platform="x")
        + many(second, 3, platform="youtube"),
    )
    election = RiskPeriod.objects.create(
        organisation=org, country="MX", kind="election", starts_on=second, ends_on=end
    )
    earlier = services.publish(
        org,
        reports.Spec("First month", first, second - timedelta(days=1), ["by_platform"]),
        actor=cora,
    )

    sign_in(page, live_server, cora, secret)
    page.select_option("#lang-switch", "ar")
    page.locator("form.lang button").click()
    page.goto("/o/helpline/accountability/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "الأرقام"

    page.select_option("#id_platform", "facebook")
    page.select_option("#id_period", str(election.pk))
    page.locator("form.acc-filters button").click()
    assert "platform=facebook" in page.url and f"period={election.pk}" in page.url
    expect(page.locator("#cmp-h")).to_be_visible()  # during the election against the baseline

    with page.expect_download() as info:
        page.locator('a[href*="figure=by_platform"][href*="format=csv"]').click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as f:
        assert f.read().splitlines()[1:] == ["Facebook,2.0"]  # election month, Facebook only

    page.goto("/o/helpline/accountability/reports/compose/")
    page.fill("#id_title", "تقرير الشفافية")
    page.fill("#id_start", first.isoformat())
    page.fill("#id_end", end.isoformat())
    page.check('input[name="kinds"][value="by_platform"]')
    page.locator('form[method="get"] button[type="submit"]').click()
    expect(page.locator(".acc-preview")).to_be_visible()
    page.locator('form[action$="/publish/"] button').click()
    page.wait_for_url("**/accountability/reports/*-*/")

    report = PublishedReport.objects.exclude(pk=earlier.pk).get()
    tables = reports.tables_of(earlier.tables) + reports.tables_of(report.tables)
    new = reports.tables_of(report.tables)
    assert sum(len(t.suppressed) for t in new) == 2
    assert recovered(tables) == []
    assert page.locator("article.acc-published table").count() == 1
