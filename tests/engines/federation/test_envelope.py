"""Signed envelopes between Amparo servers: what is accepted and what is refused."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from amparo.engines.federation import canonical, envelope, keys

NOW = 1_796_000_000


class Server:
    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.public_raw = keys.raw_public(self.private)
        self.key_id = keys.key_id(self.public_raw)


@pytest.fixture
def a():
    return Server()


@pytest.fixture
def b():
    return Server()


def send(a, b, body=None, *, sequence=1, now=NOW, nonce=None):
    return envelope.seal(
        body or {"type": "pull", "group": "g1", "since": 0},
        private_key=a.private,
        sender=a.key_id,
        recipient=b.key_id,
        sequence=sequence,
        now=now,
        nonce=nonce,
    )


def receive(b, message, guard, *, partners, now=NOW, check_sequence=True):
    return envelope.open_envelope(
        json.dumps(message),
        recipient=b.key_id,
        public_key_for=lambda kid: partners.get(kid),
        guard=guard,
        now=now,
        check_sequence=check_sequence,
    )


@pytest.fixture
def known(a):
    return {a.key_id: a.private.public_key()}


def test_a_signed_message_from_a_partner_is_opened(a, b, known):
    opened = receive(b, send(a, b), envelope.MemoryReplayGuard(), partners=known)
    assert opened.sender == a.key_id
    assert opened.body == {"type": "pull", "group": "g1", "since": 0}


def test_the_same_message_twice_is_refused_as_a_replay(a, b, known):
    guard = envelope.MemoryReplayGuard()
    message = send(a, b)
    receive(b, message, guard, partners=known)
    with pytest.raises(envelope.Replayed):
        receive(b, message, guard, partners=known)


def test_a_reused_nonce_is_refused_even_with_a_higher_sequence(a, b, known):
    guard = envelope.MemoryReplayGuard()
    receive(b, send(a, b, sequence=1, nonce="n" * 22), guard, partners=known)
    with pytest.raises(envelope.Replayed):
        receive(b, send(a, b, sequence=2, nonce="n" * 22), guard, partners=known)


def test_an_old_or_future_timestamp_is_refused(a, b, known):
    guard = envelope.MemoryReplayGuard()
    with pytest.raises(envelope.Stale):
        receive(b, send(a, b, now=NOW - envelope.WINDOW_SECONDS - 1), guard, partners=known)
    with pytest.raises(envelope.Stale):
        receive(b, send(a, b, now=NOW + envelope.WINDOW_SECONDS + 1), guard, partners=known)
    receive(b, send(a, b, now=NOW - envelope.WINDOW_SECONDS + 5), guard, partners=known)


def test_a_lower_or_equal_sequence_is_refused(a, b, known):
    guard = envelope.MemoryReplayGuard()
    receive(b, send(a, b, sequence=5), guard, partners=known)
    with pytest.raises(envelope.OutOfOrder):
        receive(b, send(a, b, sequence=5), guard, partners=known)
    with pytest.raises(envelope.OutOfOrder):
        receive(b, send(a, b, sequence=4), guard, partners=known)
    receive(b, send(a, b, sequence=6), guard, partners=known)


def test_responses_are_not_ordered_by_sequence(a, b, known):
    guard = envelope.MemoryReplayGuard()
    receive(b, send(a, b, sequence=0), guard, partners=known, check_sequence=False)
    receive(b, send(a, b, sequence=0), guard, partners=known, check_sequence=False)


@pytest.mark.parametrize(
    "path,value",
    [
        (("body", "since"), 99),
        (("body", "group"), "another-group"),
        (("sequence",), 2),
        (("timestamp",), NOW + 1),
        (("recipient",), "0" * 16),
    ],
)
def test_a_tampered_message_is_refused(a, b, known, path, value):
    message = copy.deepcopy(send(a, b))
    target = message
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    with pytest.raises(envelope.BadSignature):
        receive(b, message, envelope.MemoryReplayGuard(), partners=known)


def test_a_message_from_an_unknown_key_is_refused(a, b):
    stranger = Server()
    with pytest.raises(envelope.UnknownSender):
        receive(
            b,
            send(stranger, b),
            envelope.MemoryReplayGuard(),
            partners={a.key_id: a.private.public_key()},
        )


def test_a_key_that_claims_a_partners_id_fails_the_signature(a, b, known):
    impostor = Server()
    message = envelope.seal(
        {"type": "pull", "group": "g1", "since": 0},
        private_key=impostor.private,
        sender=a.key_id,
        recipient=b.key_id,
        sequence=1,
        now=NOW,
    )
    with pytest.raises(envelope.BadSignature):
        receive(b, message, envelope.MemoryReplayGuard(), partners=known)


def test_a_message_for_another_server_is_refused(a, b, known):
    other = Server()
    message = send(a, other)
    with pytest.raises(envelope.WrongRecipient):
        receive(b, message, envelope.MemoryReplayGuard(), partners=known)


def test_a_refused_message_leaves_no_trace_in_the_guard(a, b, known):
    guard = envelope.MemoryReplayGuard()
    message = send(a, b)
    forged = {**message, "body": {"type": "pull", "group": "g1", "since": 7}}
    with pytest.raises(envelope.BadSignature):
        receive(b, forged, guard, partners=known)
    receive(b, message, guard, partners=known)


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"[]", b'{"v": 1}', json.dumps({"v": 2}).encode()],
)
def test_malformed_messages_are_refused(b, known, raw):
    with pytest.raises(envelope.Malformed):
        envelope.open_envelope(
            raw,
            recipient=b.key_id,
            public_key_for=known.get,
            guard=envelope.MemoryReplayGuard(),
            now=NOW,
        )


def test_canonical_json_is_stable_and_refuses_floats():
    assert (
        canonical.dumps({"b": 1, "a": ["é", None, True]}) == '{"a":["é",null,true],"b":1}'.encode()
    )
    with pytest.raises(canonical.NotCanonical):
        canonical.dumps({"x": 1.5})


def test_a_pasted_key_is_read_from_base64_or_pem_and_checked(a):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    pem = (
        a.private.public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    assert keys.parse_public(pem) == a.public_raw
    assert keys.parse_public(keys.encode_public(a.public_raw)) == a.public_raw
    with pytest.raises(keys.KeyFormatError, match="32 bytes"):
        keys.parse_public("AAAA")
    assert len(keys.fingerprint(a.public_raw).split()) == 16
