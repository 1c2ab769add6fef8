"""The figures dashboard: who sees it, what it counts, its filters, risk periods and downloads."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accountability.conftest import make_escalation, make_incidents, many

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, coordinator):
    from amparo.intake.models import RiskPeriod

    today = timezone.localdate()
    people.day = today - timedelta(days=20)
    people.before = today - timedelta(days=40)
    rows = (
        many(people.day, 3, platform="facebook", gender="mujer", identities=["journalist"])
        + many(people.day, 2, platform="x", gender="non-binary", language="ar")
        + many(people.before, 1, platform="facebook", gender="")
        + many(people.day, 1, platform="facebook", consent_statistics="no")
    )
    make_incidents(people.org, rows)
    people.answered = make_escalation(
        people.org,
        people.carlos,
        platform="facebook",
        sent_on=people.day,
        answered_on=people.day + timedelta(days=2),
        outcome="reversed",
        restored_on=people.day + timedelta(days=3),
    )
    people.pending = make_escalation(
        people.org, people.carlos, platform="facebook", sent_on=people.day
    )
    people.period = RiskPeriod.objects.create(
        organisation=people.org,
        country="MX",
        kind="election",
        starts_on=people.day - timedelta(days=5),
        ends_on=people.day + timedelta(days=5),
    )
    return people


def test_a_viewer_sees_counts_of_consenting_reports_by_every_dimension(world, signed_in):
    page = signed_in(world.vera).get("/o/defenders/accountability/")
    assert page.status_code == 200
    html = page.content.decode()
    # 3 + 2 + 1 counted, plus the 2 reports behind the escalations; the one without consent not.
    assert "8 incidents counted" in html
    assert "Incidents by gender" in html and "Non-binary or gender-diverse" in html
    assert "Woman" in html and "Journalist or media worker" in html
    assert "Facebook" in html and "<code>" not in html
    assert 'role="img"' in html and "<desc" in html
    # Responsiveness: one answered within 72 hours and reversed, one pending counted apart.
    row = re.search(r"<tr><th scope=\"row\">Facebook — [^<]*</th>(.*?)</tr>", html).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells[:2] == ["2", "1"]  # sent, pending
    assert cells[2] == "48.0"  # median hours to first response
    assert cells[3] == "50%"  # one of two within 72 hours
    assert cells[5] == "100%"  # reversed, of those with an outcome
    assert cells[6] == "1" and cells[7] == "3.0"  # restored, three days after sending


def test_filters_narrow_the_counts(world, signed_in):
    client = signed_in(world.vera)
    html = client.get("/o/defenders/accountability/", {"platform": "x"}).content.decode()
    assert "2 incidents counted" in html
    day = world.day.isoformat()
    html = client.get("/o/defenders/accountability/", {"start": day, "end": day}).content.decode()
    assert "7 incidents counted" in html
    bad = client.get("/o/defenders/accountability/", {"start": day, "end": "2000-01-01"})
    assert "The end of the range is before its start." in bad.content.decode()


def test_a_risk_period_is_compared_with_its_baseline_and_shaded(world, signed_in):
    client = signed_in(world.vera)
    html = client.get("/o/defenders/accountability/", {"period": world.period.pk}).content.decode()
    assert "During a heightened-risk period against the baseline" in html
    assert "Election Mexico" in html
    assert 'fill="#f3d9a4"' in html  # the period shaded on the chart over time


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("svg", "image/svg+xml", b"<svg"),
        ("png", "image/png", b"\x89PNG"),
        ("csv", "text/csv", b"Type,"),
    ],
)
def test_each_chart_downloads(world, signed_in, fmt, content_type, magic):
    got = signed_in(world.vera).get(
        "/o/defenders/accountability/chart/", {"figure": "by_type", "format": fmt}
    )
    assert got.status_code == 200
    assert got["Content-Type"].startswith(content_type)
    assert "attachment" in got["Content-Disposition"]
    assert got.content.startswith(magic)


def test_the_csv_of_a_chart_holds_its_figures(world, signed_in):
    got = signed_in(world.vera).get(
        "/o/defenders/accountability/chart/",
        {"figure": "by_platform", "format": "csv", "platform": "facebook"},
    )
    assert got.content.decode().splitlines() == ["Platform,Incidents", "Facebook,6.0"]


def test_no_inline_style_or_script_under_the_strict_policy(world, signed_in):
    html = signed_in(world.vera).get("/o/defenders/accountability/").content.decode()
    assert " style=" not in html and "<style" not in html and "<script" not in html


def test_in_arabic_the_page_and_its_charts_run_right_to_left(world, signed_in):
    client = signed_in(world.vera)
    client.cookies["django_language"] = "ar"
    html = client.get("/o/defenders/accountability/").content.decode()
    assert 'dir="rtl"' in html and 'direction="rtl"' in html
    assert "الأرقام" in html  # "Figures"


@pytest.mark.parametrize("who", ["otto", "rita", "ines"])
def test_outsiders_researchers_and_intermediaries_get_404(world, signed_in, who):
    from amparo.accounts import services
    from amparo.accounts.models import User

    if who == "rita":
        world.rita = User.objects.create_user("rita@defenders.example", "x" * 20)
        services.add_member(world.org, world.rita, "researcher", actor=None)
    client = signed_in(getattr(world, who))
    assert client.get("/o/defenders/accountability/").status_code == 404
    assert (
        client.get(
            "/o/defenders/accountability/chart/", {"figure": "by_type", "format": "csv"}
        ).status_code
        == 404
    )


def test_the_menu_offers_the_figures_to_staff_only(world, signed_in):
    assert "Figures and reports" in signed_in(world.vera).get("/").content.decode()
    assert "Figures and reports" not in signed_in(world.ines).get("/").content.decode()
