"""The escalation register: platforms, channels, eligibility, and the queries the app asks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .vocabulary import (
    EU_MEMBER_STATES,
    KIND_PRIORITY,
    Field,
    Kind,
    ResponseBasis,
    Role,
)


@dataclass(frozen=True)
class Eligibility:
    """Who may use a channel. Flags are structured; ``note`` says it in words for caseworkers."""

    eu_users_only: bool = False
    trusted_flaggers_only: bool = False
    trusted_partners_only: bool = False
    affected_users: bool = True
    notifiers: bool = False
    representatives: bool = False
    representatives_art86: bool = False
    min_age: int | None = None
    countries: tuple[str, ...] = ()  # where the user must be; empty = anywhere
    note: str = ""

    def admits(
        self,
        *,
        user_in_eu: bool,
        is_trusted_flagger: bool,
        is_trusted_partner: bool,
        role: Role,
        country: str | None = None,
        user_age: int | None = None,
    ) -> bool:
        if self.eu_users_only and not user_in_eu:
            return False
        if self.trusted_flaggers_only and not is_trusted_flagger:
            return False
        if self.trusted_partners_only and not is_trusted_partner:
            return False
        if self.countries and (country is None or country.upper() not in self.countries):
            return False
        if self.min_age is not None and user_age is not None and user_age < self.min_age:
            return False
        if role is Role.AFFECTED_USER:
            return self.affected_users
        if role is Role.NOTIFIER:
            return self.notifiers
        return self.representatives or (self.representatives_art86 and user_in_eu)


@dataclass(frozen=True)
class Channel:
    """One route to a remedy: a form, an in-app flow, a role address, a body or a regulator."""

    code: str
    kind: Kind
    name: str
    platforms: tuple[str, ...]  # slugs; ("*",) = every platform
    eligibility: Eligibility
    required_fields: tuple[Field, ...]
    optional_fields: tuple[Field, ...]
    languages: tuple[str, ...]  # ISO 639-1; "*" = the platform's interface languages
    expected_response_hours: float
    response_time_basis: ResponseBasis
    reached_by: str  # https URL, role e-mail, "in-app: <where>" or "portal: <which>"
    legal_basis: str
    notes: str = ""
    verified: bool = True
    as_of: str = ""
    country: str | None = None  # regulators: the state whose regulator this is
    priority: int | None = None  # overrides the kind's default order
    disabled: bool = False
    source: str = ""  # the file (or overrides) it came from, for messages
    extra: Mapping[str, Any] = field(default_factory=dict)  # e.g. ODS coverage details

    @property
    def rank(self) -> int:
        return self.priority if self.priority is not None else KIND_PRIORITY[self.kind]

    @property
    def may_carry(self) -> frozenset[Field]:
        """Every field a package to this channel may carry: required plus accepted, nothing else."""
        return frozenset(self.required_fields) | frozenset(self.optional_fields)

    @property
    def reached_by_email(self) -> str | None:
        value = self.reached_by.strip()
        return (
            value
            if "@" in value and not value.startswith(("https://", "in-app:", "portal:"))
            else None
        )

    def covers(self, platform: str) -> bool:
        return "*" in self.platforms or platform in self.platforms


@dataclass(frozen=True)
class Platform:
    slug: str
    name: str
    owner: str
    eu_establishment: str = ""  # the member state of its main EU establishment, if any
    vlop: bool | None = None  # designated VLOP/VLOSE under DSA Art 33; None = not known
    caution: str = ""  # what a caseworker must know before escalating here
    notes: str = ""
    source: str = ""


@dataclass(frozen=True)
class Register:
    """The loaded, validated register. Immutable: ``with_overrides`` returns a new one."""

    platforms: Mapping[str, Platform]
    channels: tuple[Channel, ...]
    organisation: str = ""

    # ------------------------------------------------------------------ look-ups
    def platform(self, slug: str) -> Platform:
        try:
            return self.platforms[slug]
        except KeyError:
            raise KeyError(f"no platform {slug!r} in the escalation register") from None

    def channel(self, code: str) -> Channel:
        for c in self.channels:
            if c.code == code:
                return c
        raise KeyError(f"no channel {code!r} in the escalation register")

    def channels_of(self, platform: str, *, include_disabled: bool = False) -> list[Channel]:
        """Every channel that reaches ``platform`` (its own and shared ones), unfiltered."""
        self.platform(platform)
        return [
            c
            for c in self.channels
            if c.covers(platform)
            and c.kind is not Kind.REGULATOR
            and (include_disabled or not c.disabled)
        ]

    def channels_for(
        self,
        platform: str,
        *,
        user_in_eu: bool,
        is_trusted_flagger: bool = False,
        is_trusted_partner: bool = False,
        role: Role | str = Role.AFFECTED_USER,
        country: str | None = None,
        user_age: int | None = None,
    ) -> list[Channel]:
        """Eligible channels for this case, most effective first.

        ``country`` (ISO alpha-2, where the user is) adds that country's regulator (the Digital
        Services Coordinator in the EU) and the routes limited to that country.
        """
        role = Role(role)
        if country and user_in_eu is False and country.upper() in EU_MEMBER_STATES:
            user_in_eu = True  # a user located in a member state is an EU user
        found = [
            c
            for c in self.channels_of(platform)
            if c.eligibility.admits(
                user_in_eu=user_in_eu,
                is_trusted_flagger=is_trusted_flagger,
                is_trusted_partner=is_trusted_partner,
                role=role,
                country=country,
                user_age=user_age,
            )
        ]
        if country:
            reg = self.regulator_for(country)
            if reg is not None and reg.eligibility.admits(
                user_in_eu=user_in_eu,
                is_trusted_flagger=is_trusted_flagger,
                is_trusted_partner=is_trusted_partner,
                role=role,
                country=country,
                user_age=user_age,
            ):
                found.append(reg)
        return sorted(found, key=_order)

    def regulator_for(self, country: str) -> Channel | None:
        """The regulator of ``country`` (its DSC in the EU/EEA; else a national regulator)."""
        code = country.upper()
        candidates = [
            c
            for c in self.channels
            if c.kind is Kind.REGULATOR and c.country == code and not c.disabled
        ]
        return sorted(candidates, key=_order)[0] if candidates else None

    def regulators(self) -> list[Channel]:
        return [c for c in self.channels if c.kind is Kind.REGULATOR and not c.disabled]

    def ods_bodies_for(self, platform: str) -> list[Channel]:
        """Certified Art 21 bodies that take disputes about ``platform`` (as far as known)."""
        self.platform(platform)
        return sorted(
            (
                c
                for c in self.channels
                if c.kind is Kind.ODS and c.covers(platform) and not c.disabled
            ),
            key=_order,
        )

    def unverified(self) -> list[Channel]:
        return [c for c in self.channels if not c.verified]

    # ------------------------------------------------------------------ overrides
    def with_overrides(
        self, overrides: Mapping[str, Any], *, source: str = "overrides"
    ) -> Register:
        """A new register with an organisation's overrides merged (see docs/escalation-register.md).

        ``overrides`` = {"organisation": str, "add": [channel...], "change": {code: {field: value}},
        "disable": [code...]}; validated like the shipped data, errors name ``source`` and entry.
        """
        from .loader import apply_overrides

        return apply_overrides(self, overrides, source=source)

    def replace_channels(self, channels: Iterable[Channel], organisation: str = "") -> Register:
        return replace(
            self, channels=tuple(channels), organisation=organisation or self.organisation
        )


def _order(c: Channel) -> tuple[int, int, float, str]:
    return (-c.rank, 0 if c.verified else 1, c.expected_response_hours, c.code)
