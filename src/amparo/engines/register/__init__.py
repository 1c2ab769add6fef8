"""The escalation register: where and how a case can be escalated, per platform and channel.

A Django-free package; the data ships as JSON under ``data/`` (see docs/escalation-register.md)::

    from amparo.engines.register import load_register, Role

    register = load_register()
    register.channels_for("facebook", user_in_eu=True, role=Role.AFFECTED_USER, country="DE")
    # [Channel(code='facebook.dsa_complaint', ...), Channel(code='facebook.in_app_appeal', ...),
    #  ..., Channel(code='dsc.de', kind=<Kind.REGULATOR>, ...)]   most effective first
    register.regulator_for("IE")        # Coimisiún na Meán
    register.ods_bodies_for("tiktok")   # Art 21 bodies that take TikTok disputes, as far as known
    mine = register.with_overrides(json.load(open("our-overrides.json")))

Every channel is reached by a form, an in-app flow, a role e-mail address (legal@, dsa@...), a
body or a regulator, never by a person: an escalation must not depend on one person's contact
at a platform, and such a contact can be an agent of the state. The loader refuses personal-
looking addresses. ``Field`` is the vocabulary of what a package to a channel may carry
(``Channel.may_carry``); ``PERSONAL_FIELDS`` are those that identify a person.
"""

from .loader import (
    RegisterError,
    apply_overrides,
    channel_to_raw,
    load_overrides,
    load_register,
    parse_channel,
)
from .model import Channel, Eligibility, LegalGround, Platform, Register
from .vocabulary import (
    ART16_ELEMENTS,
    CASEWORKER_FIELDS,
    EEA_NON_EU,
    EU_MEMBER_STATES,
    FIELDS,
    INCIDENT_TYPES,
    KIND_PRIORITY,
    PERSONAL_FIELDS,
    ROLE_ADDRESS_EXCEPTIONS,
    ROLE_WORDS,
    Field,
    Kind,
    ResponseBasis,
    Role,
    is_role_address,
    looks_personal,
)

__all__ = [
    "ART16_ELEMENTS",
    "CASEWORKER_FIELDS",
    "EEA_NON_EU",
    "EU_MEMBER_STATES",
    "FIELDS",
    "INCIDENT_TYPES",
    "KIND_PRIORITY",
    "PERSONAL_FIELDS",
    "ROLE_ADDRESS_EXCEPTIONS",
    "ROLE_WORDS",
    "Channel",
    "Eligibility",
    "Field",
    "Kind",
    "LegalGround",
    "Platform",
    "Register",
    "RegisterError",
    "ResponseBasis",
    "Role",
    "apply_overrides",
    "channel_to_raw",
    "is_role_address",
    "load_overrides",
    "load_register",
    "looks_personal",
    "parse_channel",
]
