"""`amparo campaigns ...` forwards its arguments to the engine's command line."""

from __future__ import annotations

import json

import pytest

from amparo.campaigns.management.commands.campaigns import Command

CSV = "id,account,timestamp,text\n" + "".join(
    f"{w}{a},acct{a},{1740823200 + 600 * w + a},"
    f"the same smear number {w} about the defender again and again\n"
    for w in range(4)
    for a in range(4)
)


def test_command_line_arguments_reach_the_engine(tmp_path):
    (tmp_path / "posts.csv").write_text(CSV, encoding="utf-8")
    out = tmp_path / "out"
    Command().run_from_argv(
        [
            "amparo",
            "campaigns",
            "detect",
            str(tmp_path / "posts.csv"),
            "--out",
            str(out),
            "--quiet",
            "--base",
            "--min-ratio",
            "0",
        ]
    )
    doc = json.loads((out / "campaigns.json").read_text(encoding="utf-8"))
    assert doc["parameters"]["min_ratio"] == 0
    assert doc["parameters"]["scoring"] == "ratio"
    assert [sorted(c["accounts"]) for c in doc["campaigns"]] == [[f"acct{a}" for a in range(4)]]


def test_a_failing_run_exits_non_zero(tmp_path):
    with pytest.raises(SystemExit) as exc:
        Command().run_from_argv(
            [
                "amparo",
                "campaigns",
                "detect",
                str(tmp_path / "missing.csv"),
                "--out",
                str(tmp_path),
                "--quiet",
            ]
        )
    assert exc.value.code == 2


def test_every_new_parameter_can_be_set_from_the_command_line():
    from amparo.engines.campaigns import Params
    from amparo.engines.campaigns.cli import build_parser, params_from

    args = build_parser().parse_args(
        [
            "detect",
            "posts.csv",
            "--out",
            "out",
            "--window",
            "30,600",
            "--min-score",
            "4",
            "--word-threshold",
            "0.6",
            "--max-key-accounts",
            "50",
            "--kinds",
            "text,link",
            "--key-column",
            "operation",
            "--mob-min-accounts",
            "0",
            "--no-fold",
        ]
    )
    params = params_from(args)
    assert params.windows == (30, 600)
    assert params.min_score == 4 and params.word_threshold == 0.6
    assert params.max_key_accounts == 50 and params.mob_min_accounts == 0
    assert params.kinds == ("text", "link", "key:operation")
    assert params.fold is False and params.scoring == "null"
    # the Spark engine runs the same detectors with the same defaults
    spark = params_from(
        build_parser().parse_args(["detect", "p.csv", "--out", "o", "--engine", "spark"])
    )
    assert spark == Params()
