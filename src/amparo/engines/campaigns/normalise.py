"""Text normalisation shared by every detector and by both engines.

Two texts that differ only in Unicode form, case, the URL or account they mention,
invisible characters or spacing normalise to the same string, in any script.
"""

from __future__ import annotations

import numpy as np
import polars as pl

#: Stands in for every URL so that "same text, different short link" stays the same text.
URL_MARK = "\ue000"
#: Stands in for every @mention.
MENTION_MARK = "\ue001"

_URL = r"(?i)\b(?:https?://|www\.)\S+"
_MENTION = r"@[\w.]+"
_INVISIBLE = "[\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]"
_RT_PREFIX = r"^rt\s+" + MENTION_MARK + r"\s*:?\s*"

HASH_SEED = 0x5EED


def normalise_expr(text: pl.Expr) -> pl.Expr:
    """NFKC, lower case, invisible characters removed, URLs and @mentions masked,
    an ``RT @x:`` prefix removed and white space collapsed."""
    e = text.str.normalize("NFKC").str.replace_all(_INVISIBLE, "")
    e = e.str.replace_all(_URL, URL_MARK).str.replace_all(_MENTION, MENTION_MARK)
    e = e.str.to_lowercase()
    # A few letters whose lower case is not their case fold (German sharp s, final sigma).
    e = e.str.replace_many(["\u00df", "\u03c2"], ["ss", "\u03c3"])
    e = e.str.replace(_RT_PREFIX, "")
    # NFKC already turned the exotic spaces into plain ones: runs and tabs/newlines remain.
    return e.str.replace_all(r"\s\s+|[\t\n\r\f\v]", " ").str.strip_chars()


def normalise_texts(texts: pl.Series) -> pl.Series:
    return pl.select(normalise_expr(pl.lit(texts))).to_series().alias("norm")


def text_hashes(norm: pl.Series) -> np.ndarray:
    """64-bit hash of each normalised text (0 for null or empty)."""
    h = norm.hash(seed=HASH_SEED).to_numpy().astype(np.uint64, copy=False)
    empty = (norm.is_null() | (norm.str.len_bytes() == 0)).to_numpy()
    h = h.copy()
    h[empty] = 0
    return h
