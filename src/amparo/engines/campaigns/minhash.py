"""Vectorised MinHash signatures, LSH banding and near-identical text clusters.

Signatures use one-permutation hashing (Li, Owen & Zhang 2012) with rotation
densification (Shrivastava & Li 2014): every character shingle is hashed once to 64
bits, the top bits pick one of ``NUM_BINS`` bins and the low 32 bits compete for that
bin's minimum. This gives the same collision property as ``NUM_BINS`` independent
permutations (P[bin equal] = Jaccard similarity of the shingle sets) at the cost of one
hash per shingle, which NumPy can do for a million texts in about a second. Everything
here is a pure function of the normalised text, so the Spark engine calls the same
functions inside its tasks and gets the same signatures.
"""

from __future__ import annotations

import functools
import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl
import pyarrow as pa

from . import _compiled

NUM_BINS = 128
_BIN_SHIFT = np.uint64(64 - 7)  # log2(NUM_BINS) = 7
EMPTY = np.uint32(0xFFFFFFFF)
#: Base of the polynomial shingle hash: shingle c..c+k-1 hashes to
#: sum(code[c + j] * BASE ** (k - 1 - j)) mod 2**64, which the compiled kernel rolls along.
BASE = 0x9E3779B97F4A7C15


def powers(k: int) -> np.ndarray:
    """``BASE ** (k - 1 - j) mod 2**64`` for ``j`` in ``0..k-1``."""
    return np.array([pow(BASE, k - 1 - j, 1 << 64) for j in range(k)], dtype=np.uint64)


_DOC_CHUNK = 20_000
#: Tests set this to compare the NumPy path with the compiled one.
_force_numpy = False


def _mix64(h: np.ndarray) -> np.ndarray:
    """Finaliser, in place: one xor-shift and one odd multiply spread the low input bits
    into the top bits (which pick the bin) and the middle bits (which compete in it)."""
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(32)
    return h


def _char_codes(arr: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray]:
    """One uint64 code per character, straight from the UTF-8 bytes of an Arrow array
    (a character's 1-4 bytes packed into one integer: injective, no decoding into
    Python strings), and each text's ``[start, end)`` in characters."""
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + n + 1]
    data_buf = arr.buffers()[2]
    lo, hi = int(offsets[0]), int(offsets[-1])
    if data_buf is None or hi == lo:
        return np.zeros(0, dtype=np.uint32), np.zeros(n + 1, dtype=np.int64)
    raw = np.frombuffer(data_buf, dtype=np.uint8)[lo:hi]
    lead = (raw & 0xC0) != 0x80
    bounds = np.zeros(len(raw) + 1, dtype=np.int64)
    np.cumsum(lead, out=bounds[1:])
    char_bounds = bounds[offsets - lo]
    pos = np.flatnonzero(lead)
    padded = np.concatenate([raw, np.zeros(3, dtype=np.uint8)])
    b0 = raw[pos]
    codes = b0.astype(np.uint32)
    if (b0 >= 0xC0).any():
        width = 1 + (b0 >= 0xC0).astype(np.int8) + (b0 >= 0xE0) + (b0 >= 0xF0)
        for j in (1, 2, 3):
            more = padded[pos + j].astype(np.uint32) << np.uint32(8 * j)
            codes |= np.where(width > j, more, np.uint32(0))
    return codes, char_bounds


def _chunk_signatures(arr: pa.LargeStringArray, k: int) -> np.ndarray:
    """Bin-major ``(NUM_BINS, n)`` one-permutation signatures of one chunk, not densified."""
    n = len(arr)
    sig = np.full(NUM_BINS * n, EMPTY, dtype=np.uint32)
    codes, bounds = _char_codes(arr)
    m = len(codes)
    if m == 0 or n == 0:
        return sig.reshape(NUM_BINS, n)
    starts, ends = bounds[:-1], bounds[1:]
    lengths = ends - starts
    padded = np.concatenate([codes, np.zeros(k, dtype=np.uint32)])
    mults = powers(k)
    h = padded[:m] * mults[0]
    for j in range(1, k):
        h += padded[j : j + m] * mults[j]
    # A text shorter than k characters is one shingle: its characters, zero-padded.
    short = np.nonzero((lengths > 0) & (lengths < k))[0]
    if short.size:
        hs = np.zeros(short.size, dtype=np.uint64)
        for j in range(k):
            inside = j < lengths[short]
            hs += np.where(inside, padded[starts[short] + j], np.uint32(0)) * mults[j]
        h[starts[short]] = hs
    _mix64(h)
    # Shingle starts: every c with c + k <= end of its text, or a short text's first char.
    counts = np.where(lengths >= k, lengths - k + 1, (lengths > 0).astype(np.int64))
    doc = np.repeat(np.arange(n, dtype=np.int64), counts)
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    hv = h[np.arange(len(doc), dtype=np.int64) + shift]
    idx = (hv >> _BIN_SHIFT).astype(np.int64) * n + doc
    np.minimum.at(sig, idx, hv.astype(np.uint32))
    return sig.reshape(NUM_BINS, n)


def densify(sig_t: np.ndarray) -> np.ndarray:
    """Fill empty bins from the next non-empty bin to the right (circular), offset by the
    distance, so that two documents only agree there when they agree at the donor.

    Takes and returns bin-major ``(NUM_BINS, n)`` arrays: the scans run down the bins, one
    contiguous row of documents at a time.
    """
    empty = sig_t == EMPTY
    if not empty.any():
        return sig_t
    b = sig_t.shape[0]
    big = np.int16(4 * b)
    col = np.arange(b, dtype=np.int16)[:, None]
    nxt = np.where(empty, big, col)
    nxt = np.minimum.accumulate(nxt[::-1], axis=0)[::-1]
    first = nxt[0]
    np.minimum(nxt, first[None, :] + np.int16(b), out=nxt)
    live = first < big
    donor = (nxt & np.int16(b - 1)).astype(np.intp)
    dist = (nxt - col).astype(np.uint32)
    filled = np.take_along_axis(sig_t, donor, axis=0) + dist * np.uint32(0x9E3779B1)
    return np.where(empty & live[None, :], filled, sig_t)


def _as_large_strings(texts: pl.Series | pa.Array | list[str]) -> pa.LargeStringArray:
    if isinstance(texts, pl.Series):
        arr = texts.to_arrow()
    elif isinstance(texts, pa.ChunkedArray):
        arr = texts.combine_chunks()
    elif isinstance(texts, pa.Array):
        arr = texts
    else:
        arr = pa.array(list(texts), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def signatures(texts: pl.Series | list[str], k: int = 5) -> np.ndarray:
    """Bin-major ``(NUM_BINS, n)`` uint32 MinHash signatures of normalised texts
    (character k-shingles): column ``i`` is the signature of text ``i``.

    A text shorter than ``k`` characters is one shingle; an empty text is all ``EMPTY``.
    Bin-major keeps every later scan (bands, similarity) on contiguous rows.
    """
    arr = _as_large_strings(texts)
    out = np.empty((NUM_BINS, len(arr)), dtype=np.uint32)
    if _compiled.AVAILABLE and not _force_numpy:
        n = len(arr)
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + n + 1]
        data_buf = arr.buffers()[2]
        data = (
            np.frombuffer(data_buf, dtype=np.uint8)
            if data_buf is not None
            else np.zeros(0, dtype=np.uint8)
        )
        _compiled.oph_signatures(data, offsets, k, powers(k), np.uint64(BASE), out)
        return out

    def one(i: int) -> None:
        chunk = arr.slice(i, _DOC_CHUNK)
        out[:, i : i + _DOC_CHUNK] = densify(_chunk_signatures(chunk, k))

    # NumPy releases the GIL inside its loops, so chunks overlap on several cores.
    workers = min(os.cpu_count() or 1, 4)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(0, len(arr), _DOC_CHUNK)))
    return out


@functools.cache
def choose_bands(
    threshold: float, num_bins: int = NUM_BINS, fp_weight: float = 0.3, fn_weight: float = 0.7
) -> tuple[int, int]:
    """``(bands, rows)`` minimising the weighted areas of false candidates (similarity
    below ``threshold``) and missed pairs (above it) under the LSH S-curve, as
    datasketch does, but leaning towards recall: verification removes false candidates,
    nothing brings back a missed pair."""
    grid = np.linspace(0.0, 1.0, 401)
    best, best_cost = (num_bins, 1), math.inf
    for rows in range(1, num_bins + 1):
        for bands in range(1, num_bins // rows + 1):
            p = 1.0 - (1.0 - grid**rows) ** bands
            fp = np.trapezoid(np.where(grid < threshold, p, 0.0), grid)
            fn = np.trapezoid(np.where(grid >= threshold, 1.0 - p, 0.0), grid)
            cost = float(fp_weight * fp + fn_weight * fn)
            if cost < best_cost - 1e-12:
                best, best_cost = (bands, rows), cost
    return best


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``(n, bands)`` uint64 keys of bin-major signatures; equal key in a band = equal
    rows in that band.

    Band ``i`` takes bins ``i, i + bands, i + 2 * bands, ...``, not a run of neighbouring
    bins: densification copies a value into a run of empty bins, and a band made of one
    such run would match on a single shared shingle.
    """
    n = sig.shape[1]
    acc = np.empty((n, bands), dtype=np.uint64)
    a = np.empty(n, dtype=np.uint64)
    for i in range(bands):
        a.fill((i + 1) * 0x9E3779B97F4A7C15 % (1 << 64))
        for j in range(i, bands * rows, bands):
            a ^= sig[j]
            a *= np.uint64(0xFF51AFD7ED558CCD)
            a ^= a >> np.uint64(29)
        acc[:, i] = a
    return acc


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """Unique ``(lo, hi)`` document pairs that share a bucket in some band.

    A counting pass over the low bits of the keys finds the few documents that may
    share a bucket; only those are sorted. Inside a bucket each member is paired with
    the bucket's first member and with its neighbour, never with all other members, so a
    bucket of m texts costs 2m pairs and connected components still see the whole bucket
    when the pairs verify.
    """
    n, bands = keys.shape
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    bits = int(min(26, max(16, math.ceil(math.log2(n)) + 3)))
    mask = np.uint64((1 << bits) - 1)
    docs, ks = [], []
    for i in range(bands):
        col = keys[:, i]
        slot = (col & mask).astype(np.intp)
        counts = np.bincount(slot, minlength=1 << bits)
        maybe = np.nonzero(counts[slot] > 1)[0]
        docs.append(maybe)
        ks.append(col[maybe] ^ np.uint64(i))
    doc = np.concatenate(docs)
    k = np.concatenate(ks)
    if doc.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((doc, k))
    k, doc = k[order], doc[order]
    same = k[1:] == k[:-1]
    starts = np.concatenate(([True], ~same))
    leader_pos = np.maximum.accumulate(np.where(starts, np.arange(k.size), 0))
    a = np.concatenate([doc[:-1][same], doc[leader_pos][~starts]])
    b = np.concatenate([doc[1:][same], doc[~starts]])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    code = np.sort(lo[keep] * np.int64(n) + hi[keep])
    code = code[np.concatenate(([True], code[1:] != code[:-1]))] if code.size else code
    return np.stack([code // n, code % n], axis=1)


def pair_similarity(
    sig: np.ndarray, pairs: np.ndarray, floor: float = 0.0, chunk: int = 100_000
) -> np.ndarray:
    """Estimated Jaccard similarity (share of equal bins) of each pair (bin-major ``sig``).

    With ``floor`` > 0, pairs whose first 32 bins already put them far below it (more
    than three standard errors) are reported as 0 without reading the other bins.
    """
    out = np.zeros(len(pairs), dtype=np.float32)
    head = 32
    for i in range(0, len(pairs), chunk):
        p = pairs[i : i + chunk]
        if floor > 0:
            quick = (sig[:head, p[:, 0]] == sig[:head, p[:, 1]]).mean(axis=0)
            live = np.nonzero(quick >= floor - 0.27)[0]
            q = p[live]
            out[i + live] = (sig[:, q[:, 0]] == sig[:, q[:, 1]]).mean(axis=0)
        else:
            out[i : i + chunk] = (sig[:, p[:, 0]] == sig[:, p[:, 1]]).mean(axis=0)
    return out


def cluster_labels(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected-component label per document (the smallest member index of its component)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    import igraph as ig

    graph = ig.Graph(n=n, edges=np.asarray(pairs, dtype=np.int64).reshape(-1, 2).tolist())
    comp = np.asarray(graph.connected_components().membership, dtype=np.int64)
    smallest = np.full(comp.max() + 1, n, dtype=np.int64)
    np.minimum.at(smallest, comp, np.arange(n, dtype=np.int64))
    return smallest[comp]


def near_duplicate_clusters(
    sig: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster texts whose estimated similarity reaches ``threshold``.

    Returns ``(labels, pairs, similarity)``: a label per text and the verified pairs that
    joined them (the evidence). Empty texts stay alone.
    """
    n = sig.shape[1]
    bands, rows = choose_bands(threshold)
    # After densification a text has either no empty bin or only empty bins.
    blank = sig[0] == EMPTY
    if blank.any():
        live = np.nonzero(~blank)[0]
        pairs = live[candidate_pairs(band_keys(sig[:, live], bands, rows))]
    else:
        pairs = candidate_pairs(band_keys(sig, bands, rows))
    sim = pair_similarity(sig, pairs, floor=threshold)
    ok = sim >= threshold - 1e-6
    pairs, sim = pairs[ok], sim[ok]
    return cluster_labels(n, pairs), pairs, sim


def expected_error(num_bins: int = NUM_BINS) -> float:
    """Standard error of a similarity estimate near 0.5 (for the docs)."""
    return math.sqrt(0.25 / num_bins)
