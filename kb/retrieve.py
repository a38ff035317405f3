"""Find the passages that answer a question: dense and BM25 rankings fused, a few per article.

Reciprocal rank fusion needs no score calibration between the two (a cosine and a BM25 score
mean different things); the per-article cap keeps one long article from filling the context, so
a question comparing sources gets each of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from kb.embed import Embedder
from kb.lexical import LexicalIndex
from kb.models import Hit
from kb.settings import RetrieveSettings
from kb.store import Store


class Retriever:
    def __init__(
        self, store: Store, embedder: Embedder, lexical: LexicalIndex, settings: RetrieveSettings
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.settings = settings

    def search(self, question: str, k: int) -> list[Hit]:
        if not question.strip() or k <= 0:
            return []
        pool = max(self.settings.pool, k)
        dense = self.store.query(self.embedder.embed([question])[0], pool)
        if not self.settings.hybrid:
            return cap_per_article(dense, self.settings.max_chunks_per_article)[:k]
        lexical = [chunk_id for chunk_id, _ in self.lexical.search(question, pool)]
        fused = reciprocal_rank_fusion(
            [[hit.chunk_id for hit in dense], lexical], self.settings.rrf_k
        )
        found = {hit.chunk_id: hit for hit in dense}
        found |= {
            hit.chunk_id: hit for hit in self.store.hits([c for c in fused if c not in found])
        }
        ranked = [
            found[chunk_id].model_copy(update={"score": round(score, 5)})
            for chunk_id, score in fused.items()
            if chunk_id in found
        ]
        return cap_per_article(ranked, self.settings.max_chunks_per_article)[:k]


def reciprocal_rank_fusion(rankings: list[list[str]], k: int) -> dict[str, float]:
    """Each item scores sum(1 / (k + rank)) over the rankings it is in; best first."""
    scores: defaultdict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (k + rank)
    return dict(sorted(scores.items(), key=lambda item: -item[1]))


def cap_per_article(hits: list[Hit], cap: int) -> list[Hit]:
    seen: Counter[str] = Counter()
    kept = []
    for hit in hits:
        seen[hit.article_id] += 1
        if seen[hit.article_id] <= cap:
            kept.append(hit)
    return kept
