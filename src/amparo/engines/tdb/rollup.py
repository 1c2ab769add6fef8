"""Rollups: partial counts that ingest keeps beside the rows, so that the standard
aggregations over months read thousands of rows instead of billions.

Each rollup is a group-by count over some dimensions (``day`` and ``platform`` always) and at
most one list column, kept as a list. Ingest counts it per CSV part in the worker threads by
integer codes (:func:`partial`), sums the parts of a dump by codes shared across the dump
(:class:`Accumulator`), and writes ``<store>/rollups/<name>/<dump>-<run>.parquet``. An
aggregation whose dimensions and filters all lie within a rollup is answered from it with the
same SQL as from the rows (``sum(statements)`` instead of ``count(*)``), so the figures are
identical; anything else (free-text filters, other columns) reads the rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .parse import _parse_lists
from .queries import DIMENSIONS, Aggregation
from .schema import KNOWN_VALUES


@dataclass(frozen=True)
class Rollup:
    name: str
    dimensions: tuple[str, ...]  # scalar dimensions
    list_dimension: str | None = None
    derived_from: str | None = None  # a finer rollup it is summed from (cheaper than rows)

    @property
    def all_dimensions(self) -> tuple[str, ...]:
        return self.dimensions + ((self.list_dimension,) if self.list_dimension else ())


ROLLUPS: tuple[Rollup, ...] = (
    Rollup(
        "simple",
        (
            "day",
            "platform",
            "decision_ground",
            "category",
            "automated_detection",
            "automated_decision",
        ),
        derived_from="complete",
    ),
    Rollup(
        "complete",
        (
            "day",
            "platform",
            "decision_monetary",
            "decision_provision",
            "decision_account",
            "account_type",
            "decision_ground",
            "incompatible_content_illegal",
            "category",
            "language",
            "source_type",
            "automated_detection",
            "automated_decision",
        ),
    ),
    Rollup("visibility", ("day", "platform", "category", "decision_ground"), "decision_visibility"),
    Rollup("keyword", ("day", "platform", "category"), "keyword"),
    Rollup("content_type", ("day", "platform", "category"), "content_type"),
    Rollup("country", ("day", "platform"), "country", derived_from="country_detail"),
    Rollup(
        "country_detail",
        ("day", "platform", "category", "decision_ground", "automated_decision", "language"),
        "country",
    ),
    Rollup("category_addition", ("day", "platform", "category"), "category_addition"),
)


def partial(
    rows: pa.Table, list_keys: dict[str, tuple[pa.Array, pa.Array]]
) -> tuple[dict[str, pa.Table], dict[str, pa.Array]]:
    """Per-part counts of every rollup that is counted from rows, by integer codes.

    Returns (rollup name → table of int32 codes per dimension and ``statements``, dimension →
    the part's dictionary the codes index). Every dimension is hashed once (dictionary-encoded):
    the rollups share their dimensions. List columns are counted the same way by their
    dictionary codes (``list_keys``: column → (distinct raw JSON texts, code per row)). The
    rollups summed from finer ones (``derived_from``) are left to :class:`Accumulator`.
    """
    day = pc.cast(rows["created_at"], pa.date32())
    dictionaries: dict[str, pa.Array] = {}
    codes: dict[str, pa.Array] = {}

    def key(d: str) -> pa.Array:
        if d not in codes:
            col = day if d == "day" else rows[DIMENSIONS[d].column]
            encoded = pc.dictionary_encode(col)
            if isinstance(encoded, pa.ChunkedArray):
                encoded = encoded.combine_chunks()
            dictionaries[d], codes[d] = encoded.dictionary, encoded.indices
        return codes[d]

    coded: dict[str, pa.Table] = {}
    for r in ROLLUPS:
        if r.derived_from:
            continue
        cols = {d: key(d) for d in r.dimensions}
        if r.list_dimension:
            dictionaries[r.list_dimension], cols[r.list_dimension] = list_keys[
                DIMENSIONS[r.list_dimension].column
            ]
        sizes = {d: len(dictionaries[d]) for d in cols}
        coded[r.name] = _group_sum(cols, sizes, None)
    return coded, dictionaries


def _group_sum(
    cols: dict[str, pa.Array | pa.ChunkedArray],
    sizes: dict[str, int],
    weights: pa.Array | pa.ChunkedArray | None,
) -> pa.Table:
    """Count rows (``weights`` None) or sum ``weights`` by the code columns ``cols``.

    The codes (0 ≤ code < ``sizes[d]``, or null) are folded into one int64 key, so the hash
    table works on one integer column instead of a dozen; the key is unfolded afterwards.
    Falls back to grouping by the columns when the key would not fit 62 bits.
    """
    names = list(cols)
    radix = [sizes[d] + 1 for d in names]  # the extra code stands for null
    count: list[tuple[Any, str]] = [([], "count_all")]
    if math.prod(radix) >= 1 << 62:
        table = pa.table({**cols, **({"statements": weights} if weights is not None else {})})
        agg = [("statements", "sum")] if weights is not None else count
        by_columns = table.group_by(names, use_threads=False).aggregate(agg)
        by_columns = by_columns.rename_columns([*by_columns.column_names[:-1], "statements"])
        return by_columns.select([*names, "statements"]).cast(
            pa.schema([*(pa.field(d, pa.int32()) for d in names), ("statements", pa.int64())])
        )
    n = len(cols[names[0]])
    key = np.zeros(n, dtype=np.int64)
    stride = 1
    for d, r in zip(names, radix, strict=True):
        col = cols[d]
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        filled = pc.fill_null(col, r - 1) if col.null_count else col
        key += filled.to_numpy().astype(np.int64) * stride
        stride *= r
    table = pa.table({"k": key, **({"w": weights} if weights is not None else {})})
    agg = [("w", "sum")] if weights is not None else count
    grouped = table.group_by("k", use_threads=False).aggregate(agg)
    k = grouped["k"].to_numpy()
    out: dict[str, pa.Array] = {}
    stride = 1
    for d, r in zip(names, radix, strict=True):
        c = (k // stride) % r
        stride *= r
        out[d] = pa.array(c.astype(np.int32), mask=c == r - 1)
    out["statements"] = grouped["w_sum" if weights is not None else "count_all"].cast(pa.int64())
    return pa.table(out)


class Accumulator:
    """Sums a dump's per-part rollup counts, by codes into dictionaries shared by all parts.

    Each part's codes are translated to the dump's codes (a look-up over the part's small
    dictionaries), so summing never hashes text again; every ``combine_every`` parts the
    counts of a rollup are summed to keep memory flat. :meth:`result` sums what is left,
    derives the rollups summed from finer ones, and turns codes back into values.
    """

    def __init__(self, combine_every: int = 8) -> None:
        self.combine_every = combine_every
        self._codes: dict[str, dict[object, int]] = {}
        self._values: dict[str, list] = {}
        self._types: dict[str, pa.DataType] = {}
        self._parts: dict[str, list[pa.Table]] = {}

    def add(self, coded: dict[str, pa.Table], dictionaries: dict[str, pa.Array]) -> None:
        remap = {d: self._remap(d, dictionary) for d, dictionary in dictionaries.items()}
        for name, table in coded.items():
            cols = {d: remap[d].take(table[d]) for d in table.column_names[:-1]}
            kept = self._parts.setdefault(name, [])
            kept.append(pa.table({**cols, "statements": table["statements"]}))
            if len(kept) >= self.combine_every:
                kept[:] = [self._sum(kept)]

    def _remap(self, d: str, dictionary: pa.Array) -> pa.Array:
        codes = self._codes.setdefault(d, {})
        values = self._values.setdefault(d, [])
        self._types.setdefault(d, dictionary.type)
        out = []
        for v in dictionary.to_pylist():
            c = codes.get(v)
            if c is None:
                c = codes[v] = len(values)
                values.append(v)
            out.append(c)
        return pa.array(out, pa.int32())

    def _sum(self, tables: list[pa.Table], names: list[str] | None = None) -> pa.Table:
        table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
        names = names or table.column_names[:-1]
        sizes = {d: len(self._values[d]) for d in names}
        return _group_sum({d: table[d] for d in names}, sizes, table["statements"])

    def result(self) -> dict[str, pa.Table]:
        """Every rollup summed over the parts, with values instead of codes (list columns as
        lists), in :data:`ROLLUPS` order; empty when no part was added."""
        summed = {
            name: (kept[0] if len(kept) == 1 else self._sum(kept))
            for name, kept in self._parts.items()
        }
        if not summed:
            return {}
        for r in ROLLUPS:
            if r.derived_from:
                summed[r.name] = self._sum([summed[r.derived_from]], list(r.all_dimensions))
        values = {d: pa.array(self._values[d], type=self._types[d]) for d in self._values}
        out: dict[str, pa.Table] = {}
        for r in ROLLUPS:
            table = summed[r.name]
            cols = {d: values[d].take(table[d]) for d in r.all_dimensions}
            if r.list_dimension:
                cols[r.list_dimension] = _parse_lists(cols[r.list_dimension])
            out[r.name] = pa.table({**cols, "statements": table["statements"]})
        return out


#: Where each enumerated store column can be counted from: (rollup, dimension).
_UNKNOWN_SOURCES = {
    "decision_monetary": ("complete", "decision_monetary"),
    "decision_provision": ("complete", "decision_provision"),
    "decision_account": ("complete", "decision_account"),
    "account_type": ("complete", "account_type"),
    "decision_ground": ("complete", "decision_ground"),
    "category": ("complete", "category"),
    "source_type": ("complete", "source_type"),
    "automated_decision": ("complete", "automated_decision"),
    "decision_visibility": ("visibility", "decision_visibility"),
    "category_addition": ("category_addition", "category_addition"),
    "category_specification": ("keyword", "keyword"),
    "content_type": ("content_type", "content_type"),
    "territorial_scope": ("country", "country"),
}


def unknown_values(merged: dict[str, pa.Table]) -> dict[str, dict[str, int]]:
    """Values of enumerated columns that neither the v1 nor the v2 sets know, with the number
    of statements holding them, read off a dump's merged rollups (not off the rows)."""
    found: dict[str, dict[str, int]] = {}
    for column, (name, dim) in _UNKNOWN_SOURCES.items():
        table = merged.get(name)
        if table is None or table.num_rows == 0:
            continue
        values, weights = table[dim], table["statements"]
        if pa.types.is_list(values.type):
            values = values.combine_chunks()
            parents = pc.list_parent_indices(values)
            weights = weights.combine_chunks().take(parents)
            values = pc.list_flatten(values)
        counts = pa.table({"v": values, "n": weights}).group_by("v").aggregate([("n", "sum")])
        known = KNOWN_VALUES[column]
        for v, n in zip(counts["v"].to_pylist(), counts["n_sum"].to_pylist(), strict=True):
            if v is not None and v not in known:
                found.setdefault(column, {})[v] = n
    return found


def answering(agg: Aggregation) -> Rollup | None:
    """The smallest rollup that answers ``agg`` exactly, or None."""
    wanted = set(agg.dimensions) | {"day"}
    for f in agg.filters:
        if f.dimension not in DIMENSIONS or f.op == "contains_text":
            return None
        wanted.add(f.dimension)
    if "month" in wanted:
        wanted.discard("month")
    candidates = []
    for r in ROLLUPS:
        dims = set(r.all_dimensions)
        list_dims = {d for d in wanted if DIMENSIONS[d].kind == "list"}
        if wanted <= dims and len(list_dims) <= 1:
            candidates.append(r)
    if not candidates:
        return None
    # Prefer rollups without a list column (no unnesting) and with fewer dimensions.
    return min(candidates, key=lambda r: (r.list_dimension is not None, len(r.all_dimensions)))


def _stored_list_keys(rows: pa.Table) -> dict[str, tuple[pa.Array, pa.Array]]:
    """The list columns of stored rows as :func:`partial` takes them from a parsed part:
    (distinct JSON texts, code per row), the texts rebuilt from the lists."""
    out: dict[str, tuple[pa.Array, pa.Array]] = {}
    for d in DIMENSIONS.values():
        if d.kind != "list":
            continue
        col = rows[d.column].combine_chunks()
        joined = pc.binary_join_element_wise('["', pc.binary_join(col, '","'), '"]', "")
        text = pc.if_else(pc.equal(pc.list_value_length(col), 0), "[]", joined)
        encoded = pc.dictionary_encode(text)
        out[d.column] = (encoded.dictionary, encoded.indices)
    return out


def count_stored(tables: Iterable[pa.Table]) -> dict[str, pa.Table]:
    """Every rollup of stored rows (tables in the store's schema), as ingest counts them from
    the parsed parts: used where rows were removed after their dump was counted (the
    duplicates found across the dumps of one Spark run, :mod:`.distributed`)."""
    acc = Accumulator()
    for table in tables:
        if table.num_rows:
            acc.add(*partial(table, _stored_list_keys(table)))
    return acc.result()
