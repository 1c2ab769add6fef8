"""The append-only guard on the audit table, and the one sanctioned way around it.

Triggers refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events. On SQLite the
trigger asks a function that only Amparo's own connections define, so a plain ``sqlite3`` shell
cannot edit the table either without dropping the trigger first. ``maintenance()`` lifts the
guard for the current connection (used by ``flush`` in tests and by documented retention jobs);
the hash chain still records that history was cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_unlocked = False


def _audit_locked() -> int:
    return 0 if _unlocked else 1


@receiver(connection_created)
def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "amparo_audit_locked", 0, _audit_locked, deterministic=False
        )


@contextmanager
def maintenance() -> Iterator[None]:
    global _unlocked
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET amparo.audit_maintenance = 'on'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET amparo.audit_maintenance")
    else:
        _unlocked = True
        try:
            yield
        finally:
            _unlocked = False
