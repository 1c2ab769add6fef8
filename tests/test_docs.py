"""Docs held honest: every setting, command and API endpoint is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_documented():
    import amparo.settings  # noqa: F401  (reads the environment)
    from amparo.conf.env import READ

    documented = set(
        re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text())
    )
    source_vars = set()
    for path in (ROOT / "src").rglob("*.py"):
        source_vars |= set(
            re.findall(
                r"""environ(?:\.get)?\(\s*["']((?:AMPARO_|DATABASE_URL|PORT)[A-Z0-9_]*)""",
                path.read_text(),
            )
        )
        source_vars |= set(re.findall(r"""env_\w+\(\s*["']([A-Z][A-Z0-9_]+)""", path.read_text()))
    wanted = {
        name for name in READ | source_vars if not name.endswith("_FILE") or name[:-5] not in READ
    }
    missing = sorted(wanted - documented)
    assert not missing, f"document these in docs/configuration.md: {missing}"


def test_bad_values_fail_loudly(monkeypatch):
    import pytest

    from amparo.conf.env import ConfigurationError, env_bool, env_int

    monkeypatch.setenv("AMPARO_X", "maybe")
    with pytest.raises(ConfigurationError, match="AMPARO_X"):
        env_bool("AMPARO_X")
    monkeypatch.setenv("AMPARO_X", "ten")
    with pytest.raises(ConfigurationError, match="whole number"):
        env_int("AMPARO_X", 1)


def test_secrets_come_from_files(monkeypatch, tmp_path):
    from amparo.conf.env import env_secret

    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("AMPARO_Y_FILE", str(secret))
    assert env_secret("AMPARO_Y") == "from-a-file"


def test_the_cli_reference_is_current():
    result = subprocess.run(
        [sys.executable, "scripts/cli_reference.py", "--check"], cwd=ROOT, check=False
    )
    assert result.returncode == 0, "run: python scripts/cli_reference.py"


def test_the_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme


def test_engines_import_nothing_from_django():
    code = (
        "import sys, importlib, pkgutil\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'django' or name.startswith('django.'):\n"
        "            raise ImportError('engines must not import django: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import amparo.engines\n"
        "for m in pkgutil.walk_packages(amparo.engines.__path__, 'amparo.engines.'):\n"
        "    if m.name.endswith('__main__'): continue\n"
        "    importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
