"""The Spark engine finds the same edges, clusters and campaigns as the local engine,
with the default detectors (folding, paraphrases, several windows, the null model, flash
mobs) and with the first version's."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from tests.engines.test_campaigns_signals import (
    PARAPHRASES,
    T0,
    frame,
    mob,
    numbered,
    organic,
    outlet_and_aggregators,
)

from amparo.engines.campaigns import Params, detect
from amparo.engines.campaigns.model import BASE_KINDS, FLASH_MOB_KIND

HOMOGLYPH = "Navalny is a foreign agent and everybody must know it, wave {w}"


def homoglyphs(text: str) -> str:
    """Latin a, e, o written with the Cyrillic letters that look the same."""
    return text.replace("a", "\u0430").replace("e", "\u0435").replace("o", "\u043e")


def planted_rows(rng: np.random.Generator) -> list[dict]:
    """Organic traffic and five planted groups, each acting in waves hours apart:
    paraphrases of one text, homoglyph copies of one text, a repost ring, accounts
    pushing one meme image and one label, and a one-off flash mob; and an outlet whose
    aggregators re-post its headlines (relays)."""
    rows = organic(rng, 150, 40, 2000)
    for w in range(8):
        start = T0 + int(rng.integers(3600, 6 * 86400))
        for m in range(6):
            text = PARAPHRASES[(m + w) % len(PARAPHRASES)].replace("minister", f"minister {w}")
            rows.append(
                {"account": f"para{m}", "timestamp": start + int(rng.integers(0, 90)), "text": text}
            )
        for m in range(5):
            text = HOMOGLYPH.format(w=w)
            rows.append(
                {
                    "account": f"glyph{m}",
                    "timestamp": start + 4000 + int(rng.integers(0, 60)),
                    "text": homoglyphs(text) if m % 2 else text,
                }
            )
        for m in range(5):
            rows.append(
                {
                    "account": f"ring{m}",
                    "timestamp": start + 8000 + int(rng.integers(0, 25)),
                    "text": "RT",
                    "repost_of": f"item{w}",
                }
            )
            rows.append(
                {
                    "account": f"meme{m}",
                    "timestamp": start + 12000 + m * 3,
                    "text": f"own words {m} {w}",
                    "media": [f"phash{w}"],
                    "operation": f"op-{w}",
                    "urls": [f"https://smear.example/{w}/{m}"],
                }
            )
    for r in rows:  # organic labels, shared through the week
        if "operation" not in r and rng.random() < 0.3:
            r["operation"] = f"tag{int(rng.zipf(1.5)) % 200}"
    # an outlet and its aggregators: relays of a prolific source, not a campaign
    return rows + mob("throwaway", T0 + 3 * 86400) + outlet_and_aggregators(rng, items=80)


@pytest.fixture(scope="module")
def posts() -> pl.DataFrame:
    return frame(numbered(planted_rows(np.random.default_rng(17))))


def assert_same(local, remote) -> None:
    assert_frame_equal(remote.edges, local.edges)
    assert [c.as_dict() for c in remote.campaigns] == [c.as_dict() for c in local.campaigns]
    cols = ["row", "cluster"]
    assert_frame_equal(
        remote.text_clusters.select(cols).sort("row"), local.text_clusters.select(cols).sort("row")
    )
    for name in ("unique_texts", "hashed_texts", "verified_pairs", "word_texts", "word_pairs"):
        assert remote.stats.get(name) == local.stats.get(name), name
    assert remote.stats["pairs"] == local.stats["pairs"]


def cluster_of(result, posts: pl.DataFrame, text: str) -> set[int]:
    rows = posts.with_row_index("row").filter(pl.col("text") == text)["row"]
    tc = result.text_clusters
    return set(tc.filter(pl.col("row").is_in(rows.implode()))["cluster"].to_list())


@pytest.mark.spark
@pytest.mark.slow
def test_spark_equals_local_with_the_default_detectors(spark, posts):
    from amparo.engines.campaigns.spark import detect_spark

    params = Params()
    local = detect(posts, None, params)
    remote = detect_spark(spark, posts, None, params)
    # what the defaults find and the first version does not is in the input
    para = PARAPHRASES[0].replace("minister", "minister 0")
    reordered = PARAPHRASES[1].replace("minister", "minister 0")
    assert cluster_of(local, posts, para) == cluster_of(local, posts, reordered)
    plain = HOMOGLYPH.format(w=3)
    assert len(cluster_of(local, posts, plain) | cluster_of(local, posts, homoglyphs(plain))) == 1
    found = {c.kind: set(c.accounts) for c in local.campaigns}
    assert found["copy_paste"] in ({f"para{m}" for m in range(6)}, {f"glyph{m}" for m in range(5)})
    assert {f"ring{m}" for m in range(5)} == found["repost_ring"]
    assert found[FLASH_MOB_KIND] == {f"throwaway{k}" for k in range(40)}
    groups = [set(c.accounts) for c in local.campaigns]
    assert {f"para{m}" for m in range(6)} in groups and {f"glyph{m}" for m in range(5)} in groups
    assert local.edges["score"].min() >= params.min_score
    relaying = {"outlet", *(f"agg{g}" for g in range(4))}
    assert not relaying & {a for g in groups for a in g}
    assert local.stats["relays"]["link"]["top"][0]["source"] == "outlet"
    assert_same(local, remote)
    assert remote.stats["null_model"] == local.stats["null_model"]
    assert remote.stats["relays"] == local.stats["relays"]


@pytest.mark.spark
@pytest.mark.slow
def test_spark_equals_local_with_the_first_version_and_every_kind(spark, posts):
    from amparo.engines.campaigns.spark import detect_spark

    kinds = (*BASE_KINDS, "hashtag", "media", "domain", "key:operation")
    params = Params.base(kinds=kinds)
    local = detect(posts, None, params)
    remote = detect_spark(spark, posts, None, params)
    memes = {f"meme{m}" for m in range(5)}
    assert any(set(c.accounts) == memes for c in local.campaigns)
    assert {"media", "domain", "key:operation"} <= {
        s for c in local.campaigns if set(c.accounts) == memes for s in c.signals
    }
    assert_same(local, remote)
