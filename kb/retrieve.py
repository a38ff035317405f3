"""Find the passages that answer a question: dense and BM25 rankings fused, links followed, a few
per article.

Reciprocal rank fusion needs no score calibration between the two (a cosine and a BM25 score
mean different things). Multi-hop: articles named in the question, and articles named by the best
ones (kb.links), join the ranking just below the article that names them; among the several an
article names, the ones closest to the question come first. The per-article cap keeps one long
article from filling the context, so a question comparing sources gets each of them.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable

from kb.constraints import (
    is_asking_word,
    is_date_word,
    name_acronyms,
    name_forms,
    question_names,
    searched_words,
    word_forms,
    written_by,
)
from kb.conversation import (
    ASKS_WHY,
    argument_marks,
    asks_why_of_a_view,
    gives_reason,
    tells_trouble,
)
from kb.embed import Embedder, Vectors
from kb.lexical import LexicalIndex
from kb.links import LinkGraph, Links, follow_up
from kb.models import Filters, Hit, chunk_owner
from kb.settings import RetrieveSettings
from kb.store import Store
from kb.text import fold, sentence_spans, stems, table_cells, table_start, topic_words


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

    def search(self, question: str, k: int, filters: Filters | None = None) -> list[Hit]:
        """The best passages for `question` (its words: kb.constraints.searched_words), only
        from articles `filters` allows."""
        question = searched_words(question)
        if not question.strip() or k <= 0:
            return []
        vector = self.embedder.embed([question])[0]
        with self.store.pinned():  # one state of the store for the whole search
            allowed = None
            if filters:
                allowed = {a.id for a in self.store.committed() if filters.allows(a)}
                if not allowed:
                    return []
            ranked = self._fused(question, vector, max(self.settings.pool, k), allowed)
            if self.settings.hops:
                ranked = self._follow_links(question, vector, ranked, k, allowed)
            found = cap_per_article(ranked, self.settings.max_chunks_per_article)[:k]
            return [self._from_table_start(hit) for hit in found]

    def _from_table_start(self, hit: Hit) -> Hit:
        """A passage that opens inside a table, from the line introducing the table and its
        header row on ("Financial highlights", "Metric | Q3 2026 | Q3 2025"): a row alone
        ("Gross margin | 54.2% | 51.0%") does not say which column is which year. Read back
        through the chunk before it only: a passage grows by one chunk's length at most, and
        one inside a longer table stays as it was."""
        if not hit.start or not table_cells(hit.text.split("\n", 1)[0]):
            return hit
        before = [c for c in self.store.chunks(hit.article_id) if c.start < hit.start <= c.end]
        if not before:
            return hit
        chunk = min(before, key=lambda c: c.start)
        text = chunk.text[: hit.start - chunk.start] + hit.text
        table = table_start(text, hit.start - chunk.start, opens_article=not chunk.start)
        if table is None:
            return hit
        start = chunk.start + table.introduced
        return hit.model_copy(update={"start": start, "text": text[table.introduced :]})

    def _fused(
        self, question: str, vector: Vectors, pool: int, allowed: set[str] | None
    ) -> list[Hit]:
        dense = self.store.query(vector, pool, allowed)
        if not self.settings.hybrid:
            return dense
        # "Spanish" is searched as "España" and "Spain" too: an article in Spanish writes no
        # "Spanish" (kb.constraints.name_forms).
        countries = [form for name in question_names(question) for form in name_forms(name)[1:]]
        worded = " ".join([question, *countries])
        lexical = [chunk_id for chunk_id, _ in self.lexical.search(worded, pool, allowed)]
        rankings = [[hit.chunk_id for hit in dense], lexical]
        fused = reciprocal_rank_fusion(rankings, self.settings.rrf_k)
        found = {hit.chunk_id: hit for hit in dense}
        found |= {
            hit.chunk_id: hit for hit in self.store.hits([c for c in fused if c not in found])
        }
        pool_found = [found[c] for c in fused if c in found]
        # Further rankings, fused as the other two are.
        # Holding every word or name asked tells passages apart only when few do: "Millbrook",
        # in half of them, put "One man died. Walter Brandt, 71, …" out of the first eight.
        singling_out = [
            ranking
            for ranking in (
                holding_the_question(question, pool_found),
                naming_the_question(question, pool_found),
            )
            if len(ranking) * _FEW <= len(pool_found)
        ]
        by_them = self._written_by_those_asked(question, pool_found)
        found |= {
            hit.chunk_id: hit for hit in self.store.hits([c for c in by_them if c not in found])
        }
        more = [giving_reasons_for(question, pool_found), *singling_out, by_them]
        if any(more):
            fused = reciprocal_rank_fusion([*rankings, *filter(None, more)], self.settings.rrf_k)
        return [
            found[chunk_id].model_copy(update={"score": round(score, 5)})
            for chunk_id, score in fused.items()
            if chunk_id in found
        ]

    def _written_by_those_asked(self, question: str, passages: list[Hit]) -> list[str]:
        """For a question asking why someone takes a stance ("Why is Martin Kell skeptical of
        the trial?"), the chunk ids of every article among the `passages`' that is their own
        writing (kb.constraints.written_by), in order: their arguments are there, in passages
        that need not name them ("But a 14% relative reduction sounds very different …" was in
        none found)."""
        names = [name for name in question_names(question) if " " in name]  # a person's
        if not names or not asks_why_of_a_view(question):
            return []
        theirs = []
        for article_id in dict.fromkeys(passage.article_id for passage in passages):
            article = self.store.article(article_id, with_text=True)
            if article and any(written_by(article, name) for name in names):
                theirs += self.store.chunks(article_id)
        # Those arguing most first: their sentences making three marks of an argument or more
        # (kb.conversation.argument_marks: "I worked it out: you would need to treat about 83").
        return [chunk.id for chunk in sorted(theirs, key=lambda chunk: -_arguments_in(chunk.text))]

    def _follow_links(
        self,
        question: str,
        vector: Vectors,
        ranked: list[Hit],
        k: int,
        allowed: set[str] | None,
    ) -> list[Hit]:
        """Articles score 1/rank; one named in the question 1 more; one named by an article
        scoring s scores decay * s / n, n its place among what that article names (closest to
        the question, by the article's mean vector, first); one sharing a rare name with it, or
        found by the follow-up search it suggests (kb.links.follow_up), decay * s / (n + 1).
        Repeated `hops` times, so chains of names are walked."""
        by_article: dict[str, list[Hit]] = {}
        for hit in ranked:
            by_article.setdefault(hit.article_id, []).append(hit)
        score = {article_id: 1.0 / rank for rank, article_id in enumerate(by_article, start=1)}
        links = self.links.graph()

        def kept(article_ids: set[str]) -> set[str]:
            return article_ids if allowed is None else article_ids & allowed

        # An article the question names ranks above every article found by words alone.
        for article_id in kept(links.named_in(question)):
            score[article_id] = 1.0 + score.get(article_id, 0.0)
        decay = self.settings.hop_decay
        # The few articles mentioning a name the question gives that titles none are reached as
        # if the question were a seed of score 1 naming them.
        mentioning = kept(links.mentioning(question))
        for place, article_id in enumerate(self.store.closest_articles(vector, mentioning), 1):
            score[article_id] = max(score.get(article_id, 0.0), decay / place)
        followed: dict[str, list[str]] = {}  # article -> what its follow-up search found
        unranked_passages: dict[str, Hit] = {}  # read for a follow-up, kept for the end
        for hop in range(self.settings.hops):
            seeds = heapq.nlargest(self.settings.hop_seeds, score.items(), key=lambda i: i[1])
            if self.settings.follow_ups and hop == 0:  # later hops: no gain measured, 7 ms more
                first = [seed for seed, _ in seeds]
                unranked = [seed for seed in first if seed not in by_article]  # named in it
                unranked_passages = {
                    hit.article_id: hit for hit in self.store.best_chunks(vector, unranked)
                }
                passages = {seed: by_article[seed][0] for seed in first if seed in by_article}
                followed = self._follow_ups(question, passages | unranked_passages, allowed, links)
            named = {seed: kept(links.named_by(seed)) for seed, _ in seeds}
            sharing = {seed: kept(links.sharing_names(seed)) - named[seed] for seed, _ in seeds}
            closest = self.store.closest_articles(
                vector, set().union(*named.values(), *sharing.values())
            )
            place_of = {article_id: place for place, article_id in enumerate(closest)}
            # Scores only grow, so what scores below today's k-th never reaches the first k.
            floor = min(heapq.nlargest(k, score.values())) if len(score) >= k else 0.0
            for seed, seed_score in seeds:
                reach = int(decay * seed_score / floor) if floor else None  # None: all
                # A title named outright leads further than a name both merely mention, or than
                # a follow-up search.
                leads = (
                    (_nearest(named[seed], reach, place_of), 1),
                    (_nearest(sharing[seed], reach, place_of), 2),
                    (followed.get(seed, [])[:reach], 2),
                )
                for linked, first_place in leads:
                    for place, article_id in enumerate(linked, start=first_place):
                        reached = decay * seed_score / place
                        score[article_id] = max(score.get(article_id, 0.0), reached)
        # Only the first k articles can be shown: they need their passage nearest the question.
        shown = heapq.nlargest(k, score, key=score.__getitem__)
        missing = sorted(a for a in shown if a not in by_article)
        read = [unranked_passages[a] for a in missing if a in unranked_passages]
        unread = [a for a in missing if a not in unranked_passages]
        for hit in [*read, *self.store.best_chunks(vector, unread)]:  # [] if the store is busy
            by_article[hit.article_id] = [hit]
        return promote_linked(ranked, by_article, {a: score[a] for a in score if a in by_article})

    def _follow_ups(
        self,
        question: str,
        passages: dict[str, Hit],
        allowed: set[str] | None,
        links: LinkGraph,
    ) -> dict[str, list[str]]:
        """The articles the follow-up search of each article's passage finds, best first
        (kb.links.follow_up): its best-ranked one, or the one nearest the question if it was not
        ranked; those titled with a name it followed first ("Korea": South Korea at the
        Olympics). A passage, not the whole article: a book-length article would cost a
        second."""
        found = {}
        for article_id, passage in passages.items():
            query, titles = follow_up(question, passage.title, passage.text)
            chunks = self.lexical.search(query, self.settings.pool, allowed) if query else []
            owners = dict.fromkeys(chunk_owner(chunk_id) for chunk_id, _ in chunks)
            titled = set().union(*map(links.titled_with, titles))
            ranked = [owner for owner in owners if owner != article_id]
            found[article_id] = sorted(ranked, key=lambda owner: owner not in titled)
        return found


_FEW = 4  # a ranking of what more than a quarter of the passages found hold singles none out


def giving_reasons_for(question: str, passages: list[Hit]) -> list[str]:
    """For a question asking why, the chunk ids of the `passages` (in their order) with a
    sentence that gives a reason (kb.conversation.gives_reason) and writes a word of what is
    asked, in some form: "The Nijmegen cuts … were a separate decision, caused by the end of
    production of older 200-millimetre wafers" for "Why is Norvane cutting jobs?", a passage
    ranked tenth by meaning and fifteenth by words, below every passage telling of the cuts.
    The words written small in the question: a name ("Norvane") is in every passage on it,
    whatever reason a sentence gives ("… warned about rising inventory after the October
    results")."""
    if not ASKS_WHY.match(question):
        return []
    asked = stems(" ".join(word for word in question.split() if not word[:1].isupper()))

    def giving(passage: Hit, gives: Callable[[str], bool]) -> bool:
        return any(
            gives(sentence) and bool(asked & stems(sentence))
            for start, end in sentence_spans(passage.text)
            for sentence in [passage.text[start:end]]
        )

    # A reason given in so many words first, then a fault told (kb.conversation.tells_trouble:
    # "engineers warned that the section was deteriorating"), which many passages tell.
    reasons = [passage.chunk_id for passage in passages if giving(passage, gives_reason)]
    troubles = [passage.chunk_id for passage in passages if giving(passage, tells_trouble)]
    return list(dict.fromkeys(reasons + troubles))


_STRONG_ARGUMENT = 3  # marks of an argument: a figure, a judgement and the writer's "I"


def _arguments_in(text: str) -> int:
    """How many of `text`'s sentences argue strongly (`_STRONG_ARGUMENT` marks or more)."""
    return sum(
        argument_marks(text[start:end]) >= _STRONG_ARGUMENT for start, end in sentence_spans(text)
    )


def holding_the_question(question: str, passages: list[Hit]) -> list[str]:
    """The chunk ids of the `passages` (in their order) whose title and text write every word
    the question asks of, each in some form (kb.constraints.word_forms): "The trial enrolled
    14,212 patients." for "How many patients were enrolled in the ORBIT-Lp trial?", which BM25
    ranked below passages writing "ORBIT-Lp" (three terms to it: the name and its two parts),
    and meaning below leads retelling the trial. None for a question asking of fewer than two
    words, which every passage on its subject holds."""
    words = [
        word
        for word in topic_words(question)
        if not is_asking_word(word) and not is_date_word(word)
    ]
    if len(words) < 2:
        return []
    forms = [stems(" ".join(word_forms(word))) for word in words]
    holding = []
    for passage in passages:
        said = stems(f"{passage.title}\n{passage.text}")
        if all(any(held.startswith(form) for form in each for held in said) for each in forms):
            holding.append(passage.chunk_id)
    return holding


def naming_the_question(question: str, passages: list[Hit]) -> list[str]:
    """The chunk ids of the `passages` (in their order) that name every name the question
    does, one at least only in another form: a people's by its country ("En España
    participaron 1.100 pacientes" for "How many Spanish patients took part?", an article
    neither meaning nor words ranked among the first eight), an acronym by the name it spells
    ("FDA": "US Food and Drug Administration"). A passage writing every name as asked is
    left to the word ranking, which finds it: ranked here too, the passages naming a
    multi-hop question's subject crowded out the next hop's (MuSiQue all@8 0.77 -> 0.74)."""
    names = question_names(question)
    return [
        passage.chunk_id
        for passage in passages
        if names
        and all(_names(f"{passage.title}\n{passage.text}", name) for name in names)
        and not all(_writes(f"{passage.title}\n{passage.text}", name) for name in names)
    ]


def _names(text: str, name: str) -> bool:
    """Whether `text` writes `name` or a form of it (kb.constraints.name_forms), without
    minding case or accents, or, for an acronym, a name whose capitals it is."""
    return any(_writes(text, form) for form in name_forms(name)) or (
        name.isupper() and name in name_acronyms(text)
    )


def _writes(text: str, name: str) -> bool:
    """Whether `text` writes `name` as a word, without minding case or accents."""
    return bool(re.search(rf"(?<![\w-]){re.escape(fold(name))}(?![\w-])", fold(text)))


def _nearest(linked: set[str], reach: int | None, place_of: dict[str, int]) -> list[str]:
    in_reach = len(linked) if reach is None else reach
    return heapq.nsmallest(in_reach, (a for a in linked if a in place_of), key=place_of.__getitem__)


def promote_linked(
    ranked: list[Hit], by_article: dict[str, list[Hit]], score: dict[str, float]
) -> list[Hit]:
    """The fused passages, with the best passage of each article that links scored above its
    fused 1/rank moved right after the best passage of the article now just above it (to the top
    if none), taking that passage's score. Every other passage keeps its fused place and score:
    an article no link points to never displaces what the words found."""
    fused = {a: rank for rank, a in enumerate(dict.fromkeys(h.article_id for h in ranked), 1)}
    lifted = {a for a in score if a not in fused or score[a] > 1 / fused[a]}
    order = sorted((a for a in score if a in by_article), key=lambda a: -score[a])  # stable
    moved = {
        by_article[article_id][0].chunk_id for article_id in lifted if article_id in by_article
    }
    result = [hit for hit in ranked if hit.chunk_id not in moved]
    for place, article_id in enumerate(order):  # in order: a chain lands namer, named, named...
        if article_id not in lifted:
            continue
        at = 0
        if place:
            above = by_article[order[place - 1]][0].chunk_id
            at = 1 + next(i for i, hit in enumerate(result) if hit.chunk_id == above)
        score_above = result[at - 1].score if at else ranked[0].score if ranked else 0.0
        result.insert(at, by_article[article_id][0].model_copy(update={"score": score_above}))
    return result


def reciprocal_rank_fusion(rankings: list[list[str]], k: int) -> dict[str, float]:
    """Each item scores sum(1 / (k + rank)) over the rankings it is in; best first."""
    scores: defaultdict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (k + rank)
    return dict(sorted(scores.items(), key=lambda item: -item[1]))


def fuse(rankings: list[list[Hit]], k: int, settings: RetrieveSettings) -> list[Hit]:
    """Several searches' passages as one ranking: fused by reciprocal rank, capped per article."""
    hits = {hit.chunk_id: hit for ranking in reversed(rankings) for hit in ranking}
    fused = reciprocal_rank_fusion([[h.chunk_id for h in r] for r in rankings], settings.rrf_k)
    ranked = [
        hits[chunk_id].model_copy(update={"score": score}) for chunk_id, score in fused.items()
    ]
    return cap_per_article(ranked, settings.max_chunks_per_article)[:k]


def cap_per_article(hits: list[Hit], cap: int) -> list[Hit]:
    seen: Counter[str] = Counter()
    kept = []
    for hit in hits:
        seen[hit.article_id] += 1
        if seen[hit.article_id] <= cap:
            kept.append(hit)
    return kept
