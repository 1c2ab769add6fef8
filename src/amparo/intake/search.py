"""Searching encrypted reports: keyed word tokens (a blind index), as CipherSweet does.

A report's narrative and platform notice are encrypted under the report's own key, so the
database cannot search them. When a report is stored, each distinct word of those texts is
normalised (Unicode NFKC, case folded, accents removed) and stored as a *token*: the first
64 bits of HMAC-SHA256 under a key derived (HKDF) from the organisation's data key. A search
computes the same tokens for the words typed and finds the reports that carry all of them.

What a search can find: whole words, in any case and with or without accents ("Jose" finds
"José"); several words (every one must be in the report, in any order); a quoted phrase finds
reports with all its words (not necessarily next to each other); a report's reference; a URL or
handle the report names (through the keyed indicators of ``intake.indicators``). What it cannot
find: parts of words ("harass" does not find "harassment"), other forms of a word ("threats"
does not find "threat"), misspellings, words of one letter, and what reporters wrote later in
messages.

What the tokens reveal to someone who reads the database without the keys: which reports share
a word, and how often each (unknown) word occurs in an organisation's reports — enough for a
frequency analysis of common words, not enough to read a narrative. Tokens are keyed per
organisation, so the same word has different tokens in two organisations. Someone who also has
the key-encryption key can test any word they guess. Erasing a report deletes its tokens;
crypto-shredding the organisation's key makes the rest meaningless.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db.models import Q

from amparo.core.ttl import TTLCache
from amparo.keyring.services import organisation_key, unwrap

KEY_CACHE_SECONDS = 60
#: At most this many distinct words of one report are indexed (a narrative is usually < 500).
MAX_WORDS = 5000
#: At most this many words in one search.
MAX_QUERY_WORDS = 12

_keys: TTLCache[bytes] = TTLCache(KEY_CACHE_SECONDS)
_WORD = re.compile(r"\w+", re.UNICODE)
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def _key(organisation: Any) -> bytes:
    return _keys.get_or_set(
        organisation.pk,
        lambda: HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"amparo search words"
        ).derive(unwrap(organisation_key(organisation))),
    )


def forget_keys() -> None:
    _keys.clear()


def normalise(text: str) -> list[str]:
    """The distinct words of ``text`` as they are indexed, in order of first appearance."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    seen: dict[str, None] = {}
    for word in _WORD.findall(plain):
        if len(word) >= 2 and word not in seen:
            seen[word] = None
    return list(seen)


def token(organisation: Any, word: str) -> str:
    return hmac.new(_key(organisation), word.encode(), hashlib.sha256).hexdigest()[:16]


def tokens_for(organisation: Any, texts: Iterable[str]) -> list[str]:
    """The tokens a report's texts are indexed under (distinct, at most ``MAX_WORDS``)."""
    words: dict[str, None] = {}
    for text in texts:
        for word in normalise(text):
            words.setdefault(word, None)
    return sorted({token(organisation, word) for word in list(words)[:MAX_WORDS]})


def report_tokens(report: Any) -> list[str]:
    return tokens_for(report.organisation, [report.narrative or "", report.platform_notice or ""])


def terms(query: str) -> list[str]:
    """The terms of a search: quoted phrases kept whole, other words one by one."""
    found = []
    for phrase, word in _TERM.findall(query or ""):
        term = (phrase or word).strip()
        if term:
            found.append(term)
    return found


def _looks_like_link(term: str) -> bool:
    return term.startswith("@") or term.lower().startswith(("http://", "https://", "www."))


def matching(organisation: Any, query: str, platforms: Iterable[str]) -> Q:
    """A filter on reports for ``query``: every term must match the reference, a URL or handle
    the report names, or all the words of the term."""
    from amparo.intake import indicators
    from amparo.intake.models import Indicator, SearchToken

    condition = Q()
    words_used = 0
    for term in terms(query):
        matches = Q(reference__iexact=term.upper())
        if _looks_like_link(term):
            digests = {
                digest
                for platform in platforms
                for _kind, digest in indicators.digests(
                    organisation, {"links": [term], "attackers": [term]}, platform
                )
            }
            if digests:
                matches |= Q(
                    pk__in=Indicator.objects.filter(
                        organisation=organisation, digest__in=digests
                    ).values("report_id")
                )
        words = normalise(term)[: max(0, MAX_QUERY_WORDS - words_used)]
        words_used += len(words)
        if words:
            with_words = Q()
            for word in words:
                with_words &= Q(
                    pk__in=SearchToken.objects.filter(
                        organisation=organisation, token=token(organisation, word)
                    ).values("report_id")
                )
            matches |= with_words
        condition &= matches
    return condition
