"""Checks that the long-running processes make before they start serving.

``amparo serve`` and ``amparo worker`` stop at once, with one line naming what to do, when a
setting they need is missing, the database does not answer, or migrations are pending — rather
than starting and then failing on every request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def require_runtime_settings(*checks: Callable[[], object]) -> None:
    """The secret key, then each of ``checks`` (what the process's own apps need, each raising
    when it is missing: the keyring's ``current_kek``), then a migrated database."""
    if not getattr(settings, "SECRET_KEY", ""):  # Django raises here when it is empty
        raise ImproperlyConfigured("The SECRET_KEY setting must not be empty.")
    for check in checks:
        check()
    require_migrated_database()


def require_migrated_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        raise ImproperlyConfigured(
            f"The database does not answer ({type(exc).__name__}): check DATABASE_URL "
            f"({connection.settings_dict.get('ENGINE', '').rsplit('.', 1)[-1]}, "
            f"database {connection.settings_dict.get('NAME')!s})."
        ) from exc
    finally:
        connection.close()
    if pending:
        raise ImproperlyConfigured(
            f"The database has {len(pending)} unapplied migration(s): run 'amparo migrate' first."
        )
