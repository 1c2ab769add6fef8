"""``amparo webhooks secret ORG CHANNEL``: create or rotate a webhook's signing secret."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Manage the signing secrets of an organisation's webhooks (register channels with a "
        "webhook_url): 'secret' creates or rotates one and prints it once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        secret = sub.add_parser(
            "secret",
            help=(
                "Create (or replace) the secret a channel's webhook is signed with and print it; "
                "give it to the receiving system. It is stored encrypted and never shown again."
            ),
        )
        secret.add_argument("organisation", help="The organisation's slug.")
        secret.add_argument("channel", help="The register channel's code.")
        sub.add_parser("list", help="List the channels that have a secret (never the secret).")

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.accounts.models import Organisation
        from amparo.core.models import WebhookSecret
        from amparo.outbound import services as outbound

        if options["action"] == "list":
            for org_slug, endpoint, created in WebhookSecret.objects.order_by(
                "organisation__slug", "endpoint"
            ).values_list("organisation__slug", "endpoint", "created_at"):
                self.stdout.write(f"{org_slug} {endpoint} (set {created:%Y-%m-%d %H:%M})")
            return
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation {options['organisation']!r}")
        from amparo.escalations import register

        try:
            channel = register.channel(organisation, options["channel"])
        except KeyError:
            raise CommandError(f"no register channel {options['channel']!r}") from None
        if not (channel.extra or {}).get("webhook_url"):
            self.stderr.write(
                "note: this channel has no webhook_url yet (set it in the register overrides)"
            )
        self.stdout.write(outbound.set_webhook_secret(organisation, options["channel"]))
