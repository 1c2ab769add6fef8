"""``{% collective_actions_of case organisation %}``: the collective actions a case is in (the
case page), as its own organisation sees them."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("collective/case_actions.html")
def collective_actions_of(case: Any, organisation: Any) -> dict[str, Any]:
    from amparo.collective import access, mandates

    rows = []
    for member in access.memberships_of_case(case):
        rows.append(
            {
                "member": member,
                "action": member.action,
                "own": member.action.organisation_id == organisation.pk,
                "mandate": mandates.current(member),
            }
        )
    return {"rows": rows, "organisation": organisation}
