"""The same detectors on Apache Spark (PySpark), for inputs beyond one machine.

Spark does the heavy, data-parallel work, inside ``mapInArrow`` tasks that call the very
functions the local engine uses, and Spark SQL:

* texts folded (or normalised) and hashed, MinHash signatures of character shingles and
  of content words, LSH buckets, candidate verification (:mod:`.spark_texts`);
* the keys of every co-action kind (links, items, hashtags, media, domains, key columns),
  hashed by the functions of :mod:`.keys`;
* for the null model (:mod:`.spark_null`): episodes of each key (window functions), the
  light-key filter, the windowed self-join of co-actions for the widest window with the
  window of each pair, the per-pair directed counts per window, odd keys, the baseline's
  per-class pair counts and the shared keys of the candidate pairs; for the ratio test,
  the self-join and the edge aggregation.

The driver receives what is small by then: the verified near-identical pairs (connected
components), the candidate pairs with their counts and the per-class summaries (the edge
test of :mod:`.scoring`, the same functions as the local engine), and the co-acting post
pairs (evidence). Groups, flash mobs, bursts and campaigns are :func:`.detect.assemble`,
shared by both engines. Given the same input and parameters, any :class:`.Params`, it
returns the same edges and campaigns as :func:`amparo.engines.campaigns.detect.detect`;
tests check this.

Differences that can only matter at extreme scale: the local sweep pairs each event with
at most ``max_span`` [5,000] events of one key (episode) inside the widest window, Spark
pairs them all, so only a key with more events than that inside one window can give
Spark more co-actions (and a larger pair count in the statistics); and the driver still
holds the canonical posts table, to write the evidence and to find flash mobs and bursts.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import polars as pl
import pyarrow as pa

from . import coaction, keys
from .detect import (
    NULL_COLUMNS,
    Events,
    Result,
    StageFn,
    _noop,
    account_codes,
    assemble,
    combine_edges,
    drop_relays,
    finish_edges,
)
from .model import Params
from .relays import RELAY_KINDS
from .spark_null import cached, coacting_pairs, kind_edges, null_model
from .spark_texts import text_clusters

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: An event's id: its post's row times this, plus its place among the post's events of
#: the kind (a post has fewer than a million links or hashtags).
EID = 1 << 20
#: Kinds whose keys come from a list of values, with the value kept for the evidence.
LIST_KINDS = ("hashtag", "media", "domain")


def local_session(master: str = "local[*]") -> SparkSession:
    from .._extras import require_pyspark

    require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    if master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        builder = builder.config("spark.pyspark.python", sys.executable)
    session = (
        builder.master(master)
        .appName("amparo-campaigns")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(max(4, 2 * (os.cpu_count() or 2))))
        .config("spark.driver.memory", "4g")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _use_this_python(spark: SparkSession) -> None:
    """Run the Python tasks with this interpreter when Spark runs on this machine.

    The tasks import this package, numpy, polars and pyarrow; a session started without
    ``PYSPARK_PYTHON`` would launch whatever ``python3`` is first on the PATH. On a
    cluster, set ``PYSPARK_PYTHON`` to an environment where Amparo is installed.
    """
    sc = spark.sparkContext
    if (sc.master or "").startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        sc.pythonExec = sys.executable


# --------------------------------------------------------------------------- events


def _is_list_kind(kind: str) -> bool:
    return kind in LIST_KINDS or kind.startswith("key:")


def kind_table(posts: pl.DataFrame, kind: str) -> pl.DataFrame:
    """``row, key`` (and ``value`` for list kinds) of one co-action kind other than text,
    by the functions the local engine's ``build_events`` calls."""
    if kind == "link":
        return keys.link_table(posts).select("row", "key")
    if kind in ("repost", "reply"):
        column = "repost_of" if kind == "repost" else "reply_to"
        return keys.item_table(posts, column).select("row", "key")
    if kind == "domain":
        return keys.domain_table(posts)
    column = {"hashtag": "hashtags", "media": "media"}.get(kind, kind)
    return keys.list_table(posts, column)


_EVENT_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("eid", pa.int64()),
        ("row", pa.int64()),
        ("acc", pa.int64()),
        ("ts", pa.int64()),
        ("key", pa.int64()),
        ("value", pa.string()),
    ]
)
_EVENT_DDL = "kind string, eid long, row long, acc long, ts long, key long, value string"


def _events_task(kinds: tuple[str, ...]):
    """posts -> one event per (post, key) of every kind in ``kinds`` (not text)."""

    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            frame = pl.from_arrow(pa.Table.from_batches([batch]))
            assert isinstance(frame, pl.DataFrame)
            for kind in kinds:
                table = kind_table(frame, kind)
                if table.height == 0:
                    continue
                pos = table["row"]
                value = (
                    table["value"].cast(pl.String)
                    if "value" in table.columns
                    else pl.Series("value", [None] * table.height, pl.String)
                )
                out = pl.DataFrame(
                    {
                        "row": frame["row"].gather(pos),
                        "acc": frame["acc"].gather(pos),
                        "ts": frame["timestamp"].gather(pos),
                        "key": table["key"].cast(pl.Int64),
                        "value": value,
                    }
                ).with_columns(
                    (
                        pl.col("row") * EID + pl.int_range(pl.len(), dtype=pl.Int64).over("row")
                    ).alias("eid")
                )
                yield pa.RecordBatch.from_pydict(
                    {
                        "kind": pa.array([kind] * out.height, pa.string()),
                        "eid": pa.array(out["eid"].to_numpy(), pa.int64()),
                        "row": pa.array(out["row"].to_numpy(), pa.int64()),
                        "acc": pa.array(out["acc"].to_numpy(), pa.int64()),
                        "ts": pa.array(out["ts"].to_numpy(), pa.int64()),
                        "key": pa.array(out["key"].to_numpy(), pa.int64()),
                        "value": pa.array(out["value"].to_list(), pa.string()),
                    },
                    schema=_EVENT_SCHEMA,
                )

    return task


def _events(sposts: DataFrame, text_df: DataFrame | None, kinds: tuple[str, ...]) -> DataFrame:
    """``kind, eid, row, acc, ts, key, value`` for every co-action kind."""
    from pyspark.sql import functions as F

    parts = []
    if text_df is not None:
        parts.append(
            text_df.join(sposts.select("row", "acc", F.col("timestamp").alias("ts")), "row").select(
                F.lit("text").alias("kind"),
                (F.col("row") * F.lit(EID)).alias("eid"),
                "row",
                "acc",
                "ts",
                F.col("cluster").alias("key"),
                F.lit(None).cast("string").alias("value"),
            )
        )
    others = tuple(k for k in kinds if k != "text")
    if others:
        wanted = ["urls", "repost_of", "reply_to", "hashtags", "media"]
        wanted += [k for k in others if k.startswith("key:")]
        cols = ["row", "acc", "timestamp", *(c for c in wanted if c in sposts.columns)]
        parts.append(
            sposts.select([F.col(f"`{c}`") for c in cols]).mapInArrow(
                _events_task(others), _EVENT_DDL
            )
        )
    if not parts:
        return sposts.sparkSession.createDataFrame([], _EVENT_DDL)
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p)
    return out


# --------------------------------------------------------------------------- engine


def detect_spark(
    spark: SparkSession,
    posts: pl.DataFrame,
    actions: pl.DataFrame | None = None,
    params: Params | None = None,
    stage: StageFn = _noop,
) -> Result:
    """Run every detector with Spark doing the heavy lifting; same result as ``detect``."""
    params = params or Params()
    _use_this_python(spark)
    timings: dict[str, float] = {}
    t = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[name] = round(now - t, 3)
        t = now
        stage(name)

    held: list[DataFrame] = []
    try:
        edges, pairs, ev = _coaction(spark, posts, params, held, mark)
    finally:
        for frame in held:
            frame.unpersist()
    return assemble(posts, actions, edges, pairs, ev, params, mark, timings)


def _coaction(
    spark: SparkSession,
    posts: pl.DataFrame,
    params: Params,
    held: list[DataFrame],
    mark: StageFn,
) -> tuple[pl.DataFrame, dict[str, coaction.Pairs], Events]:
    """Thresholded account edges, co-acting post pairs and keyed events (what the local
    engine's ``build_events`` and ``coaction_edges`` give)."""
    acc, names = account_codes(posts)
    ts = posts["timestamp"].to_numpy()
    indexed = posts.with_row_index("row").with_columns(
        pl.col("row").cast(pl.Int64), pl.Series("acc", acc, dtype=pl.Int64)
    )
    sposts = spark.createDataFrame(_spark_table(indexed))
    sposts = cached(sposts.repartition(max(2, spark.sparkContext.defaultParallelism)), held)
    ev = Events()
    text_df = None
    if "text" in params.kinds:
        text_df, stats = text_clusters(spark, sposts, params, held)
        text_df = cached(text_df, held)
        tc = _collect(text_df).sort("row")
        ev.text_clusters = tc
        ev.rows["text"] = tc["row"].to_numpy()
        ev.keys["text"] = tc["cluster"].to_numpy()
        ev.stats.update(stats)
    mark("texts")
    if "link" in params.kinds or "domain" in params.kinds:
        ev.links = keys.link_table(posts)
        if "link" in params.kinds:
            ev.rows["link"] = ev.links["row"].to_numpy()
            ev.keys["link"] = ev.links["key"].to_numpy()
    events = cached(_events(sposts, text_df, params.kinds), held)
    mark("links")
    per_kind: list[pl.DataFrame] = []
    if params.scoring == "null":
        pairs_df, collected, summaries = null_model(spark, events, params, held)
        pairs = _split_pairs(collected, params.kinds)
        for kind in params.kinds:
            summary = summaries.get(kind)
            if summary is None:  # the input has no event of the kind
                ev.stats.setdefault("null_model", {})[kind] = {
                    "heavy_keys": 0,
                    "events": 0,
                    "pairs": 0,
                }
                continue
            # the per-kind edge test (scoring.baseline_rates and score_candidates)
            edges_k, stats_k = kind_edges(summary, params)
            ev.stats.setdefault("null_model", {})[kind] = stats_k
            if kind in RELAY_KINDS and params.relay_min_items > 0 and edges_k.height:
                if kind == "domain" and kind not in ev.rows:
                    domains = keys.domain_table(posts)
                    ev.rows[kind] = domains["row"].to_numpy()
                    ev.keys[kind] = domains["key"].to_numpy()
                # relays of a prolific source, as the local engine takes them out
                edges_k = drop_relays(kind, edges_k, pairs[kind], ev, acc, ts, names, params)
            per_kind.append(edges_k.rename({c: f"{kind}_{c}" for c in NULL_COLUMNS}))
    else:
        pairs_df = cached(coacting_pairs(events, ["kind", "key"], (params.window,)), held)
        pairs = _split_pairs(
            _collect(pairs_df.select("kind", "left", "right", "key")), params.kinds
        )
        per_kind = _ratio_edges(events, pairs_df, params)
    for kind in params.kinds:
        if _is_list_kind(kind):
            ev.labels[kind] = pl.DataFrame(schema={"key": pl.Int64, "value": pl.String})
    ev.labels.update(_labels(events, pairs_df, params.kinds))
    edges = combine_edges(per_kind, params.kinds)
    name_arr = np.array(names, dtype=object)
    edges = edges.with_columns(
        pl.Series("source", name_arr[edges["a"].to_numpy()], dtype=pl.String),
        pl.Series("target", name_arr[edges["b"].to_numpy()], dtype=pl.String),
    ).drop("a", "b")
    edges = finish_edges(edges, params.kinds, params.scoring)
    mark("coaction")
    return edges, pairs, ev


def _ratio_edges(events: DataFrame, pairs_df: DataFrame, params: Params) -> list[pl.DataFrame]:
    """The first version's test per kind: ``a, b, <kind>_shared, <kind>_ratio``."""
    from pyspark.sql import functions as F

    directed = (
        pairs_df.select(
            "kind", F.col("al").alias("x"), F.col("ar").alias("y"), F.col("left").alias("row")
        )
        .union(
            pairs_df.select(
                "kind", F.col("ar").alias("x"), F.col("al").alias("y"), F.col("right").alias("row")
            )
        )
        .distinct()
        .groupBy("kind", "x", "y")
        .count()
    )
    shared = (
        directed.groupBy("kind", F.least("x", "y").alias("a"), F.greatest("x", "y").alias("b"))
        .agg(F.min("count").alias("shared"))
        .filter(F.col("shared") >= params.min_shared)
    )
    activity = events.groupBy("kind", "acc").count()
    scored = (
        shared.join(
            activity.withColumnRenamed("acc", "a").withColumnRenamed("count", "n_a"),
            ["kind", "a"],
        )
        .join(
            activity.withColumnRenamed("acc", "b").withColumnRenamed("count", "n_b"),
            ["kind", "b"],
        )
        .withColumn(
            "ratio", F.col("shared") / F.greatest(F.sqrt(F.col("n_a") * F.col("n_b")), F.lit(1.0))
        )
        .filter(F.col("ratio") >= params.min_ratio)
        .select("kind", "a", "b", "shared", "ratio")
    )
    found = _collect(scored)
    out = []
    for kind in params.kinds:
        part = found.filter(pl.col("kind") == kind)
        out.append(
            part.select(
                pl.col("a").cast(pl.Int64),
                pl.col("b").cast(pl.Int64),
                pl.col("shared").cast(pl.Int64).alias(f"{kind}_shared"),
                pl.col("ratio").cast(pl.Float64).alias(f"{kind}_ratio"),
            )
        )
    return out


def _collect(frame: DataFrame) -> pl.DataFrame:
    out = pl.from_arrow(frame.toArrow())
    assert isinstance(out, pl.DataFrame)
    return out


def _spark_table(frame: pl.DataFrame) -> pa.Table:
    """``frame`` as an Arrow table of the types Spark accepts, one chunk a column (an
    empty input too)."""
    table = frame.to_arrow()
    schema = _spark_schema(frame)
    columns = [table.column(i).combine_chunks().cast(f.type) for i, f in enumerate(schema)]
    return pa.Table.from_arrays(columns, schema=schema)


def _spark_schema(frame: pl.DataFrame) -> pa.Schema:
    """Arrow types Spark accepts (plain strings and lists, not views)."""
    table = frame.head(0).to_arrow()
    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_string_view(t) or pa.types.is_large_string(t):
            t = pa.string()
        elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t):
            t = pa.list_(pa.string())
        elif pa.types.is_unsigned_integer(t):
            t = pa.int64()
        fields.append(pa.field(f.name, t))
    return pa.schema(fields)


def _split_pairs(got: pl.DataFrame, kinds: tuple[str, ...]) -> dict[str, coaction.Pairs]:
    """Co-acting post pairs (``kind, left, right, key``) per kind: rows, and the key (not
    the episode) of each, as the local engine gives them."""
    out = {}
    for kind in kinds:
        part = got.filter(pl.col("kind") == kind)
        out[kind] = coaction.Pairs(
            kind,
            part["left"].to_numpy().astype(np.int64),
            part["right"].to_numpy().astype(np.int64),
            part["key"].to_numpy().astype(np.int64),
        )
    return out


def _labels(
    events: DataFrame, pairs_df: DataFrame, kinds: tuple[str, ...]
) -> dict[str, pl.DataFrame]:
    """``key -> value`` of the list kinds' keys that co-acted (what the evidence names)."""
    from pyspark.sql import functions as F

    listed = [k for k in kinds if _is_list_kind(k)]
    if not listed:
        return {}
    used = pairs_df.filter(F.col("kind").isin(listed)).select("kind", "key").distinct()
    found = _collect(
        events.filter(F.col("kind").isin(listed) & F.col("value").isNotNull())
        .select("kind", "key", "value")
        .join(used, ["kind", "key"], "left_semi")
        .dropDuplicates(["kind", "key"])
    )
    return {
        kind: found.filter(pl.col("kind") == kind).select("key", "value")
        for kind in listed
        if found.filter(pl.col("kind") == kind).height
    }
