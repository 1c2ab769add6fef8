from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (accounts `amparo demo` made)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        from pathlib import Path

        logins = Path(settings.DATA_DIR) / "secrets" / "demo-logins.tsv"
        demo_emails = (
            {line.split("\t")[1] for line in logins.read_text(encoding="utf-8").splitlines()}
            if logins.exists()
            else set()
        )
        if options["email"].lower() not in demo_emails:
            raise CommandError(
                "not an account of this demo (see the log-ins `amparo demo` printed)"
            )
        import time

        from allauth.mfa.adapter import get_adapter
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        authenticator = Authenticator.objects.filter(
            user__email=options["email"].lower(), type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError("no such account with two-factor authentication")
        secret = get_adapter().decrypt(authenticator.data["secret"])
        now = time.time()
        code = format_hotp_value(hotp_value(secret, int(now // 30)))
        self.stdout.write(f"{code}  (valid for {30 - int(now % 30)} more seconds, once)")
