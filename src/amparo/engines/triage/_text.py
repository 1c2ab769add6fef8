"""Folding shared by the keyword matcher and its pattern data.

Texts and patterns pass through the same :func:`fold`, so a pattern written with
``أ``, ``ی``, ``ё`` or ``İ`` also matches the spelling a reporter's keyboard produced
(``ا``, ``ي``, ``е``, ``i``). Folding keeps case (matching is case-insensitive) and
does not preserve offsets: it is used for matching only, never for redaction.
"""

from __future__ import annotations

import unicodedata

_DELETE = dict.fromkeys(
    [
        0x00AD,  # soft hyphen
        0x0640,  # Arabic tatweel
        0x0670,  # superscript alef
        0x200B,  # zero-width space
        0x200C,  # zero-width non-joiner (Persian half-space)
        0x200D,  # zero-width joiner
        0x2060,  # word joiner
        0xFEFF,  # byte-order mark
        *range(0x064B, 0x0660),  # Arabic harakat (tashkil)
    ]
)

_MAP = {
    # Turkish dotted and dotless i: both fold to a plain i.
    "İ": "i",
    "ı": "i",
    # Apostrophes (Ukrainian вб'ю, French quelqu'un).
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    # Russian yo is written as ye by most people.
    "ё": "е",
    "Ё": "Е",
    # Arabic-script letter variants across Arabic, Persian and Urdu keyboards.
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ک": "ك",
    "ہ": "ه",
    "ھ": "ه",
    "ۀ": "ه",
    "ە": "ه",
}
# Arabic-Indic and extended (Persian/Urdu) digits fold to ASCII digits.
_MAP.update({chr(0x0660 + i): str(i) for i in range(10)})
_MAP.update({chr(0x06F0 + i): str(i) for i in range(10)})

_TABLE = {ord(k): v for k, v in _MAP.items()} | _DELETE
# Every fold maps one character to one character or deletes it, so a folded text as long as
# its source had nothing deleted and its characters line up one to one.
_ONE_TO_ONE = all(v is None or len(v) == 1 for v in _TABLE.values())


def fold(text: str) -> str:
    """NFKC, then the character folds above. Not offset-preserving."""
    return unicodedata.normalize("NFKC", text).translate(_TABLE)


def fold_with_source(text: str) -> tuple[str, str, list[int]]:
    """``(nfkc, folded, where)``: ``folded == fold(text)`` and ``where[i]`` is the index in
    ``nfkc`` of the character that produced ``folded[i]``, so that a match found in the
    folded text can be shown as the reporter wrote it (``nfkc[where[a]:where[b - 1] + 1]``).
    """
    nfkc = unicodedata.normalize("NFKC", text)
    folded = nfkc.translate(_TABLE)
    if _ONE_TO_ONE and len(folded) == len(nfkc):
        return nfkc, folded, list(range(len(nfkc)))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(nfkc):
        mapped = ch.translate(_TABLE)
        out.append(mapped)
        where.extend([i] * len(mapped))
    return nfkc, "".join(out), where
