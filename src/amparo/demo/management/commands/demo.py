"""``amparo demo``: a demo database with printed log-ins, then the web server and the worker.

The demo runs as production does — debugging off, static files from whitenoise — with its own
secrets kept in ``var/secrets`` (made by ``amparo.cli.prepare_demo_environment``). It stops its
web server and worker on Ctrl+C, SIGINT and SIGTERM; the process ids are kept in
``var/run/demo.pids`` so that a demo left behind by a killed terminal is stopped by the next.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

#: PR_SET_PDEATHSIG: the kernel sends the child this signal when the demo process dies.
_PR_SET_PDEATHSIG = 1


class _Stop(Exception):
    pass


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _is_amparo(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"amparo" in cmdline


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Set up the demo (SQLite, demo data, printed log-ins) and run the web server and worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument(
            "--no-serve", action="store_true", help="Only prepare data and print log-ins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.accounts.models import Organisation

        self._stop_leftovers()
        call_command("migrate", interactive=False, verbosity=0)
        if Organisation.objects.exists() and not self._logins_file().exists():
            raise CommandError(
                "this database holds organisations the demo did not create; the demo needs its "
                "own database (unset DATABASE_URL, or set AMPARO_DATA_DIR to an empty folder)"
            )
        if not Organisation.objects.exists():
            from amparo.demo.seed import seed

            logins = seed()
            self._write_logins(logins)
            from amparo.demo.reports import seed_reports

            seed_reports()
            from amparo.demo.tdb import seed_tdb
            from amparo.tdb.lookup import store_dir

            seed_tdb(store_dir())
            from amparo.demo.features import seed_features

            seed_features()
        self._print_logins(options["port"])
        if not options["no_serve"]:
            self._serve(options["port"])

    # --- files -------------------------------------------------------------------------------
    def _logins_file(self) -> Path:
        return Path(settings.DATA_DIR) / "secrets" / "demo-logins.tsv"

    def _pids_file(self) -> Path:
        return Path(settings.DATA_DIR) / "run" / "demo.pids"

    def _write_logins(self, logins: list[Any]) -> None:
        path = self._logins_file()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(path, "w", encoding="utf-8") as handle:
            for login in logins:
                handle.write(
                    f"{login.organisation}\t{login.email}\t{login.role}\t{login.totp_secret}\n"
                )
        path.chmod(0o600)

    def _print_logins(self, port: int) -> None:
        from amparo.demo.seed import DEMO_PASSWORD

        out = self.stdout.write
        out("")
        out(f"Amparo demo at http://127.0.0.1:{port}/  (health: http://127.0.0.1:{port}/healthz)")
        out(
            f"Public report form: http://127.0.0.1:{port}/report/linea-segura/  (also /report/haq-cyber-helpline/, /report/mtandao-haki/, /report/schutzraum/)"
        )
        out(f"API schema: http://127.0.0.1:{port}/api/v1/openapi.json")
        out(f"Password for every demo account: {DEMO_PASSWORD}")
        out("Two-factor codes: run  .venv/bin/amparo demo_code EMAIL  for the current code,")
        out("or add the TOTP secret below to any authenticator app.")
        out("")
        path = self._logins_file()
        if path.exists():
            out(f"{'organisation':<20} {'role':<13} {'e-mail':<45} TOTP secret")
            for line in path.read_text(encoding="utf-8").splitlines():
                org, email, role, secret = line.split("\t")
                out(f"{org:<20} {role:<13} {email:<45} {secret}")
        out("")

    # --- processes ---------------------------------------------------------------------------
    def _stop_leftovers(self) -> None:
        """Stop a web server and worker that an earlier demo left running (killed terminal)."""
        path = self._pids_file()
        if not path.exists():
            return
        pids = [int(p) for p in path.read_text().split() if p.isdigit()]
        leftovers = [p for p in pids if p != os.getpid() and _alive(p) and _is_amparo(p)]
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(p) for p in leftovers):
            time.sleep(0.2)
        for pid in leftovers:
            if _alive(pid) and _is_amparo(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        if leftovers:
            self.stdout.write(f"Stopped {len(leftovers)} process(es) left by an earlier demo.")
        path.unlink(missing_ok=True)

    def _serve(self, port: int) -> None:
        if not _port_free(port):
            raise CommandError(
                f"port {port} is already in use; stop what runs there or choose another "
                f"(PORT=8080 make demo, or amparo demo --port 8080)"
            )
        exe = [sys.executable, "-m", "amparo.cli"]
        env = dict(os.environ, PORT=str(port))

        def stop(signum: int, frame: FrameType | None) -> None:
            raise _Stop

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        procs: list[subprocess.Popen[bytes]] = []
        try:
            procs.append(subprocess.Popen([*exe, "worker"], env=env, preexec_fn=_die_with_parent))  # noqa: S603
            procs.append(
                subprocess.Popen(  # noqa: S603
                    [*exe, "serve", "--port", str(port)], env=env, preexec_fn=_die_with_parent
                )
            )
            pids = self._pids_file()
            pids.parent.mkdir(parents=True, exist_ok=True)
            pids.write_text("\n".join(str(p) for p in (os.getpid(), *(p.pid for p in procs))))
            self.stdout.write("Web server and worker running. Press Ctrl+C to stop.")
            self.stdout.flush()
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            failed = [p for p in procs if p.returncode not in (None, 0)]
            if failed:
                raise CommandError("the web server or the worker stopped; see the lines above")
        except _Stop:
            self.stdout.write("Stopping the demo ...")
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            self._pids_file().unlink(missing_ok=True)
