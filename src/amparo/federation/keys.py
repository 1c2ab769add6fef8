"""This server's Ed25519 key: made on first use, its private half sealed by the KEK."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import IntegrityError, transaction

from amparo.engines.federation import keys as wire_keys
from amparo.federation.models import ServerKey
from amparo.keyring import envelope
from amparo.keyring.kek import KeyUnavailable, current_kek, known_keks


def _aad(key_id: str) -> bytes:
    return f"amparo:federation-server-key:{key_id}".encode()


def _live() -> ServerKey | None:
    return ServerKey.objects.filter(retired_at__isnull=True).first()


def server_key() -> ServerKey:
    """The live key row, created on first use (needs the KEK)."""
    key = _live()
    if key is not None:
        return key
    private = Ed25519PrivateKey.generate()
    public = wire_keys.raw_public(private)
    key_id = wire_keys.key_id(public)
    kid, kek = current_kek()
    try:
        with transaction.atomic():
            return ServerKey.objects.create(
                key_id=key_id,
                public_key=public,
                wrapped_private=envelope.seal(kek, private.private_bytes_raw(), _aad(key_id)),
                kek_id=kid,
            )
    except IntegrityError:
        key = _live()
        if key is None:
            raise
        return key


def private_key(key: ServerKey | None = None) -> Ed25519PrivateKey:
    key = key or server_key()
    kek = known_keks().get(key.kek_id)
    if kek is None or key.wrapped_private is None:
        raise KeyUnavailable(
            f"the federation server key is wrapped by KEK {key.kek_id}, which is not configured"
        )
    raw = envelope.open_sealed(kek, bytes(key.wrapped_private), _aad(key.key_id))
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_summary() -> dict[str, str]:
    """What an administrator gives a partner's administrator, out of band."""
    key = server_key()
    public = bytes(key.public_key)
    return {
        "key_id": key.key_id,
        "public_key": wire_keys.encode_public(public),
        "fingerprint": wire_keys.fingerprint(public),
    }
