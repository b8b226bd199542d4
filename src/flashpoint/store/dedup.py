"""Near-duplicate articles: 64-bit SimHash over word 3-shingles.

Two texts are the same story when their fingerprints differ in at most
`MAX_DISTANCE` of 64 bits (similarity = 1 - distance / 64 >= 0.9). A syndicated story
with a new headline or a corrected figure stays within that distance; different stories
on the same topic do not.
"""

from __future__ import annotations

import hashlib
import re

MAX_DISTANCE = 6  # bits of 64: similarity at least 0.906
_WORD = re.compile(r"\w+")


def simhash(text: str) -> int:
    """The 64-bit SimHash of a text's word 3-shingles (lower-cased)."""
    words = _WORD.findall(text.lower())
    shingles = [" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))]
    weights = [0] * 64
    for shingle in shingles:
        value = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def similarity(a: int, b: int) -> float:
    return 1 - distance(a, b) / 64
