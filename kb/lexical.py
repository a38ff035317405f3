"""BM25 over every stored chunk (bm25s): the exact-word half of hybrid retrieval.

Chroma 1.5.9 has no sparse index outside its cloud ("Sparse vector indexing is not enabled in
local", embedded and `chroma run` alike), so the store stays the one source of truth and this index
is derived from it, rebuilt when the store's generation token changes (kb.derived), which every
process sharing a Chroma server sees the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from kb.models import chunk_owner
from kb.store import Store
from kb.text import CJK_LETTERS, content_words, fold


@dataclass(frozen=True)
class _Index:
    chunk_ids: list[str]
    owners: np.ndarray  # each chunk's article id
    bm25: Any  # bm25s.BM25, None when the store holds no chunk


class LexicalIndex:
    def __init__(self, store: Store) -> None:
        self.store = store

    def search(
        self, question: str, k: int, article_ids: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best `k` chunks sharing a word with the question, of
        the articles `article_ids` if given."""
        words = terms(question)
        if not words or k <= 0:
            return []
        index = self.store.cached("bm25", self._build)
        if index.bm25 is None:
            return []
        scores = index.bm25.get_scores(words)
        if article_ids is not None:
            scores = scores * np.isin(index.owners, list(article_ids))
        # Top k among the chunks that score at all: a partition over every chunk, most of them
        # tied at zero, took 7 ms at 100k chunks.
        scoring = np.flatnonzero(scores > 0)
        if len(scoring) > k:
            scoring = np.sort(scoring[np.argpartition(scores[scoring], -k)[-k:]])
        best = scoring[np.argsort(-scores[scoring], kind="stable")]
        return [(index.chunk_ids[row], float(scores[row])) for row in best]

    def _build(self) -> _Index:
        import bm25s

        chunk_ids, texts = self.store.chunk_texts()
        owners = np.array([chunk_owner(chunk_id) for chunk_id in chunk_ids])
        if not chunk_ids:
            return _Index(chunk_ids, owners, None)
        bm25 = bm25s.BM25()
        bm25.index([terms(text) or ["\0"] for text in texts], show_progress=False)
        return _Index(chunk_ids, owners, bm25)


def terms(text: str) -> list[str]:
    """Content words without accents, the parts of hyphenated ones ("ZORBLAX-7" matches
    "zorblax" too, "Tekeze" matches "Tekezé"), and each pair of neighbouring characters in
    Chinese, Japanese or Korean, which write no spaces between words: "避難" is found in
    "ラウター川の氾濫で何人が避難しましたか"."""
    words = [fold(word) for word in content_words(text)]
    return (
        words
        + [part for word in words if "-" in word for part in word.split("-") if part]
        + [
            run[i : i + 2]
            for word in words
            for run in _CJK.findall(word)
            for i in range(len(run) - 1)
        ]
    )


_CJK = re.compile(rf"[{CJK_LETTERS}\uac00-\ud7af]{{3,}}")  # and Hangul syllables
