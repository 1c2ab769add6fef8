"""The scorecard pages through Django's client: who sees what, assessments with sources,
publication as HTML, PDF and CSV, the comparison, the old address, and outsiders refused."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine

from amparo.audit.models import AuditEvent
from amparo.scorecards.models import Assessment, Publication
from tests.scorecards import helpers as h

pytestmark = pytest.mark.django_db

URL = "/o/defenders/scorecards/"
MARCH = "?platform=facebook&start=2026-03-01&end=2026-03-31"
NOW = "2026-04-02T12:00:00+00:00"

ASSESSMENT = {
    "platform": "facebook",
    "action": "2",
    "finding": "partly",
    "summary": "The human rights report names risks to defenders; no gender analysis.",
    "source_title": "Meta Human Rights Report 2025",
    "source_url": "https://humanrights.fb.com/annual-report-2025/",
    "source_date": "2025-09-01",
    "period_start": "2026-03-01",
    "period_end": "2026-03-31",
}


def seed(people):
    c = h.case(people.org)
    for i in range(12):
        h.escalation(c, people.carlos, sent=h.at("2026-03-10"), answered_after_hours=10 + i)
    h.escalation(
        c,
        people.carlos,
        sent=h.at("2026-03-11"),
        channel_code="facebook.in_app_appeal",
        channel_kind="in_app_appeal",
        answered_after_hours=200,
    )
    return c


@time_machine.travel(NOW, tick=False)
def test_the_scorecard_shows_all_ten_actions_with_figures_and_assessments(people, signed_in):
    seed(people)
    page = signed_in(people.vera).get(URL + MARCH).content.decode()
    for n in range(1, 11):
        assert f'id="action-{n}"' in page
    assert "“Commit to an HRD Protection Policy”" in page
    assert "“Create and Maintain Accessible Incident Reporting Channels for HRDs”" in page
    assert "Responsiveness of each reporting channel" in page and "92 %" in page  # 12 of 13
    assert "small n (under 10)" in page  # the in-app appeal's row: one escalation
    assert page.count("Not yet assessed.") == 3  # actions 1, 2 and 4
    # A viewer reads; no forms to change or publish.
    assert "Record the assessment" not in page and "Publish the scorecard" not in page
    assert "{'" not in page and "None" not in page


@time_machine.travel(NOW, tick=False)
def test_a_caseworker_records_an_assessment_with_its_source_and_it_is_audited(people, signed_in):
    carlos = signed_in(people.carlos)
    response = carlos.post(URL + "assessments/", ASSESSMENT)
    assert response.status_code == 302 and "platform=facebook" in response["Location"]
    assessment = Assessment.objects.get()
    assert (assessment.action, assessment.finding, assessment.recorded_by) == (
        2,
        "partly",
        people.carlos,
    )
    assert assessment.assessed_on == date(2026, 4, 2)
    event = AuditEvent.objects.filter(action="scorecard.assessment_recorded").get()
    assert event.new == {"platform": "facebook", "action": 2, "finding": "partly"}
    page = carlos.get(URL + MARCH).content.decode()
    # Assessed on 2 April: after the end of March's period, so not in force for March.
    assert page.count("Not yet assessed.") == 3
    page = carlos.get(URL + "?platform=facebook&start=2026-03-01&end=2026-04-02").content.decode()
    assert page.count("Not yet assessed.") == 2
    assert 'href="https://humanrights.fb.com/annual-report-2025/"' in page and "2025-09-01" in page


@time_machine.travel(NOW, tick=False)
def test_bad_assessments_are_refused_with_a_reason_and_nothing_is_kept(people, signed_in):
    carlos = signed_in(people.carlos)
    for change, words in (
        ({"source_url": "not a link"}, "Link to the source"),
        ({"source_date": "2027-01-01"}, "cannot be in the future"),
        ({"action": "11"}, "Action"),
    ):
        response = carlos.post(URL + "assessments/", {**ASSESSMENT, **change}, follow=True)
        assert words in response.content.decode()
    assert not Assessment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_who_may_do_what(people, signed_in):
    assert signed_in(people.vera).post(URL + "assessments/", ASSESSMENT).status_code == 404
    assert signed_in(people.ines).get(URL).status_code == 404  # intermediary
    assert signed_in(people.otto).get(URL).status_code == 404  # another organisation
    body = {"platform": "facebook", "start": "2026-03-01", "end": "2026-03-31", "threshold": "10"}
    assert signed_in(people.carlos).post(URL + "publish/", body).status_code == 404
    assert not Publication.objects.exists() and not Assessment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_coordinator_publishes_html_pdf_csv_and_a_methodology(people, signed_in):
    seed(people)
    cora = h.coordinator(people)
    client = signed_in(cora)
    assert "Publish the scorecard" in client.get(URL + MARCH).content.decode()
    body = {"platform": "facebook", "start": "2026-03-01", "end": "2026-03-31", "threshold": "10"}
    response = client.post(URL + "publish/", body)
    publication = Publication.objects.get()
    assert response["Location"] == f"{URL}published/{publication.pk}/"
    assert AuditEvent.objects.filter(action="scorecard.published", actor_id=cora.pk).count() == 1
    page = client.get(response["Location"]).content.decode()
    files = {}
    for name in ("scorecard.html", "methodology.html", "scorecard.csv", "scorecard.pdf"):
        assert name in page
        download = client.get(f"{URL}published/{publication.pk}/{name}")
        assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
        files[name] = download.content
    assert files["scorecard.pdf"].startswith(b"%PDF")
    html = files["scorecard.html"].decode()
    assert "Identify Risks to HRDs" in html and ">withheld<" in html
    methodology = files["methodology.html"].decode()
    assert "Numerator:" in methodology and "8.responsiveness" in methodology
    rows = list(csv.DictReader(io.StringIO(files["scorecard.csv"].decode())))
    channel = [r for r in rows if r["indicator"] == "8.responsiveness"]
    published = {(r["row"], r["column"]): r["value"] for r in channel}
    # The in-app appeal's single late answer is withheld, and so is enough to protect it.
    assert published[("facebook.in_app_appeal", "later")] == ""
    assert published[("all", "later")] == ""
    values = [
        int(r["value"])
        for r in rows
        if r["column"] in {"within_72h", "later", "unanswered", "pending"} and r["value"]
    ]
    assert all(v == 0 or v >= 10 for v in values)
    # Published files are frozen: a digest of each is kept.
    assert set(publication.sha256) == set(files)
    assert (
        signed_in(people.otto).get(f"{URL}published/{publication.pk}/scorecard.pdf").status_code
        == 404
    )


@time_machine.travel(NOW, tick=False)
def test_platforms_and_periods_side_by_side(people, signed_in):
    seed(people)
    query = (
        "?platform_1=facebook&start_1=2026-03-01&end_1=2026-03-31"
        "&platform_2=facebook&start_2=2026-02-01&end_2=2026-02-28"
        "&platform_3=tiktok&start_3=2026-03-01&end_3=2026-03-31"
    )
    page = signed_in(people.vera).get(URL + "compare/" + query).content.decode()
    assert "Side by side" in page and "TikTok" in page
    assert "92 % (n = 13)" in page and "(n = 0)" in page
    bad = signed_in(people.vera).get(
        URL + "compare/?platform_1=facebook&start_1=2026-03-05&end_1=2026-03-01"
    )
    assert "The period must end on or after the day it starts." in bad.content.decode()


def test_the_old_scorecard_address_leads_to_the_new_one(people, signed_in):
    response = signed_in(people.vera).get("/o/defenders/escalations/scorecard/")
    assert response.status_code == 301 and response["Location"] == URL
    assert signed_in(people.otto).get("/o/defenders/escalations/scorecard/").status_code == 404


def test_every_scorecard_and_takedown_page_is_closed_to_outsiders(people, signed_in):
    from django.urls import get_resolver

    h.matrix_objects(people)
    ids = {
        "org_slug": "defenders",
        "assessment_id": people.assessment.pk,
        "publication_id": people.scorecard.pk,
        "demand_id": people.demand.pk,
    }
    otto = signed_in(people.otto)
    checked = 0
    for name, entries in get_resolver().reverse_dict.lists():
        if not isinstance(name, str) or not name.startswith(("scorecard", "takedown")):
            continue
        from django.urls import reverse

        params = entries[0][0][0][1]
        url = reverse(name, kwargs={p: ids[p] for p in params})
        # A page refuses the outsider (404); a POST-only action refuses the method first.
        assert otto.get(url).status_code in (404, 405), url
        assert otto.post(url).status_code in (404, 405), url
        assert 404 in (otto.get(url).status_code, otto.post(url).status_code), url
        checked += 1
    assert checked >= 14
