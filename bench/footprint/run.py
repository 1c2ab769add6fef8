"""Benchmark: the footprint of a production install — disk, and memory of web + worker at idle.

    .venv/bin/python bench/footprint/run.py              # what `make bench-footprint` runs
    .venv/bin/python bench/footprint/run.py --venv .venv --no-record   # measure an existing venv

1. Builds a fresh virtual environment in a temporary directory with the server install only
   (``pip install --require-hashes -r requirements/server.txt`` then ``pip install --no-deps .``,
   as docs/operations.md says) and measures its size on disk, against the all-extras
   development venv (``.venv``, what ``make install`` builds from requirements/lock.txt) as the
   baseline.
2. From that venv, on a temporary SQLite database with a generated web secret and KEK:
   ``amparo migrate``, one organisation, then ``amparo serve`` (default workers and threads)
   and ``amparo worker``. Waits for ``GET /healthz``, makes ``--requests`` requests over a mix
   of pages (sign-in page, public report form, health check, a static file, the API schema),
   idles ``--idle`` seconds, and measures the resident (RSS) and proportional (PSS: shared
   pages split between the processes that share them) memory of every process of both.
3. Prints the figures against the goals (600 MB on disk, 600 MB of memory) and replaces the
   "Footprint" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "intake"))
import payloads

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import results_file  # noqa: E402

SECTION = "## Footprint (bench/footprint)"
MB = 1_000_000
DISK_GOAL = 600 * MB
MEMORY_GOAL = 600 * MB
ORG = "footprint"
#: (path, weight): the request mix, in turn.
PAGES = [
    ("/accounts/login/", 3),
    (f"/report/{ORG}/", 3),
    ("/healthz", 2),
    ("/static/amparo/css/app.css", 1),
    ("/api/v1/openapi.json", 1),
]
#: Run by `amparo shell -c`: the organisation and an API token for the submissions.
SETUP = """
import secrets
from pathlib import Path
from amparo.accounts.models import User
from amparo.accounts.services import create_organisation
from amparo.intake import tokens
from amparo.intake.models import ApiToken
organisation = create_organisation(name="Footprint", slug="{org}", actor=None)
user = User.objects.create_user(email="footprint@example.org", password=secrets.token_urlsafe(24))
_, secret = tokens.create(organisation, name="footprint", scopes=[ApiToken.Scope.SUBMIT], actor=user)
Path("{out}").write_text(secret)
"""


def du(path: Path) -> int:
    """Bytes on disk under ``path`` (allocated blocks, as ``du`` counts; hard links once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(dirpath, name))
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total


def biggest(venv: Path, n: int = 8) -> list[tuple[str, int]]:
    site = next((venv / "lib").glob("python3*/site-packages"))
    sizes: dict[str, int] = {}
    for entry in site.iterdir():
        if entry.name.endswith((".dist-info", ".pth")) or entry.name == "__pycache__":
            continue
        # one figure per project: polars and _polars_runtime_32, numpy and numpy.libs, ...
        key = entry.name.split(".")[0].lstrip("_").split("_runtime")[0].split("-")[0].lower()
        size = du(entry) if entry.is_dir() else entry.lstat().st_blocks * 512
        sizes[key] = sizes.get(key, 0) + size
    return sorted(sizes.items(), key=lambda kv: -kv[1])[:n]


def build_server_venv(dest: Path) -> float:
    started = time.perf_counter()
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(dest)], check=True)
    pip = [
        str(dest / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    lock = ROOT / "requirements" / "server.txt"
    subprocess.run([*pip, "--require-hashes", "-r", str(lock)], check=True)
    # a copy of the tree, so that the build leaves nothing behind in the checkout
    src = dest.parent / "src-copy"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "bench", "tests", "*.egg-info", "__pycache__"
        ),
    )
    subprocess.run([*pip, "--no-deps", str(src)], check=True)
    shutil.rmtree(src)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 10) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        r.read()
        return int(r.status)


def submit(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        r.read()
        return int(r.status)


def tree(pid: int) -> list[psutil.Process]:
    p = psutil.Process(pid)
    return [p, *p.children(recursive=True)]


def memory(procs: list[psutil.Process]) -> dict[str, int]:
    out = {"rss": 0, "pss": 0, "uss": 0, "n": 0}
    for p in procs:
        try:
            m = p.memory_full_info()
        except psutil.NoSuchProcess:
            continue
        out["rss"] += m.rss
        out["pss"] += m.pss
        out["uss"] += m.uss
        out["n"] += 1
    return out


def measure(venv: Path, work: Path, args: argparse.Namespace) -> dict:
    amparo = str(venv / "bin" / "amparo")
    data = work / "data"
    data.mkdir()
    secret = work / "secret_key"
    secret.write_text(os.urandom(40).hex() + "\n")
    secret.chmod(0o600)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AMPARO_", "DJANGO_", "DATABASE_")) and k != "VIRTUAL_ENV"
    }
    env.update(
        AMPARO_SECRET_KEY_FILE=str(secret),
        AMPARO_KEK_FILE=str(work / "kek.key"),
        AMPARO_DATA_DIR=str(data),
        DATABASE_URL=f"sqlite:///{work / 'amparo.sqlite3'}",
        PATH=f"{venv / 'bin'}:{env.get('PATH', '')}",
    )
    log = (work / "server.log").open("w")

    def run(*cmd: str, environ: dict[str, str] = env) -> None:
        subprocess.run([amparo, *cmd], env=environ, cwd=work, check=True, stdout=log, stderr=log)

    no_kek = {k: v for k, v in env.items() if k != "AMPARO_KEK_FILE"}
    run("keys", "generate-kek", str(work / "kek.key"), environ=no_kek)
    run("migrate")
    token_file = work / "token"
    run("shell", "-c", SETUP.format(org=ORG, out=token_file))
    token = token_file.read_text().strip()
    port = free_port()
    serve_cmd = [amparo, "serve", "--port", str(port), *args.serve_args]
    procs = {
        "web": subprocess.Popen(
            serve_cmd, env=env, cwd=work, stdout=log, stderr=log, start_new_session=True
        ),
        "worker": subprocess.Popen(
            [amparo, "worker"], env=env, cwd=work, stdout=log, stderr=log, start_new_session=True
        ),
    }
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if get(base + "/healthz", timeout=2) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or procs["web"].poll() is not None:
                raise SystemExit(f"amparo serve did not answer; see {work / 'server.log'}")
            time.sleep(0.5)
        ready = time.monotonic()
        started_memory = {name: memory(tree(p.pid)) for name, p in procs.items()}
        mix = [path for path, weight in PAGES for _ in range(weight)]
        statuses: dict[str, set[int]] = {}
        rng = random.Random(7)
        every = args.requests // args.submit if args.submit else 0
        t = time.perf_counter()
        for i in range(args.requests):
            if every and i % every == every - 1 and i // every < args.submit:
                path = "POST /api/v1/reports"
                status = submit(base + "/api/v1/reports", token, payloads.report(rng, date.today()))
                statuses.setdefault(path, set()).add(201 if status == 201 else status)
                continue
            path = mix[i % len(mix)]
            statuses.setdefault(path, set()).add(get(base + path))
        seconds = time.perf_counter() - t
        bad = {p: s for p, s in statuses.items() if s - {200, 201}}
        if bad:
            raise SystemExit(f"unexpected answers: {bad}")
        time.sleep(args.idle)
        for name, p in procs.items():
            if p.poll() is not None:
                raise SystemExit(f"amparo {name} ended; see {work / 'server.log'}")
        after = {name: memory(tree(p.pid)) for name, p in procs.items()}
        return {
            "started": started_memory,
            "after": after,
            "requests_seconds": seconds,
            "startup_seconds": ready,
        }
    finally:
        for p in procs.values():
            if p.poll() is None:
                os.killpg(p.pid, 15)
        for p in procs.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
        log.close()


def machine() -> str:
    return results_file.machine()


def fmt(n: int) -> str:
    return f"{n / MB:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, help="measure this venv instead of building one")
    parser.add_argument("--baseline", type=Path, default=ROOT / ".venv", help="all-extras venv")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--submit", type=int, default=10, help="how many of the requests submit a report (API)"
    )
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before measuring")
    parser.add_argument("--no-record", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("serve_args", nargs="*", help="extra arguments for amparo serve (after --)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="amparo-footprint-"))
    try:
        if args.venv:
            venv, built = args.venv.resolve(), None
        else:
            venv = work / "venv"
            print(f"building the server venv in {venv} ...", flush=True)
            built = build_server_venv(venv)
        disk = du(venv)
        big = ", ".join(f"{name} {size / MB:.0f}" for name, size in biggest(venv))
        baseline = du(args.baseline) if args.baseline.is_dir() else 0
        print("starting amparo serve and amparo worker ...", flush=True)
        m = measure(venv, work, args)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    web, worker = m["after"]["web"], m["after"]["worker"]
    rss = web["rss"] + worker["rss"]
    pss = web["pss"] + worker["pss"]
    s0 = m["started"]
    rows = [
        ("venv on disk (server install)", disk, DISK_GOAL),
        ("web + worker, RSS summed", rss, MEMORY_GOAL),
        ("web + worker, PSS summed", pss, MEMORY_GOAL),
    ]
    lines = [
        "| figure | measured | goal | ratio to goal |",
        "|---|---:|---:|---:|",
        *[f"| {name} | {fmt(v)} | {fmt(g)} | {v / g:.2f} |" for name, v, g in rows],
    ]
    detail = [
        "| processes | count | RSS | PSS | USS | RSS at start |",
        "|---|---:|---:|---:|---:|---:|",
        *[
            f"| {name} | {x['n']} | {fmt(x['rss'])} | {fmt(x['pss'])} | {fmt(x['uss'])} "
            f"| {fmt(s0[name]['rss'])} |"
            for name, x in (("web", web), ("worker", worker))
        ],
    ]
    serve = "amparo serve " + (" ".join(args.serve_args) or "(defaults)")
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    baseline_line = (
        f"The all-extras development venv (`{args.baseline.name}`, requirements/lock.txt: PySpark, "
        f"Playwright, pytest, mypy, the benchmark peers) takes {fmt(baseline)}: the server "
        f"install is {disk / baseline:.2f} of it."
        if baseline
        else ""
    )
    section = "\n".join(
        [
            SECTION,
            "",
            f"Machine: {machine()}. {when}, `python bench/footprint/run.py"
            + (f" --venv {args.venv}" if args.venv else "")
            + "`.",
            "",
            (
                f"Server install (requirements/server.txt + `pip install --no-deps .`, built in "
                f"{built:.0f} s)"
                if built is not None
                else f"Venv measured: `{args.venv}`"
            )
            + f"; `{serve}` and `amparo worker` on SQLite, {args.requests} requests "
            f"(sign-in page, report form, healthz, a static file, the API schema, and "
            f"{args.submit} report submissions through the API, which the worker then triages; "
            f"{m['requests_seconds']:.1f} s), then {args.idle:.0f} s idle.",
            "",
            *lines,
            "",
            *detail,
            "",
            "RSS counts every page a process has mapped, shared ones (the interpreter, libraries, "
            "copy-on-write pages from gunicorn's master) once per process: it is what `ps` and "
            "`top` show, and its sum overstates what the processes take together. PSS splits each "
            "shared page between the processes that map it, so the sum of PSS is what they "
            "take from the machine's memory (`free` reports it as used).",
            "",
            baseline_line,
            f"Biggest packages on disk (MB): {big}.",
        ]
    )
    print("\n" + section)
    if not args.no_record:
        results_file.replace_section(SECTION, section + "\n")
        print(f"\nwrote {results_file.RESULTS}")


if __name__ == "__main__":
    main()
