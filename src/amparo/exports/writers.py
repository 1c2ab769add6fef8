"""CSV, XLSX and JSON writers: rows in, bytes out, a chunk at a time.

Every text cell that a spreadsheet would read as a formula — one starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return — gets a leading apostrophe in CSV and XLSX (OWASP,
"CSV injection"): a report's platform slug or an audit code cannot be typed by an attacker, but
a dataset added later may carry text that can, and the guard is cheap. Numbers are never
touched (``-3`` stays a number). JSON is data for programs and is written as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from amparo.exports.registry import Cell, Dataset, utc_naive

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode()

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)

_CHUNK_ROWS = 500


def neutralise(value: str) -> str:
    """``value`` made safe to open in a spreadsheet: never read as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _text(value: Cell) -> str:
    """One cell as CSV text: ISO dates, ``true``/``false``, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


class _Line:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(dataset: Dataset, rows: Iterable[Sequence[Cell]], *, bom: bool) -> Iterator[bytes]:
    """RFC 4180: comma separated, CRLF line ends, fields with a comma, quote or line break in
    double quotes (quotes doubled); a header line of column names first. UTF-8, with a byte
    order mark first when ``bom`` (spreadsheet programs then read the accents right)."""
    writer = csv.writer(_Line(), lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    head = writer.writerow(dataset.column_names)
    yield (BOM if bom else b"") + str(head).encode()
    buffer: list[str] = []
    for row in rows:
        buffer.append(str(writer.writerow([_text(cell) for cell in row])))
        if len(buffer) >= _CHUNK_ROWS:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _json_cell(value: Cell) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def json_chunks(
    dataset: Dataset,
    rows: Iterable[Sequence[Cell]],
    *,
    organisation: Any,
    generated_at: dt.datetime,
) -> Iterator[bytes]:
    """``{"dataset", "schema_version", "generated_at", "organisation", "columns", "rows"}``;
    each row an object keyed by column name. Written a piece at a time."""
    head = {
        "dataset": dataset.name,
        "schema_version": dataset.schema_version,
        "generated_at": generated_at.isoformat(),
        "organisation": {"slug": organisation.slug, "name": organisation.name},
        "columns": [
            {"name": c.name, "type": c.type, "description": str(c.description)}
            for c in dataset.columns
        ],
    }
    opening = json.dumps(head, ensure_ascii=False)
    yield (opening[:-1] + ', "rows": [').encode()
    names = dataset.column_names
    buffer: list[str] = []
    first = True
    for row in rows:
        item = json.dumps(
            {name: _json_cell(cell) for name, cell in zip(names, row, strict=True)},
            ensure_ascii=False,
        )
        buffer.append(item if first else "," + item)
        first = False
        if len(buffer) >= _CHUNK_ROWS:
            yield "".join(buffer).encode()
            buffer = []
    buffer.append("]}")
    yield "".join(buffer).encode()


def _xlsx_cell(value: Cell) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dt.datetime):
        return utc_naive(value)
    return value


def xlsx_file(dataset: Dataset, rows: Iterable[Sequence[Cell]]) -> IO[bytes]:
    """The workbook in a temporary file (rewound), written in openpyxl's write-only mode so
    that memory stays small whatever the number of rows: the dataset's sheet, then a
    ``columns`` sheet with each column's type and description. Times are in UTC."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(dataset.name[:31])
    sheet.append(list(dataset.column_names))
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    about = book.create_sheet("columns")
    about.append(["name", "type", "description"])
    for column in dataset.columns:
        about.append([column.name, column.type, neutralise(str(column.description))])
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    book.save(out)
    out.seek(0)
    return out
