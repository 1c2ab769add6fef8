"""Per-token request limits for the intake API.

Each token may make ``AMPARO_API_LIMIT_PER_MINUTE`` requests per calendar minute; more are
answered ``429 Too Many Requests`` with ``Retry-After`` (the seconds until the minute ends).
The counters live in the shared database cache (``caches["default"]``), so every web process
counts together, keyed by the token's id — never by the client's address, which Amparo does not
keep. A counter disappears two minutes after its minute. Increments are not atomic in Django's
database cache, so under heavy concurrency a few requests above the limit can get through; the
limit is there to stop a runaway client, not to meter precisely.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches

WINDOW_SECONDS = 60


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limit reached; retry after {retry_after} s")
        self.retry_after = retry_after


def _key(token_id: Any, window: int) -> str:
    return f"api-rate:{token_id}:{window}"


def check(token_id: Any, *, now: float | None = None) -> None:
    """Count one request of the token; raise :class:`RateLimited` when over the limit."""
    moment = time.time() if now is None else now
    window = int(moment // WINDOW_SECONDS)
    cache = caches["default"]
    key = _key(token_id, window)
    try:
        count = cache.incr(key)  # the usual case: the minute's counter exists
    except ValueError:
        # Else another process created it meanwhile.
        count = 1 if cache.add(key, 1, timeout=2 * WINDOW_SECONDS) else cache.incr(key)
    if count > settings.AMPARO_API_LIMIT_PER_MINUTE:
        raise RateLimited(max(1, math.ceil((window + 1) * WINDOW_SECONDS - moment)))
