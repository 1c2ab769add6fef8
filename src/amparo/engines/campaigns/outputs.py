"""Write what the engine found: JSON, Parquet, GraphML and GEXF (for Gephi).

File names in the output folder:

* ``campaigns.json`` — everything a person or a program needs: parameters, input counts,
  rejects by reason, campaigns with their evidence, bursts (schema ``SCHEMA_VERSION``);
* ``campaigns.parquet``, ``campaign_accounts.parquet``, ``campaign_items.parquet``,
  ``edges.parquet``, ``bursts.parquet``, ``text_clusters.parquet`` — the same as tables;
* ``network.graphml`` and ``network.gexf`` — the thresholded co-action network, accounts
  as nodes with the campaign they belong to;
* ``report.html`` (see :mod:`.report`) and ``rejects.csv`` (see :mod:`.io`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from .detect import Result
from .groups import build_graph
from .io import Rejects
from .model import BURST_KIND

SCHEMA_VERSION = 1


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).isoformat().replace("+00:00", "Z")


def to_document(result: Result, rejects: Rejects | None = None) -> dict[str, Any]:
    campaigns = []
    for c in result.campaigns:
        d = c.as_dict()
        d["start_iso"], d["end_iso"] = iso(c.start), iso(c.end)
        d["n_accounts"], d["n_items"] = len(c.accounts), len(c.items)
        campaigns.append(d)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso(int(datetime.now(tz=UTC).timestamp())),
        "parameters": result.params.as_dict(),
        "input": {
            "posts": result.stats.get("posts", 0),
            "accounts": result.stats.get("accounts", 0),
            "actions": result.stats.get("actions", 0),
            "rejected": 0 if rejects is None else rejects.count,
            "rejected_by_reason": {} if rejects is None else rejects.reasons(),
        },
        "stats": result.stats,
        "campaigns": campaigns,
    }


def write_json(result: Result, path: Path, rejects: Rejects | None = None) -> None:
    path.write_text(
        json.dumps(to_document(result, rejects), ensure_ascii=False, indent=1), encoding="utf-8"
    )


def _campaign_tables(result: Result) -> dict[str, pl.DataFrame]:
    cs = result.campaigns
    campaigns = pl.DataFrame(
        {
            "id": [c.id for c in cs],
            "kind": [c.kind for c in cs],
            "score": [float(c.score) for c in cs],
            "n_accounts": [len(c.accounts) for c in cs],
            "n_items": [len(c.items) for c in cs],
            "start": [datetime.fromtimestamp(c.start, tz=UTC) for c in cs],
            "end": [datetime.fromtimestamp(c.end, tz=UTC) for c in cs],
            "signals": [c.signals for c in cs],
            "linked": [c.linked for c in cs],
            "evidence": [json.dumps(c.evidence, ensure_ascii=False) for c in cs],
        },
        schema_overrides={"signals": pl.List(pl.String), "linked": pl.List(pl.String)},
    )
    accounts = pl.DataFrame(
        {
            "campaign_id": [c.id for c in cs for _ in c.accounts],
            "account": [a for c in cs for a in c.accounts],
        },
        schema={"campaign_id": pl.String, "account": pl.String},
    )
    item_rows = [(c.id, i) for c in cs if c.kind != BURST_KIND for i in c.items]
    items = pl.DataFrame(
        {"campaign_id": [r[0] for r in item_rows], "id": [r[1] for r in item_rows]},
        schema={"campaign_id": pl.String, "id": pl.String},
    ).join(
        result.posts.select("id", "account", "timestamp", "text", "urls", "reply_to", "repost_of"),
        on="id",
        how="left",
    )
    bursts = pl.DataFrame(
        {
            "community": [b.community for b in result.bursts],
            "start": [datetime.fromtimestamp(b.start, tz=UTC) for b in result.bursts],
            "end": [datetime.fromtimestamp(b.end, tz=UTC) for b in result.bursts],
            "count": [b.count for b in result.bursts],
            "expected": [b.expected for b in result.bursts],
            "score": [b.score for b in result.bursts],
            "accounts": [b.accounts for b in result.bursts],
        },
        schema_overrides={"accounts": pl.List(pl.String), "count": pl.Int64},
    )
    tc = result.text_clusters
    clusters = (
        pl.DataFrame(
            {
                "id": result.posts["id"].gather(tc["row"]),
                "cluster": tc["cluster"],
                "text_hash": tc["h"],
            }
        )
        if tc.height
        else pl.DataFrame(schema={"id": pl.String, "cluster": pl.Int64, "text_hash": pl.Int64})
    )
    return {
        "campaigns": campaigns,
        "campaign_accounts": accounts,
        "campaign_items": items,
        "edges": result.edges,
        "bursts": bursts,
        "text_clusters": clusters,
    }


def write_parquet(result: Result, out: Path) -> list[Path]:
    paths = []
    for name, table in _campaign_tables(result).items():
        p = out / f"{name}.parquet"
        table.write_parquet(p)
        paths.append(p)
    return paths


def network(result: Result):
    """The thresholded network as an igraph graph with a ``campaign`` per account."""
    g = build_graph(result.edges)
    g.vs["campaign"] = [result.group_of.get(n, "") for n in g.vs["name"]]
    return g


def write_graphml(result: Result, path: Path) -> None:
    network(result).write_graphml(str(path))


def write_gexf(result: Result, path: Path) -> None:
    """GEXF 1.3 (Gephi's own format), written with the standard library."""
    g = network(result)
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "Amparo campaign detection"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "static"})
    na = ET.SubElement(graph, "attributes", {"class": "node"})
    ET.SubElement(na, "attribute", {"id": "campaign", "title": "campaign", "type": "string"})
    ea = ET.SubElement(graph, "attributes", {"class": "edge"})
    kinds = [c.removesuffix("_shared") for c in result.edges.columns if c.endswith("_shared")]
    for k in kinds:
        ET.SubElement(
            ea, "attribute", {"id": f"{k}_shared", "title": f"{k}_shared", "type": "integer"}
        )
    nodes = ET.SubElement(graph, "nodes")
    for v in g.vs:
        node = ET.SubElement(nodes, "node", {"id": str(v.index), "label": v["name"]})
        vals = ET.SubElement(node, "attvalues")
        ET.SubElement(vals, "attvalue", {"for": "campaign", "value": v["campaign"]})
    edges = ET.SubElement(graph, "edges")
    for e in g.es:
        el = ET.SubElement(
            edges,
            "edge",
            {
                "id": str(e.index),
                "source": str(e.source),
                "target": str(e.target),
                "weight": str(e["weight"]),
            },
        )
        vals = ET.SubElement(el, "attvalues")
        for k in kinds:
            ET.SubElement(vals, "attvalue", {"for": f"{k}_shared", "value": str(e[f"{k}_shared"])})
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def write_all(result: Result, out: Path, rejects: Rejects | None = None) -> list[Path]:
    """Write every output into ``out`` and return the paths written."""
    from .report import write_report

    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "campaigns.json"]
    write_json(result, paths[0], rejects)
    paths += write_parquet(result, out)
    write_graphml(result, out / "network.graphml")
    write_gexf(result, out / "network.gexf")
    write_report(result, out / "report.html", rejects)
    paths += [out / "network.graphml", out / "network.gexf", out / "report.html"]
    if rejects is not None:
        rejects.write_csv(out / "rejects.csv")
        paths.append(out / "rejects.csv")
    return paths
