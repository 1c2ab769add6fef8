"""Codes in words, in the reader's language (a page never shows a code where a word exists)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.core.countries import country_choices
from amparo.core.platforms import platform_name
from amparo.escalations.models import Outcome
from amparo.intake.choices import Identity, IncidentType

GENDERS = {
    "woman": gettext_lazy("Woman"),
    "man": gettext_lazy("Man"),
    "non_binary": gettext_lazy("Non-binary or gender-diverse"),
    "prefer_not_to_say": gettext_lazy("Prefers not to say"),
    "other_unknown": gettext_lazy("Other or not given"),
}
TIMINGS = {
    "within_72h": gettext_lazy("Answered within 72 hours"),
    "later": gettext_lazy("Answered after 72 hours"),
    "pending": gettext_lazy("Pending"),
}
DIMENSIONS = {
    "type": gettext_lazy("Type"),
    "platform": gettext_lazy("Platform"),
    "country": gettext_lazy("Country"),
    "language": gettext_lazy("Language"),
    "gender": gettext_lazy("Gender"),
    "identity": gettext_lazy("At-risk group"),
    "month": gettext_lazy("Month"),
    "outcome": gettext_lazy("Outcome"),
    "timing": gettext_lazy("First answer"),
    "channel": gettext_lazy("Channel"),
    "response": gettext_lazy("Platform response"),
}


def country(code: str) -> str:
    if not code:
        return _("Not given")
    return dict(country_choices()).get(code, code)


def language(code: str) -> str:
    names = dict(settings.LANGUAGES)
    return str(names[code]) if code in names else code


def channel(organisation: Any, code: str) -> str:
    from amparo.escalations import register

    try:
        return str(register.channel(organisation, code).name)
    except Exception:  # an old code no longer in the register
        return code


def _response(code: str) -> str:
    """A takedown demand's response, labelled by the takedown register when it exists."""
    try:
        from amparo.takedowns.models import Response  # optional module
    except ImportError:
        return code
    return str(Response(code).label) if code in Response.values else code


def label(dimension: str, code: str, organisation: Any = None) -> str:
    """The words for ``code`` of ``dimension`` (``*`` is the total)."""
    if code == "*":
        return _("Total")
    if dimension == "type":
        return str(IncidentType(code).label) if code in IncidentType.values else code
    if dimension == "platform":
        return platform_name(code)
    if dimension == "country":
        return country(code)
    if dimension == "language":
        return language(code)
    if dimension == "gender":
        return str(GENDERS.get(code, code))
    if dimension == "identity":
        return str(Identity(code).label) if code in Identity.values else code
    if dimension == "outcome":
        if code == "pending":
            return str(TIMINGS["pending"])
        return str(Outcome(code).label) if code in Outcome.values else code
    if dimension == "timing":
        return str(TIMINGS.get(code, code))
    if dimension == "response":
        return _response(code)
    if dimension == "channel" and organisation is not None:
        return channel(organisation, code)
    return code


def dimension(code: str) -> str:
    return str(DIMENSIONS.get(code, code))


def is_rtl() -> bool:
    return translation.get_language_bidi()
