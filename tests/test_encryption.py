"""Encryption at rest: AES-256-GCM under per-organisation and per-record data keys."""

from __future__ import annotations

import io
import os
import subprocess
import uuid

import pytest
from django.db import connection

from amparo.keyring import envelope
from amparo.keyring.fields import Sealed
from amparo.keyring.services import (
    KeyShredded,
    forget_cached_keys,
    organisation_key,
    record_key,
    rewrap_all,
    shred,
)
from tests.conftest import file_contains
from tests.testapp.models import Dossier


def raw_column(dossier: Dossier, column: str) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM testapp_dossier WHERE id = %s",
            [dossier.pk.hex if connection.vendor == "sqlite" else dossier.pk],
        )
        return bytes(cursor.fetchone()[0])


def test_sensitive_fields_are_stored_encrypted_and_read_back(people):
    dossier = Dossier.objects.create(
        organisation=people.org,
        secret_text="Reporter lives at 12 Calle Luna",
        contacts={"phone": "+52 55 1234 5678"},
    )
    stored = raw_column(dossier, "secret_text")
    assert stored.startswith(envelope.VALUE_MAGIC)
    assert b"Calle Luna" not in stored
    assert b"1234" not in raw_column(dossier, "contacts")

    fresh = Dossier.objects.get(pk=dossier.pk)
    assert isinstance(fresh.__dict__["secret_text"], Sealed)  # not decrypted until read
    assert fresh.secret_text == "Reporter lives at 12 Calle Luna"
    assert fresh.contacts == {"phone": "+52 55 1234 5678"}


def test_ciphertext_copied_to_another_row_fails_to_decrypt(people):
    a = Dossier.objects.create(organisation=people.org, secret_text="alpha")
    b = Dossier.objects.create(organisation=people.org, secret_text="beta")
    Dossier.objects.filter(pk=b.pk).update(secret_text=raw_column(a, "secret_text"))
    with pytest.raises(envelope.DecryptionError):
        _ = Dossier.objects.get(pk=b.pk).secret_text


def test_ciphertext_copied_to_another_field_fails_to_decrypt(people):
    a = Dossier.objects.create(organisation=people.org, secret_text='"alpha"', contacts="x")
    Dossier.objects.filter(pk=a.pk).update(contacts=raw_column(a, "secret_text"))
    with pytest.raises(envelope.DecryptionError):
        _ = Dossier.objects.get(pk=a.pk).contacts


def test_ciphertext_moved_to_another_organisation_fails_to_decrypt(people):
    a = Dossier.objects.create(organisation=people.org, secret_text="alpha")
    Dossier.objects.filter(pk=a.pk).update(organisation=people.other_org)
    forget_cached_keys()
    with pytest.raises(envelope.DecryptionError):
        _ = Dossier.objects.get(pk=a.pk).secret_text


def test_each_organisation_has_its_own_key(people):
    assert organisation_key(people.org).pk != organisation_key(people.other_org).pk
    assert organisation_key(people.org).pk == organisation_key(people.org).pk


def test_an_organisation_key_created_by_a_simultaneous_request_is_used(people, monkeypatch):
    from amparo.keyring import services

    existing = organisation_key(people.org)
    looked = []
    original = services._live_organisation_key

    def not_yet_seen(organisation):  # the other request created it just after this one looked
        looked.append(organisation)
        return None if len(looked) == 1 else original(organisation)

    monkeypatch.setattr(services, "_live_organisation_key", not_yet_seen)
    assert organisation_key(people.org).pk == existing.pk
    assert len(looked) == 2


def test_data_keys_are_stored_only_wrapped(people, settings):
    from amparo.keyring.services import unwrap

    key = organisation_key(people.org)
    raw = unwrap(key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT wrapped FROM keyring_datakey")
        stored = b"".join(bytes(row[0]) for row in cursor.fetchall())
    assert raw not in stored
    assert envelope.parse_key(settings.AMPARO_KEK) not in stored


def test_kek_rotation_rewraps_every_data_key(people, settings):
    Dossier.objects.create(organisation=people.org, secret_text="survives rotation")
    old_kek = settings.AMPARO_KEK
    new_kek = envelope.format_key(envelope.new_key())
    settings.AMPARO_KEK, settings.AMPARO_KEK_PREVIOUS = new_kek, old_kek
    forget_cached_keys()
    assert rewrap_all() == 1
    settings.AMPARO_KEK_PREVIOUS = None
    forget_cached_keys()
    assert Dossier.objects.get().secret_text == "survives rotation"
    # and the old KEK alone no longer opens anything
    settings.AMPARO_KEK = old_kek
    forget_cached_keys()
    from amparo.keyring.kek import KeyUnavailable

    with pytest.raises(KeyUnavailable, match="AMPARO_KEK_PREVIOUS"):
        _ = Dossier.objects.get().secret_text


def test_missing_kek_is_reported_clearly(people, settings):
    settings.AMPARO_KEK = None
    forget_cached_keys()
    from amparo.keyring.kek import KeyUnavailable

    with pytest.raises(KeyUnavailable, match="AMPARO_KEK_FILE"):
        Dossier.objects.create(organisation=people.org, secret_text="x")


def test_files_are_sealed_in_chunks_that_cannot_be_cut_or_reordered():
    key = envelope.new_key()
    data = bytes(range(256)) * 1000  # several chunks
    sealed = io.BytesIO()
    assert envelope.seal_stream(key, io.BytesIO(data), sealed, b"ctx") == len(data)
    blob = sealed.getvalue()
    assert b"".join(envelope.open_stream(key, io.BytesIO(blob), b"ctx")) == data
    with pytest.raises(envelope.DecryptionError):
        list(envelope.open_stream(key, io.BytesIO(blob), b"other context"))
    first_len = int.from_bytes(blob[11:15], "big")
    truncated = blob[: 11 + 4 + first_len]
    with pytest.raises(envelope.DecryptionError):
        list(envelope.open_stream(key, io.BytesIO(truncated), b"ctx"))


def test_empty_file_round_trips():
    key = envelope.new_key()
    sealed = io.BytesIO()
    envelope.seal_stream(key, io.BytesIO(b""), sealed, b"ctx")
    assert b"".join(envelope.open_stream(key, io.BytesIO(sealed.getvalue()), b"ctx")) == b""


@pytest.mark.django_db(transaction=True)
def test_crypto_shredding_leaves_no_trace_and_no_way_back(settings, tmp_path):
    """A record erased by shredding its key: the canary is nowhere in the raw database, and a
    copy of the ciphertext taken before (a backup) can never be opened again."""
    from amparo.accounts.services import create_organisation
    from amparo.keyring import blobs

    org = create_organisation(name="Shred Org", slug="shred", actor=None)
    canary = f"CANARY-{uuid.uuid4().hex}"
    key = record_key(org)
    dossier = Dossier.objects.create(
        organisation=org, data_key=key, secret_text=canary, contacts={"c": canary}
    )
    blob_name, _size = blobs.store(
        key, io.BytesIO(canary.encode() * 10), blobs.blob_aad(org.pk, "dossier", dossier.pk)
    )
    backup_ciphertext = raw_column(dossier, "secret_text")
    backup_blob = (settings.AMPARO_BLOB_DIR / blob_name[:2] / blob_name).read_bytes()

    shred(key, actor=None)
    Dossier.objects.filter(pk=dossier.pk).delete()
    blobs.delete(blob_name)
    forget_cached_keys()

    from amparo.keyring.models import DataKey

    restored_key = DataKey.objects.get(pk=key.pk)
    with pytest.raises(KeyShredded):
        from amparo.keyring.services import unwrap

        unwrap(restored_key)
    # Even with every KEK and the backup copy, there is no key left to open it.
    assert restored_key.wrapped is None
    assert not (settings.AMPARO_BLOB_DIR / blob_name[:2] / blob_name).exists()
    assert backup_ciphertext and backup_blob

    needle = canary.encode()
    if connection.vendor == "sqlite":
        db_file = settings.DATABASES["default"]["TEST"]["NAME"]
        assert file_contains(db_file, b"SQLite format 3")  # control: we read the real file
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db_file + suffix):
                assert not file_contains(db_file + suffix, needle)
    else:
        dump = pg_dump(settings)
        assert needle not in dump
        assert len(dump) > 1000


def pg_dump(settings) -> bytes:
    db = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]
    args = [
        "pg_dump",
        "--data-only",
        "--enable-row-security",  # with the bypass below: every organisation's rows
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
        name,
    ]
    env = dict(os.environ, PGOPTIONS="-c amparo.organisation=*")  # amparo.core.rls
    return subprocess.run(args, check=True, capture_output=True, timeout=60, env=env).stdout
