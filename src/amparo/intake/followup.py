"""Follow-up codes: a random passphrase of six words, shown once, kept only as a slow hash.

The hash is Argon2id with a salt derived from the server secret, so it is deterministic (the
code alone finds the report) yet costly to guess, and useless without the server secret. Six words
from the EFF long list give about 77 bits, so even a fast hash could not be searched; Argon2id
(one pass over 8 MiB, about 6 ms) adds a memory-hard margin while keeping a busy helpline's form
fast. Through the web, each code may be tried 10 times in 10 minutes (per code, never per client:
see ``intake.throttle``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings

WORDS = 6


@lru_cache(maxsize=1)
def _wordlist() -> list[str]:
    from xkcdpass import xkcd_password

    words = xkcd_password.generate_wordlist(
        wordfile=xkcd_password.locate_wordfile("eff-long"), min_length=3, max_length=9
    )
    # Only words of plain letters: "t-shirt" or "yo-yo" would be copied as "tshirt" or "yoyo" by
    # some reporters and refused. 7,772 words remain: still about 77 bits for six.
    return sorted({word for word in words if word.isalpha() and word.isascii()})


#: Reporter languages written in another script than Latin letters. Their readers get a code of
#: digits, which every keyboard types: no curated word list (memorable, no rare or offensive
#: words, as the EFF's) ships for Arabic, Persian, Urdu, Russian or Ukrainian, and English words
#: are hard to copy for someone who does not read Latin letters. Latin-script languages keep the
#: EFF's English words (no curated list in their language ships in a package either).
DIGIT_LANGUAGES = frozenset({"ar", "fa", "ur", "ru", "uk"})
#: 24 digits in six groups of four: about 80 bits, as much as six words.
DIGIT_GROUPS, DIGITS_PER_GROUP = 6, 4
#: Digits of every script a reporter's keyboard may type, read as 0-9 (Arabic-Indic,
#: Extended Arabic-Indic (Persian, Urdu), Devanagari, full-width).
_DIGITS = str.maketrans(
    {chr(base + i): str(i) for base in (0x0660, 0x06F0, 0x0966, 0xFF10) for i in range(10)}
)


def new_code(language: str = "en") -> str:
    """A new follow-up code: six words, or 24 digits for ``DIGIT_LANGUAGES``."""
    if language.split("-")[0] in DIGIT_LANGUAGES:
        return " ".join(
            "".join(secrets.choice("0123456789") for _ in range(DIGITS_PER_GROUP))
            for _ in range(DIGIT_GROUPS)
        )
    words = _wordlist()
    return " ".join(secrets.choice(words) for _ in range(WORDS))


def is_digits(code: str) -> bool:
    return code.translate(_DIGITS).replace(" ", "").replace("-", "").isdigit()


def normalise(code: str) -> str:
    """The form a code is checked in: words lower-cased and single-spaced; a code of digits
    in ASCII digits with no spaces or dashes (however the reporter grouped or typed them)."""
    if is_digits(code):
        return "".join(ch for ch in code.translate(_DIGITS) if ch.isdigit())
    return " ".join(code.strip().lower().replace("-", " ").split())


def digest(code: str) -> str:
    salt = hmac.new(
        settings.SECRET_KEY.encode(), b"amparo follow-up code salt", hashlib.sha256
    ).digest()[:16]
    raw = hash_secret_raw(
        normalise(code).encode(),
        salt,
        time_cost=1,
        memory_cost=8 * 1024,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    return raw.hex()


def report_in_session(request: Any, organisation: Any) -> Any:
    """The report whose follow-up code opened this browser session for ``organisation``
    (the follow-up page's own check, for other apps' follow-up actions such as a collective
    action's mandate), or None when none is open or its 30 minutes have passed."""
    import time

    from amparo.intake.models import Report
    from amparo.intake.views_public import SESSION_FOLLOWUP

    session = getattr(request, "session", None)
    held = session.get(SESSION_FOLLOWUP) if session is not None else None
    if not held or held.get("org") != str(getattr(organisation, "pk", "")):
        return None
    if held.get("until", 0) < time.time():
        return None
    return Report.objects.filter(
        pk=held["report"], organisation=organisation, erased_at__isnull=True
    ).first()
