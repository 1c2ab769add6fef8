"""Parsing one CSV part into rows of the store schema, and sorting out malformed rows.

Everything here is vectorised Arrow compute (which runs without the GIL); Python touches only
the malformed rows. A row is malformed when it has the wrong number of fields, no ``uuid``, no
``platform_name``, a ``created_at`` that is not ``YYYY-MM-DD HH:MM:SS``, a JSON-array column
that is not an array of strings, a date that is not a date or does not exist (``2025-02-30``:
Arrow's parser would move it to March), or a Yes/No column with another value. A malformed
row is reported with its physical line in the part and its raw text as published
(:func:`locate_records`). Enumerated values that the schema does not know are *not* errors: they are kept and
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
    line: int | None  # physical line in the CSV part (the header is line 1)
    reason: str
    raw: str  # the row's text as published (re-serialised only when it cannot be located)
    record: int | None = None  # CSV record number (the header is 1; blank lines not counted)


@dataclass
class ParsedPart:
    """A part converted to store rows: well-formed rows only, sorted by (day, platform)."""

    table: pa.Table  # schema.STORE_SCHEMA, sorted by (day, platform)
    keys: np.ndarray  # per row: day number * 100_000 + platform code (sorted)
    platforms: list[str]  # platform names by code
    list_keys: dict[str, tuple[pa.Array, pa.Array]] = field(default_factory=dict)
    bad: list[BadRow] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    csv_schema: str = ""  # see schema.CSV_SCHEMAS; "empty" for a part without any byte
    missing_columns: list[str] = field(default_factory=list)
    bad_index: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def good_rows(self) -> int:
        return self.table.num_rows


class HeaderError(ValueError):
    """A CSV part whose header is not a statement-of-reasons header."""


def _header(data: bytes) -> list[str]:
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].decode("utf-8-sig").rstrip("\r")
    return next(csv.reader([first]), [])


class Peekable(Protocol):
    """A binary stream whose first bytes can be seen before reading (for the header)."""

    def peek(self, size: int = 0, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...


def _read_all(stream: Peekable) -> bytes:
    chunks = []
    while chunk := stream.read(1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class CsvStrings:
    """A CSV part read as strings: the rows, those with a wrong field count, the shape."""

    table: pa.Table
    bad: list[BadRow]
    extra_columns: list[str]
    csv_schema: str
    missing_columns: list[str]


def _no_rows(data: bytes | bytearray) -> bool:
    """Whether CSV bytes hold a header line and nothing else (Arrow's reader fails on a header
    without a final newline)."""
    end = data.find(b"\n")
    return end < 0 or (len(data) - end < 64 and not data[end + 1 :].strip())


def read_csv_part(data: bytes | Peekable, *, use_threads: bool = False) -> CsvStrings:
    """Parse CSV bytes, or a stream of them, into a table of strings; rows with a wrong field
    count are set aside.

    A part without a byte, or with a header and no row (the exporter always writes sub-part 0,
    and without a final newline), gives no row. Any header that holds
    :data:`schema.REQUIRED_COLUMNS` is read (every shape the database has published, see
    :data:`schema.CSV_SCHEMAS`); another raises :class:`HeaderError`.
    """
    first = data if isinstance(data, bytes | bytearray) else data.peek()
    if not first:
        return CsvStrings(pa.table({}), [], [], "empty", list(schema.FULL_COLUMNS))
    if not isinstance(data, bytes | bytearray) and b"\n" not in first:
        data = first = _read_all(data)  # a part shorter than its header line plus a row
    header = _header(bytes(first))
    missing = [c for c in schema.REQUIRED_COLUMNS if c not in header]
    if missing:
        shown = ",".join(header[:4])[:80]
        raise HeaderError(
            f"not a statement-of-reasons header (lacks {', '.join(missing)}; starts {shown!r})"
        )
    if len(set(header)) != len(header):
        repeated = sorted({c for c in header if header.count(c) > 1})
        raise HeaderError(f"header repeats a column: {', '.join(repeated)}")
    name, lacking = schema.csv_schema(header)
    extra = [c for c in header if c not in schema.FULL_COLUMNS]
    if isinstance(data, bytes | bytearray) and _no_rows(data):
        empty = pa.table({c: pa.array([], pa.string()) for c in header})
        return CsvStrings(empty, [], extra, name, lacking)
    bad: list[BadRow] = []

    def on_invalid(row) -> str:
        number = row.number if row.number is not None and row.number >= 0 else None
        bad.append(
            BadRow(
                line=None,
                reason=f"wrong number of fields ({row.actual_columns}, "
                f"expected {row.expected_columns})",
                raw=row.text,
                record=number,
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
    return CsvStrings(table, bad, extra, name, lacking)


def read_csv(
    data: bytes | Peekable, *, use_threads: bool = False
) -> tuple[pa.Table, list[BadRow], list[str]]:
    """:func:`read_csv_part` as a tuple (table, rows with a wrong field count, extra columns)."""
    r = read_csv_part(data, use_threads=use_threads)
    return r.table, r.bad, r.extra_columns


def locate_records(
    data: bytes, records: list[int], expected: int | None = None
) -> dict[int, tuple[int, str]] | None:
    """Physical line and raw text of CSV records (numbered as Arrow numbers them: the header
    is 1, blank lines are not counted).

    Records end at newlines outside quotes (a quote inside a quoted field is doubled, so the
    parity of the quotes before a newline tells). Returns None when the part does not split
    into ``expected`` records that way (a stray quote in an unquoted field).
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buf == 10)
    quotes = np.flatnonzero(buf == 34)
    outside = newlines[(np.searchsorted(quotes, newlines) & 1) == 0]
    starts = np.concatenate([[0], outside + 1])
    ends = np.concatenate([outside, [len(data)]])
    keep = ends - starts > 0
    crlf = ends - starts == 1
    if crlf.any():  # a line holding only "\r" is blank too
        keep &= ~(crlf & (buf[np.minimum(starts, len(buf) - 1)] == 13))
    starts, ends = starts[keep], ends[keep]
    if expected is not None and len(starts) != expected:
        return None
    out = {}
    for r in records:
        if not 1 <= r <= len(starts):
            return None
        s, e = int(starts[r - 1]), int(ends[r - 1])
        line = int(np.searchsorted(newlines, s)) + 1
        out[r] = (line, data[s:e].removesuffix(b"\r").decode("utf-8", errors="replace"))
    return out


def place_bad_rows(part: ParsedPart, data: bytes) -> None:
    """Give the malformed rows of a part parsed from ``data`` their physical line and raw text."""
    records = [b.record for b in part.bad if b.record is not None]
    if not records:
        return
    expected = 1 + part.good_rows + len(part.bad)
    located = locate_records(data, records, expected)
    if located is None:
        return
    for b in part.bad:
        if b.record is not None:
            b.line, b.raw = located[b.record]


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


def _moved_days(text: pa.ChunkedArray, parsed: pa.ChunkedArray) -> pa.ChunkedArray:
    """Rows whose ``YYYY-MM-DD …`` text names a day its month lacks (``2025-02-30``), which
    Arrow's parser moves into the next month: the day of month written differs from the
    parsed one. Read straight from the string bytes when every value has the published
    19 characters (a few ns a row); through Arrow compute otherwise."""
    out = []
    if [len(c) for c in text.chunks] != [len(c) for c in parsed.chunks]:
        text = pa.chunked_array([text.combine_chunks()], text.type)
        parsed = pa.chunked_array([parsed.combine_chunks()], parsed.type)
    for t_chunk, p_chunk in zip(text.chunks, parsed.chunks, strict=True):
        day = pc.day(p_chunk)
        n = len(t_chunk)
        offsets = (
            np.frombuffer(t_chunk.buffers()[1], np.int32, n + 1, t_chunk.offset * 4) if n else None
        )
        if offsets is not None and t_chunk.null_count == 0 and (np.diff(offsets) == 19).all():
            raw = np.frombuffer(t_chunk.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
            raw = raw.reshape(n, 19)
            written = (raw[:, 8].astype(np.int16) - 48) * 10 + raw[:, 9] - 48
            got = day.to_numpy(zero_copy_only=False)
            moved = pa.array((~np.isnan(got.astype(float))) & (got != written))
        else:
            written_arr = pc.cast(pc.utf8_slice_codeunits(t_chunk, 8, 10), pa.int64(), safe=False)
            moved = pc.fill_null(pc.not_equal(day, written_arr), False)
        out.append(moved)
    return pa.chunked_array(out, pa.bool_())


def to_store_rows(table: pa.Table, source_file: str) -> tuple[ParsedPart, pa.Table, pa.Array]:
    """Convert a table of strings into store rows.

    Returns the well-formed rows sorted by (day, platform) (see :class:`ParsedPart`), and the
    malformed rows as strings with their reasons. Rows are gathered once, dropping the bad
    ones and sorting in the same ``take``; JSON-array columns are gathered through their
    dictionary indices and expanded to lists only then, since expanding (30 country codes in
    most rows) costs more than everything else.
    """
    n = table.num_rows
    if n == 0:  # a header-only part (Arrow cannot dictionary-encode chunked arrays of none)
        empty = ParsedPart(schema.STORE_SCHEMA.empty_table(), np.zeros(0, np.int64), [])
        return empty, table, pa.array([], pa.string())
    cols = {c: table[c] for c in table.column_names}
    for c in schema.FULL_COLUMNS:
        if c not in cols:
            cols[c] = pa.chunked_array([pa.nulls(n, pa.string())])
    created = pc.strptime(cols["created_at"], "%Y-%m-%d %H:%M:%S", "ms", error_is_null=True)
    masks: list[tuple[pa.ChunkedArray, str]] = [
        (pc.is_null(cols["uuid"]), "missing uuid"),
        (pc.is_null(cols["platform_name"]), "missing platform_name"),
        (pc.is_null(created), "bad created_at"),
        (_moved_days(cols["created_at"], created), "impossible date in created_at"),
    ]
    converted: dict[str, pa.ChunkedArray] = {"created_at": created}
    encoded: dict[str, pa.DictionaryArray] = {}
    for c in schema.LIST_COLUMNS:
        ok, encoded[c] = _list_values(cols[c])
        masks.append((pc.invert(ok), f"bad JSON array in {c}"))
    for c in schema.DATE_COLUMNS:
        # through the column's dictionary: a day has a few hundred distinct dates
        codes = pc.dictionary_encode(cols[c].combine_chunks())
        text = pc.utf8_slice_codeunits(codes.dictionary, 0, 10)
        d = pc.strptime(text, "%Y-%m-%d", "s", error_is_null=True)
        # Arrow moves a day that the month lacks (2025-02-30) into the next month
        moved = pc.fill_null(pc.not_equal(pc.strftime(d, format="%Y-%m-%d"), text), False)
        masks.append((pc.is_null(d).take(codes.indices), f"bad date in {c}"))
        masks.append((moved.take(codes.indices), f"impossible date in {c}"))
        converted[c] = pc.cast(d, pa.date32()).take(codes.indices)
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
    part.bad_index = np.flatnonzero(is_bad)
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
    """Parse one CSV part of a dump into sorted store rows and malformed rows.

    Malformed rows carry their CSV record number; when ``data`` is bytes they also get their
    physical line and raw text here (for a stream, see :func:`place_bad_rows`).
    """
    strings = read_csv_part(data, use_threads=use_threads)
    bad = strings.bad
    part, bad_table, reasons = to_store_rows(strings.table, source_file)
    if bad_table.num_rows:
        skipped = sorted(b.record for b in bad if b.record is not None)
        for idx, row, why in zip(
            part.bad_index.tolist(), bad_table.to_pylist(), reasons.to_pylist(), strict=True
        ):
            record = idx + 2  # the header is record 1
            for r in skipped:  # rows with a wrong field count are not in the table
                if r <= record:
                    record += 1
                else:
                    break
            bad.append(BadRow(line=None, reason=why, raw=_raw_line(row), record=record))
    part.bad = bad
    part.extra_columns = strings.extra_columns
    part.csv_schema = strings.csv_schema
    part.missing_columns = strings.missing_columns
    if bad and isinstance(data, bytes | bytearray):
        place_bad_rows(part, bytes(data))
    return part
