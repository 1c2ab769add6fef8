"""The Spark engine finds the same edges and campaigns as the local engine."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from amparo.engines.campaigns import Params, detect
from amparo.engines.campaigns.io import actions_from_frame, posts_from_frame

ROOT = Path(__file__).resolve().parents[2]


def planted(n_posts: int, seed: int):
    spec = importlib.util.spec_from_file_location(
        "bench_campaigns_generate", ROOT / "bench" / "campaigns" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    posts, actions, truth = module.generate(n_posts, seed, "classic")
    return posts_from_frame(posts), actions_from_frame(actions), truth


@pytest.mark.spark
@pytest.mark.slow
def test_spark_equals_local_on_the_same_input(spark):
    from amparo.engines.campaigns.spark import detect_spark

    posts, actions, _truth = planted(4_000, 21)
    params = Params.base()
    local = detect(posts, actions, params)
    remote = detect_spark(spark, posts, actions, params)
    assert local.campaigns, "the small input has planted groups"
    assert remote.edges.equals(local.edges)
    assert [c.as_dict() for c in remote.campaigns] == [c.as_dict() for c in local.campaigns]
    cols = ["row", "cluster"]
    assert (
        remote.text_clusters.select(cols)
        .sort("row")
        .equals(local.text_clusters.select(cols).sort("row"))
    )
