"""Multilingual keyword data for urgency scoring, and the matcher that reads it.

The data is plain Python, one block per language, grouped by script in ``latin.py``,
``latin_more.py``, ``cyrillic.py`` and ``arabic_script.py``. A block is::

    XX = {
        "language": "xx",            # ISO 639-1
        "boundary": "word",          # or "affix" (see below)
        "patterns": {                # reason code -> regex fragments, lower case
            "death_threat": [r"...", ...],
            ...
        },
    }

``boundary="word"`` wraps the block's fragments in ``(?<!\\w)`` … ``(?!\\w)``, so
``kill`` does not fire inside ``skill`` or ``killer``. ``boundary="affix"`` (Arabic)
also lets a match carry up to three prefix and four suffix letters of the same script.
Text and fragments pass through the same fold (``_text.fold``) and are matched
case-insensitively.

To add a language: write a block like the ones here (every code in ``TEXT_CODES`` is
optional), append it to its script module's ``LANGUAGES`` list (or create a module and add
it to ``BLOCKS`` below), and add a threatening and a benign sentence for it to
``tests/engines/test_triage_keywords.py``. ``validate()`` checks a block.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .._text import fold, fold_with_source
from . import arabic_script, cyrillic, latin, latin_more

#: Every block, in scanning order.
BLOCKS: list[dict] = [
    *latin.LANGUAGES,
    *latin_more.LANGUAGES,
    *cyrillic.LANGUAGES,
    *arabic_script.LANGUAGES,
]

#: Reason codes a block may use.
TEXT_CODES = (
    "death_threat",
    "sexual_violence_threat",
    "violence_threat",
    "knows_location",
    "address_mentioned",
    "arrest_or_detention",
    "minor_mentioned",
    "active_takeover",
    "intimate_images",
)

#: Texts longer than this are scanned up to this many characters.
MAX_SCAN_CHARS = 50_000

_ARABIC_LETTER = "[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff]"
_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class Hit:
    """One reason code found in a text: the language block and the matched phrase."""

    code: str
    language: str
    matched: str


def _wrap(fragments: list[str], boundary: str) -> str:
    body = "|".join(f"(?:{fold(f)})" for f in fragments)
    if boundary == "affix":
        return rf"(?<!\w){_ARABIC_LETTER}{{0,3}}(?:{body}){_ARABIC_LETTER}{{0,4}}(?!\w)"
    return rf"(?<!\w)(?:{body})(?!\w)"


def validate(block: dict) -> list[str]:
    """Problems with a block: unknown codes, unknown boundary, patterns that do not compile."""
    problems = []
    lang = block.get("language")
    if not isinstance(lang, str) or not lang:
        problems.append("block has no language code")
    if block.get("boundary") not in ("word", "affix"):
        problems.append(f"{lang}: boundary must be 'word' or 'affix'")
    for code, fragments in block.get("patterns", {}).items():
        if code not in TEXT_CODES:
            problems.append(f"{lang}: unknown reason code {code!r}")
        for fragment in fragments:
            try:
                re.compile(_wrap([fragment], block.get("boundary", "word")), _FLAGS)
            except re.error as exc:
                problems.append(f"{lang}/{code}: {fragment!r}: {exc}")
            if re.compile(_wrap([fragment], "word"), _FLAGS).fullmatch(""):
                problems.append(f"{lang}/{code}: {fragment!r} matches the empty string")
    return problems


@functools.cache
def compiled() -> dict[str, dict[str, re.Pattern[str]]]:
    """language -> reason code -> compiled pattern (built once, on first use)."""
    out: dict[str, dict[str, re.Pattern[str]]] = {}
    for block in BLOCKS:
        boundary = block.get("boundary", "word")
        codes = out.setdefault(block["language"], {})
        for code, fragments in block["patterns"].items():
            if fragments:
                codes[code] = re.compile(_wrap(list(fragments), boundary), _FLAGS)
    return out


@functools.cache
def combined() -> dict[str, re.Pattern[str]]:
    """language -> one pattern: every fragment of every reason code of that language.

    It matches somewhere in a text exactly when one of the language's code patterns does (it
    is their alternation, under the same boundary), and never before the leftmost match of any
    of them, so :func:`scan` first asks it whether a language has anything at all, and only
    then looks for each of that language's codes from where it matched.
    """
    out: dict[str, re.Pattern[str]] = {}
    for block in BLOCKS:
        fragments = [f for group in block["patterns"].values() for f in group]
        if fragments:
            out[block["language"]] = re.compile(
                _wrap(fragments, block.get("boundary", "word")), _FLAGS
            )
    return out


def languages() -> list[str]:
    """The language codes that have keyword data."""
    return list(compiled())


def scan(text: str, prefer: str | None = None) -> list[Hit]:
    """Every (code, language) with a match in ``text``, the preferred language first.

    All blocks are scanned whatever the text's language: reports mix languages and
    language detection is unsure on short texts. A language is searched once with its
    combined pattern; only a language that matches is searched code by code (each code's
    leftmost match, as shown to caseworkers), from the first place the combined one matched.
    """
    if not isinstance(text, str) or not text:
        return []
    source, folded, where = fold_with_source(text[:MAX_SCAN_CHARS])
    table = compiled()
    first = combined()
    order = sorted(table, key=lambda lang: lang != prefer)
    hits = []
    for lang in order:
        anything = first.get(lang)
        found = anything.search(folded) if anything is not None else None
        if found is None:
            continue
        for code, pattern in table[lang].items():
            match = pattern.search(folded, found.start())
            if match and match.end() > match.start():
                shown = source[where[match.start()] : where[match.end() - 1] + 1]
                hits.append(Hit(code=code, language=lang, matched=shown.strip()))
    return hits
