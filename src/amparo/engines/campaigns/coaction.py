"""Co-action networks by one sort and a sweep over ``(key, time)``.

Two posts co-act when they carry the same key (the same near-identical text cluster,
link, reposted item or replied-to item), come from different accounts and lie within
``window`` seconds of each other. After sorting by ``(key, time)`` every such pair sits
at a distance ``d`` in the sorted order with everything between it inside the window,
so comparing the sorted arrays with themselves shifted by ``d = 1, 2, ...`` finds all
of them, and a position leaves the sweep the first time its neighbour at distance ``d``
has another key or falls outside the window. The work is proportional to the number of
pairs, never to the square of a key's posts, and no pair is expanded in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

#: Kinds of co-action. ``text`` is the near-identical text cluster (it contains the
#: exact-copy network of other tools); the others are keyed by what they name.
ACTION_TYPES = ("text", "link", "repost", "reply")


@dataclass
class Pairs:
    """Co-acting post pairs of one kind: positions into the posts table, and the key."""

    kind: str
    left: np.ndarray
    right: np.ndarray
    key: np.ndarray

    def __len__(self) -> int:
        return len(self.left)


def sweep_pairs(
    key: np.ndarray,
    ts: np.ndarray,
    account: np.ndarray,
    row: np.ndarray,
    window: int,
    max_span: int = 5000,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All ``(row_i, row_j, key)`` with equal key, different account and ``|t_i - t_j| <=
    window``. ``max_span`` bounds how many posts of one key inside one window are paired
    with each post (a cascade of tens of thousands of reposts in a minute says nothing
    about any pair in it and would otherwise dominate time and memory)."""
    n = len(key)
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty.astype(key.dtype)
    order = np.lexsort((ts, key))
    k, t, a, r = key[order], ts[order], account[order], row[order]
    lefts, rights = [], []
    alive = np.arange(n - 1, dtype=np.int64)
    d = 1
    while alive.size and d <= max_span:
        j = alive + d
        ok = (k[j] == k[alive]) & (t[j] - t[alive] <= window)
        alive, j = alive[ok], j[ok]
        other = a[alive] != a[j]
        lefts.append(alive[other])
        rights.append(j[other])
        d += 1
        alive = alive[alive + d < n]
    li = np.concatenate(lefts) if lefts else np.zeros(0, dtype=np.int64)
    ri = np.concatenate(rights) if rights else np.zeros(0, dtype=np.int64)
    return r[li], r[ri], k[li]


def coaction_pairs(
    kind: str,
    key: np.ndarray,
    ts: np.ndarray,
    account: np.ndarray,
    row: np.ndarray,
    window: int,
    max_span: int = 5000,
) -> Pairs:
    left, right, k = sweep_pairs(key, ts, account, row, window, max_span)
    return Pairs(kind, left, right, k)


def account_activity(account: np.ndarray, n_accounts: int) -> np.ndarray:
    """Posts of one kind per account (its side of the edge ratio)."""
    return (
        np.bincount(account, minlength=n_accounts)
        if len(account)
        else np.zeros(n_accounts, dtype=np.int64)
    )


def edges_from_pairs(
    pairs: Pairs,
    post_account: np.ndarray,
    activity: np.ndarray,
    *,
    min_shared: int,
    min_ratio: float,
) -> pl.DataFrame:
    """Account edges of one kind with ``shared`` and ``ratio``.

    ``shared`` counts co-actions the way coordination-network-toolkit weighs its edges
    (distinct posts of one account that co-acted with the other), taking the smaller of
    the two directions; ``ratio`` = shared / sqrt(posts of a x posts of b) of that kind.
    An edge qualifies when both thresholds hold: ``min_shared`` rules out coincidence,
    ``min_ratio`` rules out very active accounts that meet everyone now and then.
    """
    schema = {"a": pl.Int64, "b": pl.Int64, "shared": pl.Int64, "ratio": pl.Float64}
    if len(pairs) == 0:
        return pl.DataFrame(schema=schema)
    al = post_account[pairs.left].astype(np.int64)
    ar = post_account[pairs.right].astype(np.int64)
    # Most account pairs meet once or twice: drop them before counting distinct posts
    # (``shared`` can never exceed the number of post pairs of an account pair).
    code = np.minimum(al, ar) * np.int64(len(activity)) + np.maximum(al, ar)
    counts = pl.Series(code).value_counts(name="n").filter(pl.col("n") >= min_shared)
    keep = pl.Series(code).is_in(counts.to_series(0).implode()).to_numpy()
    al, ar = al[keep], ar[keep]
    left, right = pairs.left[keep], pairs.right[keep]
    if len(al) == 0:
        return pl.DataFrame(schema=schema)
    directed = (
        pl.DataFrame(
            {
                "x": np.concatenate([al, ar]),
                "y": np.concatenate([ar, al]),
                "row": np.concatenate([left, right]),
            }
        )
        .unique()
        .group_by("x", "y")
        .len()
    )
    df = (
        directed.with_columns(
            pl.min_horizontal("x", "y").alias("a"), pl.max_horizontal("x", "y").alias("b")
        )
        .group_by("a", "b")
        .agg(pl.col("len").min().cast(pl.Int64).alias("shared"))
        .filter(pl.col("shared") >= min_shared)
    )
    act = activity.astype(np.float64)
    denom = np.sqrt(act[df["a"].to_numpy()] * act[df["b"].to_numpy()])
    ratio = df["shared"].to_numpy() / np.maximum(denom, 1.0)
    return df.with_columns(pl.Series("ratio", ratio)).filter(pl.col("ratio") >= min_ratio)
