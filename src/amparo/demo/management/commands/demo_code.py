from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo only, AMPARO_DEBUG=1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("only available in the demo (AMPARO_DEBUG=1)")
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
