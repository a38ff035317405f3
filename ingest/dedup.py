"""Near-duplicates: the same story syndicated with small edits, found by MinHash over word shingles.

Exact copies share an article id (kb.pipeline); near ones are separate articles linked to each
other, so the user sees them and nothing is silently dropped.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS = 64
THRESHOLD = 0.5  # estimated Jaccard similarity of the shingle sets (5-word shingles)
# Universal hashing (a*x + b) mod p with a prime just above 2**32: for 32-bit shingle hashes x,
# a below 2**31 and b below 2**32, a*x + b < 2**64, so uint64 arithmetic never wraps.
_PRIME = np.uint64(4294967311)
_rng = np.random.default_rng(20261128)
_A = _rng.integers(1, 1 << 31, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, PERMUTATIONS, dtype=np.uint64)


def signature(text: str) -> list[int]:
    """The MinHash of the text's word 5-grams (lower-cased)."""
    words = re.findall(r"\w+", text.lower())
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - 4))}
    hashes = np.array(
        [
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "big")
            for s in shingles
        ],
        dtype=np.uint64,
    )
    return [int(v) for v in ((np.outer(hashes, _A) + _B) % _PRIME).min(axis=0)]


def similarity(first: list[int], second: list[int]) -> float:
    return float(np.mean(np.asarray(first) == np.asarray(second)))


class NearDuplicates:
    """The signatures of the stored articles, kept in memory for a batch as one matrix: a new
    article is compared with all of them in one vectorised step (a loop over pairs took minutes
    at a few thousand articles)."""

    def __init__(self, signatures: dict[str, list[int]]) -> None:
        self._rows = np.zeros((max(64, 2 * len(signatures)), PERMUTATIONS), dtype=np.uint64)
        self._ids: list[str | None] = []  # None: the row of a removed article
        self._row_of: dict[str, int] = {}
        for article_id, sig in signatures.items():
            self.add(article_id, sig)

    def matches(self, article_id: str, sig: list[int]) -> list[tuple[str, float]]:
        """Stored articles similar to `sig`, most similar first."""
        scores = (self._rows[: len(self._ids)] == np.asarray(sig, dtype=np.uint64)).mean(axis=1)
        found = [
            (other, float(scores[row]))
            for row in np.flatnonzero(scores >= THRESHOLD)
            if (other := self._ids[row]) is not None and other != article_id
        ]
        return sorted(found, key=lambda f: -f[1])

    def add(self, article_id: str, sig: list[int]) -> None:
        row = self._row_of.get(article_id)
        if row is None:
            row = self._row_of[article_id] = len(self._ids)
            self._ids.append(article_id)
            if row == len(self._rows):
                self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
        self._rows[row] = sig

    def remove(self, article_id: str) -> None:
        row = self._row_of.pop(article_id, None)
        if row is not None:
            self._ids[row] = None
