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
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connections

FORMAT = "amparo-backup/1"
SQLITE_MEMBER = "database/amparo.sqlite3"
POSTGRES_MEMBER = "database/amparo.dump"
MANIFEST = "manifest.json"
VERIFY_ALIAS = "amparo_restore_check"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, in one line."""


# --- age ------------------------------------------------------------------------------------


def parse_recipients(values: list[str]) -> list[Any]:
    """age public keys (``age1...``), given directly or one per line in recipients files."""
    import pyrage

    recipients = []
    for value in values:
        value = value.strip()
        if not value or value.startswith("#"):
            continue
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(value))
        except Exception:
            raise BackupError(
                f"not an age public key: {value[:12]}... (expected age1...)"
            ) from None
    if not recipients:
        raise BackupError("no recipient: give --recipient age1... or --recipients-file FILE")
    return recipients


def read_identities(path: Path) -> list[Any]:
    """The age secret key(s) (``AGE-SECRET-KEY-1...``) in an identity file made by age-keygen."""
    import pyrage

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BackupError(f"cannot read the identity file {path}: {exc.strerror}") from None
    identities = []
    for line in lines:
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                identities.append(pyrage.x25519.Identity.from_str(line))
            except Exception:
                raise BackupError(f"{path} holds a malformed age secret key") from None
    if not identities:
        raise BackupError(f"{path} holds no age secret key (AGE-SECRET-KEY-1...)")
    return identities


# --- describing a database ------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _describe(cursor: Any, tables: list[str]) -> dict[str, Any]:
    """Row counts, audit head, migrations and KEK ids, read through a DB-API cursor."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (our table names)
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


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def describe_sqlite(path: Path) -> dict[str, Any]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return _describe(db.cursor(), _sqlite_tables(db))


def _pg_params(settings_dict: dict[str, Any]) -> dict[str, str]:
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


def _pg_env(params: dict[str, str]) -> dict[str, str]:
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


def _pg_connect(params: dict[str, str], **kwargs: Any) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    # Row-level security (amparo.core.rls): counts and checks see every organisation.
    options = "-c amparo.organisation=*"
    return psycopg.connect(make_conninfo("", options=options, **params), **kwargs)


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


def describe_postgres(params: dict[str, str]) -> dict[str, Any]:
    with _pg_connect(params) as db, db.cursor() as cursor:
        return _describe(cursor, _pg_tables(cursor))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not on PATH: install the PostgreSQL client of the server's major "
            f"version (Debian: apt-get install postgresql-client-NN)"
        )
    return path


def _run_tool(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            f"{Path(args[0]).name} failed: {lines[-1] if lines else result.returncode}"
        )


# --- files ----------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    def __init__(self, source: BinaryIO) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _blob_files(blob_dir: Path) -> Iterator[tuple[str, Path]]:
    """``(xx/NAME, path)`` for every finished blob; ``.part`` files are being written."""
    if not blob_dir.is_dir():
        return
    for sub in sorted(blob_dir.iterdir()):
        if not sub.is_dir() or len(sub.name) != 2:
            continue
        for path in sorted(sub.iterdir()):
            if path.is_file() and path.name.isalnum() and len(path.name) == 32:
                yield f"{sub.name}/{path.name}", path


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


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
        pg_dump = _tool("pg_dump")
        params = _pg_params(connection.settings_dict)
        target = work / "amparo.dump"
        with _pg_connect(params) as db, db.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # pg_dump sees exactly what this transaction sees, so the counts describe the dump.
            _run_tool(
                [
                    pg_dump,
                    "--format=custom",
                    "--enable-row-security",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                _pg_env(params),
            )
            description = _describe(cursor, _pg_tables(cursor))
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
            for name, path in _blob_files(blob_dir):
                info = tar.gettarinfo(path, arcname=f"blobs/{name}")
                with open(path, "rb") as source:
                    reader = _HashingReader(source)
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
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
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


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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


def check_files(manifest: dict[str, Any], root: Path) -> list[str]:
    """Every file's SHA-256 against the manifest, and no file the manifest does not name."""
    problems = []
    db = manifest["database"]
    db_path = root / db["file"]
    if not db_path.is_file() or sha256_file(db_path) != db["sha256"]:
        problems.append(f"database file {db['file']} is missing or does not match its SHA-256")
    found = dict(_blob_files(root / "blobs"))
    for name, digest in manifest["blobs"].items():
        path = found.pop(name, None)
        if path is None:
            problems.append(f"blob {name} is missing")
        elif sha256_file(path) != digest:
            problems.append(f"blob {name} does not match its SHA-256")
    problems.extend(f"blob {name} is not in the manifest" for name in found)
    return problems


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return not _sqlite_tables(db)


def _pg_is_empty(params: dict[str, str]) -> bool:
    with _pg_connect(params) as db, db.cursor() as cursor:
        return not _pg_tables(cursor)


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
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--enable-row-security",
    ]
    args += ["--single-transaction", f"--dbname={params['dbname']}"]
    if clean:
        args += ["--clean", "--if-exists"]
    _run_tool([*args, str(dump)], _pg_env(params))


def _place_blobs(source: Path, target: Path) -> None:
    for name, path in _blob_files(source):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(path, destination)


@contextlib.contextmanager
def _alias(settings_dict: dict[str, Any]) -> Iterator[str]:
    """A Django connection alias on a restored database, for the ORM-level checks."""
    connections.settings[VERIFY_ALIAS] = settings_dict
    try:
        yield VERIFY_ALIAS
    finally:
        with contextlib.suppress(Exception):
            connections[VERIFY_ALIAS].close()
        with contextlib.suppress(Exception):
            del connections[VERIFY_ALIAS]
        connections.settings.pop(VERIFY_ALIAS, None)


def check_restored(
    manifest: dict[str, Any],
    alias: str,
    blob_dir: Path,
    *,
    sample: int,
    report: Report,
    require_kek: bool,
) -> None:
    """Counts, blob hashes, the audit chain and a decryption sample of a restored copy."""
    from amparo.audit.selectors import verify_chain

    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tables = [
                t
                for t in connection.introspection.table_names(cursor)
                if not t.startswith("sqlite_")
            ]
        else:
            tables = _pg_tables(cursor)
        found = _describe(cursor, tables)
    expected = manifest["counts"]
    wrong = [
        f"{t}: {found['counts'].get(t)} rows, manifest says {n}"
        for t, n in expected.items()
        if found["counts"].get(t) != n
    ]
    report.problems.extend(f"row count {line}" for line in wrong)
    report.lines.append(
        f"rows: {len(expected) - len(wrong)} of {len(expected)} tables match the manifest "
        f"({sum(expected.values())} rows)"
    )

    bad = 0
    for name, digest in manifest["blobs"].items():
        path = blob_dir / name
        if not path.is_file() or sha256_file(path) != digest:
            bad += 1
            report.problems.append(f"restored blob {name} is missing or altered")
    report.lines.append(
        f"files: {len(manifest['blobs']) - bad} of {len(manifest['blobs'])} match their SHA-256"
    )

    head = manifest["audit_head"]
    published = [(int(head["seq"]), str(head["hash"]))]
    count, problems = verify_chain(using=alias, published=published)
    for problem in problems:
        report.problems.append(f"audit event {problem.seq}: {problem.reason}")
    if not problems:
        report.lines.append(
            f"audit chain: intact, {count} events, head #{head['seq']} {head['hash'][:16]}... "
            "as in the manifest"
        )

    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if on_disk - applied:
        report.notes.append(
            f"{len(on_disk - applied)} migration(s) of this version are not applied in the "
            "backup: run 'amparo migrate' before starting the app"
        )
    if applied - on_disk:
        report.notes.append(
            f"the backup has {len(applied - on_disk)} migration(s) this version does not know: "
            "it was made by a newer Amparo"
        )

    from amparo.keyring.kek import KeyUnavailable

    try:
        fields, files = decryption_sample(alias, blob_dir, sample, report)
    except KeyUnavailable as exc:
        (report.problems if require_kek else report.notes).append(
            f"decryption sample not possible: {exc}"
        )
        return
    report.lines.append(
        f"decryption: {fields} encrypted value(s) and {files} evidence file(s) opened "
        "with the configured KEK"
    )


def decryption_sample(
    alias: str, blob_dir: Path, per_model: int, report: Report
) -> tuple[int, int]:
    """Open up to ``per_model`` rows of every model with encrypted fields, and as many evidence
    files, from the restored database with the configured KEK (never the key cache)."""
    from django.apps import apps

    from amparo.keyring import envelope
    from amparo.keyring.blobs import blob_aad
    from amparo.keyring.fields import EncryptedField, Sealed, _aad
    from amparo.keyring.models import DataKey
    from amparo.keyring.services import open_wrapped

    keys: dict[Any, bytes | None] = {}

    def key_for(row: Any) -> bytes | None:
        key_id = getattr(row, "data_key_id", None)
        if key_id is None:
            key = (
                DataKey.objects.using(alias)
                .filter(
                    organisation_id=row.organisation_id,
                    purpose=DataKey.Purpose.ORGANISATION,
                    shredded_at__isnull=True,
                )
                .first()
            )
        else:
            key = DataKey.objects.using(alias).filter(pk=key_id).first()
        if key is None or key.shredded_at is not None:
            return None  # shredded: gone for good, as intended
        if key.pk not in keys:
            keys[key.pk] = open_wrapped(key)
        return keys[key.pk]

    opened = 0
    for model in apps.get_models():
        encrypted = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if not encrypted:
            continue
        for row in model._base_manager.using(alias).order_by("?")[:per_model]:
            try:
                raw = key_for(row)
            except envelope.DecryptionError:
                report.problems.append(
                    f"{model._meta.label_lower} {row.pk}: its data key does not unwrap"
                )
                continue
            if raw is None:
                continue
            for f in encrypted:
                value = row.__dict__.get(f.attname)
                if not isinstance(value, Sealed):
                    continue
                try:
                    envelope.open_sealed(raw, value.data, _aad(row, f.name))
                    opened += 1
                except envelope.DecryptionError:
                    report.problems.append(
                        f"{model._meta.label_lower} {row.pk}: field {f.name} does not decrypt"
                    )

    files = 0
    if apps.is_installed("amparo.intake"):
        evidence = apps.get_model("intake", "Evidence")
        for item in evidence._base_manager.using(alias).order_by("?")[:per_model]:
            raw = key_for(item)
            path = blob_dir / item.original_blob[:2] / item.original_blob
            if raw is None or not path.is_file():
                continue
            aad = blob_aad(item.organisation_id, "evidence", item.pk) + b"|original"
            digest = hashlib.sha256()
            try:
                with open(path, "rb") as source:
                    for chunk in envelope.open_stream(raw, source, aad):
                        digest.update(chunk)
            except envelope.DecryptionError:
                report.problems.append(f"evidence {item.pk}: its file does not decrypt")
                continue
            if digest.hexdigest() != item.sha256:
                report.problems.append(f"evidence {item.pk}: decrypted file has another SHA-256")
                continue
            files += 1
    return opened, files


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
                with _pg_connect(_pg_params(default.settings_dict), autocommit=True) as db:
                    db.execute(f'CREATE DATABASE "{scratch_db}"')
                settings_dict["NAME"] = scratch_db
        else:
            blob_dir = Path(settings.AMPARO_BLOB_DIR)
            connections.close_all()
        target_empty = (
            _sqlite_is_empty(Path(settings_dict["NAME"]))
            if vendor == "sqlite"
            else _pg_is_empty(_pg_params(settings_dict))
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
            _place_postgres(snapshot, _pg_params(settings_dict), clean=not target_empty)
        _place_blobs(root / "blobs", blob_dir)
        progress("database and files restored; checking them")
        if verify_only:
            with _alias(settings_dict) as alias:
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
            with _pg_connect(_pg_params(default.settings_dict), autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)')
