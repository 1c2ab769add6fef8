"""Dates and durations in a statement of reasons (part of :mod:`.sor`).

Dates are read in the forms platforms write them: ``2026-03-03``, ``03.03.2026``,
``03/03/2026``, ``03-03-2026`` (day first), ``3 March 2026``, ``March 3, 2026``,
``le 3 mars 2026``, ``3. März 2026``, ``3 de marzo de 2026``, ``3 marca 2026``,
``3 марта 2026 г.``, ``3 Mart 2026``, ``3 مارس 2026`` (also with Arabic-Indic digits).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from babel import Locale

from . import _sor_patterns as P
from ._sor_text import FLAGS, Extracted, Text, appeal, conditional, generic, rx

#: Babel locales whose month names are read; ar_SY adds the Levantine names (آذار, نيسان...).
MONTH_LOCALES = ("en", "fr", "de", "es", "it", "pl", "nl", "ar", "ar_SY", "ru", "tr", "pt")


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    months: dict[str, int] = {}
    for lang in MONTH_LOCALES:
        locale = Locale.parse(lang)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    months.setdefault(name.lower().rstrip("."), number)
    return months


@lru_cache(maxsize=1)
def date_pattern() -> str:
    names = "|".join(sorted((re.escape(n) for n in month_names()), key=len, reverse=True))
    return (
        r"(?<!\d)(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d)|"
        r"(?<!\d)(?P<num>\d{1,2})[./-](?P<nmon>\d{1,2})[./-](?P<nyear>\d{4})(?!\d)|"
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:er|\.|º)?\s+(?:de\s+)?(?P<mon>{names})\.?,?\s+"
        r"(?:de\s+)?(?P<year>\d{4})(?!\d)|"
        rf"\b(?P<mon2>{names})\.?\s+(?P<day2>\d{{1,2}}),?\s+(?P<year2>\d{{4}})(?!\d)"
    )


def to_date(match: re.Match[str]) -> date | None:
    """The date a :func:`date_pattern` match names (``None`` for 31 February)."""
    try:
        if match["iy"]:
            return date(int(match["iy"]), int(match["im"]), int(match["id"]))
        if match["num"]:
            return date(int(match["nyear"]), int(match["nmon"]), int(match["num"]))
        if match["mon"]:
            return date(int(match["year"]), month_names()[match["mon"].lower()], int(match["day"]))
        return date(int(match["year2"]), month_names()[match["mon2"].lower()], int(match["day2"]))
    except (ValueError, KeyError):
        return None


def _until(sentence: str, start: int, end: int) -> bool:
    """The date ends a restriction: "until 10 March", "bis zum", "10 Mart tarihine kadar"."""
    before = sentence[max(0, start - 20) : start]
    return bool(
        rx(rf"\b{P.UNTIL}\s*$").search(before)
        or rx(rf"^\s*{P.UNTIL_AFTER}\b").search(sentence[end : end + 20])
    )


def end_date(doc: Text) -> Extracted[date] | None:
    """The end of the restriction ("suspended until 10 March 2026")."""
    for start, sentence in doc.sentences():
        if appeal(sentence):
            continue  # "you can appeal until ..." is not the measure's end
        for match in rx(date_pattern()).finditer(sentence):
            if _until(sentence, match.start(), match.end()):
                value = to_date(match)
                if value:
                    return doc.extracted(value, start + match.start(), start + match.end())
    return None


def _measure_sentence(sentence: str) -> bool:
    if rx(P.DECISION_WORD).search(sentence):
        return True
    if any(rx(pattern).search(sentence) for pattern in P.VISIBILITY.values()):
        return True
    verbs = f"{P.ACCOUNT_TERMINATED}|{P.ACCOUNT_SUSPENDED}|{P.ACCOUNT_RESTRICTED}"
    return bool(rx(rf"\b(?:{verbs})").search(sentence))


def decision_date(doc: Text) -> Extracted[date] | None:
    """The day the decision was taken (the Transparency Database's ``application_date``).

    A "Date of decision:" label wins; otherwise a date in a sentence that states the measure
    or the decision ("On 3 March 2026, we removed your post", "This decision was made on ..."),
    unless it ends the restriction ("until"), dates the content ("posted on") or sits in a
    warning or the appeal information. Two different such dates: ``None``.
    """
    label = rx(rf"{P.DATE_LABEL}\s*[:：\-–]?\s*(?:{date_pattern()})").search(doc.text)
    if label:
        value = to_date(label)
        if value:
            return doc.extracted(value, label.start(), label.end())
    found: dict[date, Extracted[date]] = {}
    for start, sentence in doc.sentences():
        if appeal(sentence) or generic(sentence) or not _measure_sentence(sentence):
            continue
        for match in rx(date_pattern()).finditer(sentence):
            if _until(sentence, match.start(), match.end()):
                continue
            if rx(P.CONTENT_DATE).search(sentence[max(0, match.start() - 25) : match.start()]):
                continue
            if conditional(sentence, match.start(), match.end()):
                continue
            value = to_date(match)
            if value and value not in found:
                found[value] = doc.extracted(value, start + match.start(), start + match.end())
    return next(iter(found.values())) if len(found) == 1 else None


def _unit_template(unit: str) -> str:
    for template, pattern in P.UNITS.items():
        if re.fullmatch(pattern, unit, FLAGS):
            return template
    return "P{}D"


def duration(doc: Text) -> tuple[Extracted[str] | None, Extracted[bool] | None]:
    """A stated duration as ISO 8601 ("for 7 days": ``P7D``), and "permanently"."""
    found = indefinite = None
    for start, sentence in doc.sentences():
        if appeal(sentence):
            continue  # "you can appeal for 6 months" is not the measure's duration
        match = rx(P.DURATION).search(sentence)
        if match and found is None:
            number, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
            found = doc.extracted(
                _unit_template(unit).format(int(number)), start + match.start(), start + match.end()
            )
        forever = rx(P.INDEFINITE).search(sentence)
        if (
            forever
            and indefinite is None
            and not conditional(sentence, forever.start(), forever.end())
        ):
            indefinite = doc.extracted(True, start + forever.start(), start + forever.end())
    return found, indefinite
