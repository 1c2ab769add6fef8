"""Responsiveness of the platforms to the organisation's escalations, per platform and channel.

The per-platform scorecard against the ten US-EU actions (``amparo.scorecards``) builds on
:func:`classify`; :func:`responsiveness` is the plain table for any reader who wants the
figures of every platform at once (exports, the dashboard).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from django.utils import timezone

#: An answer within this many hours counts as prompt (seed 001, action 8: "responsive incident
#: reporting channels"; 72 hours is this project's convention, docs/scorecard.md).
PROMPT_HOURS = 72

#: Where a sent escalation stands: answered within 72 hours, later, not answered although 72
#: hours have passed, or pending (sent less than 72 hours ago: counted apart, never as late).
RESPONSE_COLUMNS = ("within_72h", "later", "unanswered", "pending")


def classify(sent_at: datetime, first_response_at: datetime | None, now: datetime) -> str:
    """Where one sent escalation falls among :data:`RESPONSE_COLUMNS` at ``now``. The first
    response's moment follows the day the caseworker said the answer arrived (``received_on``,
    escalations/lifecycle.py), not the day it was typed in."""
    if first_response_at is not None:
        hours = (first_response_at - sent_at).total_seconds() / 3600
        return "within_72h" if hours <= PROMPT_HOURS else "later"
    if now - sent_at > timedelta(hours=PROMPT_HOURS):
        return "unanswered"
    return "pending"


def responsiveness(
    organisation: Any, start: date, end: date, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """One row per platform and channel for escalations sent from ``start`` to ``end`` (both
    included, in the default time zone): counts per :data:`RESPONSE_COLUMNS`, the share answered
    within 72 hours (pending left out of it) and the median hours to the first answer."""
    from amparo.escalations.models import Escalation

    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    lo = datetime.combine(start, time.min, tzinfo=zone)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    groups: dict[tuple[str, str], list[Escalation]] = defaultdict(list)
    for e in Escalation.objects.filter(
        organisation=organisation, sent_at__gte=lo, sent_at__lt=hi
    ).only("platform", "channel_code", "sent_at", "first_response_at"):
        groups[(e.platform, e.channel_code)].append(e)
    out = []
    for (platform, channel), items in sorted(groups.items()):
        counts = dict.fromkeys(RESPONSE_COLUMNS, 0)
        hours = []
        for e in items:
            assert e.sent_at is not None
            counts[classify(e.sent_at, e.first_response_at, now)] += 1
            if e.first_response_at:
                hours.append((e.first_response_at - e.sent_at).total_seconds() / 3600)
        decided = counts["within_72h"] + counts["later"] + counts["unanswered"]
        out.append(
            {
                "platform": platform,
                "channel": channel,
                "sent": len(items),
                **counts,
                "share_within_72h": counts["within_72h"] / decided if decided else None,
                "median_hours_to_first_response": round(median(hours), 1) if hours else None,
            }
        )
    return out


def scorecard(organisation: Any, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every escalation ever sent, per platform and channel: :func:`responsiveness` plus the
    share of decided escalations actioned and reversed (kept for the escalation tests and any
    caller of the former table; the scorecard page is ``amparo.scorecards``)."""
    from amparo.escalations.models import ACTIONED, Escalation, Outcome

    sent = Escalation.objects.filter(organisation=organisation, sent_at__isnull=False)
    span = [
        sent.order_by(order).values_list("sent_at", flat=True).first()
        for order in ("sent_at", "-sent_at")
    ]
    if span[0] is None or span[1] is None:
        return []
    now = now or timezone.now()
    end = max(timezone.localdate(span[1]), timezone.localdate(now))
    rows = responsiveness(organisation, timezone.localdate(span[0]), end, now=now)
    outcomes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for platform, channel, outcome in Escalation.objects.filter(
        organisation=organisation, sent_at__isnull=False
    ).values_list("platform", "channel_code", "outcome"):
        if outcome and outcome != Outcome.NO_RESPONSE:
            outcomes[(platform, channel)].append(outcome)
    for row in rows:
        decided = outcomes.get((row["platform"], row["channel"]), [])
        row["share_actioned"] = (
            round(sum(o in ACTIONED for o in decided) / len(decided), 2) if decided else None
        )
        row["share_reversed"] = (
            round(sum(o == Outcome.REVERSED for o in decided) / len(decided), 2)
            if decided
            else None
        )
    return rows
