from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.keyring import envelope


class Command(BaseCommand):
    help = "Set up the demo (SQLite, demo data, printed log-ins) and run the web server and worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument(
            "--no-serve", action="store_true", help="Only prepare data and print log-ins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("the demo runs only with AMPARO_DEBUG=1 (it prints secrets)")
        self._ensure_kek()
        call_command("migrate", interactive=False, verbosity=0)
        from amparo.accounts.models import Organisation

        if not Organisation.objects.exists():
            from amparo.demo.seed import seed

            logins = seed()
            self._write_logins(logins)
            from amparo.demo.reports import seed_reports

            seed_reports()
        self._print_logins(options["port"])
        if not options["no_serve"]:
            self._serve(options["port"])

    def _ensure_kek(self) -> None:
        if settings.AMPARO_KEK:
            return
        path = Path(settings.DATA_DIR) / "secrets" / "kek.key"
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(envelope.format_key(envelope.new_key()) + "\n")
        settings.AMPARO_KEK = path.read_text().strip()
        os.environ["AMPARO_KEK_FILE"] = str(path)

    def _logins_file(self) -> Path:
        return Path(settings.DATA_DIR) / "secrets" / "demo-logins.tsv"

    def _write_logins(self, logins: list[Any]) -> None:
        path = self._logins_file()
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
            f"Public report form: http://127.0.0.1:{port}/report/linea-segura/  (also /report/haq-cyber-helpline/, /report/mtandao-haki/)"
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

    def _serve(self, port: int) -> None:
        exe = [sys.executable, "-m", "amparo.cli"]
        env = dict(os.environ, PORT=str(port))
        procs = [
            subprocess.Popen([*exe, "worker"], env=env),  # noqa: S603
            subprocess.Popen([*exe, "serve", "--port", str(port)], env=env),  # noqa: S603
        ]
        self.stdout.write("Web server and worker running. Press Ctrl+C to stop.")
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
