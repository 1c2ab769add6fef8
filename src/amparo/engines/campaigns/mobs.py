"""One-off flash mobs: many accounts pushing one rare text or link within seconds, once.

Throwaway accounts that act together only once never share three items, so no pair of
them passes the co-action thresholds. They are found per *item* instead: a text cluster
or a link on which at least ``mob_min_accounts`` distinct accounts acted within
``mob_window`` seconds, where that window holds at least ``mob_min_concentration`` of all
the item's posts in the data (a viral headline spreads over hours: its busiest minute is
a small share of it), and where at least ``mob_min_novelty`` of those accounts are new: at
most ``mob_max_prior`` posts in the data before the window, or, when the input has an
``account_created`` column, created at most ``mob_new_days`` days before. Items pushed by
the same accounts at the same time (the smear and its link) are one mob.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from .model import Params


@dataclass
class Mob:
    accounts: list[str]
    rows: np.ndarray
    start: int
    end: int
    concentration: float
    novelty: float
    keys: list[tuple[str, int]] = field(default_factory=list)  # (kind, key)


def densest_windows(key: np.ndarray, ts: np.ndarray, window: int) -> pl.DataFrame:
    """Per key: the most posts inside any ``window`` seconds, where that window starts,
    and the key's posts in all."""
    order = np.lexsort((ts, key))
    k, t = key[order], ts[order]
    rank = np.concatenate(([0], np.cumsum(k[1:] != k[:-1]))).astype(np.int64)
    comb = rank * np.int64(1 << 34) + (t - t.min() if len(t) else t)
    end = np.searchsorted(comb, comb + window, side="right")
    count = end - np.arange(len(comb))
    df = pl.DataFrame({"k": k, "t": t, "count": count})
    return df.group_by("k").agg(
        pl.col("count").max().alias("best"),
        pl.col("t").sort_by("count", descending=True).first().alias("start"),
        pl.len().alias("posts"),
    )


def detect_mobs(
    posts: pl.DataFrame,
    events: dict[str, tuple[np.ndarray, np.ndarray]],
    params: Params,
) -> list[Mob]:
    """Flash mobs among the keyed ``events`` (kind -> (rows, keys)) of ``posts``."""
    if params.mob_min_accounts <= 0:
        return []
    ts_all = posts["timestamp"].to_numpy()
    accounts = posts["account"]
    found: list[Mob] = []
    prior = None
    for kind in ("text", "link"):
        if kind not in events:
            continue
        rows, keys = events[kind]
        if len(rows) < params.mob_min_accounts:
            continue
        dens = densest_windows(keys, ts_all[rows], params.mob_window).filter(
            (pl.col("best") >= params.mob_min_accounts)
            & (pl.col("best") >= params.mob_min_concentration * pl.col("posts"))
        )
        if dens.height == 0:
            continue
        if prior is None:
            prior = _prior_posts(posts)
        ev = pl.DataFrame({"row": rows, "k": keys, "t": ts_all[rows]}).join(
            dens.select("k", "start", "posts"), on="k"
        )
        inside = ev.filter(
            (pl.col("t") >= pl.col("start")) & (pl.col("t") <= pl.col("start") + params.mob_window)
        )
        for (k,), part in inside.group_by(["k"]):
            r = part["row"].to_numpy()
            accs = accounts.gather(r)
            distinct = accs.unique()
            if distinct.len() < params.mob_min_accounts:
                continue
            start = int(part["t"].min())  # type: ignore[arg-type]
            novel = _novel(posts, prior, r, start, params)
            novelty = float(novel.mean()) if novel.size else 0.0
            if novelty < params.mob_min_novelty:
                continue
            found.append(
                Mob(
                    accounts=sorted(distinct.to_list()),
                    rows=np.sort(r),
                    start=start,
                    end=int(part["t"].max()),  # type: ignore[arg-type]
                    concentration=round(len(r) / int(part["posts"][0]), 4),
                    novelty=round(novelty, 4),
                    keys=[(kind, int(k))],
                )
            )
    return _merge(found)


def _prior_posts(posts: pl.DataFrame) -> pl.DataFrame:
    """Each post's number of earlier posts by its account."""
    return posts.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
        pl.col("timestamp").rank("min").over("account").cast(pl.Int64).sub(1).alias("prior"),
    )


def _novel(
    posts: pl.DataFrame, prior: pl.DataFrame, rows: np.ndarray, start: int, params: Params
) -> np.ndarray:
    """Per post in ``rows``: is its account new?"""
    if "account_created" in posts.columns:
        created = posts["account_created"].gather(rows).to_numpy()
        known = ~np.isnan(created.astype(np.float64))
        if known.any():
            age = start - np.where(known, created, start).astype(np.int64)
            return np.where(known, age <= params.mob_new_days * 86400, False)
    return prior["prior"].gather(rows).to_numpy() <= params.mob_max_prior


def _merge(mobs: list[Mob]) -> list[Mob]:
    """One mob for the items that the same accounts pushed at the same time."""
    mobs.sort(key=lambda m: (m.start, m.accounts[0]))
    out: list[Mob] = []
    for m in mobs:
        for o in out:
            a, b = set(o.accounts), set(m.accounts)
            if m.start <= o.end + 60 and len(a & b) >= 0.5 * min(len(a), len(b)):
                o.accounts = sorted(a | b)
                o.rows = np.union1d(o.rows, m.rows)
                o.start, o.end = min(o.start, m.start), max(o.end, m.end)
                o.concentration = max(o.concentration, m.concentration)
                o.novelty = max(o.novelty, m.novelty)
                o.keys += m.keys
                break
        else:
            out.append(m)
    return out
