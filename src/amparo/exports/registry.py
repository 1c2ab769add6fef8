"""The registry of exportable datasets: one :class:`Dataset` per name.

A dataset says what it is (a name, a translated title and description), who may export it (one
capability of :mod:`amparo.accounts.roles`), its columns (name, type, description), which
filters apply (a date range on one of its dates, a platform) and how to produce its rows for one
organisation. Writers (:mod:`amparo.exports.writers`) turn the rows into CSV, XLSX or JSON;
the service (:mod:`amparo.exports.services`) checks access and writes the audit event. Another
app adds a dataset with one call, from its ``AppConfig.ready()``::

    from amparo.exports.registry import Column, Dataset, register

    register(Dataset(name="takedowns", title=_("Takedown demands"), ..., rows=takedown_rows))

See docs/exports.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.functional import Promise

#: The types a column may declare; writers and the JSON ``columns`` list use these names.
ColumnType = Literal["string", "integer", "number", "boolean", "date", "datetime"]
COLUMN_TYPES: tuple[str, ...] = ("string", "integer", "number", "boolean", "date", "datetime")

#: A cell: what a row generator may yield for each column (None is an empty cell).
Cell = str | int | float | bool | dt.date | dt.datetime | None

SINCE, UNTIL, PLATFORM = "since", "until", "platform"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str | Promise

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name!r}: unknown type {self.type!r}")


@dataclass(frozen=True)
class ExportQuery:
    """What one export asks for: the organisation and the filters (already validated)."""

    organisation: Any
    since: dt.date | None = None
    until: dt.date | None = None
    platform: str = ""
    #: When the export began (set by the service): a dataset that grows while it is read (the
    #: audit log, which gains this very export's event) reads only what came before.
    started_at: dt.datetime | None = None

    def window(
        self, zone: dt.tzinfo | None = None
    ) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The date range as aware datetimes ``[since 00:00, until + 1 day 00:00)`` in the
        server's time zone (``AMPARO_TIME_ZONE``): both ends are whole days as the person
        exporting reads them, and a row at 23:59 on ``until`` is included."""
        zone = zone or timezone.get_current_timezone()
        start = dt.datetime.combine(self.since, dt.time.min, tzinfo=zone) if self.since else None
        end = (
            dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            if self.until
            else None
        )
        return start, end

    def filters(self) -> dict[str, str]:
        """The filters as codes, for the audit event."""
        out: dict[str, str] = {}
        if self.since:
            out[SINCE] = self.since.isoformat()
        if self.until:
            out[UNTIL] = self.until.isoformat()
        if self.platform:
            out[PLATFORM] = self.platform
        return out


@dataclass(frozen=True)
class Dataset:
    """One exportable dataset (see the module docstring).

    ``rows(query)`` yields one sequence of cells per row, in the order of ``columns``, for
    ``query.organisation`` only, honouring the filters the dataset declares; it should read in
    chunks (``.iterator()``) rather than build every row first. ``count(query)`` is the number
    of rows ``rows`` will yield, recorded in the audit event before the download starts; when
    it is None the rows are produced once to count them (fine for small, aggregated datasets).
    ``date_field`` says in words which date the date range applies to; a dataset without one
    has no date range. ``platform_filter``: whether the platform filter applies.
    """

    name: str
    title: str | Promise
    description: str | Promise
    capability: str
    columns: tuple[Column, ...]
    rows: Callable[[ExportQuery], Iterable[Sequence[Cell]]]
    count: Callable[[ExportQuery], int] | None = None
    date_field: str | Promise | None = None
    platform_filter: bool = False
    schema_version: int = 1
    order: int = 100  # its place in lists

    column_names: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.name.replace("_", "").isalnum() or self.name != self.name.lower():
            raise ValueError(f"dataset name {self.name!r}: lower-case letters, digits and _")
        names = tuple(c.name for c in self.columns)
        if len(set(names)) != len(names):
            raise ValueError(f"dataset {self.name!r}: two columns have the same name")
        object.__setattr__(self, "column_names", names)

    @property
    def has_date_range(self) -> bool:
        return self.date_field is not None


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    """Add ``dataset`` to the registry. A second dataset with the same name is refused (a
    typo in another app must not silently replace one); registering the very same object again
    (a module imported twice) is harmless."""
    existing = _DATASETS.get(dataset.name)
    if existing is not None and existing is not dataset:
        raise ValueError(f"an export dataset named {dataset.name!r} is already registered")
    _DATASETS[dataset.name] = dataset
    return dataset


def unregister(name: str) -> None:
    """Remove a dataset (for tests that register their own)."""
    _DATASETS.pop(name, None)


def get(name: str) -> Dataset | None:
    return _DATASETS.get(name)


def all_datasets() -> list[Dataset]:
    return sorted(_DATASETS.values(), key=lambda d: (d.order, d.name))


def utc_naive(value: dt.datetime) -> dt.datetime:
    """An aware datetime as naive UTC (spreadsheets have no time zones)."""
    if timezone.is_aware(value):
        value = value.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return value
