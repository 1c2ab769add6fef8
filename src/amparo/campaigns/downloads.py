"""A finished run's results as files, written by the engine's own writers.

The app keeps a run's campaigns (with their accounts, evidence and co-action edges) in the
database, encrypted; :func:`result_of` rebuilds the engine's :class:`Result` from them, and
the engine's writers (:mod:`amparo.engines.campaigns.outputs` and ``.report``) turn it into
JSON, GraphML, GEXF and the HTML report. Nothing decrypted touches the disk: the writers
that want a file name write into an anonymous in-memory file (``memfd``).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amparo.campaigns.models import Campaign, DetectionRun

if TYPE_CHECKING:
    import polars as pl

    from amparo.engines.campaigns.detect import Result

#: Download format -> (file name suffix, content type).
FORMATS = {
    "json": ("campaigns.json", "application/json"),
    "parquet": ("campaign_accounts.parquet", "application/vnd.apache.parquet"),
    "graphml": ("network.graphml", "application/graphml+xml"),
    "gexf": ("network.gexf", "application/gexf+xml"),
    "html": ("report.html", "text/html; charset=utf-8"),
}
BURST_KIND = "enforcement_burst"


@dataclass
class Download:
    filename: str
    content_type: str
    content: bytes


def edges_frame(stored: list[dict[str, Any]]) -> pl.DataFrame:
    """The co-action edges stored with campaigns (see ``services.campaign_edges``), each
    pair once, with every kind column filled (0 where a campaign lacked it)."""
    import polars as pl

    frames = [
        pl.DataFrame(s["rows"], schema=s["columns"], orient="row")
        for s in stored
        if s and s.get("rows")
    ]
    if not frames:
        return pl.DataFrame(schema={"source": pl.String, "target": pl.String, "weight": pl.Int64})
    edges = pl.concat(frames, how="diagonal_relaxed")
    fill = [pl.col(c).fill_null(0) for c in edges.columns if c.endswith("_shared")]
    return (
        edges.with_columns(fill)
        .unique(subset=["source", "target"], keep="first", maintain_order=True)
        .sort("source", "target")
    )


def result_of(run: DetectionRun) -> Result:
    """The engine's result of a finished run, from what the app stored. Posts, bursts and
    text clusters are not kept (bursts are kept as campaigns), so those are empty."""
    import polars as pl

    from amparo.campaigns.services import run_params
    from amparo.engines.campaigns.detect import Result
    from amparo.engines.campaigns.model import Campaign as Found

    found: list[Found] = []
    stored_edges: list[dict[str, Any]] = []
    group_of: dict[str, str] = {}
    for c in Campaign.objects.filter(run=run).select_related("data_key").order_by("-score"):
        detail = c.detail or {}
        accounts = list(detail.get("accounts") or [])
        found.append(
            Found(
                id=c.engine_id,
                kind=c.kind,
                score=c.score,
                accounts=accounts,
                items=list(detail.get("items") or []),
                start=int(c.starts_at.timestamp()),
                end=int(c.ends_at.timestamp()),
                signals=list(c.signals or []),
                evidence=detail.get("evidence") or {},
                linked=list(detail.get("linked") or []),
            )
        )
        stored_edges.append(detail.get("edges") or {})
        if c.kind != BURST_KIND:
            for account in accounts:
                group_of.setdefault(account, c.engine_id)
    stats = dict(run.stats or {})
    return Result(
        campaigns=found,
        edges=edges_frame(stored_edges),
        bursts=[],
        text_clusters=pl.DataFrame(schema={"row": pl.Int64, "cluster": pl.Int64, "h": pl.Int64}),
        params=run_params(run.params or {}),
        stats=stats,
        posts=pl.DataFrame(schema={"id": pl.String, "account": pl.String}),
        group_of=group_of,
    )


def _in_memory(write: Callable[[Path], None]) -> bytes:
    """What ``write`` writes to a path, from an anonymous in-memory file (never on disk)."""
    fd = os.memfd_create("amparo-download", os.MFD_CLOEXEC)
    try:
        write(Path(f"/proc/self/fd/{fd}"))
        size = os.fstat(fd).st_size
        return os.pread(fd, size, 0)
    finally:
        os.close(fd)


def accounts_table(result: Result) -> pl.DataFrame:
    """Accounts × campaigns: one row per account of each campaign (the engine's
    ``campaign_accounts`` table, with the campaign's kind and score)."""
    import polars as pl

    cs = result.campaigns
    return pl.DataFrame(
        {
            "campaign_id": [c.id for c in cs for _ in c.accounts],
            "kind": [c.kind for c in cs for _ in c.accounts],
            "score": [float(c.score) for c in cs for _ in c.accounts],
            "account": [a for c in cs for a in c.accounts],
        },
        schema={
            "campaign_id": pl.String,
            "kind": pl.String,
            "score": pl.Float64,
            "account": pl.String,
        },
    )


def render(run: DetectionRun, fmt: str) -> Download:
    """The file of a finished run in ``fmt`` (one of :data:`FORMATS`)."""
    import json

    from amparo.engines.campaigns import outputs, report

    suffix, content_type = FORMATS[fmt]
    result = result_of(run)
    if fmt == "json":
        content = json.dumps(
            outputs.to_document(result), ensure_ascii=False, indent=1, default=str
        ).encode()
    elif fmt == "parquet":
        buffer = io.BytesIO()
        accounts_table(result).write_parquet(buffer)
        content = buffer.getvalue()
    elif fmt == "graphml":
        content = _in_memory(lambda path: outputs.write_graphml(result, path))
    elif fmt == "gexf":
        content = _in_memory(lambda path: outputs.write_gexf(result, path))
    else:
        content = report.render(result).encode()
    stamp = (run.finished_at or run.created_at).strftime("%Y%m%d-%H%M")
    return Download(f"amparo-run-{stamp}-{str(run.pk)[:8]}-{suffix}", content_type, content)
