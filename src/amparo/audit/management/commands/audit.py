from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.audit.chain import parse_head
from amparo.audit.selectors import current_head, verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log: 'verify' detects edited, inserted or deleted events; 'head' "
        "prints the chain head to keep outside the server, and 'verify --head' checks it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Recompute the hash chain and report any break.")
        verify.add_argument(
            "--head",
            action="append",
            default=[],
            metavar="'SEQ HASH'",
            help=(
                "A head printed earlier by 'amparo audit head' and kept outside the server "
                "(repeatable): detects a cut tail whose stored head was rewritten to match."
            ),
        )
        sub.add_parser(
            "head",
            help="Print the last sequence number and hash ('SEQ HASH'), to keep outside the server.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            seq, digest = current_head()
            self.stdout.write(f"{seq} {digest}")
            return
        heads = []
        for text in options["head"]:
            try:
                heads.append(parse_head(text))
            except ValueError as exc:
                raise CommandError(f"--head {text!r}: {exc}") from None
        count, problems = verify_chain(published=heads)
        if problems:
            for problem in problems:
                self.stderr.write(f"event {problem.seq}: {problem.reason}")
            raise CommandError(f"audit chain broken: {len(problems)} problem(s) in {count} events")
        checked = f", consistent with {len(heads)} published head(s)" if heads else ""
        self.stdout.write(f"audit chain intact: {count} events{checked}")
