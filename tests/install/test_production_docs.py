"""The production instructions, followed top to bottom: the README's production block and the
"First install, step by step" block of docs/operations.md run in bash, in a clean environment,
against an empty PostgreSQL database and a new key file.

Only what cannot be the same in a test changes: /etc/amparo, /mnt/amparo-keys and
/var/lib/amparo become temporary folders, the database URL names the test's empty database,
port 8000 a free port, and the lines that create the virtual environment and pip-install are
left out (this runs in an installed environment; bench/footprint makes the install itself).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.install.conftest import clean_env, free_port, get

# Runs in the PostgreSQL pass of scripts/run_tests.py (which names this file explicitly).
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.database("postgresql")]

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED_DB = "postgres://amparo@127.0.0.1:5432/amparo"


def documented_block(path: Path, marker: str) -> str:
    text = path.read_text(encoding="utf-8")
    after = text.split(f"<!-- {marker} -->", 1)[1]
    match = re.match(r"\s*```sh\n(.*?)\n```", after, re.S)
    assert match, f"no sh block after <!-- {marker} --> in {path.name}"
    return match.group(1)


def adapted(block: str, tmp: Path, database: str, port: int) -> str:
    lines = []
    for line in block.splitlines():
        if "-m venv" in line or "pip install" in line:
            lines.append(f": left out in the test: {line.strip()!r}")
            continue
        lines.append(line)
    script = "\n".join(lines)
    assert DOCUMENTED_DB in script and "8000" in script
    return (
        script.replace("/opt/amparo/venv", sys.prefix)
        .replace("/etc/amparo", str(tmp / "etc"))
        .replace("/mnt/amparo-keys", str(tmp / "keys"))
        .replace("/var/lib/amparo", str(tmp / "data"))
        .replace(DOCUMENTED_DB, database)
        .replace("8000", str(port))
    )


@pytest.mark.parametrize(
    ("document", "marker"),
    [("README.md", "production"), ("docs/operations.md", "first-install")],
)
def test_the_documented_production_install_works(
    document: str, marker: str, postgres_database: str, tmp_path: Path
) -> None:
    port = free_port()
    script = adapted(documented_block(ROOT / document, marker), tmp_path, postgres_database, port)
    log = tmp_path / "output.log"
    with open(log, "w", encoding="utf-8") as out:
        shell = subprocess.Popen(
            ["bash", "-e", "-c", script],
            cwd=ROOT,
            env=clean_env(tmp_path),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # Both blocks end with the servers started in the background, as a person leaves them.
        assert shell.wait(timeout=300) == 0, log.read_text()[-3000:]
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while get(f"{base}/healthz")[0] != 200:
            assert time.monotonic() < deadline, "the app did not become healthy"
            time.sleep(0.5)
        output = log.read_text(encoding="utf-8")
        assert "Traceback" not in output, output[-3000:]
        if marker == "first-install":
            assert '"status": "ok"' in output, output[-2000:]
        link = re.search(r"https://amparo\.example\.org(/invite/\S+/)", output)
        assert link, output[-2000:]
        # Through the TLS proxy: the public host name and the forwarded scheme.
        status, page = get(
            f"{base}{link.group(1)}",
            headers={"Host": "amparo.example.org", "X-Forwarded-Proto": "https"},
        )
        assert status == 200 and 'name="password1"' in page
        # A plain loopback probe, as monitoring sends it, behind the proxy settings.
        status, body = get(f"{base}/healthz")
        assert status == 200 and '"database": "ok"' in body
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            shell.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGKILL)
