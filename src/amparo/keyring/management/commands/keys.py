from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.keyring import envelope


class Command(BaseCommand):
    help = "Manage encryption keys: generate a KEK, re-wrap data keys after a KEK rotation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate-kek", help="Write a new random key-encryption key file.")
        gen.add_argument("path", help="Where to write the key (created with mode 600).")
        sub.add_parser(
            "rewrap",
            help=(
                "Re-wrap every data key under the current KEK (AMPARO_KEK_FILE), opening old "
                "ones with AMPARO_KEK_PREVIOUS. Run after pointing AMPARO_KEK_FILE at a new key."
            ),
        )
        sub.add_parser("status", help="Count data keys per KEK, without showing any key.")
        rotate = sub.add_parser(
            "rotate-signing",
            help=(
                "Retire an organisation's dossier-signing key and make a new one (the old "
                "public key stays published, so dossiers it signed still verify)."
            ),
        )
        rotate.add_argument("--organisation", required=True, metavar="SLUG")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "generate-kek":
            path = Path(options["path"])
            if path.exists():
                raise CommandError(f"{path} exists; refusing to overwrite a key")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            key = envelope.new_key()
            with os.fdopen(fd, "w") as handle:
                handle.write(envelope.format_key(key) + "\n")
            self.stdout.write(f"wrote KEK {envelope.key_id(key)} to {path}")
            return
        if action == "rotate-signing":
            self._rotate_signing(options["organisation"])
            return
        from amparo.keyring.kek import current_kek
        from amparo.keyring.models import DataKey
        from amparo.keyring.services import rewrap_all

        if action == "rewrap":
            changed = rewrap_all()
            self.stdout.write(f"re-wrapped {changed} data key(s) under KEK {current_kek()[0]}")
            return
        kid, _ = current_kek()
        self.stdout.write(f"current KEK: {kid}")
        for row in (
            DataKey.objects.filter(shredded_at__isnull=True)
            .values_list("kek_id", flat=True)
            .distinct()
        ):
            count = DataKey.objects.filter(kek_id=row, shredded_at__isnull=True).count()
            self.stdout.write(f"  {row}: {count} live data key(s)")
        shredded = DataKey.objects.filter(shredded_at__isnull=False).count()
        self.stdout.write(f"  shredded: {shredded}")

    def _rotate_signing(self, slug: str) -> None:
        from amparo.accounts.models import Organisation
        from amparo.keyring.signing import rotate_signing_key

        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"--organisation {slug!r}: no organisation has that short name")
        key_id = rotate_signing_key(organisation, actor=None)
        self.stdout.write(
            f"{organisation.slug}: new signing key {key_id}; the retired key stays published at "
            f"/.well-known/amparo/{organisation.slug}/signing-keys.json"
        )
