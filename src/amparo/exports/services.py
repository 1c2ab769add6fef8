"""Exporting a dataset, and creating API tokens that may export.

:func:`export` is the one way data leaves through this app: the caller has already checked
access (``exports.access``); it records the audit event — who (the person, or the API token),
the dataset, the format, the filters and the number of rows, never the data — and only then
hands back the content, which is produced as it is sent (CSV and JSON) or written to a
temporary file in write-only mode (XLSX).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.core import rls
from amparo.exports import writers
from amparo.exports.access import scope_for
from amparo.exports.registry import Cell, Dataset, ExportQuery

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor

#: The audit action of every export.
EXPORTED = "export.downloaded"


@dataclass
class Export:
    content: Iterator[bytes] | IO[bytes]
    filename: str
    content_type: str
    rows: int
    streamed: bool


def _scoped(organisation: Any, rows: Iterable[Sequence[Cell]]) -> Iterator[Sequence[Cell]]:
    """The rows read under the organisation's row-level security scope, even when they are
    read after the view returned (a streamed response outlives the request's middleware)."""
    with rls.organisation(organisation):
        yield from rows


def export(
    dataset: Dataset,
    query: ExportQuery,
    *,
    fmt: str,
    actor: Actor = None,
    token: Any = None,
    bom: bool = False,
) -> Export:
    """Record the export and return its content (see the module docstring).

    ``actor`` is the person exporting through the pages, ``token`` the API token exporting
    through the API (its creator is not the actor: the event names the token)."""
    if fmt not in writers.FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    organisation = query.organisation
    if query.started_at is None:
        query = replace(query, started_at=timezone.now())
    rows: Iterable[Sequence[Cell]]
    with rls.organisation(organisation):
        if dataset.count is not None:
            count = dataset.count(query)
            rows = _scoped(organisation, dataset.rows(query))
        else:
            rows = list(dataset.rows(query))
            count = len(rows)
    new: dict[str, Any] = {
        "dataset": dataset.name,
        "format": fmt,
        "filters": query.filters(),
        "rows": count,
        "via": "api" if token is not None else "page",
    }
    if fmt == "csv" and bom:
        new["bom"] = True
    with transaction.atomic():
        record(EXPORTED, actor=actor, obj=token, organisation=organisation, new=new)
    generated_at = timezone.now()
    stamp = timezone.localdate(generated_at).isoformat()
    filename = f"{organisation.slug}-{dataset.name}-{stamp}.{fmt}"
    content: Iterator[bytes] | IO[bytes]
    if fmt == "csv":
        content = writers.csv_chunks(dataset, rows, bom=bom)
    elif fmt == "json":
        content = writers.json_chunks(
            dataset, rows, organisation=organisation, generated_at=generated_at
        )
    else:
        with rls.organisation(organisation):
            content = writers.xlsx_file(dataset, rows)
    return Export(
        content=content,
        filename=filename,
        content_type=writers.CONTENT_TYPES[fmt],
        rows=count,
        streamed=fmt != "xlsx",
    )


def create_export_token(
    organisation: Any, *, name: str, datasets: Sequence[Dataset], actor: User
) -> tuple[Any, str]:
    """An API token of ``organisation`` that may export ``datasets`` (and nothing else: it
    cannot submit reports). Only an administrator (MANAGE_MEMBERS) creates one, and only for
    datasets their own role may export. Returns the token and its secret, shown once.

    The token's creator stays answerable for it: when they lose a dataset's capability, the
    token loses that dataset too (``exports.access``)."""
    from amparo.intake import tokens

    require_capability(actor, organisation.pk, Capability.MANAGE_MEMBERS)
    if not datasets:
        raise PermissionDenied
    for dataset in datasets:
        require_capability(actor, organisation.pk, dataset.capability)
    # intake.tokens.create writes the token and its audit event ("api_token.created").
    return tokens.create(
        organisation, name=name, scopes=[scope_for(d) for d in datasets], actor=actor
    )
