from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.backups import services


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database and the encrypted files, encrypted with age "
        "to the operator's public key(s). The KEK is never in it: back it up separately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "output",
            help="The backup file to write, or a folder for amparo-YYYYMMDDTHHMMSSZ.age.",
        )
        parser.add_argument(
            "--recipient",
            "-r",
            action="append",
            default=[],
            metavar="AGE1...",
            help="An age public key to encrypt to (repeatable; made with age-keygen).",
        )
        parser.add_argument(
            "--recipients-file",
            "-R",
            action="append",
            default=[],
            metavar="FILE",
            help="A file of age public keys, one per line (repeatable).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        values = list(options["recipient"])
        for name in options["recipients_file"]:
            try:
                values += Path(name).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"cannot read {name}: {exc.strerror}") from None
        try:
            result = services.backup(Path(options["output"]), services.parse_recipients(values))
        except services.BackupError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        head = m["audit_head"]
        self.stdout.write(
            f"wrote {result.path}: {m['vendor']} database, {len(m['counts'])} tables, "
            f"{sum(m['counts'].values())} rows, {len(m['blobs'])} file(s)"
        )
        self.stdout.write(f"audit head: {head['seq']} {head['hash']}")
        self.stdout.write(
            "The KEK is not in the backup: keep it separately (KEK ids needed: "
            f"{', '.join(m['kek_ids']) or 'none'})."
        )
