"""The escalation register as an organisation sees it: the shipped data plus its overrides."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from amparo.core.countries import EU_EEA
from amparo.engines.register import Channel, Register, Role, load_register


@lru_cache(maxsize=1)
def shipped() -> Register:
    return load_register()


def for_organisation(organisation: Any) -> Register:
    from amparo.escalations.models import RegisterOverrides

    overrides = RegisterOverrides.objects.filter(organisation=organisation).first()
    register = shipped()
    if overrides and overrides.document:
        register = register.with_overrides(
            overrides.document, source=f"overrides of {organisation.slug}"
        )
    return register


def channels_for_case(case: Any, *, role: str = Role.AFFECTED_USER) -> list[Channel]:
    register = for_organisation(case.organisation)
    try:
        return register.channels_for(
            case.platform,
            user_in_eu=case.country in EU_EEA,
            role=role,
            country=case.country or None,
        )
    except KeyError:
        return []


def channel(organisation: Any, code: str) -> Channel:
    return for_organisation(organisation).channel(code)
