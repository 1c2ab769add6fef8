"""Bulk import of incidents from a coalition's spreadsheet (CSV or XLSX): all rows or none.

Every row goes through the same form as the public page. If any row has a problem, nothing is
imported and the person is told exactly which rows and columns need fixing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.intake.choices import Channel
from amparo.intake.forms import ReportForm

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

MAX_ROWS = 5_000
MAX_BYTES = 10 * 1024 * 1024
# Spreadsheet column -> form field. Column names are matched case-insensitively.
ALIASES = {
    "type": "incident_type",
    "incident": "incident_type",
    "what happened": "incident_type",
    "description": "narrative",
    "account": "narrative",
    "text": "narrative",
    "date": "occurred_on",
    "when": "occurred_on",
    "handle": "affected",
    "affected account": "affected",
    "attacker": "attackers",
    "url": "links",
    "link": "links",
    "notice": "platform_notice",
    "statement of reasons": "platform_notice",
    "name": "reporter_name",
}
LIST_FIELDS = {"identities"}


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def _rows(name: str, data: bytes) -> list[dict[str, str]]:
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(values, [])]
        rows = []
        for row in values:
            if row is None or all(v in (None, "") for v in row):
                continue
            rows.append(
                {
                    header[i]: (
                        ""
                        if v is None
                        else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v))
                    )
                    for i, v in enumerate(row)
                    if i < len(header)
                }
            )
            if len(rows) > MAX_ROWS:
                break
        workbook.close()
        return rows
    text = data.decode("utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [dict(row) for row in csv.DictReader(io.StringIO(text), dialect=dialect)][: MAX_ROWS + 1]


def _form_data(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, value in row.items():
        key = (column or "").strip().lower()
        name = ALIASES.get(key, key.replace(" ", "_"))
        value = (value or "").strip()
        if name in LIST_FIELDS:
            data[name] = [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
        elif name in data and value:
            data[name] = f"{data[name]}\n{value}"
        else:
            data[name] = value
    data.setdefault("consent_contact", "no")
    data.setdefault("consent_share_identity", "no")
    data.setdefault("consent_collective", "ask")
    data.setdefault("consent_statistics", "yes")
    data.pop("website", None)
    return data


def validate(name: str, data: bytes) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    if len(data) > MAX_BYTES:
        return [], [RowProblem(0, "", _("The file is larger than 10 MB."))]
    try:
        rows = _rows(name, data)
    except Exception:
        return [], [RowProblem(0, "", _("The file could not be read as CSV (UTF-8) or XLSX."))]
    if not rows:
        return [], [RowProblem(0, "", _("The file has no rows."))]
    if len(rows) > MAX_ROWS:
        return [], [
            RowProblem(0, "", _("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS})
        ]
    valid, problems = [], []
    for index, row in enumerate(rows, start=2):  # row 1 is the header
        form = ReportForm(_form_data(row))
        if form.is_valid():
            valid.append(form.report_fields())
            continue
        for column, errors in form.errors.items():
            for message in errors:
                problems.append(
                    RowProblem(index, column if column != "__all__" else "", str(message))
                )
    return valid, problems


def import_file(
    organisation: Any, name: str, data: bytes, *, actor: Actor, language: str
) -> ImportResult:
    from amparo.intake.services import prepare_report, store_report

    rows, problems = validate(name, data)
    result = ImportResult(problems=problems)
    if problems:
        return result
    # Language, urgency and indicators for every row first; then one transaction for them all.
    prepared = [
        prepare_report(
            organisation,
            fields,
            channel=Channel.IMPORT,
            language=language,
            actor=actor,
            with_followup=False,
        )
        for fields in rows
    ]
    with transaction.atomic():
        for report in prepared:
            result.references.append(store_report(report).report.reference)
    result.imported = len(rows)
    return result
