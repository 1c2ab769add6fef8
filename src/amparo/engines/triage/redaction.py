"""Redaction of contact details and identifiers in free text.

``redact(text)`` finds e-mail addresses, phone numbers, postal addresses and identity or
account numbers, replaces each with a bracketed label (``[email]``, ``[phone]``,
``[address]``, ``[id number]``) and returns the findings with their spans in the ORIGINAL
text. Web links are left as they are (they are evidence), and nothing inside a link is
redacted except an e-mail address.

What identifies the content is kept too: a number or code right after a label that says it is
a content, post, status, statement-of-reasons, decision, reference or ticket identifier
("Content ID: 3219876543210", "post 1789234567890123456", "Decision reference:
DSA-2024-000123456789", "ID de contenido 123456789", in the languages of the documents) is not
an "[id number]": it is the one key a platform needs. Only an identifier written as one
unbroken run of digits (not starting with 00) or as a code with at least one letter is kept
this way; digits in groups ("reference 55-1234-5678") still look like a phone and are redacted,
and an e-mail address, a "+" number or an ID-card pattern (CPF, CNIC, IBAN) always is. A
reference code in capitals joined to its digits by a hyphen ("SOR-2024-000123456789",
"FB-DSA-2026-11-77812") is kept without a label, unless its prefix is that of an identity
document or a phone ("DNI-", "TEL-").

When two finders claim overlapping text, the earlier kind in this order wins: e-mail,
link (kept), national-ID pattern (CPF, CNIC, IBAN), labelled content identifier (kept),
phone, address, long digit run. It never raises: a finder that fails on odd input is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers

from .addresses import find_addresses

Kind = Literal["email", "phone", "address", "id_number"]

LABELS: dict[str, str] = {
    "email": "[email]",
    "phone": "[phone]",
    "address": "[address]",
    "id_number": "[id number]",
}

#: The e-mail finder. Exported so that tests can check that nothing it matches survives.
EMAIL_RE = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+", re.UNICODE)

_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![\w@.\-])(?:[a-z0-9-]{1,63}\.)+(?:com|org|net|me|be|io|tv|ly|gl|co|ru|ua|tr|vn|id|ir|pk|br"
    r"|mx|fr|es|pt|info|news|app|link|to)/\S*",
    re.IGNORECASE,
)
# Phone numbers in international form, for what the phonenumbers matcher misses.
_INTL_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)[1-9][\d\s().\-/]{6,22}\d(?!\w)")
# Local phone numbers starting with 0 (trunk prefix), used when no region is given.
_LOCAL_PHONE_RE = re.compile(r"(?<![\w.\-])0\d{2,4}[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}(?![\w\-])")
_CPF_RE = re.compile(r"(?<![\w.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\w])")
_CNIC_RE = re.compile(r"(?<![\w-])\d{5}-\d{7}-\d(?![\w-])")
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"
)
_DIGIT_RUN_RE = re.compile(r"(?<![\w])\d(?:[ .\-]?\d){8,}(?![\w])")

# Labels that say the identifier after them names content or a decision, not a person. Those
# in the first group may stand alone ("post 178…"); the second only with a qualifier
# ("content ID 321…", "case no. 88…"), because alone they are ordinary words.
_LABEL_ALONE = (
    r"posts?|status(?:es)?|tweets?|statements?(?:\s+of\s+reasons)?|sor|decisions?|"
    r"references?|ref|tickets?|puid|appeal|complaint|"
    r"publicaci[oó]n|referencia|decisi[oó]n|expediente|reclamaci[oó]n|"
    r"publication|r[ée]f[ée]rence|d[ée]cision|plainte|"
    r"publica[cç][aã]o|refer[eê]ncia|decis[aã]o|protocolo|"
    r"beitrag|referenz|entscheidung|aktenzeichen|beschwerde|"
    r"riferimento|decisione|sygnatura|decyzja|referentie|beslissing"
)
_LABEL_QUALIFIED = (
    r"content|contenido|contenu|conte[uú]do|inhalt|contenuto|message|video|photo|comment|"
    r"story|reel|item|media|case|caso|dossier|notice"
)
_QUALIFIER = r"ids?|identifier|numbers?|no|nr|n[º°o]|num|#|n[uú]mero|num[ée]ro|nummer|numer|numero"
_OF = r"(?:de(?:l|\s+la)?|du|do|da|des|der|van|di|del)"
_ID_LABEL_RE = re.compile(
    rf"(?<![^\W_])(?:"
    rf"(?:{_LABEL_ALONE})(?:[\s\-_]*(?:{_QUALIFIER}))?"
    rf"|(?:{_LABEL_QUALIFIED})[\s\-_]*(?:{_QUALIFIER})"
    rf"|(?:{_QUALIFIER})\s+{_OF}\s+(?:{_LABEL_ALONE}|{_LABEL_QUALIFIED})"
    rf")\.?(?![^\W_])[ \t]*[:#=]?[ \t]*",
    re.IGNORECASE,
)
# What such a label may name: one run of digits (not starting 00, which is a phone prefix; a
# short one not followed by more digit groups, which is how a phone is written) or a code with
# a letter and a digit (DSA-2024-000123456789, a1b2c3d4-…).
_ID_TOKEN_RE = re.compile(
    r"(?:(?!00)(?:\d{10,}(?![\-./()]\d)|\d{4,9}(?![\-.\s/()]\d))"
    r"|(?=[\w\-./:]*[A-Za-z])(?=[\w\-./:]*\d)[A-Za-z0-9][\w\-./:]*[A-Za-z0-9])(?![\w@+])"
)
# A reference code written by a platform or a body: capitals, a hyphen, digits
# (SOR-2024-000123456789, FB-DSA-2026-11-77812), except prefixes of identity documents and
# phones (DNI-…, TEL-…), which are redacted as any long number is.
_CODE_RE = re.compile(
    r"(?<![\w\-])"
    r"(?!(?:DNI|NIE|NIF|CPF|RG|CNIC|NIC|NIN|NINO|SSN|RFC|CURP|INE|PESEL|BSN|TC|TCKN|ID|TEL|"
    r"FAX|MOB|PH|WA|IBAN|PASS|PP)-)"
    r"[A-Z]{2,10}(?:-[A-Z]{2,10})*-\d[\dA-Z]*(?:-[\dA-Z]+)*(?![\w\-])"
)
_ID_LIST_SEP_RE = re.compile(r"[ \t]*(?:,|;|/|&|and|y|et|e|und|i|en)[ \t]*#?", re.IGNORECASE)

_PRIORITY = {
    "email": 0,
    "link": 1,
    "id_pattern": 2,
    "content_id": 3,
    "phone": 4,
    "address": 5,
    "id_run": 6,
}


@dataclass(frozen=True)
class Finding:
    """One redacted span: ``text[start:end]`` of the original text was of this kind."""

    kind: Kind
    start: int
    end: int


@dataclass(frozen=True)
class Redaction:
    text: str
    findings: list[Finding] = field(default_factory=list)


def _iban_ok(candidate: str) -> bool:
    s = candidate.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    try:
        digits = "".join(str(int(ch, 36)) for ch in moved)
        return int(digits) % 97 == 1
    except ValueError:
        return False


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


def find_links(text: str) -> list[tuple[int, int]]:
    """The spans of the web links in ``text`` (without trailing punctuation)."""
    spans = []
    for m in _URL_RE.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?)]}'\"»”":
            end -= 1
        if end > m.start():
            spans.append((m.start(), end))
    return spans


def find_content_ids(text: str) -> list[tuple[int, int]]:
    """The spans of identifiers that a label names as content or a decision (kept as they are)."""
    spans = [(m.start(), m.end()) for m in _CODE_RE.finditer(text)]
    for label in _ID_LABEL_RE.finditer(text):
        pos = label.end()
        while True:
            token = _ID_TOKEN_RE.match(text, pos)
            if token is None:
                break
            spans.append((token.start(), token.end()))
            sep = _ID_LIST_SEP_RE.match(text, token.end())
            if sep is None or sep.end() == token.end():
                break
            pos = sep.end()
    return spans


def _candidates(text: str, region: str | None) -> list[tuple[int, int, int, str]]:
    """(priority, start, end, kind) for every finder; "link" and "content_id" are kept."""
    out: list[tuple[int, int, int, str]] = []

    def add(kind: str, group: str, start: int, end: int) -> None:
        if end > start:
            out.append((_PRIORITY[group], start, end, kind))

    finders = []

    def emails() -> None:
        for m in EMAIL_RE.finditer(text):
            add("email", "email", m.start(), m.end())

    def links() -> None:
        for start, end in find_links(text):
            add("link", "link", start, end)

    def content_ids() -> None:
        for start, end in find_content_ids(text):
            add("link", "content_id", start, end)

    def id_patterns() -> None:
        for rx in (_CPF_RE, _CNIC_RE):
            for m in rx.finditer(text):
                add("id_number", "id_pattern", m.start(), m.end())
        for m in _IBAN_RE.finditer(text):
            if _iban_ok(m.group(0)):
                add("id_number", "id_pattern", m.start(), m.end())

    def phones() -> None:
        lib_region = region.upper() if region else "ZZ"
        for match in phonenumbers.PhoneNumberMatcher(text, lib_region):
            add("phone", "phone", match.start, match.end)

    def phones_fallback() -> None:
        for m in _INTL_PHONE_RE.finditer(text):
            span = m.group(0).rstrip(" ().-/")
            if 8 <= _digits(span) <= 15:
                add("phone", "phone", m.start(), m.start() + len(span))
        if not region:
            for m in _LOCAL_PHONE_RE.finditer(text):
                if 9 <= _digits(m.group(0)) <= 12:
                    add("phone", "phone", m.start(), m.end())

    def addresses() -> None:
        for a in find_addresses(text):
            add("address", "address", a.start, a.end)

    def digit_runs() -> None:
        for m in _DIGIT_RUN_RE.finditer(text):
            add("id_number", "id_run", m.start(), m.end())

    finders = [
        emails,
        links,
        id_patterns,
        content_ids,
        phones,
        phones_fallback,
        addresses,
        digit_runs,
    ]
    for finder in finders:
        try:
            finder()
        except Exception:  # noqa: S112 - a failing finder must not stop redaction
            continue
    return out


def find(text: str, *, default_region: str | None = None) -> list[Finding]:
    """The findings ``redact`` would make, sorted by start, non-overlapping."""
    if not isinstance(text, str) or not text:
        return []
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for _prio, start, end, kind in sorted(
        _candidates(text, default_region), key=lambda c: (c[0], c[1], -(c[2] - c[1]))
    ):
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        if kind != "link":
            chosen.append((start, end, kind))
    chosen.sort()
    return [Finding(kind=kind, start=start, end=end) for start, end, kind in chosen]  # type: ignore[arg-type]


def redact(text: str, *, default_region: str | None = None) -> Redaction:
    """Replace e-mails, phones, addresses and ID numbers in ``text`` with labels.

    ``default_region`` (ISO 3166 alpha-2, e.g. ``"BR"``) lets local phone numbers without
    a country code be recognised. Findings carry spans into the original ``text``.
    """
    if text is None:
        return Redaction(text="", findings=[])
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:
            return Redaction(text="", findings=[])
    region = default_region if isinstance(default_region, str) and default_region else None
    try:
        findings = find(text, default_region=region)
    except Exception:
        findings = []
    parts = []
    pos = 0
    for f in findings:
        parts.append(text[pos : f.start])
        parts.append(LABELS[f.kind])
        pos = f.end
    parts.append(text[pos:])
    return Redaction(text="".join(parts), findings=findings)
