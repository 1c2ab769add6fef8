"""``amparo dossier ...``: forwards its arguments to :func:`amparo.engines.dossier.cli.main`.

``amparo dossier verify FILE [--keys KEYS.json]`` needs no settings, database or secret.
"""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Signed dossiers of collective actions: verify FILE [--keys KEYS.json], schema."

    def run_from_argv(self, argv: list[str]) -> None:
        # The engine's own parser owns every option, so Django's is bypassed.
        from amparo.engines.dossier.cli import main

        sys.exit(main(argv[2:]))

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("args", nargs=argparse.REMAINDER)

    def handle(self, *args: str, **options: object) -> None:
        from amparo.engines.dossier.cli import main

        code = main(list(args))
        if code:
            raise CommandError(f"dossier exited with status {code}", returncode=code)
