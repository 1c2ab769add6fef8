"""An escalation-path scorecard per platform and channel, from the organisation's own cases."""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from amparo.escalations.models import ACTIONED, Escalation, Outcome


def scorecard(organisation: Any) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str], list[Escalation]] = defaultdict(list)
    for e in Escalation.objects.filter(organisation=organisation, sent_at__isnull=False).only(
        "platform", "channel_code", "sent_at", "first_response_at", "outcome"
    ):
        rows[(e.platform, e.channel_code)].append(e)
    out = []
    for (platform, channel), items in sorted(rows.items()):
        hours = [
            (e.first_response_at - e.sent_at).total_seconds() / 3600
            for e in items
            if e.first_response_at and e.sent_at
        ]
        decided = [e for e in items if e.outcome and e.outcome != Outcome.NO_RESPONSE]
        out.append(
            {
                "platform": platform,
                "channel": channel,
                "sent": len(items),
                "responded": len(hours),
                "median_hours_to_first_response": round(median(hours), 1) if hours else None,
                "share_actioned": round(
                    sum(e.outcome in ACTIONED for e in decided) / len(decided), 2
                )
                if decided
                else None,
                "share_reversed": round(
                    sum(e.outcome == Outcome.REVERSED for e in decided) / len(decided), 2
                )
                if decided
                else None,
                "share_within_72h": round(sum(h <= 72 for h in hours) / len(items), 2)
                if items
                else None,
            }
        )
    return out
