"""``amparo setup``: the first organisation and its first administrator, on a new install.

Interactive by default; every answer can be given as a flag for scripts (``--no-input`` makes a
missing one an error instead of a question). Prints a single-use invitation link: the
administrator opens it, sets a password and enrols two-factor authentication.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.text import slugify

from amparo.accounts.models import Organisation


class Command(BaseCommand):
    help = (
        "Create the first organisation and a single-use invitation link for its first "
        "administrator (who sets a password and enrols two-factor authentication on first visit)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="The organisation's name.")
        parser.add_argument(
            "--slug", help="Short name used in addresses (default: made from the name)."
        )
        parser.add_argument(
            "--kind",
            choices=Organisation.Kind.values,
            default=None,
            help="Kind of organisation (default: helpline).",
        )
        parser.add_argument("--country", help="Two-letter country code (ISO 3166-1), optional.")
        parser.add_argument(
            "--language",
            help="Default language of the organisation's pages (default: en).",
        )
        parser.add_argument("--admin-email", help="E-mail address of the first administrator.")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Never ask: a missing required answer is an error (for scripts).",
        )

    def _ask(self, options: dict[str, Any], key: str, question: str, default: str = "") -> str:
        value = options.get(key)
        if value:
            return str(value).strip()
        if options["no_input"] or not sys.stdin.isatty():
            if default:
                return default
            raise CommandError(f"--{key.replace('_', '-')} is required with --no-input")
        suffix = f" [{default}]" if default else ""
        answer = input(f"{question}{suffix}: ").strip()
        return answer or default

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.accounts import services
        from amparo.core.runtime import require_migrated_database
        from amparo.keyring.kek import current_kek

        current_kek()  # the app cannot open anything without it: say so now
        require_migrated_database()

        name = self._ask(options, "organisation", "Organisation name")
        if not name:
            raise CommandError("the organisation needs a name")
        slug = self._ask(options, "slug", "Short name for addresses", slugify(name)[:60])
        if slug != slugify(slug) or not slug:
            raise CommandError(
                f"--slug {slug!r}: use lower-case letters, digits and hyphens (e.g. {slugify(name)!r})"
            )
        email = self._ask(options, "admin_email", "First administrator's e-mail address").lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address") from None
        country = self._ask(options, "country", "Country (two letters, optional)", "-")
        country = "" if country == "-" else country.upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise CommandError(f"--country {country!r}: give a two-letter code such as DE or KE")
        language = self._ask(options, "language", "Default language", "en")
        if language not in dict(settings.LANGUAGES):
            codes = ", ".join(code for code, _ in settings.LANGUAGES)
            raise CommandError(f"--language {language!r}: choose one of {codes}")
        kind = options.get("kind") or Organisation.Kind.HELPLINE

        try:
            organisation, invitation, token, created = services.set_up_organisation(
                name=name,
                slug=slug,
                admin_email=email,
                kind=kind,
                country=country,
                default_language=language,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        from amparo.keyring.signing import signing_key_for

        signing_key_for(organisation)  # its dossier-signing key (docs/dossier-format.md)

        link = settings.SITE_URL + reverse("accept_invitation", args=[token])
        out = self.stdout.write
        if created:
            out(f"Created the organisation {organisation.name} ({organisation.slug}).")
        else:
            out(f"{organisation.name} ({organisation.slug}) has no administrator yet.")
        out(
            f"Invitation for its first administrator, {email}, usable once, valid until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC:"
        )
        out("")
        out(f"    {link}")
        out("")
        out("Open it to set a password and enrol two-factor authentication.")
        if settings.SITE_URL.startswith("http://localhost"):
            out(
                "The link uses AMPARO_SITE_URL, which is not set: on a server, set it to the "
                "public address (https://amparo.example.org) and run `amparo setup` again."
            )
