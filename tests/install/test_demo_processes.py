"""`amparo demo` as a newcomer runs it: debugging off (no page can show settings), static files
served, and its web server and worker stopped on SIGINT (Ctrl+C) and on SIGTERM, so that a second
demo on the same port never collides with leftovers. scripts/first_contact.py drives the same
demo in chromium in CI; this test covers both signals in the ordinary test run."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.install.conftest import AMPARO, clean_env, free_port, get

pytestmark = pytest.mark.slow


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _start(env: dict[str, str], cwd: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        demo = subprocess.Popen(
            [AMPARO, "demo", "--port", str(port)],
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 240
    while get(f"http://127.0.0.1:{port}/healthz")[0] != 200:
        if demo.poll() is not None:
            raise AssertionError(log.read_text()[-3000:])
        assert time.monotonic() < deadline, "the demo did not become healthy in 240 s"
        time.sleep(0.5)
    return demo


def _stop_with(demo: subprocess.Popen[bytes], pids_file: Path, port: int, signum: int) -> None:
    pids = [int(p) for p in pids_file.read_text().split()]
    assert pids[0] == demo.pid and len(pids) == 3, pids  # the demo, its worker, its web server
    os.kill(demo.pid, signum)  # to the demo alone, as `kill -INT` or a supervisor sends it
    try:
        code = demo.wait(timeout=45)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert code == 0, f"the demo ended with {code} on {signal.Signals(signum).name}"
    assert not [p for p in pids if _alive(p)], "the web server or the worker was left running"
    assert _port_free(port), f"port {port} is still taken"
    assert not pids_file.exists()


def test_the_demo_runs_without_debugging_and_stops_on_sigint_and_sigterm(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "var"
    env = clean_env(tmp_path, AMPARO_DATA_DIR=str(data))
    log = tmp_path / "demo.log"
    demo = _start(env, tmp_path, port, log)
    try:
        base = f"http://127.0.0.1:{port}"
        status, body = get(f"{base}/no-such-page-{os.getpid()}/")
        assert status == 404
        assert "URLconf" not in body and "DEBUG" not in body  # Django's debug page is off
        assert get(f"{base}/static/amparo/css/app.css")[0] == 200  # whitenoise
        secrets = data / "secrets"
        assert {p.name for p in secrets.iterdir()} >= {"secret_key", "kek.key"}
        assert all(p.stat().st_mode & 0o077 == 0 for p in secrets.iterdir())
        _stop_with(demo, data / "run" / "demo.pids", port, signal.SIGINT)

        # A second demo on the same port starts cleanly, and stops on SIGTERM.
        demo = _start(env, tmp_path, port, log)
        _stop_with(demo, data / "run" / "demo.pids", port, signal.SIGTERM)
    finally:
        if demo.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
