"""Signed envelopes: every message between two Amparo servers, requests and responses.

Wire form (JSON)::

    {"v": 1, "sender": KEY_ID, "recipient": KEY_ID, "timestamp": UNIX_SECONDS,
     "nonce": 22 chars base64url, "sequence": INT, "body": {...}, "signature": BASE64}

``signature`` is Ed25519 over the canonical JSON (:mod:`.canonical`) of every other member.
A message is accepted only when, in this order: it is well formed; its sender is a known
partner key; the signature verifies; it is addressed to this server's key; its timestamp is
within ``WINDOW_SECONDS`` of this server's clock; and the replay guard has not seen its nonce
and (for requests) its sequence is higher than any earlier one from that sender.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from amparo.engines.federation import canonical

VERSION = 1
#: How far a message's clock may be from ours, either way.
WINDOW_SECONDS = 300
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
_MEMBERS = ("v", "sender", "recipient", "timestamp", "nonce", "sequence", "body", "signature")


class EnvelopeError(Exception):
    """A message that is not accepted; ``reason`` is a short code for logs and tests."""

    reason = "malformed"


class Malformed(EnvelopeError):
    reason = "malformed"


class UnknownSender(EnvelopeError):
    reason = "unknown-sender"


class BadSignature(EnvelopeError):
    reason = "bad-signature"


class WrongRecipient(EnvelopeError):
    reason = "wrong-recipient"


class Stale(EnvelopeError):
    reason = "stale"


class Replayed(EnvelopeError):
    reason = "replayed"


class OutOfOrder(EnvelopeError):
    reason = "out-of-order"


class ReplayGuard(Protocol):
    def remember(self, sender: str, nonce: str, timestamp: int, sequence: int | None) -> None:
        """Record the nonce (raise :class:`Replayed` if seen) and, when ``sequence`` is given,
        raise :class:`OutOfOrder` unless it is higher than the last accepted from ``sender``.
        Must be atomic: two copies of a message arriving together are accepted at most once."""


@dataclass(frozen=True)
class Opened:
    sender: str
    recipient: str
    timestamp: int
    nonce: str
    sequence: int
    body: dict[str, Any]


def new_nonce() -> str:
    return base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")


def seal(
    body: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    sender: str,
    recipient: str,
    sequence: int,
    now: float | None = None,
    nonce: str | None = None,
) -> dict[str, Any]:
    unsigned = {
        "v": VERSION,
        "sender": sender,
        "recipient": recipient,
        "timestamp": int(time.time() if now is None else now),
        "nonce": nonce or new_nonce(),
        "sequence": sequence,
        "body": body,
    }
    signature = private_key.sign(canonical.dumps(unsigned))
    return {**unsigned, "signature": base64.b64encode(signature).decode("ascii")}


def encode(message: dict[str, Any]) -> bytes:
    return canonical.dumps(message)


def _parse(raw: bytes | str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(raw, dict):
        message = raw
    else:
        if len(raw) > MAX_MESSAGE_BYTES:
            raise Malformed("message too large")
        try:
            message = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise Malformed("not JSON") from exc
    if not isinstance(message, dict) or set(message) != set(_MEMBERS):
        raise Malformed("not an envelope")
    if message["v"] != VERSION:
        raise Malformed(f"unsupported version {message['v']!r}")
    for name in ("sender", "recipient", "nonce", "signature"):
        if not isinstance(message[name], str) or not message[name]:
            raise Malformed(f"{name} must be a string")
    for name in ("timestamp", "sequence"):
        if not isinstance(message[name], int) or isinstance(message[name], bool):
            raise Malformed(f"{name} must be an integer")
    if not isinstance(message["body"], dict):
        raise Malformed("body must be an object")
    if not 16 <= len(message["nonce"]) <= 64:
        raise Malformed("nonce length")
    return message


def open_envelope(
    raw: bytes | str | dict[str, Any],
    *,
    recipient: str,
    public_key_for: Callable[[str], Ed25519PublicKey | None],
    guard: ReplayGuard,
    check_sequence: bool = True,
    now: float | None = None,
) -> Opened:
    """Verify a message and record it with the replay guard; raises an :class:`EnvelopeError`.

    ``check_sequence``: requests carry a sequence that must grow; a response is instead bound
    to its request by ``in_reply_to`` (checked by the caller) and its sequence is not compared.
    """
    message = _parse(raw)
    public = public_key_for(message["sender"])
    if public is None:
        raise UnknownSender("sender is not a partner")
    unsigned = {k: v for k, v in message.items() if k != "signature"}
    try:
        signature = base64.b64decode(message["signature"], validate=True)
        public.verify(signature, canonical.dumps(unsigned))
    except (InvalidSignature, binascii.Error, ValueError, canonical.NotCanonical) as exc:
        raise BadSignature("signature does not verify") from exc
    if message["recipient"] != recipient:
        raise WrongRecipient("message is for another server")
    current = time.time() if now is None else now
    if abs(current - message["timestamp"]) > WINDOW_SECONDS:
        raise Stale("timestamp outside the window")
    guard.remember(
        message["sender"],
        message["nonce"],
        message["timestamp"],
        message["sequence"] if check_sequence else None,
    )
    return Opened(
        sender=message["sender"],
        recipient=message["recipient"],
        timestamp=message["timestamp"],
        nonce=message["nonce"],
        sequence=message["sequence"],
        body=message["body"],
    )


class MemoryReplayGuard:
    """A replay guard in memory, for one process (tests, tools). Servers keep theirs in the
    database (``amparo.federation.replay``)."""

    def __init__(self) -> None:
        self.nonces: dict[tuple[str, str], int] = {}
        self.sequences: dict[str, int] = {}

    def remember(self, sender: str, nonce: str, timestamp: int, sequence: int | None) -> None:
        if (sender, nonce) in self.nonces:
            raise Replayed("nonce already seen")
        if sequence is not None and sequence <= self.sequences.get(sender, -1):
            raise OutOfOrder("sequence not higher than the last one")
        self.nonces[(sender, nonce)] = timestamp
        if sequence is not None:
            self.sequences[sender] = sequence
