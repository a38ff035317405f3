"""Find the passages that answer a question: dense and BM25 rankings fused, links followed, a few
per article.

Reciprocal rank fusion needs no score calibration between the two (a cosine and a BM25 score
mean different things). Multi-hop: articles named in the question, and articles named by the best
ones (kb.links), join the ranking just below the article that names them; among the several an
article names, the ones closest to the question come first. The per-article cap keeps one long
article from filling the context, so a question comparing sources gets each of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from kb.embed import Embedder, Vectors
from kb.lexical import LexicalIndex
from kb.links import Links
from kb.models import Hit
from kb.settings import RetrieveSettings
from kb.store import Store


class Retriever:
    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        lexical: LexicalIndex,
        links: Links,
        settings: RetrieveSettings,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.settings = settings
        self.links = links

    def search(self, question: str, k: int) -> list[Hit]:
        if not question.strip() or k <= 0:
            return []
        vector = self.embedder.embed([question])[0]
        ranked = self._fused(question, vector, max(self.settings.pool, k))
        if self.settings.hops:
            ranked = self._follow_links(question, vector, ranked)
        return cap_per_article(ranked, self.settings.max_chunks_per_article)[:k]

    def _fused(self, question: str, vector: Vectors, pool: int) -> list[Hit]:
        dense = self.store.query(vector, pool)
        if not self.settings.hybrid:
            return dense
        lexical = [chunk_id for chunk_id, _ in self.lexical.search(question, pool)]
        fused = reciprocal_rank_fusion(
            [[hit.chunk_id for hit in dense], lexical], self.settings.rrf_k
        )
        found = {hit.chunk_id: hit for hit in dense}
        found |= {
            hit.chunk_id: hit for hit in self.store.hits([c for c in fused if c not in found])
        }
        return [
            found[chunk_id].model_copy(update={"score": round(score, 5)})
            for chunk_id, score in fused.items()
            if chunk_id in found
        ]

    def _follow_links(self, question: str, vector: Vectors, ranked: list[Hit]) -> list[Hit]:
        """Articles score 1/rank; one named in the question 1 more; one named by an article
        scoring s scores decay * s / n, n its place among what that article names (closest to
        the question first), and one sharing a rare name with it decay * s / (n + 1). Repeated
        `hops` times, so chains of names are walked."""
        by_article: dict[str, list[Hit]] = {}
        for hit in ranked:
            by_article.setdefault(hit.article_id, []).append(hit)
        score = {article_id: 1.0 / rank for rank, article_id in enumerate(by_article, start=1)}
        links = self.links.graph()
        for article_id in links.named_in(question):  # above every article found by words alone
            score[article_id] = 1.0 + score.get(article_id, 0.0)
        for _ in range(self.settings.hops):
            seeds = sorted(score.items(), key=lambda item: -item[1])[: self.settings.hop_seeds]
            named = {seed: links.named_by(seed) for seed, _ in seeds}
            sharing = {seed: links.sharing_names(seed) - named[seed] for seed, _ in seeds}
            closest = self._closest(
                vector, set().union(*named.values(), *sharing.values()), by_article
            )
            for seed, seed_score in seeds:
                # A title named outright leads further than a name both merely mention.
                for linked, first_place in ((named[seed], 1), (sharing[seed], 2)):
                    in_order = [a for a in closest if a in linked]
                    for place, article_id in enumerate(in_order, start=first_place):
                        followed = self.settings.hop_decay * seed_score / place
                        score[article_id] = max(score.get(article_id, 0.0), followed)
        missing = [a for a in score if a not in by_article]
        self._closest(vector, set(missing), by_article)
        order = sorted(
            (a for a in score if a in by_article), key=lambda a: -score[a]
        )  # stable: ties keep the fused order
        # Each article's best passage in that order, then the other passages as fused: a second
        # passage of the first article never pushes the second article out of a short context.
        firsts = [by_article[article_id][0] for article_id in order]
        shown = {hit.chunk_id for hit in firsts}
        merged = firsts + [hit for hit in ranked if hit.chunk_id not in shown]
        # Scores follow this order (as fusion's do): 1 / (rrf_k + rank).
        return [
            hit.model_copy(update={"score": round(1.0 / (self.settings.rrf_k + rank), 5)})
            for rank, hit in enumerate(merged, start=1)
        ]

    def _closest(
        self, vector: Vectors, article_ids: set[str], by_article: dict[str, list[Hit]]
    ) -> list[str]:
        """`article_ids` by their best chunk's similarity to the question; that chunk is recorded
        for the ones the ranking did not have yet."""
        if not article_ids:
            return []
        hits = self.store.best_chunks(vector, sorted(article_ids))  # [] if the store is busy
        order = [hit.article_id for hit in hits]
        for hit in hits:
            if hit.article_id not in by_article:
                by_article[hit.article_id] = [hit]
        return order


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
