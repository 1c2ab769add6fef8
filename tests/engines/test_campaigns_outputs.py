"""Every output format parses back, and the command line writes them all."""

from __future__ import annotations

import importlib.util
import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import igraph as ig
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from amparo.engines.campaigns.cli import main

ROOT = Path(__file__).resolve().parents[2]


@cache
def generator():
    spec = importlib.util.spec_from_file_location(
        "bench_campaigns_generate", ROOT / "bench" / "campaigns" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One command-line run on planted data given as CSV, with a broken row in it."""
    tmp = tmp_path_factory.mktemp("campaigns")
    posts, actions, truth = generator().generate(15_000, 5)
    flat = posts.set_column(
        posts.schema.get_field_index("urls"),
        "urls",
        [[" ".join(u) for u in posts.column("urls").to_pylist()]],
    )
    pacsv.write_csv(flat, tmp / "posts.csv")
    with open(tmp / "posts.csv", "a", encoding="utf-8") as f:
        f.write('"x1","acct",not-a-time,"text","","","",""\n')
    pq.write_table(actions, tmp / "actions.parquet")
    out = tmp / "out"
    status = main(
        [
            "detect",
            str(tmp / "posts.csv"),
            "--actions",
            str(tmp / "actions.parquet"),
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert status == 0
    return out, truth


def test_json_document_has_the_documented_shape(run):
    out, _truth = run
    doc = json.loads((out / "campaigns.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1
    assert doc["input"]["rejected"] == 1
    assert doc["input"]["rejected_by_reason"] == {"unparsable timestamp": 1}
    assert {"threshold", "windows", "min_shared", "min_score"} <= set(doc["parameters"])
    assert doc["campaigns"], "no campaigns in planted data"
    for c in doc["campaigns"]:
        assert set(c) >= {
            "id",
            "kind",
            "score",
            "accounts",
            "items",
            "start",
            "end",
            "start_iso",
            "end_iso",
            "signals",
            "evidence",
            "linked",
        }
        assert c["id"].startswith("cmp-")
        assert c["start"] <= c["end"]
        assert c["n_accounts"] == len(c["accounts"]) >= 3 or c["kind"] == "enforcement_burst"
    ids = {c["id"] for c in doc["campaigns"]}
    for c in doc["campaigns"]:
        assert set(c["linked"]) <= ids


def test_parquet_tables_read_back(run):
    out, _ = run
    campaigns = pq.read_table(out / "campaigns.parquet")
    assert campaigns.num_rows == len(json.loads((out / "campaigns.json").read_text())["campaigns"])
    assert set(campaigns.column_names) >= {"id", "kind", "score", "n_accounts", "start", "end"}
    items = pq.read_table(out / "campaign_items.parquet")
    assert set(items.column_names) >= {"campaign_id", "id", "account", "timestamp", "text"}
    assert items.num_rows > 0
    edges = pq.read_table(out / "edges.parquet")
    assert set(edges.column_names) >= {"source", "target", "weight", "text_shared"}
    for name in ("campaign_accounts", "bursts", "text_clusters"):
        pq.read_table(out / f"{name}.parquet")


def test_graphml_and_gexf_read_back(run):
    out, _ = run
    g = ig.Graph.Read_GraphML(str(out / "network.graphml"))
    edges = pq.read_table(out / "edges.parquet")
    assert g.ecount() == edges.num_rows
    assert "campaign" in g.vs.attributes()
    tree = ET.parse(out / "network.gexf")
    ns = {"g": "http://gexf.net/1.3"}
    assert len(tree.findall(".//g:node", ns)) == g.vcount()
    assert len(tree.findall(".//g:edge", ns)) == g.ecount()


def test_html_report_is_self_contained(run):
    out, _ = run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Timeline" in html
    assert "<script" not in html and "http://" not in html.split("</style>")[0]
    assert "unparsable timestamp" in html


def test_rejects_file_names_the_row(run):
    out, _ = run
    rejects = pacsv.read_csv(out / "rejects.csv").to_pylist()
    assert rejects[0]["reason"] == "unparsable timestamp"
    assert "not-a-time" in rejects[0]["raw"]


def test_bad_arguments_exit_with_an_error(tmp_path, capsys):
    assert main(["detect", str(tmp_path / "missing.csv"), "--out", str(tmp_path), "--quiet"]) == 2
    with pytest.raises(SystemExit):
        main(["detect", "x.csv", "--out", str(tmp_path), "--threshold", "3", "--quiet"])
