"""The same detectors on Apache Spark (PySpark), for inputs beyond one machine.

Spark does the heavy, data-parallel work: text normalisation and hashing, MinHash
signatures and LSH buckets (inside ``mapInArrow`` tasks that call the very functions the
local engine uses), candidate verification, the windowed self-join of every co-action
kind, and the edge aggregation. The driver receives what is small by then: verified
near-identical pairs (connected components), thresholded edges (Leiden), and the pairs
inside groups (evidence). Given the same input and parameters it returns the same edges
and campaigns as :func:`amparo.engines.campaigns.detect.detect`; a test checks this.

It runs the first version's detectors, ``Params.base()`` (one window, the ratio test,
character shingles of normalised texts, the four kinds of the literature); the null
model, paraphrases by words, folding, the extra kinds and flash mobs are local only, and
:func:`check_supported` says so instead of silently giving other results.

Differences that can only matter at extreme scale: the local sweep pairs each post with
at most ``max_span`` posts of one key inside one window, Spark pairs them all; and the
driver still holds the canonical posts table to write the evidence.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import pyarrow as pa

from . import coaction, keys, minhash
from .detect import Events, Result, StageFn, _noop, assemble, finish_edges
from .model import BASE_KINDS, Params
from .normalise import HASH_SEED, normalise_expr

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_SIG_BYTES = minhash.NUM_BINS * 4


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


# --------------------------------------------------------------------------- tasks


def _text_task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """posts (row, text, repost_of) -> (row, norm, h), as keys.text_table does."""
    for batch in batches:
        frame = pl.from_arrow(pa.Table.from_batches([batch]))
        assert isinstance(frame, pl.DataFrame)
        eligible = (
            frame.filter(pl.col("repost_of").is_null() & pl.col("text").is_not_null())
            .select("row", normalise_expr(pl.col("text")).alias("norm"))
            .filter(pl.col("norm").str.len_bytes() > 0)
        )
        out = eligible.select(
            "row",
            "norm",
            pl.col("norm").hash(seed=HASH_SEED).reinterpret(signed=True).alias("h"),
        )
        yield from out.to_arrow().to_batches()


def _signature_task(shingle: int, bands: int, rows: int):
    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            frame = pl.from_arrow(pa.Table.from_batches([batch]))
            assert isinstance(frame, pl.DataFrame)
            if frame.height == 0:
                continue
            sig = minhash.signatures(frame["norm"], k=shingle)
            bk = minhash.band_keys(sig, bands, rows).view(np.int64)
            doc_major = np.ascontiguousarray(sig.T)
            yield pa.RecordBatch.from_pydict(
                {
                    "h": pa.array(frame["h"].to_numpy(), type=pa.int64()),
                    "sig": pa.array([r.tobytes() for r in doc_major], type=pa.binary()),
                    "bkeys": pa.array(bk.tolist(), type=pa.list_(pa.int64())),
                }
            )

    return task


def _verify_task(threshold: float):
    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            m = batch.num_rows
            if m == 0:
                continue
            lo = np.frombuffer(b"".join(batch.column("sig_lo").to_pylist()), dtype=np.uint32)
            hi = np.frombuffer(b"".join(batch.column("sig_hi").to_pylist()), dtype=np.uint32)
            sig = np.concatenate([lo.reshape(m, -1), hi.reshape(m, -1)]).T.copy()
            idx = np.arange(m, dtype=np.int64)
            sim = minhash.pair_similarity(sig, np.stack([idx, idx + m], axis=1), floor=threshold)
            yield pa.RecordBatch.from_pydict(
                {
                    "lo": batch.column("lo"),
                    "hi": batch.column("hi"),
                    "sim": pa.array(sim, type=pa.float32()),
                }
            )

    return task


# --------------------------------------------------------------------------- stages


def _text_clusters(
    spark: SparkSession, sposts: DataFrame, params: Params
) -> tuple[DataFrame, dict[str, Any]]:
    """Spark frame (row, cluster, h) with the local engine's cluster keys."""
    from pyspark.sql import functions as F

    texts = (
        sposts.select("row", "text", "repost_of")
        .mapInArrow(_text_task, "row long, norm string, h long")
        .cache()
    )
    uniq = texts.groupBy("h").agg(F.first("norm").alias("norm"))
    long = uniq.filter(F.length("norm") >= params.min_chars)
    bands, rows = minhash.choose_bands(params.threshold)
    signed = long.mapInArrow(
        _signature_task(params.shingle, bands, rows), "h long, sig binary, bkeys array<long>"
    ).cache()
    buckets = signed.select("h", F.posexplode("bkeys").alias("band", "bkey"))
    # Inside a bucket, in the order of h: every member with its neighbour and with the
    # first member, exactly as minhash.candidate_pairs does.
    from pyspark.sql.window import Window

    w = Window.partitionBy("band", "bkey").orderBy("h")
    ranked = buckets.withColumn("prev", F.lag("h").over(w)).withColumn(
        "first", F.first("h").over(w)
    )
    cand = (
        ranked.select(F.col("prev").alias("a"), F.col("h").alias("b"))
        .union(ranked.select(F.col("first").alias("a"), F.col("h").alias("b")))
        .filter(F.col("a").isNotNull() & (F.col("a") != F.col("b")))
        .select(F.least("a", "b").alias("lo"), F.greatest("a", "b").alias("hi"))
        .distinct()
    )
    sigs = signed.select("h", "sig")
    joined = (
        cand.join(sigs.withColumnRenamed("h", "lo").withColumnRenamed("sig", "sig_lo"), "lo")
        .join(sigs.withColumnRenamed("h", "hi").withColumnRenamed("sig", "sig_hi"), "hi")
        .select("lo", "hi", "sig_lo", "sig_hi")
    )
    verified = joined.mapInArrow(_verify_task(params.threshold), "lo long, hi long, sim float")
    ok = verified.filter(F.col("sim") >= F.lit(params.threshold - 1e-6)).select("lo", "hi")
    pairs = pl.from_arrow(ok.toArrow())
    long_h = pl.from_arrow(long.select("h").toArrow())
    assert isinstance(pairs, pl.DataFrame) and isinstance(long_h, pl.DataFrame)
    # connected components on the driver, cluster = smallest h (as keys.cluster_keys)
    hs = np.sort(long_h["h"].to_numpy())
    lo_i = np.searchsorted(hs, pairs["lo"].to_numpy())
    hi_i = np.searchsorted(hs, pairs["hi"].to_numpy())
    labels = minhash.cluster_labels(len(hs), np.stack([lo_i, hi_i], axis=1).astype(np.int64))
    smallest = np.full(len(hs), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, labels, hs)
    mapping = spark.createDataFrame(pa.table({"h": hs, "cluster": smallest[labels]}))
    clusters = texts.join(mapping, "h", "left").select(
        "row", F.coalesce("cluster", "h").alias("cluster"), "h"
    )
    stats = {"hashed_texts": len(hs), "verified_pairs": pairs.height}
    return clusters, stats


def _events(spark: SparkSession, sposts: DataFrame, ev_text: DataFrame | None, kinds) -> DataFrame:
    """(row, account, ts, kind, key) for every co-action kind."""
    from pyspark.sql import functions as F

    base = sposts.select("row", "account", F.col("timestamp").alias("ts"))
    parts = []
    if ev_text is not None:
        parts.append(
            ev_text.select(
                "row", F.lit("text").alias("kind"), F.col("cluster").cast("string").alias("key")
            )
        )
    if "link" in kinds:
        links = sposts.filter(F.col("repost_of").isNull()).select(
            "row", F.explode("urls").alias("key")
        )
        parts.append(links.select("row", F.lit("link").alias("kind"), "key"))
    for kind, column in (("repost", "repost_of"), ("reply", "reply_to")):
        if kind in kinds:
            parts.append(
                sposts.filter(F.col(column).isNotNull()).select(
                    "row", F.lit(kind).alias("kind"), F.col(column).alias("key")
                )
            )
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p)
    return out.join(base, "row")


def detect_spark(
    spark: SparkSession,
    posts: pl.DataFrame,
    actions: pl.DataFrame | None = None,
    params: Params | None = None,
    stage: StageFn = _noop,
) -> Result:
    """Run every detector with Spark doing the heavy lifting; same result as ``detect``."""
    from pyspark.sql import functions as F

    params = params or Params.base()
    check_supported(params)
    _use_this_python(spark)
    timings: dict[str, float] = {}
    t = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[name] = round(now - t, 3)
        t = now
        stage(name)

    indexed = posts.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    sposts = spark.createDataFrame(indexed.to_arrow().cast(_spark_schema(indexed)))
    sposts = sposts.repartition(max(2, spark.sparkContext.defaultParallelism)).cache()
    ev = Events()
    text_df = None
    if "text" in params.kinds:
        text_df, stats = _text_clusters(spark, sposts, params)
        text_df = text_df.cache()
        tc = pl.from_arrow(text_df.toArrow())
        assert isinstance(tc, pl.DataFrame)
        tc = tc.sort("row")
        ev.text_clusters = tc
        ev.stats.update(stats)
        ev.stats["unique_texts"] = tc["h"].n_unique()
    mark("texts")
    if "link" in params.kinds:
        ev.links = keys.link_table(posts)
    mark("links")
    events = _events(spark, sposts, text_df, params.kinds).cache()
    w = params.window
    e = events.withColumn("bucket", F.floor(F.col("ts") / F.lit(w)).cast("long"))
    e1 = e.alias("e1")
    e2 = e.alias("e2").withColumn("bucket", F.col("bucket") - 1).unionByName(e.alias("e2"))
    pairs_df = (
        e1.join(
            e2.alias("e2"),
            (F.col("e1.kind") == F.col("e2.kind"))
            & (F.col("e1.key") == F.col("e2.key"))
            & (F.col("e1.bucket") == F.col("e2.bucket")),
        )
        .filter(
            (F.col("e1.account") != F.col("e2.account"))
            & (F.col("e2.ts") - F.col("e1.ts") <= w)
            & (
                (F.col("e2.ts") > F.col("e1.ts"))
                | ((F.col("e2.ts") == F.col("e1.ts")) & (F.col("e2.row") > F.col("e1.row")))
            )
        )
        .select(
            F.col("e1.kind").alias("kind"),
            F.col("e1.row").alias("left"),
            F.col("e2.row").alias("right"),
            F.col("e1.account").alias("acc_l"),
            F.col("e2.account").alias("acc_r"),
            F.col("e1.key").alias("key"),
        )
        .distinct()
        .cache()
    )
    directed = (
        pairs_df.select(
            "kind", F.col("acc_l").alias("x"), F.col("acc_r").alias("y"), F.col("left").alias("row")
        )
        .union(
            pairs_df.select(
                "kind",
                F.col("acc_r").alias("x"),
                F.col("acc_l").alias("y"),
                F.col("right").alias("row"),
            )
        )
        .distinct()
        .groupBy("kind", "x", "y")
        .count()
    )
    shared = (
        directed.select(
            "kind",
            F.least("x", "y").alias("source"),
            F.greatest("x", "y").alias("target"),
            "count",
        )
        .groupBy("kind", "source", "target")
        .agg(F.min("count").alias("shared"))
        .filter(F.col("shared") >= params.min_shared)
    )
    activity = events.groupBy("kind", "account").count()
    scored = (
        shared.join(
            activity.withColumnRenamed("account", "source").withColumnRenamed("count", "n_s"),
            ["kind", "source"],
        )
        .join(
            activity.withColumnRenamed("account", "target").withColumnRenamed("count", "n_t"),
            ["kind", "target"],
        )
        .withColumn(
            "ratio", F.col("shared") / F.greatest(F.sqrt(F.col("n_s") * F.col("n_t")), F.lit(1.0))
        )
        .filter(F.col("ratio") >= params.min_ratio)
        .select("kind", "source", "target", "shared", "ratio")
    )
    long_edges = pl.from_arrow(scored.toArrow())
    assert isinstance(long_edges, pl.DataFrame)
    edges = _wide_edges(long_edges, params.kinds)
    pairs = _collect_pairs(pairs_df, posts, params.kinds)
    mark("coaction")
    return assemble(posts, actions, edges, pairs, ev, params, mark, timings)


def check_supported(params: Params) -> None:
    """The Spark engine runs the first version's detectors (``Params.base()``): one
    window, the ratio test, normalised (not folded) texts compared by character shingles,
    the four kinds of the literature, no flash mobs. The null model, word similarity,
    folding, the extra kinds and flash mobs run on the local engine only."""
    problems = []
    if params.scoring != "ratio":
        problems.append("scoring='null'")
    if len(params.windows) != 1:
        problems.append("several windows")
    if params.fold:
        problems.append("fold=True")
    if params.word_threshold > 0:
        problems.append("word_threshold > 0")
    extra = [k for k in params.kinds if k not in BASE_KINDS]
    if extra:
        problems.append("kinds " + ", ".join(extra))
    if params.mob_min_accounts > 0:
        problems.append("flash mobs (mob_min_accounts > 0)")
    if problems:
        raise ValueError(
            "the Spark engine runs Params.base() only; not supported: "
            + "; ".join(problems)
            + " (run them with the local engine)"
        )


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


def _wide_edges(long_edges: pl.DataFrame, kinds: tuple[str, ...]) -> pl.DataFrame:
    if long_edges.height == 0:
        return finish_edges(pl.DataFrame(schema={"source": pl.String, "target": pl.String}), kinds)
    wide = None
    for kind in kinds:
        part = long_edges.filter(pl.col("kind") == kind).select(
            "source",
            "target",
            pl.col("shared").cast(pl.Int64).alias(f"{kind}_shared"),
            pl.col("ratio").cast(pl.Float64).alias(f"{kind}_ratio"),
        )
        wide = (
            part
            if wide is None
            else wide.join(part, on=["source", "target"], how="full", coalesce=True)
        )
    assert wide is not None
    return finish_edges(wide, kinds)


def _collect_pairs(pairs_df: DataFrame, posts: pl.DataFrame, kinds) -> dict[str, coaction.Pairs]:
    """Co-acting post pairs per kind as positions, keyed as the local engine keys them."""
    got = pl.from_arrow(pairs_df.select("kind", "left", "right", "key").toArrow())
    assert isinstance(got, pl.DataFrame)
    out = {}
    for kind in kinds:
        part = got.filter(pl.col("kind") == kind)
        if kind == "text":
            k = part["key"].cast(pl.Int64).to_numpy()
        else:
            k = keys.string_keys(part["key"].cast(pl.String))
        out[kind] = coaction.Pairs(
            kind,
            part["left"].to_numpy().astype(np.int64),
            part["right"].to_numpy().astype(np.int64),
            k,
        )
    return out
