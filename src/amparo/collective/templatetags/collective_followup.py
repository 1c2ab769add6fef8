"""``{% mandate_section report organisation %}``: the collective actions the reporter's case is
in, with the mandate they gave or may give (the follow-up page)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("collective/followup_mandate.html", takes_context=True)
def mandate_section(context: Any, report: Any, organisation: Any) -> dict[str, Any]:
    from amparo.collective import mandates
    from amparo.collective.public import NOTICE, REPORTER_REMEDY_LABELS
    from amparo.remedies.routes import platform_name

    request = context.get("request")
    notice = request.session.pop(NOTICE, None) if request is not None else None
    rows = []
    for member in mandates.members_for_report(report):
        action = member.action
        rows.append(
            {
                "member": member,
                "coordinator": action.organisation.notifier_name,
                "platform": platform_name(action.organisation, action.platform),
                "mandate": (mandate := mandates.current(member)),
                "covers": [
                    REPORTER_REMEDY_LABELS[r] for r in (mandate.scope_remedies if mandate else [])
                ],
            }
        )
    return {
        "rows": rows,
        "organisation": organisation,
        "notice": notice,
        "remedies": list(REPORTER_REMEDY_LABELS.items()),
        "csrf_token": context.get("csrf_token"),
    }
