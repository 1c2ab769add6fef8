"""The escalation register as an organisation sees it: the shipped data plus its overrides,
asked as the organisation actually stands (where it is established, its statuses)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from amparo.engines.register import Channel, Register, Role, load_register


@lru_cache(maxsize=1)
def shipped() -> Register:
    return load_register()


def label(code: str) -> str:
    """A channel in words for staff, platform first (``instagram.dsa_complaint`` -> "Instagram:
    Internal complaint against a moderation decision (EU)"); an unknown code as it is."""
    from amparo.core.platforms import platform_name

    try:
        channel = shipped().channel(code)
    except KeyError:
        return code
    platform = platform_name(channel.platforms[0]) if channel.platforms else ""
    return f"{platform}: {channel.name}" if platform else channel.name


def for_organisation(organisation: Any) -> Register:
    from amparo.escalations.models import RegisterOverrides

    overrides = RegisterOverrides.objects.filter(organisation=organisation).first()
    register = shipped()
    if overrides and overrides.document:
        register = register.with_overrides(
            overrides.document, source=f"overrides of {organisation.slug}"
        )
    return register


@dataclass(frozen=True)
class Standing:
    """Where the case's people are and what the organisation holds, for the register's query."""

    user_country: str | None
    user_in_eu: bool
    organisation_country: str | None
    organisation_in_eu: bool
    is_trusted_flagger: bool
    partner_programmes: tuple[str, ...]


def standing(case: Any, register: Register | None = None) -> Standing:
    from amparo.accounts.identity import establishment

    register = register or for_organisation(case.organisation)
    organisation = case.organisation
    where = establishment(organisation) or None
    return Standing(
        user_country=(case.country or "").upper() or None,
        user_in_eu=register.dsa_applies(case.country),
        organisation_country=where,
        organisation_in_eu=register.dsa_applies(where),
        # Art 22: the status is EU law, awarded by a coordinator in DSA territory.
        is_trusted_flagger=bool(
            organisation.is_trusted_flagger
            and register.dsa_applies(organisation.trusted_flagger_awarded_by)
        ),
        partner_programmes=tuple(organisation.partner_programmes or ()),
    )


def _query(register: Register, case: Any, role: Role, where: Standing) -> list[Channel]:
    """The channels open to ``role``: the person and a representative act where the person is
    (a representative under Art 86 only if the organisation is constituted in a member state,
    Art 86(1)(b)); the organisation as notifier acts from where it is established, on its own
    standing (Art 16(1): "any individual or entity"), and complains to its own coordinator
    (Art 53: "where the recipient ... is located or established")."""
    own = role is Role.NOTIFIER and where.organisation_in_eu
    return register.channels_for(
        case.platform,
        user_in_eu=True if own else where.user_in_eu,
        role=role,
        country=where.organisation_country if own else where.user_country,
        is_trusted_flagger=where.is_trusted_flagger,
        partner_programmes=where.partner_programmes,
        organisation_in_eu=where.organisation_in_eu if where.organisation_country else None,
    )


def channels_for_case(case: Any, *, role: str = Role.AFFECTED_USER) -> list[Channel]:
    """The channels open to ``role`` on this case (default: the affected person)."""
    register = for_organisation(case.organisation)
    try:
        return _query(register, case, Role(role), standing(case, register))
    except KeyError:
        return []


@dataclass(frozen=True)
class Offer:
    """A channel the case can go through, and who may act through it (``Role`` values)."""

    channel: Channel
    roles: tuple[str, ...]


ROLE_ORDER = (Role.NOTIFIER, Role.REPRESENTATIVE, Role.AFFECTED_USER)


def offers_for_case(case: Any) -> list[Offer]:
    """Every channel open to the case, for whoever may act: the organisation as notifier (Art 16
    notices, trusted-flagger and partner channels, its own channels), as representative, or the
    person with the organisation's help. Most effective first."""
    register = for_organisation(case.organisation)
    where = standing(case, register)
    found: dict[str, tuple[Channel, list[str]]] = {}
    try:
        for role in ROLE_ORDER:
            for chan in _query(register, case, role, where):
                found.setdefault(chan.code, (chan, []))[1].append(role.value)
    except KeyError:
        return []
    order = {c.code: i for i, c in enumerate(sorted((c for c, _r in found.values()), key=_rank))}
    return sorted(
        (Offer(chan, tuple(roles)) for chan, roles in found.values()),
        key=lambda offer: order[offer.channel.code],
    )


def _rank(c: Channel) -> tuple[int, int, float, str]:
    return (-c.rank, 0 if c.verified else 1, c.expected_response_hours, c.code)


def channel(organisation: Any, code: str) -> Channel:
    return for_organisation(organisation).channel(code)
