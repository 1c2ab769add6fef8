"""The local engine: all detectors over one machine's memory, vectorised.

``detect(posts, actions, params)`` runs, in order: text clusters (folded texts, character
shingles and content words, :mod:`.textsim`), the co-action sweep for every kind with its
edge test (the null model of :mod:`.scoring`, or the first version's ratio test), Leiden
groups, flash mobs (:mod:`.mobs`), enforcement bursts and their links to groups, and
assembles :class:`~.model.Campaign` objects. The Spark engine (:mod:`.spark`) computes the
same edges at scale and hands them to :func:`assemble`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from . import coaction, keys, scoring, textsim
from .bursts import Burst, detect_bursts, resolve_targets
from .groups import build_graph, leiden_groups
from .model import BURST_KIND, KIND_BY_SIGNAL, Campaign, Params, campaign_id
from .relays import RELAY_KINDS, relay_stats, split_relays

StageFn = Callable[[str], None]

STAGES = ("texts", "links", "coaction", "groups", "mobs", "bursts", "campaigns")


@dataclass
class Events:
    """Keyed events per co-action kind: positions into the posts table and 64-bit keys."""

    rows: dict[str, np.ndarray] = field(default_factory=dict)
    keys: dict[str, np.ndarray] = field(default_factory=dict)
    #: Text cluster of every text post: row, cluster key, text hash.
    text_clusters: pl.DataFrame | None = None
    #: Links: row, url, key.
    links: pl.DataFrame | None = None
    #: For list kinds (hashtags, media, domains, key columns): key -> value.
    labels: dict[str, pl.DataFrame] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    campaigns: list[Campaign]
    edges: pl.DataFrame
    bursts: list[Burst]
    text_clusters: pl.DataFrame
    params: Params
    stats: dict[str, Any]
    posts: pl.DataFrame
    group_of: dict[str, str]


def _noop(_stage: str) -> None:
    return None


def build_events(posts: pl.DataFrame, params: Params, stage: StageFn = _noop) -> Events:
    ev = Events()
    if "text" in params.kinds:
        texts = keys.text_table(posts, fold=params.fold)
        uniq = keys.unique_texts(texts)
        if params.fold or params.word_threshold > 0:
            clusters, stats = textsim.cluster_keys(
                uniq,
                threshold=params.threshold,
                shingle=params.shingle,
                min_chars=params.min_chars,
                word_threshold=params.word_threshold,
                min_words=params.min_words,
                stop_share=params.stop_share,
            )
        else:
            clusters, stats = keys.cluster_keys(
                uniq, threshold=params.threshold, shingle=params.shingle, min_chars=params.min_chars
            )
        ev.stats.update(stats)
        tc = texts.join(clusters, on="h", how="left").select("row", "cluster", "h")
        ev.text_clusters = tc
        ev.rows["text"] = tc["row"].to_numpy()
        ev.keys["text"] = tc["cluster"].to_numpy()
    stage("texts")
    if "link" in params.kinds or "domain" in params.kinds:
        links = keys.link_table(posts)
        ev.links = links
        if "link" in params.kinds:
            ev.rows["link"] = links["row"].to_numpy()
            ev.keys["link"] = links["key"].to_numpy()
    for kind, column in (("repost", "repost_of"), ("reply", "reply_to")):
        if kind in params.kinds:
            items = keys.item_table(posts, column)
            ev.rows[kind] = items["row"].to_numpy()
            ev.keys[kind] = items["key"].to_numpy()
    for kind in params.kinds:
        if kind in ("hashtag", "media", "domain") or kind.startswith("key:"):
            if kind == "domain":
                table = keys.domain_table(posts)
            else:
                column = {"hashtag": "hashtags", "media": "media"}.get(kind, kind)
                table = keys.list_table(posts, column)
            ev.rows[kind] = table["row"].to_numpy()
            ev.keys[kind] = table["key"].to_numpy()
            ev.labels[kind] = table.select("key", "value").unique("key")
    stage("links")
    return ev


def account_codes(posts: pl.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Dense code of each post's account in the sorted order of account names."""
    names = posts["account"].unique().sort()
    codes = posts.select((pl.col("account").rank("dense") - 1).cast(pl.Int64)).to_series()
    return codes.to_numpy(), names.to_list()


def coaction_edges(
    posts: pl.DataFrame, ev: Events, params: Params
) -> tuple[pl.DataFrame, dict[str, coaction.Pairs], list[str], np.ndarray]:
    """Thresholded account edges with per-kind columns, and the co-acting post pairs."""
    acc, names = account_codes(posts)
    ts = posts["timestamp"].to_numpy()
    per_kind: list[pl.DataFrame] = []
    pairs: dict[str, coaction.Pairs] = {}
    for kind in params.kinds:
        if kind not in ev.rows:
            continue
        rows, k = ev.rows[kind], ev.keys[kind]
        if params.scoring == "null":
            res = scoring.null_edges(
                kind,
                k,
                ts[rows],
                acc[rows],
                rows,
                windows=params.windows,
                min_shared=params.min_shared,
                min_score=params.min_score,
                false_edges=params.false_edges,
                max_key_accounts=params.max_key_accounts,
                max_span=params.max_span,
                episode_gap=params.episode_gap,
                min_support=params.min_support,
            )
            pairs[kind] = res.pairs
            ev.stats.setdefault("null_model", {})[kind] = res.stats
            kept = drop_relays(kind, res.edges, res.pairs, ev, acc, ts, names, params)
            per_kind.append(kept.rename({c: f"{kind}_{c}" for c in NULL_COLUMNS}))
            continue
        p = coaction.coaction_pairs(
            kind, k, ts[rows], acc[rows], rows, params.window, params.max_span
        )
        pairs[kind] = p
        activity = coaction.account_activity(acc[rows], len(names))
        e = coaction.edges_from_pairs(
            p, acc, activity, min_shared=params.min_shared, min_ratio=params.min_ratio
        )
        per_kind.append(e.rename({"shared": f"{kind}_shared", "ratio": f"{kind}_ratio"}))
    edges = combine_edges(per_kind, params.kinds)
    name_arr = np.array(names, dtype=object)
    edges = edges.with_columns(
        pl.Series("source", name_arr[edges["a"].to_numpy()], dtype=pl.String),
        pl.Series("target", name_arr[edges["b"].to_numpy()], dtype=pl.String),
    ).drop("a", "b")
    return finish_edges(edges, params.kinds, params.scoring), pairs, names, acc


def drop_relays(
    kind: str,
    edges: pl.DataFrame,
    kind_pairs: coaction.Pairs,
    ev: Events,
    acc: np.ndarray,
    ts: np.ndarray,
    names: list[str],
    params: Params,
) -> pl.DataFrame:
    """The kind's edges without the relays of a prolific source (:mod:`.relays`), which
    are counted in ``ev.stats["relays"]``."""
    if kind not in RELAY_KINDS or params.relay_min_items <= 0 or edges.height == 0:
        return edges
    kept, relayed = split_relays(
        edges,
        kind_pairs,
        ev.keys[kind],
        ev.rows[kind],
        acc,
        ts,
        min_items=params.relay_min_items,
        min_share=params.relay_share,
    )
    stats = relay_stats(relayed, np.array(names, dtype=object))
    ev.stats.setdefault("relays", {})[kind] = stats.as_dict()
    return kept


#: Per-kind edge columns of the null model (``<kind>_shared`` etc.).
NULL_COLUMNS = ("shared", "expected", "score", "window")


def combine_edges(per_kind: list[pl.DataFrame], kinds: tuple[str, ...]) -> pl.DataFrame:
    if not per_kind:
        return pl.DataFrame(schema={"a": pl.Int64, "b": pl.Int64})
    out = per_kind[0]
    for e in per_kind[1:]:
        out = out.join(e, on=["a", "b"], how="full", coalesce=True)
    return out


def finish_edges(edges: pl.DataFrame, kinds: tuple[str, ...], mode: str = "ratio") -> pl.DataFrame:
    """Column order and types every engine returns: source < target, weight = sum of
    the shared keys of the kinds that qualified (and, for the null model, ``score``: the
    best score of any kind)."""
    cols = []
    suffixes: tuple[tuple[str, Any], ...]
    if mode == "null":
        suffixes = (
            ("shared", pl.Int64),
            ("expected", pl.Float64),
            ("score", pl.Float64),
            ("window", pl.Int64),
        )
    else:
        suffixes = (("shared", pl.Int64), ("ratio", pl.Float64))
    names = []
    for kind in kinds:
        for suffix, dtype in suffixes:
            name = f"{kind}_{suffix}"
            names.append(name)
            if name not in edges.columns:
                edges = edges.with_columns(pl.lit(None, dtype).alias(name))
            cols.append(pl.col(name).cast(dtype).fill_null(0))
    edges = edges.with_columns(cols)
    weight = pl.sum_horizontal([pl.col(f"{k}_shared") for k in kinds]).cast(pl.Int64)
    extra = []
    if mode == "null":
        extra = [pl.max_horizontal([pl.col(f"{k}_score") for k in kinds]).alias("score")]
    out = edges.with_columns(weight.alias("weight"), *extra).select(
        "source", "target", "weight", *(["score"] if mode == "null" else []), *names
    )
    if mode != "null":
        out = out.with_columns([pl.col(f"{k}_ratio").round(4) for k in kinds])
    return out.sort("source", "target")


def detect(
    posts: pl.DataFrame,
    actions: pl.DataFrame | None = None,
    params: Params | None = None,
    stage: StageFn = _noop,
) -> Result:
    """Run every detector on canonical ``posts`` (and ``actions``) on this machine."""
    params = params or Params()
    timings: dict[str, float] = {}
    t = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[name] = round(now - t, 3)
        t = now
        stage(name)

    ev = build_events(posts, params, mark)
    edges, pairs, _names, _acc = coaction_edges(posts, ev, params)
    mark("coaction")
    return assemble(posts, actions, edges, pairs, ev, params, mark, timings)


def assemble(
    posts: pl.DataFrame,
    actions: pl.DataFrame | None,
    edges: pl.DataFrame,
    pairs: dict[str, coaction.Pairs],
    ev: Events,
    params: Params,
    mark: StageFn,
    timings: dict[str, float],
) -> Result:
    """Groups, bursts and campaigns from the thresholded edges (shared by both engines)."""
    groups = leiden_groups(
        build_graph(edges),
        min_accounts=params.min_accounts,
        resolution=params.resolution,
        seed=params.seed,
    )
    mark("groups")
    from .mobs import detect_mobs

    mobs = detect_mobs(
        posts, {k: (ev.rows[k], ev.keys[k]) for k in ("text", "link") if k in ev.rows}, params
    )
    # a wave of a group already found is that group's evidence, not a flash mob of its own
    in_groups = {a for g in groups for a in g}
    mobs = [m for m in mobs if 2 * len(in_groups.intersection(m.accounts)) < len(m.accounts)]
    mark("mobs")
    acts = resolve_targets(actions, posts) if actions is not None else None
    bursts = (
        detect_bursts(
            acts,
            bin_seconds=params.burst_bin,
            min_score=params.burst_min_score,
            min_count=params.burst_min_count,
        )
        if acts is not None
        else []
    )
    mark("bursts")
    from .campaigns import build_campaigns

    campaigns, group_of = build_campaigns(posts, groups, pairs, ev, bursts, params, mobs)
    mark("campaigns")
    stats = {
        "posts": posts.height,
        "accounts": posts["account"].n_unique() if posts.height else 0,
        "actions": 0 if actions is None else actions.height,
        "edges": edges.height,
        "groups": len(groups),
        "bursts": len(bursts),
        "flash_mobs": len(mobs),
        "campaigns": len(campaigns),
        "pairs": {k: len(v) for k, v in pairs.items()},
        **ev.stats,
        "seconds": timings,
    }
    clusters = ev.text_clusters if ev.text_clusters is not None else pl.DataFrame()
    return Result(campaigns, edges, bursts, clusters, params, stats, posts, group_of)


__all__ = ["BURST_KIND", "KIND_BY_SIGNAL", "STAGES", "Result", "campaign_id", "detect"]
