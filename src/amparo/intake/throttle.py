"""Abuse limits for the public pages that no flood from one address can turn against someone else.

Behind a reverse proxy or a Tor onion service every reporter arrives from the same address, so
nothing here counts per client address (and no address is kept anywhere):

* **The report form** has a budget per organisation and calendar hour
  (``AMPARO_INTAKE_LIMIT_PER_HOUR``), counted in the shared database cache so every server
  process counts together. Reports above it are *held* as a possible flood — stored, with the
  usual "received" page and follow-up code, but kept out of the queue and without alarms until
  a caseworker releases or discards them. A report with any immediate-risk answer is never held.
  Only when an organisation already holds ``AMPARO_INTAKE_HELD_MAX`` reports is a report
  without an immediate-risk answer refused (the disk must not fill up).
* **Follow-up codes** are limited per code: the same code (by its Argon2id digest) may be tried
  ``FOLLOWUP_TRIES`` times in ``FOLLOWUP_WINDOW`` seconds. A wrong code belongs to no report, so
  wrong codes slow only themselves; a code used too often slows only its own report. Guessing a
  code is hopeless anyway (six words of the EFF long list, about 77 bits, each guess a 6 ms
  Argon2id). These counters live in this process's memory only.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches

#: How often one follow-up code may be tried, and in how many seconds.
FOLLOWUP_TRIES = 10
FOLLOWUP_WINDOW = 600
BUDGET_WINDOW = 3600


def _count(cache_name: str, key: str, window: int) -> int:
    """Add one to a counter that lives ``window`` seconds at most; returns the new count."""
    cache = caches[cache_name]
    try:
        return int(cache.incr(key))  # the usual case: the counter exists
    except ValueError:
        # Else another process created it meanwhile.
        return 1 if cache.add(key, 1, timeout=window) else int(cache.incr(key))


def over_budget(organisation_id: object, *, now: float | None = None) -> bool:
    """Count one report sent through the organisation's public form in this calendar hour;
    True when it is beyond the budget. (Django's database cache does not increment atomically:
    under heavy concurrency a few more reports than the budget can reach the queue.)"""
    moment = time.time() if now is None else now
    hour = int(moment // BUDGET_WINDOW)
    key = f"intake:budget:{organisation_id}:{hour}"
    return _count("default", key, 2 * BUDGET_WINDOW) > settings.AMPARO_INTAKE_LIMIT_PER_HOUR


def followup_allowed(code_digest: str) -> bool:
    """Count one try of a follow-up code (by its digest); False when it was tried too often."""
    key = f"followup-tries:{code_digest}"
    return _count("intake", key, FOLLOWUP_WINDOW) <= FOLLOWUP_TRIES
