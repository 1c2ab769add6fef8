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
            "--min-ratio",
            "0",
        ]
    )
    doc = json.loads((out / "campaigns.json").read_text(encoding="utf-8"))
    assert doc["parameters"]["min_ratio"] == 0
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
