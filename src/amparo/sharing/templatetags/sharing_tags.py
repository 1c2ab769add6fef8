"""The case page's "your network" panel: how many other organisations face the case's
attacker accounts, never who they are or what their cases hold."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("sharing/case_matches.html", takes_context=True)
def network_matches(context: Any) -> dict[str, Any]:
    from amparo.sharing.forms import ConnectForm
    from amparo.sharing.matching import matches_for_case
    from amparo.sharing.models import GroupMember

    case = context.get("case")
    if case is None:
        return {"shown": False}
    member = GroupMember.objects.filter(
        organisation_id=case.organisation_id, status=GroupMember.Status.ACTIVE
    ).exists()
    if not member:
        return {"shown": False}
    found = matches_for_case(case)
    return {
        "shown": True,
        "case": case,
        "organisation": context.get("organisation"),
        "writer": context.get("writer"),
        "others": found.organisations,
        "per_account": found.per_account,
        "connect_form": ConnectForm(),
        "csrf_token": context.get("csrf_token"),
    }
