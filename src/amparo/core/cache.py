"""Cache keys are keyed hashes: throttling counters are keyed by client address and account,
and neither may sit in the cache table in clear."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def hashed_key(key: str, key_prefix: str, version: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()
    return f"{key_prefix}:{version}:{digest}"
