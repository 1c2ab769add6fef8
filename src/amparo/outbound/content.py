"""What a queued message holds, sealed at rest: its serialised form and the key it is sealed with.

Part of the outbound seam (:mod:`amparo.outbound.services`). Subject, body, recipients and
headers (or a webhook's URL, body and headers) are one JSON value sealed with AES-256-GCM
(:mod:`amparo.keyring.envelope`), its associated data binding the organisation and the message
id. A message of an organisation is sealed with the organisation's data key; one of no
organisation with a key derived (HKDF-SHA256, its own label) from the KEK, recording which KEK
(``kek_id``) so it still opens during a rotation while ``AMPARO_KEK_PREVIOUS`` is set.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.mail import EmailMessage, EmailMultiAlternatives

from amparo.keyring import envelope

if TYPE_CHECKING:
    from amparo.core.models import OutboundMessage


def domains(addresses: list[str]) -> list[str]:
    return sorted({a.rsplit("@", 1)[-1].strip().strip(">").lower() for a in addresses if a})


def aad(message: OutboundMessage) -> bytes:
    return f"amparo:outbound:{message.organisation_id or '-'}:{message.pk}".encode()


def system_key(kek: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"amparo outbound messages"
    ).derive(kek)


def content_key(message: OutboundMessage) -> bytes:
    if message.organisation_id is not None:
        from amparo.keyring.services import organisation_key, unwrap

        return unwrap(organisation_key(message.organisation))
    from amparo.keyring.kek import KeyUnavailable, current_kek, known_keks

    if not message.kek_id:
        message.kek_id, kek = current_kek()
        return system_key(kek)
    found = known_keks().get(message.kek_id)
    if found is None:
        raise KeyUnavailable(
            f"outbound message {message.pk} is sealed under KEK {message.kek_id}, "
            "which is not configured (set AMPARO_KEK_PREVIOUS during a rotation)"
        )
    return system_key(found)


def serialise(message: EmailMessage) -> dict[str, Any]:
    if message.attachments:
        raise ValueError("queued e-mail cannot carry attachments")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "subtype": message.content_subtype,
        "alternatives": [
            [str(content), str(mimetype)]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def rebuild(data: dict[str, Any]) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def seal(row: OutboundMessage, content: dict[str, Any]) -> bytes:
    plain = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return envelope.seal(content_key(row), plain.encode("utf-8"), aad(row))


def open_content(row: OutboundMessage) -> dict[str, Any]:
    if row.sealed is None:
        raise envelope.DecryptionError("the message's content was removed")
    plain = envelope.open_sealed(content_key(row), bytes(row.sealed), aad(row))
    content: dict[str, Any] = json.loads(plain)
    return content


def open_message(row: OutboundMessage) -> EmailMessage:
    return rebuild(open_content(row))
