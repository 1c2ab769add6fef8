"""Relays of one prolific source: co-action that following the same source explains.

A news outlet posts 200 headlines a day, each with a new link; aggregators re-post most of
them, text and link unchanged, a few minutes later. The outlet and every aggregator, and
any two aggregators of the same outlet, then co-act on hundreds of rare texts and links
within minutes, far beyond what the null model of :mod:`.scoring` expects from accounts
that merely share keys. Their co-action is real but it is not coordination *between* them:
each follows the source on its own schedule.

What tells them apart from a campaign is where the co-acted items come from. An item's
*origin* is the account that posted it first. A *prolific source* is an account that is
the origin of at least ``min_items`` items that other accounts took up (a campaign's
members take turns starting its waves, and none of them starts hundreds of them). An edge
of a content kind (texts, links) is a *relay* when at least ``min_share`` of the items the
two accounts co-acted on come from prolific sources: it is taken out of the coordination
network and reported apart (:class:`RelayStats`), with the source, so an analyst still
sees who relays whom.

Replies and reposts are left alone: a brigade answering every post of one journalist, or a
ring amplifying one account, acts on a single prolific source by design, and that is what
the engine must find. A campaign whose members copy one prolific account's posts within
minutes looks like a relay by this test; ``min_items=0`` turns the test off
(docs/campaigns.md discusses the trade-off).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from .coaction import Pairs

#: Co-action kinds where an item is content that can be relayed (copied as is).
RELAY_KINDS = ("text", "link", "domain")


@dataclass
class RelayStats:
    """What the relay test took out of one kind's network."""

    sources: int = 0
    edges: int = 0
    #: The sources with most relayed edges: source account, edges, follower accounts.
    top: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sources": self.sources, "edges": self.edges, "top": self.top}


def key_origins(
    keys: np.ndarray, rows: np.ndarray, acc: np.ndarray, ts: np.ndarray
) -> pl.DataFrame:
    """Per key taken up by two accounts or more: ``k`` and its ``origin`` (account code of
    the earliest post; the lower row on a tie)."""
    events = pl.DataFrame({"k": keys, "t": ts[rows], "r": rows, "a": acc[rows]}).sort("r")
    return (
        events.group_by("k")
        .agg(
            pl.col("a").get(pl.col("t").arg_min()).alias("origin"),
            pl.col("a").n_unique().alias("n"),
        )
        .filter(pl.col("n") >= 2)
        .select("k", "origin")
    )


def split_relays(
    edges: pl.DataFrame,
    pairs: Pairs,
    keys: np.ndarray,
    rows: np.ndarray,
    acc: np.ndarray,
    ts: np.ndarray,
    *,
    min_items: int,
    min_share: float,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(kept, relays)``: the kind's ``edges`` (columns ``a``, ``b`` = account codes) that
    are not relays, and those that are, with ``source`` (account code), ``keys`` (items
    co-acted on) and ``relayed`` (of them, from prolific sources).

    ``keys``/``rows`` are the kind's events (key and post row), ``pairs`` its co-acting post
    pairs, ``acc`` and ``ts`` the account code and time of every post."""
    empty = pl.DataFrame(
        schema={
            "a": pl.Int64,
            "b": pl.Int64,
            "source": pl.Int64,
            "keys": pl.UInt32,
            "relayed": pl.UInt32,
        }
    )
    if min_items <= 0 or edges.height == 0 or len(pairs) == 0:
        return edges, empty
    origins = key_origins(keys, rows, acc, ts)
    prolific = (
        origins.group_by("origin").len().filter(pl.col("len") >= min_items)["origin"].implode()
    )
    from_source = origins.filter(pl.col("origin").is_in(prolific))
    if from_source.height == 0:
        return edges, empty
    al, ar = acc[pairs.left], acc[pairs.right]
    co = (
        pl.DataFrame({"a": np.minimum(al, ar), "b": np.maximum(al, ar), "k": pairs.key})
        .join(edges.select(pl.col("a").cast(pl.Int64), pl.col("b").cast(pl.Int64)), on=["a", "b"])
        .unique()
        .join(from_source, on="k", how="left")
    )
    summary = co.group_by("a", "b").agg(
        pl.len().cast(pl.UInt32).alias("keys"),
        pl.col("origin").is_not_null().sum().cast(pl.UInt32).alias("relayed"),
        pl.col("origin").drop_nulls().mode().min().cast(pl.Int64).alias("source"),
    )
    relays = summary.filter(pl.col("relayed") >= min_share * pl.col("keys")).select(
        "a", "b", "source", "keys", "relayed"
    )
    if relays.height == 0:
        return edges, empty
    kept = edges.join(relays.select("a", "b"), on=["a", "b"], how="anti")
    return kept, relays


def relay_stats(relays: pl.DataFrame, names: np.ndarray, top: int = 10) -> RelayStats:
    """Summary of the relay edges of one kind, with account names."""
    if relays.height == 0:
        return RelayStats()
    per_source = (
        relays.group_by("source")
        .agg(
            pl.len().alias("edges"),
            pl.col("a").append(pl.col("b")).unique().alias("followers"),
        )
        .sort(["edges", "source"], descending=[True, False])
    )
    listed = []
    for source, n_edges, followers in per_source.head(top).iter_rows():
        fol = sorted(str(names[f]) for f in followers if f != source)
        listed.append({"source": str(names[source]), "edges": int(n_edges), "followers": fol})
    return RelayStats(sources=per_source.height, edges=relays.height, top=listed)
