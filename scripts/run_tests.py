"""Run the test suite on SQLite and on PostgreSQL, and print one combined closing line.

    python scripts/run_tests.py [--only sqlite|postgres] [pytest args...]

PostgreSQL: ``DATABASE_URL`` if set, else ``postgres://postgres@127.0.0.1:5432/postgres``. The
PostgreSQL pass runs every test that touches the database (the Django-free engine tests under
tests/engines do not, and the fresh-install tests under tests/install make their own SQLite and
PostgreSQL databases, so those run once — in the SQLite pass, except their PostgreSQL halves,
which run in the PostgreSQL pass). The browser tests under
tests/browser run in the PostgreSQL pass when there is one (else in the SQLite pass), and the
access matrix in the SQLite pass; the Transparency Database and Spark engine tests (no database)
in the PostgreSQL pass: each pass takes about as long as the other. With ``AMPARO_STRICT_TESTS=1`` an unreachable
PostgreSQL, or any skipped PostgreSQL/browser/Spark test, fails the run.

The two passes share nothing (their own databases, files and ports), so they run at the same
time, one per core: the SQLite pass prints as it goes, the PostgreSQL pass's output follows when
both have finished. ``AMPARO_TESTS_ONE_AT_A_TIME=1`` runs them one after the other.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/amparo"
#: Fresh-install tests whose PostgreSQL half (marked ``database("postgresql")``) runs in the
#: PostgreSQL pass; their SQLite half, and the other tests under tests/install, in the SQLite
#: pass.
INSTALL_POSTGRES_HALVES = (
    "test_backup_drill.py",
    "test_crash_consistency.py",
    "test_fresh_install.py",
    "test_production_docs.py",
    "test_upgrade_with_data.py",
)


def engine_tests_for_postgres_pass() -> list[Path]:
    engines = ROOT / "tests" / "engines"
    return sorted({*engines.glob("test_tdb_*.py"), *engines.glob("test_*spark*.py")})


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return url
    except Exception as exc:
        print(f"PostgreSQL is not reachable at {url.split('@')[-1]}: {type(exc).__name__}")
        return None


class Pass:
    """One pytest run, in the foreground (its output printed as it goes) or in the background
    (its output kept in a file and printed by :meth:`wait`)."""

    def __init__(self, label: str, env: dict[str, str], args: list[str], *, background: bool):
        self.label = label
        self.report = Path(tempfile.mkstemp(prefix=f"amparo-{label}-", suffix=".xml")[1])
        cmd = [sys.executable, "-m", "pytest", f"--junitxml={self.report}", *args]
        self.header = f"\n=== {label}: {' '.join(cmd[2:])}"
        self.log = tempfile.TemporaryFile() if background else None  # noqa: SIM115 (closed in wait)
        if self.log is None:
            print(self.header, flush=True)
        else:
            print(f"{self.header} (in the background; its output follows at the end)", flush=True)
        self.process = subprocess.Popen(  # noqa: S603
            cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT if self.log else None
        )

    def wait(self) -> tuple[int, dict[str, int]]:
        code = self.process.wait()
        if self.log is not None:
            self.log.seek(0)
            print(self.header, flush=True)
            sys.stdout.buffer.write(self.log.read())
            sys.stdout.flush()
            self.log.close()
        return code, counts_of(self.report)


def counts_of(report: Path) -> dict[str, int]:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    try:
        suite = ET.parse(report).getroot()  # noqa: S314 (our own pytest output)
        suites = [suite] if suite.tag == "testsuite" else list(suite)
        for s in suites:
            total = int(s.get("tests", 0))
            failed = int(s.get("failures", 0)) + int(s.get("errors", 0))
            skipped = int(s.get("skipped", 0))
            counts["failed"] += failed
            counts["skipped"] += skipped
            counts["passed"] += total - failed - skipped
    except (ET.ParseError, FileNotFoundError):
        counts["failed"] += 1
    report.unlink(missing_ok=True)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    known, rest = parser.parse_known_args()
    strict = os.environ.get("AMPARO_STRICT_TESTS") == "1"
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    together = os.environ.get("AMPARO_TESTS_ONE_AT_A_TIME") != "1" and known.only is None
    results = []
    passes: list[Pass] = []
    if known.only in (None, "postgres"):
        url = postgres_url()
        if url is None:
            if strict:
                print("FAIL: PostgreSQL tests could not run (strict mode).")
                results.append((1, {"passed": 0, "failed": 1, "skipped": 0}))
            else:
                print("PostgreSQL tests skipped: no server answered.")
        else:
            env = dict(base, DATABASE_URL=url)
            # The crash-consistency test's PostgreSQL half runs here (its SQLite half in the
            # SQLite pass), so the two halves run side by side.
            # Named one by one, not as "tests" with --ignore: pytest drops a file named on the
            # command line when a folder given beside it holds it and is ignored.
            args = rest or [
                *(
                    str(p.relative_to(ROOT))
                    for p in sorted((ROOT / "tests").iterdir())
                    if p.name not in ("engines", "install")
                    and ((p.is_dir() and (p / "__init__.py").exists()) or p.match("test_*.py"))
                ),
                *(f"tests/install/{name}" for name in INSTALL_POSTGRES_HALVES),
                *(str(p.relative_to(ROOT)) for p in engine_tests_for_postgres_pass()),
            ]
            passes.append(Pass("postgres", env, args, background=together))
            if not together:
                results.append(passes.pop().wait())
    if known.only in (None, "sqlite"):
        args = rest or ["tests"]
        if passes and not rest:
            # The browser tests drive the app through the database it was given; they run in
            # the PostgreSQL pass (the production database), which has the time for them, and
            # here only when there is no PostgreSQL pass. The fresh-install tests under
            # tests/install drive chromium against SQLite here.
            args = [*args, "--ignore=tests/browser", "--ignore=tests/tdb_app/test_browser.py"]
            # Django-free engine tests that take minutes (Transparency Database, Spark) run in
            # the PostgreSQL pass too, to even out the two passes; they touch no database.
            args += [f"--ignore={p.relative_to(ROOT)}" for p in engine_tests_for_postgres_pass()]
        results.append(Pass("sqlite", base, args, background=False).wait())
    results += [p.wait() for p in passes]
    total = {k: sum(c[k] for _, c in results) for k in ("passed", "failed", "skipped")}
    code = max((c for c, _ in results), default=1)
    # 5 is pytest's "no tests collected": a run that tested nothing is a failure here.
    if code == 5 or total["passed"] == 0:
        code = 1
    print(
        f"\ntests: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped"
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
