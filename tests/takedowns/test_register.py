"""The takedown register through its pages: recording a demand (targets encrypted at rest), the
platform's response, links to a case and to a heightened-risk period, the compliance figures
exact and as published, and who may do what."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.db import connection

from amparo.audit.models import AuditEvent
from amparo.intake.models import RiskPeriod
from amparo.takedowns import figures
from amparo.takedowns.models import Demand
from tests.scorecards import helpers as h

pytestmark = pytest.mark.django_db

URL = "/o/defenders/takedowns/"
NOW = "2023-06-30T12:00:00+00:00"

TURKEY = {
    "platform": "x",
    "authority_country": "tr",
    "authority": "Information and Communication Technologies Authority (BTK)",
    "legal_basis": "Law No. 5651, Art 8/A",
    "demanded_on": "2023-05-12",
    "scope": "geo_blocked",
    "source": "transparency_report",
    "targets": "https://x.com/gazeteci_ayse/status/1657\n@gazeteci_ayse",
    "source_reference": "https://lumendatabase.org/notices/31415926",
    "response": "geo_blocked",
    "responded_on": "2023-05-13",
}


def demand(org, actor, **kw):
    from amparo.takedowns import services
    from amparo.takedowns.forms import DemandForm

    form = DemandForm({**TURKEY, **kw})
    assert form.is_valid(), form.errors
    return services.record_demand(org, data=form.cleaned_data, actor=actor)


@time_machine.travel(NOW, tick=False)
def test_a_caseworker_records_a_demand_linked_to_the_election_period_and_a_case(people, signed_in):
    election = RiskPeriod.objects.create(
        organisation=None,
        country="TR",
        kind="election",
        starts_on=date(2023, 4, 14),
        ends_on=date(2023, 5, 28),
    )
    the_case = h.case(people.org, platform="x", country="TR")
    client = signed_in(people.carlos)
    response = client.post(URL + "new/", {**TURKEY, "case_reference": the_case.reference.lower()})
    d = Demand.objects.get()
    assert response["Location"] == f"{URL}{d.pk}/"
    assert (d.authority_country, d.country, d.target_count) == ("TR", "TR", 2)
    assert d.risk_period == election and d.case == the_case
    assert d.targets == [
        {"kind": "url", "value": "https://x.com/gazeteci_ayse/status/1657"},
        {"kind": "account", "value": "@gazeteci_ayse"},
    ]
    # Targets identify people: encrypted at rest, and never in the audit trail.
    with connection.cursor() as cursor:
        cursor.execute("SELECT targets, source_reference FROM takedowns_demand")
        targets, reference = cursor.fetchone()
    assert b"gazeteci_ayse" not in bytes(targets) and b"31415926" not in bytes(reference)
    event = AuditEvent.objects.get(action="takedown.recorded")
    assert "gazeteci" not in str(event.new) and event.new["targets"] == 2
    page = client.get(response["Location"]).content.decode()
    assert "@gazeteci_ayse" in page and "Election" in page and the_case.reference in page


@time_machine.travel(NOW, tick=False)
def test_bad_demands_are_refused_with_reasons(people, signed_in):
    client = signed_in(people.carlos)
    page = client.post(
        URL + "new/", {**TURKEY, "authority_country": "Turkey", "responded_on": "2023-05-01"}
    ).content.decode()
    assert "Give the country as two letters" in page
    page = client.post(URL + "new/", {**TURKEY, "responded_on": "2023-05-01"}).content.decode()
    assert "The response cannot come before the demand." in page
    page = client.post(URL + "new/", {**TURKEY, "case_reference": "NOPE"}).content.decode()
    assert "No case NOPE in this organisation." in page
    assert not Demand.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_response_is_recorded_later_and_audited(people, signed_in):
    d = demand(people.org, people.carlos, response="unknown", responded_on="")
    client = signed_in(people.carlos)
    client.post(f"{URL}{d.pk}/response/", {"response": "refused", "responded_on": "2023-05-20"})
    d.refresh_from_db()
    assert (d.response, d.responded_on) == ("refused", date(2023, 5, 20))
    event = AuditEvent.objects.get(action="takedown.response_recorded")
    assert event.old == {"response": "unknown", "responded_on": None}
    assert (
        signed_in(people.vera).post(f"{URL}{d.pk}/response/", {"response": "unknown"}).status_code
        == 404
    )
    assert signed_in(people.otto).get(f"{URL}{d.pk}/").status_code == 404
    assert signed_in(people.otto).get(URL).status_code == 404
    assert signed_in(people.ines).get(URL).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_compliance_rows_and_rates(people):
    org, carlos = people.org, people.carlos
    RiskPeriod.objects.create(
        organisation=None,
        country="TR",
        kind="election",
        starts_on=date(2023, 4, 14),
        ends_on=date(2023, 5, 28),
    )
    for _ in range(3):
        demand(org, carlos)  # x, TR, geo-blocked, during the election
    demand(
        org,
        carlos,
        platform="facebook",
        authority_country="VN",
        authority="Ministry of Information and Communications",
        demanded_on="2023-03-01",
        response="complied_fully",
        responded_on="2023-03-02",
    )
    demand(
        org,
        carlos,
        platform="facebook",
        authority_country="VN",
        authority="Ministry of Information and Communications",
        demanded_on="2023-03-02",
        response="refused",
        responded_on="2023-03-09",
    )
    demand(
        org,
        carlos,
        platform="facebook",
        authority_country="VN",
        country="US",
        authority="Ministry of Public Security",
        demanded_on="2023-03-03",
        response="unknown",
        responded_on="",
    )
    demand(org, carlos, demanded_on="2022-12-01", responded_on="2022-12-02")  # outside the period
    rows = figures.compliance_rows(org, date(2023, 1, 1), date(2023, 6, 30))
    assert {
        "platform": "x",
        "country": "TR",
        "authority_country": "TR",
        "response": "geo_blocked",
        "count": 3,
    } in rows
    assert {
        "platform": "facebook",
        "country": "US",
        "authority_country": "VN",
        "response": "unknown",
        "count": 1,
    } in rows
    assert sum(r["count"] for r in rows) == 6
    assert set(rows[0]) == {"platform", "country", "authority_country", "response", "count"}
    by_platform = {
        r["key"]: r
        for r in figures.exact(org, date(2023, 1, 1), date(2023, 6, 30), "platform")["rows"]
    }
    assert by_platform["x"]["rate"] == 1.0 and by_platform["facebook"]["rate"] == 0.5
    assert by_platform["facebook"]["n"] == 2  # the unknown response is counted apart
    period = {
        r["key"]: r
        for r in figures.exact(org, date(2023, 1, 1), date(2023, 6, 30), "period")["rows"]
    }
    assert period["risk"]["counts"][figures.RESPONSES.index("geo_blocked")] == 3
    assert period["baseline"]["rate"] == 0.5
    # Published: every count here is under 10, so nothing that could be worked out is shown.
    published = figures.published(org, date(2023, 1, 1), date(2023, 6, 30), "platform")
    for row in published["rows"]:
        assert all(v in (None, 0) for v in row["counts"]) and row["rate"] is None
    assert published["total"] is None


@time_machine.travel(NOW, tick=False)
def test_the_register_page_shows_the_compliance_figure_and_a_coordinator_downloads_the_published_one(
    people, signed_in
):
    org, carlos = people.org, people.carlos
    for i in range(12):
        demand(org, carlos, demanded_on=f"2023-05-{i + 1:02d}")
    for i in range(11):
        demand(
            org, carlos, platform="youtube", response="refused", demanded_on=f"2023-04-{i + 1:02d}"
        )
    demand(org, carlos, platform="facebook", response="refused")
    page = signed_in(people.vera).get(URL + "?start=2023-01-01&end=2023-06-30").content.decode()
    assert "50 %" in page and "n = 24" in page  # 12 of 24 complied
    assert "Download the published figures (CSV)" not in page  # a viewer does not publish
    assert signed_in(people.vera).get(URL + "figures.csv").status_code == 404
    cora = h.coordinator(people)
    response = signed_in(cora).get(URL + "figures.csv?start=2023-01-01&end=2023-06-30")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    cell = {(r["breakdown"], r["row"], r["response"]): r for r in rows}
    assert cell[("platform", "facebook", "refused")]["withheld"] == "yes"
    assert cell[("platform", "facebook", "refused")]["count"] == ""
    assert all(r["count"] == "" or int(r["count"]) == 0 or int(r["count"]) >= 10 for r in rows)
    assert sum(r["withheld"] == "yes" for r in rows) >= 2  # never the small one alone
    assert (
        AuditEvent.objects.filter(action="takedown.figures_published", actor_id=cora.pk).count()
        == 1
    )


@time_machine.travel(NOW, tick=False)
def test_a_demand_is_linked_to_a_case_later_and_unlinked(people, signed_in):
    d = demand(people.org, people.carlos)
    the_case = h.case(people.org, platform="x", country="TR")
    client = signed_in(people.carlos)
    client.post(f"{URL}{d.pk}/case/", {"case_reference": the_case.reference})
    d.refresh_from_db()
    assert d.case == the_case
    page = client.post(f"{URL}{d.pk}/case/", {"case_reference": "ZZZ"}, follow=True)
    assert "No case ZZZ in this organisation." in page.content.decode()
    d.refresh_from_db()
    assert d.case == the_case  # a bad reference changes nothing
    client.post(f"{URL}{d.pk}/case/", {"case_reference": ""})
    d.refresh_from_db()
    assert d.case is None
    events = AuditEvent.objects.filter(action="takedown.case_linked").order_by("seq")
    assert [e.new["case"] for e in events] == [str(the_case.pk), None]
    # Another organisation's case cannot be linked by its reference.
    theirs = h.case(people.other_org)
    page = client.post(f"{URL}{d.pk}/case/", {"case_reference": theirs.reference}, follow=True)
    assert f"No case {theirs.reference} in this organisation." in page.content.decode()


@pytest.mark.database("postgresql")
def test_the_register_has_a_forced_row_level_security_policy(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = %s",
            ["takedowns_demand"],
        )
        assert cursor.fetchone() == (True, True)
        cursor.execute("SELECT count(*) FROM pg_policies WHERE tablename = 'takedowns_demand'")
        assert cursor.fetchone() == (1,)
