"""docs/campaigns.md stays honest: every option and rejects reason is documented."""

from __future__ import annotations

import argparse
from pathlib import Path

from amparo.engines.campaigns.cli import build_parser
from amparo.engines.campaigns.model import Params

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "campaigns.md").read_text(encoding="utf-8")


def test_every_command_line_option_is_documented():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    detect = sub.choices["detect"]
    options = [o for a in detect._actions for o in a.option_strings if o.startswith("--")]
    missing = [o for o in options if o not in ("--help",) and f"`{o}" not in DOCS]
    assert not missing, f"undocumented options: {missing}"


def test_every_parameter_is_documented():
    missing = [
        name
        for name in Params().as_dict()
        if f"`{name}`" not in DOCS and f"`--{name.replace('_', '-')}`" not in DOCS
    ]
    assert not missing, f"undocumented parameters: {missing}"
