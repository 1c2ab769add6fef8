"""A platform's scorecard for a period: the ten actions, each with its measured indicators and
the staff assessments in force at the end of the period. Also the side-by-side comparison."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from amparo.scorecards.actions import ACTIONS, Action
from amparo.scorecards.figures import Indicator, lines
from amparo.scorecards.indicators import Period, measure
from amparo.scorecards.models import Assessment
from amparo.scorecards.suppression import DEFAULT_THRESHOLD


@dataclass
class ActionCard:
    action: Action
    indicators: list[Indicator] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def current(self) -> Assessment | None:
        return self.assessments[0] if self.assessments else None


@dataclass
class Scorecard:
    organisation: Any
    platform: str
    period: Period
    actions: list[ActionCard]
    threshold: int = DEFAULT_THRESHOLD

    def indicators(self) -> list[Indicator]:
        return [i for card in self.actions for i in card.indicators]

    def shown(self) -> list[dict[str, Any]]:
        """What the page shows of each action: its indicators with their lines."""
        return [
            {
                "card": c,
                "indicators": [
                    {"indicator": i, "lines": lines(i, self.threshold)} for i in c.indicators
                ],
            }
            for c in self.actions
        ]


def assessments_in_force(organisation: Any, platform: str, on: date) -> dict[int, list[Assessment]]:
    """Per action, the assessments made by ``on`` and not withdrawn, newest first."""
    found: dict[int, list[Assessment]] = {}
    for a in Assessment.objects.filter(
        organisation=organisation, platform=platform, assessed_on__lte=on, withdrawn_at__isnull=True
    ).select_related("recorded_by"):
        found.setdefault(a.action, []).append(a)
    return found


def build(
    organisation: Any,
    platform: str,
    period: Period,
    *,
    now: datetime | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Scorecard:
    indicators = measure(organisation, platform, period, now)
    assessed = assessments_in_force(organisation, platform, period.end)
    cards = [
        ActionCard(
            action=a,
            indicators=[i for i in indicators if i.action == a.number],
            assessments=assessed.get(a.number, []),
        )
        for a in ACTIONS
    ]
    return Scorecard(organisation, platform, period, cards, threshold)


def compare(
    organisation: Any,
    columns: Sequence[tuple[str, Period]],
    *,
    now: datetime | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """The headline of every indicator (rate, n, median) and every action's current finding for
    each (platform, period) of ``columns``, side by side."""
    cards = [build(organisation, p, per, now=now, threshold=threshold) for p, per in columns]
    lines: list[dict[str, Any]] = []
    for index, action in enumerate(ACTIONS):
        lines.append(
            {
                "action": action,
                "kind": "finding",
                "values": [
                    c.actions[index].current.get_finding_display()  # type: ignore[union-attr]
                    if c.actions[index].current
                    else None
                    for c in cards
                ],
            }
        )
        codes = [i.code for i in cards[0].actions[index].indicators] if cards else []
        for code in codes:
            per_column = []
            title = ""
            for c in cards:
                ind = next(i for i in c.actions[index].indicators if i.code == code)
                title = ind.title
                per_column.append(ind.summary(threshold))
            lines.append(
                {"action": action, "kind": "indicator", "title": title, "values": per_column}
            )
    return {"cards": cards, "lines": lines}
