"""PostgreSQL row-level security on case data: defence in depth behind ``access.py``.

Every table in :data:`TABLES` carries a policy (migration ``core/0004_row_level_security``)
that shows and accepts only rows whose ``organisation_id`` equals the connection's
``amparo.organisation`` setting, or every row when the setting is :data:`BYPASS` (``'*'``).
An empty or unset value shows nothing.

* A new connection starts with the bypass: command-line processes (``migrate``, the worker's
  cross-organisation jobs and recovery, ``audit verify``, backups, housekeeping) work across
  organisations.
* :class:`amparo.accounts.middleware.OrganisationScopeMiddleware` replaces it at the start of
  every web request: the organisation of ``/o/<slug>/`` when the user is a member of it, of
  ``/report/<slug>/`` for the public form, of the API token (``/api/``), else ``''`` (nothing);
  the bypass comes back when the request ends.
* The worker narrows it to the job's or task's organisation around work for one organisation.
* Code that must cross organisations inside a request (a referral to a partner) uses
  :func:`organisation` or :func:`bypass` explicitly.

On SQLite all of this is a no-op. PostgreSQL ignores the policies for superusers and roles with
BYPASSRLS: the application must connect as an ordinary role (it may own the tables; the policies
are FORCEd).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

SETTING = "amparo.organisation"
BYPASS = "*"
NOTHING = ""
POLICY = "amparo_organisation"

#: Tables with case data and an ``organisation_id`` column.
TABLES = (
    "intake_report",
    "intake_evidence",
    "intake_message",
    "intake_indicator",
    "intake_searchtoken",  # intake/0005_queue_work
    "intake_savedview",
    "cases_case",
    "cases_note",
    "cases_task",
    "cases_statementmatch",  # cases/0004_statement_match
    "escalations_escalation",
    "remedies_platformdecision",
    "remedies_remedystep",
    "campaigns_detectionrun",
    "campaigns_campaign",
    "sharing_digest",  # sharing/0002_row_level_security
    "collective_member",  # collective/0001_initial
    "collective_mandate",
    "collective_proposal",
    "collective_filing",
    "takedowns_demand",  # takedowns/0001_initial
)


def _connection(using: str = DEFAULT_DB_ALIAS) -> Any:
    return connections[using]


def current(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The connection's setting; None on databases other than PostgreSQL."""
    conn = _connection(using)
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [SETTING])
        row = cursor.fetchone()
    return row[0] if row else None


def set_scope(value: Any, using: str = DEFAULT_DB_ALIAS) -> None:
    """Set the connection's scope: an organisation (or its id), :data:`BYPASS` or
    :data:`NOTHING`. Session-wide (``set_config(..., false)``), so it holds outside transactions;
    a rollback of the transaction it was set in undoes it, as PostgreSQL does."""
    conn = _connection(using)
    if conn.vendor != "postgresql":
        return
    value = getattr(value, "pk", value)
    with conn.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, str(value or "")])


@contextmanager
def organisation(value: Any, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Only ``value``'s rows (an organisation or its id) inside the block; then as before."""
    conn = _connection(using)
    if conn.vendor != "postgresql":
        yield
        return
    before = current(using)
    set_scope(value if value is not None else NOTHING, using)
    try:
        yield
    finally:
        # Inside a transaction being rolled back, PostgreSQL undoes the setting itself; a
        # failed restore leaves the narrower scope, never a wider one.
        if conn.connection is not None and not conn.needs_rollback:
            with suppress(DatabaseError):
                set_scope(BYPASS if before is None else before, using)


@contextmanager
def bypass(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Every organisation's rows inside the block: only for code that legitimately crosses
    organisations (documented in docs/security.md)."""
    with organisation(BYPASS, using):
        yield


@receiver(connection_created)
def start_with_bypass(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, BYPASS])
