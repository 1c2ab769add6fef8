"""The community lens: questions a civil-society organisation asks of the database, each
answered with a table and a chart.

Every preset is an :class:`Aggregation` (so it runs on either engine) plus, for shares, a
small step over the aggregated table. Categories are given in both the v1 and v2 sets so that
a question spanning 2025-07-01 counts the same harm under its old and new names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from . import charts
from .queries import Aggregation, Filter

#: Categories where attacks on defenders, journalists and activists are reported.
COMMUNITY_CATEGORIES: tuple[str, ...] = tuple(
    f"STATEMENT_CATEGORY_{c}"
    for c in (
        "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "ILLEGAL_OR_HARMFUL_SPEECH",
        "CYBER_VIOLENCE",
        "CYBER_VIOLENCE_AGAINST_WOMEN",
        "NON_CONSENSUAL_BEHAVIOUR",  # v1: where cyber violence was filed before 2025-07-01
    )
)


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    aggregation: Aggregation
    share_of: tuple[str, object] | None = None  # (dimension, value) whose share is computed


@dataclass
class LensAnswer:
    question: Question
    table: pa.Table
    svg: str
    flags: list[Any] = field(default_factory=list)
    engine: str = ""


def _in_community() -> Filter:
    return Filter("category", "in", COMMUNITY_CATEGORIES)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "community-by-country",
        "How many decisions on civic discourse, hate speech and cyber violence (against women) "
        "are there, by category and country?",
        Aggregation("community-by-country", ("category", "country"), (_in_community(),)),
    ),
    Question(
        "community-by-language",
        "The same decisions by category and language of the content.",
        Aggregation("community-by-language", ("category", "language"), (_in_community(),)),
    ),
    Question(
        "fully-automated",
        "What share of each platform's decisions is taken fully automatically?",
        Aggregation("fully-automated", ("platform", "automated_decision")),
        share_of=("automated_decision", "AUTOMATED_DECISION_FULLY"),
    ),
    Question(
        "community-fully-automated",
        "What share of the decisions on civic discourse, hate speech and cyber violence is "
        "taken fully automatically, per platform?",
        Aggregation(
            "community-fully-automated", ("platform", "automated_decision"), (_in_community(),)
        ),
        share_of=("automated_decision", "AUTOMATED_DECISION_FULLY"),
    ),
    Question(
        "terms-of-service",
        "What share of each platform's decisions rests on its terms of service rather than on "
        "the law?",
        Aggregation("terms-of-service", ("platform", "decision_ground")),
        share_of=("decision_ground", "DECISION_GROUND_INCOMPATIBLE_CONTENT"),
    ),
    Question(
        "community-keywords",
        "Which kinds of harm (keywords) do those decisions name?",
        Aggregation("community-keywords", ("keyword",), (_in_community(),)),
    ),
    Question(
        "account-restrictions",
        "How many accounts are suspended or terminated, per day and platform?",
        Aggregation(
            "account-restrictions",
            ("day", "platform"),
            (Filter("decision_account", "not_null"),),
        ),
    ),
    Question(
        "trusted-flaggers",
        "How many decisions follow a trusted flagger's notice, per platform?",
        Aggregation("trusted-flaggers", ("platform", "source_type")),
        share_of=("source_type", "SOURCE_TRUSTED_FLAGGER"),
    ),
)


def question(qid: str) -> Question:
    for q in QUESTIONS:
        if q.id == qid:
            return q
    raise KeyError(f"no lens question {qid!r}; known: {', '.join(q.id for q in QUESTIONS)}")


def _shares(table: pa.Table, dimension: str, value: object) -> pa.Table:
    """Collapse ``dimension`` into total / matching / share per remaining dimensions."""
    keys = [c for c in table.column_names if c not in (dimension, "statements", "quality_flags")]
    acc: dict[tuple, list[int]] = {}
    for r in table.to_pylist():
        k = tuple(r[c] for c in keys)
        slot = acc.setdefault(k, [0, 0])
        slot[0] += r["statements"]
        if r[dimension] == value:
            slot[1] += r["statements"]
    rows = [
        {**dict(zip(keys, k, strict=True)), "statements": t, "matching": m, "share": m / t}
        for k, (t, m) in sorted(acc.items(), key=lambda kv: -kv[1][0])
        if t
    ]
    schema = pa.schema(
        [table.schema.field(c) for c in keys]
        + [("statements", pa.int64()), ("matching", pa.int64()), ("share", pa.float64())]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def answer(
    engine: Any,
    qid: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    filters: tuple[Filter, ...] = (),
    on_result: Callable[[Any], None] | None = None,
) -> LensAnswer:
    """Answer one question with ``engine`` (DuckDB or Spark) over ``start``..``end``."""
    q = question(qid)
    result = engine.run(q.aggregation.with_filters(*filters, start=start, end=end))
    if on_result:
        on_result(result)
    table = result.table
    if q.share_of:
        table = _shares(table, *q.share_of)
        svg = charts.bar_chart(
            [r.get("platform", "all") for r in table.to_pylist()],
            table["share"].to_pylist(),
            title=q.question,
            unit="%",
        )
    else:
        svg = charts.chart_for(table, title=q.question)
    return LensAnswer(q, table, svg, result.flags, result.engine)
