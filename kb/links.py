"""Which articles lead to which: the graph that multi-hop questions walk.

"What nationality is the director of film X?" is answered by two articles, and the second one
(the director's) shares no words with the question: it is found through the first. Two kinds of
link, no model, only the corpus itself:

- an article *names* another when its text mentions the other's title as a capitalised phrase
  (without a trailing "(1945 film)" or ", Illinois" qualifier, a leading "The", or accents);
- two articles *share a name* when both mention the same rare capitalised phrase ("Zimbabwe" in a
  river's article and a waterfall's): rare, so that "United States" links nothing.

And a third, asked at query time: the follow-up search a passage suggests (`follow_up`), for the
hop through a name too common to link ("Korea" leads from a vodka to the Olympics held there).

Like the BM25 index, this is derived from the store and kept under its generation (kb.derived).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from kb.store import Store
from kb.text import (
    MONTH_NAMES,
    STOPWORDS,
    WEEKDAYS,
    content_words,
    fold,
    is_title_or_byline,
    sentence_spans,
    stems,
)

_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
_TOKEN = re.compile(r"\w+")
MAX_NAME_WORDS = 8  # longer titles (news headlines) are not quoted as names
_CONNECTORS = frozenset({"of", "de", "del", "der", "van", "von", "da", "di", "du", "la", "le"})
_ARTICLES = ("the ", "a ", "an ")


def name_key(words: list[str]) -> str:
    return _joined([fold(word) for word in words])


def _joined(folded: list[str]) -> str:
    key = " ".join(folded)
    for article in _ARTICLES:
        key = key.removeprefix(article)
    return key


def title_keys(title: str) -> set[str]:
    """How a title is matched: its words without a parenthesised qualifier, and without a comma
    qualifier too ("West Chicago, Illinois" is also "West Chicago"; "Hello, I'm Your Aunt!" is
    not "Hello", nor "The Good, the Bad and the Ugly" "Good")."""
    bare = _QUALIFIER.sub("", title)
    head, comma, tail = bare.partition(",")
    keys = {name_key(_TOKEN.findall(bare))}
    if comma and _qualifies(tail):
        keys.add(name_key(_TOKEN.findall(head)))
    return {
        key
        for key in keys
        if key and len(key.split()) <= MAX_NAME_WORDS and not set(key.split()) <= STOPWORDS
    }


def _qualifies(tail: str) -> bool:
    """What follows a title's comma is a qualifier (a place, a rank, a year: "Illinois", "King of
    Sweden", "Inc.", "1999"): short parts of capitalised words and figures, no "&", "!", "?" or
    apostrophe, which a title's own words have ("New York, Susquehanna & Western Railroad")."""
    if _NOT_IN_A_QUALIFIER.search(tail):
        return False
    parts = [part.split() for part in tail.split(",")]
    return all(
        0 < len(words) <= _QUALIFIER_WORDS
        and all(_capitalised(word) or word in _CONNECTORS for word in words)
        for words in parts
    )


_NOT_IN_A_QUALIFIER = re.compile(r"[&!?'’]")
_QUALIFIER_WORDS = 4


def capitalised_names(text: str) -> Iterator[tuple[int, list[str]]]:
    """(position, words) of each run of capitalised words ("Victoria Falls", "Bank of England"),
    without the stopwords a sentence starts with ("In Zimbabwe" is "Zimbabwe")."""
    run: list[re.Match[str]] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        gap = text[run[-1].end() : match.start()] if run else "."
        adjacent = not gap.strip() and "\n" not in gap  # a line break ends a name too
        if adjacent and (_capitalised(word) or word in _CONNECTORS):
            run.append(match)
            continue
        yield from _trimmed(run)
        run = [match] if _capitalised(word) else []
    yield from _trimmed(run)


class FollowUp(NamedTuple):
    query: str  # "" for none
    # Its names that may title the article it leads to: not the passage's own title ("Africa"
    # leads to no "South Africa"), nor a name of the question's own words ("Dutch").
    titles: list[str]


def follow_up(question: str, title: str, passage: str) -> FollowUp:
    """What to search next once this passage answers part of `question`: the question's words
    the passage does not hold, and the new names in its sentence closest to the question (the
    bridge). "Han Vodka is an 80 proof vodka from Korea…" turns "When were the Olympics last held
    in the country that released Han Vodka?" into "olympics last held country released Korea".
    "" when no sentence shares a word with the question or the closest names nothing new."""
    lacking, bridges = follow_up_terms(question, title, passage)
    own, asked = title_keys(title), stems(question)
    titles = [b for b in bridges if name_key(b.split()) not in own and not stems(b) <= asked]
    return FollowUp(" ".join([*lacking, *bridges]), titles)


def follow_up_terms(question: str, title: str, passage: str) -> tuple[list[str], list[str]]:
    """The two halves of `follow_up`: (the question's words the passage lacks, the bridges)."""
    asked, in_question = _asked(question)
    sentences = [
        passage[start:end]
        for start, end in sentence_spans(passage)
        if not is_title_or_byline(passage[start:end], title)
    ]
    stemmed = [stems(sentence) for sentence in sentences]
    overlap = [len(words & asked) for words in stemmed]
    if not any(overlap):  # the dateline would be taken for the answer
        return [], []
    closest = sentences[overlap.index(max(overlap))]
    names = [_bridge(words) for _, words in capitalised_names(closest)]
    bridges = [" ".join(name) for name in names if name and name_key(name) not in in_question]
    if not bridges:
        return [], []
    held = stems(title).union(*stemmed)
    return [w for w in content_words(question) if stems(w).isdisjoint(held)], bridges


_CALENDAR = frozenset(WEEKDAYS + MONTH_NAMES)


def _bridge(words: list[str]) -> list[str]:
    """The name without the days and months that lead it ("On Wednesday Theresa May told…":
    "Theresa May"); none if it is a date or a count ("6 March 1982", "Wednesday") or an
    initial."""
    while words and words[0].lower() in _CALENDAR:
        words = words[1:]
    if not words or any(word[0].isdigit() for word in words) or not links_something(words):
        return []
    return words


@lru_cache(maxsize=64)
def _asked(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """The question's stems and names: asked of every passage a search follows up."""
    names = {name_key(words) for _, words in capitalised_names(question)}
    return frozenset(stems(question)), frozenset(names)


def links_something(words: list[str]) -> bool:
    """A year links nothing; nor does an initial ("J. Strauss")."""
    return not (len(words) == 1 and (words[0].isdigit() or len(words[0]) == 1))


def _capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit()


def _trimmed(run: list[re.Match[str]]) -> Iterator[tuple[int, list[str]]]:
    """The run without the stopwords and connectors it starts with ("In Zimbabwe") and the
    connectors it ends with; "New" stays when a name follows ("New Jersey" is not "Jersey")."""
    while run and (run[0].group().lower() in STOPWORDS or run[0].group().lower() in _CONNECTORS):
        if run[0].group() == "New" and len(run) > 1:
            break
        run = run[1:]
    while run and run[-1].group() in _CONNECTORS:
        run = run[:-1]
    if run and len(run) <= MAX_NAME_WORDS:
        yield run[0].start(), [m.group() for m in run]


@dataclass(frozen=True)
class LinkGraph:
    """The links between the articles of one state of the store."""

    titled: dict[str, set[str]] = field(default_factory=dict)  # title key -> articles
    first_words: set[str] = field(default_factory=set)  # of the title keys
    named: dict[str, set[str]] = field(default_factory=dict)  # article -> articles it names
    names: dict[str, set[str]] = field(default_factory=dict)  # article -> names it mentions
    mentioned_by: dict[str, set[str]] = field(default_factory=dict)  # name -> articles
    titles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article -> folded words
    title_word: dict[str, set[str]] = field(default_factory=dict)  # folded word -> articles
    # Two-word names that two articles or more use ("Ellis Island", "Red Sea")
    common_pairs: frozenset[str] = frozenset()

    def named_in(self, text: str) -> set[str]:
        """The articles whose title `text` mentions (as a capitalised phrase; a bare number is a
        year or a count far more often than the title "1984"). The longest titles win where
        they overlap ("New York City", not also "New York"), and a one-word title is no
        mention inside a common two-word name ("Ellis" of "Ellis, Kansas" in "Ellis Island")."""
        matches = list(_TOKEN.finditer(text))
        words = [match.group() for match in matches]
        folded = [fold(word) for word in words]
        mentions = []  # (start, end, articles)
        for start, word in enumerate(words):
            if not _capitalised(word) or folded[start] not in self.first_words:
                continue
            for end in range(
                start + 1 + word.isdigit(), min(start + MAX_NAME_WORDS, len(words)) + 1
            ):
                titled = self.titled.get(_joined(folded[start:end]))
                if titled and (end - start > 1 or not self._inside_a_name(text, matches, start)):
                    mentions.append((start, end, titled))
        found: set[str] = set()
        taken: set[int] = set()
        for start, end, titled in sorted(mentions, key=lambda m: (m[0] - m[1], m[0])):
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                found |= titled
        return found

    def _inside_a_name(self, text: str, matches: list[re.Match[str]], at: int) -> bool:
        """The word at `at` and a neighbour make one of the common two-word names."""
        return any(
            pair in self.common_pairs
            for pair in (_name_pair(text, matches, at - 1), _name_pair(text, matches, at))
        )

    def titled_with(self, name: str) -> set[str]:
        """The articles whose title holds `name`, its words in a row: "Korea" is in "South
        Korea at the 1988 Summer Olympics"."""
        words = tuple(fold(word) for word in _TOKEN.findall(name))
        if not words:
            return set()
        return {
            article_id
            for article_id in self.title_word.get(words[0], ())
            if _holds(self.titles[article_id], words)
        }

    def mentioning(self, text: str) -> set[str]:
        """The articles mentioning a rare name `text` gives that titles no article ("Which
        region is Corey Taylor's city of birth in?" when no article is Corey Taylor's): they
        lead to what it asks as an article of that title would."""
        found: set[str] = set()
        for at, words in capitalised_names(text):
            key = name_key(words)
            if not key or not links_something(words) or key in self.titled:
                continue
            if len(words) == 1 and not text[:at].strip():  # "Besides …": a capital to open
                continue
            mentioned = self.mentioned_by.get(key, set())
            if len(mentioned) <= self._rare():
                found |= mentioned
        return found

    def named_by(self, article_id: str) -> set[str]:
        """The articles whose title `article_id`'s text mentions."""
        return self.named.get(article_id, set())

    def sharing_names(self, article_id: str) -> set[str]:
        """The articles mentioning one of the rare names `article_id` mentions: 1% of the
        articles mention it at most, but never fewer than 5 nor more than 20 (a name in 200 of
        20,000 articles is common: it would link each of them to thousands)."""
        found: set[str] = set()
        for name in self.names.get(article_id, ()):
            if len(self.mentioned_by[name]) <= self._rare():
                found |= self.mentioned_by[name]
        return found - {article_id}

    def _rare(self) -> int:
        """How many articles a rare name is in at most (`sharing_names`)."""
        return min(max(5, len(self.named) // 100), 20)


class Links:
    def __init__(self, store: Store) -> None:
        self.store = store

    def graph(self) -> LinkGraph:
        """The links as the store is now (built again only when its articles have changed)."""
        return self.store.cached("links", lambda: _build(self.store))


def _name_pair(text: str, matches: list[re.Match[str]], first: int) -> str:
    """The words at `first` and `first + 1`, folded, when they read as one name: two
    capitalised words, neither a stopword nor a figure, one space apart; else ""."""
    if first < 0 or first + 1 >= len(matches):
        return ""
    pair = matches[first : first + 2]
    if text[pair[0].end() : pair[1].start()] != " " or not all(map(_name_word, pair)):
        return ""
    return " ".join(fold(match.group()) for match in pair)


def _name_word(match: re.Match[str]) -> bool:
    word = match.group()
    return word[0].isupper() and word.lower() not in STOPWORDS


def _holds(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(words[at : at + len(part)] == part for at in range(len(words) - len(part) + 1))


def _build(store: Store) -> LinkGraph:
    titled: defaultdict[str, set[str]] = defaultdict(set)
    title_word: defaultdict[str, set[str]] = defaultdict(set)
    articles = store.committed()
    titles = {a.id: tuple(fold(word) for word in _TOKEN.findall(a.title)) for a in articles}
    for article in articles:
        for key in title_keys(article.title):
            titled[key].add(article.id)
        for word in titles[article.id]:
            title_word[word].add(article.id)
    first_words = {key.split()[0] for key in titled}  # "The Rank ..." is matched from "Rank"
    ids = [article.id for article in articles]
    texts = [article.text or "" for article in articles]
    pairs_used: Counter[str] = Counter()
    for text in texts:
        matches = list(_TOKEN.finditer(text))
        pairs_used.update({_name_pair(text, matches, at) for at in range(len(matches))} - {""})
    by_title = LinkGraph(
        titled=dict(titled),
        first_words=first_words,
        titles=titles,
        title_word=dict(title_word),
        common_pairs=frozenset(pair for pair, used in pairs_used.items() if used >= 2),
    )
    names = {
        article_id: {
            name_key(words) for _, words in capitalised_names(text) if links_something(words)
        }
        - {""}
        for article_id, text in zip(ids, texts, strict=True)
    }
    mentioned_by: defaultdict[str, set[str]] = defaultdict(set)
    for article_id, mentioned in names.items():
        for name in mentioned:
            mentioned_by[name].add(article_id)
    return replace(
        by_title,
        named={
            article_id: by_title.named_in(text) - {article_id}
            for article_id, text in zip(ids, texts, strict=True)
        },
        names=names,
        mentioned_by=dict(mentioned_by),
    )
