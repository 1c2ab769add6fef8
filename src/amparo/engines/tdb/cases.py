"""Tying statements of reasons to cases: lookup by the platform's content id, and the
population figures to put beside a group of cases.

These are the functions the case page and collective actions call; they take plain values
(no Django objects) and return plain dicts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .duck import DuckDBEngine
from .queries import Aggregation, Filter
from .store import Store, slugify


class UnknownPlatform(LookupError):
    """The store holds no statement of that platform at all (not: no statement for that id)."""

    def __init__(self, platform: str, known: list[str]) -> None:
        self.platform, self.known = platform, known
        shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        super().__init__(f"no platform {platform!r} in the store (it holds: {shown or 'none'})")


def platform_key(name: str) -> str:
    """What two spellings of a platform share: ``"Google Play"``, ``"google-play"`` (as in the
    per-platform dump names), ``"GOOGLE_PLAY"`` and ``"googleplay"`` all give ``googleplay``."""
    return re.sub(r"[^a-z0-9]", "", slugify(name))


def platform_partitions(store: Store, platform: str) -> list[str]:
    """The ``platform=`` partition slugs of the store that ``platform`` names (case, spaces,
    hyphens, underscores and dots do not matter)."""
    key = platform_key(platform)
    return sorted(
        {
            d.name.removeprefix("platform=")
            for d in store.rows_dir.glob("day=*/platform=*")
            if platform_key(d.name.removeprefix("platform=")) == key
        }
    )


def known_platforms(store: Store) -> list[str]:
    return sorted(
        {d.name.removeprefix("platform=") for d in store.rows_dir.glob("day=*/platform=*")}
    )


def find_statements(
    store: Store | str,
    platform: str,
    content_id: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Statements of ``platform`` whose ``platform_uid`` is ``content_id`` (newest first).

    The platform is matched without regard to case or to the spelling of the dump file names
    (:func:`platform_key`); the id is compared with leading and trailing whitespace removed on
    both sides (the one asked for, and the one stored). Only the platform's partitions are
    read. A content id can appear in several statements (a removal, then an account
    suspension, ...), so a list comes back: empty when there is none for that id. Raises
    :class:`UnknownPlatform` when the store holds no statement of the platform at all.
    """
    st = store if isinstance(store, Store) else Store.at(store)
    slugs = platform_partitions(st, platform)
    if not slugs:
        raise UnknownPlatform(platform, known_platforms(st))
    content_id = content_id.strip()
    if not content_id:
        return []
    engine = DuckDBEngine(st)
    try:
        where = ["trim(platform_uid) = ?"]
        params: list[Any] = [content_id]
        if start:
            where.append("day >= ?")
            params.append(start)
        if end:
            where.append("day <= ?")
            params.append(end)
        globs = ", ".join(
            "'"
            + str(st.rows_dir / "day=*" / f"platform={s}" / "*.parquet").replace("'", "''")
            + "'"
            for s in slugs
        )
        sql = (
            f"SELECT * EXCLUDE (platform) FROM read_parquet([{globs}], hive_partitioning = true) "  # noqa: S608
            f"WHERE {' AND '.join(where)} ORDER BY created_at DESC LIMIT {int(limit)}"
        )
        return engine.query(sql, params).to_pylist()
    finally:
        engine.close()


@dataclass(frozen=True)
class CaseRef:
    """What a case knows about the platform decision it is about."""

    platform: str
    category: str | None = None
    country: str | None = None
    day: dt.date | None = None


def population_figures(
    store: Store | str,
    platform: str,
    category: str | None = None,
    country: str | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, Any]:
    """Figures for all statements of ``platform`` (and ``category``, ``country`` if given).

    Returns the number of statements, shares fully automated, on terms-of-service grounds,
    with an account suspended or terminated, and the data-quality events that touch them.
    """
    st = store if isinstance(store, Store) else Store.at(store)
    filters = [Filter("platform", "eq", platform)]
    if category:
        filters.append(Filter("category", "eq", category))
    if country:
        filters.append(Filter("country", "eq", country))
    agg = Aggregation(
        "population",
        ("decision_ground", "automated_decision", "decision_account"),
        tuple(filters),
        start,
        end,
    )
    engine = DuckDBEngine(st)
    try:
        result = engine.run(agg)
    finally:
        engine.close()
    rows = result.table.to_pylist()
    total = sum(r["statements"] for r in rows)

    def share(pred) -> float | None:
        return sum(r["statements"] for r in rows if pred(r)) / total if total else None

    return {
        "platform": platform,
        "category": category,
        "country": country,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "statements": total,
        "share_fully_automated": share(
            lambda r: r["automated_decision"] == "AUTOMATED_DECISION_FULLY"
        ),
        "share_terms_of_service": share(
            lambda r: r["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        ),
        "share_account_restricted": share(lambda r: r["decision_account"] is not None),
        "quality_flags": [e.id for e in result.flags],
    }


def case_group_figures(
    store: Store | str, cases: Iterable[CaseRef], *, window_days: int = 30
) -> list[dict[str, Any]]:
    """Population figures for each distinct (platform, category, country) of a group of cases,
    over the days the cases span (widened by ``window_days`` on each side), with the number
    of cases in the group that share it."""
    groups: dict[tuple[str, str | None, str | None], list[CaseRef]] = {}
    for c in cases:
        groups.setdefault((c.platform, c.category, c.country), []).append(c)
    out = []
    for (platform, category, country), members in sorted(groups.items(), key=str):
        days = [c.day for c in members if c.day]
        start = min(days) - dt.timedelta(days=window_days) if days else None
        end = max(days) + dt.timedelta(days=window_days) if days else None
        figures = population_figures(store, platform, category, country, start=start, end=end)
        figures["cases"] = len(members)
        out.append(figures)
    return out
