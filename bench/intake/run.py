"""Benchmark: sustained report submissions per second, with p50/p99 latency, on SQLite and on
PostgreSQL, against the production server (``amparo serve``: gunicorn, gthread) with
``amparo worker`` beside it, compared with a bare "hello" view on the same server in the same
run; then every accepted report is counted in the database (see README.md in this folder).

    .venv/bin/python bench/intake/run.py                      # both databases, the defaults
    .venv/bin/python bench/intake/run.py --dbs sqlite --seconds 10 --no-record
    .venv/bin/python bench/intake/run.py --servers 2x4,4x1 --rates auto,100,150 --profile

For each database: a fresh SQLite file in a temporary folder, or a fresh PostgreSQL database
(``amparo_bench``, created and dropped); ``amparo migrate``; an organisation and an API token
made through Amparo's services (prepare.py); ``amparo serve`` and ``amparo worker`` started as an
operator would, with ``bench.intake.settings`` (Amparo's settings plus ``/bench/hello``). Then,
after a warm-up: hello at a fixed concurrency; API submissions at a fixed concurrency; API
submissions at a fixed arrival rate (the goal's rate); the public HTML form (GET, POST with the
CSRF token, follow the redirect to the "received" page) at a fixed concurrency; idempotency
replays, conflicts and races; then the servers are stopped and the database is counted.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import dataclasses
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import loadgen  # noqa: E402
import payloads  # noqa: E402

import results_file  # noqa: E402

BIN = Path(sys.executable).parent
AMPARO = str(BIN / "amparo")
SECTION = "## Intake (bench/intake)"
PG_DB = "amparo_bench"
GOAL_RATE = 100.0
GOAL_P99_MS = 300.0
LAST = Path(tempfile.gettempdir()) / "amparo-bench-intake-last.json"  # for --render-only


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_admin(sql: str, url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Stack:
    """The server processes of one database's run, and what we sample from them."""

    db: str
    env: dict[str, str]
    data_dir: Path
    port: int
    server: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    rss_peak: dict[str, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _sampler: threading.Thread | None = None

    def run(self, *args: str) -> str:
        out = subprocess.run(
            args, env=self.env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def start(self, workers: int, threads: int) -> None:
        log = open(self.data_dir / "serve.log", "w")  # noqa: SIM115
        self.server = subprocess.Popen(
            [
                AMPARO,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wlog = open(self.data_dir / "worker.log", "w")  # noqa: SIM115
        self.worker = subprocess.Popen(
            [AMPARO, "worker"], env=self.env, cwd=ROOT, stdout=wlog, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(
                    f"amparo serve exited:\n{(self.data_dir / 'serve.log').read_text()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(
                        b"GET /bench/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    )
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            raise SystemExit("amparo serve did not answer within 90 s")
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def gunicorn(self) -> list[psutil.Process]:
        try:
            master = psutil.Process(self.server.pid)
            return [master, *master.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def worker_procs(self) -> list[psutil.Process]:
        try:
            return [psutil.Process(self.worker.pid)]
        except psutil.NoSuchProcess:
            return []

    def pg_backends(self) -> list[psutil.Process]:
        if self.db != "postgresql":
            return []
        out = []
        for p in psutil.process_iter(["username", "cmdline"]):
            cmd = " ".join(p.info["cmdline"] or [])
            if cmd.startswith("postgres:") and f" {PG_DB} " in cmd:
                out.append(p)
        return out

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            try:
                procs = self.gunicorn()
                rss = {p.pid: p.memory_info().rss / 2**20 for p in procs}
                wrss = sum(p.memory_info().rss for p in self.worker_procs()) / 2**20
            except psutil.Error:
                continue
            if not rss:
                continue
            master = rss.pop(self.server.pid, 0.0)
            peak = self.rss_peak
            peak["server_total"] = max(peak.get("server_total", 0), master + sum(rss.values()))
            peak["web_worker_max"] = max(
                peak.get("web_worker_max", 0), max(rss.values(), default=0)
            )
            peak["master"] = max(peak.get("master", 0), master)
            peak["amparo_worker"] = max(peak.get("amparo_worker", 0), wrss)

    def stop(self) -> None:
        self._stop.set()
        for proc in (self.server, self.worker):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (self.server, self.worker):
            if proc is None:
                continue
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class CpuMeter:
    """CPU seconds used by the web server, the worker, the database and this load generator.

    Processes come and go (PostgreSQL backends end when Django recycles a connection after
    CONN_MAX_AGE), so every process's CPU time is sampled every 0.25 s and the last value seen
    is kept after it has gone: a delta between two readings then counts processes that ended
    in between (up to their last sample) and ones that started (from zero)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.seen: dict[str, dict[int, float]] = {"server": {}, "worker": {}, "database": {}}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _update(self) -> None:
        groups = {
            "server": self.stack.gunicorn(),
            "worker": self.stack.worker_procs(),
            "database": self.stack.pg_backends(),
        }
        for name, procs in groups.items():
            for p in procs:
                try:
                    t = p.cpu_times()
                except psutil.Error:
                    continue
                with self._lock:
                    self.seen[name][p.pid] = t.user + t.system

    def _loop(self) -> None:
        while not self._stop.wait(0.25):
            self._update()

    def close(self) -> None:
        self._stop.set()

    def read(self) -> dict[str, dict[int, float]]:
        self._update()
        t = psutil.Process().cpu_times()
        with self._lock:
            out = {k: dict(v) for k, v in self.seen.items()}
        out["loadgen"] = {0: t.user + t.system}
        return out

    @staticmethod
    def delta(a: dict[str, dict[int, float]], b: dict[str, dict[int, float]]) -> dict[str, float]:
        return {k: sum(v - a[k].get(pid, 0.0) for pid, v in b[k].items()) for k in b}


# --------------------------------------------------------------------------- the operations


class Client:
    """What the clients of one database's run send, and what they were told."""

    def __init__(self, port: int, slug: str, token: str, seed: int) -> None:
        self.pool = loadgen.Pool("127.0.0.1", port)
        self.slug = slug
        self.token = token
        self.rng = random.Random(seed)
        self.today = date.today()
        self.api_told: dict[str, str] = {}  # Idempotency-Key -> report id
        self.api_sent: dict[str, bytes] = {}  # Idempotency-Key -> body, for replays
        self.api_failed: list[str] = []  # keys whose request got no clear answer
        self.form_told: list[str] = []  # references shown on the "received" page
        self.server_pid = 0

    # hello
    async def hello(self) -> loadgen.Outcome:
        r = await self.pool.request("GET", "/bench/hello")
        ok = r.status == 200 and r.body == b"hello"
        return loadgen.Outcome(ok, str(r.status))

    # API
    def _api_headers(self, key: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }

    async def api_submit(self) -> loadgen.Outcome:
        body = json.dumps(payloads.report(self.rng, self.today), ensure_ascii=False).encode()
        key = uuid.uuid4().hex
        self.api_sent[key] = body
        try:
            r = await self.pool.request(
                "POST", "/api/v1/reports", headers=self._api_headers(key), body=body
            )
        except BaseException:
            self.api_failed.append(key)
            raise
        if r.status == 201:
            self.api_told[key] = json.loads(r.body)["id"]
            return loadgen.Outcome(True, "201")
        if r.status >= 500 or r.status == 409:
            self.api_failed.append(key)
        return loadgen.Outcome(False, str(r.status))

    async def api_settle(self) -> dict[str, int]:
        """Retry every request that got no clear answer, with its Idempotency-Key, as a client
        would: the report is created once, or the first one is returned."""
        out: dict[str, int] = {}
        for key in self.api_failed:
            for _ in range(3):
                try:
                    r = await self.pool.request(
                        "POST",
                        "/api/v1/reports",
                        headers=self._api_headers(key),
                        body=self.api_sent[key],
                    )
                except loadgen.HttpError:
                    continue
                if r.status in (200, 201):
                    self.api_told[key] = json.loads(r.body)["id"]
                    out[str(r.status)] = out.get(str(r.status), 0) + 1
                    break
                if r.status != 409:  # 409 "still being processed": try again
                    out[str(r.status)] = out.get(str(r.status), 0) + 1
                    break
                await asyncio.sleep(0.5)
        self.api_failed = []
        return out

    async def idempotency_checks(self, n: int = 100) -> dict[str, str]:
        """Replays (same key, same body) must return the first report with 200; the same key
        with another body must be refused with 409; two identical requests sent at the same
        moment must make one report."""
        rng = random.Random(1)
        told = list(self.api_told.items())
        sample = rng.sample(told, min(n, len(told)))
        replay_ok = 0
        for key, rid in sample:
            r = await self.pool.request(
                "POST", "/api/v1/reports", headers=self._api_headers(key), body=self.api_sent[key]
            )
            data = json.loads(r.body)
            replay_ok += r.status == 200 and data.get("replayed") is True and data["id"] == rid
        conflict_ok = 0
        for key, _rid in sample[:20]:
            other = json.loads(self.api_sent[key])
            other["narrative"] += " (edited)"
            r = await self.pool.request(
                "POST",
                "/api/v1/reports",
                headers=self._api_headers(key),
                body=json.dumps(other).encode(),
            )
            conflict_ok += r.status == 409
        race_ok = 0
        races = 20
        for _ in range(races):
            body = json.dumps(payloads.report(self.rng, self.today), ensure_ascii=False).encode()
            key = uuid.uuid4().hex
            self.api_sent[key] = body
            pair = await asyncio.gather(
                *(
                    self.pool.request(
                        "POST", "/api/v1/reports", headers=self._api_headers(key), body=body
                    )
                    for _ in range(2)
                )
            )
            codes = sorted(r.status for r in pair)
            ids = {json.loads(r.body)["id"] for r in pair if r.status in (200, 201)}
            # One created it; the other got it back (200) or was asked to retry (409).
            if codes[-1] == 201 and codes[0] in (200, 409) and len(ids) == 1:
                race_ok += 1
            for r in pair:
                if r.status == 201:
                    self.api_told[key] = json.loads(r.body)["id"]
        return {
            "replays": f"{replay_ok}/{len(sample)}",
            "conflicts": f"{conflict_ok}/{min(20, len(sample))}",
            "races": f"{race_ok}/{races}",
        }

    # the public form, as a browser without JavaScript does it
    async def form_flow(self) -> loadgen.Outcome:
        report = payloads.report(self.rng, self.today)
        lang = report["language"]
        base = f"/report/{self.slug}/"
        t0 = time.monotonic()
        r = await self.pool.request("GET", f"{base}?lang={lang}", headers={"Accept": "text/html"})
        t1 = time.monotonic()
        if r.status != 200:
            return loadgen.Outcome(False, f"GET {r.status}")
        cookies = r.set_cookies()
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', r.body)
        if not m or "csrftoken" not in cookies:
            return loadgen.Outcome(False, "no CSRF token")
        fields = [("csrfmiddlewaretoken", m.group(1).decode()), *payloads.form_fields(report)]
        body = urllib.parse.urlencode(fields).encode()
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        r = await self.pool.request(
            "POST",
            base,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Accept": "text/html",
            },
            body=body,
        )
        t2 = time.monotonic()
        if r.status != 302:
            return loadgen.Outcome(False, f"POST {r.status}")
        cookies.update(r.set_cookies())
        location = urllib.parse.urlsplit(r.header("location") or "").path
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        r = await self.pool.request(
            "GET", location, headers={"Cookie": cookie, "Accept": "text/html"}
        )
        t3 = time.monotonic()
        m = re.search(rb"\bR-[A-Z2-9]{7}\b", r.body)
        if r.status != 200 or not m:
            return loadgen.Outcome(False, f"received {r.status}")
        self.form_told.append(m.group(0).decode())
        return loadgen.Outcome(True, "ok", {"get": t1 - t0, "post": t2 - t1, "received": t3 - t2})


# --------------------------------------------------------------------------- one database


@dataclass
class Row:
    db: str
    what: str
    mode: str
    level: float
    ops: int
    throughput: float
    p50: float
    p99: float
    errors: int
    tally: dict[str, int]
    cpu: dict[str, float]
    seconds: float
    post_p50: float | None = None
    post_p99: float | None = None
    late: int = 0
    max_inflight: int = 0
    server: str = ""

    def cores(self, k: str) -> float:
        return self.cpu.get(k, 0.0) / self.seconds if self.seconds else 0.0

    def ms_per_op(self, k: str) -> float:
        return 1000 * self.cpu.get(k, 0.0) / self.ops if self.ops else float("nan")


# --------------------------------------------------------------------------- profile

# Where a submission's time goes: share of the web workers' samples whose stack passes through
# these frames (py-spy's "function (file:line)"), inclusive, so nested steps overlap.
PROFILE_STEPS = [
    ("the submit view (everything below)", ("submit (amparo/intake/api.py",)),
    ("  token authentication", ("authenticate (amparo/intake/tokens.py",)),
    ("  ninja: parse and validate the JSON", ("Operation._get_values (ninja/",)),
    ("  ReportForm() (copies of the fields)", ("BaseForm.__init__ (django/forms/forms.py",)),
    ("  ReportForm validation", ("full_clean (django/forms/forms.py",)),
    ("  prepare_report (before the transaction)", ("prepare_report (amparo/intake/services.py",)),
    ("    follow-up code hash (Argon2id)", ("digest (amparo/intake/followup.py",)),
    ("    language detection", ("detect_language (amparo/engines/triage/language.py",)),
    ("    urgency (assess)", ("assess (amparo/intake/urgency.py",)),
    ("      keyword scan", ("scan (amparo/engines/triage/keywords/",)),
    ("      risk-period query", ("active_risk_period (amparo/intake/urgency.py",)),
    ("    new record data key (wrapped)", ("_build_key (amparo/keyring/services.py",)),
    ("    indicators", ("digests (amparo/intake/indicators.py",)),
    ("  store_report (the transaction)", ("store_report (amparo/intake/services.py",)),
    ("    alarms (two scheduled jobs)", ("schedule_alarms (amparo/intake/alarms.py",)),
    ("    audit event", ("record (amparo/audit/services.py",)),
    ("  leaving transactions (commit, savepoints)", ("Atomic.__exit__ (django/db/transaction.py",)),
    (
        "SQL round trips (driver)",
        (
            "(sqlite3/dbapi2.py",
            "(psycopg/",
            "Connection.commit",
            "_execute (django/db/backends/utils.py",
        ),
    ),
    ("middleware and Django outside the view", None),
    (
        "gunicorn and WSGI outside Django",
        ("!BaseHandler.get_response (django/core/handlers/base.py",),
    ),
]


def start_profile(client: Client, seconds: float, folder: Path) -> list:
    spy = BIN / "py-spy"
    if not spy.exists():
        print("   (py-spy not installed: no profile)")
        return []
    out = []
    pids = [p.pid for p in psutil.Process(client.server_pid).children()]
    for pid in pids:
        path = folder / f"py-spy-{pid}.txt"  # kept with --keep
        proc = subprocess.Popen(
            [
                str(spy),
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(int(seconds)),
                "--rate",
                "200",
                "--nonblocking",
                "--format",
                "raw",
                "--output",
                str(path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        out.append((proc, path))
    return out


def summarise_profile(spies: list, db: str, ms_per_op: float) -> None:
    stacks: dict[str, int] = {}
    for proc, path in spies:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                stack, _, n = line.rpartition(" ")
                if n.isdigit():
                    stacks[stack] = stacks.get(stack, 0) + int(n)
    total = sum(stacks.values())
    if not total:
        print("   (no profile samples)")
        return

    def share(needles: tuple[str, ...]) -> float:
        if needles[0].startswith("!"):
            n = sum(c for st, c in stacks.items() if needles[0][1:] not in st)
        else:
            n = sum(c for st, c in stacks.items() if any(x in st for x in needles))
        return n / total

    print(
        f"   profile ({db}): py-spy, {total} samples of active web-worker threads; "
        f"ms = share x {ms_per_op:.1f} ms of web CPU per submission"
    )
    view = share(PROFILE_STEPS[0][1])
    outside = share(PROFILE_STEPS[-1][1])
    for label, needles in PROFILE_STEPS:
        f = share(needles) if needles else 1 - view - outside
        print(f"      {100 * f:5.1f}%  {f * ms_per_op:6.2f} ms  {label}")
    selfs: dict[str, int] = {}
    for st, n in stacks.items():
        leaf = st.split(";")[-1]
        leaf = re.sub(r":\d+\)$", ")", leaf)
        selfs[leaf] = selfs.get(leaf, 0) + n
    print("   top functions by own time (Python frames; C calls count in their caller):")
    for leaf, n in sorted(selfs.items(), key=lambda kv: -kv[1])[:12]:
        print(f"      {100 * n / total:5.1f}%  {leaf[:110]}")


async def drive(
    db: str, args: argparse.Namespace, client: Client, meter: CpuMeter, rows: list[Row]
) -> tuple[dict, dict, int]:
    """Every step against one running server, in one event loop."""

    async def step(what: str, coro, post: bool = False) -> None:
        before = meter.read()
        t0 = time.monotonic()
        res: loadgen.StepResult = await coro
        wall = time.monotonic() - t0
        span = max(res.seconds, res.elapsed)
        # CPU is measured over the whole step, its warm-up included: scale it to the window.
        cpu = {k: v * span / wall for k, v in meter.delta(before, meter.read()).items()}
        row = Row(
            db,
            what,
            res.mode,
            res.level,
            res.ok,
            res.throughput,
            res.pct(50) * 1000,
            res.pct(99) * 1000,
            res.errors,
            res.tally,
            cpu,
            span,
            late=res.late_starts,
            max_inflight=res.max_inflight,
        )
        if post and "post" in res.parts:
            row.post_p50 = res.pct(50, res.parts["post"]) * 1000
            row.post_p99 = res.pct(99, res.parts["post"]) * 1000
        rows.append(row)
        client.pool.close()
        print(
            f"   {what:<24} {row.throughput:8.1f}/s  p50 {row.p50:7.1f} ms  "
            f"p99 {row.p99:7.1f} ms  errors {row.errors}  web {row.cores('server'):.2f} cores"
            + (f"  db {row.cores('database'):.2f}" if db == "postgresql" else "")
            + f"  loadgen {row.cores('loadgen'):.2f}"
            + ("" if not row.errors else f"  {row.tally}"),
            flush=True,
        )

    t = time.monotonic()
    # Every web worker loads its language model, word list and templates on first use.
    await loadgen.closed_loop("hello", client.hello, concurrency=8, seconds=1, warmup=0)
    await loadgen.closed_loop("form", client.form_flow, concurrency=4, seconds=2, warmup=0)
    await loadgen.closed_loop(
        "api", client.api_submit, concurrency=8, seconds=args.warmup, warmup=0
    )
    client.pool.close()
    print(f"   warm-up {time.monotonic() - t:.1f} s", flush=True)
    c, s = args.concurrency, args.seconds
    await step(
        f"hello (c={args.hello_concurrency})",
        loadgen.closed_loop("hello", client.hello, concurrency=args.hello_concurrency, seconds=s),
    )
    spies = start_profile(client, s, args.data_dir) if args.profile else []
    await step(
        f"API submit (c={c})",
        loadgen.closed_loop("api", client.api_submit, concurrency=c, seconds=s),
    )
    if spies:
        summarise_profile(spies, db, rows[-1].ms_per_op("server"))
    capacity = rows[-1].throughput
    rates = []
    for r in args.rates:
        if r == "auto":  # a rate this server sustains: 80 % of what the clients just got
            rate = max(1.0, round(0.8 * capacity))
            if all(rate != float(x) for x in args.rates if x != "auto"):
                rates.append(rate)
        else:
            rates.append(float(r))
    for rate in sorted(rates):
        await step(
            f"API submit ({rate:g}/s)",
            loadgen.open_loop("api", client.api_submit, rate=rate, seconds=s),
        )
    if args.form_concurrency:
        await step(
            f"form flow (c={args.form_concurrency})",
            loadgen.closed_loop(
                "form", client.form_flow, concurrency=args.form_concurrency, seconds=s
            ),
            post=True,
        )
    checks = await client.idempotency_checks()
    settled = await client.api_settle()
    client.pool.close()
    return checks, settled, client.pool.resent


def run_database(db: str, workers: int, threads: int, args: argparse.Namespace) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"amparo-bench-intake-{db}-"))
    env = dict(os.environ)
    env.update(
        {
            "AMPARO_DATA_DIR": str(data_dir),
            "AMPARO_SECRET_KEY": secrets.token_urlsafe(50),
            "AMPARO_KEK": base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
            "AMPARO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # One client address sends every form submission: lift the per-client limit.
            "AMPARO_INTAKE_LIMIT_PER_HOUR": "100000000",
            "DJANGO_SETTINGS_MODULE": "bench.intake.settings",
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
        }
    )
    for k in ("AMPARO_DEBUG", "AMPARO_SECRET_KEY_FILE", "AMPARO_KEK_FILE", "DATABASE_URL"):
        env.pop(k, None)
    if db == "postgresql":
        admin = f"{args.pg_url.rstrip('/')}/postgres"
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", admin)
        pg_admin(f"CREATE DATABASE {PG_DB}", admin)
        env["DATABASE_URL"] = f"{args.pg_url.rstrip('/')}/{PG_DB}"
    stack = Stack(db, env, data_dir, free_port())
    args.data_dir = data_dir
    load_before = os.getloadavg()
    label = f"{db}, {workers}×{threads}"
    print(
        f"\n== {db}: amparo serve --workers {workers} --threads {threads}; load average "
        f"{load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}",
        flush=True,
    )
    try:
        t = time.monotonic()
        stack.run(AMPARO, "migrate", "-v0")
        info = json.loads(stack.run(str(BIN / "python"), str(HERE / "prepare.py"), "create"))
        print(f"   migrate + setup {time.monotonic() - t:.1f} s")
        stack.start(workers, threads)
        client = Client(stack.port, info["slug"], info["token"], seed=args.seed)
        client.server_pid = stack.server.pid
        meter = CpuMeter(stack)
        rows: list[Row] = []

        try:
            checks, settled, resent = asyncio.run(drive(db, args, client, meter, rows))
        finally:
            meter.close()
        for row in rows:
            row.server = f"{workers}×{threads}"
    finally:
        stack.stop()
    accepted = data_dir / "accepted.json"
    accepted.write_text(json.dumps({"api": client.api_told, "form": client.form_told}))
    counts = json.loads(
        stack.run(str(BIN / "python"), str(HERE / "prepare.py"), "count", str(accepted))
    )
    load_after = os.getloadavg()
    if db == "postgresql":
        pg_admin(
            f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", f"{args.pg_url.rstrip('/')}/postgres"
        )
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    api, form = counts["api"], counts["form"]
    print(
        f"   counted: API told {api['told']}, in database {api['in_db']}, lost {api['lost']}, "
        f"duplicated {api['duplicated']}, unacknowledged {api['unacknowledged']}; "
        f"form told {form['told']}, in database {form['in_db']}, lost {form['lost']}, "
        f"duplicated {form['duplicated']}; idempotency {checks}; settled {settled}"
    )
    print(
        "   peak RSS MiB: "
        + ", ".join(f"{k} {v:.0f}" for k, v in stack.rss_peak.items())
        + f"; load average after {load_after[0]:.2f}"
    )
    return {
        "db": db,
        "label": label,
        "rows": rows,
        "counts": counts,
        "checks": checks,
        "settled": settled,
        "resent": resent,
        "rss": stack.rss_peak,
        "load_before": load_before,
        "load_after": load_after,
    }


# --------------------------------------------------------------------------- report


def machine_lines() -> list[str]:
    def sh(cmd: str) -> str:
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.rstrip()
        except OSError:
            return ""

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in sh("lscpu").splitlines()
            if line.startswith("Model name")
        ),
        platform.processor(),
    )
    return [
        f"nproc: {sh('nproc')}; CPU: {model}; Python {platform.python_version()}",
        *sh("free -h").splitlines(),
    ]


def fmt(v: float | None, digits: int = 0) -> str:
    if v is None or v != v:
        return "–"
    return f"{v:,.{digits}f}"


def table(results: list[dict]) -> list[str]:
    out = [
        "| database | server | what | load | answered/s | p50 ms | p99 ms | errors | "
        "web CPU ms/op | DB CPU ms/op | cores used (web+worker+DB) |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in results:
        for r in res["rows"]:
            load = f"{r.level:g} clients" if r.mode == "closed" else f"{r.level:g}/s arrivals"
            p50, p99 = fmt(r.p50, 1), fmt(r.p99, 1)
            if r.post_p50 is not None:
                p50 += f" (POST {fmt(r.post_p50, 1)})"
                p99 += f" (POST {fmt(r.post_p99, 1)})"
            used = r.cores("server") + r.cores("worker") + r.cores("database")
            db_ms = fmt(r.ms_per_op("database"), 1) if r.db == "postgresql" else "–"
            out.append(
                f"| {r.db} | {r.server} | {r.what.split(' (')[0]} | {load} | "
                f"{fmt(r.throughput, 1)} | {p50} | {p99} | {r.errors} | "
                f"{fmt(r.ms_per_op('server'), 1)} | {db_ms} | {used:.2f} |"
            )
    return out


def _closed(res: dict) -> Row:
    return next(r for r in res["rows"] if r.what.startswith("API submit (c="))


def verdicts(results: list[dict]) -> list[str]:
    out = []
    for res in results:
        hello = next(r for r in res["rows"] if r.what.startswith("hello"))
        closed = _closed(res)
        ratio = closed.throughput / hello.throughput if hello.throughput else float("nan")
        out.append(
            f"- **{res['label']}**: API submissions {closed.throughput:,.1f}/s vs hello "
            f"{hello.throughput:,.1f}/s with {fmt(closed.level)} clients: ratio **{ratio:.3f}** "
            f"(hello answers {1 / ratio if ratio else float('nan'):.0f}x as many); web CPU "
            f"{closed.ms_per_op('server'):.1f} ms per submission vs "
            f"{hello.ms_per_op('server'):.2f} ms per hello."
        )
        goal_rows = [r for r in res["rows"] if r.mode == "open" and r.level >= GOAL_RATE]
        if goal_rows:
            g = min(goal_rows, key=lambda r: r.level)
            met = g.throughput >= GOAL_RATE * 0.98 and g.p99 < GOAL_P99_MS and g.errors == 0
            out.append(
                f"  Goal (≥{GOAL_RATE:g} submissions/s with p99 < {GOAL_P99_MS:g} ms): "
                + ("**met**" if met else "**NOT met**")
                + f" — offered {g.level:g}/s, answered {g.throughput:,.1f}/s, p50 "
                f"{fmt(g.p50)} ms, p99 {fmt(g.p99)} ms (answered requests, counted from when "
                f"each was due), {g.errors} not answered in time"
                + (
                    f" ({', '.join(f'{k}: {v}' for k, v in g.tally.items() if k != '201')})"
                    if g.errors
                    else ""
                )
                + "."
            )
        sustained = [r for r in res["rows"] if r.mode == "open" and r.level < GOAL_RATE]
        for r in sustained:
            out.append(
                f"  At {r.level:g}/s (80 % of the closed-loop rate): answered "
                f"{r.throughput:,.1f}/s, p50 {fmt(r.p50)} ms, p99 {fmt(r.p99)} ms, "
                f"errors {r.errors}."
            )
    return out


def integrity(results: list[dict]) -> list[str]:
    out = []
    for res in results:
        a, f = res["counts"]["api"], res["counts"]["form"]
        c = res["checks"]
        line = (
            f"- **{res['label']}**: API: {a['told']:,} reports acknowledged to clients, "
            f"{a['in_db']:,} in the database: **lost {a['lost']}, duplicated {a['duplicated']}**"
        )
        if a["unacknowledged"]:
            line += f", created but never acknowledged {a['unacknowledged']}"
        line += (
            f"; replays {c['replays']} returned the first report, conflicting bodies "
            f"{c['conflicts']} refused (409), pairs of identical requests sent at once "
            f"{c['races']} made one report"
        )
        if res["settled"]:
            line += f"; retried with their key after an unclear answer: {res['settled']}"
        line += (
            f". Form: {f['told']:,} acknowledged (reference shown), {f['in_db']:,} in the "
            f"database: **lost {f['lost']}, duplicated {f['duplicated']}**"
        )
        if f["unacknowledged"]:
            line += f", created but never acknowledged {f['unacknowledged']}"
        out.append(line + ".")
    return out


def limits(results: list[dict]) -> list[str]:
    out = []
    cpus = os.cpu_count() or 1
    for res in results:
        closed = _closed(res)
        web, wk, dbc, lg = (closed.cores(k) for k in ("server", "worker", "database", "loadgen"))
        per_op = closed.ms_per_op("server")
        if res["db"] == "postgresql":
            per_op += closed.ms_per_op("database")
        line = (
            f"- **{res['label']}** with {fmt(closed.level)} clients: web workers {web:.2f} "
            f"cores, `amparo worker` {wk:.2f}, load generator {lg:.2f}"
        )
        if res["db"] == "postgresql":
            line += f", PostgreSQL {dbc:.2f}"
        line += (
            f" (of {cpus}); {closed.ms_per_op('server'):.1f} ms of web-worker CPU per submission"
        )
        if res["db"] == "postgresql":
            line += f" + {closed.ms_per_op('database'):.1f} ms in PostgreSQL"
        line += (
            f", so {cpus} whole cores would allow at most ≈{cpus * 1000 / max(per_op, 0.001):.0f}"
            f"/s. Peak RSS: gunicorn {fmt(res['rss'].get('server_total'))} MiB in all (largest "
            f"web worker {fmt(res['rss'].get('web_worker_max'))} MiB), `amparo worker` "
            f"{fmt(res['rss'].get('amparo_worker'))} MiB."
        )
        out.append(line)
    return out


def section(
    results: list[dict],
    args: argparse.Namespace,
    started: datetime,
    cmd: str,
    machine: list[str] | None = None,
) -> str:
    loads = "; ".join(
        f"{r['label']}: {r['load_before'][0]:.2f} before, {r['load_after'][0]:.2f} after"
        for r in results
    )
    servers = ", ".join(f"`--workers {w} --threads {t}`" for w, t in args.configs)
    lines = [
        SECTION,
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC with `{cmd}`: `amparo serve` (gunicorn gthread) with "
        f'{servers} ("server" column: workers×threads), `amparo worker` beside it; load '
        "generator bench/intake/loadgen.py (asyncio, HTTP/1.1 keep-alive, on the same machine); "
        f"{args.seconds:g} s measured per step after a warm-up; `AMPARO_INTAKE_LIMIT_PER_HOUR` "
        "raised to 100,000,000 so that no report is held as a possible flood.",
        "",
        "```",
        *(machine or machine_lines()),
        f"load average (1 min) — {loads}",
        "```",
        "",
        *table(results),
        "",
        '"hello" is a bare Django view (`bench/intake/urls.py`) behind the same middleware in the '
        'same server processes. "form flow" is one reporter: GET the form, POST it with the CSRF '
        'token and cookie, follow the redirect to the "received" page; its answered/s are whole '
        "flows, the POST alone in brackets. Rows with arrivals/s count latency from when each "
        "request was due (a request that could not start within 5 s is not sent and counts as an "
        "error). CPU per operation is read from the processes (psutil) over the step.",
        "",
        "Submissions vs hello, and the goal:",
        "",
        *verdicts(results),
        "",
        "Counted afterwards in the database:",
        "",
        *integrity(results),
        "",
        "What limited throughput:",
        "",
        *limits(results),
    ]
    cpus = os.cpu_count() or 1
    # Only the load before the first step says something about other work: later figures
    # include this benchmark's own server, worker and load generator (the 1-minute average
    # decays over minutes).
    first = results[0]["load_before"][0] if results else 0.0
    lines += [
        "",
        f"1-minute load average before the first step: {first:.2f} on {cpus} cores "
        "(later readings include this benchmark's own processes). "
        + (
            "The machine was shared with other work, so the server had less than the whole "
            "machine: rates are lower and tails longer than on an idle one; the CPU per "
            "operation is the steadier figure."
            if first > 0.75 * cpus
            else "Nothing else of note was running."
        ),
    ]
    if args.notes and Path(args.notes).exists():
        lines += ["", Path(args.notes).read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def record(text: str, path: Path) -> None:
    results_file.replace_section(SECTION, text, path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dbs", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    ap.add_argument(
        "--servers",
        default="4x1",
        help="comma-separated WORKERSxTHREADS for amparo serve (default 4x1, its defaults)",
    )
    ap.add_argument("--seconds", type=float, default=25, help="measured seconds per step")
    ap.add_argument("--warmup", type=float, default=4, help="seconds of API warm-up")
    ap.add_argument("--concurrency", type=int, default=16, help="API clients (closed loop)")
    ap.add_argument("--hello-concurrency", type=int, default=16)
    ap.add_argument("--form-concurrency", type=int, default=8, help="0: skip the form")
    ap.add_argument(
        "--rates",
        default=f"auto,{GOAL_RATE:g}",
        help="API arrival rates per second (open loop); auto: 80%% of the closed-loop rate",
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="sample the web workers with py-spy during the closed-loop API step",
    )
    ap.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the data folders (logs, SQLite)")
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    ap.add_argument("--no-record", action="store_true", help="do not write bench/RESULTS.md")
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the recorded section from the last run's saved results (after editing notes.md)",
    )
    ap.add_argument(
        "--notes",
        default=str(HERE / "notes.md"),
        help="text appended to the recorded section (profile findings)",
    )
    args = ap.parse_args()
    args.rates = [r.strip() for r in str(args.rates).split(",") if r.strip()]
    args.configs = [tuple(int(x) for x in c.lower().split("x")) for c in args.servers.split(",")]
    if args.render_only:
        saved = json.loads(LAST.read_text(encoding="utf-8"))
        for res in saved["results"]:
            res["rows"] = [Row(**r) for r in res["rows"]]
        args.configs, args.seconds = saved["configs"], saved["seconds"]
        text = section(
            saved["results"],
            args,
            datetime.fromisoformat(saved["started"]),
            saved["cmd"],
            saved.get("machine"),
        )
        record(text, args.results)
        print(f"recorded in {args.results} from {LAST}")
        return
    started = datetime.now(UTC)
    cmd = " ".join([".venv/bin/python", "bench/intake/run.py", *sys.argv[1:]])
    results = []
    for db in [d.strip() for d in args.dbs.split(",") if d.strip()]:
        if db in ("pg", "postgres"):
            db = "postgresql"
        if db == "postgresql":
            try:
                pg_admin("SELECT 1", f"{args.pg_url.rstrip('/')}/postgres")
            except Exception as exc:
                print(f"\n== postgresql: skipped, no server at {args.pg_url} ({exc})")
                continue
        for workers, threads in args.configs:
            results.append(run_database(db, workers, threads, args))
    if not results:
        raise SystemExit("nothing was measured")
    print()
    print("\n".join(table(results)))
    print()
    print("\n".join(verdicts(results)))
    print("\n".join(integrity(results)))
    print("\n".join(limits(results)))
    machine = machine_lines()
    saved = {
        "machine": machine,
        "started": started.isoformat(),
        "cmd": cmd,
        "configs": args.configs,
        "seconds": args.seconds,
        "results": [{**r, "rows": [dataclasses.asdict(x) for x in r["rows"]]} for r in results],
    }
    LAST.write_text(json.dumps(saved), encoding="utf-8")
    if not args.no_record:
        record(section(results, args, started, cmd, machine), args.results)
        print(f"\nrecorded in {args.results}")


if __name__ == "__main__":
    main()
