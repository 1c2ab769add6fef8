"""``amparo campaigns detect INPUT... --out DIR``: the campaign engine's command line."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Find coordinated campaigns and enforcement bursts in files of posts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args", nargs=argparse.REMAINDER, help="arguments of `campaigns`, e.g. detect --help"
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # Hand everything after the command name to the engine's own parser, so that
        # `amparo campaigns detect --help` shows the engine's options.
        from amparo.engines.campaigns.cli import main

        status = main(argv[2:])
        if status:
            raise SystemExit(status)

    def handle(self, *args: str, **options: object) -> None:
        from amparo.engines.campaigns.cli import main

        status = main(list(args))
        if status:
            raise CommandError(f"campaigns exited with status {status}")
