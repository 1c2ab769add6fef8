"""Which co-actions are more than chance: the null model behind ``scoring="null"``.

For one co-action kind, two accounts *share* a key when both acted on it (at any time),
and *co-act* on it in window ``w`` when they did so within ``w`` seconds. Organic
accounts share keys all the time (fans repost the same celebrity, aggregators re-post the
same outlet, everybody shares the viral link), and some of those shares fall close in time
by chance. The question for a pair is whether its co-actions are many more than its shared
keys explain:

* **Episodes.** A key's events are split where ``episode_gap`` seconds pass without one:
  a smear template reused in waves hours apart is judged wave by wave.
* **Rarity.** A key (episode) acted on by more than ``max_key_accounts`` accounts links no one: it is
  left out before any pair is formed (which also bounds the pairs a viral key could make).
* **Chance synchrony.** Keys are put in classes by their number of accounts (2, 3, 4-7,
  8-15, ...). For class ``c`` and window ``w``, ``rho[c, w]`` is the share of all pairs of
  posts by different accounts on keys of that class that lie within ``w`` seconds,
  measured on the data itself: how likely two posts on such a key are to fall together
  when nobody coordinates (campaign keys are a small part of any class).
* **Expectation.** For a pair of accounts, ``expected[w] = sum over shared keys k of
  min(posts of a on k, posts of b on k) x rho[class(k), w]`` and ``shared[w]`` is the
  number of posts that co-acted (the smaller of the two directions, as
  coordination-network-toolkit counts its edge weights).
* **Score.** ``-log10`` of the Poisson probability of ``shared[w]`` or more co-actions
  when ``expected[w]`` are expected (a lower bound on it, conservative); the pair's score
  is the best over the windows, and an edge qualifies when some window has
  ``shared >= min_shared`` and a score of at least ``min_score`` and at least
  ``log10(candidates / false_edges)``: over all the candidate pairs of the kind, about
  ``false_edges`` pass by chance (a Bonferroni bound, so larger inputs need more).
* **Dense groups.** A pair short of that threshold, but with a score of at least
  ``min_score``, is kept when its two accounts have at least ``min_support`` common
  neighbours among the kind's pairs that score ``min_score`` or more (:func:`supported`).
  A member of a big group that reposts slowly shares few waves with each other member, so
  its pairs are each only somewhat unlikely (``10 ** -3``), and the Bonferroni bound grows
  with the input: at 10 million posts most such pairs fell short. But they are many, and
  they close triangles; chance pairs at that level are scattered and almost never do (on
  bench/campaigns at 10M posts, 1,920 weak pairs touched organic accounts and none of them
  had two common neighbours).

Hyperactive accounts share hundreds of keys, so they need hundreds of co-actions; two
accounts that posted the same rare paraphrase within two minutes ten times do not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from .coaction import Pairs, sweep_pairs

LN10 = np.log(10.0)
#: Pairs a class of keys needs for its own baseline (else it takes the class below).
MIN_BASELINE = 200


@dataclass
class KindResult:
    edges: pl.DataFrame  # a, b, shared, expected, score, window
    pairs: Pairs
    stats: dict


def episodes(key: np.ndarray, ts: np.ndarray, gap: int) -> np.ndarray:
    """Split each key into episodes: a new one starts after ``gap`` seconds without an
    event. A template reused in waves hours apart is one key per wave, so a pair's chance
    of meeting on it is judged wave by wave, not over the week."""
    if len(key) == 0:
        return key
    order = np.lexsort((ts, key))
    k, t = key[order], ts[order]
    new = np.ones(len(k), dtype=bool)
    new[1:] = (k[1:] != k[:-1]) | (t[1:] - t[:-1] > gap)
    episode = np.cumsum(new) - 1
    out = np.empty(len(k), dtype=np.int64)
    out[order] = episode
    return out


def keep_light_keys(
    key: np.ndarray, account: np.ndarray, max_accounts: int
) -> tuple[np.ndarray, int]:
    """Mask of events whose key has 2..max_accounts distinct accounts (0: no cap), and
    the number of heavy keys dropped."""
    df = pl.DataFrame({"k": key, "a": account})
    n_acc = df.group_by("k").agg(pl.col("a").n_unique().alias("n"))
    ok = pl.col("n") >= 2
    if max_accounts > 0:
        ok = ok & (pl.col("n") <= max_accounts)
    heavy = n_acc.filter(pl.col("n") > max_accounts).height if max_accounts > 0 else 0
    good = n_acc.filter(ok)["k"]
    return df["k"].is_in(good.implode()).to_numpy(), heavy


def key_classes(key: np.ndarray, account: np.ndarray) -> pl.DataFrame:
    """Per key: ``cls`` (log2 of its accounts) and ``total`` pairs of posts by different
    accounts; plus per (key, account) the posts, for the expectation."""
    df = pl.DataFrame({"k": key, "a": account})
    per_ka = df.group_by("k", "a").len("c")
    return (
        per_ka.group_by("k")
        .agg(
            pl.len().alias("n"),
            pl.col("c").sum().alias("m"),
            (pl.col("c") * (pl.col("c") - 1) // 2).sum().alias("same"),
        )
        .select(
            "k",
            pl.col("n").log(2).floor().cast(pl.Int32).alias("cls"),
            (pl.col("m") * (pl.col("m") - 1) // 2 - pl.col("same")).alias("total"),
        )
    )


def log10_tail(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``-log10 P(X >= observed)`` for ``X ~ Poisson(expected)``, from below: the tail is
    at most ``pmf(observed) / (1 - expected / (observed + 1))`` when ``observed + 1 >
    expected``; 0 otherwise."""
    k = observed.astype(np.float64)
    mu = np.maximum(expected.astype(np.float64), 1e-12)
    top = int(k.max()) + 2 if k.size else 2
    log_fact = np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, top)))))
    log_pmf = k * np.log(mu) - mu - log_fact[observed.astype(np.int64)]
    ratio = mu / (k + 1.0)
    ok = ratio < 1.0
    log_tail = log_pmf - np.log1p(-np.minimum(ratio, 0.999999))
    score = np.where(ok, -log_tail / LN10, 0.0)
    return np.maximum(score, 0.0)


def null_edges(
    kind: str,
    key: np.ndarray,
    ts: np.ndarray,
    account: np.ndarray,
    row: np.ndarray,
    *,
    windows: tuple[int, ...],
    min_shared: int,
    min_score: float,
    false_edges: float,
    max_key_accounts: int,
    max_span: int,
    episode_gap: int = 6 * 3600,
    min_support: int = 0,
) -> KindResult:
    """Edges of one kind that beat the null model, and the co-acting post pairs."""
    empty = pl.DataFrame(
        schema={
            "a": pl.Int64,
            "b": pl.Int64,
            "shared": pl.Int64,
            "expected": pl.Float64,
            "score": pl.Float64,
            "window": pl.Int64,
        }
    )
    z = np.zeros(0, np.int64)
    original = key
    key = episodes(key, ts, episode_gap)
    keep, heavy = keep_light_keys(key, account, max_key_accounts)
    key, ts, account, row = key[keep], ts[keep], account[keep], row[keep]
    original = original[keep]
    stats: dict[str, Any] = {"heavy_keys": heavy, "events": int(keep.sum())}
    if len(key) < 2:
        return KindResult(empty, Pairs(kind, z, z, z), {**stats, "pairs": 0})
    wmax = windows[-1]
    # positions into the kind's event arrays, so that accounts, keys and times are at hand
    pos = np.arange(len(key), dtype=np.int64)
    left, right, pk = sweep_pairs(key, ts, account, pos, wmax, max_span)
    dt = np.abs(ts[right] - ts[left])
    widx = np.searchsorted(np.asarray(windows), dt, side="left").astype(np.int8)
    pairs = Pairs(kind, row[left], row[right], original[left])
    stats["pairs"] = len(left)
    if len(left) == 0:
        return KindResult(empty, pairs, stats)
    classes = key_classes(key, account)
    # shared[w]: distinct posts of x that co-acted with y within w, smaller direction
    al, ar = account[left], account[right]
    n_acc = int(account.max()) + 1
    code = np.minimum(al, ar) * np.int64(n_acc) + np.maximum(al, ar)
    counts = pl.Series(code).value_counts(name="n").filter(pl.col("n") >= min_shared)
    sel = pl.Series(code).is_in(counts.to_series(0).implode()).to_numpy()
    if not sel.any():
        return KindResult(empty, pairs, stats)
    al, ar, lp, rp, wi = al[sel], ar[sel], left[sel], right[sel], widx[sel]
    directed = (
        pl.DataFrame(
            {
                "x": np.concatenate([al, ar]),
                "y": np.concatenate([ar, al]),
                "p": np.concatenate([lp, rp]),
                "w": np.concatenate([wi, wi]),
            }
        )
        .group_by("x", "y", "p")
        .agg(pl.col("w").min())
        .group_by("x", "y", "w")
        .len()
    )
    wide = directed.pivot(on="w", index=["x", "y"], values="len").fill_null(0)
    wcols = []
    for w in range(len(windows)):
        name = f"o{w}"
        if str(w) in wide.columns:
            wide = wide.rename({str(w): name})
        else:
            wide = wide.with_columns(pl.lit(0, pl.UInt32).alias(name))
        wcols.append(name)
    cum = [pl.sum_horizontal(wcols[: w + 1]).alias(f"c{w}") for w in range(len(windows))]
    wide = wide.select("x", "y", *cum)
    und = (
        wide.with_columns(
            pl.min_horizontal("x", "y").alias("a"), pl.max_horizontal("x", "y").alias("b")
        )
        .group_by("a", "b")
        .agg([pl.col(f"c{w}").min() for w in range(len(windows))])
        .filter(pl.col(f"c{len(windows) - 1}") >= min_shared)
    )
    stats["candidates"] = und.height
    if und.height == 0:
        return KindResult(empty, pairs, stats)
    suspects, odd = suspicion(und, classes, key, ts, account, wmax)
    shared, mine = shared_keys(und.select("a", "b"), key, account, classes, odd)
    prior = chance_prior(windows, float(ts.max() - ts.min()))
    rho = baseline(pk, widx, code, suspects, odd, mine, classes, n_acc, len(windows), prior=prior)
    stats["rho"] = np.round(rho, 5).tolist()
    edges, threshold = score_candidates(
        und,
        shared,
        rho,
        windows,
        min_shared=min_shared,
        min_score=min_score,
        false_edges=false_edges,
        min_support=min_support,
    )
    stats["min_score"] = round(threshold, 2)
    stats["supported"] = int((edges["score"] < threshold).sum())
    return KindResult(edges, pairs, stats)


def chance_prior(windows: tuple[int, ...], span: float) -> np.ndarray:
    """Per window, the chance that two independent posts spread over the input's time
    ``span`` (seconds from the first light event to the last) fall within it: the rate a
    small input, with too few clean pairs of its own, is judged against."""
    span = max(float(span), float(windows[-1]), 1.0)
    return np.minimum(1.0, 2.0 * np.asarray(windows, dtype=float) / span)


def score_candidates(
    cand: pl.DataFrame,
    shared: pl.DataFrame,
    rho: np.ndarray,
    windows: tuple[int, ...],
    *,
    min_shared: int,
    min_score: float,
    false_edges: float,
    min_support: int = 0,
) -> tuple[pl.DataFrame, float]:
    """The edge test of one kind: ``(edges, threshold)``, the candidate pairs (``a, b,
    c0, c1, ...``: co-acting posts within each window, cumulative) whose best score over
    the windows beats the chance of :func:`expectation` (from the ``shared`` keys of
    :func:`shared_keys` and the rates ``rho`` of :func:`baseline`) by ``threshold``, with
    columns ``a, b, shared, expected, score, window``. Both engines call it with the
    same summaries."""
    expected = expectation(shared, rho)
    und = cand.join(expected, on=["a", "b"], how="left").fill_null(0.0)
    best_score = np.zeros(und.height)
    best_w = np.zeros(und.height, dtype=np.int64)
    best_shared = np.zeros(und.height, dtype=np.int64)
    best_exp = np.zeros(und.height)
    for w in range(len(windows)):
        o = und[f"c{w}"].to_numpy().astype(np.int64)
        e = und[f"e{w}"].to_numpy()
        s = np.where(o >= min_shared, log10_tail(o, e), 0.0)
        better = s > best_score
        best_score = np.where(better, s, best_score)
        best_w = np.where(better, windows[w], best_w)
        best_shared = np.where(better, o, best_shared)
        best_exp = np.where(better, e, best_exp)
    # Many pairs are tested: the score must also make the expected number of pairs that
    # pass by chance at most ``false_edges`` (Bonferroni over this kind's candidates).
    threshold = max(min_score, math.log10(max(und.height, 1) / false_edges))
    a, b = und["a"].to_numpy(), und["b"].to_numpy()
    keep = supported(a, b, best_score, threshold, min_score, min_support)
    edges = pl.DataFrame(
        {
            "a": und["a"].cast(pl.Int64),
            "b": und["b"].cast(pl.Int64),
            "shared": best_shared,
            "expected": np.round(best_exp, 4),
            "score": np.round(best_score, 2),
            "window": best_w,
        }
    ).filter(pl.Series(keep))
    return edges, threshold


def supported(
    a: np.ndarray,
    b: np.ndarray,
    score: np.ndarray,
    threshold: float,
    floor: float,
    min_support: int,
) -> np.ndarray:
    """Which pairs ``(a[i], b[i])`` are edges: those scoring ``threshold`` or more, and
    those scoring at least ``floor`` whose accounts have at least ``min_support`` common
    neighbours in the graph of all pairs scoring ``floor`` or more (0 turns that off)."""
    strong = score >= threshold
    if min_support <= 0:
        return strong
    weak_graph = score >= floor
    weak = weak_graph & ~strong
    if not weak.any():
        return strong
    import igraph as ig

    ga, gb = a[weak_graph], b[weak_graph]
    ids, inverse = np.unique(np.concatenate([ga, gb]), return_inverse=True)
    n = len(ga)
    graph = ig.Graph(n=len(ids), edges=np.column_stack([inverse[:n], inverse[n:]]).tolist())
    degree = np.asarray(graph.degree(), dtype=np.float64)
    where = np.searchsorted(ids, a[weak]), np.searchsorted(ids, b[weak])
    pairs = list(zip(where[0].tolist(), where[1].tolist(), strict=True))
    jaccard = np.asarray(graph.similarity_jaccard(pairs=pairs), dtype=np.float64)
    # |N(a) & N(b)| = J (deg a + deg b) / (1 + J): b is in N(a) and a in N(b), never
    # in their own neighbourhoods, so the union is deg a + deg b - common.
    common = np.rint(jaccard * (degree[where[0]] + degree[where[1]]) / (1.0 + jaccard))
    out = strong.copy()
    out[np.nonzero(weak)[0]] = common >= min_support
    return out


def suspicion(
    cand: pl.DataFrame,
    classes: pl.DataFrame,
    key: np.ndarray,
    ts: np.ndarray,
    account: np.ndarray,
    wmax: int,
) -> tuple[pl.Series, pl.Series]:
    """The *suspects* (accounts in some candidate pair) and the *odd* keys: those that
    suspects make up at least half of, and keys of eight accounts or more used only within
    the widest window (a one-off burst such as a flash mob). Both stay out of the
    baseline (imploded, for ``is_in``)."""
    suspects = pl.concat([cand["a"], cand["b"]]).unique().cast(pl.Int64).implode()
    per_key = (
        pl.DataFrame({"k": key, "a": account, "t": ts})
        .with_columns(pl.col("a").is_in(suspects).alias("suspect"))
        .group_by("k")
        .agg(
            pl.col("a").n_unique().alias("n"),
            pl.col("a").filter(pl.col("suspect")).n_unique().alias("s"),
            (pl.col("t").max() - pl.col("t").min()).alias("span"),
        )
    )
    odd = per_key.filter(
        (2 * pl.col("s") >= pl.col("n")) | ((pl.col("n") >= 8) & (pl.col("span") <= wmax))
    )["k"].implode()
    return suspects, odd


def shared_keys(
    cand: pl.DataFrame,
    key: np.ndarray,
    account: np.ndarray,
    classes: pl.DataFrame,
    odd: pl.Series,
    chunk: int = 5000,
) -> tuple[pl.DataFrame, np.ndarray]:
    """For the candidate pairs, the keys both accounts acted on, summarised: ``a, b, cls,
    m, many, n`` (``n`` keys of class ``cls`` on which the two accounts posted ``m`` and
    ``many`` times, fewer first), and per class the pairs of posts of the candidate pairs on
    keys that are not odd (taken out of the baseline's denominator). The less active
    account's keys are looked up in the other's, a few thousand pairs at a time, so a
    hyperactive pair's hundreds of shared keys never sit in memory for all pairs at once."""
    per_ka = (
        pl.DataFrame({"k": key, "acc": account})
        .group_by("acc", "k")
        .len("c")
        .join(classes.select("k", "cls"), on="k")
    )
    size = per_ka.group_by("acc").len("d")
    cand = (
        cand.join(size.rename({"acc": "a", "d": "da"}), on="a", how="left")
        .join(size.rename({"acc": "b", "d": "db"}), on="b", how="left")
        .select(
            "a",
            "b",
            pl.when(pl.col("da") <= pl.col("db")).then("a").otherwise("b").alias("lo"),
            pl.when(pl.col("da") <= pl.col("db")).then("b").otherwise("a").alias("hi"),
        )
    )
    n_cls = int(classes["cls"].max()) + 1  # type: ignore[arg-type]
    mine = np.zeros(n_cls)
    parts = []
    other = per_ka.select(pl.col("acc").alias("hi"), "k", pl.col("c").alias("c_hi"))
    for start in range(0, cand.height, chunk):
        both = (
            cand.slice(start, chunk)
            .join(per_ka.rename({"acc": "lo", "c": "c_lo"}), on="lo")
            .join(other, on=["hi", "k"])
        )
        t = (
            both.filter(~pl.col("k").is_in(odd))
            .group_by("cls")
            .agg((pl.col("c_lo") * pl.col("c_hi")).sum().alias("t"))
        )
        np.add.at(mine, t["cls"].to_numpy(), t["t"].to_numpy().astype(np.float64))
        parts.append(
            both.group_by(
                "a",
                "b",
                "cls",
                pl.min_horizontal("c_lo", "c_hi").alias("m"),
                pl.max_horizontal("c_lo", "c_hi").alias("many"),
            ).len("n")
        )
    shared = (
        pl.concat(parts)
        if parts
        else pl.DataFrame(
            schema={
                "a": pl.Int64,
                "b": pl.Int64,
                "cls": pl.Int32,
                "m": pl.UInt32,
                "many": pl.UInt32,
                "n": pl.UInt32,
            }
        )
    )
    return shared, mine


def baseline(
    pair_key: np.ndarray,
    widx: np.ndarray,
    code: np.ndarray,
    suspects: pl.Series,
    odd: pl.Series,
    mine: np.ndarray,
    classes: pl.DataFrame,
    n_acc: int,
    n_windows: int,
    prior: np.ndarray | None = None,
) -> np.ndarray:
    """``rho[c, w]``: the share of cross-account post pairs on keys of class ``c`` that lie
    within window ``w``, measured on what is not under suspicion. A campaign's own keys
    can be a large part of some classes (in a small input, most of them), so the baseline
    leaves out the pairs of two suspects (accounts that are each in some candidate pair:
    the members of a sparse campaign meet each other too rarely to be candidates themselves)
    and the odd keys (:func:`suspicion`). A class left with fewer than ``MIN_BASELINE``
    pairs takes the rates of the class below it, or of all classes."""
    both = (
        pl.DataFrame({"a": code // n_acc, "b": code % n_acc})
        .select(pl.col("a").is_in(suspects) & pl.col("b").is_in(suspects))
        .to_series()
        .to_numpy()
    )
    outside = ~both & ~pl.Series(pair_key).is_in(odd).to_numpy()
    n_cls = len(mine)

    def per_class(mask: np.ndarray | None) -> np.ndarray:
        k = pair_key if mask is None else pair_key[mask]
        w = widx if mask is None else widx[mask]
        counts = np.zeros((n_cls, n_windows))
        for c, wi, n in (
            pl.DataFrame({"k": k, "w": w})
            .join(classes.select("k", "cls"), on="k", how="left")
            .group_by("cls", "w")
            .len()
            .iter_rows()
        ):
            counts[c, wi] += n
        return np.cumsum(counts, axis=1)

    def totals(frame: pl.DataFrame) -> np.ndarray:
        out = np.zeros(n_cls)
        tot = frame.group_by("cls").agg(pl.col("total").sum())
        out[tot["cls"].to_numpy()] = tot["total"].to_numpy()
        return out

    within = per_class(outside)
    total = totals(classes.filter(~pl.col("k").is_in(odd))) - mine
    return baseline_rates(within, total, per_class(None), totals(classes), prior=prior)


def baseline_rates(
    within: np.ndarray,
    total: np.ndarray,
    all_within: np.ndarray,
    all_total: np.ndarray,
    prior: np.ndarray | None = None,
) -> np.ndarray:
    """``rho[c, w]`` of :func:`baseline` from per-class counts: ``within[c, w]``, the clean
    cross-account post pairs on keys of class ``c`` within window ``w`` (cumulative over
    the windows), out of ``total[c]`` clean pairs (the candidates' own pairs already taken
    out); ``all_within`` and ``all_total`` the same over every pair."""
    rho = within / np.maximum(total, 1.0)[:, None]
    # Where too little is left: the class below; else the clean pairs of all classes;
    # else every pair of the class (suspects included: a higher, more cautious rate).
    everything = all_within / np.maximum(all_total, 1.0)[:, None]
    pooled = within.sum(axis=0) / max(float(total.sum()), 1.0)
    enough = total >= MIN_BASELINE
    for c in range(len(total)):
        if not enough[c]:
            if c > 0 and enough[c - 1]:
                rho[c] = rho[c - 1]
                enough[c] = True
            elif total.sum() >= MIN_BASELINE:
                rho[c] = pooled
            elif prior is not None:
                clean = float(total.sum())
                rho[c] = (clean * pooled + MIN_BASELINE * prior) / (clean + MIN_BASELINE)
            else:
                rho[c] = everything[c]
    return rho


def expectation(shared: pl.DataFrame, rho: np.ndarray) -> pl.DataFrame:
    """``a, b, e0, e1, ...``: co-actions expected by chance in each window."""
    n = shared["n"].to_numpy().astype(np.float64)
    m = shared["m"].to_numpy().astype(np.float64) * n
    many = shared["many"].to_numpy().astype(np.float64)
    cls = shared["cls"].to_numpy()
    # each of the fewer posts meets one of the other account's posts with probability
    # 1 - (1 - rho) ** (their number)
    cols = {
        f"e{w}": m * -np.expm1(many * np.log1p(-np.minimum(rho[cls, w], 0.999)))
        for w in range(rho.shape[1])
    }
    return (
        shared.select("a", "b")
        .with_columns(**{k: pl.Series(v) for k, v in cols.items()})
        .group_by("a", "b")
        .agg([pl.col(f"e{w}").sum() for w in range(rho.shape[1])])
    )
