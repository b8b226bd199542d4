"""Near-duplicate articles: MinHash over word 3-shingles, with LSH bands to find
candidates.

Two texts are the same story when the estimated Jaccard similarity of their 3-word
shingle sets is at least `THRESHOLD` (0.9): a syndicated story re-published with a new
line or a corrected figure stays above it, different stories on the same topic do not.
The 64-value signature is stored with each document; its 16 bands of 4 values are hashed
into `document_bands` so that candidates are found with one indexed join.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

THRESHOLD = 0.9
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
_WORD = re.compile(r"\w+")
# fixed seeds: signatures must be the same in every run and on every machine
_SEEDS = np.random.default_rng(20261125).integers(0, 2**63, size=PERMUTATIONS,
                                                   dtype=np.uint64)


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a good 64-bit mixing function (wraps modulo 2**64)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _shingles(text: str) -> np.ndarray:
    words = _WORD.findall(text.lower())
    grams = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    return np.array([int.from_bytes(hashlib.blake2b(g.encode(), digest_size=7).digest(), "big")
                     for g in grams], dtype=np.uint64)


def signature(text: str) -> list[int]:
    """64 min-hashes of the text's shingles, each under its own seeded mixing function;
    values are kept below 2**63 so that DuckDB's UBIGINT and Python ints agree."""
    values = _shingles(text)
    with np.errstate(over="ignore"):
        hashed = _mix(values[None, :] ^ _SEEDS[:, None]) >> np.uint64(1)
    return [int(v) for v in hashed.min(axis=1)]


def bands(sig: list[int]) -> list[int]:
    """One 63-bit hash per band of `ROWS` values (LSH)."""
    out = []
    for band in range(BANDS):
        chunk = ",".join(map(str, sig[band * ROWS:(band + 1) * ROWS]))
        out.append(int.from_bytes(hashlib.blake2b(chunk.encode(), digest_size=8).digest(),
                                  "big") >> 1)
    return out


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
