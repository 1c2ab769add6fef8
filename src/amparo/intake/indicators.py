"""Keyed hashes of URLs and handles, to find reports that share them without decrypting.

The HMAC key is derived from the organisation's data key; each server process keeps the
derived key for ``KEY_CACHE_SECONDS`` rather than reading the organisation's key row for every
report.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from amparo.core.ttl import TTLCache
from amparo.engines.triage import normalise_handle, normalise_url
from amparo.keyring.services import organisation_key, unwrap

KEY_CACHE_SECONDS = 60

_keys: TTLCache[bytes] = TTLCache(KEY_CACHE_SECONDS)


def _key(organisation: Any) -> bytes:
    return _keys.get_or_set(
        organisation.pk,
        lambda: HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"amparo indicators"
        ).derive(unwrap(organisation_key(organisation))),
    )


def forget_keys() -> None:
    _keys.clear()


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
