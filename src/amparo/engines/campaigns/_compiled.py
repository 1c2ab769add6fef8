"""The MinHash kernel compiled with Numba, when Numba is installed.

It computes exactly what :func:`.minhash._chunk_signatures` followed by
:func:`.minhash.densify` compute with NumPy (a test holds them bit for bit equal), about
ten times faster and on every core. Without Numba the NumPy path is used.
"""

from __future__ import annotations

import numpy as np

try:  # pragma: no cover - exercised when numba is installed
    from numba import njit, prange

    AVAILABLE = True
except ImportError:  # pragma: no cover
    AVAILABLE = False

_EMPTY = 0xFFFFFFFF
_BLOCK = 64

if AVAILABLE:

    @njit(cache=True, parallel=True, nogil=True)
    def oph_signatures(data, offsets, k, mults, base, out):  # pragma: no cover - compiled
        """``data``/``offsets``: the UTF-8 bytes and byte offsets of an Arrow string array.
        Characters are coded as in ``minhash._char_codes`` (the bytes of one character
        packed into one integer)."""
        n = offsets.shape[0] - 1
        nb = out.shape[0]
        shift = np.uint64(64 - 7)
        c1 = np.uint64(0xBF58476D1CE4E5B9)
        s29 = np.uint64(29)
        s32 = np.uint64(32)
        low = np.uint64(0xFFFFFFFF)
        golden = np.uint64(0x9E3779B1)
        n_blocks = (n + _BLOCK - 1) // _BLOCK
        longest = 0
        for d in range(n):
            longest = max(longest, offsets[d + 1] - offsets[d])
        for blk in prange(n_blocks):
            sig = np.empty(nb, dtype=np.uint32)
            codes = np.empty(longest + 1, dtype=np.uint32)
            for d in range(blk * _BLOCK, min(n, (blk + 1) * _BLOCK)):
                for b in range(nb):
                    sig[b] = _EMPTY
                # decode: one code per character
                length = 0
                p = offsets[d]
                end = offsets[d + 1]
                while p < end:
                    b0 = np.uint32(data[p])
                    width = 1 + (b0 >= 0xC0) + (b0 >= 0xE0) + (b0 >= 0xF0)
                    code = b0
                    for j in range(1, width):
                        code |= np.uint32(data[p + j]) << np.uint32(8 * j)
                    codes[length] = code
                    length += 1
                    p += width
                if length > 0:
                    if length >= k:
                        # roll the polynomial hash along the text
                        h = np.uint64(0)
                        for j in range(k):
                            h += np.uint64(codes[j]) * mults[j]
                        top = mults[0]
                        for c in range(length - k + 1):
                            x = h
                            x ^= x >> s29
                            x *= c1
                            x ^= x >> s32
                            slot = np.int64(x >> shift)
                            v = np.uint32(x & low)
                            if v < sig[slot]:
                                sig[slot] = v
                            if c + k < length:
                                h = (h - np.uint64(codes[c]) * top) * base + np.uint64(codes[c + k])
                    else:
                        h = np.uint64(0)
                        for j in range(length):
                            h += np.uint64(codes[j]) * mults[j]
                        h ^= h >> s29
                        h *= c1
                        h ^= h >> s32
                        slot = np.int64(h >> shift)
                        v = np.uint32(h & low)
                        if v < sig[slot]:
                            sig[slot] = v
                    first = -1
                    for b in range(nb):
                        if sig[b] != _EMPTY:
                            first = b
                            break
                    if first >= 0:
                        nxt = first + nb
                        for j in range(nb - 1, -1, -1):
                            if sig[j] != _EMPTY:
                                nxt = j
                            else:
                                donor = nxt % nb
                                dist = np.uint64(nxt - j)
                                sig[j] = np.uint32((np.uint64(sig[donor]) + dist * golden) & low)
                for b in range(nb):
                    out[b, d] = sig[b]


if AVAILABLE:

    @njit(cache=True, parallel=True, nogil=True)
    def set_signatures(offsets, hashes, out):  # pragma: no cover - compiled
        """One-permutation signatures of sets of 64-bit hashes (``hashes[offsets[d]:
        offsets[d + 1]]`` is the set of document ``d``), densified by rotation exactly as
        ``minhash.densify`` does; the hashes are mixed as ``minhash._mix64`` mixes them."""
        n = offsets.shape[0] - 1
        nb = out.shape[0]
        shift = np.uint64(64 - 7)
        c1 = np.uint64(0xBF58476D1CE4E5B9)
        s29 = np.uint64(29)
        s32 = np.uint64(32)
        low = np.uint64(0xFFFFFFFF)
        golden = np.uint64(0x9E3779B1)
        n_blocks = (n + _BLOCK - 1) // _BLOCK
        for blk in prange(n_blocks):
            sig = np.empty(nb, dtype=np.uint32)
            for d in range(blk * _BLOCK, min(n, (blk + 1) * _BLOCK)):
                for b in range(nb):
                    sig[b] = _EMPTY
                for i in range(offsets[d], offsets[d + 1]):
                    x = hashes[i]
                    x ^= x >> s29
                    x *= c1
                    x ^= x >> s32
                    slot = np.int64(x >> shift)
                    v = np.uint32(x & low)
                    if v < sig[slot]:
                        sig[slot] = v
                first = -1
                for b in range(nb):
                    if sig[b] != _EMPTY:
                        first = b
                        break
                if first >= 0:
                    nxt = first + nb
                    for j in range(nb - 1, -1, -1):
                        if sig[j] != _EMPTY:
                            nxt = j
                        else:
                            donor = nxt % nb
                            dist = np.uint64(nxt - j)
                            sig[j] = np.uint32((np.uint64(sig[donor]) + dist * golden) & low)
                for b in range(nb):
                    out[b, d] = sig[b]
