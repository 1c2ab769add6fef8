"""Server keys: Ed25519, named by a short key id, compared out of band by a fingerprint."""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)


class KeyFormatError(ValueError):
    pass


def raw_public(key: Ed25519PublicKey | Ed25519PrivateKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: bytes) -> str:
    """The id a message names its sender by: 16 hex digits of the key's SHA-256."""
    return hashlib.sha256(public).hexdigest()[:16]


def fingerprint(public: bytes) -> str:
    """What two administrators read to each other: the whole SHA-256, in groups of four."""
    digest = hashlib.sha256(public).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def encode_public(public: bytes) -> str:
    return base64.b64encode(public).decode("ascii")


def parse_public(text: str) -> bytes:
    """A partner's public key as pasted: 32 raw bytes in base64, or a PEM public key."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            loaded = load_pem_public_key(text.encode())
        except ValueError as exc:
            raise KeyFormatError(f"not a PEM public key: {exc}") from exc
        if not isinstance(loaded, Ed25519PublicKey):
            raise KeyFormatError("the PEM key is not an Ed25519 key")
        return raw_public(loaded)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyFormatError("the key is neither base64 nor PEM") from exc
    if len(raw) != 32:
        raise KeyFormatError(f"an Ed25519 public key has 32 bytes; this one has {len(raw)}")
    Ed25519PublicKey.from_public_bytes(raw)
    return raw


def normalise_fingerprint(text: str) -> str:
    return "".join(text.split()).lower()
