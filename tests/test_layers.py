"""The import layers hold: ``amparo.core`` imports no app, no app imports ``amparo.site``, and
the engines import neither Django nor any app (contracts: ``[tool.importlinter]`` in
pyproject.toml, checked by import-linter from the source, without importing it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_layers_hold():
    assert LINT_IMPORTS.exists(), "lint-imports is missing: install the dev extra"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        ),
    }
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    for contract in (
        "amparo.core imports no app",
        "no app imports amparo.site",
        "amparo.engines imports neither Django nor any app",
    ):
        assert f"{contract} KEPT" in report, report
