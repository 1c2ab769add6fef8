"""The command line in a fresh shell: no Amparo variable set, in an empty folder.

`--help` works for every command; commands that do not need the web secret run; a missing or
unusable setting is one line that names the variable, with exit status 2 — never a traceback."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.install.conftest import amparo, clean_env

pytestmark = pytest.mark.slow

SUBCOMMANDS = [
    ["keys", "generate-kek"],
    ["keys", "rewrap"],
    ["tdb", "ingest"],
    ["tdb", "aggregate"],
    ["campaigns", "detect"],
    ["audit", "verify"],
]


def _assert_one_clear_line(result, *names: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("amparo: ")
    for name in names:
        assert name in lines[0], lines[0]


def test_every_help_works_with_no_environment(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    listed = amparo("help", "--commands", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    commands = listed.stdout.split()
    assert {"serve", "worker", "setup", "demo", "migrate", "keys", "tdb", "campaigns"} <= set(
        commands
    )
    top = amparo("--help", env=env, cwd=tmp_path)
    assert top.returncode == 0 and "setup" in top.stdout

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(
            pool.map(
                lambda argv: (argv, amparo(*argv, "--help", env=env, cwd=tmp_path)),
                [[c] for c in commands] + SUBCOMMANDS,
            )
        )
    failed = {" ".join(argv): r.stderr[-300:] for argv, r in results if r.returncode != 0}
    assert failed == {}
    assert all("usage:" in r.stdout for _, r in results)
    # Nothing was written where the commands ran.
    assert list(tmp_path.iterdir()) == []


def test_engines_and_keys_run_without_the_web_secret(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    kek = amparo("keys", "generate-kek", str(work / "kek.key"), env=env, cwd=work)
    assert kek.returncode == 0, kek.stderr
    assert (work / "kek.key").stat().st_mode & 0o777 == 0o600

    posts = work / "posts.csv"
    posts.write_text(
        "id,account,timestamp,text\n"
        + "".join(
            f"{w}{a},acct{a},{1740823200 + 600 * w + a},the same smear number {w} again\n"
            for w in range(4)
            for a in range(4)
        ),
        encoding="utf-8",
    )
    detect = amparo(
        "campaigns", "detect", str(posts), "--out", str(work / "out"), "--quiet",
        "--min-ratio", "0", env=env, cwd=work,
    )  # fmt: skip
    assert detect.returncode == 0, detect.stderr
    assert json.loads((work / "out" / "campaigns.json").read_text())["campaigns"]

    (work / "store").mkdir()
    status = amparo("tdb", "--store", str(work / "store"), "status", env=env, cwd=work)
    assert status.returncode == 0, status.stderr


def test_setup_without_a_key_names_the_variable(tmp_path: Path) -> None:
    env = clean_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = amparo(
        "setup", "--organisation", "X", "--admin-email", "a@example.org", "--no-input",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    _assert_one_clear_line(result, "AMPARO_KEK_FILE", "amparo keys generate-kek")


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_servers_without_the_web_secret_name_it(tmp_path: Path, command: str) -> None:
    result = amparo(command, env=clean_env(tmp_path), cwd=tmp_path)
    _assert_one_clear_line(result, "AMPARO_SECRET_KEY_FILE")


def test_servers_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    (tmp_path / "kek.key").write_text("")
    kek = amparo(
        "keys", "generate-kek", str(tmp_path / "k.key"), env=clean_env(tmp_path), cwd=tmp_path
    )
    assert kek.returncode == 0
    env = clean_env(
        tmp_path,
        AMPARO_SECRET_KEY="s" * 50,
        AMPARO_KEK_FILE=str(tmp_path / "k.key"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    _assert_one_clear_line(amparo("serve", env=env, cwd=tmp_path), "amparo migrate")


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("AMPARO_DEBUG", "maybe", "AMPARO_DEBUG"),
        ("PORT", "eighty", "PORT"),
        ("DATABASE_URL", "mysqlx://nowhere", "DATABASE_URL"),
        ("AMPARO_SECRET_KEY_FILE", "/nonexistent/secret", "AMPARO_SECRET_KEY_FILE"),
        ("AMPARO_KEK_FILE", "/nonexistent/kek", "AMPARO_KEK_FILE"),
        ("AMPARO_SESSION_IDLE_MINUTES", "0", "AMPARO_SESSION_IDLE_MINUTES"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path: Path, setting, value, named) -> None:
    result = amparo("migrate", env=clean_env(tmp_path, **{setting: value}), cwd=tmp_path)
    _assert_one_clear_line(result, named)


def test_a_missing_database_is_one_line(tmp_path: Path) -> None:
    env = clean_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/none")
    _assert_one_clear_line(amparo("migrate", env=env, cwd=tmp_path), "DATABASE_URL")
