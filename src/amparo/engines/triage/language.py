"""Language identification, offline, with py3langid's shipped model.

``detect_language(text)`` returns a :class:`LanguageGuess`: an ISO 639-1 code and a
confidence in 0..1, or ``code=None`` when the text has fewer than
``MIN_LETTERS`` letters or the best guess is below ``min_confidence``.

The model (about 140 languages) loads in about a second, so one identifier is created on
first use and shared. Its tables (about 70 MB) are written once, uncompressed, to a cache
folder (``AMPARO_DATA_DIR/cache``, else ``~/.cache/amparo``) and memory-mapped from there: a
process then holds only the pages a text touches, and the web processes share them through the
page cache, instead of each holding its own copy. Where no cache can be written the model is
loaded into memory as py3langid does. Confidence is py3langid's length-calibrated normalised probability;
regional varieties the model distinguishes (Moroccan and Egyptian Arabic) are summed into
their language before the best guess is taken. Codes with no ISO 639-1 form come back as
the model's three-letter code (``ace``, ``crh``...).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

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
                try:
                    _identifier = _mapped_identifier()
                except Exception:  # an unwritable cache, another py3langid layout
                    from py3langid.langid import MODEL_FILE, LanguageIdentifier

                    _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


_TABLES = ("ptc", "pc", "nextmove", "nextmove_row", "out_feat")


def _cache_dir() -> Path:
    data = os.environ.get("AMPARO_DATA_DIR")
    base = Path(data) / "cache" if data else Path.home() / ".cache" / "amparo"
    import py3langid

    version = getattr(py3langid, "__version__", "0")
    return base / f"py3langid-{version}"


def _write_tables(folder: Path) -> None:
    """The model's tables as ``.npy`` files in ``folder``, written whole or not at all."""
    import tempfile

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(Path(MODEL_DIR) / MODEL_FILE)
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-langid-"))
    arrays = {
        "ptc": np.asarray(ptc),
        "pc": np.asarray(pc),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "nextmove_row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
        "out_feat": np.asarray(output, dtype=np.int32),
    }
    for name, array in arrays.items():
        np.save(tmp / f"{name}.npy", array, allow_pickle=False)
    (tmp / "classes.txt").write_text("\n".join(classes), encoding="utf-8")
    try:
        tmp.rename(folder)
    except OSError:  # another process wrote it first
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def _mapped_identifier():
    """py3langid's identifier over memory-mapped tables (same results as the packed model)."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    folder = _cache_dir()
    if not (folder / "classes.txt").exists():
        _write_tables(folder)
    t = {
        name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _TABLES
    }
    classes = (folder / "classes.txt").read_text(encoding="utf-8").split("\n")
    return LanguageIdentifier(
        t["ptc"],
        np.array(t["pc"]),
        classes,
        memoryview(t["nextmove"]),  # indexed byte by byte: a memoryview returns plain ints
        memoryview(t["out_feat"]),
        norm_probs=True,
        tk_row=t["nextmove_row"].tolist(),
    )


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
