"""The detectors find planted coordinated groups and bursts, and nothing much else."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from amparo.engines.campaigns import Params, detect, minhash
from amparo.engines.campaigns.io import actions_from_frame, posts_from_frame
from amparo.engines.campaigns.model import BURST_KIND
from amparo.engines.campaigns.normalise import normalise_texts

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "amparo" / "engines" / "campaigns"


@cache
def generator():
    spec = importlib.util.spec_from_file_location(
        "bench_campaigns_generate", ROOT / "bench" / "campaigns" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def planted(n_posts: int = 30_000, seed: int = 11, profile: str = "classic"):
    share = 0.15 if profile == "hard" else 0.025
    posts, actions, truth = generator().generate(n_posts, seed, profile, share)
    return posts_from_frame(posts), actions_from_frame(actions), truth


@cache
def hard_result():
    posts, actions, truth = planted(profile="hard")
    return detect(posts, actions, Params()), truth


def account_scores(result, truth) -> tuple[float, float, float]:
    """Account-level precision and recall, and the share of planted groups recovered
    (best-matching campaign has Jaccard >= 0.8 with the group)."""
    planted_accounts = {a for g in truth["groups"] for a in g["accounts"]}
    groups = [set(c.accounts) for c in result.campaigns if c.kind != BURST_KIND]
    found = set().union(*groups) if groups else set()
    tp = len(found & planted_accounts)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(planted_accounts)
    recovered = 0
    for g in truth["groups"]:
        members = set(g["accounts"])
        best = max((len(members & f) / len(members | f) for f in groups), default=0.0)
        recovered += best >= 0.8
    return precision, recall, recovered / len(truth["groups"])


def test_planted_groups_are_found_with_high_precision_and_recall():
    posts, actions, truth = planted()
    result = detect(posts, actions, Params())
    precision, recall, recovered = account_scores(result, truth)
    assert precision >= 0.95
    assert recall >= 0.95
    assert recovered >= 0.95


def test_hard_cases_are_found_and_ordinary_accounts_are_not_flagged():
    """Paraphrases, homoglyphs, slow waves, amplifiers among hyperactive accounts and
    flash mobs, among outlets, aggregators, news junkies and fans (a small input: every
    planted group has few waves, so not every one is recovered)."""
    result, truth = hard_result()
    precision, recall, recovered = account_scores(result, truth)
    assert precision >= 0.95
    assert recall >= 0.8
    assert recovered >= 0.7
    flagged = {a for c in result.campaigns if c.kind != BURST_KIND for a in c.accounts}
    roles = truth["organic_roles"]
    for role in ("fans", "celebrities", "junkies"):
        assert not flagged & set(roles[role]), role
    mobs = [g for g in truth["groups"] if g["kind"] == "flash_mob"]
    found = [set(c.accounts) for c in result.campaigns if c.kind == "flash_mob"]
    assert all(set(m["accounts"]) in found for m in mobs)


def test_the_first_version_misses_what_the_hard_cases_do():
    posts, actions, truth = planted(profile="hard")
    base = detect(posts, actions, Params.base())
    _precision, recall, _recovered = account_scores(base, truth)
    new, _ = hard_result()
    assert recall < account_scores(new, truth)[1] - 0.2


def test_each_kind_of_planted_group_gets_its_kind():
    posts, actions, truth = planted()
    result = detect(posts, actions, Params())
    kind_of = {}
    for c in result.campaigns:
        for a in c.accounts:
            kind_of.setdefault(a, c.kind)
    for g in truth["groups"]:
        kinds = [kind_of.get(a) for a in g["accounts"]]
        assert max(set(kinds), key=kinds.count) == g["kind"], g["id"]


def test_mass_reporting_burst_is_found_and_linked_to_the_group_that_preceded_it():
    posts, actions, truth = planted()
    result = detect(posts, actions, Params())
    bursts = [c for c in result.campaigns if c.kind == BURST_KIND]
    by_id = {c.id: c for c in result.campaigns}
    for tb in truth["bursts"]:
        hits = [
            b
            for b in bursts
            if b.evidence["community"] == tb["community"]
            and b.start < tb["end"]
            and b.end > tb["start"]
        ]
        assert hits, f"burst in {tb['community']} not found"
        linked_accounts = {a for b in hits for cid in b.linked for a in by_id[cid].accounts}
        if tb["group"] is None:
            assert not linked_accounts, "an organic burst was linked to a group"
        else:
            group = next(g for g in truth["groups"] if g["id"] == tb["group"])
            members = set(group["accounts"])
            assert len(members & linked_accounts) >= 0.9 * len(members)
    # the platform-wide sweep touches every community a little and is not a burst
    assert len({b.evidence["community"] for b in bursts}) <= len(truth["bursts"]) + 1


def test_raising_the_edge_threshold_loses_groups_and_lowering_it_admits_noise():
    posts, _actions, truth = planted(profile="hard")
    strict = detect(posts, None, Params(min_shared=10_000, mob_min_accounts=0))
    assert [c for c in strict.campaigns if c.kind != BURST_KIND] == []
    loose = detect(posts, None, Params(min_shared=1, min_score=0.0))
    precision, _recall, _ = account_scores(loose, truth)
    assert precision < 0.95


def test_similarity_threshold_decides_what_is_near_identical():
    base = "the minister lied about the elections, share before they delete this"
    edited = "the minister lied about the electons, share before they delete this!!"
    other = "a completely different sentence about football and the weather today"
    sig = minhash.signatures(normalise_texts(pl.Series([base, edited, other])))
    labels, _, _ = minhash.near_duplicate_clusters(sig, 0.7)
    assert labels[0] == labels[1] != labels[2]
    labels, _, _ = minhash.near_duplicate_clusters(sig, 0.99)
    assert labels[0] != labels[1]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Вы все лжецы, они украли выборы в нашем городе @ivan",
            "ВЫ ВСЕ ЛЖЕЦЫ, они украли выборы в нашем городе @petr",
        ),
        (
            "هذا الصحفي خائن ويجب طرده من البلاد فورا https://t.co/x",
            "هذا الصحفي خائن ويجب طرده من البلاد فورا https://t.co/y",
        ),
        ("यह पत्रकार झूठा है और देश का दुश्मन है", "यह पत्रकार झूठा है और देश का दुश्मन है!!"),
        ("这个记者是叛徒，必须被驱逐出境，大家转发", "这个记者是叛徒，必须被驱逐出境，大家转发！"),
        ("Ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ is the same text", "fullwidth text is the\u200b same text"),
    ],
)
def test_near_identical_texts_in_any_script(a, b):
    unrelated = "completely unrelated words here about something else entirely"
    sig = minhash.signatures(normalise_texts(pl.Series([a, b, unrelated])))
    labels, _, _ = minhash.near_duplicate_clusters(sig, 0.7)
    assert labels[0] == labels[1] != labels[2]


def test_signatures_do_not_depend_on_the_other_texts_in_the_batch():
    texts = ["one text about a thing", "another text entirely", "x", ""]
    together = minhash.signatures(texts)
    alone = [minhash.signatures([t])[:, 0] for t in texts]
    for i, sig in enumerate(alone):
        assert (together[:, i] == sig).all()


def test_empty_input_gives_no_campaigns():
    posts, _, _ = planted()
    result = detect(posts.head(0), None, Params())
    assert result.campaigns == []


def test_the_engine_imports_nothing_from_django():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("django"), f"{path.name} imports {name}"
                assert not name.startswith("amparo.") or name.startswith(
                    "amparo.engines.campaigns"
                ), f"{path.name} imports {name}"


def test_truth_file_is_json_serialisable():
    _, _, truth = planted(5_000, 3)
    json.dumps(truth)


def test_compiled_and_numpy_signatures_are_identical(monkeypatch):
    from amparo.engines.campaigns import _compiled

    if not _compiled.AVAILABLE:
        pytest.skip("numba is not installed: only the NumPy path exists")
    posts, _, _ = planted()
    texts = [*normalise_texts(posts["text"].head(3000)).to_list(), "", "x", "abcd", "ab cd e"]
    compiled = minhash.signatures(texts)
    monkeypatch.setattr(minhash, "_force_numpy", True)
    assert (minhash.signatures(texts) == compiled).all()


def test_the_package_gives_the_function_detect_whatever_was_imported_first():
    """Importing the submodule ``detect`` must not make ``from amparo.engines.campaigns import
    detect`` return the module (the worker imports both, in any order)."""
    code = (
        "import sys\n"
        "import amparo.engines.campaigns.outputs\n"
        "from amparo.engines.campaigns.detect import Result\n"
        "from amparo.engines.campaigns import detect\n"
        "module = sys.modules['amparo.engines.campaigns.detect']\n"
        "assert callable(detect) and detect is module.detect, detect\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
