"""Where one API submission's time goes, in one process, without the network or gunicorn.

    .venv/bin/python bench/intake/profile_submit.py                 # SQLite, 300 submissions
    .venv/bin/python bench/intake/profile_submit.py --db postgresql -n 500

It makes a fresh data folder (and, for PostgreSQL, the database ``amparo_bench``, dropped at the
end), migrates it and creates an organisation and token with prepare.py, as run.py does.

Submits ``n`` reports (the benchmark's payloads) through Django's full request handling
(``django.test.Client``: every middleware, the API, the services) after a warm-up, and prints
the wall time per submission, the SQL queries per submission (grouped by table and kind) and
the cost per submission of each step, measured with cProfile (which itself slows Python
code down by about 1.5-2x, so compare the shares, not the absolute figures).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import sys
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import payloads

STEPS = [
    # (label, (file fragment, function name)) — inclusive time of these functions
    ("whole request (WSGI handler)", ("django/core/handlers/base.py", "get_response")),
    ("  token authentication", ("amparo/intake/tokens.py", "authenticate")),
    ("  ninja: parse + validate JSON body", ("ninja/operation.py", "_get_values")),
    ("  ReportForm() (copies of the fields)", ("django/forms/forms.py", "__init__")),
    ("  ReportForm.full_clean", ("django/forms/forms.py", "full_clean")),
    (
        "  every .first() query (token, idempotency key, keys, risk period)",
        ("django/db/models/query.py", "first"),
    ),
    ("  prepare_report (before the transaction)", ("amparo/intake/services.py", "prepare_report")),
    ("    follow-up code (Argon2id)", ("amparo/intake/followup.py", "digest")),
    ("    language detection", ("amparo/engines/triage/language.py", "detect_language")),
    ("    new record data key (wrapped)", ("amparo/keyring/services.py", "_build_key")),
    ("    urgency (assess)", ("amparo/intake/urgency.py", "assess")),
    ("      risk-period look-up", ("amparo/intake/urgency.py", "active_risk_period")),
    ("      keyword scan", ("amparo/engines/triage/keywords/__init__.py", "scan")),
    ("      address finder", ("amparo/engines/triage/addresses.py", "find_addresses")),
    ("    indicators", ("amparo/intake/indicators.py", "digests")),
    ("  store_report (the transaction)", ("amparo/intake/services.py", "store_report")),
    ("    field encryption (pre_save)", ("amparo/keyring/fields.py", "pre_save")),
    ("    alarms (2 jobs, one INSERT)", ("amparo/intake/alarms.py", "schedule_alarms")),
    ("    audit record", ("amparo/audit/services.py", "record")),
    ("    commit", ("django/db/backends/base/base.py", "commit")),
    ("SQL execution (all)", ("django/db/backends/utils.py", "_execute")),
]


def prepare_and_rerun(args: argparse.Namespace) -> None:
    import base64
    import secrets
    import shutil
    import subprocess
    import tempfile

    here = Path(__file__).resolve().parent
    root = here.parents[1]
    data = Path(tempfile.mkdtemp(prefix="amparo-bench-profile-"))
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(data),
        "AMPARO_SECRET_KEY": secrets.token_urlsafe(50),
        "AMPARO_KEK": base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
        "AMPARO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "bench.intake.settings",
        "PYTHONPATH": str(root),
    }
    env.pop("DATABASE_URL", None)
    if args.db == "postgresql":
        import psycopg

        with psycopg.connect(f"{args.pg_url}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS amparo_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE amparo_bench")
        env["DATABASE_URL"] = f"{args.pg_url}/amparo_bench"
    py = sys.executable
    try:
        subprocess.run([str(Path(py).parent / "amparo"), "migrate", "-v0"], env=env, check=True)
        out = subprocess.run(
            [py, str(here / "prepare.py"), "create"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        token = json.loads(out)["token"]
        rest = ["-n", str(args.n), *(["--dump", args.dump] if args.dump else [])]
        subprocess.run([py, __file__, "--token", token, *rest], env=env, check=True)
    finally:
        if args.db == "postgresql":
            with psycopg.connect(f"{args.pg_url}/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS amparo_bench WITH (FORCE)")
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--dump", help="write the cProfile stats here")
    ap.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--token", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not args.token:
        prepare_and_rerun(args)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.intake.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rng = random.Random(3)
    today = date.today()
    headers = {"Authorization": f"Bearer {args.token}"}

    def submit() -> None:
        body = json.dumps(payloads.report(rng, today), ensure_ascii=False)
        r = client.post(
            "/api/v1/reports",
            body,
            content_type="application/json",
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert r.status_code == 201, (r.status_code, r.content[:300])

    for _ in range(20):
        submit()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            submit()
    kinds: Counter[str] = Counter()
    for q in queries.captured_queries:
        sql = q["sql"]
        verb = sql.split(None, 1)[0].upper()
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.I)
        kinds[f"{verb} {table.group(1) if table else ''}".strip()] += 1
    print(f"SQL statements per submission: {len(queries.captured_queries) / 50:.1f}")
    for k, n in kinds.most_common():
        print(f"   {n / 50:5.2f}  {k}")

    # Time spent inside the outermost transaction: on SQLite (BEGIN IMMEDIATE) no other
    # submission can write meanwhile; on PostgreSQL the audit chain head stays locked from the
    # audit event to the commit.
    from django.db import transaction

    inside = [0.0]
    locked = [0.0]
    lock_from: list[float] = []
    opened: list[float] = []

    def lock_watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "FOR UPDATE" in sql and "audit_chainhead" in sql and not lock_from:
            lock_from.append(time.perf_counter())
        return execute(sql, params, many, context)

    enter, exit_ = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def timed_enter(self, *a):  # type: ignore[no-untyped-def]
        if not transaction.get_connection(self.using).in_atomic_block:
            opened.append(time.perf_counter())
        return enter(self, *a)

    def timed_exit(self, *a):  # type: ignore[no-untyped-def]
        try:
            return exit_(self, *a)
        finally:
            if not transaction.get_connection(self.using).in_atomic_block and opened:
                now = time.perf_counter()
                inside[0] += now - opened.pop()
                if lock_from:
                    locked[0] += now - lock_from.pop()

    transaction.Atomic.__enter__, transaction.Atomic.__exit__ = timed_enter, timed_exit
    t = time.perf_counter()
    cpu = time.process_time()
    with connection.execute_wrapper(lock_watch):
        for _ in range(args.n):
            submit()
    wall = (time.perf_counter() - t) / args.n
    cpu = (time.process_time() - cpu) / args.n
    transaction.Atomic.__enter__, transaction.Atomic.__exit__ = enter, exit_
    print(f"\nwall time per submission, unprofiled, one thread: {wall * 1000:.1f} ms")
    print(f"CPU time of this process per submission: {cpu * 1000:.1f} ms (steadier when busy)")
    print(f"of which inside the outermost transaction: {inside[0] / args.n * 1000:.1f} ms")
    if connection.vendor == "sqlite":
        print(
            "   SQLite holds its write lock (BEGIN IMMEDIATE) that long: at most "
            f"{args.n / inside[0]:.0f} submissions/s, however many cores"
        )
    if locked[0]:
        print(
            f"the audit chain head row is locked (SELECT ... FOR UPDATE to COMMIT) for "
            f"{locked[0] / args.n * 1000:.1f} ms: at most {args.n / locked[0]:.0f} submissions/s"
        )

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.n):
        submit()
    prof.disable()
    if args.dump:
        prof.dump_stats(args.dump)
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    total = None
    print("\ncost per submission under cProfile (inclusive, ms; shares of the whole request):")
    for label, (frag, func) in STEPS:
        cum = sum(v[3] for (path, _line, name), v in stats.items() if frag in path and name == func)
        if total is None:
            total = cum or 1.0
        print(f"   {1000 * cum / args.n:7.2f} ms  {100 * cum / total:5.1f}%  {label}")
    print("\ntop functions by own time (ms per submission):")
    own = sorted(stats.items(), key=lambda kv: -kv[1][2])[:15]
    for (path, line, name), v in own:
        short = re.sub(r".*/(site-packages|src)/", "", path)
        print(f"   {1000 * v[2] / args.n:7.2f} ms  {v[1]:>8} calls  {name} ({short}:{line})")


if __name__ == "__main__":
    main()
