"""Realistic demo data: three organisations, people in every role, several languages."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction

from amparo.accounts import services
from amparo.accounts.models import Organisation, User
from amparo.accounts.roles import Role

DEMO_PASSWORD = "amparo-demo-passphrase"  # noqa: S105  (printed by the demo on purpose)

ORGANISATIONS = [
    # slug, name, kind, country, language
    (
        "linea-segura",
        "Línea Segura — helpline for journalists",
        Organisation.Kind.HELPLINE,
        "MX",
        "es",
    ),
    ("haq-cyber-helpline", "Haq Cyber Harassment Helpline", Organisation.Kind.HELPLINE, "PK", "ur"),
    (
        "mtandao-haki",
        "Mtandao wa Haki Kidijitali (coalition member)",
        Organisation.Kind.COALITION_MEMBER,
        "KE",
        "sw",
    ),
    # An EU-established organisation: acts as notifier under the DSA for defenders anywhere.
    ("schutzraum", "Schutzraum — Digital Defenders Europe", Organisation.Kind.CSO, "DE", "en"),
]

#: The legal identity each organisation sends notices under (DSA Art 16(2)(c)).
IDENTITIES = {
    "schutzraum": {
        "legal_name": "Schutzraum Digital Defenders Europe e.V.",
        "registration_number": "VR 40123 B",
        "registration_country": "DE",
        "postal_address": "Musterstraße 1\n10115 Berlin\nGermany",
        "notice_email": "dsa-notices@schutzraum.example.org",
    },
}

PEOPLE = {
    "linea-segura": [
        ("admin", "Mariana Torres", Role.ADMIN, "es", False),
        ("admin2", "Julián Ortega", Role.ADMIN, "es", False),
        ("coordinator", "Lucía Hernández", Role.COORDINATOR, "es", True),
        ("caseworker", "Diego Ramírez", Role.CASEWORKER, "es", False),
        ("viewer", "Ana Paula Souza", Role.VIEWER, "pt", False),
        ("intermediary", "Camille Durand", Role.INTERMEDIARY, "fr", False),
    ],
    "haq-cyber-helpline": [
        ("admin", "Ayesha Siddiqui", Role.ADMIN, "ur", False),
        ("admin2", "Bilal Ahmed", Role.ADMIN, "en", False),
        ("coordinator", "Farah Naz", Role.COORDINATOR, "ur", True),
        ("caseworker", "Hamza Qureshi", Role.CASEWORKER, "ur", False),
        ("viewer", "Zainab Malik", Role.VIEWER, "en", False),
        ("intermediary", "Reza Karimi", Role.INTERMEDIARY, "fa", False),
    ],
    "mtandao-haki": [
        ("admin", "Wanjiru Kamau", Role.ADMIN, "sw", False),
        ("admin2", "Otieno Odhiambo", Role.ADMIN, "en", False),
        ("coordinator", "Amina Hassan", Role.COORDINATOR, "sw", True),
        ("caseworker", "Brian Mwangi", Role.CASEWORKER, "sw", False),
        ("viewer", "Grace Achieng", Role.VIEWER, "en", False),
        ("intermediary", "Oleksandra Koval", Role.INTERMEDIARY, "uk", False),
    ],
    "schutzraum": [
        ("admin", "Jonas Weber", Role.ADMIN, "de", False),
        ("coordinator", "Leyla Demir", Role.COORDINATOR, "en", True),
        ("caseworker", "Sofía Castillo", Role.CASEWORKER, "es", False),
        ("researcher", "Tomasz Nowak", Role.RESEARCHER, "pl", False),
    ],
}


@dataclass
class Login:
    organisation: str
    email: str
    role: str
    totp_secret: str


@transaction.atomic
def seed() -> list[Login]:
    logins: list[Login] = []
    for slug, name, kind, country, language in ORGANISATIONS:
        organisation = services.create_organisation(
            name=name, slug=slug, kind=kind, country=country, default_language=language, actor=None
        )
        for local, display, role, user_language, shift_lead in PEOPLE[slug]:
            email = f"{local}@{slug}.example.org"
            user = User.objects.create_user(
                email, DEMO_PASSWORD, display_name=display, preferred_language=user_language
            )
            services.add_member(organisation, user, role, actor=None, is_shift_lead=shift_lead)
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            RecoveryCodes.activate(user)
            logins.append(Login(slug, email, role, secret))
        if slug in IDENTITIES:
            from amparo.accounts.identity import update_identity

            admin = User.objects.get(email=f"admin@{slug}.example.org")
            update_identity(organisation, IDENTITIES[slug], actor=admin)
    return logins
