"""Countries as ISO 3166-1 alpha-2 codes, named in the current language by Babel's CLDR data."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from django.utils import translation

from amparo.engines.register.vocabulary import EEA_NON_EU, EU_MEMBER_STATES

# Where the DSA's remedies apply: one list, kept with the escalation register.
EU_EEA = frozenset(EU_MEMBER_STATES) | frozenset(EEA_NON_EU)


@lru_cache(maxsize=32)
def _names(language: str) -> tuple[tuple[str, str], ...]:
    try:
        locale = Locale.parse(language)
    except Exception:
        locale = Locale.parse("en")
    territories = locale.territories
    codes = [
        c
        for c in territories
        if isinstance(c, str)
        and len(c) == 2
        and c.isalpha()
        and c not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}
    ]
    return tuple(sorted(((c, str(territories[c])) for c in codes), key=lambda item: item[1]))


def country_choices() -> list[tuple[str, str]]:
    return list(_names(translation.get_language() or "en"))


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(c for c, _ in _names("en"))


def is_country(code: str) -> bool:
    return code in _codes()
