"""The Transparency Database pages: what a researcher sees, filters, charts, downloads and
bulk matching, over a tiny store configured as the installation's."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.engines.tdb.queries import Filter
from amparo.engines.tdb.research import ResearchEngine, Selection

BASE = "/o/defenders/tdb/"
SECTIONS = ["", "lens/", "aggregate/", "delays/", "notifiers/", "laws/", "statements/", "match/"]


def _svgs(html: str) -> list[ET.Element]:
    found = []
    start = 0
    while (i := html.find("<svg", start)) >= 0:
        j = html.index("</svg>", i) + len("</svg>")
        found.append(ET.fromstring(html[i:j]))
        start = j
    return found


def _title(svg: ET.Element) -> str:
    return svg.find("{http://www.w3.org/2000/svg}title").text or ""


@pytest.mark.parametrize("section", SECTIONS)
def test_every_page_opens_for_a_researcher(section, configured, rita, signed_in):
    client = signed_in(rita)
    response = client.get(BASE + section + ("?show=1" if section != "match/" else ""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "DSA Transparency Database" in html and "1,200" in html  # statements in the store
    if section != "match/":
        assert _svgs(html) or section == "statements/"
        assert "<table>" in html


def test_without_a_store_the_page_says_so_and_how_to_fill_it(people, rita, signed_in, tmp_path,
                                                             monkeypatch):  # fmt: skip
    monkeypatch.setenv("AMPARO_TDB_DIR", str(tmp_path / "nothing"))
    client = signed_in(rita)
    for section in SECTIONS:
        html = client.get(BASE + section).content.decode()
        assert "No statements have been ingested on this server yet" in html
        assert "amparo tdb ingest" in html


def test_a_time_series_is_titled_with_its_filters_and_its_figures_are_in_a_table(
    configured, rita, signed_in
):
    client = signed_in(rita)
    html = client.get(
        BASE, {"platform": ["TikTok", "X"], "country": "DE", "split": "platform", "show": "1"}
    ).content.decode()
    [svg] = _svgs(html)
    title = _title(svg)
    assert "Statements per day, one line per platform" in title
    assert "Platform: TikTok, X" in title and "Country (territorial scope): DE" in title
    with ResearchEngine(configured) as engine:
        selection = Selection(
            (Filter("platform", "in", ("TikTok", "X")), Filter("country", "in", ("DE",)))
        )
        expected = engine.aggregate(selection, "x", ("day", "platform")).table.to_pylist()
    for row in expected:
        cells = f"<td>{row['day'].isoformat()}</td><td>{row['platform']}</td>"
        assert cells in html
        assert f'<td class="num">{row["statements"]:,}</td>' in html


def test_every_filter_of_the_form_narrows_the_statements(configured, rita, signed_in):
    import pyarrow.dataset as ds

    rows = ds.dataset(configured.rows_dir, format="parquet", partitioning="hive").to_table()
    client = signed_in(rita)
    query = {
        "by": "platform",
        "category": ["STATEMENT_CATEGORY_OTHER_VIOLATION_TC", "STATEMENT_CATEGORY_VIOLENCE"],
        "ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "country": ["FR", "DE"],
        "detection": "yes",
        "decision": ["AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY"],
        "source": "SOURCE_VOLUNTARY",
        "start": "2025-09-02",
        "end": "2025-09-02",
        "download": "csv",
    }
    got = client.get(BASE + "aggregate/", query).content.decode()
    total = sum(int(r["statements"]) for r in csv.DictReader(io.StringIO(got)))
    expected = sum(
        1
        for r in rows.to_pylist()
        if r["category"] in query["category"]
        and r["decision_ground"] == query["ground"]
        and {"FR", "DE"} & set(r["territorial_scope"] or [])
        and r["automated_detection"] is True
        and r["automated_decision"] in query["decision"]
        and r["source_type"] == "SOURCE_VOLUNTARY"
        and r["created_at"].date().isoformat() == "2025-09-02"
    )
    assert total == expected > 0


def test_filters_that_make_no_sense_are_refused_with_a_reason(configured, rita, signed_in):
    client = signed_in(rita)
    html = client.get(BASE, {"start": "2025-09-02", "end": "2025-09-01"}).content.decode()
    assert "The last day comes before the first." in html and "<svg" not in html
    html = client.get(BASE, {"q": '"unclosed'}).content.decode()
    assert "A phrase is missing its closing quotation mark" in html
    html = client.get(BASE, {"platform": "Myspace"}).content.decode()
    assert "Select a valid choice" in html


def test_a_search_narrows_every_result(configured, rita, signed_in):
    client = signed_in(rita)
    html = client.get(BASE + "laws/", {"q": "StGB", "show": "1"}).content.decode()
    assert "§ 185 StGB" in html and "Text: stgb" in html
    html = client.get(BASE + "lens/", {"question": "fully-automated", "q": "Wahlen"}).content
    assert "Text: wahlen" in html.decode()


def test_downloads_hold_the_whole_result_as_csv_and_parquet(configured, rita, signed_in):
    client = signed_in(rita)
    query = {"name": "simple", "platform": "TikTok", "download": "csv"}
    response = client.get(BASE + "aggregate/", query)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    with ResearchEngine(configured) as engine:
        expected = engine.aggregate(
            Selection((Filter("platform", "in", ("TikTok",)),)), "simple",
            ("day", "platform", "decision_ground", "category", "automated_detection",
             "automated_decision"),
        ).table  # fmt: skip
    assert len(rows) == expected.num_rows
    assert sum(int(r["statements"]) for r in rows) == sum(expected["statements"].to_pylist())
    response = client.get(BASE + "aggregate/", {**query, "download": "parquet"})
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == expected.num_rows and "statements" in table.column_names


def test_results_too_big_to_chart_say_so(configured, rita, signed_in, monkeypatch):
    from amparo.tdb import pages

    client = signed_in(rita)
    query = {"name": "simple", "show": "1"}
    assert "<svg" in client.get(BASE + "aggregate/", query).content.decode()
    monkeypatch.setattr(pages, "CHART_ROWS", 10)
    html = client.get(BASE + "aggregate/", query).content.decode()
    assert "<svg" not in html and "Too many rows to chart: download the table." in html
    assert "500 of " in html and "(the download holds them all)" in html


def test_delays_show_quantiles_per_platform(configured, rita, signed_in):
    client = signed_in(rita)
    html = client.get(BASE + "delays/", {"show": "1"}).content.decode()
    assert "Quantiles per platform" in html and "All platforms" in html
    assert "Action: median (days)" in html and "Publication: 99th percentile" in html
    assert len(_svgs(html)) == 3
    csv_text = client.get(
        BASE + "delays/", {"show": "1", "download": "csv", "part": "quantiles"}
    ).content.decode()
    header = csv_text.splitlines()[0]
    assert "action_p50" in header and "publication_p99" in header


def test_a_sample_for_coding_is_reproducible_and_capped(configured, rita, signed_in):
    client = signed_in(rita)
    query = {"q": "hate", "size": "5", "seed": "3", "show": "1", "download": "csv"}
    first = client.get(BASE + "statements/", query).content
    again = client.get(BASE + "statements/", query).content
    other = client.get(BASE + "statements/", {**query, "seed": "4"}).content
    assert first == again and first != other
    rows = list(csv.DictReader(io.StringIO(first.decode())))
    assert len(rows) == 5 and "decision_facts" in rows[0] and "uuid" in rows[0]
    html = client.get(BASE + "statements/", {"size": "10001", "show": "1"}).content.decode()
    assert "Ensure this value is less than or equal to 10000" in html


def test_notifiers_name_who_flagged_and_the_data_quality_event(configured, rita, signed_in):
    client = signed_in(rita)
    html = client.get(BASE + "notifiers/", {"show": "1"}).content.decode()
    assert "HateAid gGmbH" in html
    assert "Facebook/Instagram trusted-flagger labels" in html


def test_bulk_matching_answers_line_by_line(configured, rita, signed_in):
    client = signed_in(rita)
    upload = SimpleUploadedFile(
        "posts.txt",
        b"https://www.tiktok.com/@a/video/7291829384756473829\n"
        b"https://vm.tiktok.com/ZMabc/\n"
        b"X,42\n",
        content_type="text/plain",
    )
    html = client.post(BASE + "match/", {"file": upload, "output": "page"}).content.decode()
    assert "1 of 3 lines have statements" in html
    assert "A short link hides the id" in html and "No statement with this id" in html
    upload.seek(0)
    response = client.post(BASE + "match/", {"file": upload, "output": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["status"] for r in rows] == ["found", "found", "unresolved", "not_found"]
    empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    html = client.post(BASE + "match/", {"file": empty}).content.decode()
    assert "The file is empty" in html or "The submitted file is empty" in html


ORGANISATION_PAGES = ["/o/defenders/cases/", "/o/defenders/reports/", "/o/defenders/members/",
                      "/o/defenders/campaigns/", "/o/defenders/escalations/",
                      "/o/defenders/audit/"]  # fmt: skip


def test_a_researcher_sees_the_database_and_nothing_of_the_organisation(
    configured, people, rita, signed_in
):
    client = signed_in(rita)
    home = client.get("/").content.decode()
    assert 'href="/o/defenders/tdb/"' in home
    for url in ORGANISATION_PAGES:
        assert f'href="{url}"' not in home, url
        assert client.get(url).status_code == 404, url
    client.logout()
    admin = signed_in(people.alice)  # control: the pages exist
    assert all(admin.get(url).status_code == 200 for url in ORGANISATION_PAGES)


@pytest.mark.parametrize("who", ["vera", "ines", "otto"])
def test_others_get_404(who, configured, people, signed_in):
    client = signed_in(getattr(people, who))
    for section in SECTIONS:
        assert client.get(BASE + section).status_code == 404
    assert client.post(BASE + "match/", {}).status_code == 404


@pytest.mark.parametrize("who", ["alice", "carlos"])
def test_staff_with_case_access_read_it_too_and_find_it_in_the_navigation(
    who, configured, people, signed_in
):
    client = signed_in(getattr(people, who))
    response = client.get(BASE)
    assert response.status_code == 200
    assert 'href="/o/defenders/tdb/"' in response.content.decode()
