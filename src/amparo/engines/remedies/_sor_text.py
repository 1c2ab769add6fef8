"""Sentences, snippets and negation for the statement-of-reasons parser (:mod:`.sor`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from . import _sor_patterns as P

T = TypeVar("T")

FLAGS = re.IGNORECASE | re.UNICODE
_SENTENCE_END = ".!?؟"
_OPENING_QUOTES = '"«„'
_ORDINAL = re.compile(r"(?<![\d.])\b\d{1,2}$")


@dataclass(frozen=True)
class Extracted(Generic[T]):
    """A value read from the statement, with the sentence it came from and its offsets."""

    value: T
    snippet: str
    start: int
    end: int


@cache
def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, FLAGS)


def _starts_sentence(char: str) -> bool:
    """A capital, an opening quote, or a letter of a script without case (Arabic)."""
    return char.isupper() or char in _OPENING_QUOTES or (char.isalpha() and not char.islower())


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: cut at new lines and at .!?؟ followed by a new sentence."""
    spans, start = [], 0
    for i, char in enumerate(text):
        cut = char == "\n"
        if char in _SENTENCE_END:
            rest = text[i + 1 : i + 3]
            nxt = rest.lstrip()[:1]
            cut = (not rest.strip()) or (rest[:1].isspace() and _starts_sentence(nxt))
            if char == "." and _ORDINAL.search(text, max(0, i - 4), i):
                cut = cut and not rest.strip()  # "am 3. März 2026": a German ordinal day

        if cut:
            if text[start : i + 1].strip():
                spans.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class Text:
    """A statement, cut into sentences once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = sentences(text)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for start, end in self.spans:
            if start <= pos < end:
                return start, end
        return 0, len(self.text)

    def extracted(self, value: T, match_start: int, match_end: int) -> Extracted[T]:
        start, end = self.sentence_of(match_start)
        snippet = self.text[start:end].strip()
        if len(snippet) > 300:  # keep the caseworker's view short, centred on the match
            left = max(start, match_start - 140)
            snippet = self.text[left : min(end, match_end + 140)].strip()
        return Extracted(value, snippet, match_start, match_end)

    def sentences(self) -> Iterator[tuple[int, str]]:
        for start, end in self.spans:
            yield start, self.text[start:end]


def negated(sentence: str, pos: int, end: int | None = None) -> bool:
    """A negation word in the 40 characters before ``pos`` in the same sentence or, when
    ``end`` is given, a negated verb in the 40 after it ("were not used", "kullanılmadı")."""
    if rx(P.NEGATION).search(sentence[max(0, pos - 40) : pos]):
        return True
    return end is not None and bool(rx(P.POST_NEGATION).search(sentence[end : end + 40]))


def clause(sentence: str, start: int, end: int) -> str:
    """The clause around ``start:end``: cut at , ; : (and the Arabic comma)."""
    left = max(sentence.rfind(mark, 0, start) for mark in ",;:،")
    rights = [i for i in (sentence.find(mark, end) for mark in ",;:،") if i >= 0]
    return sentence[left + 1 : min(rights) if rights else len(sentence)]


def conditional(sentence: str, start: int, end: int) -> bool:
    """A warning, not a measure: "if you ..., your account will be permanently disabled"."""
    return bool(rx(P.CONDITIONAL).search(clause(sentence, start, end)))


def generic(sentence: str) -> bool:
    """Boilerplate about the platform in general ("Learn more about how we use technology")."""
    return bool(rx(P.GENERIC).search(sentence))


def appeal(sentence: str) -> bool:
    """A sentence about the appeal ("you can appeal within 180 days"), not the measure."""
    return bool(rx(P.REDRESS["INTERNAL_COMPLAINT"]).search(sentence))
