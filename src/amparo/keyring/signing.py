"""Organisations' Ed25519 signing keys, for dossiers a regulator or court can verify.

One live key per organisation, created on first use (``amparo setup`` creates the first
organisation's). Its private part is kept only sealed by the organisation's data key, and is
destroyed when the key is retired by a rotation; the public part of every key, live or
retired, stays published at ``/.well-known/amparo/<slug>/signing-keys.json`` so that dossiers
signed before a rotation still verify (docs/dossier-format.md).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.audit.services import record
from amparo.keyring import envelope
from amparo.keyring.models import SigningKey
from amparo.keyring.services import KeyShredded, organisation_key, unwrap

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

ALGORITHM = "Ed25519"


def _aad(organisation_id: Any, key_uuid: Any) -> bytes:
    return f"amparo:signing-key:{organisation_id}:{key_uuid}".encode()


def key_id_of(public: bytes) -> str:
    """A key's public id: the first 16 hex digits of the SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(public).hexdigest()[:16]


def _create(organisation: Any, *, actor: Actor, action: str, old: str | None = None) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    data_key = organisation_key(organisation)
    key = SigningKey(
        organisation=organisation,
        key_id=key_id_of(public),
        public_key=public,
        data_key=data_key,
        created_at=timezone.now(),
    )
    key.wrapped_private = envelope.seal(
        unwrap(data_key), private.private_bytes_raw(), _aad(organisation.pk, key.id)
    )
    key.save(force_insert=True)
    record(action, actor=actor, obj=key, organisation=organisation.pk, old=old, new=key.key_id)
    return key


def _live(organisation: Any) -> SigningKey | None:
    return SigningKey.objects.filter(organisation=organisation, retired_at__isnull=True).first()


def _open(key: SigningKey) -> Ed25519PrivateKey:
    if key.wrapped_private is None:
        raise KeyShredded(f"signing key {key.key_id} was retired")
    raw = envelope.open_sealed(
        unwrap(key.data_key), bytes(key.wrapped_private), _aad(key.organisation_id, key.id)
    )
    return Ed25519PrivateKey.from_private_bytes(raw)


def _live_key(organisation: Any) -> SigningKey:
    key = _live(organisation)
    if key is None:
        try:
            with transaction.atomic():
                key = _create(organisation, actor=None, action="signing_key.created")
        except IntegrityError:
            # Created meanwhile by a simultaneous request (one live key per organisation).
            key = _live(organisation)
            if key is None:
                raise
    return key


def signing_key_for(organisation: Any) -> tuple[str, Ed25519PrivateKey]:
    """The organisation's live key id and private key, the key created on first use.

    When the data key that sealed it was shredded, the signing key cannot be opened any more:
    it is replaced by a new one (a rotation without an actor, audited as such).
    """
    key = _live_key(organisation)
    try:
        return key.key_id, _open(key)
    except KeyShredded:
        new_id = rotate_signing_key(organisation, actor=None)
        live = SigningKey.objects.get(key_id=new_id)
        return live.key_id, _open(live)


def rotate_signing_key(organisation: Any, *, actor: Actor) -> str:
    """Retire the live key (its private part is destroyed, its public part stays published)
    and make a new one; returns the new key's id."""
    with transaction.atomic():
        current = list(
            SigningKey.objects.select_for_update().filter(
                organisation=organisation, retired_at__isnull=True
            )
        )
        for old in current:
            old.retired_at = timezone.now()
            old.wrapped_private = None
            old.save(update_fields=["retired_at", "wrapped_private"])
        previous = current[0].key_id if current else None
        key = _create(organisation, actor=actor, action="signing_key.rotated", old=previous)
    return key.key_id


def _public(key: SigningKey) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes(key.public_key))


def public_keys_for(organisation: Any) -> dict[str, Ed25519PublicKey]:
    """Key id -> public key of every key the organisation has had, live and retired."""
    return {
        key.key_id: _public(key) for key in SigningKey.objects.filter(organisation=organisation)
    }


def retirements_for(organisation: Any) -> dict[str, datetime | None]:
    """Key id -> when it was retired (``None`` for the live key): for ``verify(...,
    retired_at=...)``, which fails a signature dated after its key's retirement."""
    return {
        key.key_id: key.retired_at for key in SigningKey.objects.filter(organisation=organisation)
    }


def public_key_pem(organisation: Any) -> str:
    """The live public key in PEM (SubjectPublicKeyInfo), the key created on first use."""
    key = _live_key(organisation)
    return _public(key).public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def _timestamp(moment: Any) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def published_keys(organisation: Any) -> list[dict[str, Any]]:
    """What ``signing-keys.json`` publishes: every key, oldest first."""
    return [
        {
            "key_id": key.key_id,
            "algorithm": ALGORITHM,
            "public_key": base64.b64encode(bytes(key.public_key)).decode("ascii"),
            "created_at": _timestamp(key.created_at),
            "retired_at": _timestamp(key.retired_at),
        }
        for key in SigningKey.objects.filter(organisation=organisation).order_by("created_at", "id")
    ]
