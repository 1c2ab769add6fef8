"""The fixed vocabularies of the escalation register: channel kinds, fields, roles, addresses.

Kept apart from the loader so that the app (forms, packages, data minimisation) can import the
constants without loading any data.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    """What sort of route a channel is."""

    IN_APP_APPEAL = "in_app_appeal"
    DSA_NOTICE = "dsa_notice"
    DSA_COMPLAINT = "dsa_complaint"
    TRUSTED_PARTNER = "trusted_partner"
    EMAIL = "email"
    OVERSIGHT_BOARD = "oversight_board"
    ODS = "ods"
    REGULATOR = "regulator"
    NON_EU_ROUTE = "non_eu_route"


# Default order of "most effective first" when a channel does not set its own ``priority``.
# A trusted channel answers fastest; the Art 20 system binds the platform by law; an in-app
# appeal is the same queue for most users; ODS bodies and the Oversight Board are independent
# but slow; a role e-mail box and regulators come last (no individual remedy is guaranteed).
KIND_PRIORITY: dict[Kind, int] = {
    Kind.TRUSTED_PARTNER: 100,
    Kind.DSA_COMPLAINT: 90,
    Kind.IN_APP_APPEAL: 80,
    Kind.DSA_NOTICE: 75,
    Kind.ODS: 70,
    Kind.OVERSIGHT_BOARD: 60,
    Kind.EMAIL: 50,
    Kind.NON_EU_ROUTE: 45,
    Kind.REGULATOR: 40,
}

# Kinds that exist only under the DSA: the loader refuses them unless ``eu_users_only`` is true.
EU_ONLY_KINDS = frozenset({Kind.DSA_NOTICE, Kind.DSA_COMPLAINT, Kind.ODS})


class Field(StrEnum):
    """What a package sent through a channel may carry (the data-minimisation vocabulary).

    A channel lists the fields it *requires* and the ones it *accepts*; an escalation package
    to that channel may carry nothing else (see ``Channel.may_carry``).
    """

    CONTENT_URLS = "content_urls"
    ACCOUNT_HANDLE = "account_handle"
    DECISION_REFERENCE = "decision_reference"
    DECISION_DATE = "decision_date"
    STATEMENT_OF_REASONS = "statement_of_reasons"
    EXPLANATION = "explanation"
    LEGAL_GROUND = "legal_ground"
    NOTIFIER_NAME = "notifier_name"
    NOTIFIER_EMAIL = "notifier_email"
    GOOD_FAITH_STATEMENT = "good_faith_statement"
    AFFECTED_USER_IDENTITY = "affected_user_identity"
    AFFECTED_USER_CONTACT = "affected_user_contact"
    MANDATE = "mandate"
    ORGANISATION_NAME = "organisation_name"
    PRIOR_COMPLAINT_REFERENCE = "prior_complaint_reference"
    EVIDENCE_FILES = "evidence_files"
    COUNTRY = "country"
    LANGUAGE = "language"
    REQUESTED_ACTION = "requested_action"


FIELDS = frozenset(f.value for f in Field)

# What a caseworker types on the escalate page (everything else comes from the case): the
# register may name these as required and the caseworker can always fill them.
CASEWORKER_FIELDS = (
    Field.EXPLANATION,
    Field.LEGAL_GROUND,
    Field.REQUESTED_ACTION,
    Field.CONTENT_URLS,
    Field.DECISION_REFERENCE,
    Field.DECISION_DATE,
    Field.PRIOR_COMPLAINT_REFERENCE,
    Field.STATEMENT_OF_REASONS,
)

# The four elements of a notice under DSA Art 16(2): (a) explanation and legal ground, (b) the
# exact URLs, (c) the notifier's name and e-mail, (d) the bona fide statement.
ART16_ELEMENTS = (
    Field.EXPLANATION,
    Field.LEGAL_GROUND,
    Field.CONTENT_URLS,
    Field.NOTIFIER_NAME,
    Field.NOTIFIER_EMAIL,
    Field.GOOD_FAITH_STATEMENT,
)

# Incident types (kept equal to amparo.intake.choices.IncidentType, tested): the register's
# legal-ground suggestions are keyed by them.
INCIDENT_TYPES = frozenset(
    {
        "account_suspended",
        "content_removed",
        "reach_reduced",
        "harassment",
        "threats_of_violence",
        "doxxing",
        "impersonation",
        "account_hacked",
        "ncii",
        "smear_campaign",
        "false_mass_reporting",
        "government_takedown",
        "internet_shutdown",
        "other",
    }
)

# Fields that identify or locate a person. Amparo sends them only with the reporter's consent
# to that disclosure; ``notifier_*`` is normally the organisation's own role address.
PERSONAL_FIELDS = frozenset(
    {
        Field.ACCOUNT_HANDLE,
        Field.AFFECTED_USER_IDENTITY,
        Field.AFFECTED_USER_CONTACT,
        Field.MANDATE,
        Field.NOTIFIER_NAME,
        Field.NOTIFIER_EMAIL,
    }
)


class Role(StrEnum):
    """Who is using the channel in this case."""

    AFFECTED_USER = "affected_user"  # the person whose content or account was acted on
    NOTIFIER = "notifier"  # whoever reports content (a CSO, the target of harassment)
    REPRESENTATIVE = "representative"  # a CSO acting for the affected user with their mandate


class ResponseBasis(StrEnum):
    """Where ``expected_response_hours`` comes from."""

    LAW = "law"  # a number written in law (e.g. DSA Art 21(4): 90 days)
    PLATFORM_STATEMENT = "platform_statement"  # the platform or body publishes it
    PRACTICE = "practice"  # the law says "without undue delay": a helpline-practice default


ELIGIBILITY_FLAGS = (
    "eu_users_only",
    "trusted_flaggers_only",
    "trusted_partners_only",
    "affected_users",
    "notifiers",
    "representatives",
    "representatives_art86",
)

# EU member states (ISO 3166-1 alpha-2), and the EEA states outside the EU.
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
EEA_NON_EU = frozenset({"IS", "LI", "NO"})
# Iceland, Liechtenstein and Norway are *not* DSA territory by default: the Regulation is marked
# "Text with EEA relevance" but applies there only once incorporated into the EEA Agreement.
# The register's data/law/territory.json lists an EEA state once that has happened.

# ---------------------------------------------------------------------------------------------
# Role addresses. A register entry may hold an e-mail address only if it reaches a function, not
# a person: every word of its local part must be one of these (or a number), and it must not look
# like firstname.lastname. A documented exception goes in ROLE_ADDRESS_EXCEPTIONS with a reason.
# ---------------------------------------------------------------------------------------------
ROLE_WORDS = frozenset(
    [
        "abuse",
        "accessibility",
        "admin",
        "and",
        "appeal",
        "appeals",
        "authorities",
        "authority",
        "casework",
        "cases",
        "complaint",
        "complaints",
        "compliance",
        "contact",
        "coordination",
        "copyright",
        "counsel",
        "dpo",
        "dsa",
        "desk",
        "digital",
        "enquiries",
        "escalation",
        "escalations",
        "eu",
        "europe",
        "grievance",
        "grievances",
        "help",
        "helpdesk",
        "helpline",
        "hotline",
        "info",
        "law",
        "legal",
        "mail",
        "moderation",
        "noreply",
        "notice",
        "notices",
        "office",
        "ombudsman",
        "online",
        "partner",
        "partners",
        "platform",
        "platforms",
        "policy",
        "press",
        "privacy",
        "protection",
        "recover",
        "redress",
        "regulation",
        "regulatory",
        "report",
        "reports",
        "request",
        "requests",
        "response",
        "review",
        "rights",
        "safety",
        "secretariat",
        "security",
        "service",
        "services",
        "support",
        "team",
        "trust",
        "trustandsafety",
        "tns",
        "ts",
        "urgent",
        "users",
    ]
)

ROLE_ADDRESS_EXCEPTIONS: dict[str, str] = {
    # "address@example.org": "why this is a role address although its words are not listed",
}

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_PERSONAL_SHAPE = re.compile(r"^[a-z]+[._][a-z]+$|^[a-z]\.?[a-z]{2,}$|^[a-z]{2,}\.[a-z]$")


def is_role_address(address: str) -> bool:
    """True when ``address`` reaches a function (legal@, dsa@, abuse@...), not a named person."""
    address = address.strip().lower()
    if address in ROLE_ADDRESS_EXCEPTIONS:
        return True
    if not EMAIL_RE.fullmatch(address):
        return False
    local = address.split("@", 1)[0].split("+", 1)[0]
    words = [w for w in re.split(r"[._\-]", local) if w]
    if not words:
        return False
    return all(w in ROLE_WORDS or w.isdigit() for w in words)


def looks_personal(address: str) -> bool:
    """A stricter, explanatory check: firstname.lastname@, f.lastname@, flastname@ shapes."""
    local = address.strip().lower().split("@", 1)[0]
    return bool(_PERSONAL_SHAPE.match(local)) and not is_role_address(address)
