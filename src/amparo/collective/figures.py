"""Figures of collective redress, per action and across an organisation's actions: members,
mandates given and revoked, filings by step, decisions, restoration rate and median time to
restoration per platform. ``summary`` is what the accountability figures call.

The definitions are those of the dossier (docs/dossier-format.md): the restoration rate is the
share of members whose account or content was restored; the time to restoration runs from the
member's first filing to the restoration."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime
from typing import Any

from amparo.collective import states
from amparo.collective.models import CollectiveAction, Filing, Mandate, Member
from amparo.core import rls


def _figures(
    members: list[Member], mandates_: list[Mandate], filings: list[Filing]
) -> dict[str, Any]:
    live = [f for f in filings if f.status != states.WITHDRAWN]
    first_filed: dict[str, datetime] = {}
    for filing in live:
        if filing.filed_at is None:
            continue
        for member_id in filing.included_members or []:
            if member_id not in first_filed or filing.filed_at < first_filed[member_id]:
                first_filed[member_id] = filing.filed_at
    restored = [m for m in members if m.outcome == "restored"]
    days = [
        max((m.restored_at - first_filed[str(m.pk)]).total_seconds(), 0) / 86400
        for m in restored
        if m.restored_at is not None and str(m.pk) in first_filed
    ]
    return {
        "members": len(members),
        "mandates_given": len(mandates_),
        "mandates_revoked": sum(1 for m in mandates_ if m.state == states.REVOKED),
        "filings_by_kind": dict(sorted(Counter(f.kind for f in live).items())),
        "filings_filed": sum(1 for f in live if f.status in (states.FILED, states.DECIDED)),
        "decisions": dict(
            sorted(Counter(m.outcome for m in members if m.outcome != "pending").items())
        ),
        "restored": len(restored),
        "restoration_rate": round(len(restored) / len(members), 4) if members else 0,
        "median_days_to_restoration": round(statistics.median(days), 2) if days else None,
    }


def for_action(action: CollectiveAction) -> dict[str, Any]:
    with rls.bypass():
        members = list(Member.objects.filter(action=action, approved_at__isnull=False))
        mandates_ = list(Mandate.objects.filter(member__action=action))
        filings = list(Filing.objects.filter(action=action))
    return _figures(members, mandates_, filings)


def summary(
    organisation: Any, start: datetime | None = None, end: datetime | None = None
) -> dict[str, Any]:
    """Figures across the collective actions ``organisation`` coordinates, opened between
    ``start`` (inclusive) and ``end`` (exclusive), either None for no bound: the totals, the
    number of actions, and the same figures per platform (``per_platform``)."""
    actions = CollectiveAction.objects.filter(organisation=organisation)
    if start is not None:
        actions = actions.filter(opened_at__gte=start)
    if end is not None:
        actions = actions.filter(opened_at__lt=end)
    with rls.bypass():
        members = list(
            Member.objects.filter(action__in=actions, approved_at__isnull=False).select_related(
                "action"
            )
        )
        mandates_ = list(
            Mandate.objects.filter(member__action__in=actions).select_related("member__action")
        )
        filings = list(Filing.objects.filter(action__in=actions).select_related("action"))
    platforms = sorted({m.action.platform for m in members} | {f.action.platform for f in filings})
    out = _figures(members, mandates_, filings)
    out["actions"] = actions.count()
    out["per_platform"] = {
        p: _figures(
            [m for m in members if m.action.platform == p],
            [m for m in mandates_ if m.member.action.platform == p],
            [f for f in filings if f.action.platform == p],
        )
        for p in platforms
    }
    return out
