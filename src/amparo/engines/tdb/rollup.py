"""Rollups: partial counts that ingest keeps beside the rows, so that the standard
aggregations over months read thousands of rows instead of billions.

Each rollup is a group-by count over some dimensions (``day`` and ``platform`` always) and at
most one list column, kept as a list. Ingest computes it per CSV part in the worker threads,
merges the parts of a dump, and writes ``<store>/rollups/<name>/<dump>-<run>.parquet``. An
aggregation whose dimensions and filters all lie within a rollup is answered from it with the
same SQL as from the rows (``sum(statements)`` instead of ``count(*)``), so the figures are
identical; anything else (free-text filters, other columns) reads the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def partial(rows: pa.Table, list_keys: dict[str, tuple[pa.Array, pa.Array]]) -> dict[str, pa.Table]:
    """Per-part counts of every rollup over well-formed ``rows``.

    Every text dimension is hashed once (dictionary-encoded) and the rollups group by the
    integer codes, which are turned back into text afterwards: the rollups share their
    dimensions, so this hashes each string column once instead of once per rollup. List
    columns are counted the same way by their dictionary codes (``list_keys``: column →
    (distinct raw JSON texts, code per row)).
    """
    day = pc.cast(rows["created_at"], pa.date32())
    keys: dict[str, tuple[pa.Array | None, pa.Array | pa.ChunkedArray]] = {}

    def key(d: str) -> tuple[pa.Array | None, pa.Array | pa.ChunkedArray]:
        if d not in keys:
            col = day if d == "day" else rows[DIMENSIONS[d].column]
            if pa.types.is_string(col.type):
                encoded = pc.dictionary_encode(col)
                if isinstance(encoded, pa.ChunkedArray):
                    encoded = encoded.combine_chunks()
                keys[d] = (encoded.dictionary, encoded.indices)
            else:
                keys[d] = (None, col)
        return keys[d]

    dictionaries: dict[str, pa.Array] = {}
    coded: dict[str, pa.Table] = {}  # counts by code; derived rollups are summed from these
    for r in ROLLUPS:
        if r.derived_from:
            continue
        cols: dict[str, pa.ChunkedArray | pa.Array] = {}
        for d in r.dimensions:
            dictionary, cols[d] = key(d)
            if dictionary is not None:
                dictionaries[d] = dictionary
        if r.list_dimension:
            dictionaries[r.list_dimension], cols[r.list_dimension] = list_keys[
                DIMENSIONS[r.list_dimension].column
            ]
        counted = (
            pa.table(cols).group_by(list(cols), use_threads=False).aggregate([([], "count_all")])
        )
        coded[r.name] = counted.rename_columns([*counted.column_names[:-1], "statements"])
    for r in ROLLUPS:
        if r.derived_from:
            coded[r.name] = _sum(coded[r.derived_from], list(r.all_dimensions))
    out: dict[str, pa.Table] = {}
    for name, counted in coded.items():
        for d in counted.column_names[:-1]:
            if d in dictionaries:
                i = counted.schema.get_field_index(d)
                counted = counted.set_column(i, d, dictionaries[d].take(counted[d]))
        out[name] = counted
    return {r.name: out[r.name] for r in ROLLUPS}


def _sum(table: pa.Table, keys: list[str]) -> pa.Table:
    summed = table.group_by(keys, use_threads=False).aggregate([("statements", "sum")])
    return summed.rename_columns([*keys, "statements"])


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


def combine(partials: list[pa.Table]) -> pa.Table:
    """Sum per-part counts that share their keys (list keys still raw JSON text).

    As in :func:`partial`, each text key is hashed once into integer codes and the sum groups
    by the codes, which are turned back into text afterwards.
    """
    table = pa.concat_tables(partials)
    keys = [c for c in table.column_names if c != "statements"]
    cols: dict[str, pa.Array | pa.ChunkedArray] = {}
    dictionaries: dict[str, pa.Array] = {}
    for k in keys:
        col = table[k]
        if pa.types.is_string(col.type):
            encoded = pc.dictionary_encode(col.combine_chunks())
            dictionaries[k], cols[k] = encoded.dictionary, encoded.indices
        else:
            cols[k] = col
    cols["statements"] = table["statements"]
    merged = pa.table(cols).group_by(keys, use_threads=False).aggregate([("statements", "sum")])
    merged = merged.rename_columns([*merged.column_names[:-1], "statements"])
    for k, dictionary in dictionaries.items():
        i = merged.schema.get_field_index(k)
        merged = merged.set_column(i, k, dictionary.take(merged[k]))
    return merged


def merge(name: str, partials: list[pa.Table]) -> pa.Table:
    """Sum the per-part counts of one rollup and turn raw JSON list keys into lists."""
    rollup = next(r for r in ROLLUPS if r.name == name)
    # one table is already summed (a part's counts, or what ingest combined on the way)
    merged = partials[0] if len(partials) == 1 else combine(partials)
    if rollup.list_dimension:
        i = merged.schema.get_field_index(rollup.list_dimension)
        raw = merged[rollup.list_dimension].combine_chunks()
        merged = merged.set_column(i, rollup.list_dimension, _parse_lists(raw))
    return merged


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
