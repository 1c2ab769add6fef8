from typing import Any

from django import template

from amparo.exports.access import may_export_anything

register = template.Library()


@register.filter
def may_export(membership: Any) -> bool:
    """Whether the navigation shows "Exports" to this membership."""
    return may_export_anything(membership)
