"""The DuckDB engine: the default, for a day to months of data on one machine."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import duckdb
import pyarrow as pa

from . import quality, schema
from .compact import has_compacted
from .queries import DIMENSIONS, Aggregation, Filter, Result
from .rollup import Rollup, answering
from .store import Store, day_range, slugify

_BOOL_COLUMNS = set(schema.YES_NO_COLUMNS)
#: Results up to this many rows come back sorted by their dimensions; bigger ones unsorted.
SORT_LIMIT = 200_000


def _coerce(column: str, value: Any) -> Any:
    if column in _BOOL_COLUMNS and isinstance(value, str):
        return value.strip().lower() in ("yes", "true", "1")
    if column == "day" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _filter_sql(f: Filter, params: list[Any], rollup: bool = False) -> str:
    col = f.dimension if rollup else f.column
    dim = DIMENSIONS.get(f.dimension)
    if dim is not None and dim.kind == "month":
        col = "strftime(day, '%Y-%m')"
    vals = [_coerce(f.column, v) for v in f.values]
    if f.op == "contains_text":
        params.append(str(f.value))
        return f"{col} ILIKE '%' || ? || '%'"
    if f.is_list:
        if f.op in ("is_null", "not_null"):
            empty = f"({col} IS NULL OR len({col}) = 0)"
            return empty if f.op == "is_null" else f"NOT {empty}"
        marks = ", ".join("?" for _ in vals)
        params.extend(vals)
        test = f"list_has_any(coalesce({col}, []), [{marks}]::VARCHAR[])"
        return test if f.op in ("eq", "in") else f"NOT {test}"
    if f.op == "is_null":
        return f"{col} IS NULL"
    if f.op == "not_null":
        return f"{col} IS NOT NULL"
    marks = ", ".join("?" for _ in vals)
    params.extend(vals)
    if f.op in ("eq", "in"):
        return f"{col} IN ({marks})"
    return f"({col} NOT IN ({marks}) OR {col} IS NULL)"


def where_sql(agg: Aggregation, params: list[Any], rollup: bool = False) -> str:
    parts = ["TRUE"]
    if agg.start:
        parts.append("day >= ?")
        params.append(agg.start)
    if agg.end:
        parts.append("day <= ?")
        params.append(agg.end)
    for f in agg.filters:
        if f.dimension == "platform" and f.op in ("eq", "in") and not rollup:
            # Prune whole partitions by the platform slug before the name is compared.
            slugs = [slugify(str(v)) for v in f.values]
            parts.append(f"platform IN ({', '.join('?' for _ in slugs)})")
            params.extend(slugs)
        parts.append(_filter_sql(f, params, rollup))
    return " AND ".join(parts)


def _select(name: str, rollup: bool = False) -> str:
    dim = DIMENSIONS[name]
    if dim.kind == "month":
        return f"strftime(day, '%Y-%m') AS {name}"
    column = name if rollup else dim.column
    return f"{column} AS {name}" if column != name else name


def identity_rollup_sql(
    agg: Aggregation, glob: str, compacted: bool = False
) -> tuple[str, list[Any]]:
    """SQL for an aggregation that groups by exactly a scalar rollup's dimensions.

    Each rollup file is already a count per key; only days found in more than one file (the
    spill of a dump into the day before) need adding up again, so the others are read as they
    are. For ``complete`` over months this avoids re-hashing millions of groups. Month files
    of :mod:`.compact` hold several dumps, told apart by their ``dump`` column.
    """
    params: list[Any] = []
    where = where_sql(agg, params, rollup=True)
    dims = ", ".join(agg.dimensions)
    union = ", union_by_name = true" if compacted else ""
    origin = "coalesce(dump, filename)" if compacted else "filename"
    src = f"read_parquet('{glob}', filename = true{union})"
    sql = (
        f"WITH r AS (SELECT * FROM {src} WHERE {where}), "  # noqa: S608 - see aggregation_sql
        f"multi AS (SELECT day FROM r GROUP BY day HAVING count(DISTINCT {origin}) > 1) "
        f"SELECT {dims}, statements::BIGINT AS statements FROM r "
        "WHERE day NOT IN (SELECT day FROM multi) "
        f"UNION ALL SELECT {dims}, sum(statements)::BIGINT AS statements FROM r "
        "WHERE day IN (SELECT day FROM multi) GROUP BY ALL"
    )
    return sql, params


def aggregation_sql(agg: Aggregation, source: str, rollup: bool = False) -> tuple[str, list[Any]]:
    """SQL and parameters of an aggregation over ``source`` (a FROM item).

    Identifiers come only from :data:`DIMENSIONS`; every value is a bound parameter.
    """
    params: list[Any] = []
    where = where_sql(agg, params, rollup)
    listed = agg.list_dimension
    scalars = [d for d in agg.dimensions if d != listed]
    sel = [_select(d, rollup) for d in scalars]
    count = "sum(statements)" if rollup else "count(*)"
    if listed is None:
        cols = ", ".join([*sel, f"{count}::BIGINT AS statements"])
        group = "GROUP BY ALL" if sel else ""
        sql = f"SELECT {cols} FROM {source} WHERE {where} {group}"  # noqa: S608 - see above
        return sql, params
    # Count per distinct list first (few), then spread the counts over the list's values.
    col = listed if rollup else DIMENSIONS[listed].column
    inner = ", ".join([*sel, f"{col} AS __l", f"{count} AS __n"])
    names = ", ".join(scalars)
    spread = (
        "unnest(CASE WHEN __l IS NULL OR len(__l) = 0 THEN [NULL::VARCHAR] ELSE __l END)"
        f" AS {listed}"
    )
    outer_sel = ", ".join([*(scalars), listed, "sum(__n)::BIGINT AS statements"])
    sql = (
        f"WITH base AS (SELECT {inner} FROM {source} WHERE {where} GROUP BY ALL), "  # noqa: S608
        f"spread AS (SELECT {names + ', ' if names else ''}{spread}, __n FROM base) "
        f"SELECT {outer_sel} FROM spread GROUP BY ALL"
    )
    return sql, params


class DuckDBEngine:
    """Runs :class:`Aggregation` s with DuckDB over the store's Parquet files."""

    name = "duckdb"

    def __init__(
        self, store: Store, *, threads: int | None = None, memory_limit: str | None = None
    ) -> None:
        self.store = store
        self.con = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute("SET memory_limit = ?", [memory_limit])

    def source(self, rollup: Rollup | None = None) -> str:
        if rollup is None:
            glob = self.store.rows_glob.replace("'", "''")
            return f"read_parquet('{glob}', hive_partitioning = true)"
        directory = self.store.rollup_dir(rollup.name)
        glob = str(directory / "*.parquet").replace("'", "''")
        union = ", union_by_name = true" if has_compacted(directory) else ""
        return f"read_parquet('{glob}'{union})"

    def _empty(self, agg: Aggregation) -> pa.Table:
        fields = [pa.field(d, pa.string()) for d in agg.dimensions]
        return pa.schema([*fields, pa.field("statements", pa.int64())]).empty_table()

    def query(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        return self.con.sql(sql, params=params or None).to_arrow_table()

    def run(self, agg: Aggregation, *, use_rollups: bool = True) -> Result:
        """Run one aggregation, from a rollup when one answers it exactly."""
        started = time.perf_counter()
        rollup = answering(agg) if use_rollups else None
        if rollup is not None and not self.store.has_rollup(rollup.name):
            rollup = None
        # rows of old years may have been deleted, keeping their rollups (docs/tdb.md)
        if rollup is None and not self.store.has_rows():
            return finish(self.store, agg, self._empty(agg), started, self.name)
        if rollup is not None:
            if rollup.list_dimension is None and set(agg.dimensions) == set(rollup.dimensions):
                directory = self.store.rollup_dir(rollup.name)
                glob = str(directory / "*.parquet").replace("'", "''")
                sql, params = identity_rollup_sql(agg, glob, has_compacted(directory))
            else:
                sql, params = aggregation_sql(agg, self.source(rollup), rollup=True)
            engine = f"{self.name}:rollup:{rollup.name}"
        else:
            sql, params = aggregation_sql(agg, self.source())
            engine = self.name
        return finish(self.store, agg, self.query(sql, params), started, engine)

    def run_many(
        self, aggs: list[Aggregation] | tuple[Aggregation, ...], *, use_rollups: bool = True
    ) -> list[Result]:
        return [self.run(a, use_rollups=use_rollups) for a in aggs]

    def close(self) -> None:
        self.con.close()


def finish(store: Store, agg: Aggregation, table: pa.Table, started: float, engine: str) -> Result:
    """Attach data-quality flags (result-level and per row) to an engine's table."""
    first, last = day_range(store)
    events = quality.events_for(
        agg,
        dt.date.fromisoformat(first) if first else None,
        dt.date.fromisoformat(last) if last else None,
    )
    if 0 < table.num_rows <= SORT_LIMIT and agg.dimensions:
        # Engines return groups in any order; small results are sorted for people and diffs.
        table = table.sort_by([(d, "ascending") for d in agg.dimensions])
    table = quality.flag_rows(table, events)
    return Result(agg, table, events, time.perf_counter() - started, engine)
