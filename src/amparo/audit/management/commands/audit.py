from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.audit.models import ChainHead
from amparo.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Check the audit log: 'verify' detects edited, inserted or deleted events."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute the hash chain and report any break.")
        sub.add_parser(
            "head", help="Print the last sequence number and hash, to keep outside the server."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            head = ChainHead.objects.filter(id=1).first()
            self.stdout.write(f"{head.seq if head else 0} {head.hash if head else '0' * 64}")
            return
        count, problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(f"event {problem.seq}: {problem.reason}")
            raise CommandError(f"audit chain broken: {len(problems)} problem(s) in {count} events")
        self.stdout.write(f"audit chain intact: {count} events")
