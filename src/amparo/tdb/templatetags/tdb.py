"""``{% load tdb %}``: whether a membership may read the Transparency Database pages."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.tdb.access import may_read_tdb as _may_read_tdb

register = template.Library()


@register.filter
def may_read_tdb(membership: Any) -> bool:
    return _may_read_tdb(membership)
