"""Language identification, offline, with py3langid's shipped model.

``detect_language(text)`` returns a :class:`LanguageGuess`: an ISO 639-1 code and a
confidence in 0..1, or ``code=None`` when the text has fewer than
``MIN_LETTERS`` letters or the best guess is below ``min_confidence``.

The model (about 140 languages) loads in about a second, so one identifier is created on
first use and shared. Confidence is py3langid's length-calibrated normalised probability;
regional varieties the model distinguishes (Moroccan and Egyptian Arabic) are summed into
their language before the best guess is taken. Codes with no ISO 639-1 form come back as
the model's three-letter code (``ace``, ``crh``...).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

#: Fewer letters than this and no guess is made.
MIN_LETTERS = 15
#: Below this normalised probability the guess is withheld.
DEFAULT_MIN_CONFIDENCE = 0.5

# py3langid label -> ISO 639-1 (varieties folded into their language).
_FOLD = {
    "ary": "ar",  # Moroccan Arabic
    "arz": "ar",  # Egyptian Arabic
    "uzs": "uz",  # Southern Uzbek (Arabic script)
    "sdh": "ku",  # Southern Kurdish
    "gug": "gn",  # Paraguayan Guarani
    "fuv": "ff",  # Nigerian Fulfulde
    "hbo": "he",  # Ancient Hebrew: modern text misread as old
    "grc": "el",  # Ancient Greek: modern text misread as old
    "wuu": "zh",  # Wu Chinese
    "yue": "zh",  # Cantonese (no ISO 639-1 code of its own)
}
_NO_LANGUAGE = {"zxx", "und"}


@dataclass(frozen=True)
class LanguageGuess:
    code: str | None
    confidence: float


_identifier = None
_lock = threading.Lock()


def _get_identifier():
    """The shared py3langid identifier, created on first use."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def detect_language(text: str, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> LanguageGuess:
    """Best ISO 639-1 guess for ``text`` with a 0..1 confidence, or ``None`` when unsure."""
    if not isinstance(text, str) or _letters(text) < MIN_LETTERS:
        return LanguageGuess(None, 0.0)
    try:
        ranked = _get_identifier().rank(text)
    except Exception:
        return LanguageGuess(None, 0.0)
    totals: dict[str, float] = {}
    for label, prob in ranked:
        code = _FOLD.get(label, label)
        totals[code] = totals.get(code, 0.0) + float(prob)
    if not totals:
        return LanguageGuess(None, 0.0)
    code, confidence = max(totals.items(), key=lambda kv: kv[1])
    confidence = min(1.0, max(0.0, confidence))
    if code in _NO_LANGUAGE or confidence < min_confidence:
        return LanguageGuess(None, confidence)
    return LanguageGuess(code, confidence)
