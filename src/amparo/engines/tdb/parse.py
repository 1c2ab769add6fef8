"""Parsing one CSV part into rows of the store schema, and sorting out malformed rows.

Everything here is vectorised Arrow compute (which runs without the GIL); Python touches only
the malformed rows. A row is malformed when it has the wrong number of fields, no ``uuid``, no
``platform_name``, a ``created_at`` that is not ``YYYY-MM-DD HH:MM:SS``, a JSON-array column
that is not an array of strings, a date that is not a date, or a Yes/No column with another
value. Enumerated values that the schema does not know are *not* errors: they are kept and
counted, because the Commission adds values (the 2025-07-01 categories did exactly that).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import schema

# A JSON array of plain strings: ["A","B"] or [] (whitespace allowed, escapes tolerated).
_LIST_RE = r'^\[\s*(?:"(?:[^"\\]|\\.)*"\s*(?:,\s*"(?:[^"\\]|\\.)*"\s*)*)?\]$'


@dataclass
class BadRow:
    line: int | None
    reason: str
    raw: str


@dataclass
class ParsedPart:
    """A part converted to store rows: well-formed rows only, sorted by (day, platform)."""

    table: pa.Table  # schema.STORE_SCHEMA, sorted by (day, platform)
    keys: np.ndarray  # per row: day number * 100_000 + platform code (sorted)
    platforms: list[str]  # platform names by code
    list_keys: dict[str, tuple[pa.Array, pa.Array]] = field(default_factory=dict)
    bad: list[BadRow] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)

    @property
    def good_rows(self) -> int:
        return self.table.num_rows


class HeaderError(ValueError):
    """A CSV part whose header is not a statement-of-reasons header."""


def _header(data: bytes) -> list[str]:
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].decode("utf-8-sig").rstrip("\r")
    return next(csv.reader([first]))


class Peekable(Protocol):
    """A binary stream whose first bytes can be seen before reading (for the header)."""

    def peek(self, size: int = 0, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...


def read_csv(
    data: bytes | Peekable, *, use_threads: bool = False
) -> tuple[pa.Table, list[BadRow], list[str]]:
    """Parse CSV bytes, or a stream of them, into a table of strings; rows with a wrong field
    count are set aside."""
    header = _header(data if isinstance(data, bytes | bytearray) else data.peek())
    missing = [c for c in schema.LIGHT_COLUMNS if c not in header]
    if missing:
        raise HeaderError(f"header lacks {', '.join(missing[:5])}")
    bad: list[BadRow] = []

    def on_invalid(row) -> str:
        bad.append(
            BadRow(
                line=row.number if row.number is not None and row.number >= 0 else None,
                reason=f"wrong number of fields ({row.actual_columns}, "
                f"expected {row.expected_columns})",
                raw=row.text,
            )
        )
        return "skip"

    table = pacsv.read_csv(
        pa.py_buffer(data) if isinstance(data, bytes | bytearray) else data,
        read_options=pacsv.ReadOptions(use_threads=use_threads, block_size=8 << 20),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        ),
    )
    extra = [c for c in header if c not in schema.FULL_COLUMNS]
    return table, bad, extra


def _parse_lists(col: pa.Array) -> pa.Array:
    """``'["A","B"]'`` → ``["A", "B"]``; ``'[]'`` → ``[]``; null stays null.

    Items are enumeration codes and country codes, which never hold quotes or commas.
    """
    inner = pc.utf8_trim_whitespace(
        pc.utf8_slice_codeunits(pc.replace_substring(col, '"', ""), 1, -1)
    )
    parts = pc.split_pattern(pc.replace_substring(inner, " ", ""), ",")
    empty = pa.scalar([], pa.list_(pa.string()))
    return pc.if_else(pc.equal(inner, ""), empty, parts)


def _list_values(col: pa.ChunkedArray) -> tuple[pa.Array, pa.DictionaryArray]:
    """Validate a JSON-array column through its dictionary (a day has few distinct arrays);
    return (is well-formed or null, the column dictionary-encoded)."""
    encoded = pc.dictionary_encode(col.combine_chunks())
    ok = pc.match_substring_regex(encoded.dictionary, _LIST_RE).take(encoded.indices)
    return pc.fill_null(ok, True), encoded


def _first_reason(masks: list[tuple[pa.ChunkedArray, str]], n: int) -> pa.Array:
    reason = pa.nulls(n, pa.string())
    for mask, text in reversed(masks):
        reason = pc.if_else(pc.fill_null(mask, False), text, reason)
    return reason


def _np_bool(mask) -> np.ndarray:
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def to_store_rows(table: pa.Table, source_file: str) -> tuple[ParsedPart, pa.Table, pa.Array]:
    """Convert a table of strings into store rows.

    Returns the well-formed rows sorted by (day, platform) (see :class:`ParsedPart`), and the
    malformed rows as strings with their reasons. Rows are gathered once, dropping the bad
    ones and sorting in the same ``take``; JSON-array columns are gathered through their
    dictionary indices and expanded to lists only then, since expanding (30 country codes in
    most rows) costs more than everything else.
    """
    n = table.num_rows
    cols = {c: table[c] for c in table.column_names}
    for c in schema.FULL_COLUMNS:
        if c not in cols:
            cols[c] = pa.chunked_array([pa.nulls(n, pa.string())])
    created = pc.strptime(cols["created_at"], "%Y-%m-%d %H:%M:%S", "ms", error_is_null=True)
    masks: list[tuple[pa.ChunkedArray, str]] = [
        (pc.is_null(cols["uuid"]), "missing uuid"),
        (pc.is_null(cols["platform_name"]), "missing platform_name"),
        (pc.is_null(created), "bad created_at"),
    ]
    converted: dict[str, pa.ChunkedArray] = {"created_at": created}
    encoded: dict[str, pa.DictionaryArray] = {}
    for c in schema.LIST_COLUMNS:
        ok, encoded[c] = _list_values(cols[c])
        masks.append((pc.invert(ok), f"bad JSON array in {c}"))
    for c in schema.DATE_COLUMNS:
        d = pc.strptime(
            pc.utf8_slice_codeunits(cols[c], 0, 10), "%Y-%m-%d", "s", error_is_null=True
        )
        masks.append((pc.and_(pc.is_valid(cols[c]), pc.is_null(d)), f"bad date in {c}"))
        converted[c] = pc.cast(d, pa.date32())
    for c in schema.YES_NO_COLUMNS:
        bad = pc.invert(pc.is_in(cols[c], value_set=pa.array(["Yes", "No"])))
        masks.append((pc.and_(pc.is_valid(cols[c]), bad), f"bad Yes/No in {c}"))
        converted[c] = pc.equal(cols[c], "Yes")
    reason = _first_reason(masks, n)
    is_bad = _np_bool(pc.is_valid(reason))

    day_num = pc.fill_null(pc.cast(pc.cast(created, pa.date32()), pa.int32()), 0)
    plat = pc.dictionary_encode(pc.fill_null(cols["platform_name"], "")).combine_chunks()
    key = day_num.to_numpy().astype(np.int64) * 100_000 + plat.indices.to_numpy().astype(np.int64)
    good_idx = np.flatnonzero(~is_bad)
    good_key = key[good_idx]
    if len(good_key) > 1 and not (np.diff(good_key) >= 0).all():
        o = np.argsort(good_key, kind="stable")
        good_idx, good_key = good_idx[o], good_key[o]
    identity = len(good_idx) == n and (n == 0 or good_idx[-1] == n - 1)
    order = None if identity and (np.diff(good_idx) == 1).all() else pa.array(good_idx)

    def gather(col):
        # ``take`` on the chunks as they are (a combine first would copy every value twice)
        return col if order is None else col.take(order)

    arrays = []
    list_keys: dict[str, tuple[pa.Array, pa.Array]] = {}
    for c in schema.FULL_COLUMNS:
        if c in encoded:
            indices = gather(encoded[c].indices)
            list_keys[c] = (encoded[c].dictionary, indices)
            arrays.append(_parse_lists(encoded[c].dictionary).take(indices))
        else:
            arrays.append(gather(converted.get(c, cols[c])))
    arrays.append(pa.repeat(pa.scalar(source_file, pa.string()), len(good_idx)))
    out = pa.Table.from_arrays(arrays, schema=schema.STORE_SCHEMA)
    part = ParsedPart(out, good_key, plat.dictionary.to_pylist(), list_keys)
    if is_bad.any():
        bad_mask = pa.array(is_bad)
        return part, table.filter(bad_mask), reason.filter(bad_mask)
    return part, table.slice(0, 0), reason.slice(0, 0)


def _raw_line(row: dict) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(["" if v is None else v for v in row.values()])
    return buf.getvalue()


def parse_part(
    data: bytes | Peekable, source_file: str, *, use_threads: bool = False
) -> ParsedPart:
    """Parse one CSV part of a dump into sorted store rows and malformed rows."""
    strings, bad, extra = read_csv(data, use_threads=use_threads)
    part, bad_table, reasons = to_store_rows(strings, source_file)
    if bad_table.num_rows:
        for row, why in zip(bad_table.to_pylist(), reasons.to_pylist(), strict=True):
            bad.append(BadRow(line=None, reason=why, raw=_raw_line(row)))
    part.bad = bad
    part.extra_columns = extra
    return part
