"""Reading a database for a backup: row counts, the audit head, migrations and KEK ids, through
SQLite or PostgreSQL, and the PostgreSQL client tools (``pg_dump``, ``pg_restore``).

Part of :mod:`amparo.backups.services`. Every PostgreSQL connection and tool runs with
``amparo.organisation=*`` so that row-level security (:mod:`amparo.core.rls`) shows every
organisation's rows; the password is passed in the environment, never on a command line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from amparo.backups.archive import BackupError


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def describe(cursor: Any, tables: list[str]) -> dict[str, Any]:
    """Row counts, audit head, migrations and KEK ids, read through a DB-API cursor."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (our table names)
        counts[table] = int(cursor.fetchone()[0])
    head = {"seq": 0, "hash": "0" * 64}
    if "audit_chainhead" in counts:
        cursor.execute("SELECT seq, hash FROM audit_chainhead WHERE id = 1")
        row = cursor.fetchone()
        if row:
            head = {"seq": int(row[0]), "hash": str(row[1])}
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    kek_ids: list[str] = []
    if "keyring_datakey" in counts:
        cursor.execute(
            "SELECT DISTINCT kek_id FROM keyring_datakey WHERE shredded_at IS NULL ORDER BY 1"
        )
        kek_ids = [row[0] for row in cursor.fetchall()]
    return {"counts": counts, "audit_head": head, "migrations": migrations, "kek_ids": kek_ids}


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def describe_sqlite(path: Path) -> dict[str, Any]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return describe(db.cursor(), sqlite_tables(db))


def pg_params(settings_dict: dict[str, Any]) -> dict[str, str]:
    params = {
        "dbname": settings_dict.get("NAME") or "",
        "user": settings_dict.get("USER") or "",
        "password": settings_dict.get("PASSWORD") or "",
        "host": settings_dict.get("HOST") or "",
        "port": str(settings_dict.get("PORT") or ""),
    }
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        value = (settings_dict.get("OPTIONS") or {}).get(key)
        if value:
            params[key] = str(value)
    return {k: v for k, v in params.items() if v}


def pg_env(params: dict[str, str]) -> dict[str, str]:
    """libpq variables for pg_dump and pg_restore: the password never on a command line."""
    names = {
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({names[k]: v for k, v in params.items()})
    # Row-level security (amparo.core.rls): backups and restores see every organisation.
    env["PGOPTIONS"] = "-c amparo.organisation=*"
    return env


def pg_connect(params: dict[str, str], **kwargs: Any) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    # Row-level security (amparo.core.rls): counts and checks see every organisation.
    options = "-c amparo.organisation=*"
    return psycopg.connect(make_conninfo("", options=options, **params), **kwargs)


def pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


def describe_postgres(params: dict[str, str]) -> dict[str, Any]:
    with pg_connect(params) as db, db.cursor() as cursor:
        return describe(cursor, pg_tables(cursor))


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not on PATH: install the PostgreSQL client of the server's major "
            f"version (Debian: apt-get install postgresql-client-NN)"
        )
    return path


def run_tool(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            f"{Path(args[0]).name} failed: {lines[-1] if lines else result.returncode}"
        )
