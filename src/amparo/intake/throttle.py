"""Abuse limits for the public form that keep no client address anywhere at rest.

Counters live only in this process's memory (a local-memory cache), keyed by an HMAC of the
client address under a key that changes every day, and expire within minutes. With several
server processes each counts on its own, so the effective limit is multiplied by their number
(documented); nothing about a reporter's connection ever reaches the database or a log.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def _client_key(request: HttpRequest, bucket: str) -> str:
    day = int(time.time() // 86400)
    secret = hmac.new(
        settings.SECRET_KEY.encode(), f"throttle:{day}".encode(), hashlib.sha256
    ).digest()
    address = request.META.get("REMOTE_ADDR", "")
    return bucket + ":" + hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()


def allow(request: HttpRequest, bucket: str, *, limit: int, window: int) -> bool:
    cache = caches["intake"]
    key = _client_key(request, bucket)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
