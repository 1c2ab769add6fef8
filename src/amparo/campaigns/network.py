"""A campaign's co-action network as a small picture (server-rendered SVG) and a table.

Accounts are placed on a circle, the most connected first, so the same campaign always
gives the same picture; edges are lines as thick as the pair's co-actions. At most
:data:`MAX_NODES` accounts are drawn, the rest are counted in the summary. The template
draws the SVG from the numbers here (Django escapes every label), with no script or style.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

MAX_NODES = 60
MAX_ROWS = 60
SIZE = 320
MARGIN = 24


@dataclass
class Node:
    account: str
    x: float
    y: float
    degree: int


@dataclass
class Edge:
    source: str
    target: str
    weight: int
    kinds: str
    x1: float = 0.0
    y1: float = 0.0
    x2: float = 0.0
    y2: float = 0.0
    width: float = 1.0


@dataclass
class Picture:
    size: int
    accounts: int
    edges: int
    nodes: list[Node] = field(default_factory=list)
    lines: list[Edge] = field(default_factory=list)
    rows: list[Edge] = field(default_factory=list)
    hidden_accounts: int = 0
    hidden_rows: int = 0

    @property
    def strongest(self) -> Edge | None:
        return self.rows[0] if self.rows else None


def _edges(stored: dict[str, Any]) -> list[Edge]:
    columns = stored.get("columns") or []
    out = []
    for row in stored.get("rows") or []:
        values = dict(zip(columns, row, strict=False))
        kinds = [
            c.removesuffix("_shared")
            for c in columns
            if c.endswith("_shared") and (values.get(c) or 0) > 0
        ]
        out.append(
            Edge(
                str(values["source"]),
                str(values["target"]),
                int(values.get("weight") or 0),
                ", ".join(kinds),
            )
        )
    out.sort(key=lambda e: (-e.weight, e.source, e.target))
    return out


def picture(detail: dict[str, Any]) -> Picture | None:
    """The picture of a campaign from its stored detail; None without stored edges."""
    edges = _edges(detail.get("edges") or {})
    if not edges:
        return None
    degree: dict[str, int] = {}
    for e in edges:
        for account in (e.source, e.target):
            degree[account] = degree.get(account, 0) + e.weight
    ranked = sorted(degree, key=lambda a: (-degree[a], a))
    drawn = ranked[:MAX_NODES]
    centre, radius = SIZE / 2, SIZE / 2 - MARGIN
    at: dict[str, tuple[float, float]] = {}
    nodes = []
    for i, account in enumerate(drawn):
        angle = 2 * math.pi * i / len(drawn) - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        at[account] = (round(x, 1), round(y, 1))
        nodes.append(Node(account, *at[account], degree[account]))
    heaviest = max(e.weight for e in edges) or 1
    lines = []
    for e in edges:
        if e.source in at and e.target in at:
            e.x1, e.y1 = at[e.source]
            e.x2, e.y2 = at[e.target]
            e.width = round(0.5 + 3.5 * e.weight / heaviest, 2)
            lines.append(e)
    accounts = len(set(detail.get("accounts") or []) | set(degree))
    return Picture(
        size=SIZE,
        accounts=accounts,
        edges=len(edges),
        nodes=nodes,
        lines=lines,
        rows=edges[:MAX_ROWS],
        hidden_accounts=accounts - len(nodes),
        hidden_rows=max(len(edges) - MAX_ROWS, 0),
    )
