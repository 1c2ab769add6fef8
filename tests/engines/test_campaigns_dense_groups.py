"""Dense groups (``Params.min_support``): a pair short of the Bonferroni bound but scoring
``min_score`` is an edge when its two accounts have ``min_support`` common neighbours among
such pairs. A big group that reposts slowly gives each pair few shared waves, and the bound
grows with the input; its pairs are many and close triangles, chance pairs do not."""

from __future__ import annotations

import numpy as np
from tests.engines.test_campaigns_signals import (
    T0,
    frame,
    groups,
    numbered,
    ordinary_reposts,
)

from amparo.engines.campaigns import Params, detect
from amparo.engines.campaigns.scoring import supported


def _clique(members: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]


def test_weak_pairs_inside_a_dense_group_are_kept_and_scattered_ones_are_not():
    group = list(range(10))
    pairs = _clique(group)
    weak_group = len(pairs)
    pairs += [(100, 101), (102, 103)]  # two weak pairs by chance, alone
    pairs += [(200, 0), (200, 1), (200, 2)]  # an outsider weakly tied to three members
    pairs += [(300, 301)]  # a strong pair, alone
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    score = np.full(len(pairs), 3.4)
    score[-1] = 7.0
    kept = supported(a, b, score, threshold=6.0, floor=3.0, min_support=5)
    assert kept[:weak_group].all()  # 8 common neighbours each
    assert not kept[weak_group : weak_group + 5].any()
    assert kept[-1]
    # off: the bound alone
    assert supported(a, b, score, 6.0, 3.0, 0).tolist() == [False] * (len(pairs) - 1) + [True]
    # below the floor nothing is supported, however dense
    assert not supported(a, b, np.full(len(pairs), 2.9), 6.0, 3.0, 5).any()


def slow_reposters(rng: np.random.Generator, size: int, waves: int) -> list[dict]:
    """``size`` accounts, each reposting about three in five of the group's ``waves`` items between
    5 and 10 minutes after one of them posts it."""
    rows = []
    for w in range(waves):
        start = T0 + int(rng.integers(3600, 6 * 86400))
        for m in range(size):
            if rng.random() < 0.6:
                rows.append(
                    {
                        "account": f"slow{m}",
                        "timestamp": start + int(rng.integers(300, 600)),
                        "text": "RT",
                        "repost_of": f"slow-item{w}",
                    }
                )
    return rows


def test_a_big_slow_group_is_found_whole_when_the_bound_is_high():
    """At 10 million posts the bound for reposts is about 6; ``false_edges`` puts it there
    on a small input. The group's pairs share four waves each, give or take: alone, a handful
    pass; with their common neighbours, most of the group is found, and no one else."""
    rng = np.random.default_rng(11)
    rows = slow_reposters(rng, 40, 12) + ordinary_reposts(rng, 2000, 12000)
    posts = frame(numbered(rows))
    members = {f"slow{m}" for m in range(40)}
    high = {"false_edges": 1e-3, "mob_min_accounts": 0}

    def flagged(params: Params) -> set[str]:
        return {a for g in groups(detect(posts, None, params)) for a in g}

    alone = flagged(Params(min_support=0, **high))
    dense = flagged(Params(**high))
    assert len(alone & members) <= 0.25 * len(members)
    assert len(dense & members) >= 0.8 * len(members)
    assert dense <= members  # no ordinary account
