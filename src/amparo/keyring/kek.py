"""Where the key-encryption key comes from: ``AMPARO_KEK`` or ``AMPARO_KEK_FILE``.

During a rotation ``AMPARO_KEK_PREVIOUS`` may also be set, so keys still wrapped by the old KEK
can be opened until ``amparo keys rewrap`` has moved them all.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from amparo.keyring.envelope import key_id, parse_key


class KeyUnavailable(ImproperlyConfigured):
    pass


@lru_cache(maxsize=8)
def _parse(text: str) -> bytes:
    return parse_key(text)


def current_kek() -> tuple[str, bytes]:
    text = getattr(settings, "AMPARO_KEK", None)
    if not text:
        raise KeyUnavailable(
            "No key-encryption key: set AMPARO_KEK_FILE (or AMPARO_KEK). "
            "Create one with 'amparo keys generate-kek PATH'."
        )
    key = _parse(text)
    return key_id(key), key


def known_keks() -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    kid, key = current_kek()
    keys[kid] = key
    previous = getattr(settings, "AMPARO_KEK_PREVIOUS", None)
    if previous:
        old = _parse(previous)
        keys[key_id(old)] = old
    return keys
