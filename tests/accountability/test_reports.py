"""Transparency reports: composed, previewed, published once, safe against the differencing
attacker across reports, and readable at a public address only when chosen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from amparo.engines.figures.attacker import recovered
from tests.accountability.conftest import make_incidents, many

pytestmark = pytest.mark.django_db


def _months_ago(n: int) -> date:
    first = timezone.localdate().replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


@pytest.fixture
def world(people, coordinator):
    """Three months ago: Facebook 10, X 10. Two months ago: Facebook 2, X 1, YouTube 3."""
    people.first = _months_ago(3)
    people.second = _months_ago(2)
    people.end = _months_ago(1) - timedelta(days=1)
    make_incidents(
        people.org,
        many(people.first, 10, platform="facebook")
        + many(people.first, 10, platform="x", gender="woman")
        + many(people.second, 2, platform="facebook")
        + many(people.second, 1, platform="x")
        + many(people.second, 3, platform="youtube", gender="woman"),
    )
    return people


def form(start, end, *kinds, threshold=10, method="suppression", public=False, title="Report"):
    data = {
        "title": title,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "kinds": list(kinds),
        "method": method,
        "threshold": threshold,
        "epsilon": "1.0",
    }
    if public:
        data["public"] = "on"
    return data


def published_tables():
    from amparo.accountability.models import PublishedReport
    from amparo.accountability.reports import tables_of

    return [
        t for r in PublishedReport.objects.order_by("published_at") for t in tables_of(r.tables)
    ]


def test_the_preview_shows_what_will_be_published_and_publishes_nothing(world, signed_in):
    from amparo.accountability.models import PublishedReport

    client = signed_in(world.cora)
    page = client.get(
        "/o/defenders/accountability/reports/compose/",
        form(world.first, world.end, "by_platform"),
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Preview: exactly what will be published" in html
    assert "2 cells suppressed." in html and "[suppressed]" in html
    assert "YouTube" in html and ">26<" in html  # the total is published
    assert PublishedReport.objects.count() == 0


def test_a_coordinator_publishes_and_the_attacker_recovers_no_cell(world, signed_in):
    from amparo.accountability.models import PublishedReport
    from amparo.audit.models import AuditEvent

    client = signed_in(world.cora)
    got = client.post(
        "/o/defenders/accountability/reports/publish/",
        form(world.first, world.end, "by_platform", "by_gender", "by_platform_type"),
    )
    report = PublishedReport.objects.get()
    assert got.status_code == 302 and str(report.pk) in got["Location"]
    tables = published_tables()
    suppressed = sum(len(t.suppressed) for t in tables)
    assert suppressed >= 2
    assert recovered(tables) == []
    event = AuditEvent.objects.get(action="accountability.report_published")
    assert event.new["sha256"] == report.sha256 and event.new["suppressed"] == suppressed
    detail = client.get(got["Location"]).content.decode()
    assert "[suppressed]" in detail and report.sha256 in detail
    pdf = client.get(got["Location"] + "download/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv = client.get(got["Location"] + "download/", {"format": "csv"}).content.decode()
    assert "by_platform,platform,youtube,,,,suppressed" in csv


def test_a_second_report_for_an_overlapping_period_gives_nothing_away(world, signed_in):
    """The first report (three months ago alone) publishes Facebook 10 and X 10; the second
    (both months) must then hide more than its own table needs: with X at least 10 known, X and
    YouTube alone would leave YouTube between 1 and 4, but here the attacker holds both."""
    client = signed_in(world.cora)
    first_end = world.second - timedelta(days=1)
    client.post(
        "/o/defenders/accountability/reports/publish/",
        form(world.first, first_end, "by_platform", title="First"),
    )
    client.post(
        "/o/defenders/accountability/reports/publish/",
        form(world.first, world.end, "by_platform", "by_gender", title="Second"),
    )
    tables = published_tables()
    assert len(tables) == 3 and any(t.suppressed for t in tables)
    assert recovered(tables) == []


def test_a_report_published_cannot_be_changed_or_deleted(world, people):
    from amparo.accountability import reports, services
    from amparo.accountability.models import ImmutableError

    spec = reports.Spec("R", world.first, world.end, ["by_platform"])
    report = services.publish(world.org, spec, actor=world.cora)
    report.title = "Changed"
    with pytest.raises(ImmutableError):
        report.save()
    with pytest.raises(ImmutableError):
        report.delete()


def test_differential_privacy_states_its_budget(world, signed_in):
    from amparo.accountability.models import PublishedReport

    client = signed_in(world.cora)
    client.post(
        "/o/defenders/accountability/reports/publish/",
        form(world.first, world.end, "by_platform", "by_type", method="dp"),
    )
    report = PublishedReport.objects.get()
    assert report.epsilon == 1.0
    assert "epsilon = 1.0" in report.html and "OpenDP" in report.html
    assert "scale of 2.00" not in report.html and "scale 2.00" in report.html  # 2 tables / 1.0


def test_the_public_address_serves_only_reports_marked_public(world, signed_in, client):
    from amparo.accountability import reports, services

    hidden = services.publish(
        world.org, reports.Spec("Internal", world.first, world.end, ["by_type"]), actor=world.cora
    )
    shown = services.publish(
        world.org,
        reports.Spec("Public", world.first, world.end, ["by_type"], public=True),
        actor=world.cora,
    )
    client.logout()
    assert client.get(f"/transparency/defenders/{hidden.pk}/").status_code == 404
    assert client.get(f"/transparency/other/{shown.pk}/").status_code == 404
    page = client.get(f"/transparency/defenders/{shown.pk}/")
    assert page.status_code == 200 and b"<h1>Public</h1>" in page.content
    assert (
        client.get(f"/transparency/defenders/{shown.pk}/", {"format": "pdf"}).content[:4] == b"%PDF"
    )


def test_only_coordinators_compose_and_publish(world, signed_in):
    from amparo.accountability.models import PublishedReport

    data = form(world.first, world.end, "by_platform")
    for person in (world.carlos, world.vera, world.otto):
        client = signed_in(person)
        assert client.get("/o/defenders/accountability/reports/compose/", data).status_code == 404
        assert client.post("/o/defenders/accountability/reports/publish/", data).status_code == 404
    assert PublishedReport.objects.count() == 0
    listing = signed_in(world.vera).get("/o/defenders/accountability/reports/").content.decode()
    assert "Compose a report" not in listing
    listing = signed_in(world.cora).get("/o/defenders/accountability/reports/").content.decode()
    assert "Compose a report" in listing


def test_bad_input_is_refused_with_a_reason(world, signed_in):
    from amparo.accountability.models import PublishedReport

    client = signed_in(world.cora)
    bad = client.post(
        "/o/defenders/accountability/reports/publish/",
        form(world.end, world.first, "by_platform", threshold=1),
    )
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "The period ends before it starts." in html
    assert "Ensure this value is greater than or equal to 2." in html
    assert PublishedReport.objects.count() == 0
