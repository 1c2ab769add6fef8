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


def new_code() -> str:
    words = _wordlist()
    return " ".join(secrets.choice(words) for _ in range(WORDS))


def normalise(code: str) -> str:
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
