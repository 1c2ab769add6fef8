"""AES-256-GCM envelope encryption primitives. Imports nothing from Django.

Layout of a sealed value: ``b"A1" || nonce(12) || ciphertext+tag``. The associated data is
never stored: the caller rebuilds it from where the value sits (organisation, model, row,
field), so a ciphertext moved to another row or organisation fails authentication.

Files are sealed in 64 KiB chunks (``b"AF1"`` header, random 8-byte file nonce prefix, then
for each chunk a 4-byte big-endian length and the chunk's ciphertext+tag); each chunk's nonce
is ``prefix || counter`` and its associated data carries the counter and a last-chunk flag, so
chunks cannot be reordered, dropped or truncated without detection.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VALUE_MAGIC = b"A1"
FILE_MAGIC = b"AF1"
CHUNK = 64 * 1024
KEY_BYTES = 32


class DecryptionError(Exception):
    """The key is wrong, the data was altered, or it was moved to another place."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def parse_key(text: str) -> bytes:
    """A KEK as written in a key file or environment variable: 32 bytes, URL-safe base64."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode() + b"==")
    except (ValueError, TypeError) as exc:
        raise ValueError("key is not valid base64") from exc
    if len(raw) != KEY_BYTES:
        raise ValueError(f"key must be {KEY_BYTES} bytes of base64; got {len(raw)} bytes")
    return raw


def format_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key, to tell keys apart without revealing them."""
    return hmac.new(key, b"amparo key id", hashlib.sha256).hexdigest()[:16]


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(12)
    return VALUE_MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    if not sealed.startswith(VALUE_MAGIC) or len(sealed) < len(VALUE_MAGIC) + 12 + 16:
        raise DecryptionError("not a sealed value")
    nonce = sealed[2:14]
    try:
        return AESGCM(key).decrypt(nonce, sealed[14:], aad)
    except InvalidTag as exc:
        raise DecryptionError("authentication failed") from exc


def _chunk_aad(aad: bytes, index: int, last: bool) -> bytes:
    return aad + b"|" + struct.pack(">I?", index, last)


def seal_stream(key: bytes, source: BinaryIO, sink: BinaryIO, aad: bytes) -> int:
    """Encrypt ``source`` into ``sink``; returns the number of plaintext bytes."""
    aes = AESGCM(key)
    prefix = os.urandom(8)
    sink.write(FILE_MAGIC + prefix)
    total = 0
    index = 0
    current = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if current else b""
        last = not following
        nonce = prefix + struct.pack(">I", index)
        block = aes.encrypt(nonce, current, _chunk_aad(aad, index, last))
        sink.write(struct.pack(">I", len(block)) + block)
        total += len(current)
        if last:
            return total
        current = following
        index += 1


def open_stream(key: bytes, source: BinaryIO, aad: bytes) -> Iterator[bytes]:
    """Yield decrypted chunks of a file written by :func:`seal_stream`."""
    aes = AESGCM(key)
    header = source.read(len(FILE_MAGIC) + 8)
    if len(header) != len(FILE_MAGIC) + 8 or not header.startswith(FILE_MAGIC):
        raise DecryptionError("not a sealed file")
    prefix = header[len(FILE_MAGIC) :]
    index = 0
    pending = source.read(4)
    while pending:
        (length,) = struct.unpack(">I", pending)
        if length > CHUNK + 16:
            raise DecryptionError("corrupt chunk length")
        block = source.read(length)
        pending = source.read(4)
        last = not pending
        nonce = prefix + struct.pack(">I", index)
        try:
            yield aes.decrypt(nonce, block, _chunk_aad(aad, index, last))
        except InvalidTag as exc:
            raise DecryptionError("file chunk failed authentication") from exc
        index += 1
    if index == 0:
        raise DecryptionError("sealed file has no chunks")
