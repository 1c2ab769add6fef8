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


@register.filter
def remedy_label(code: str) -> str:
    """A remedy (DSA Art 16, 20, 21, 53 ...) in words, for a remedy step's code."""
    from amparo.remedies.routes import REMEDY_LABELS

    return str(REMEDY_LABELS.get(code, code))


@register.filter
def channel_name(code: str) -> str:
    """An escalation channel's name in the shipped register (``instagram.dsa_complaint`` ->
    the platform's channel as the register names it); an unknown code is shown as it is."""
    from amparo.escalations.register import shipped

    try:
        return shipped().channel(code).name
    except KeyError:
        return code


@register.filter
def referral_fields(codes: list[str]) -> str:
    """What a referral shared, in words, comma-separated."""
    from amparo.cases.referrals import FIELD_LABELS

    return ", ".join(str(FIELD_LABELS.get(c, c)) for c in codes or [])


@register.filter
def sor_field(name: str) -> str:
    """A field of a statement of reasons (DSA Art 17(3), Transparency Database column) in words."""
    from amparo.escalations.statement import FIELD_LABELS

    return str(FIELD_LABELS.get(name, name.replace("_", " ")))


@register.filter
def sor_value(value: object) -> str:
    """A value of a statement of reasons in words."""
    from amparo.escalations.statement import value_label

    return value_label(value)


@register.filter
def as_json(value: object) -> str:
    """A recorded value (the audit log's codes) as JSON, the form it is exported in; empty for
    nothing."""
    import json

    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
