"""Restore drill, as an operator runs it: `amparo backup` of a database with reports, evidence
and audit events, `amparo restore --verify`, then a real restore into an empty database and
blob folder — on SQLite and on PostgreSQL (pg_dump/pg_restore), each in databases made here."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pyrage
import pytest

from tests.conftest import require
from tests.install.conftest import FreshDatabase, _postgres_database, amparo, clean_env

ROOT = Path(__file__).resolve().parents[2]
KEK = "dGVzdC1vbmx5LWtlay0wMTIzNDU2Nzg5YWJjZGVmMDE"
CANARY = "canary-7Q4Z narrative of the backup drill"
EVIDENCE = b"canary-EV1D evidence file of the backup drill\n" * 50

SEED = f"""
import django
django.setup()
from amparo.accounts.services import create_organisation
from amparo.intake import evidence
from amparo.intake.forms import ReportForm
from amparo.intake.services import reporter_add_evidence, submit_report
from tests.intake.conftest import valid_report

org = create_organisation(name="Drill Helpline", slug="drill", actor=None)
for n in range(3):
    form = ReportForm(valid_report(narrative="{CANARY} " + str(n)))
    assert form.is_valid(), form.errors
    report = submit_report(org, form.report_fields(), channel="web_form", language="en").report
    reporter_add_evidence(report, [("e.txt", evidence.check({EVIDENCE!r} + str(n).encode()))])
"""


def _keys(tmp: Path) -> tuple[Path, Path]:
    identity = pyrage.x25519.Identity.generate()
    secret, public = tmp / "backup-identity.txt", tmp / "backup-recipient.txt"
    secret.write_text(f"# public key: {identity.to_public()}\n{identity}\n")
    public.write_text(f"{identity.to_public()}\n")
    return secret, public


def _env(tmp: Path, url: str, name: str) -> dict[str, str]:
    data = tmp / name
    data.mkdir()
    return clean_env(
        tmp,
        DATABASE_URL=url,
        AMPARO_DATA_DIR=str(data),
        AMPARO_BLOB_DIR=str(data / "blobs"),
        AMPARO_KEK=KEK,
        AMPARO_SECRET_KEY="backup-drill-secret-key-0123456789-abcdefghijklmnop",
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_backup_and_restore_drill(fresh_database: FreshDatabase, tmp_path: Path) -> None:
    if fresh_database.kind == "postgres":
        for tool in ("pg_dump", "pg_restore"):
            require(
                subprocess.run(["which", tool], capture_output=True).returncode == 0,
                f"{tool} is not installed",
            )
    identity, recipient = _keys(tmp_path)
    source = _env(tmp_path, fresh_database.url, "source")
    _ok(amparo("migrate", "-v0", env=source, cwd=tmp_path))
    seeded = subprocess.run(
        [sys.executable, "-c", SEED],
        env={**source, "DJANGO_SETTINGS_MODULE": "amparo.settings", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    head = _ok(amparo("audit", "head", env=source, cwd=tmp_path)).strip()

    out = _ok(amparo("backup", str(tmp_path), "-R", str(recipient), env=source, cwd=tmp_path))
    assert f"audit head: {head}" in out and "6 file(s)" in out and "KEK is not in" in out
    (backup,) = tmp_path.glob("amparo-*.age")
    assert backup.stat().st_mode & 0o077 == 0
    raw = backup.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1")
    # A stolen backup reveals nothing, not even the metadata kept in clear in the database.
    for needle in (b"Drill Helpline", b"drill", b"audit_chainhead", head.split()[1].encode()):
        assert needle not in raw

    drill = _ok(
        amparo("restore", str(backup), "-i", str(identity), "--verify", env=source, cwd=tmp_path)
    )
    assert "restore drill: OK" in drill
    assert "6 of 6 match their SHA-256" in drill and "audit chain: intact" in drill
    assert "3 evidence file(s) opened" in drill and " 0 encrypted value(s)" not in drill

    (tmp_path / "other").mkdir()
    other_identity, _ = _keys(tmp_path / "other")
    wrong = amparo("restore", str(backup), "-i", str(other_identity), env=source, cwd=tmp_path)
    assert wrong.returncode != 0 and "cannot decrypt" in wrong.stderr

    # Decrypted, the archive holds ciphertext only where the database has it: no KEK, no
    # narrative, no evidence in clear.
    plain = pyrage.decrypt(raw, [pyrage.x25519.Identity.from_str(identity.read_text().split()[-1])])
    for needle in (KEK.encode(), CANARY.encode(), EVIDENCE[:40]):
        assert needle not in plain

    # A real restore into an empty database and blob folder.
    with contextlib.ExitStack() as stack:
        if fresh_database.kind == "sqlite":
            target_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        else:
            target_url = stack.enter_context(contextlib.contextmanager(_postgres_database)())
        target = _env(tmp_path, target_url, "target")
        restored = _ok(
            amparo("restore", str(backup), "-i", str(identity), env=target, cwd=tmp_path)
        )
        assert "restore: OK" in restored and "3 evidence file(s) opened" in restored
        assert _ok(amparo("audit", "head", env=target, cwd=tmp_path)).strip() == head
        assert "audit chain intact" in _ok(
            amparo("audit", "verify", "--head", head, env=target, cwd=tmp_path)
        )
        assert _files(Path(target["AMPARO_BLOB_DIR"])) == _files(Path(source["AMPARO_BLOB_DIR"]))
        assert fresh_database.tables() <= FreshDatabase(fresh_database.kind, target_url).tables()

        again = amparo("restore", str(backup), "-i", str(identity), env=target, cwd=tmp_path)
        assert again.returncode != 0 and "not empty" in again.stderr
        forced = amparo(
            "restore", str(backup), "-i", str(identity), "--force", env=target, cwd=tmp_path
        )
        assert "restore: OK" in _ok(forced)


@pytest.mark.database("sqlite")  # once, in the SQLite pass (it makes its own SQLite file)
def test_backup_refuses_without_a_recipient_and_never_overwrites(tmp_path: Path) -> None:
    env = _env(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}", "data")
    result = amparo("backup", str(tmp_path / "b.age"), env=env, cwd=tmp_path)
    assert result.returncode != 0 and "no recipient" in result.stderr
    _, recipient = _keys(tmp_path)
    (tmp_path / "b.age").write_text("keep me")
    result = amparo("backup", str(tmp_path / "b.age"), "-R", str(recipient), env=env, cwd=tmp_path)
    assert result.returncode != 0 and "refusing to overwrite" in result.stderr
    assert (tmp_path / "b.age").read_text() == "keep me"
