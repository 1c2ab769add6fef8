"""A fresh install, as an operator makes it: the real `amparo` commands as subprocesses, in a
clean environment, against a database nobody has touched — never the test runner's set-up.

These tests make their own databases (SQLite files, PostgreSQL databases created and dropped
here), so they run once, in the SQLite pass of scripts/run_tests.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

BIN = Path(sys.executable).parent
AMPARO = str(BIN / "amparo")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def clean_env(home: Path, **settings: str) -> dict[str, str]:
    """What a fresh shell has: PATH, HOME and a UTF-8 locale; nothing of Amparo's."""
    return {
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        **settings,
    }


def amparo(*args: str, env: dict[str, str], cwd: Path, timeout: float = 180) -> Any:
    return subprocess.run(
        [AMPARO, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def amparo_shell(script: str, env: dict[str, str], cwd: Path, marker: str) -> Any:
    """Run ``script`` in `amparo shell -c`; it prints one line ``MARKER <json>``, returned parsed."""
    import json

    result = amparo("shell", "-c", script, env=env, cwd=cwd, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith(marker + " "))
    return json.loads(line.removeprefix(marker + " "))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()
    except OSError:
        return 0, ""


def postgres_server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] if url.startswith("postgres") else PG_SERVER


@dataclass
class FreshDatabase:
    kind: str
    url: str
    cleanup: list[Any] = field(default_factory=list)

    def tables(self) -> set[str]:
        if self.kind == "sqlite":
            import sqlite3

            with contextlib.closing(sqlite3.connect(self.url.removeprefix("sqlite:///"))) as db:
                rows = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        else:
            import psycopg

            with psycopg.connect(self.url) as db:
                rows = db.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
        return {row[0] for row in rows}


def _postgres_database() -> Iterator[str]:
    import psycopg

    server = postgres_server_url()
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
    except Exception as exc:
        require(False, f"no PostgreSQL server at {server.split('@')[-1]}: {type(exc).__name__}")
    name = f"amparo_install_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# Each database's half belongs to that database's pass of scripts/run_tests.py (the PostgreSQL
# pass names these files explicitly), so the two halves run at the same time, one per core.
@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.database("sqlite")),
        pytest.param("postgres", marks=pytest.mark.database("postgresql")),
    ]
)
def fresh_database(request: Any, tmp_path: Path) -> Iterator[FreshDatabase]:
    if request.param == "sqlite":
        yield FreshDatabase("sqlite", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    else:
        yield from (FreshDatabase("postgres", url) for url in _postgres_database())


@pytest.fixture
def postgres_database() -> Iterator[str]:
    yield from _postgres_database()


@contextlib.contextmanager
def running(env: dict[str, str], cwd: Path, port: int) -> Iterator[str]:
    """`amparo serve` and `amparo worker` until /healthz answers 200; stopped with SIGTERM."""
    procs = [
        subprocess.Popen(
            [AMPARO, *args],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for args in (["serve", "--port", str(port), "--workers", "2"], ["worker"])
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while get(f"{base}/healthz")[0] != 200:
            for proc in procs:
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()[-2000:])  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the app did not become healthy in 60 s"
            time.sleep(0.3)
        yield base
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
