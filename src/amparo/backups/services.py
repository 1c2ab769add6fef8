"""Consistent, encrypted backups of the database and the encrypted files, and their restore.

A backup is one file, encrypted with age (``pyrage``) to the operator's public key(s), holding a
tar archive:

* ``database/amparo.sqlite3`` (SQLite, copied with SQLite's online backup API while the app
  runs) or ``database/amparo.dump`` (PostgreSQL, ``pg_dump`` custom format, taken in an exported
  snapshot so the manifest describes exactly what was dumped);
* ``blobs/xx/NAME``: the encrypted files of ``AMPARO_BLOB_DIR``, copied *after* the database
  snapshot (so every file a snapshot row names was already complete; a file written later is
  carried too, harmlessly);
* ``manifest.json``: format, creation time, database vendor, row counts per table, the SHA-256 of
  the database file and of every blob, the audit chain head, the applied migrations and the ids
  (fingerprints, not keys) of the KEKs that wrap the live data keys.

The key-encryption key is never in a backup: without it a restored database decrypts nothing,
and the operator keeps it separately. Restoring checks every hash before touching the target,
then the row counts, the audit chain and a sample of decryptions with the configured KEK.

Split by concern: :mod:`amparo.backups.archive` (format, age keys, files),
:mod:`amparo.backups.databases` (describing a database, the PostgreSQL tools) and
:mod:`amparo.backups.verify` (the checks of a restored copy); their public names are
importable from here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from amparo.backups.archive import (
    CHUNK,
    FORMAT,
    MANIFEST,
    POSTGRES_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    HashingReader,
    add_bytes,
    blob_files,
    parse_recipients,
    read_identities,
    sha256_file,
)
from amparo.backups.databases import (
    describe,
    describe_postgres,
    describe_sqlite,
    pg_connect,
    pg_env,
    pg_params,
    pg_tables,
    run_tool,
    sqlite_tables,
    tool,
)
from amparo.backups.verify import (
    VERIFY_ALIAS,
    Report,
    check_files,
    check_restored,
    decryption_sample,
    restored_alias,
)

__all__ = [
    "FORMAT",
    "MANIFEST",
    "POSTGRES_MEMBER",
    "SQLITE_MEMBER",
    "VERIFY_ALIAS",
    "BackupError",
    "BackupResult",
    "Report",
    "backup",
    "check_files",
    "check_restored",
    "decryption_sample",
    "describe_postgres",
    "describe_sqlite",
    "parse_recipients",
    "read_identities",
    "restore",
    "sha256_file",
]


# --- backup ---------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _snapshot(work: Path) -> tuple[str, Path, dict[str, Any]]:
    """A consistent copy of the live database in ``work``, and its description."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        target = work / "amparo.sqlite3"
        connection.ensure_connection()
        # Through Django's own connection: opening a second handle on the live file in this
        # process and closing it would drop the locks the first one holds.
        with contextlib.closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        return SQLITE_MEMBER, target, describe_sqlite(target)
    if connection.vendor == "postgresql":
        pg_dump = tool("pg_dump")
        params = pg_params(connection.settings_dict)
        target = work / "amparo.dump"
        with pg_connect(params) as db, db.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # pg_dump sees exactly what this transaction sees, so the counts describe the dump.
            run_tool(
                [
                    pg_dump,
                    "--format=custom",
                    "--enable-row-security",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                pg_env(params),
            )
            description = describe(cursor, pg_tables(cursor))
        return POSTGRES_MEMBER, target, description
    raise BackupError(f"backups of a {connection.vendor} database are not supported")


def backup(output: Path, recipients: list[Any]) -> BackupResult:
    """Write an encrypted backup to ``output`` (a file that must not exist yet, or a folder
    that receives ``amparo-YYYYMMDDTHHMMSSZ.age``)."""
    import pyrage

    created = datetime.now(UTC)
    if output.is_dir():
        output = output / f"amparo-{created:%Y%m%dT%H%M%SZ}.age"
    if output.exists():
        raise BackupError(f"{output} exists; refusing to overwrite a backup")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a folder")
    work = Path(tempfile.mkdtemp(prefix="amparo-backup-"))
    try:
        member, db_file, description = _snapshot(work)
        blob_dir = Path(settings.AMPARO_BLOB_DIR)
        blobs: dict[str, str] = {}
        tar_path = work / "backup.tar"
        with tarfile.open(tar_path, "w") as tar:
            tar.add(db_file, arcname=member)
            # After the snapshot: every file a snapshot row names is already complete.
            for name, path in blob_files(blob_dir):
                info = tar.gettarinfo(path, arcname=f"blobs/{name}")
                with open(path, "rb") as source:
                    reader = HashingReader(source)
                    tar.addfile(info, reader)
                blobs[name] = reader.digest.hexdigest()
            from amparo import __version__

            manifest = {
                "format": FORMAT,
                "created_at": created.isoformat(timespec="seconds"),
                "amparo_version": __version__,
                "vendor": connections["default"].vendor,
                "database": {"file": member, "sha256": sha256_file(db_file)},
                **description,
                "blobs": blobs,
                "kek_in_backup": False,
            }
            add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        db_file.unlink()
        partial = output.with_name(output.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        try:
            pyrage.encrypt_file(str(tar_path), str(partial), recipients)
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(output, manifest)


# --- restore --------------------------------------------------------------------------------


def _open_backup(path: Path, identities: list[Any], work: Path) -> tuple[dict[str, Any], Path]:
    """Decrypt and unpack into ``work``; returns the manifest and the unpacked folder."""
    import pyrage

    tar_path = work / "backup.tar"
    try:
        pyrage.decrypt_file(str(path), str(tar_path), identities)
    except Exception as exc:
        raise BackupError(
            f"cannot decrypt {path}: wrong identity, or not an Amparo backup ({type(exc).__name__})"
        ) from None
    root = work / "unpacked"
    root.mkdir()
    with tarfile.open(tar_path, "r") as tar:
        for member in tar:
            parts = Path(member.name).parts
            if not member.isfile() or member.name.startswith("/") or ".." in parts:
                raise BackupError(f"unexpected entry in the backup: {member.name[:80]}")
            source = tar.extractfile(member)
            assert source is not None
            target = root.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with open(target, "wb") as sink:
                shutil.copyfileobj(source, sink, CHUNK)
    tar_path.unlink()
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError("the backup has no readable manifest") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {str(manifest.get('format'))[:40]!r}")
    return manifest, root


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return not sqlite_tables(db)


def _pg_is_empty(params: dict[str, str]) -> bool:
    with pg_connect(params) as db, db.cursor() as cursor:
        return not pg_tables(cursor)


def _blob_dir_is_empty(path: Path) -> bool:
    return not path.exists() or not any(p.is_file() for p in path.rglob("*"))


def _place_sqlite(snapshot: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(snapshot, partial)
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial.replace(target)


def _place_postgres(dump: Path, params: dict[str, str], *, clean: bool) -> None:
    args = [
        tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--enable-row-security",
    ]
    args += ["--single-transaction", f"--dbname={params['dbname']}"]
    if clean:
        args += ["--clean", "--if-exists"]
    run_tool([*args, str(dump)], pg_env(params))


def _place_blobs(source: Path, target: Path) -> None:
    for name, path in blob_files(source):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(path, destination)


def restore(
    path: Path,
    identities: list[Any],
    *,
    force: bool = False,
    verify_only: bool = False,
    sample: int = 5,
    progress: Callable[[str], None] = lambda line: None,
) -> Report:
    """Restore a backup into the configured database and ``AMPARO_BLOB_DIR`` (empty, unless
    ``force``), or with ``verify_only`` into a scratch copy that is removed afterwards."""
    report = Report()
    default = connections["default"]
    vendor = default.vendor
    work = Path(tempfile.mkdtemp(prefix="amparo-restore-"))
    scratch_db: str | None = None
    try:
        manifest, root = _open_backup(path, identities, work)
        progress(f"backup of {manifest['created_at']} ({manifest['vendor']}), decrypted")
        problems = check_files(manifest, root)
        if problems:
            report.problems.extend(problems)
            return report
        report.lines.append(
            f"archive: database file and {len(manifest['blobs'])} file(s) match the manifest"
        )
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"this is a {manifest['vendor']} backup; the configured database is {vendor}"
            )
        snapshot = root / manifest["database"]["file"]
        settings_dict = dict(default.settings_dict)
        if verify_only:
            blob_dir = work / "blobs-restored"
            if vendor == "sqlite":
                settings_dict["NAME"] = str(work / "restored.sqlite3")
            else:
                scratch_db = f"amparo_restore_check_{uuid.uuid4().hex[:10]}"
                with pg_connect(pg_params(default.settings_dict), autocommit=True) as db:
                    db.execute(f'CREATE DATABASE "{scratch_db}"')
                settings_dict["NAME"] = scratch_db
        else:
            blob_dir = Path(settings.AMPARO_BLOB_DIR)
            connections.close_all()
        target_empty = (
            _sqlite_is_empty(Path(settings_dict["NAME"]))
            if vendor == "sqlite"
            else _pg_is_empty(pg_params(settings_dict))
        )
        if not force and not target_empty:
            raise BackupError(
                "the database is not empty; restore into an empty one, or give --force to "
                "replace it (stop the web server and the worker first)"
            )
        if not force and not _blob_dir_is_empty(blob_dir):
            raise BackupError(
                f"{blob_dir} is not empty; restore into an empty folder, or give --force"
            )
        if vendor == "sqlite":
            _place_sqlite(snapshot, Path(settings_dict["NAME"]))
        else:
            _place_postgres(snapshot, pg_params(settings_dict), clean=not target_empty)
        _place_blobs(root / "blobs", blob_dir)
        progress("database and files restored; checking them")
        if verify_only:
            with restored_alias(settings_dict) as alias:
                check_restored(
                    manifest, alias, blob_dir, sample=sample, report=report, require_kek=True
                )
        else:
            check_restored(
                manifest, "default", blob_dir, sample=sample, report=report, require_kek=False
            )
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if scratch_db:
            with pg_connect(pg_params(default.settings_dict), autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)')
