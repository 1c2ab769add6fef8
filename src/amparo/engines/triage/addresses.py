"""Heuristic finder of postal (home) addresses in 13 languages.

An address here is a street word and a house number close together, in one of three
orders, optionally followed by more parts (flat, floor, block) and a postcode:

* street word, name, number — ``Calle Mayor 12``, ``Rua das Flores, 123``,
  ``ул. Ленина, д. 5``, ``Jl. Sudirman No. 5``, ``شارع الحمرا رقم 12``,
  ``خیابان آزادی، کوچه ۵، پلاک ۱۲``, ``مکان نمبر 12``, ``Mtaa wa Moi nyumba namba 12``;
* number, street word, name — ``12 rue de la Paix``, ``123 đường Lê Lợi``;
* number, name, street word (English) — ``221B Baker Street``;
* name, street word, number (Turkish) — ``Bahariye Cad. No:12``.

In cased scripts (Latin, Cyrillic) every word of the street name must start with a
capital letter or be a connector (de, da, wa, ya …), which keeps "en la calle durante
2 horas" out. In Arabic script there is no such clue, so a street word followed within
three words by a number is taken as an address. It finds addresses written the usual
way; it misses landmark-style directions ("behind the blue mosque"), addresses without
a number, and most addresses in languages other than these 13.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Street words that come before the street name.
_STREET_BEFORE = [
    # es / pt
    r"calle",
    r"c/",
    r"avenida",
    r"av\.",
    r"avda\.?",
    r"carrera",
    r"cra\.?",
    r"pasaje",
    r"paseo",
    r"camino",
    r"carretera",
    r"jir[oó]n",
    r"jr\.",
    r"rua",
    r"r\.",
    r"travessa",
    r"alameda",
    r"estrada",
    r"praça",
    r"rodovia",
    # ru / uk
    r"улица",
    r"ул\.",
    r"проспект",
    r"просп\.",
    r"пр-т",
    r"переулок",
    r"пер\.",
    r"шоссе",
    r"бульвар",
    r"б-р",
    r"набережная",
    r"наб\.",
    r"вулиця",
    r"вул\.",
    r"провулок",
    r"пров\.",
    r"бул\.",
    r"набережна",
    # vi / id / sw
    r"đường",
    r"phố",
    r"ngõ",
    r"hẻm",
    r"jalan",
    r"jl\.?",
    r"jln\.?",
    r"gg\.",
    r"mtaa",
    r"barabara",
    # ar / fa / ur
    r"شارع",
    r"خیابان",
    r"خيابان",
    r"کوچه",
    r"كوچه",
    r"بلوار",
    r"گلی",
    r"مکان",
    r"سڑک",
    r"روڈ",
    r"محلہ",
    r"سیکٹر",
]
# Street words that come after a house number, before the name (fr, vi, ar).
_STREET_AFTER_NUMBER = [
    r"rue",
    r"avenue",
    r"boulevard",
    r"bd",
    r"chemin",
    r"allée",
    r"impasse",
    r"place",
    r"quai",
    r"route",
    r"đường",
    r"phố",
    r"ngõ",
    r"hẻm",
    r"شارع",
]
# Street words that come after the name (en).
_STREET_AFTER_NAME_EN = [
    r"street",
    r"st\.?",
    r"road",
    r"rd\.?",
    r"avenue",
    r"ave\.?",
    r"lane",
    r"ln\.?",
    r"drive",
    r"dr\.?",
    r"boulevard",
    r"blvd\.?",
    r"close",
    r"court",
    r"crescent",
    r"terrace",
    r"way",
]
# Street words that come after the name (tr).
_STREET_AFTER_NAME_TR = [
    r"sokak",
    r"sokağı",
    r"sok\.",
    r"sk\.",
    r"cadde",
    r"caddesi",
    r"cad\.",
    r"cd\.",
    r"bulvarı",
    r"blv\.",
    r"mahallesi",
    r"mah\.",
]
# What may stand before a house number.
_NUMBER_WORD = (
    r"(?:(?:no|nr|n[º°o]|num|número|numero|д|дом|буд|будинок|số|namba|na|nyumba namba"
    r"|nyumba na|nyumba|رقم|پلاک|پلاك|نمبر|plot)\.?\s*[:#]?\s*|#\s*)"
)
# A house number: digits in any script, maybe a letter or a /-part.
_NUMBER = r"\d{1,5}(?:\s?[/-]\s?\d{1,4})?(?:[A-Za-z](?![A-Za-z]))?(?!\d)"
# Parts after the first number.
_UNIT_WORD = (
    r"(?:apt|apartment|flat|unit|suite|piso|dpto|depto|departamento|apto|apartamento|bloco"
    r"|andar|casa|кв|квартира|корп|корпус|стр|д|дом|буд|daire|d|kat|blok|block|pintu|rt|rw"
    r"|lantai|nyumba|namba|پلاک|طبقه|واحد|شقة|طابق|عمارة|بناية|فلیٹ|plot|nhà|tầng|phòng|no|nº"
    r"|ngõ|ngách|hẻm|کوچه|گلی|بلاک|سیکٹر|حي)"
)
_POSTCODE = (
    r"(?:(?:CEP|C\.P\.|CP)\s*)?\d{5}(?:-\d{3,4})?(?:\s+[A-ZÀ-Þ][a-zà-ÿ]+)?"
    r"|(?:[A-Z][a-z]+,?\s+)?[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
    r"|\d{6}"
)
_EXTENSION = (
    rf"(?:(?:\s*[,،\-–]\s*|\s+)(?:{_UNIT_WORD}\.?\s*{_NUMBER_WORD}?\s*{_NUMBER}"
    rf"|{_NUMBER_WORD}{_NUMBER}|(?:{_POSTCODE})(?!\w)))*"
)
_SEP = r"[\s,،]+"
_NAME_WORD = r"[^\W\d_][\w'’.\-]{0,40}"
_NAME = rf"{_NAME_WORD}(?:{_SEP}{_NAME_WORD}){{0,4}}?"
_CONNECTORS = {
    "de",
    "del",
    "da",
    "das",
    "do",
    "dos",
    "la",
    "las",
    "los",
    "el",
    "le",
    "les",
    "des",
    "du",
    "wa",
    "ya",
    "y",
    "e",
    "di",
    "of",
    "the",
    "d'",
    "l'",
}


def _alt(words: list[str]) -> str:
    return "|".join(words)


_FLAGS = re.IGNORECASE | re.UNICODE

_BEFORE = re.compile(
    rf"(?<!\w)(?P<street>{_alt(_STREET_BEFORE)})(?:\s*|(?<=[./]))"
    rf"(?:(?P<name>{_NAME}){_SEP})?(?P<numword>{_NUMBER_WORD})?{_NUMBER}{_EXTENSION}",
    _FLAGS,
)
_NUMBER_FIRST = re.compile(
    rf"(?<![\w/.,-]){_NUMBER_WORD}?{_NUMBER},?\s+(?P<street>{_alt(_STREET_AFTER_NUMBER)})"
    rf"\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}){_EXTENSION}",
    _FLAGS,
)
# English: the number comes first ("221B Baker Street").
_NAME_FIRST_EN = re.compile(
    rf"(?<![\w/.,-]){_NUMBER},?\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}?)\s+"
    rf"(?P<street>{_alt(_STREET_AFTER_NAME_EN)})(?!\w){_EXTENSION}",
    _FLAGS,
)
# Turkish: the number comes last ("Bahariye Cad. No:12").
_NAME_FIRST_TR = re.compile(
    rf"(?<![\w/.,-])(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}?)\s+"
    rf"(?P<street>{_alt(_STREET_AFTER_NAME_TR)})(?!\w)[,\s]*{_NUMBER_WORD}?{_NUMBER}{_EXTENSION}",
    _FLAGS,
)
# Street words that, with no street name, need "No."/"نمبر"/"پلاک" before the number.
_BARE_OK = {"calle", "carrera", "cra", "cra.", "شارع", "کوچه", "كوچه", "خیابان", "خيابان"}
_NEEDS_NUMBER_WORD = {"مکان", "گلی", "سڑک", "روڈ", "محلہ", "سیکٹر"}


@dataclass(frozen=True)
class AddressMatch:
    start: int
    end: int
    street_word: str


def _is_cased(word: str) -> bool:
    return any(ch.isalpha() and ch.lower() != ch.upper() for ch in word)


def _name_ok(name: str | None, street: str) -> bool:
    """In cased scripts, every street-name word is capitalised or a connector."""
    if not name:
        return True
    if not _is_cased(street) and not _is_cased(name):
        return True
    tokens = [t for t in re.split(r"[\s,،]+", name) if t]
    capitalised = 0
    for token in tokens:
        if token.lower() in _CONNECTORS:
            continue
        if not (token[0].isupper() or token[0].isdigit()):
            return False
        capitalised += 1
    return capitalised > 0


def _accept(m: re.Match[str], pattern: re.Pattern[str]) -> bool:
    name = m.group("name")
    street = m.group("street")
    numword = m.group("numword") if pattern is _BEFORE else None
    if name and not numword:
        *rest, last = re.split(r"[\s,،]+", name)
        if re.fullmatch(_NUMBER_WORD, last + " ", _FLAGS):
            name, numword = " ".join(rest), last
    if not _name_ok(name, street):
        return False
    if pattern is _BEFORE:
        if street in _NEEDS_NUMBER_WORD and not numword:
            return False
        if not name and not numword and street.lower() not in _BARE_OK:
            return False
        if name and not numword and not _is_cased(name) and len(name.split()) > 2:
            return False
    return any(ch.isdigit() for ch in m.group(0))


def find_addresses(text: str) -> list[AddressMatch]:
    """Addresses in ``text`` as spans of the original string (may overlap each other)."""
    out: list[AddressMatch] = []
    for pattern in (_BEFORE, _NUMBER_FIRST, _NAME_FIRST_EN, _NAME_FIRST_TR):
        for m in pattern.finditer(text):
            if not _accept(m, pattern):
                continue
            end = m.end()
            while end > m.start() and text[end - 1] in " ,،\t\n":
                end -= 1
            out.append(AddressMatch(m.start(), end, m.group("street").strip()))
    return out
