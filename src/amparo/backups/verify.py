"""Checking a restored copy against its backup's manifest: file hashes, row counts, the audit
chain (against the manifest's head), migrations, and a sample of decryptions with the
configured KEK.

Part of :mod:`amparo.backups.services` (``amparo restore`` and ``amparo restore --verify``).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections

from amparo.backups.archive import blob_files, sha256_file
from amparo.backups.databases import describe, pg_tables

VERIFY_ALIAS = "amparo_restore_check"


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_files(manifest: dict[str, Any], root: Path) -> list[str]:
    """Every file's SHA-256 against the manifest, and no file the manifest does not name."""
    problems = []
    db = manifest["database"]
    db_path = root / db["file"]
    if not db_path.is_file() or sha256_file(db_path) != db["sha256"]:
        problems.append(f"database file {db['file']} is missing or does not match its SHA-256")
    found = dict(blob_files(root / "blobs"))
    for name, digest in manifest["blobs"].items():
        path = found.pop(name, None)
        if path is None:
            problems.append(f"blob {name} is missing")
        elif sha256_file(path) != digest:
            problems.append(f"blob {name} does not match its SHA-256")
    problems.extend(f"blob {name} is not in the manifest" for name in found)
    return problems


@contextlib.contextmanager
def restored_alias(settings_dict: dict[str, Any]) -> Iterator[str]:
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
            tables = pg_tables(cursor)
        found = describe(cursor, tables)
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
    from amparo.keyring.fields import EncryptedField, Sealed, field_aad
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
                    envelope.open_sealed(raw, value.data, field_aad(row, f.name))
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
