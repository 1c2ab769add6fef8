"""Keyed hashes of URLs and handles, to find reports that share them without decrypting."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from amparo.engines.triage import normalise_handle, normalise_url
from amparo.keyring.services import organisation_key, unwrap


def _key(organisation: Any) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"amparo indicators").derive(
        unwrap(organisation_key(organisation))
    )


def tokens(accounts: dict[str, list[str]], platform: str) -> list[tuple[str, str]]:
    """(kind, normalised token) for every link and handle a report names."""
    out: list[tuple[str, str]] = []
    for kind, field in (("url", "links"), ("affected", "affected"), ("attacker", "attackers")):
        for value in accounts.get(field, []):
            value = value.strip()
            if not value:
                continue
            is_url = value.lower().startswith(("http://", "https://", "www."))
            if is_url:
                out.append((kind, "url:" + normalise_url(value)))
            if kind != "url" or not is_url:
                handle = normalise_handle(value, platform)
                if handle:
                    out.append((kind, "handle:" + handle))
    return out


def digests(
    organisation: Any, accounts: dict[str, list[str]], platform: str
) -> list[tuple[str, str]]:
    """(kind, keyed digest) pairs, without duplicates."""
    key = _key(organisation)
    seen: dict[tuple[str, str], None] = {}
    for kind, token in tokens(accounts, platform):
        seen[(kind, hmac.new(key, token.encode(), hashlib.sha256).hexdigest())] = None
    return list(seen)
