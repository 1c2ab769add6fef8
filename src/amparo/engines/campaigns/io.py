"""Readers for posts and enforcement actions (CSV, JSON Lines, Parquet) with a rejects log.

Files are read in batches and every batch is turned into the canonical columns of
:mod:`.schema` at once, so memory holds compact columns, never Python objects per row.
A row that cannot be used is not dropped: it goes to :class:`Rejects` with the file,
the row number, the reason and the raw row, and is counted.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .schema import (
    ACTION_ALIASES,
    ACTION_SYNONYMS,
    ACTION_VALUES,
    ACTIONS_SCHEMA,
    POST_ALIASES,
    POSTS_SCHEMA,
    resolve_columns,
)

BATCH_ROWS = 250_000
RAW_LIMIT = 2000

URL_RE = r"(?i)\b(?:https?://|www\.)[^\s<>\"']+"
HASHTAG_RE = r"#(\w+)"
_TRACKING_RE = r"(?i)([?&])(?:utm_[a-z]+|fbclid|gclid|igshid|si|ref_src|s)=[^&#]*"

_TS_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%:z",
    "%Y-%m-%dT%H:%M:%S%.fZ",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%:z",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",
    "%a %b %d %H:%M:%S %z %Y",
)

ProgressFn = Callable[[int], None]


@dataclass
class Rejects:
    """Rows that could not be used, with the reason; written as ``rejects.csv``."""

    rows: list[pl.DataFrame] = field(default_factory=list)

    def add(self, frame: pl.DataFrame) -> None:
        if frame.height:
            self.rows.append(frame.select("source", "row", "reason", "raw"))

    def add_one(self, source: str, row: int, reason: str, raw: str) -> None:
        self.add(
            pl.DataFrame(
                {"source": [source], "row": [row], "reason": [reason], "raw": [raw[:RAW_LIMIT]]},
                schema={
                    "source": pl.String,
                    "row": pl.Int64,
                    "reason": pl.String,
                    "raw": pl.String,
                },
            )
        )

    def frame(self) -> pl.DataFrame:
        if not self.rows:
            return pl.DataFrame(
                schema={"source": pl.String, "row": pl.Int64, "reason": pl.String, "raw": pl.String}
            )
        return pl.concat(self.rows)

    @property
    def count(self) -> int:
        return sum(f.height for f in self.rows)

    def reasons(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for f in self.rows:
            for reason, n in f.group_by("reason").len().iter_rows():
                counts[reason] += n
        return dict(counts)

    def write_csv(self, path: str | Path) -> None:
        self.frame().write_csv(path)


# --------------------------------------------------------------------------- raw batches


def _detect_format(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".gz", ".zst", ".bz2"):
        name = name.removesuffix(suffix)
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    raise ValueError(f"{path}: cannot tell the format from the name (.csv, .jsonl or .parquet)")


def _iter_parquet(path: Path, rejects: Rejects) -> Iterator[tuple[pl.DataFrame, int]]:
    total = pq.ParquetFile(path).metadata.num_rows
    step = 4 * BATCH_ROWS
    for offset in range(0, total, step):
        frame = pl.scan_parquet(path).slice(offset, step).collect()
        yield frame, offset + 1


def _iter_csv(path: Path, rejects: Rejects) -> Iterator[tuple[pl.DataFrame, int]]:
    delimiter = "\t" if path.name.lower().removesuffix(".gz").endswith(".tsv") else ","
    with pa.input_stream(str(path), compression="detect") as raw:
        header_line = io.TextIOWrapper(raw, encoding="utf-8-sig").readline()
    names = next(csv.reader([header_line], delimiter=delimiter))

    def on_invalid(row: pacsv.InvalidRow) -> str:
        rejects.add_one(
            str(path),
            int(row.number or -1),
            f"malformed CSV row: expected {row.expected_columns} columns, "
            f"found {row.actual_columns}",
            row.text or "",
        )
        return "skip"

    reader = pacsv.open_csv(
        str(path),
        read_options=pacsv.ReadOptions(block_size=64 << 20, encoding="utf8"),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    start = 1
    for batch in reader:
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        yield frame, start
        start += frame.height


def _iter_jsonl(path: Path, rejects: Rejects) -> Iterator[tuple[pl.DataFrame, int]]:
    start = 1
    with pa.input_stream(str(path), compression="detect") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        while True:
            lines = [ln for _, ln in zip(range(BATCH_ROWS), text, strict=False)]
            if not lines:
                break
            fast = _jsonl_fast(lines, start)
            yield (fast if fast is not None else _jsonl_block(path, lines, start, rejects)), start
            start += len(lines)


def _jsonl_fast(lines: list[str], start: int) -> pl.DataFrame | None:
    """Parse a block of well-formed JSON lines with Polars; None when the block needs the
    careful path (a blank or malformed line, or nesting the canonical columns cannot use)."""
    if any(not ln.strip() for ln in lines):
        return None
    try:
        frame = pl.read_ndjson(io.BytesIO("".join(lines).encode("utf-8")), infer_schema_length=None)
    except Exception:  # any parse problem sends the block down the careful path
        return None
    if frame.height != len(lines):
        return None
    fixes = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Struct):
            fixes.append(pl.col(name).struct.json_encode())
        elif isinstance(dtype, pl.List) and dtype.inner != pl.String:
            if isinstance(dtype.inner, pl.Struct | pl.List):
                return None
            fixes.append(pl.col(name).cast(pl.List(pl.String)))
    frame = frame.with_columns(fixes) if fixes else frame
    return frame.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + start).alias("__row"))


def _jsonl_block(path: Path, lines: list[str], start: int, rejects: Rejects) -> pl.DataFrame:
    """Parse one block of JSON lines; a malformed line is rejected, its neighbours kept.

    The row number of every kept line is carried in ``__row`` so that later rejects
    point at the right line.
    """
    records: list[dict] = []
    rows: list[int] = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rejects.add_one(str(path), start + i, f"malformed JSON: {exc.msg}", line)
            continue
        if not isinstance(obj, dict):
            rejects.add_one(str(path), start + i, "JSON line is not an object", line)
            continue
        records.append(obj)
        rows.append(start + i)
    if not records:
        return pl.DataFrame({"__row": pl.Series([], dtype=pl.Int64)})
    keys: dict[str, None] = {}
    for r in records:
        keys.update(dict.fromkeys(r))
    columns: dict[str, pl.Series] = {"__row": pl.Series(rows, dtype=pl.Int64)}
    for k in keys:
        values = [r.get(k) for r in records]
        if any(isinstance(v, list) for v in values):
            columns[k] = pl.Series(
                k,
                [
                    None if v is None else [str(x) for x in v] if isinstance(v, list) else [str(v)]
                    for v in values
                ],
                dtype=pl.List(pl.String),
            )
        else:
            columns[k] = pl.Series(
                k,
                [
                    None
                    if v is None
                    else v
                    if isinstance(v, str)
                    else json.dumps(v)
                    if isinstance(v, dict)
                    else str(v)
                    for v in values
                ],
                dtype=pl.String,
            )
    return pl.DataFrame(columns)


def iter_raw_batches(path: str | Path, rejects: Rejects) -> Iterator[tuple[pl.DataFrame, int]]:
    """Yield ``(frame, first_row_number)`` for each batch of the file as it stands."""
    p = Path(path)
    fmt = _detect_format(p)
    if fmt == "parquet":
        yield from _iter_parquet(p, rejects)
    elif fmt == "csv":
        yield from _iter_csv(p, rejects)
    else:
        yield from _iter_jsonl(p, rejects)


# --------------------------------------------------------------------------- canonical columns


def _as_string(frame: pl.DataFrame, col: str) -> pl.Expr:
    dtype = frame.schema[col]
    expr = pl.col(col)
    if dtype == pl.String:
        stripped = expr.str.strip_chars()
        return pl.when(stripped.str.len_bytes() > 0).then(stripped)
    if dtype.is_float():
        # ids exported as floats (123.0) keep their integer spelling
        return (
            pl.when(expr == expr.floor()).then(expr.cast(pl.Int64)).otherwise(expr).cast(pl.String)
        )
    if isinstance(dtype, pl.List):
        return expr.list.join(" ")
    return expr.cast(pl.String)


def _as_list(frame: pl.DataFrame, col: str) -> pl.Expr:
    dtype = frame.schema[col]
    expr = pl.col(col)
    if isinstance(dtype, pl.List):
        return expr.cast(pl.List(pl.String))
    s = expr.cast(pl.String).str.strip_chars("[] ")
    return (
        s.str.replace_all(r"[\"',]", " ")
        .str.split(" ")
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def parse_timestamp(frame: pl.DataFrame, col: str) -> pl.Expr:
    """Epoch seconds (int64, UTC) from epoch seconds, epoch milliseconds or ISO 8601/RFC text.

    Naive date-times are read as UTC. A value that parses in none of the known forms gives
    null, which the caller turns into a reject.
    """
    dtype = frame.schema[col]
    expr = pl.col(col)
    if dtype.is_numeric():
        num = expr.cast(pl.Float64)
        return pl.when(num.abs() > 1e11).then(num / 1000).otherwise(num).floor().cast(pl.Int64)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            expr = expr.dt.replace_time_zone("UTC")
        return expr.dt.epoch("s")
    if dtype == pl.Date:
        return expr.cast(pl.Datetime("us", "UTC")).dt.epoch("s")
    s = expr.cast(pl.String).str.strip_chars()
    num = s.cast(pl.Float64, strict=False)
    numeric = pl.when(num.abs() > 1e11).then(num / 1000).otherwise(num).floor().cast(pl.Int64)
    parsed = [
        s.str.to_datetime(fmt, strict=False, time_zone="UTC" if "z" not in fmt.lower() else None)
        for fmt in _TS_FORMATS
    ]
    epochs = [p.dt.convert_time_zone("UTC").dt.epoch("s") for p in parsed]
    date_only = s.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us", "UTC"))
    return pl.coalesce([numeric, *epochs, date_only.dt.epoch("s")])


def normalise_urls(expr: pl.Expr) -> pl.Expr:
    """Canonical spelling of URLs in a list column: no scheme, no ``www.``, lower-case host,
    no fragment, no tracking parameters, no trailing slash."""
    e = pl.element().str.strip_chars().str.replace(r"(?i)^https?://", "")
    e = e.str.replace(r"(?i)^www\.", "").str.replace(r"#.*$", "")
    e = e.str.replace_all(_TRACKING_RE, "$1").str.replace_all(r"[?&]+$", "")
    e = e.str.replace(r"\?&+", "?").str.replace(r"/+$", "")
    host = e.str.extract(r"^([^/?]*)", 1).str.to_lowercase()
    rest = e.str.replace(r"^[^/?]*", "")
    canon = pl.concat_str([host, rest])
    return expr.list.eval(canon.filter(canon.str.len_chars() > 0)).list.unique(maintain_order=True)


def _finish(
    frame: pl.DataFrame,
    canon: dict[str, pl.Expr],
    checks: list[tuple[pl.Expr, str]],
    schema: pa.Schema,
    source: str,
    start: int,
    rejects: Rejects,
    keep: tuple[str, ...] = (),
) -> pl.DataFrame:
    row = pl.col("__row") if "__row" in frame.columns else pl.int_range(pl.len()) + start
    reason: pl.Expr = pl.lit(None, dtype=pl.String)
    for bad, why in reversed(checks):
        reason = pl.when(bad).then(pl.lit(why)).otherwise(reason)
    out = frame.with_columns(
        *(expr.alias(f"__c_{name}") for name, expr in canon.items()),
        row.cast(pl.Int64).alias("__rowno"),
    ).with_columns(reason.alias("__reason"))
    rejected = out.filter(pl.col("__reason").is_not_null())
    if rejected.height:
        raw_cols = [c for c in frame.columns if c != "__row"]
        rejects.add(
            rejected.select(
                pl.lit(source).alias("source"),
                pl.col("__rowno").alias("row"),
                pl.col("__reason").alias("reason"),
                (
                    pl.struct(raw_cols).struct.json_encode().str.slice(0, RAW_LIMIT)
                    if raw_cols
                    else pl.lit("{}")
                ).alias("raw"),
            )
        )
    good = out.filter(pl.col("__reason").is_null()).select(
        [pl.col(f"__c_{name}").alias(name) for name in canon]
    )
    polars_schema = pl.from_arrow(schema.empty_table()).schema  # type: ignore[union-attr]
    return good.select(
        [
            (pl.col(n) if n in canon else pl.lit(None)).cast(polars_schema[n]).alias(n)
            for n in schema.names
        ]
        + [pl.col(f"key:{n}").cast(pl.List(pl.String)) for n in keep]
    )


def _find_column(frame: pl.DataFrame, name: str, source: str) -> str:
    lower = {c.lower(): c for c in frame.columns}
    if name.lower() not in lower:
        raise ValueError(
            f"{source}: no column {name!r} for a key column; found {', '.join(frame.columns)}"
        )
    return lower[name.lower()]


def canonical_posts(
    frame: pl.DataFrame,
    source: str,
    start: int,
    mapping: dict[str, str],
    rejects: Rejects,
    keep: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Turn one raw batch into canonical posts; bad rows go to ``rejects``."""
    cols = resolve_columns([c for c in frame.columns if c != "__row"], POST_ALIASES, mapping)
    missing = [c for c in ("id", "account", "timestamp") if c not in cols]
    if missing:
        raise ValueError(
            f"{source}: no column for {', '.join(missing)}; found {', '.join(frame.columns)}. "
            "Give a column mapping (--mapping) that names them."
        )
    canon: dict[str, pl.Expr] = {
        "id": _as_string(frame, cols["id"]),
        "account": _as_string(frame, cols["account"]),
        "timestamp": parse_timestamp(frame, cols["timestamp"]),
    }
    text = pl.col(cols["text"]).cast(pl.String) if "text" in cols else pl.lit(None, dtype=pl.String)
    canon["text"] = text
    from_text = text.str.extract_all(URL_RE)
    if "urls" in cols:
        # a row whose URL column is empty keeps the links written in its text
        given = _as_list(frame, cols["urls"])
        urls = pl.when(given.list.len() > 0).then(given).otherwise(from_text)
    else:
        urls = from_text
    canon["urls"] = normalise_urls(urls.fill_null(pl.lit([], dtype=pl.List(pl.String))))
    for name in ("platform", "reply_to", "repost_of"):
        canon[name] = _as_string(frame, cols[name]) if name in cols else pl.lit(None, pl.String)
    if "hashtags" in cols:
        tags = _as_list(frame, cols["hashtags"]).list.eval(
            pl.element().str.strip_chars_start("#").str.to_lowercase()
        )
    else:
        # no hashtag column: the hashtags written in the text
        tags = text.str.extract_all(r"#\w+").list.eval(pl.element().str.slice(1).str.to_lowercase())
    canon["hashtags"] = tags.list.unique(maintain_order=True)
    if "media" in cols:
        canon["media"] = _as_list(frame, cols["media"]).list.eval(
            pl.element().str.strip_chars().str.to_lowercase()
        )
    if "account_created" in cols:
        canon["account_created"] = parse_timestamp(frame, cols["account_created"])
    for name in keep:
        column = _find_column(frame, name, source)
        canon[f"key:{name}"] = _as_list(frame, column)
    ts_raw = pl.col(cols["timestamp"])
    checks = [
        (canon["id"].is_null(), "missing id"),
        (canon["account"].is_null(), "missing account"),
        (ts_raw.is_null() | (ts_raw.cast(pl.String).str.strip_chars() == ""), "missing timestamp"),
        (canon["timestamp"].is_null(), "unparsable timestamp"),
    ]
    return _finish(frame, canon, checks, POSTS_SCHEMA, source, start, rejects, keep)


def canonical_actions(
    frame: pl.DataFrame, source: str, start: int, mapping: dict[str, str], rejects: Rejects
) -> pl.DataFrame:
    """Turn one raw batch of enforcement actions into canonical rows."""
    cols = resolve_columns([c for c in frame.columns if c != "__row"], ACTION_ALIASES, mapping)
    missing = [c for c in ("action", "timestamp") if c not in cols]
    if missing:
        raise ValueError(f"{source}: no column for {', '.join(missing)} in enforcement actions")
    action = _as_string(frame, cols["action"]).str.to_lowercase().str.replace_all(r"[\s-]+", "_")
    action = action.replace(ACTION_SYNONYMS)
    canon: dict[str, pl.Expr] = {
        "action": action,
        "timestamp": parse_timestamp(frame, cols["timestamp"]),
    }
    for name in ("account", "item", "platform", "community"):
        canon[name] = _as_string(frame, cols[name]) if name in cols else pl.lit(None, pl.String)
    checks = [
        (canon["action"].is_null(), "missing action"),
        (~canon["action"].is_in(list(ACTION_VALUES)), "unknown action"),
        (canon["timestamp"].is_null(), "missing or unparsable timestamp"),
        (canon["account"].is_null() & canon["item"].is_null(), "neither account nor item"),
    ]
    return _finish(frame, canon, checks, ACTIONS_SCHEMA, source, start, rejects)


def read_posts(
    paths: list[str | Path],
    *,
    mapping: dict[str, str] | None = None,
    rejects: Rejects | None = None,
    progress: ProgressFn | None = None,
    keep: tuple[str, ...] = (),
) -> tuple[pl.DataFrame, Rejects]:
    """Read posts from files into one canonical frame. Later duplicates of an id are rejected.

    ``keep``: columns of the input to keep as lists of strings, named ``key:<column>``
    (co-action keys named by the user)."""
    rejects = rejects if rejects is not None else Rejects()
    parts: list[pl.DataFrame] = []
    for path in paths:
        for frame, start in iter_raw_batches(path, rejects):
            if frame.height:
                parts.append(canonical_posts(frame, str(path), start, mapping or {}, rejects, keep))
            if progress:
                progress(frame.height)
    if not parts:
        return pl.from_arrow(POSTS_SCHEMA.empty_table()), rejects  # type: ignore[return-value]
    posts = pl.concat(parts, rechunk=True)
    first = posts.select(pl.col("id").is_first_distinct()).to_series()
    if not first.all():
        dups = posts.filter(~first)
        rejects.add(
            dups.select(
                pl.lit("(all inputs)").alias("source"),
                pl.lit(-1, dtype=pl.Int64).alias("row"),
                pl.lit("duplicate id").alias("reason"),
                pl.struct("id", "account", "timestamp").struct.json_encode().alias("raw"),
            )
        )
        posts = posts.filter(first)
    return posts, rejects


def read_actions(
    paths: list[str | Path],
    *,
    mapping: dict[str, str] | None = None,
    rejects: Rejects | None = None,
) -> tuple[pl.DataFrame, Rejects]:
    """Read enforcement actions from files into one canonical frame."""
    rejects = rejects if rejects is not None else Rejects()
    parts = [
        canonical_actions(frame, str(path), start, mapping or {}, rejects)
        for path in paths
        for frame, start in iter_raw_batches(path, rejects)
        if frame.height
    ]
    if not parts:
        return pl.from_arrow(ACTIONS_SCHEMA.empty_table()), rejects  # type: ignore[return-value]
    return pl.concat(parts, rechunk=True), rejects


def posts_from_frame(
    frame: pl.DataFrame | pa.Table,
    *,
    mapping: dict[str, str] | None = None,
    rejects: Rejects | None = None,
    source: str = "(frame)",
    keep: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Canonical posts from an in-memory table (a notebook, the worker, a test)."""
    df = frame if isinstance(frame, pl.DataFrame) else pl.from_arrow(frame)
    assert isinstance(df, pl.DataFrame)
    return canonical_posts(df, source, 1, mapping or {}, rejects or Rejects(), keep)


def actions_from_frame(
    frame: pl.DataFrame | pa.Table,
    *,
    mapping: dict[str, str] | None = None,
    rejects: Rejects | None = None,
    source: str = "(frame)",
) -> pl.DataFrame:
    df = frame if isinstance(frame, pl.DataFrame) else pl.from_arrow(frame)
    assert isinstance(df, pl.DataFrame)
    return canonical_actions(df, source, 1, mapping or {}, rejects or Rejects())
