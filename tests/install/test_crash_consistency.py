"""Crash consistency: `amparo serve` (master and workers) and `amparo worker` are killed with
SIGKILL again and again while reports come in through the API and the public form, on SQLite
and on PostgreSQL. Afterwards every acknowledged report is in the database exactly once, no
Idempotency-Key made two reports, and every evidence file decrypts to the SHA-256 recorded
for it.

The number of intakes is ``AMPARO_CRASH_INTAKES`` (300 by default; the issue's figure is 1,000).
Every tenth intake goes through the public form with a small file, the rest through the API with
an Idempotency-Key; a client retries on a connection error with the same key (the form: with the
same submission id), as a careful client does.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.install.conftest import AMPARO, FreshDatabase, amparo, amparo_shell, clean_env, free_port

pytestmark = pytest.mark.slow

INTAKES = int(os.environ.get("AMPARO_CRASH_INTAKES", "300"))
CLIENTS = 4
FORM_EVERY = 10

SETUP = """
import json
from amparo.accounts.models import User
from amparo.accounts.services import create_organisation
from amparo.intake import tokens
from amparo.intake.models import ApiToken

org = create_organisation(name="Crash Helpline", slug="crash", actor=None)
user = User.objects.create_user(email="crash-admin@example.org", password="x" * 30)
_t, secret = tokens.create(
    org, name="crash test", scopes=[ApiToken.Scope.SUBMIT, ApiToken.Scope.READ_STATUS], actor=user
)
print("SETUP " + json.dumps({"token": secret}))
"""

CHECK = """
import hashlib, json, os
from collections import Counter
from amparo.intake.models import Evidence, IdempotencyKey, Report
from amparo.keyring import blobs

reports = list(Report.objects.values_list("pk", "reference", "channel"))
keys = list(IdempotencyKey.objects.values_list("key", "report_id"))
evidence = []
for item in Evidence.objects.select_related("data_key"):
    aad = blobs.blob_aad(item.organisation_id, "evidence", item.pk)
    try:
        data = b"".join(blobs.read(item.data_key, item.original_blob, aad + b"|original"))
        got = hashlib.sha256(data).hexdigest()
        clean = b"".join(blobs.read(item.data_key, item.clean_blob, aad + b"|clean"))
    except Exception as exc:
        got, clean = "error: " + type(exc).__name__, b""
    evidence.append({
        "report": str(item.report_id) if item.report_id else None,
        "sha256": item.sha256, "decrypted": got, "clean_size": len(clean), "size": item.size,
    })
print("CHECK " + json.dumps({
    "reports": [[str(pk), ref, ch] for pk, ref, ch in reports],
    "keys": [[k, str(r) if r else None] for k, r in keys],
    "evidence": evidence,
}))
"""

CONNECTION_ERRORS = (OSError, http.client.HTTPException)


def _report(n: int) -> dict[str, Any]:
    return {
        "incident_type": "account_suspended",
        "platform": "facebook",
        "narrative": f"Crash test report {n}: my page was suspended after false reports.",
        "country": "MX",
        "affected": ["https://www.facebook.com/crash.test"],
        "consent": {"contact": "no", "statistics": "yes"},
    }


def _request(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


class Client:
    """Submits intakes, retrying after a connection error as a careful client does."""

    def __init__(self, port: int, token: str, deadline: float) -> None:
        self.port, self.token, self.deadline = port, token, deadline
        self.lock = threading.Lock()
        self.api_told: dict[str, tuple[str, str]] = {}  # key -> (id, reference)
        self.form_told: dict[str, str] = {}  # file sha256 -> reference
        self.form_again: list[str] = []  # file sha256 of "already received" answers
        self.retries = 0
        self.done = 0

    def _retry(self) -> None:
        assert time.monotonic() < self.deadline, "intake did not finish in time"
        with self.lock:
            self.retries += 1
        time.sleep(0.2)

    def api(self, n: int) -> None:
        key = f"crash-{n}-{uuid.uuid4().hex}"
        body = json.dumps(_report(n)).encode()
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        while True:
            try:
                status, _h, raw = _request(self.port, "POST", "/api/v1/reports", body, headers)
            except CONNECTION_ERRORS:
                self._retry()
                continue
            if status in (201, 200):
                out = json.loads(raw)
                assert status == 201 or out["replayed"], raw
                with self.lock:
                    assert key not in self.api_told
                    self.api_told[key] = (out["id"], out["reference"])
                return
            assert status in (409, 429, 502, 503), (status, raw[:500])
            self._retry()  # 409: the first request with this key is still being processed

    def form(self, n: int) -> None:
        content = f"crash test evidence {n} {uuid.uuid4().hex}\n".encode() * 20
        digest = hashlib.sha256(content).hexdigest()
        while True:  # the form page, as a browser without JavaScript gets it
            try:
                status, headers, page = _request(
                    self.port, "GET", "/report/crash/", None, {"Accept": "text/html"}
                )
            except CONNECTION_ERRORS:
                self._retry()
                continue
            if status == 200:
                break
            self._retry()
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        submission = re.search(rb'name="submission" value="([^"]+)"', page)
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
        assert csrf and submission and cookie, page[:500]
        fields = {
            "csrfmiddlewaretoken": csrf.group(1).decode(),
            "submission": submission.group(1).decode(),
            "incident_type": "account_suspended",
            "platform": "facebook",
            "narrative": f"Crash test form report {n}.",
            "country": "MX",
            "consent_contact": "no",
            "consent_share_identity": "no",
            "consent_collective": "ask",
            "consent_statistics": "yes",
            "website": "",
        }
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="note-{n}.txt"\r\nContent-Type: text/plain\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        post_headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": f"csrftoken={cookie.group(1)}",
            "Accept": "text/html",
        }
        while True:
            try:
                status, _h, page = _request(self.port, "POST", "/report/crash/", body, post_headers)
            except CONNECTION_ERRORS:
                self._retry()
                continue
            if status == 200:
                reference = re.search(rb"\bR-[A-Z2-9]{7}\b", page)
                with self.lock:
                    if reference:
                        self.form_told[digest] = reference.group(0).decode()
                    else:  # "already received": the first attempt was stored
                        self.form_again.append(digest)
                return
            assert status in (429, 502, 503), (status, page[:500])
            self._retry()

    def intake(self, n: int) -> None:
        (self.form if n % FORM_EVERY == 0 else self.api)(n)
        with self.lock:
            self.done += 1


class Stack:
    """`amparo serve` and `amparo worker`, each in its own process group."""

    def __init__(self, env: dict[str, str], cwd: Path, port: int) -> None:
        self.env, self.cwd, self.port = env, cwd, port
        self.procs: list[subprocess.Popen[bytes]] = []
        self.kills = 0

    def start(self) -> None:
        self.procs = []
        for name, args in (
            ("serve", ["serve", "--port", str(self.port), "--workers", "2"]),
            ("worker", ["worker"]),
        ):
            with open(self.cwd / f"{name}.log", "ab") as log:
                self.procs.append(
                    subprocess.Popen(
                        [AMPARO, *args],
                        env=self.env,
                        cwd=self.cwd,
                        stdout=log,
                        stderr=log,
                        start_new_session=True,
                    )
                )

    def check_alive(self) -> None:
        for proc in self.procs:
            if proc.poll() is not None:
                logs = "".join(
                    (self.cwd / f"{n}.log").read_text(errors="replace")[-3000:]
                    for n in ("serve", "worker")
                )
                raise AssertionError(f"{proc.args[1]} exited ({proc.returncode}): {logs}")

    def kill(self) -> None:
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        for proc in self.procs:
            proc.wait(timeout=30)
        self.kills += 1

    def stop(self) -> None:
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


# Each database's run belongs to that database's pass of scripts/run_tests.py, so the two run at
# the same time, one per core (the PostgreSQL pass names this file explicitly).
@pytest.mark.parametrize(
    "fresh_database",
    [
        pytest.param("sqlite", marks=pytest.mark.database("sqlite")),
        pytest.param("postgres", marks=pytest.mark.database("postgresql")),
    ],
    indirect=True,
)
def test_acknowledged_reports_survive_sigkill(
    fresh_database: FreshDatabase, tmp_path: Path
) -> None:
    port = free_port()
    env = clean_env(
        tmp_path,
        DATABASE_URL=fresh_database.url,
        AMPARO_DATA_DIR=str(tmp_path / "data"),
        AMPARO_KEK=base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
        AMPARO_SECRET_KEY="crash-consistency-secret-key-0123456789-abcdefghijklmnop",
        AMPARO_SITE_URL=f"http://127.0.0.1:{port}",
        AMPARO_SECURE_COOKIES="0",
        AMPARO_API_LIMIT_PER_MINUTE="1000000",
        AMPARO_INTAKE_LIMIT_PER_HOUR="1000000",
    )
    migrated = amparo("migrate", "-v0", env=env, cwd=tmp_path, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    token = amparo_shell(SETUP, env, tmp_path, "SETUP")["token"]

    started = time.monotonic()
    client = Client(port, token, deadline=started + 120 + INTAKES * 0.3)
    stack = Stack(env, tmp_path, port)
    stack.start()
    todo = list(range(INTAKES))
    todo_lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            while True:
                with todo_lock:
                    if not todo:
                        return
                    n = todo.pop(0)
                client.intake(n)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    rng = random.Random(12)
    next_kill = rng.randint(100, 200)
    try:
        while any(t.is_alive() for t in threads):
            if client.done >= next_kill and client.done < INTAKES:
                stack.kill()
                stack.start()
                next_kill = client.done + rng.randint(100, 200)
            stack.check_alive()
            time.sleep(0.05)
    finally:
        stack.stop()
    assert not errors, errors
    elapsed = time.monotonic() - started

    found = amparo_shell(CHECK, env, tmp_path, "CHECK")
    reports = {pk: (ref, channel) for pk, ref, channel in found["reports"]}
    print(
        f"\n{fresh_database.kind}: {INTAKES} intakes in {elapsed:.1f} s, {stack.kills} kills, "
        f"{client.retries} retries, {len(client.api_told)} API + {len(client.form_told)} form "
        f"acknowledged, {len(client.form_again)} form 'already received', "
        f"{len(reports)} reports and {len(found['evidence'])} evidence files in the database"
    )
    assert stack.kills >= (1 if INTAKES >= 200 else 0)

    # No reference twice; no key twice; no report behind two keys.
    assert not [r for r, n in Counter(r for r, _c in reports.values()).items() if n > 1]
    key_rows = Counter(k for k, _r in found["keys"])
    assert not [k for k, n in key_rows.items() if n > 1]
    report_keys = Counter(r for _k, r in found["keys"] if r)
    assert not [r for r, n in report_keys.items() if n > 1]

    # Every acknowledged API report is there, under the key it was sent with.
    key_to_report = dict(found["keys"])
    for key, (report_id, reference) in client.api_told.items():
        assert key_to_report.get(key) == report_id, key
        assert reports[report_id] == (reference, "api")
    # Every API report has its key: none was made twice for one request.
    api_reports = {pk for pk, (_r, channel) in reports.items() if channel == "api"}
    assert api_reports == set(report_keys)

    # Every evidence file decrypts to its recorded SHA-256.
    bad = [e for e in found["evidence"] if e["decrypted"] != e["sha256"] or not e["clean_size"]]
    assert not bad, bad[:5]
    by_hash = Counter(e["sha256"] for e in found["evidence"] if e["report"])
    report_of = {e["sha256"]: e["report"] for e in found["evidence"] if e["report"]}
    # Each acknowledged form report holds the very file sent, once.
    for digest, reference in client.form_told.items():
        assert by_hash[digest] == 1, (digest, reference)
        assert reports[report_of[digest]] == (reference, "web_form")
    # An "already received" answer after a retry: the first attempt was stored, once.
    for digest in client.form_again:
        assert by_hash[digest] == 1, f"told 'already received' but no report has {digest}"
    form_reports = [pk for pk, (_r, channel) in reports.items() if channel == "web_form"]
    assert len(form_reports) == len(set(report_of.values()) & set(form_reports))
    assert len(form_reports) == len(client.form_told) + len(client.form_again)
