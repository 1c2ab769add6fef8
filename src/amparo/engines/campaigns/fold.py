"""Folding texts for the text signal: what survives homoglyphs, transliteration and
the decorations campaigns add to look organic.

``fold_expr`` turns a text into its *skeleton*:

1. Unicode NFKC and invisible characters removed (as :func:`.normalise.normalise_expr`);
2. URLs, @mentions and #hashtags removed (links and hashtags are co-action keys of their
   own; a smear pointed at different people is the same smear);
3. homoglyphs undone: the text's main script among Latin, Cyrillic and Greek is the one
   with most letters, and every letter of the other two that Unicode lists as confusable
   with a letter of the main script (UTS #39 confusables, :mod:`.confusables`) becomes
   that letter ("Nаvаlny" with a Cyrillic ``а`` becomes "Navalny");
4. lower case, then Cyrillic and Greek transliterated to Latin and Latin diacritics
   dropped, so "Навальный", "Naval'nyj" and "Navalnyi" meet;
5. a phonetic fold of the Latin letters that romanisations spell differently (``kh``
   and ``h``, ``shch`` and ``sch``, ``y`` and ``i``, ``ya`` and ``ia``, double letters);
6. everything that is not a letter, a mark or a digit (emoji, punctuation, symbols)
   becomes a space; spaces collapse.

Scripts other than these three (Arabic, Devanagari, Chinese, ...) keep their letters;
steps 2 and 6 still apply. All of it is Polars string expressions, so it runs in native
code over millions of texts.
"""

from __future__ import annotations

import os

import polars as pl

from .confusables import TO_CYRILLIC, TO_GREEK, TO_LATIN
from .normalise import _INVISIBLE

_URL = r"(?i)\b(?:https?://|www\.)\S+"
_MENTION = r"@[\w.]+"
_HASHTAG = r"#\w+"

#: Transliteration after lower case (one spelling per letter; the fold below merges the
#: variants people type).
TRANSLIT = {
    # Russian, Ukrainian, Belarusian, Serbian, Bulgarian
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ђ": "dj", "е": "e",
    "ё": "e", "є": "e", "ж": "z", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ї": "i",
    "й": "i", "ј": "i", "к": "k", "л": "l", "љ": "li", "м": "m", "н": "n", "њ": "ni",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u", "ў": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s", "щ": "s", "ъ": "",
    "ы": "i", "ь": "", "э": "e", "ю": "u", "я": "a",
    # Greek (after NFKC and lower case; accents are dropped below)
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "t",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "u", "φ": "f", "χ": "h", "ψ": "ps",
    "ω": "o",
}  # fmt: skip

#: Spellings that romanisations of one letter disagree on, longest first.
PHONETIC = [
    ("shch", "s"), ("sch", "s"), ("zh", "z"), ("kh", "h"), ("ch", "c"), ("sh", "s"),
    ("ts", "c"), ("th", "t"), ("ph", "f"), ("ks", "x"), ("ck", "k"), ("yu", "u"),
    ("ya", "a"), ("yo", "e"), ("iu", "u"), ("ia", "a"), ("y", "i"), ("j", "i"), ("w", "v"),
    ("q", "k"),
    *[(c + c, c) for c in "abcdefghiklmnoprstuvxz"],
]  # fmt: skip
DOUBLED = "aeiou"


def _letter_table() -> dict[str, str]:
    """One pass for step 4: every lower-case Latin, Greek or Cyrillic letter with a
    diacritic becomes its base letter, transliterated."""
    import unicodedata

    out: dict[str, str] = {}
    for cp in (*range(0xC0, 0x250), *range(0x370, 0x530), *range(0x1E00, 0x1F00)):
        c = chr(cp)
        if not c.islower():
            continue
        base = "".join(
            ch for ch in unicodedata.normalize("NFD", c) if not 0x300 <= ord(ch) <= 0x36F
        )
        target = "".join(TRANSLIT.get(ch, ch) for ch in base)
        if target != c:
            out[c] = target
    for c, t in TRANSLIT.items():
        out.setdefault(c, t)
    out["\u0131"] = "i"  # Turkish dotless i
    return out


LETTERS = _letter_table()
_NOISE = _URL + "|" + _MENTION + "|" + _HASHTAG
_OTHER_SCRIPTS = r"[\p{Cyrillic}\p{Greek}]"


def _undo_homoglyphs(e: pl.Expr) -> pl.Expr:
    def count(script: str) -> pl.Expr:
        return e.str.count_matches(r"\p{" + script + "}")

    lat, cyr, grk = count("Latin"), count("Cyrillic"), count("Greek")
    return (
        pl.when((cyr > lat) & (cyr >= grk))
        .then(e.str.replace_many(TO_CYRILLIC))
        .when((grk > lat) & (grk > cyr))
        .then(e.str.replace_many(TO_GREEK))
        .otherwise(e.str.replace_many(TO_LATIN))
    )


def fold_texts(texts: pl.Series, chunk: int = 200_000) -> pl.Series:
    """The skeleton of each text (see the module docstring); empty when nothing is left.

    Large inputs are folded in chunks on several threads (Polars releases the GIL)."""
    if texts.len() <= chunk:
        return _fold(texts)
    from concurrent.futures import ThreadPoolExecutor

    parts = [texts.slice(i, chunk) for i in range(0, texts.len(), chunk)]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return pl.concat(list(pool.map(_fold, parts)))


def _fold(texts: pl.Series) -> pl.Series:
    """The homoglyph step (the costly one) runs only on texts that have Cyrillic or Greek
    letters: a text in one other script has nothing to undo."""
    frame = pl.DataFrame({"t": texts.cast(pl.String)})
    e = pl.col("t").str.normalize("NFKC").str.replace_all(_INVISIBLE, "")
    frame = frame.select(e.str.replace_all(_NOISE, " ").alias("t"))
    mixed = frame.select(pl.col("t").str.contains(_OTHER_SCRIPTS).fill_null(False)).to_series()
    if mixed.any():
        idx = mixed.arg_true()
        fixed = frame[idx].select(_undo_homoglyphs(pl.col("t"))).to_series()
        frame = frame.with_columns(frame["t"].scatter(idx, fixed))
    e = pl.col("t").str.to_lowercase().str.replace_many(["\u00df"], ["ss"])
    e = e.str.replace_many(LETTERS).str.replace_all("[\u0300-\u036f\u2019\u02bc']", "")
    e = e.str.replace_all(r"[^\p{L}\p{M}\p{N}]+", " ")
    e = e.str.replace_many([p for p, _ in PHONETIC], [r for _, r in PHONETIC])
    e = e.str.replace_many([c + c for c in DOUBLED], list(DOUBLED))
    return frame.select(e.str.strip_chars().alias("norm")).to_series()
