"""The Apache Spark engine: the same :class:`Aggregation` s for months or years of data.

Reads the same store (Parquet partitioned by day and platform, and the rollups) from a local
or cluster Spark session, and returns the same tables as the DuckDB engine; a test runs both
on one sample and compares them row by row. Needs ``pyspark`` (extra ``spark``) and Java.
"""

from __future__ import annotations

import time
from typing import Any

import pyarrow as pa

from .duck import _coerce, finish
from .queries import DIMENSIONS, Aggregation, Filter, Result
from .rollup import answering
from .store import Store, slugify


def local_session(cores: str = "*", memory: str = "2g") -> Any:
    """A local Spark session with settings that suit one machine."""
    return session(f"local[{cores}]", memory=memory)


def session(master: str | None = None, memory: str = "2g") -> Any:
    """A Spark session on ``master`` (``local[4]``, ``spark://host:7077``,
    ``k8s://https://host:6443``); None takes the master that ``spark-submit`` or
    ``SPARK_MASTER`` gave, else ``local[*]``. The driver's memory applies where the driver is
    started here (not under ``spark-submit``, which sets it itself)."""
    import os

    from .._extras import require_pyspark

    require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("amparo-tdb")
    chosen = master or os.environ.get("SPARK_MASTER")
    if chosen:  # else spark-submit's --master, or PySpark's own default, local[*]
        builder = builder.master(chosen)
    return (
        builder.config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )


class SparkEngine:
    name = "spark"

    def __init__(self, store: Store, spark: Any = None, master: str | None = None) -> None:
        self.store = store
        self._own = spark is None
        self.spark = spark or session(master)
        self._frames: dict[str | None, Any] = {}

    def _frame(self, rollup: str | None) -> Any:
        """The rows or a rollup as a DataFrame; the file listing is made once per engine, so
        an engine does not see dumps ingested after its first query (make a new one)."""
        if rollup not in self._frames:
            if rollup is None:
                root = str(self.store.rows_dir)
                frame = self.spark.read.option("basePath", root).parquet(root)
            else:
                frame = self.spark.read.parquet(str(self.store.rollup_dir(rollup)))
            self._frames[rollup] = frame
        return self._frames[rollup]

    def _filter(self, f: Filter, rollup: bool) -> Any:
        from pyspark.sql import functions as F

        dim = DIMENSIONS.get(f.dimension)
        col = F.col(f.dimension if rollup else f.column)
        if dim is not None and dim.kind == "month":
            col = F.date_format(F.col("day"), "yyyy-MM")
        vals = [_coerce(f.column, v) for v in f.values]
        if f.op == "contains_text":
            return F.lower(col).contains(str(f.value).lower())
        if f.is_list:
            empty = col.isNull() | (F.size(col) == 0)
            if f.op == "is_null":
                return empty
            if f.op == "not_null":
                return ~empty
            has = F.arrays_overlap(
                F.coalesce(col, F.array().cast("array<string>")),
                F.array(*[F.lit(v) for v in vals]),
            )
            return has if f.op in ("eq", "in") else ~has
        if f.op == "is_null":
            return col.isNull()
        if f.op == "not_null":
            return col.isNotNull()
        if f.op in ("eq", "in"):
            return col.isin(vals)
        return ~col.isin(vals) | col.isNull()

    def dataframe(self, agg: Aggregation, *, use_rollups: bool = True) -> tuple[Any, str]:
        """The Spark DataFrame computing ``agg`` (lazy), and which source it reads."""
        from pyspark.sql import functions as F

        rollup = answering(agg) if use_rollups else None
        if rollup is not None and not self.store.has_rollup(rollup.name):
            rollup = None
        is_rollup = rollup is not None
        df = self._frame(rollup.name if rollup else None)
        if agg.start:
            df = df.where(F.col("day") >= F.lit(agg.start))
        if agg.end:
            df = df.where(F.col("day") <= F.lit(agg.end))
        for f in agg.filters:
            if f.dimension == "platform" and f.op in ("eq", "in") and not is_rollup:
                df = df.where(F.col("platform").isin([slugify(str(v)) for v in f.values]))
            df = df.where(self._filter(f, is_rollup))

        def select(name: str) -> Any:
            dim = DIMENSIONS[name]
            if dim.kind == "month":
                return F.date_format(F.col("day"), "yyyy-MM").alias(name)
            return F.col(name if is_rollup else dim.column).alias(name)

        count = F.sum("statements") if is_rollup else F.count(F.lit(1))
        listed = agg.list_dimension
        scalars = [d for d in agg.dimensions if d != listed]
        if listed is None:
            out = df.groupBy(*[select(d) for d in scalars]).agg(
                count.cast("long").alias("statements")
            )
        else:
            col = F.col(listed if is_rollup else DIMENSIONS[listed].column)
            base = df.groupBy(*[select(d) for d in scalars], col.alias("__l")).agg(
                count.alias("__n")
            )
            spread = F.when(
                F.col("__l").isNull() | (F.size("__l") == 0), F.array(F.lit(None).cast("string"))
            ).otherwise(F.col("__l"))
            out = (
                base.select(*scalars, F.explode(spread).alias(listed), "__n")
                .groupBy(*scalars, listed)
                .agg(F.sum("__n").cast("long").alias("statements"))
            )
        source = f"spark:rollup:{rollup.name}" if rollup else "spark"
        return out, source

    def run(self, agg: Aggregation, *, use_rollups: bool = True) -> Result:
        started = time.perf_counter()
        rollup = answering(agg) if use_rollups else None
        if (rollup is None or not self.store.has_rollup(rollup.name)) and not self.store.has_rows():
            fields = [pa.field(d, pa.string()) for d in agg.dimensions]
            empty = pa.schema([*fields, pa.field("statements", pa.int64())]).empty_table()
            return finish(self.store, agg, empty, started, self.name)
        df, source = self.dataframe(agg, use_rollups=use_rollups)
        table = df.toArrow()
        return finish(self.store, agg, table, started, source)

    def run_many(self, aggs, *, use_rollups: bool = True) -> list[Result]:
        return [self.run(a, use_rollups=use_rollups) for a in aggs]

    def close(self) -> None:
        if self._own:
            self.spark.stop()
