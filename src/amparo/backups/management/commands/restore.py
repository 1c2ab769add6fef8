from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.backups import services


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'amparo backup' into an empty database and AMPARO_BLOB_DIR, "
        "then check row counts, file hashes, the audit chain and a decryption sample. "
        "With --verify, restore into a scratch copy, check it and remove it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="The backup file (.age).")
        parser.add_argument(
            "--identity",
            "-i",
            required=True,
            metavar="KEYFILE",
            help="The age identity file (AGE-SECRET-KEY-1...) whose public key it was made for.",
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help=(
                "Restore drill: into a scratch SQLite file or PostgreSQL database (needs "
                "CREATEDB) and a scratch folder, check everything, remove them; the live "
                "database and files are not touched. Needs the KEK, to decrypt the sample."
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Replace a database that is not empty, and write into a blob folder that is not "
                "empty. Stop the web server and the worker first."
            ),
        )
        parser.add_argument(
            "--sample",
            type=int,
            default=5,
            metavar="N",
            help="Rows per model with encrypted fields, and evidence files, to decrypt (5).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = services.restore(
                Path(options["backup"]),
                services.read_identities(Path(options["identity"])),
                force=options["force"],
                verify_only=options["verify"],
                sample=max(options["sample"], 0),
                progress=self.stdout.write,
            )
        except services.BackupError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines:
            self.stdout.write(line)
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        for problem in report.problems:
            self.stderr.write(f"problem: {problem}")
        what = "restore drill" if options["verify"] else "restore"
        if report.problems:
            raise CommandError(f"{what} failed: {len(report.problems)} problem(s)")
        self.stdout.write(f"{what}: OK")
