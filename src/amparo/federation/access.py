"""What an organisation's coordinators may see of federation: the partners linked with the
sharing groups it owns (never another organisation's links)."""

from __future__ import annotations

from typing import Any

from amparo.federation.models import Link, Partner


def partners_for(organisation: Any) -> list[tuple[Partner, list[Link]]]:
    links = list(
        Link.objects.select_related("partner", "group")
        .filter(group__owner=organisation)
        .order_by("partner__name", "group__name")
    )
    out: dict[Any, tuple[Partner, list[Link]]] = {}
    for link in links:
        out.setdefault(link.partner_id, (link.partner, []))[1].append(link)
    return list(out.values())
