"""BM25 over every stored chunk (bm25s): the exact-word half of hybrid retrieval.

Chroma 1.5.9 has no sparse index outside its cloud ("Sparse vector indexing is not enabled in
local", embedded and `chroma run` alike), so the store stays the one source of truth and this index
is a cache of it, rebuilt when the store's generation token changes (kb.store), which every
process sharing a Chroma server sees the same way.
"""

from __future__ import annotations

import threading

import numpy as np

from kb.store import Store
from kb.text import content_words


class LexicalIndex:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._state = ""
        self._chunk_ids: list[str] = []
        self._owners = np.array([], dtype=str)  # each chunk's article id
        self._bm25: object | None = None

    def search(
        self, question: str, k: int, article_ids: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best `k` chunks sharing a word with the question, of
        the articles `article_ids` if given."""
        words = terms(question)
        if not words or k <= 0:
            return []
        with self._lock:
            self._refresh()
            if self._bm25 is None:
                return []
            scores = self._bm25.get_scores(words)  # type: ignore[attr-defined]
            if article_ids is not None:
                scores = scores * np.isin(self._owners, list(article_ids))
            chunk_ids = self._chunk_ids
        # Top k among the chunks that score at all: a partition over every chunk, most of them
        # tied at zero, took 7 ms at 100k chunks.
        scoring = np.flatnonzero(scores > 0)
        if len(scoring) > k:
            scoring = np.sort(scoring[np.argpartition(scores[scoring], -k)[-k:]])
        best = scoring[np.argsort(-scores[scoring], kind="stable")]
        return [(chunk_ids[row], float(scores[row])) for row in best]

    def _refresh(self) -> None:
        state = self.store.generation()
        if state == self._state:
            return
        import bm25s

        chunk_ids, texts = self.store.chunk_texts()
        self._chunk_ids = chunk_ids
        self._owners = np.array([chunk_id.split(":")[0] for chunk_id in chunk_ids])
        self._bm25 = None
        if chunk_ids:
            bm25 = bm25s.BM25()
            bm25.index([terms(text) or ["\0"] for text in texts], show_progress=False)
            self._bm25 = bm25
        self._state = state


def terms(text: str) -> list[str]:
    """Content words, and the parts of hyphenated ones: "ZORBLAX-7" matches "zorblax" too."""
    words = content_words(text)
    return words + [part for word in words if "-" in word for part in word.split("-") if part]
