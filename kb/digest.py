"""A digest of several articles on one story: an overview, what the sources agree on, where they
differ, and a dated timeline; every statement cited to sentences of the articles.

Offline, the sentences of all the articles are embedded together. A statement that two or more
articles make in close words is agreed (quoted from the article that says it most centrally); a
salient sentence that no other source comes near is that source's own; sentences that name a day
(and each article's opening, at its own date) make the timeline. With an LLM, the model writes
the digest over the articles' abstracts and numbered candidate sentences (map: the per-article
summaries; reduce: one call), and every statement is checked against the sentences it cites.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from kb.constraints import MONTHS
from kb.embed import Embedder
from kb.llm import ChatModel, complete_json
from kb.models import Article, Citation, Digest, DigestPoint
from kb.prompts import DIGEST_SCHEMA, PROMPT_VERSION, digest_messages
from kb.summarize import article_sentences
from kb.support import supported
from kb.text import WEEKDAYS, content_words

DIGEST_TOKENS = 1700  # the longest reply DIGEST_SCHEMA allows (24 statements)
SAME = 0.7  # cosine above which two sentences of different articles say the same thing
DISTINCT = 0.5  # below which no sentence of another source comes near
MAX_SENTENCES = 80  # per article: digests read openings and bodies, not endless tails
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Month names written with a capital, so that "will march 5 miles" names no day.
_MONTH = "|".join(sorted((name.title() for name in MONTHS), key=len, reverse=True))
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}}))?")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({_MONTH})\b(?:,? (\d{{4}}))?")
_WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"\b(yesterday|today)\b", re.IGNORECASE)
_AHEAD = re.compile(  # a day named just after these words is to come, not past
    r"\b(will|would|shall|due|plans?|planned|scheduled|expected|next)\b", re.IGNORECASE
)


@dataclass
class _Sentence:
    article: Article
    position: int  # within its article
    start: int
    end: int
    text: str
    day: str  # the day it names (resolved against the article's date; an opening: that date)


class _Pool:
    """Every candidate sentence of the articles, their vectors and their salience. With a
    `query`, only the articles that speak to it (at most `max_articles`), most relevant first."""

    def __init__(
        self,
        articles: Sequence[Article],
        embedder: Embedder,
        query: str = "",
        max_articles: int = 12,
    ) -> None:
        sentences: list[_Sentence] = []
        for article in articles:
            text = article.text or ""
            published = _iso_day(article.date)
            spans = article_sentences(article, text)[0][:MAX_SENTENCES]
            for position, (start, end) in enumerate(spans):
                words = text[start:end]
                day = days_named(words, published)
                if not day and position == 0 and published:  # an opening tells its own day
                    day = published.isoformat()
                sentences.append(_Sentence(article, position, start, end, words, day))
        extra = [*(a.title for a in articles), query] if query else []
        vectors = embedder.embed([*(s.text for s in sentences), *extra])
        self.articles = list(articles)
        if query:
            vectors, titles, asked = (
                vectors[: len(sentences)],
                vectors[len(sentences) : -1],
                vectors[-1],
            )
            self.articles = _relevant(articles, sentences, vectors @ asked, titles @ asked)
            self.articles = self.articles[:max_articles]
            keep = [i for i, s in enumerate(sentences) if s.article in self.articles]
            sentences, vectors = [sentences[i] for i in keep], vectors[keep]
        self.sentences = sentences
        self.words = [set(content_words(s.text)) for s in sentences]
        self.owner = np.array([self.articles.index(s.article) for s in sentences], dtype=int)
        self.similar = vectors @ vectors.T
        self.salience = np.zeros(len(sentences))
        for number in range(len(self.articles)):
            rows = np.flatnonzero(self.owner == number)
            if not len(rows):
                continue
            centroid = vectors[rows].mean(axis=0)
            centrality = vectors[rows] @ (centroid / (np.linalg.norm(centroid) or 1.0))
            lead = 1.0 / (1.0 + np.arange(len(rows)) / 4.0)
            self.salience[rows] = 0.6 * centrality + 0.4 * lead
        if query:
            self.salience = 0.5 * self.salience + 0.5 * (vectors @ asked)

    def same(self, one: int, other: int) -> bool:
        """Two sentences saying the same thing: close in meaning, and sharing several words and
        a good part of the shorter one's (sentences on one topic, or with the same dateline, are
        close in meaning without stating the same fact)."""
        shared = len(self.words[one] & self.words[other])
        shorter = min(len(self.words[one]), len(self.words[other]))
        return bool(self.similar[one, other] >= SAME and shared >= max(4, 0.4 * shorter))

    def source(self, index: int) -> str:
        article = self.sentences[index].article
        return article.source or article.title

    def closest_in(self, index: int, article: int) -> int:
        """The sentence of `article` closest to sentence `index` (-1 if it has none)."""
        rows = np.flatnonzero(self.owner == article)
        return int(rows[np.argmax(self.similar[index, rows])]) if len(rows) else -1


def _relevant(
    articles: Sequence[Article],
    sentences: list[_Sentence],
    closeness: np.ndarray,
    title_closeness: np.ndarray,
) -> list[Article]:
    """The articles that speak to the query, most relevant first: each scored by its title's
    closeness or its three closest sentences' (whichever is higher), kept when within reach of
    the best one (60% of its score)."""
    scores = []
    for number, article in enumerate(articles):
        mine = np.sort([closeness[i] for i, s in enumerate(sentences) if s.article is article])
        scores.append(max(float(mine[-3:].mean()) if len(mine) else 0.0, title_closeness[number]))
    best = max(scores, default=0.0)
    ranked = sorted(range(len(articles)), key=lambda n: -scores[n])
    return [articles[n] for n in ranked if scores[n] >= max(0.6 * best, 0.2)]


def extractive_digest(
    articles: Sequence[Article],
    embedder: Embedder,
    scope: str,
    query: str = "",
    max_articles: int = 12,
) -> Digest:
    """`articles` with their text."""
    pool = _Pool(articles, embedder, query, max_articles)
    cited: list[int] = []  # sentence indexes, in order of first citation

    def point(indexes: Sequence[int], **extra: str) -> DigestPoint:
        for index in indexes:
            if index not in cited:
                cited.append(index)
        numbers = sorted({cited.index(i) + 1 for i in indexes})
        return DigestPoint(text=pool.sentences[indexes[0]].text, cites=numbers, **extra)

    if not pool.sentences:
        return _nothing(scope, query)
    overview = [point([i]) for i in _overview(pool)]
    agreed = [point(group) for group in _agreed(pool)]
    differences = [point([i], source=pool.source(i)) for i in _differences(pool)]
    timeline = [point(group, date=pool.sentences[group[0]].day) for group in _timeline(pool)]
    return Digest(
        scope=scope,
        mode="extractive",
        created_at=_now(),
        article_ids=[a.id for a in pool.articles],
        overview=overview,
        agreed=agreed,
        differences=differences,
        timeline=timeline,
        citations=[_citation(n, pool.sentences[i]) for n, i in enumerate(cited, start=1)],
        notice=_notice(pool),
    )


def empty_digest(scope: str, notice: str) -> Digest:
    return Digest(scope=scope, mode="extractive", created_at=_now(), notice=notice)


def _nothing(scope: str, query: str) -> Digest:
    if query:
        return empty_digest(scope, f"No article in scope speaks to “{query}”.")
    return empty_digest(scope, "These articles have no text.")


def _overview(pool: _Pool, words: int = 130) -> list[int]:
    """Salient sentences, favouring what several articles say, without repeats (MMR), up to a
    word budget; in reading order (article by article, oldest first)."""
    articles = len(pool.articles)
    echoed = np.zeros(len(pool.sentences))
    if articles > 1:
        for number in range(articles):
            others = pool.owner != number
            mine = np.flatnonzero(pool.owner == number)
            echoed[mine] = (pool.similar[np.ix_(mine, np.flatnonzero(others))] >= SAME).sum(1)
        echoed = np.minimum(echoed, articles - 1) / (articles - 1)
    score = pool.salience + 0.3 * echoed
    chosen: list[int] = []
    total = 0
    while total < words and len(chosen) < len(pool.sentences):
        redundancy = pool.similar[:, chosen].max(axis=1) if chosen else 0.0
        marginal = 0.7 * score - 0.3 * redundancy
        marginal[chosen] = -np.inf
        best = int(np.argmax(marginal))
        chosen.append(best)
        total += len(pool.sentences[best].text.split())
    return sorted(chosen, key=lambda i: _reading_order(pool, i))


def _agreed(pool: _Pool, limit: int = 5) -> list[list[int]]:
    """Groups of sentences from two or more articles saying the same thing, the most widely
    and centrally said first; each group led by its most salient sentence."""
    groups: list[list[int]] = []
    for seed in np.argsort(-pool.salience)[:200]:
        group = [int(seed)]
        for article in range(len(pool.articles)):
            if article != pool.owner[seed]:
                match = pool.closest_in(int(seed), article)
                if match >= 0 and pool.same(int(seed), match):
                    group.append(match)
        if len(group) > 1:
            groups.append(group)
    groups.sort(key=lambda g: (-len({pool.source(i) for i in g}), -len(g), -pool.salience[g[0]]))
    chosen: list[list[int]] = []
    used: set[int] = set()
    for group in groups:
        if used.isdisjoint(group) and not any(pool.same(group[0], c[0]) for c in chosen):
            chosen.append(group)
            used.update(group)
        if len(chosen) == limit:
            break
    return chosen


def _differences(pool: _Pool, per_source: int = 2) -> list[int]:
    """Per source, its most salient sentences that no other source comes near."""
    sources = sorted({pool.source(i) for i in range(len(pool.sentences))})
    if len(sources) < 2:
        return []
    chosen: list[int] = []
    for source in sources:
        mine = [i for i in range(len(pool.sentences)) if pool.source(i) == source]
        others = [i for i in range(len(pool.sentences)) if pool.source(i) != source]
        own: list[int] = []
        for index in sorted(mine, key=lambda i: -pool.salience[i]):
            if pool.similar[index, others].max() < DISTINCT and all(
                pool.similar[index, o] < SAME for o in own
            ):
                own.append(index)
            if len(own) == per_source:
                break
        chosen += own
    return chosen


def _timeline(pool: _Pool, limit: int = 10) -> list[list[int]]:
    """Dated events, oldest first: sentences naming a day, and each article's opening at its
    date; the same event told by several articles is one entry citing them all."""
    dated = [i for i, sentence in enumerate(pool.sentences) if sentence.day]
    events: list[list[int]] = []
    for i in sorted(dated, key=lambda i: -pool.salience[i]):
        same = next(
            (
                event
                for event in events
                if pool.sentences[event[0]].day == pool.sentences[i].day and pool.same(i, event[0])
            ),
            None,
        )
        if same is None:
            events.append([i])
        elif pool.owner[i] not in {pool.owner[j] for j in same}:
            same.append(i)
    events = events[:limit]
    return sorted(events, key=lambda e: (pool.sentences[e[0]].day, _reading_order(pool, e[0])))


def _reading_order(pool: _Pool, index: int) -> tuple[str, int, int]:
    sentence = pool.sentences[index]
    return (sentence.article.date, int(pool.owner[index]), sentence.position)


def _notice(pool: _Pool) -> str:
    sources = {pool.source(i) for i in range(len(pool.sentences))}
    if len(pool.articles) == 1:
        return "Only one article is in scope: nothing to compare it with."
    if len(sources) == 1:
        return "All these articles come from one source: no differences between sources."
    return ""


def _citation(number: int, sentence: _Sentence) -> Citation:
    return Citation(
        n=number,
        article_id=sentence.article.id,
        title=sentence.article.title,
        source=sentence.article.source,
        date=sentence.article.date,
        chunk_id="",
        start=sentence.start,
        end=sentence.end,
        quote=sentence.text,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _ahead(sentence: str, start: int) -> bool:
    """Whether the few words before a day named at `start` say it is to come ("will meet on")."""
    return bool(_AHEAD.search(" ".join(sentence[:start].split()[-6:])))


def days_named(sentence: str, published: date | None) -> str:
    """The first day `sentence` names, as YYYY-MM-DD: a written date; a month and day, in the year
    of `published` (or the year before, if that would be over a week after it and nothing says
    it is to come); or, with none written, against `published`, "yesterday", "today" or a weekday
    (the latest on or before it; the next, after "will", "due"...). Impossible dates are passed
    over."""
    found: list[tuple[int, str]] = []
    for match in _ISO_DAY.finditer(sentence):
        if day := _iso_day(match.group()):
            found.append((match.start(), day.isoformat()))
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        for match in pattern.finditer(sentence):
            year = int(match[3]) if match[3] else (published.year if published else 0)
            ahead = _ahead(sentence, match.start())
            try:
                day = date(year, MONTHS[match[month_group].lower()], int(match[day_group]))
                if not match[3] and published and not ahead and day > published + timedelta(7):
                    day = day.replace(year=year - 1)
            except ValueError:  # no year to read it in, February 30, or a 29 February moved
                continue
            found.append((match.start(), day.isoformat()))
    if published is not None and not found:  # a date written out beats "on Monday" beside it
        for match in _RELATIVE_DAY.finditer(sentence):
            back = 1 if match[1].lower() == "yesterday" else 0
            found.append((match.start(), (published - timedelta(days=back)).isoformat()))
        for match in _WEEKDAY.finditer(sentence):
            weekday = WEEKDAYS.index(match[1].lower())
            if _ahead(sentence, match.start()):
                day = published + timedelta(days=(weekday - published.weekday()) % 7)
            else:
                day = published - timedelta(days=(published.weekday() - weekday) % 7)
            found.append((match.start(), day.isoformat()))
    return min(found)[1] if found else ""


# --- LLM mode -----------------------------------------------------------------------------------
def llm_digest(
    articles: Sequence[Article],
    abstract_of: Callable[[Article], str],
    embedder: Embedder,
    llm: ChatModel,
    scope: str,
    query: str = "",
    max_articles: int = 12,
    budget_chars: int = 8000,
) -> Digest:
    """The model's digest over the abstracts (`abstract_of`, asked only for the articles kept)
    and the offline digest's candidate sentences (numbered), every statement checked against the
    sentences it cites. Raises LLMError when nothing usable comes back."""
    pool = _Pool(articles, embedder, query, max_articles)
    if not pool.sentences:
        return _nothing(scope, query)
    # The abstracts and the sentences share one request's budget (the model's context): the
    # abstracts get at most a third of it.
    each = max(150, budget_chars // 3 // len(pool.articles))
    abstracts = [_clipped(abstract_of(article), each) for article in pool.articles]
    candidates = _candidates(pool, max(2000, budget_chars - sum(map(len, abstracts))))
    messages = digest_messages(
        [(a.title, a.source, a.date, abstract) for a, abstract in zip(pool.articles, abstracts)],
        [(pool.articles.index(pool.sentences[i].article) + 1, pool.sentences[i].text)
         for i in candidates],
    )  # fmt: skip

    def parse(data: dict[str, Any]) -> Digest:
        return _digest_from_json(data, pool, candidates, embedder, llm.name, scope)

    return complete_json(llm, messages, DIGEST_SCHEMA, parse, "digest", DIGEST_TOKENS)


def _clipped(text: str, chars: int) -> str:
    """At most `chars` characters, cut at a word."""
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + "…"


def _candidates(pool: _Pool, budget_chars: int) -> list[int]:
    """What the offline digest would cite, then the most salient rest, within the budget."""
    ranked = [
        *_overview(pool),
        *(i for group in _agreed(pool) for i in group),
        *_differences(pool),
        *(i for group in _timeline(pool) for i in group),
        *np.argsort(-pool.salience).tolist(),
    ]
    chosen: list[int] = []
    size = 0
    for index in dict.fromkeys(int(i) for i in ranked):
        size += len(pool.sentences[index].text) + 8
        if size > budget_chars:
            break
        chosen.append(index)
    return sorted(chosen, key=lambda i: (int(pool.owner[i]), pool.sentences[i].position))


def _digest_from_json(
    data: dict[str, Any],
    pool: _Pool,
    candidates: list[int],
    embedder: Embedder,
    model: str,
    scope: str,
) -> Digest:
    drafts: dict[str, list[tuple[str, list[int], str, str]]] = {}
    for key in ("overview", "agreed", "differences", "timeline"):
        drafts[key] = []
        for item in data.get(key, [])[:10]:
            numbers = [n for n in item.get("sentences", []) if isinstance(n, int)]
            indexes = [candidates[n - 1] for n in numbers if 1 <= n <= len(candidates)]
            drafts[key].append(
                (str(item["text"]).strip(), indexes, str(item.get("source", "")),
                 str(item.get("date", ""))[:10])
            )  # fmt: skip
    flat = [draft for key in drafts for draft in drafts[key]]
    verdicts = supported(
        [(text, " ".join(pool.sentences[i].text for i in indexes)) for text, indexes, *_ in flat],
        embedder,
    )
    kept = {id(draft) for draft, ok in zip(flat, verdicts) if ok and draft[0]}
    if not kept:
        raise ValueError("no statement rests on the sentences it cites")
    cited: list[int] = []
    points: dict[str, list[DigestPoint]] = {key: [] for key in drafts}
    for key, items in drafts.items():
        for draft in items:
            if id(draft) not in kept:
                continue
            text, indexes, source, day = draft
            if key == "agreed" and len({pool.source(i) for i in indexes}) < 2:
                key_for = "overview"  # one source's word is no agreement
            else:
                key_for = key
            if key == "differences":  # whose view it is: the sources it cites say
                sources = [pool.source(i) for i in indexes]
                source = next((s for s in sources if s.casefold() == source.casefold()), sources[0])
            if key == "timeline":  # a real date, else the one its sentences name or carry
                named = [pool.sentences[i].day or pool.sentences[i].article.date for i in indexes]
                day = next((d[:10] for d in [day, *named] if _iso_day(d)), "")
                if not day:
                    continue
            cited += [i for i in indexes if i not in cited]
            numbers = sorted({cited.index(i) + 1 for i in indexes})
            points[key_for].append(
                DigestPoint(text=text, cites=numbers, source=source if key == "differences" else "",
                            date=day if key == "timeline" else "")
            )  # fmt: skip
    points["timeline"].sort(key=lambda p: p.date)
    return Digest(
        scope=scope,
        mode="llm",
        model=model,
        prompt_version=PROMPT_VERSION,
        created_at=_now(),
        article_ids=[a.id for a in pool.articles],
        citations=[_citation(n, pool.sentences[i]) for n, i in enumerate(cited, start=1)],
        faithfulness=round(len(kept) / len(flat), 3),
        notice=_notice(pool),
        **points,
    )
