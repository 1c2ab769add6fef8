"""Template filters that show codes as the words people read (``{% load labels %}``)."""

from __future__ import annotations

from django import template

from amparo.core import labels

register = template.Library()

register.filter("platform_label", labels.platform_label)
register.filter("campaign_kind", labels.campaign_kind)
register.filter("channel_kind", labels.channel_kind)
register.filter("response_basis", labels.response_basis)


@register.filter
def incident_type(code: str) -> str:
    """What happened, in words, for an incident-type code (intake.choices.IncidentType)."""
    from amparo.intake.choices import IncidentType

    try:
        return str(IncidentType(code).label)
    except ValueError:
        return code
