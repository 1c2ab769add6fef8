"""Near-identical and paraphrased texts: character shingles and content words together.

Character shingles (:mod:`.minhash`) find copies with small edits in any script. A
paraphrase (words swapped, added or dropped, clauses reordered) keeps most of its words
but few of its 5-character shingles, so texts are also compared by their *sets of
content words*: the words of the folded text (:mod:`.fold`), less the words that appear in
more than ``stop_share`` of all distinct texts (the data's own stop words, in any
language). Word sets get the same one-permutation MinHash and LSH as shingles; a pair of
texts is near-identical when its shingle similarity reaches ``threshold`` or its word
similarity reaches ``word_threshold`` (texts with at least ``min_words`` content words);
clusters are the connected components of both kinds of pairs.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from . import _compiled, minhash
from .normalise import HASH_SEED

_LOW32 = np.uint64(0xFFFFFFFF)


def word_table(
    norm: pl.Series, stop_share: float, chunk: int = 200_000
) -> tuple[np.ndarray, np.ndarray, int]:
    """``(doc, token_hash)`` of the distinct content words of each text, sorted by
    document, and the number of stop words dropped. Texts are split a chunk at a time, so
    the words of all texts are never held as strings at once."""
    docs, hashes = [], []
    for start in range(0, norm.len(), chunk):
        words = (
            pl.DataFrame({"norm": norm.slice(start, chunk)})
            .with_row_index("doc", offset=start)
            .select(pl.col("doc").cast(pl.Int64), pl.col("norm").str.split(" ").alias("w"))
            .explode("w")
            .filter(pl.col("w").str.len_chars() >= 2)
            .select("doc", pl.col("w").hash(seed=HASH_SEED).alias("h"))
            .unique(["doc", "h"])
        )
        docs.append(words["doc"].to_numpy())
        hashes.append(words["h"].to_numpy())
    if not docs or sum(len(d) for d in docs) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64), 0
    words = pl.DataFrame({"doc": np.concatenate(docs), "h": np.concatenate(hashes)})
    del docs, hashes
    limit = max(50, int(stop_share * norm.len()))
    df = words.group_by("h").len()
    stop = df.filter(pl.col("len") > limit)["h"]
    kept = words.filter(~pl.col("h").is_in(stop.implode())).sort("doc")
    return kept["doc"].to_numpy(), kept["h"].to_numpy().astype(np.uint64), stop.len()


def word_signatures(doc: np.ndarray, h: np.ndarray, n: int) -> np.ndarray:
    """Bin-major ``(NUM_BINS, n)`` one-permutation MinHash signatures of word sets
    (``doc`` sorted); the compiled kernel and NumPy give the same values."""
    if _compiled.AVAILABLE and not minhash._force_numpy:
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(doc, minlength=n), out=offsets[1:])
        out = np.empty((minhash.NUM_BINS, n), dtype=np.uint32)
        _compiled.set_signatures(offsets, h, out)
        return out
    sig = np.full(minhash.NUM_BINS * n, minhash.EMPTY, dtype=np.uint32)
    if len(h):
        x = minhash._mix64(h.copy())
        idx = (x >> minhash._BIN_SHIFT).astype(np.int64) * n + doc
        np.minimum.at(sig, idx, (x & _LOW32).astype(np.uint32))
    return minhash.densify(sig.reshape(minhash.NUM_BINS, n))


def word_pairs(
    norm: pl.Series, *, threshold: float, min_words: int, stop_share: float
) -> tuple[np.ndarray, dict[str, int]]:
    """Verified ``(i, j)`` pairs of texts whose content-word sets are similar."""
    n = norm.len()
    doc, h, n_stop = word_table(norm, stop_share)
    counts = np.bincount(doc, minlength=n) if n else np.zeros(0, np.int64)
    live = np.nonzero(counts >= min_words)[0]
    stats = {"word_texts": int(live.size), "stop_words": int(n_stop)}
    if live.size < 2:
        return np.zeros((0, 2), np.int64), {**stats, "word_pairs": 0}
    remap = np.full(n, -1, dtype=np.int64)
    remap[live] = np.arange(live.size)
    keep = remap[doc] >= 0
    sig = word_signatures(remap[doc[keep]], h[keep], live.size)
    bands, rows = minhash.choose_bands(threshold)
    cand = minhash.candidate_pairs(minhash.band_keys(sig, bands, rows))
    sim = minhash.pair_similarity(sig, cand, floor=threshold)
    ok = sim >= threshold - 1e-6
    pairs = live[cand[ok]]
    return pairs, {**stats, "word_pairs": int(ok.sum())}


def cluster_keys(
    uniq: pl.DataFrame,
    *,
    threshold: float,
    shingle: int,
    min_chars: int,
    word_threshold: float,
    min_words: int,
    stop_share: float,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """``h -> cluster`` (the smallest ``h`` of its component) over character and word
    pairs. Texts shorter than ``min_chars`` join others only through words, or exactly."""
    h_all = uniq["h"].to_numpy()
    n = len(h_all)
    long_mask = (uniq["norm"].str.len_chars() >= min_chars).to_numpy()
    long_idx = np.nonzero(long_mask)[0]
    sig = minhash.signatures(uniq["norm"].filter(pl.Series(long_mask)), k=shingle)
    _labels, char_pairs, _sim = minhash.near_duplicate_clusters(sig, threshold)
    del sig  # 512 bytes a text: gone before the word signatures are made
    pairs = [long_idx[char_pairs]] if len(char_pairs) else []
    stats = {"unique_texts": n, "hashed_texts": int(long_idx.size), "verified_pairs": 0}
    if word_threshold > 0:
        wp, wstats = word_pairs(
            uniq["norm"], threshold=word_threshold, min_words=min_words, stop_share=stop_share
        )
        stats.update(wstats)
        pairs.append(wp)
    allp = np.concatenate(pairs) if pairs else np.zeros((0, 2), np.int64)
    stats["verified_pairs"] = len(allp)
    labels = minhash.cluster_labels(n, allp)
    smallest = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, labels, h_all)
    return pl.DataFrame({"h": h_all, "cluster": smallest[labels]}), stats
