"""The escalation register: platforms, channels, eligibility, and the queries the app asks."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
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
        organisation_in_eu: bool | None = None,
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
        # Art 86(1)(b): a mandated body is properly constituted under the law of a member
        # state (None: not known, not excluded).
        return self.representatives or (
            self.representatives_art86 and user_in_eu and organisation_in_eu is not False
        )


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
    own: bool = False  # added by the organisation's overrides: its own channel

    @property
    def programme(self) -> str:
        """The partner programme whose members use this channel (``details.programme``)."""
        value = self.extra.get("programme", "")
        return value if isinstance(value, str) else ""

    @property
    def is_art16_notice(self) -> bool:
        """A notice of illegal content under DSA Art 16, or its priority form for trusted
        flaggers (Art 22(1)): the package must hold the four elements of Art 16(2)."""
        return self.kind is Kind.DSA_NOTICE or (
            self.kind is Kind.TRUSTED_PARTNER and self.eligibility.trusted_flaggers_only
        )

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
class LegalGround:
    """A provision a caseworker may cite as the legal ground of a notice (Art 16(2)(a)).

    ``country`` is ISO alpha-2, or ``"EU"`` for Union law that applies directly everywhere.
    ``title`` is in the language of the law (``language``); the caseworker still explains
    why the content falls under it.
    """

    code: str
    country: str
    incident_types: tuple[str, ...]
    law: str
    provision: str
    title: str
    language: str
    note: str = ""
    source: str = ""

    @property
    def citation(self) -> str:
        return f"{self.provision} {self.law} ({self.title})"


@dataclass(frozen=True)
class Register:
    """The loaded, validated register. Immutable: ``with_overrides`` returns a new one."""

    platforms: Mapping[str, Platform]
    channels: tuple[Channel, ...]
    organisation: str = ""
    # Where the DSA applies: the EU member states, plus any EEA state the data lists once the
    # Regulation is incorporated into the EEA Agreement (data/law/territory.json).
    dsa_territory: frozenset[str] = EU_MEMBER_STATES
    legal_grounds: tuple[LegalGround, ...] = ()

    # ------------------------------------------------------------------ where the DSA applies
    def dsa_applies(self, country: str | None) -> bool:
        """Whether someone located or established in ``country`` is in DSA territory."""
        if not country:
            return False
        code = country.upper()
        return ("GR" if code == "EL" else code) in self.dsa_territory

    def grounds_for(self, country: str | None, incident_type: str | None) -> list[LegalGround]:
        """Suggested legal grounds for a notice: the country's own law first, then Union law.

        Only suggestions: the caseworker chooses, and explains why the content falls under
        the provision (Art 16(2)(a)). A country with no entries gets Union law only.
        """
        code = (country or "").upper()
        found = [
            g
            for g in self.legal_grounds
            if g.country in (code, "EU")
            and (not incident_type or incident_type in g.incident_types)
        ]
        return sorted(found, key=lambda g: (g.country == "EU", g.code))

    def ground(self, code: str) -> LegalGround:
        for g in self.legal_grounds:
            if g.code == code:
                return g
        raise KeyError(f"no legal ground {code!r} in the escalation register")

    def programmes(self) -> dict[str, list[Channel]]:
        """Partner programmes the register knows, by code, with their channels."""
        found: dict[str, list[Channel]] = {}
        for c in self.channels:
            if c.programme and not c.disabled:
                found.setdefault(c.programme, []).append(c)
        return found

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
        partner_programmes: Collection[str] = (),
        organisation_in_eu: bool | None = None,
    ) -> list[Channel]:
        """Eligible channels for this case, most effective first.

        ``user_in_eu``: whoever acts in this role is in DSA territory (for a notifier, the
        organisation). ``country`` (ISO alpha-2, where the user is, or the organisation for a
        notifier) adds that country's regulator (its Digital Services Coordinator in the EU)
        and the routes limited to that country. ``partner_programmes``: the programmes the
        organisation belongs to (a programme channel is offered to its members only);
        ``is_trusted_partner`` admits every partner channel. The organisation's own channels
        (added by its overrides) count as partner channels it holds; a trusted-flagger-only
        channel still needs ``is_trusted_flagger`` (the Art 22 status a coordinator awarded).
        """
        role = Role(role)
        if country and user_in_eu is False and self.dsa_applies(country):
            user_in_eu = True  # someone located in DSA territory is covered by it

        def admits(c: Channel) -> bool:
            partner = (
                is_trusted_partner
                or c.own
                or bool(c.programme and c.programme in partner_programmes)
            )
            return c.eligibility.admits(
                user_in_eu=user_in_eu,
                is_trusted_flagger=is_trusted_flagger,
                is_trusted_partner=partner,
                role=role,
                country=country,
                user_age=user_age,
                organisation_in_eu=organisation_in_eu,
            )

        found = [c for c in self.channels_of(platform) if admits(c)]
        if country:
            reg = self.regulator_for(country)
            if reg is not None and admits(reg):
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

    def ods_bodies_for(
        self, platform: str, *, language: str | None = None, decision_type: str | None = None
    ) -> list[Channel]:
        """Certified Art 21 bodies that take disputes about ``platform`` (as far as known).

        ``language``: only bodies that work in it (Art 21(3): the certificate names the body's
        languages). ``decision_type``: only bodies that take that kind of decision, where a
        body's entry states its matters (``details.decision_types``); an entry that states
        none is not excluded. The person chooses among those returned (Art 21(1): "any").
        """
        self.platform(platform)

        def takes(c: Channel) -> bool:
            if language and "*" not in c.languages and language not in c.languages:
                return False
            types = c.extra.get("decision_types")
            return not (decision_type and types and decision_type not in types)

        return sorted(
            (
                c
                for c in self.channels
                if c.kind is Kind.ODS and c.covers(platform) and not c.disabled and takes(c)
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
