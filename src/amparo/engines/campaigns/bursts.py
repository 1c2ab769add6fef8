"""Bursts of enforcement: windows in which suspensions, removals and restrictions against
a community rise far above that community's own baseline.

Each community's actions are counted in bins of ``bin_seconds``. The baseline rate of a
bin is the community's rate over all *other* bins (at least ``floor`` actions per bin,
so that a community with almost no history does not make every action a burst). A bin
is hot when the Poisson probability of seeing at least its count under the baseline is
below ``10 ** -min_score``; adjacent hot bins merge into one window, which is scored
again as a whole. The score is ``-log10 p``: 6 means "one chance in a million under the
baseline", before correcting for the number of bins and communities looked at (a week
of hourly bins in 20 communities is 3,360 looks: a score of 6 still leaves about 0.003
expected false windows).

Actions without a community are counted under their platform (``platform:<name>``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from .schema import ENFORCEMENT_ACTIONS


@dataclass
class Burst:
    community: str
    start: int
    end: int
    count: int
    expected: float
    score: float
    accounts: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    actions: dict[str, int] = field(default_factory=dict)


def _log_tail(count: int, mu: float) -> float:
    """log P(X >= count) for X ~ Poisson(mu) and count >= 1: the log of the regularised lower
    incomplete gamma function P(count, mu), by its series when mu < count + 1 and otherwise by
    the continued fraction of its complement (Numerical Recipes' gser and gcf). Agrees with
    ``scipy.stats.poisson.logsf(count - 1, mu)`` to 1e-13 relative, without needing SciPy."""
    a, x = float(count), float(mu)
    if x <= 0:
        return -math.inf
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(100_000):
            ap += 1
            term *= x / ap
            total += term
            if term < total * 1e-16:
                break
        return log_front + math.log(total)
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return math.log1p(-math.exp(log_front) * h)


def _log10_sf(count: int, mu: float) -> float:
    """-log10 P(X >= count) for X ~ Poisson(mu)."""
    if count <= 0:
        return 0.0
    return -_log_tail(count, mu) / math.log(10)


def resolve_targets(actions: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """Fill the account of actions that name only an item, from the posts; add ``series``."""
    if actions.height == 0:
        return actions.with_columns(pl.lit(None, pl.String).alias("series"))
    owners = posts.select(pl.col("id").alias("item"), pl.col("account").alias("_owner"))
    out = actions.join(owners, on="item", how="left")
    out = out.with_columns(pl.coalesce("account", "_owner").alias("account")).drop("_owner")
    series = pl.coalesce(
        pl.col("community"),
        pl.concat_str([pl.lit("platform:"), pl.col("platform").fill_null("unknown")]),
    )
    return out.with_columns(series.alias("series"))


def detect_bursts(
    actions: pl.DataFrame,
    *,
    bin_seconds: int = 3600,
    min_score: float = 6.0,
    min_count: int = 5,
    floor: float = 0.05,
) -> list[Burst]:
    """Bursts in ``actions`` (canonical columns plus ``series``), strongest first."""
    acts = actions.filter(pl.col("action").is_in(list(ENFORCEMENT_ACTIONS)))
    if acts.height == 0:
        return []
    t0 = int(acts["timestamp"].min())  # type: ignore[arg-type]
    t1 = int(acts["timestamp"].max())  # type: ignore[arg-type]
    n_bins = max(1, (t1 - t0) // bin_seconds + 1)
    acts = acts.with_columns(((pl.col("timestamp") - t0) // bin_seconds).alias("bin"))
    found: list[Burst] = []
    for (series,), part in acts.sort("series").group_by(["series"], maintain_order=True):
        counts = np.bincount(part["bin"].to_numpy(), minlength=n_bins)
        total = int(counts.sum())
        if total < min_count:
            continue
        others = max(n_bins - 1, 1)
        base = np.maximum((total - counts) / others, floor)
        hot_score = np.array(
            [
                _log10_sf(int(c), float(m)) if c >= 2 else 0.0
                for c, m in zip(counts, base, strict=True)
            ]
        )
        hot = hot_score >= min_score
        if not hot.any():
            continue
        idx = np.nonzero(hot)[0]
        # hot bins up to two cold bins apart are one window (a burst that pauses)
        runs = np.split(idx, np.nonzero(np.diff(idx) > 3)[0] + 1)
        for run in runs:
            lo, hi = int(run[0]), int(run[-1])
            count = int(counts[lo : hi + 1].sum())
            width = hi - lo + 1
            rate = max((total - count) / max(n_bins - width, 1), floor)
            expected = rate * width
            score = _log10_sf(count, expected)
            if count < min_count or score < min_score:
                continue
            start, end = t0 + lo * bin_seconds, t0 + (hi + 1) * bin_seconds
            inside = part.filter(pl.col("bin").is_between(lo, hi))
            found.append(
                Burst(
                    community=str(series),
                    start=start,
                    end=end,
                    count=count,
                    expected=round(expected, 3),
                    score=round(score, 2),
                    accounts=sorted(inside["account"].drop_nulls().unique().to_list()),
                    items=sorted(inside["item"].drop_nulls().unique().to_list()),
                    actions=dict(sorted(inside.group_by("action").len().iter_rows())),
                )
            )
    found.sort(key=lambda b: (-b.score, b.community, b.start))
    return found
