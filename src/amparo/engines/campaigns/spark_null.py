"""Co-acting pairs and the null model of :mod:`.scoring` on Spark.

:func:`coacting_pairs` is the windowed self-join both edge tests start from: events are
bucketed by ``floor(time / widest window)`` and joined with their own and the next bucket,
so every pair of events on one key by two accounts within the window is found once (the
earlier event on the left), with the index of the narrowest window that holds it.

:func:`null_model` then does, for every kind at once, what :func:`.scoring.null_edges`
does with NumPy: episodes of each key (window functions), the light-key filter, the
per-pair directed counts per window, and, once the candidate pairs are known, the odd
keys, the per-class pair counts of the baseline and the shared-keys summary of the
candidates. Only those summaries reach the driver, where :func:`kind_edges` calls the
same functions of :mod:`.scoring` as the local engine (``baseline_rates``,
``score_candidates``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from . import scoring
from .model import Params

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: Episode key columns: the kind, the key and the episode of the key.
EPISODE = ["kind", "key", "ep"]


def cached(frame: DataFrame, held: list[DataFrame]) -> DataFrame:
    """``frame``, cached, and listed in ``held`` for the caller to unpersist."""
    frame = frame.cache()
    held.append(frame)
    return frame


def coacting_pairs(events: DataFrame, on: list[str], windows: tuple[int, ...]) -> DataFrame:
    """Pairs of ``events`` (``kind, eid, row, acc, ts, key``, ...) equal on ``on``, by
    different accounts, at most ``windows[-1]`` seconds apart: ``on..., left, right, al,
    ar, l_eid, r_eid, widx`` (rows, accounts and events of the earlier and the later one;
    ``widx``: index of the first window that holds the pair)."""
    from pyspark.sql import functions as F

    wmax = windows[-1]
    e = events.withColumn("bucket", F.floor(F.col("ts") / F.lit(wmax)).cast("long"))
    left = e.select(
        *on,
        "bucket",
        F.col("eid").alias("l_eid"),
        F.col("row").alias("left"),
        F.col("acc").alias("al"),
        F.col("ts").alias("tl"),
    )
    later = e.select(
        *on,
        "bucket",
        F.col("eid").alias("r_eid"),
        F.col("row").alias("right"),
        F.col("acc").alias("ar"),
        F.col("ts").alias("tr"),
    )
    # an event of the next bucket meets this bucket's events through its shifted copy
    right = later.unionByName(later.withColumn("bucket", F.col("bucket") - 1))
    dt = F.col("tr") - F.col("tl")
    widx = sum((F.when(dt > w, 1).otherwise(0) for w in windows[:-1]), F.lit(0))
    return (
        left.join(right, [*on, "bucket"])
        .filter(
            (F.col("al") != F.col("ar"))
            & (dt <= wmax)
            & ((dt > 0) | ((dt == 0) & (F.col("r_eid") > F.col("l_eid"))))
        )
        .select(*on, "left", "right", "al", "ar", "l_eid", "r_eid", widx.alias("widx"))
    )


@dataclass
class KindSummary:
    """What the null model's edge test of one kind needs (see :mod:`.scoring`)."""

    #: ``a, b, c0, c1, ...``: candidate pairs and their co-actions per window (cumulative).
    cand: pl.DataFrame
    #: ``a, b, cls, m, many, n``: the candidates' shared keys (:func:`.scoring.shared_keys`).
    shared: pl.DataFrame
    #: Per class and window (cumulative), clean pairs within it; per class, clean pairs.
    within: np.ndarray
    total: np.ndarray
    #: The same over every pair.
    all_within: np.ndarray
    all_total: np.ndarray
    #: Seconds from the kind's first light event to its last.
    span: float
    stats: dict[str, Any] = field(default_factory=dict)


def kind_edges(summary: KindSummary, params: Params) -> tuple[pl.DataFrame, dict[str, Any]]:
    """One kind's edges (``a, b, shared, expected, score, window``) and statistics, from
    the summaries, by the functions :func:`.scoring.null_edges` calls."""
    stats = dict(summary.stats)
    if summary.cand.height == 0:
        return _empty_edges(), stats
    prior = scoring.chance_prior(params.windows, summary.span)
    rho = scoring.baseline_rates(
        summary.within, summary.total, summary.all_within, summary.all_total, prior=prior
    )
    stats["rho"] = np.round(rho, 5).tolist()
    edges, threshold = scoring.score_candidates(
        summary.cand,
        summary.shared,
        rho,
        params.windows,
        min_shared=params.min_shared,
        min_score=params.min_score,
        false_edges=params.false_edges,
        min_support=params.min_support,
    )
    stats["min_score"] = round(threshold, 2)
    stats["supported"] = int((edges["score"] < threshold).sum())
    return edges, stats


def _empty_edges() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "a": pl.Int64,
            "b": pl.Int64,
            "shared": pl.Int64,
            "expected": pl.Float64,
            "score": pl.Float64,
            "window": pl.Int64,
        }
    )


def _collect(frame: DataFrame) -> pl.DataFrame:
    out = pl.from_arrow(frame.toArrow())
    assert isinstance(out, pl.DataFrame)
    return out


def null_model(
    spark: SparkSession, events: DataFrame, params: Params, held: list[DataFrame]
) -> tuple[DataFrame, pl.DataFrame, dict[str, KindSummary]]:
    """Co-acting pairs of light keys (a Spark frame of ``kind, key, left, right``, ...,
    and the same four columns collected), and each kind's summary for :func:`kind_edges`;
    the frames it caches are added to ``held``."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    windows = params.windows
    nw = len(windows)
    wmax = windows[-1]
    # Episodes: a new one starts after episode_gap seconds without an event of the key.
    order = Window.partitionBy("kind", "key").orderBy("ts", "eid")
    prev = F.lag("ts").over(order)
    new = F.when(prev.isNull() | (F.col("ts") - prev > params.episode_gap), 1).otherwise(0)
    running = order.rowsBetween(Window.unboundedPreceding, Window.currentRow)
    ev = events.withColumn("new", new).withColumn("ep", F.sum("new").over(running)).drop("new")
    ev = cached(ev, held)
    per_ka = ev.groupBy(*EPISODE, "acc").agg(
        F.count(F.lit(1)).alias("c"), F.min("ts").alias("t0"), F.max("ts").alias("t1")
    )
    light = F.col("n") >= 2
    if params.max_key_accounts > 0:
        light = light & (F.col("n") <= params.max_key_accounts)
    per_key = (
        per_ka.groupBy(*EPISODE)
        .agg(
            F.count(F.lit(1)).alias("n"),
            F.sum("c").alias("m"),
            F.sum(F.expr("c * (c - 1) div 2")).alias("same"),
            F.min("t0").alias("t0"),
            F.max("t1").alias("t1"),
        )
        .withColumn("light", light)
    )
    per_key = cached(per_key, held)
    heavy = (
        F.when(F.col("n") > params.max_key_accounts, 1).otherwise(0)
        if params.max_key_accounts > 0
        else F.lit(0)
    )
    # cls = floor(log2(accounts)), exactly: the length of the number in binary, less one
    cls = F.length(F.bin("n")) - 1
    overview = _collect(
        per_key.groupBy("kind").agg(
            F.sum(heavy).alias("heavy"),
            F.sum(F.when(F.col("light"), F.col("m")).otherwise(0)).alias("events"),
            F.min(F.when(F.col("light"), F.col("t0"))).alias("t0"),
            F.max(F.when(F.col("light"), F.col("t1"))).alias("t1"),
            F.max(F.when(F.col("light"), cls)).alias("top_cls"),
        )
    )
    keys_l = per_key.filter("light").select(
        *EPISODE,
        "n",
        cls.alias("cls"),
        F.expr("m * (m - 1) div 2 - same").alias("total"),
        (F.col("t1") - F.col("t0")).alias("span"),
    )
    keys_l = cached(keys_l, held)
    pka = per_ka.join(keys_l.select(*EPISODE), EPISODE, "left_semi").select(*EPISODE, "acc", "c")
    pka = cached(pka, held)
    light_events = ev.join(keys_l.select(*EPISODE), EPISODE, "left_semi")
    pairs = (
        coacting_pairs(light_events, EPISODE, windows)
        .withColumn("a", F.least("al", "ar"))
        .withColumn("b", F.greatest("al", "ar"))
    )
    pairs = cached(pairs, held)
    # the co-acting post pairs are the evidence; their number per kind a statistic
    collected = _collect(pairs.select("kind", "left", "right", "key", "a", "b"))
    n_pairs = dict(collected.group_by("kind").len().iter_rows())
    # kinds where some pair of accounts co-acted min_shared times (the local engine's
    # statistics name their candidates)
    tested = set(
        collected.group_by("kind", "a", "b")
        .len()
        .filter(pl.col("len") >= params.min_shared)["kind"]
        .unique()
        .to_list()
    )
    collected = collected.drop("a", "b")
    # shared[w]: distinct events of x that co-acted with y within w, smaller direction
    often = (
        pairs.groupBy("kind", "a", "b")
        .count()
        .filter(F.col("count") >= params.min_shared)
        .drop("count")
    )
    sel = pairs.join(often, ["kind", "a", "b"], "left_semi")
    directed = (
        sel.select(
            "kind",
            F.col("al").alias("x"),
            F.col("ar").alias("y"),
            F.col("l_eid").alias("p"),
            "widx",
        )
        .unionByName(
            sel.select(
                "kind",
                F.col("ar").alias("x"),
                F.col("al").alias("y"),
                F.col("r_eid").alias("p"),
                "widx",
            )
        )
        .groupBy("kind", "x", "y", "p")
        .agg(F.min("widx").alias("w"))
        .groupBy("kind", "x", "y")
        .agg(*[F.sum(F.when(F.col("w") <= i, 1).otherwise(0)).alias(f"c{i}") for i in range(nw)])
    )
    und = (
        directed.groupBy("kind", F.least("x", "y").alias("a"), F.greatest("x", "y").alias("b"))
        .agg(*[F.min(f"c{i}").cast("long").alias(f"c{i}") for i in range(nw)])
        .filter(F.col(f"c{nw - 1}") >= params.min_shared)
    )
    cand = _collect(und).sort("kind", "a", "b")
    summaries: dict[str, KindSummary] = {}
    for kind, n_heavy, n_events, t0, t1, top_cls in overview.iter_rows():
        stats: dict[str, Any] = {
            "heavy_keys": int(n_heavy or 0),
            "events": int(n_events or 0),
            "pairs": int(n_pairs.get(kind, 0)),
        }
        kind_cand = cand.filter(pl.col("kind") == kind).drop("kind")
        if kind in tested:
            stats["candidates"] = kind_cand.height
        n_cls = int(top_cls) + 1 if top_cls is not None else 1
        z = np.zeros((n_cls, nw))
        summaries[kind] = KindSummary(
            cand=kind_cand,
            shared=pl.DataFrame(),
            within=z.copy(),
            total=np.zeros(n_cls),
            all_within=z.copy(),
            all_total=np.zeros(n_cls),
            span=float((t1 or 0) - (t0 or 0)),
            stats=stats,
        )
    if cand.height == 0:
        return pairs, collected, summaries
    _baseline_counts(spark, cand, pairs, pka, keys_l, summaries, wmax, held)
    return pairs, collected, summaries


def _baseline_counts(
    spark: SparkSession,
    cand: pl.DataFrame,
    pairs: DataFrame,
    pka: DataFrame,
    keys_l: DataFrame,
    summaries: dict[str, KindSummary],
    wmax: int,
    held: list[DataFrame],
) -> None:
    """Fill the summaries of the kinds with candidates: odd keys (:func:`.scoring.suspicion`),
    per-class pair counts (:func:`.scoring.baseline`) and shared keys
    (:func:`.scoring.shared_keys`)."""
    from pyspark.sql import functions as F

    kinds = cand["kind"].unique().to_list()
    suspects = pl.concat(
        [
            cand.select("kind", pl.col("a").alias("acc")),
            cand.select("kind", pl.col("b").alias("acc")),
        ]
    ).unique()
    sus = F.broadcast(spark.createDataFrame(suspects.to_arrow()).withColumn("suspect", F.lit(1)))
    in_kinds = F.col("kind").isin(kinds)
    # odd keys: half their accounts suspects, or 8 accounts or more within the widest window
    odd = (
        pka.filter(in_kinds)
        .join(sus, ["kind", "acc"], "left")
        .groupBy(*EPISODE)
        .agg(F.count(F.lit(1)).alias("n"), F.count("suspect").alias("s"))
        .join(keys_l.select(*EPISODE, "span"), EPISODE)
        .select(
            *EPISODE,
            ((2 * F.col("s") >= F.col("n")) | ((F.col("n") >= 8) & (F.col("span") <= wmax))).alias(
                "odd"
            ),
        )
    )
    classes = keys_l.filter(in_kinds).join(odd, EPISODE).select(*EPISODE, "cls", "total", "odd")
    classes = cached(classes, held)
    sa = sus.select("kind", F.col("acc").alias("al"), F.col("suspect").alias("sa"))
    sb = sus.select("kind", F.col("acc").alias("ar"), F.col("suspect").alias("sb"))
    both = F.col("sa").isNotNull() & F.col("sb").isNotNull()
    per_class = _collect(
        pairs.filter(in_kinds)
        .join(classes.select(*EPISODE, "cls", "odd"), EPISODE)
        .join(sa, ["kind", "al"], "left")
        .join(sb, ["kind", "ar"], "left")
        .groupBy("kind", "cls", "widx")
        .agg(
            F.count(F.lit(1)).alias("all"),
            F.sum(F.when(~both & ~F.col("odd"), 1).otherwise(0)).alias("clean"),
        )
    )
    totals = _collect(
        classes.groupBy("kind", "cls").agg(
            F.sum("total").alias("all"),
            F.sum(F.when(~F.col("odd"), F.col("total")).otherwise(0)).alias("clean"),
        )
    )
    with_cls = pka.filter(in_kinds).join(classes.select(*EPISODE, "cls", "odd"), EPISODE)
    pairs_c = spark.createDataFrame(cand.select("kind", "a", "b").to_arrow())
    both_keys = pairs_c.join(
        with_cls.select(*EPISODE, F.col("acc").alias("a"), F.col("c").alias("c_a"), "cls", "odd"),
        ["kind", "a"],
    ).join(pka.select(*EPISODE, F.col("acc").alias("b"), F.col("c").alias("c_b")), [*EPISODE, "b"])
    shared = _collect(
        both_keys.groupBy(
            "kind",
            "a",
            "b",
            "cls",
            F.least("c_a", "c_b").alias("m"),
            F.greatest("c_a", "c_b").alias("many"),
        ).agg(F.count(F.lit(1)).alias("n"))
    ).sort("kind", "a", "b", "cls", "m", "many")
    mine = _collect(
        both_keys.filter(~F.col("odd"))
        .groupBy("kind", "cls")
        .agg(F.sum(F.col("c_a") * F.col("c_b")).alias("mine"))
    )
    for kind in kinds:
        s = summaries[kind]
        n_cls = len(s.total)
        counts = np.zeros((n_cls, len(s.within[0])))
        clean = np.zeros_like(counts)
        for _k, c, w, n_all, n_clean in per_class.filter(pl.col("kind") == kind).iter_rows():
            counts[c, w] += n_all
            clean[c, w] += n_clean
        all_total = np.zeros(n_cls)
        clean_total = np.zeros(n_cls)
        for _k, c, n_all, n_clean in totals.filter(pl.col("kind") == kind).iter_rows():
            all_total[c] += n_all
            clean_total[c] += n_clean
        own = np.zeros(n_cls)
        for _k, c, t in mine.filter(pl.col("kind") == kind).iter_rows():
            own[c] += t
        s.within = np.cumsum(clean, axis=1)
        s.all_within = np.cumsum(counts, axis=1)
        s.total = clean_total - own
        s.all_total = all_total
        s.shared = shared.filter(pl.col("kind") == kind).drop("kind")
