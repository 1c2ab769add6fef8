"""A finished run's results: downloads in every format, the network picture with its table,
and the campaigns a case's attackers took part in, shown on the case page."""

from __future__ import annotations

import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.audit.models import AuditEvent
from amparo.campaigns.models import Campaign, DetectionRun
from amparo.campaigns.network import MAX_NODES, picture
from amparo.campaigns.services import execute
from tests.campaigns_app.test_campaigns_app import posts_csv

FORMATS = ("json", "parquet", "graphml", "gexf", "html")
TROLLS = {f"troll{i}" for i in range(5)}


@pytest.fixture
def finished(people, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        signed_in(people.alice).post(
            "/o/defenders/campaigns/",
            {"posts": SimpleUploadedFile("posts.csv", posts_csv()), "window": "60"},
        )
    run = DetectionRun.objects.get()
    execute(run)
    run.refresh_from_db()
    assert run.status == "done"
    return run


@pytest.fixture
def case(people):
    from amparo.cases.services import open_case
    from tests.cases.conftest import new_report

    return open_case(
        people.org, reports=[new_report(people.org)], title="smear", actor=people.carlos
    )


def _url(run, fmt):
    return f"/o/defenders/campaigns/runs/{run.pk}/download/{fmt}/"


def _download(client, run, fmt):
    response = client.get(_url(run, fmt))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', disposition), disposition
    return response.content


def test_every_download_of_a_finished_run_parses(people, signed_in, finished):
    import pyarrow.parquet as pq

    client = signed_in(people.alice)
    document = json.loads(_download(client, finished, "json"))
    groups = [c for c in document["campaigns"] if set(c["accounts"]) >= TROLLS]
    assert groups and groups[0]["evidence"]
    assert not [a for c in document["campaigns"] for a in c["accounts"] if a.startswith("user")]

    table = pq.read_table(io.BytesIO(_download(client, finished, "parquet")))
    assert {"campaign_id", "kind", "score", "account"} <= set(table.column_names)
    assert set(table.column("account").to_pylist()) >= TROLLS

    graphml = ET.fromstring(_download(client, finished, "graphml"))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {k.get("attr.name"): k.get("id") for k in graphml.iterfind("g:key", ns)}
    assert {"name", "campaign", "weight", "text_shared"} <= set(keys)
    names = {d.text for d in graphml.iterfind(f"g:graph/g:node/g:data[@key='{keys['name']}']", ns)}
    assert names == TROLLS
    weights = [
        int(float(d.text))
        for d in graphml.iterfind(f"g:graph/g:edge/g:data[@key='{keys['weight']}']", ns)
    ]
    assert len(weights) == 10 and min(weights) >= 3  # every pair of the five co-acted

    gexf = ET.fromstring(_download(client, finished, "gexf"))
    ns = {"x": "http://gexf.net/1.3"}
    assert {n.get("label") for n in gexf.iterfind("x:graph/x:nodes/x:node", ns)} == TROLLS
    edges = list(gexf.iterfind("x:graph/x:edges/x:edge", ns))
    assert len(edges) == 10 and all(float(e.get("weight")) >= 3 for e in edges)
    kinds = {a.get("for") for a in gexf.iterfind(".//x:edge/x:attvalues/x:attvalue", ns)}
    assert "link_shared" in kinds

    report = _download(client, finished, "html").decode()
    assert "Campaign detection report" in report and "troll0" in report and "<svg" in report

    audited = AuditEvent.objects.filter(action="campaigns.run_downloaded")
    assert audited.count() == 5
    assert {e.new["format"] for e in audited} == set(FORMATS)


def test_outsiders_get_404_and_an_unfinished_run_has_nothing_yet(people, signed_in, finished):
    for person in (people.otto, people.carlos, people.vera):
        client = signed_in(person)
        for fmt in FORMATS:
            assert client.get(_url(finished, fmt)).status_code == 404
    alice = signed_in(people.alice)
    assert alice.get(_url(finished, "csv")).status_code == 404  # no such format
    DetectionRun.objects.filter(pk=finished.pk).update(status="running")
    for fmt in FORMATS:
        response = alice.get(_url(finished, fmt))
        assert response.status_code == 409 and b"not finished" in response.content
    assert not AuditEvent.objects.filter(action="campaigns.run_downloaded").exists()


def test_the_run_page_draws_each_network_with_its_table(people, signed_in, finished):
    page = signed_in(people.alice).get(f"/o/defenders/campaigns/runs/{finished.pk}/")
    html = page.content.decode()
    svg = re.search(r"<svg class=\"network-picture\".*?</svg>", html, re.S)
    assert svg is not None
    assert svg.group(0).count("<circle") == 5 and svg.group(0).count("<line") == 10
    table = html[svg.end() :]
    assert "<table>" in table and all(f"<td>{t}</td>" in table for t in TROLLS)
    assert "style=" not in svg.group(0) and "<script" not in html
    for fmt in FORMATS:
        assert _url(finished, fmt) in html


def test_a_large_network_draws_the_most_connected_and_counts_the_rest():
    accounts = [f"a{i:03d}" for i in range(100)]
    rows = [[accounts[0], a, 10, 10] for a in accounts[1:]]
    rows += [[a, b, 1, 1] for a, b in itertools.pairwise(accounts[1:])]
    p = picture(
        {
            "accounts": accounts,
            "edges": {"columns": ["source", "target", "weight", "text_shared"], "rows": rows},
        }
    )
    assert p is not None and len(p.nodes) == MAX_NODES and p.hidden_accounts == 100 - MAX_NODES
    assert p.nodes[0].account == "a000" and p.strongest is not None and p.strongest.weight == 10
    assert p.strongest.kinds == "text"
    assert all(0 <= n.x <= p.size and 0 <= n.y <= p.size for n in p.nodes)
    assert picture({"accounts": accounts}) is None


def _campaign(org, by, accounts, kind="link_sharing"):
    from amparo.keyring.services import organisation_key

    key = organisation_key(org)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    run = DetectionRun.objects.create(
        organisation=org,
        data_key=key,
        created_by=by,
        status="done",
        inputs=[],
    )
    campaign = Campaign(
        organisation=org,
        data_key=key,
        run=run,
        engine_id=f"c-{accounts[0]}",
        kind=kind,
        score=9.0,
        account_count=len(accounts),
        item_count=0,
        starts_at=now,
        ends_at=now,
    )
    campaign.detail = {"accounts": accounts, "items": [], "evidence": {}, "linked": []}
    campaign.save()
    return campaign


def test_the_case_page_shows_campaigns_its_attackers_took_part_in(people, signed_in, case):
    # The case's report names @troll_one and @troll_two as attackers.
    matching = _campaign(people.org, people.alice, ["bot7", "troll_one", "troll_three"])
    unrelated = _campaign(people.org, people.alice, ["someone", "else_entirely"])
    page = signed_in(people.alice).get(f"/o/defenders/cases/{case.pk}/").content.decode()
    section = re.search(r'<ul id="case-campaigns">.*?</ul>', page, re.S)
    assert section is not None
    assert f"/o/defenders/campaigns/runs/{matching.run_id}/" in section.group(0)
    assert f"/o/defenders/campaigns/runs/{unrelated.run_id}/" not in page
    assert "1 attacker account" in section.group(0)
    # A caseworker sees the campaign too, without a link to a run page they cannot open.
    page = signed_in(people.carlos).get(f"/o/defenders/cases/{case.pk}/").content.decode()
    section = re.search(r'<ul id="case-campaigns">.*?</ul>', page, re.S)
    assert section is not None and "1 attacker account" in section.group(0)
    assert "/campaigns/runs/" not in section.group(0)


def test_no_campaign_section_without_a_match(people, signed_in, case):
    _campaign(people.org, people.alice, ["someone", "else_entirely"])
    page = signed_in(people.carlos).get(f"/o/defenders/cases/{case.pk}/").content.decode()
    assert 'id="case-campaigns"' not in page
