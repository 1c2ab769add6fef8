"""Organisations' dossier-signing keys: created on first use and by `amparo setup`, stored only
sealed, rotated with the old public key kept, and published for whoever verifies a dossier."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import time_machine
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.core.management import CommandError, call_command
from django.db import connection

from amparo.audit.models import AuditEvent
from amparo.engines.dossier import build, verify
from amparo.engines.dossier.cli import load_keys
from amparo.keyring.models import SigningKey
from amparo.keyring.signing import (
    public_key_pem,
    public_keys_for,
    retirements_for,
    rotate_signing_key,
    signing_key_for,
)
from tests.engines.dossier.conftest import DOSSIER, EVIDENCE

URL = "/.well-known/amparo/{}/signing-keys.json"


def raw_private(key) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def test_the_key_is_made_once_and_stored_only_sealed(people):
    key_id, private = signing_key_for(people.org)
    again_id, again = signing_key_for(people.org)
    assert key_id == again_id and raw_private(private) == raw_private(again)
    row = SigningKey.objects.get(organisation=people.org)
    assert row.retired_at is None and len(bytes(row.public_key)) == 32
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wrapped_private, public_key FROM keyring_signingkey WHERE key_id = %s",
            [key_id],
        )
        wrapped, public = (bytes(value) for value in cursor.fetchone())
    assert raw_private(private) not in wrapped and wrapped.startswith(b"A1")
    assert public == private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert "BEGIN PUBLIC KEY" in public_key_pem(people.org)
    assert AuditEvent.objects.filter(action="signing_key.created", object_id=str(row.pk)).exists()
    assert signing_key_for(people.other_org)[0] != key_id


def test_rotation_keeps_old_dossiers_verifiable(people):
    with time_machine.travel(datetime(2026, 5, 1, 8, 0, tzinfo=UTC), tick=False):
        old_id, old_key = signing_key_for(people.org)
        old_dossier = build(
            DOSSIER, EVIDENCE, signing_key=old_key, key_id=old_id, signed_at=datetime.now(UTC)
        )
    with time_machine.travel(datetime(2026, 6, 1, 8, 0, tzinfo=UTC), tick=False):
        new_id = rotate_signing_key(people.org, actor=people.alice)
    assert new_id != old_id and signing_key_for(people.org)[0] == new_id
    old_row = SigningKey.objects.get(key_id=old_id)
    assert old_row.wrapped_private is None  # the retired private key is gone for good
    assert old_row.retired_at == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)

    keys = public_keys_for(people.org)
    assert set(keys) == {old_id, new_id}
    result = verify(old_dossier, public_keys=keys)
    assert result.ok and result.key_pinned, result.problems
    assert not verify(old_dossier, public_keys=public_keys_for(people.other_org)).ok
    # The retired key signing anything dated later means it leaked: that fails.
    leaked = build(
        DOSSIER,
        EVIDENCE,
        signing_key=old_key,
        key_id=old_id,
        signed_at=datetime(2026, 6, 2, tzinfo=UTC),
    )
    late = verify(leaked, public_keys=keys, retired_at=retirements_for(people.org))
    assert late.problems == [
        f"signed at 2026-06-02T00:00:00Z, after key '{old_id}' was retired (2026-06-01T08:00:00Z)"
    ]
    assert verify(old_dossier, public_keys=keys, retired_at=retirements_for(people.org)).ok
    event = AuditEvent.objects.get(action="signing_key.rotated")
    assert (event.actor_id, event.old, event.new) == (people.alice.pk, old_id, new_id)


def test_the_keys_are_published_for_everyone(client, people, tmp_path):
    with time_machine.travel(datetime(2026, 5, 1, 8, 0, tzinfo=UTC), tick=False):
        old_id, _ = signing_key_for(people.org)
    with time_machine.travel(datetime(2026, 6, 1, 8, 0, tzinfo=UTC), tick=False):
        new_id = rotate_signing_key(people.org, actor=None)

    response = client.get(URL.format("defenders"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    published = response.json()
    assert [(k["key_id"], k["created_at"], k["retired_at"]) for k in published] == [
        (old_id, "2026-05-01T08:00:00Z", "2026-06-01T08:00:00Z"),
        (new_id, "2026-06-01T08:00:00Z", None),
    ]
    assert {k["algorithm"] for k in published} == {"Ed25519"}
    assert "private" not in response.content.decode().lower()

    # The published file is what `amparo dossier verify --keys` reads.
    path = tmp_path / "signing-keys.json"
    path.write_bytes(response.content)
    assert set(load_keys(path)) == {old_id, new_id}

    assert client.get(URL.format("no-such-organisation")).status_code == 404
    assert client.get(URL.format("other")).json() == []
    assert client.post(URL.format("defenders")).status_code == 405


def test_keys_rotate_signing_on_the_command_line(people):
    first, _ = signing_key_for(people.org)
    out = io.StringIO()
    call_command("keys", "rotate-signing", "--organisation", "defenders", stdout=out)
    live = SigningKey.objects.get(organisation=people.org, retired_at__isnull=True)
    assert live.key_id != first and f"new signing key {live.key_id}" in out.getvalue()
    with pytest.raises(CommandError, match="no organisation has that short name"):
        call_command("keys", "rotate-signing", "--organisation", "nobody")


def test_setup_creates_the_first_organisations_signing_key(transactional_db):
    call_command(
        "setup",
        "--organisation",
        "Press Freedom Desk",
        "--admin-email",
        "admin@desk.example",
        "--no-input",
        stdout=io.StringIO(),
    )
    row = SigningKey.objects.get(organisation__slug="press-freedom-desk")
    assert row.retired_at is None and row.wrapped_private


def test_a_shredded_data_key_gives_a_new_signing_key(people):
    from amparo.keyring.services import forget_cached_keys, organisation_key, shred

    first, _ = signing_key_for(people.org)
    shred(organisation_key(people.org), actor=people.alice)
    forget_cached_keys()
    second, private = signing_key_for(people.org)
    assert second != first and set(public_keys_for(people.org)) == {first, second}
    assert SigningKey.objects.get(key_id=first).retired_at is not None
    assert public_keys_for(people.org)[second].public_bytes(
        Encoding.Raw, PublicFormat.Raw
    ) == private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
