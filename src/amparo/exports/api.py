"""Exports through the API: ``GET /api/v1/exports/`` (the datasets this token may export) and
``GET /api/v1/exports/{dataset}`` (one dataset as CSV, JSON or XLSX).

Mounted on the intake API (``amparo.intake.api.api``), so it has the same token authentication
(``Authorization: Bearer amp_...``), the same per-token rate limit and the same error bodies. A
token may export a dataset when it carries the scope ``exports:<dataset>`` (created on the
exports page by an administrator) and its creator's role still grants the dataset's capability;
anything else — another organisation's data, an unknown dataset — is a 404.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from amparo.exports import access, services, writers
from amparo.exports.registry import ExportQuery
from amparo.exports.views import file_response
from amparo.intake.api import RATE_LIMITED_DOC, ErrorOut
from amparo.intake.models import ApiToken

router = Router(tags=["exports"])


class ColumnOut(Schema):
    name: str
    type: Literal["string", "integer", "number", "boolean", "date", "datetime"]
    description: str


class DatasetOut(Schema):
    name: str
    title: str
    description: str
    schema_version: int
    formats: list[str]
    date_range: str | None = Field(
        None, description="Which date `since` and `until` apply to; null: no date range."
    )
    platform_filter: bool
    columns: list[ColumnOut]


_JSON_EXPORT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["dataset", "schema_version", "generated_at", "organisation", "columns", "rows"],
    "properties": {
        "dataset": {"type": "string"},
        "schema_version": {"type": "integer"},
        "generated_at": {"type": "string", "format": "date-time"},
        "organisation": {
            "type": "object",
            "required": ["slug", "name"],
            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        },
        "columns": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "type", "description"],
                "properties": {
                    "name": {"type": "string"},
                    "type": {"type": "string"},
                    "description": {"type": "string"},
                },
            },
        },
        "rows": {"type": "array", "items": {"type": "object"}},
    },
}

_EXPORT_DOC: dict[str, Any] = copy.deepcopy(RATE_LIMITED_DOC)
_EXPORT_DOC["responses"][200] = {
    "description": (
        "The dataset as a download (Content-Disposition: attachment): CSV (RFC 4180, UTF-8, "
        "a header line of column names), JSON (the columns and the rows as objects), or an "
        "XLSX workbook. X-Export-Rows gives the number of rows."
    ),
    "headers": {
        "X-Export-Rows": {
            "description": "How many rows the export holds.",
            "schema": {"type": "integer", "minimum": 0},
        },
        "Content-Disposition": {
            "description": "attachment, with the file's name.",
            "schema": {"type": "string"},
        },
    },
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": _JSON_EXPORT_SCHEMA},
        writers.CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
    },
}


#: A day as YYYY-MM-DD. A string, not ``date``: pydantic would also read "0" as 1 January 1970.
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _day(value: str | None, name: str, errors: dict[str, list[str]]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = ["not a day of the calendar (YYYY-MM-DD)"]
        return None


def _describe(dataset: Any) -> DatasetOut:
    return DatasetOut(
        name=dataset.name,
        title=str(dataset.title),
        description=str(dataset.description),
        schema_version=dataset.schema_version,
        formats=list(writers.FORMATS),
        date_range=str(dataset.date_field) if dataset.date_field else None,
        platform_filter=dataset.platform_filter,
        columns=[
            ColumnOut(name=c.name, type=c.type, description=str(c.description))
            for c in dataset.columns
        ],
    )


@router.get(
    "/",
    response={200: list[DatasetOut], 401: ErrorOut, 429: ErrorOut},
    summary="Datasets this token may export",
    openapi_extra=RATE_LIMITED_DOC,
)
def datasets(request: HttpRequest) -> Status[Any]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return Status(200, [_describe(d) for d in access.datasets_for_token(token)])


#: The query parameters of an export; any other is refused (422).
EXPORT_PARAMETERS = frozenset({"format", "since", "until", "platform", "bom"})


@router.get(
    "/{dataset}",
    response={401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Export a dataset",
    openapi_extra=_EXPORT_DOC,
)
def export(
    request: HttpRequest,
    dataset: Annotated[
        str, Path(max_length=64, pattern=r"^[a-z0-9_]+$", examples=["cases", "escalations"])
    ],
    format: Annotated[Literal["csv", "json", "xlsx"], Query()] = "csv",
    since: Annotated[str | None, Query(pattern=DAY, description="First day (inclusive).")] = None,
    until: Annotated[str | None, Query(pattern=DAY, description="Last day (inclusive).")] = None,
    platform: Annotated[
        str, Query(max_length=64, description="A platform slug (GET /platforms), where it applies.")
    ] = "",
    # "true" or "false" only: a boolean parameter would also take "0", "no", "off", "f"...
    bom: Annotated[
        Literal["true", "false"],
        Query(description="CSV only: begin with a UTF-8 byte order mark."),
    ] = "false",
) -> Any:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    found = access.dataset_for_token(token, dataset)
    if found is None:
        return Status(404, ErrorOut(detail="not found"))
    errors: dict[str, list[str]] = {}
    # A misspelt parameter ("sinse=") would otherwise export everything without a word.
    for name in sorted(set(request.GET) - EXPORT_PARAMETERS):
        errors[name or "(empty name)"] = ["unknown parameter"]
    since_day, until_day = _day(since, "since", errors), _day(until, "until", errors)
    if since_day and until_day and since_day > until_day:
        errors["until"] = ["the end of the range is before its start"]
    if not found.has_date_range and (since_day or until_day):
        errors["since"] = ["this dataset has no date range"]
    if platform and not found.platform_filter:
        errors["platform"] = ["this dataset cannot be filtered by platform"]
    if errors:
        return Status(422, ErrorOut(detail="the request is not valid", errors=errors))
    query = ExportQuery(token.organisation, since=since_day, until=until_day, platform=platform)
    result = services.export(found, query, fmt=format, token=token, bom=bom == "true")
    return file_response(result)
