"""Query definitions shared by the engines (DuckDB and Spark).

An :class:`Aggregation` counts statements grouped by named :data:`DIMENSIONS`, under
:class:`Filter` s and an optional day range. Engines translate the same definition; a test runs
both on one sample and compares. At most one dimension of an aggregation may be a list column
(``country``, ``keyword``, ...): a statement is then counted once under each value of its list,
and once under a null value when its list is empty or missing, so that no statement vanishes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import schema


@dataclass(frozen=True)
class Dimension:
    name: str
    column: str
    kind: str = "scalar"  # "scalar", "list", "day", "month"


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("day", "day", "day"),
        Dimension("month", "day", "month"),
        Dimension("platform", "platform_name"),
        Dimension("decision_visibility", "decision_visibility", "list"),
        Dimension("decision_monetary", "decision_monetary"),
        Dimension("decision_provision", "decision_provision"),
        Dimension("decision_account", "decision_account"),
        Dimension("account_type", "account_type"),
        Dimension("decision_ground", "decision_ground"),
        Dimension("incompatible_content_illegal", "incompatible_content_illegal"),
        Dimension("category", "category"),
        Dimension("category_addition", "category_addition", "list"),
        Dimension("keyword", "category_specification", "list"),
        Dimension("content_type", "content_type", "list"),
        Dimension("language", "content_language"),
        Dimension("country", "territorial_scope", "list"),
        Dimension("source_type", "source_type"),
        # Free-text fields, in no rollup: an aggregation by them reads the rows.
        Dimension("source_identity", "source_identity"),
        Dimension("legal_ground", "illegal_content_legal_ground"),
        Dimension("automated_detection", "automated_detection"),
        Dimension("automated_decision", "automated_decision"),
    )
}

FILTER_OPS = ("eq", "ne", "in", "not_in", "is_null", "not_null", "contains_text")


@dataclass(frozen=True)
class Filter:
    """``dimension op value``; on a list dimension ``eq``/``in`` mean "the list holds"."""

    dimension: str
    op: str = "eq"
    value: Any = None

    def __post_init__(self) -> None:
        if self.dimension not in DIMENSIONS and self.dimension not in schema.FULL_COLUMNS:
            raise ValueError(f"unknown dimension or column {self.dimension!r}")
        if self.op not in FILTER_OPS:
            raise ValueError(f"unknown filter operator {self.op!r}")

    @property
    def column(self) -> str:
        d = DIMENSIONS.get(self.dimension)
        return d.column if d else self.dimension

    @property
    def is_list(self) -> bool:
        d = DIMENSIONS.get(self.dimension)
        return (d.kind == "list") if d else self.dimension in schema.LIST_COLUMNS

    @property
    def values(self) -> list[Any]:
        if isinstance(self.value, list | tuple | set | frozenset):
            return sorted(self.value, key=str)
        return [self.value]


@dataclass(frozen=True)
class Aggregation:
    name: str
    dimensions: tuple[str, ...]
    filters: tuple[Filter, ...] = ()
    start: dt.date | None = None  # inclusive, on the day of created_at
    end: dt.date | None = None  # inclusive
    description: str = ""

    def __post_init__(self) -> None:
        unknown = [d for d in self.dimensions if d not in DIMENSIONS]
        if unknown:
            raise ValueError(f"unknown dimensions: {', '.join(unknown)}")
        if sum(DIMENSIONS[d].kind == "list" for d in self.dimensions) > 1:
            raise ValueError("an aggregation can group by at most one list dimension")

    @property
    def list_dimension(self) -> str | None:
        return next((d for d in self.dimensions if DIMENSIONS[d].kind == "list"), None)

    def with_filters(
        self,
        *filters: Filter,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Aggregation:
        return Aggregation(
            self.name,
            self.dimensions,
            self.filters + tuple(filters),
            start or self.start,
            end or self.end,
            self.description,
        )


def _agg(name: str, dims: str, description: str) -> Aggregation:
    return Aggregation(name, tuple(dims.split()), description=description)


#: Equivalent of the toolbox's "simple" aggregation: one cube of the main categorical fields.
SIMPLE: tuple[Aggregation, ...] = (
    _agg(
        "simple",
        "day platform decision_ground category automated_detection automated_decision",
        "Statements per day, platform, ground, category and automation.",
    ),
)

#: Equivalent of the toolbox's "complete" aggregation: every categorical field, the list
#: fields each in its own breakdown (a cube over several lists would count a statement
#: many times over).
COMPLETE: tuple[Aggregation, ...] = (
    _agg(
        "complete",
        "day platform decision_monetary decision_provision decision_account account_type "
        "decision_ground incompatible_content_illegal category language source_type "
        "automated_detection automated_decision",
        "Statements per day and platform by every single-valued categorical field.",
    ),
    _agg("visibility", "day platform decision_visibility", "Visibility decisions."),
    _agg("keyword", "day platform category keyword", "Keywords (category_specification)."),
    _agg("content_type", "day platform content_type", "Content types."),
    _agg("country", "day platform country", "Territorial scope by country."),
    _agg("category_addition", "day platform category_addition", "Additional categories."),
)

#: What ``tdb aggregate`` runs by default and the benchmark times.
STANDARD: tuple[Aggregation, ...] = SIMPLE + COMPLETE


def by_name(name: str) -> Aggregation:
    for a in STANDARD:
        if a.name == name:
            return a
    raise KeyError(name)


@dataclass
class Result:
    """An aggregation's table (a ``pyarrow.Table`` with a ``statements`` column) and flags."""

    aggregation: Aggregation
    table: Any
    flags: list[Any] = field(default_factory=list)
    seconds: float = 0.0
    engine: str = ""
