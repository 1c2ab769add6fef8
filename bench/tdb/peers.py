"""The same work written plainly with each peer's engine: nested zips → partitioned Parquet,
then the standard aggregations. Each function is what a careful user of that engine would
write without Amparo; none verifies the .sha1 (Amparo does, inside its timing).

* ``spark``: the engine of the Commission's toolbox (dsa-tdb), which unpacks the archives to
  disk and reads the CSV with Spark; here in local mode on all cores.
* ``polars``: the engine of shantay, reading each CSV part from memory.
* ``pandas``: a straightforward baseline, one CSV part at a time.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

LIST_COLUMNS = [
    "decision_visibility", "category_addition", "category_specification", "content_type",
    "territorial_scope",
]  # fmt: skip
DATE_COLUMNS = [
    "end_date_visibility_restriction", "end_date_monetary_restriction",
    "end_date_service_restriction", "end_date_account_restriction", "content_date",
    "application_date",
]  # fmt: skip
COMPLETE = [
    "decision_monetary", "decision_provision", "decision_account", "account_type",
    "decision_ground", "incompatible_content_illegal", "category", "content_language",
    "source_type", "automated_detection", "automated_decision",
]  # fmt: skip
YES_NO = ("incompatible_content_illegal", "automated_detection")
SIMPLE = ["decision_ground", "category", "automated_detection", "automated_decision"]
#: (name, extra group columns, list column to explode or None) — all grouped by day, platform.
AGGREGATIONS = [
    ("simple", SIMPLE, None),
    ("complete", COMPLETE, None),
    ("visibility", [], "decision_visibility"),
    ("keyword", ["category"], "category_specification"),
    ("content_type", [], "content_type"),
    ("country", [], "territorial_scope"),
    ("category_addition", [], "category_addition"),
]


def csv_parts(path: Path) -> Iterator[bytes]:
    """Every CSV part of a dump (nested, or flat as before 2024-04-08), read into memory
    with the standard library."""
    with zipfile.ZipFile(path) as outer:
        for name in sorted(outer.namelist()):
            if not name.endswith(".zip"):  # the flat layout: CSV parts in the outer zip
                yield outer.read(name)
                continue
            with outer.open(name) as f:
                inner = zipfile.ZipFile(io.BytesIO(f.read()))
            with inner:
                for part in sorted(inner.namelist()):
                    yield inner.read(part)


# --- Polars -----------------------------------------------------------------------------------


def polars_ingest(dump: Path, out: Path, prefix: str = "") -> int:
    import polars as pl

    rows = 0
    for i, data in enumerate(csv_parts(dump)):
        df = pl.read_csv(data, infer_schema=False, truncate_ragged_lines=True, ignore_errors=True)
        if "content_id_ean" not in df.columns:  # the 37 columns before about March 2025
            df = df.with_columns(content_id_ean=pl.lit(None, pl.String))
        df = df.with_columns(
            pl.col("created_at").str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False),
            *[
                pl.when(pl.col(c).str.ends_with("]"))
                .then(pl.col(c))
                .str.json_decode(pl.List(pl.String))
                for c in LIST_COLUMNS
            ],
            *[
                pl.col(c).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
                for c in DATE_COLUMNS
            ],
            *[pl.col(c) == "Yes" for c in ("incompatible_content_illegal", "automated_detection")],
        ).filter(pl.col("created_at").is_not_null() & pl.col("uuid").is_not_null())
        df = df.with_columns(
            day=pl.col("created_at").dt.date().cast(pl.String), platform=pl.col("platform_name")
        )
        rows += df.height
        _polars_write(df.select(sorted(df.columns)), out, f"{prefix}{i:05d}")
    return rows


def _polars_write(df, out: Path, i: str) -> None:
    for (day, platform), group in df.group_by(["day", "platform"]):
        d = out / f"day={day}" / f"platform={platform}"
        d.mkdir(parents=True, exist_ok=True)
        group.drop(["day", "platform"]).write_parquet(d / f"part-{i}.parquet", compression="zstd")


def polars_aggregate(store: Path) -> dict[str, int]:
    import polars as pl

    lf = pl.scan_parquet(str(store / "**" / "*.parquet"), hive_partitioning=True)
    sizes = {}
    for name, cols, listed in AGGREGATIONS:
        keys = ["day", "platform_name", *cols]
        q = lf.select([*keys, listed] if listed else keys)
        if listed:
            q = q.explode(listed)
            keys = [*keys, listed]
        sizes[name] = q.group_by(keys).len().collect().height
    return sizes


# --- pandas -----------------------------------------------------------------------------------


def pandas_ingest(dump: Path, out: Path) -> int:
    import pandas as pd

    rows = 0
    for data in csv_parts(dump):
        df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, on_bad_lines="skip")
        df = df.replace("", None)
        df["created_at"] = pd.to_datetime(
            df["created_at"], format="%Y-%m-%d %H:%M:%S", errors="coerce"
        )
        df = df[df["created_at"].notna() & df["uuid"].notna()]
        for c in LIST_COLUMNS:
            if c in df:
                df[c] = df[c].map(_json_list)
        for c in DATE_COLUMNS:
            df[c] = pd.to_datetime(
                df[c].str.slice(0, 10), format="%Y-%m-%d", errors="coerce"
            ).dt.date
        for c in ("incompatible_content_illegal", "automated_detection"):
            df[c] = df[c] == "Yes"
        df = df[df[LIST_COLUMNS].map(lambda v: v is not False).all(axis=1)]
        df["day"] = df["created_at"].dt.strftime("%Y-%m-%d")
        df["platform"] = df["platform_name"]
        rows += len(df)
        df.to_parquet(out, partition_cols=["day", "platform"], compression="zstd", index=False)
    return rows


def _json_list(v):
    if not isinstance(v, str):
        return None
    try:
        return json.loads(v)
    except ValueError:
        return False  # malformed: dropped above


def pandas_aggregate(store: Path) -> dict[str, int]:
    import pandas as pd

    sizes = {}
    for name, cols, listed in AGGREGATIONS:
        need = ["platform_name", *cols, *([listed] if listed else [])]
        df = pd.read_parquet(store, columns=[*need, "day"])
        keys = ["day", "platform_name", *cols]
        if listed:
            df = df.explode(listed)
            keys.append(listed)
        sizes[name] = len(df.groupby(keys, dropna=False, observed=True).size())
        del df
    return sizes


# --- PySpark ----------------------------------------------------------------------------------


def spark_session(memory: str = "6g"):
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[*]")
        .appName("tdb-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", memory)
        .config("spark.sql.ansi.enabled", "false")  # bad timestamps become null, not errors
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    return s


def spark_ingest(dump: Path, out: Path, scratch: Path, mode: str = "overwrite") -> int:
    """As the toolbox does: unpack the nested zips to disk, then read the CSVs with Spark
    (one dump at a time: their headers differ between schema versions)."""
    from pyspark.sql import functions as F

    csv_dir = scratch / "csv"
    csv_dir.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(csv_parts(dump)):
        (csv_dir / f"part-{i:05d}.csv").write_bytes(data)
    spark = spark_session()
    df = spark.read.csv(str(csv_dir), header=True, multiLine=True, escape='"', mode="DROPMALFORMED")
    arr = "array<string>"
    df = df.select(
        *[
            F.from_json(F.col(c), arr).alias(c) if c in LIST_COLUMNS
            else F.to_date(F.substring(F.col(c), 1, 10)).alias(c) if c in DATE_COLUMNS
            else (F.col(c) == "Yes").alias(c) if c in YES_NO
            else F.to_timestamp(F.col(c), "yyyy-MM-dd HH:mm:ss").alias(c) if c == "created_at"
            else F.col(c)
            for c in df.columns
        ]
    ).where(F.col("created_at").isNotNull() & F.col("uuid").isNotNull())  # fmt: skip
    df = df.withColumn("day", F.to_date("created_at")).withColumn(
        "platform", F.col("platform_name")
    )
    df.write.mode(mode).partitionBy("day", "platform").parquet(str(out))
    rows = spark.read.parquet(str(out)).count()  # all dumps written so far
    shutil.rmtree(csv_dir)
    return rows


def spark_aggregate(store: Path) -> dict[str, int]:
    from pyspark.sql import functions as F

    spark = spark_session()
    df = spark.read.parquet(str(store))
    sizes = {}
    for name, cols, listed in AGGREGATIONS:
        keys = ["day", "platform_name", *cols]
        q = df
        if listed:
            q = q.withColumn(listed, F.explode_outer(listed))
            keys.append(listed)
        sizes[name] = q.groupBy(*keys).count().count()
    return sizes
