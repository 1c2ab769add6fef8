"""``amparo tdb ...``: forwards its arguments untouched to :func:`amparo.engines.tdb.cli.main`."""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "DSA Transparency Database: ingest, aggregate, lens, lookup, population, status."

    def run_from_argv(self, argv: list[str]) -> None:
        # The engine's own parser owns every option, so Django's is bypassed.
        from amparo.engines.tdb.cli import main

        sys.exit(main(argv[2:]))

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("args", nargs=argparse.REMAINDER)

    def handle(self, *args: str, **options: object) -> None:
        from amparo.engines.tdb.cli import main

        code = main(list(args))
        if code:
            raise CommandError(f"tdb exited with status {code}", returncode=code)
