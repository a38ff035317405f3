"""Constraints a question states about its articles: who published them and when.

"What did Regional Wire report about the levee?" is about one source's articles; "What was
reported on 2026-04-02?", "in April", "last week", "before May 2026", "between March 14 and
March 21, 2026" are about articles of those
dates. Only names of sources the knowledge base holds count as sources, written with their capitals
("the Ledger" names The Millbrook Ledger; "the independent review" names no source) unless the
articles never write the word in lower case ("the ledger" then names it too), and "the
other sources" are the ones the question does not name. A date is about articles
only when the question speaks of coverage ("reported", "published", "articles", "news"...) or is
relative ("last week"), or is a range of days ("What happened between March 14 and March
21?": no passage says it in words, so it can only choose articles): "the film shot in 1986" and
"What happened on March 14?" (searched for as words; later articles may report it) are about
events. "Before the Verge article" is
about the dates before that source's article. And a date constraint that
would leave no article at all is dropped: a question is never filtered into silence by a
misreading. One that only the user's own date filters rule out ("in April" with --until March)
is kept: the search then covers no day, rather than answering for other dates unsaid.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import suppress
from datetime import date, timedelta
from functools import lru_cache, partial
from itertools import pairwise
from typing import NamedTuple

import lemminflect
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from kb.links import capitalised_names
from kb.models import Article, Filters
from kb.text import (
    MONTH_NAMES,
    OUTLET_NAME,
    WEEKDAYS,
    content_words,
    fold,
    iso_day,
    language_by_function_words,
    stems,
    word_kinds,
)

# Month names, their three-letter forms ("jan", "sep") and "sept", to their number.
MONTHS = {name[:length]: n for length in (None, 3) for n, name in enumerate(MONTH_NAMES, 1)}
MONTHS["sept"] = 9
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
CAPITAL_MONTH_PATTERN = "|".join(sorted((name.title() for name in MONTHS), key=len, reverse=True))
ORDINAL = r"(?:st|nd|rd|th)?"  # "March 18th"
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}}){ORDINAL}(?: of)? ({MONTH_PATTERN})\.?,? (\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({MONTH_PATTERN})\.? (\d{{1,2}}){ORDINAL},? (\d{{4}})\b", re.IGNORECASE
)
_MONTH_YEAR = re.compile(rf"\b({MONTH_PATTERN})\.? (\d{{4}})\b", re.IGNORECASE)
# Without a year, and with a capital: "will march 5 miles" names no day.
_MONTH_DAY = re.compile(rf"\b({CAPITAL_MONTH_PATTERN})\.? (\d{{1,2}}){ORDINAL}\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}){ORDINAL}(?: of)? ({CAPITAL_MONTH_PATTERN})\b")


def _after_one_of(words: str) -> str:
    """A look-behind for any of `words` and a space."""
    return "(?:" + "|".join(rf"(?<=\b{word} )" for word in words.split()) + ")"


# A month or a year alone is a date after these words ("in March", "before 2026"), and the end
# of a range after "and" or "to" when capitalised ("between March and April").
_STATED = _after_one_of("in during before after since until till by from between through")
_IN_MONTH = re.compile(rf"{_STATED}({MONTH_PATTERN})\b", re.IGNORECASE)
_IN_YEAR = re.compile(rf"{_STATED}((?:19|20)\d{{2}})\b", re.IGNORECASE)
_JOINED_MONTH = re.compile(rf"{_after_one_of('and to')}({CAPITAL_MONTH_PATTERN})\b")
_JOINED_YEAR = re.compile(rf"{_after_one_of('and to')}((?:19|20)\d{{2}})\b")
_RANGE_JOIN = re.compile(r"\s*(and|to|until|till|through|thru|-|–|—)\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_InYear = Callable[[int], tuple[date, date]]
_RELATIVE = re.compile(r"\b(today|yesterday|last week|this week|last month|this month)\b", re.I)
_ORDER = re.compile(r"\b(before|after)\s+(?:the\s+)?$", re.IGNORECASE)
_DIRECTION = re.compile(r"\b(before|after|since|until|till|by)\s*$", re.IGNORECASE)
_DATE_WORD = re.compile(r"\d{1,2}(?:st|nd|rd|th)?|(?:19|20)\d{2}(?:-\d{2}){0,2}")
# "the other source", "other outlets": the sources besides those the question (or, in a
# conversation, the previous one) names.
OTHER_SOURCES = re.compile(
    r"\b(?:the\s+other|other|another)\s+"
    r"(?:sources?|outlets?|papers?|newspapers?|publications?|publishers?)\b",
    re.IGNORECASE,
)
_PIECE = r"(?:article|story|report|piece|coverage|post|interview)\b"
# After a source's name, its piece: "'s report", " article", "'s levee inspection story" (a few
# words of its subject before the piece).
_NAMES_A_PIECE = re.compile(rf"(?:['’]s?)?(?:\s+[\w-]+){{0,4}}?\s+{_PIECE}", re.IGNORECASE)
_WRITTEN_WORD = re.compile(r"[\w-]+")  # as the name patterns bound a word
_GENERAL = frozenset(
    "happen happens happened happening new news latest recent recently today yesterday week "
    "month year day last anything everything else tell summarize summarise summary overview "
    "main key top cover covered coverage since till".split()
)
_HAPPENED = re.compile(r"\bhappen(?:s|ed|ing)?\b", re.IGNORECASE)
_COVERAGE_WORDS = (
    r"report\w*|publish\w*|wr[io]te|written|writ(es|ing)|sa(y|ys|id)|cover(ed|s|age|ing)?"
    r"|articles?|stor(y|ies)|news|headlines?|press|sources?"
)
_COVERAGE = re.compile(rf"\b({_COVERAGE_WORDS})\b", re.IGNORECASE)


# What a question calls an article by its kind ("the press release", "the opinion column",
# "the live blog", "the report"), and the labels that tell an article of that kind in its title,
# source, author or header lines ("Press release · 9 March 2026", "Opinion | Martin Kell | …",
# "Live blog by …") or in how it speaks of itself ("This briefing appraises …").
_KINDS: dict[str, re.Pattern[str]] = {
    "press release": re.compile(
        r"\b(?:press|news|media)\s+(?:release|office)\b|\bfor immediate release\b|\bembargoed\b",
        re.IGNORECASE,
    ),
    "column": re.compile(r"\b(?:opinion|column|commentary|comment|op-ed|editorial)\b", re.I),
    "live blog": re.compile(
        r"^live\b|\blive (?:blog|updates?|coverage)\b|\bas it happened\b", re.I
    ),
    "report": re.compile(r"\b(?:report|briefing|white paper|policy paper)\b", re.IGNORECASE),
}
_KIND_NAMES = {
    "press release": "press release", "news release": "press release",
    "column": "column", "opinion column": "column", "opinion piece": "column", "op-ed": "column",
    "editorial": "column", "commentary": "column",
    "live blog": "live blog", "live updates": "live blog", "blog": "live blog",
    "report": "report", "briefing": "report",
}  # fmt: skip
# The languages a question may call an article by ("the Spanish article"), as ISO 639-1 codes.
_LANGUAGES = {
    "english": "en", "spanish": "es", "french": "fr", "german": "de", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "swedish": "sv", "norwegian": "no", "danish": "da",
    "finnish": "fi", "polish": "pl", "czech": "cs", "greek": "el", "turkish": "tr",
    "russian": "ru", "ukrainian": "uk", "chinese": "zh", "japanese": "ja", "korean": "ko",
}  # fmt: skip
_KIND_REFERENCE = re.compile(
    rf"\bthe\s+(?:(?P<language>{'|'.join(_LANGUAGES)})\s+{_PIECE}"
    rf"|(?:(?:university|university['’]s|company['’]s|independent|full|original)\s+)?"
    rf"(?P<kind>{'|'.join(sorted(_KIND_NAMES, key=len, reverse=True))})\b)",
    re.IGNORECASE,
)
_LABEL_LINES = 4  # of an article's opening: its headline, byline, date and label lines
_SELF_NAMED = re.compile(r"\bthis\s+(?P<piece>[\w-]+(?:\s+[\w-]+)?)", re.IGNORECASE)


# Markup pasted into a question, a script's or a style's content with it.
_MARKUP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|</?[A-Za-z][^<>]*>", re.I | re.S)
# Emoji and other symbols (Unicode's So, Sk, and the joiners and selectors building emoji): no
# part of what is asked. Currency signs ("$14.5") and mathematical ones are kept.
_NO_WORDS = frozenset({"So", "Sk", "Cs", "Co"})
_EMOJI_PARTS = frozenset("\u200d\ufe0e\ufe0f")


def searched_words(question: str) -> str:
    """`question` as its words are searched and answered: without markup ("<script>…
    </script>"), emoji and other symbols, which changed the answer to "What did the mayor say?"
    into an abstention, nor the articles it calls by their kind ("the press release",
    `kind_references`), which are a filter (`articles_referred_to`) and whose words found their
    labels ("Press release · 9 March 2026"), unless nothing else is asked."""
    plain = "".join(
        " " if unicodedata.category(char) in _NO_WORDS or char in _EMOJI_PARTS else char
        for char in _MARKUP.sub(" ", question)
    )
    plain = " ".join(plain.split())
    unreferred = cut(plain, kind_references(plain))
    return unreferred if content_words(unreferred) else plain


def articles_referred_to(question: str, articles: Sequence[Article]) -> list[Article]:
    """The articles `question` calls by their kind or language ("What did the press release
    say about funding?", "the Spanish article", "the column"), as the labels of each tell it
    (`_KINDS`, `Article.language`): answered from every article, the press release's date line
    was quoted for its funding. None when no article is of a kind named, or none is named."""
    referred: dict[str, Article] = {}
    for match in _KIND_REFERENCE.finditer(question):
        if match["language"]:
            code = _LANGUAGES[match["language"].lower()]
            of_it = [a for a in articles if a.language == code]
        else:
            labels = _KINDS[_KIND_NAMES[match["kind"].lower()]]
            of_it = [a for a in articles if any(map(labels.search, _labels(a)))]
        referred |= {article.id: article for article in of_it}
    return list(referred.values())


def kind_references(question: str) -> list[tuple[int, int]]:
    """Where `question` calls an article by its kind or language (`articles_referred_to`)."""
    return [match.span() for match in _KIND_REFERENCE.finditer(question)]


def written_by(article: Article, name: str) -> bool:
    """Whether `article` (with its text) is `name`'s own writing, as its author, a label line of
    its opening ("Opinion | Martin Kell | The Evening Ledger | 11 March 2026") or its closing
    note on its writer ("Martin Kell is a science writer and former GP.") tells it; not its
    title, which may be about them."""
    named = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
    lines = [line.strip() for line in (article.text or "").split("\n") if line.strip()]
    closing = lines[-1] if lines else ""
    return any(named.search(label) for label in _labels(article)[2:]) or bool(
        re.match(rf"{re.escape(name)} is (?:a|an|the)\b", closing, re.IGNORECASE)
    )


def _labels(article: Article) -> list[str]:
    """What tells an article's kind: its title, source and author, the lines of its opening
    that are no sentences ("Press release · 9 March 2026 · Faculty of Medicine"), and what its
    first sentences call it ("This briefing appraises …")."""
    lines = [line.strip() for line in (article.text or "").split("\n") if line.strip()]
    opening = lines[:_LABEL_LINES]
    first_prose = next((line for line in lines if line.endswith(".")), "")
    return [
        article.title,
        article.source,
        article.author,
        *(line for line in opening if not line.endswith((".", "!", "?", '"', "”"))),
        *(match["piece"] for match in _SELF_NAMED.finditer(first_prose[:200])),
    ]


def parse_constraints(
    question: str,
    articles: Sequence[Article],
    sources: set[str],
    today: date,
    stated: Filters | None = None,
    capital_only: Callable[[str], bool] | None = None,
) -> Filters:
    """The `sources` and the date range `question` names, among what `articles` could match
    together with the filters the user `stated`. `capital_only`: whether the articles write a
    word, and only with its capital (`only_capitalised` over `written_words`, which a
    KnowledgeBase keeps per state of its store; else read from `articles`)."""
    capital_only = capital_only or (lambda word: only_capitalised(word, written_words(articles)))
    named = _sources_named(question, sources, capital_only, articles)
    if named:  # compared with a source held, an outlet no article is from is said so, not dropped
        outlets = _outlets_not_held(question, sources, capital_only)
        named = _in_question_order(question, [*named, *outlets], sources, capital_only)
    if OTHER_SOURCES.search(question):
        named = sorted(sources - set(named))
    since, until, of_days = _read_range(question, today)
    of_articles = of_days or _of_coverage(question, named) or _says_a_relative_date(question)
    if not (of_articles or _news_of_a_period(question, since, until)):
        since, until = "", ""  # a date of events, not of articles
    ordered = _relative_to_an_article(question, articles, sources, capital_only)
    if ordered is not None:
        anchor, after, before = ordered
        since, until = max(since, after), min(until or before, before or until)  # both hold
        named = [source for source in named if source != anchor]  # the others', before it
    referred = articles_referred_to(question, articles)
    article_ids: list[str] = []
    if referred:  # with the articles of any source named beside them ("the Wire and the column")
        article_ids = sorted(
            {a.id for a in referred} | {a.id for a in articles if a.source in named}
        )
        if all(a.source for a in referred):  # each a side of a comparison, as a source is
            referred_sources = [*named, *(a.source for a in referred)]
            named = _in_question_order(question, referred_sources, sources, capital_only)
        else:
            named = []
    found = Filters(sources=named, article_ids=article_ids, since=since, until=until)
    undated = (stated or Filters()).model_copy(update={"since": "", "until": ""})
    both = undated.merged(found)
    if (since or until) and not any(both.allows(a) for a in articles):
        found = Filters(sources=named, article_ids=article_ids)  # the words meant events
    return found  # with dates `stated` rules out ("in April", --until March): no days at all


def _in_question_order(
    question: str, names: Iterable[str], sources: set[str], capital_only: Callable[[str], bool]
) -> list[str]:
    """`names` in the order `question` names them (a source however it is named, an outlet
    not held as written), those it does not name last: the sides of a comparison are answered
    in the order asked, not alphabetically."""
    at: dict[str, int] = {}
    for start, _, source in _mentions(question, sources, capital_only):
        at.setdefault(source, start)

    def where(name: str) -> tuple[int, str]:
        found = question.find(name)
        return at.get(name, found if found >= 0 else len(question)), name

    return sorted(set(names), key=where)


# A question asking what was corrected or retracted: "correct" is the verb only after an
# auxiliary or "to" ("What did the Ledger correct?", "… had to correct"), not the adjective of
# "Is it correct that …", "Was the mayor's figure correct?", "Did they get the figure correct?".
_ASKS_CORRECTION = re.compile(
    r"\bcorrect(?:ed|s|ions?)\b|\bretract\w*|\b(?:did|does|do|will|would|has|have|had|to)\b"
    r"(?:\s+(?!(?:get|got|be|been|is|was|are|were)\b)[\w'’-]+){0,4}\s+correct\b(?!\s+that\b)",
    re.IGNORECASE,
)


def asks_what_was_corrected(question: str) -> bool:
    """Whether `question` asks what was corrected or retracted (`_ASKS_CORRECTION`): a
    correction note answers it, in words of its own ("An earlier version of this article
    said …")."""
    return bool(_ASKS_CORRECTION.search(question))


_WHAT_FOLLOWED = re.compile(
    r"^\W*what\s+(?:else\s+)?(?:has\s+|have\s+)?(?:happened|followed|came|changed)\s+(?:next\s+)?"
    r"(?:after|since)\s+(?P<event>.+?)[\s?.!]*$",
    re.IGNORECASE,
)


def what_followed(question: str) -> str:
    """The event of "What happened after the VX-40 recall was announced?" ("the VX-40 recall
    was announced"): what later articles on it say is the answer, not the event itself. ""
    for any other question."""
    match = _WHAT_FOLLOWED.match(question)
    return match["event"] if match and content_words(match["event"]) else ""


def asks_for_an_overview(question: str, found: Filters) -> bool:
    """ "What did Regional Wire report?", "What was published in March 2026?", "What is the
    latest news?", "What did the Spanish article say?": a question whose only subject is the
    sources, dates or articles it names, or the news itself. No sentence answers it better than another; what those articles open with does."""
    words = content_words(question)
    if _states_a_date(question) and not (found.since or found.until):
        return False  # a date no article has: about events, so a subject of its own
    if not (found.sources or found.article_ids or found.since or found.until) and not (
        _GENERAL.intersection(words)
    ):
        return False  # "What is it?": nothing to give an overview of
    return _only_of_coverage(cut(question, kind_references(question)), found)


def dates_no_article_has(
    question: str, found: Filters, articles: Sequence[Article], today: date
) -> Filters | None:
    """ "What was published last week?" when no article is dated then: the articles it asks
    for, which the answer should say are missing rather than answer another question. Not
    "What happened in October 2024?": without a word of coverage, a date dates events."""
    if not (_COVERAGE.search(question) or _says_a_relative_date(question)):
        return None
    since, until = date_range(question, today)
    asked = Filters(sources=found.sources, since=since, until=until)
    if not (since or until) or found.since or found.until:
        return None
    if not (_only_of_coverage(question, found) or _asks_for_coverage(question, found)):
        return None
    return None if any(asked.allows(article) for article in articles) else asked


def _asks_for_coverage(question: str, found: Filters) -> bool:
    """ "What did Circuit Business Daily say last week about Voltaic?": a subject of its own, but
    the words of coverage are a named source's, or of recent days ("last week": no older article
    reports those), so the date is its articles'. "What did engineers say in 2024?" dates
    what they said."""
    return bool(_COVERAGE.search(question)) and bool(
        found.sources or _says_a_relative_date(question)
    )


_SAYING = re.compile(r"sa(?:y|ys|id)", re.IGNORECASE)


def _of_coverage(question: str, named: Collection[str]) -> bool:
    """Whether a word of coverage makes the question's dates its articles' ("What was reported
    on April 2?", "What did the Ledger say on March 14?"). A verb of saying does so only of a
    source named: "What did Halvern say on October 9?" asks what he said that day, which a
    later article tells too (a live blog's "Update, October 9:"), and only the articles dated
    that day were searched."""
    words = [match.group() for match in _COVERAGE.finditer(question)]
    return bool(words) and (bool(named) or not all(map(_SAYING.fullmatch, words)))


def _news_of_a_period(question: str, since: str, until: str) -> bool:
    """ "What happened with the Green Line in March 2026?": what happened in a month or a year
    is in that period's articles. What happened on one day ("on March 14") is searched as
    words: the articles of later days report it too."""
    return bool(_HAPPENED.search(question)) and bool(since and until) and since != until


def _states_a_date(question: str) -> bool:
    return any(_stated(pattern, question) for pattern, _, _ in _DATE_FORMS)


def _says_a_relative_date(question: str) -> bool:
    """ "last week", "today", said of what is asked, not of the asker."""
    return any(_stated(_RELATIVE, question))


def _stated(pattern: re.Pattern[str], question: str) -> list[re.Match[str]]:
    """The dates `pattern` reads in `question`, but those of a clause about the asker."""
    return [m for m in pattern.finditer(question) if not _about_the_asker(question, *m.span())]


_CLAUSE_BREAK = re.compile(
    r"[,;:.!?]|\b(?:and|but|so|because|when|while|though|although|as)\b", re.IGNORECASE
)
_OF_THE_ASKER = re.compile(r"\s*(?:i|i['’]\w+|my|we|we['’]\w+|our)\b", re.IGNORECASE)
_ASKING = re.compile(r"\b(?:what|which|who|whom|whose|where|why|how|whether|if|any)\b", re.I)


def _about_the_asker(question: str, start: int, end: int) -> bool:
    """Whether the date at `start`:`end` is in a clause about the asker ("my basement flooded
    last month", "Last month we moved here"): it dates their life, not the articles they ask
    for. Not "I want to know what was reported last week" (a question inside it), nor "I need
    the articles from last week" (it speaks of coverage)."""
    opens = max((m.end() for m in _CLAUSE_BREAK.finditer(question, 0, start)), default=0)
    after = _CLAUSE_BREAK.search(question, end)
    clause = f"{question[opens:start]} {question[end : after.start() if after else None]}"
    return bool(_OF_THE_ASKER.match(clause)) and not (
        _ASKING.search(clause) or _COVERAGE.search(clause)
    )


def _only_of_coverage(question: str, found: Filters) -> bool:
    """Its every word names a source, a date, the news or its coverage ("report", "say")."""
    named = {word for source in found.sources for word in content_words(source)}
    return all(
        word in named or is_date_word(word) or word in _GENERAL or is_coverage_word(word)
        for word in content_words(question)
    )


def is_asking_word(word: str) -> bool:
    """ "happened", "latest", "report", "say": a word questions ask with, whatever their
    subject."""
    return word in _GENERAL or is_coverage_word(word)


def is_coverage_word(word: str) -> bool:
    """ "reported", "say", "source": a word about coverage, not about what it covers."""
    return bool(_COVERAGE.fullmatch(word))


# The verb a source is the subject of: "Did Regional Wire and the Ledger report the same death
# toll?" was searched as "… report the same death toll" and answered by "A full report is due".
_TELLING = re.compile(
    r"\s+(?:report(?:s|ed)?|publish(?:es|ed)?|wr[io]te|writes|cover(?:s|ed)?|describ(?:e|es|ed))\b",
    re.IGNORECASE,
)


def without_source_names(question: str, sources: set[str]) -> str:
    """`question` without the name that named each of `sources` (its first, in any case), nor the
    verb of telling it is the subject of, unless it is all that is asked ("What did the Ledger
    report?"): "the Ledger reported" says where, not what; "the independent review" after "The
    Independent" is a subject."""
    names: dict[str, tuple[int, int]] = {}
    with_verbs: dict[str, tuple[int, int]] = {}
    for start, end, source in _mentions(question, sources, any_case=True):
        telling = _TELLING.match(question, end)
        names.setdefault(source, (start, end))
        with_verbs.setdefault(source, (start, telling.end() if telling else end))
    without_verbs = cut(question, with_verbs.values())
    return without_verbs if content_words(without_verbs) else cut(question, names.values())


def cut(question: str, spans: Collection[tuple[int, int]]) -> str:
    """`question` without the stretches at `spans`."""
    for start, end in sorted(spans, reverse=True):
        question = f"{question[:start]} {question[end:]}"
    return " ".join(question.split())


def source_named_by(name: str, sources: Collection[str]) -> str:
    """The one of `sources` that `name`, given by the user (`--source`, a sidebar), means as a
    question would name it, in any case: "Millbrook Ledger", "millbrook ledger", "the Ledger"
    and "Ledger" are "The Millbrook Ledger". `name` itself when it names none, or several:
    the caller says no article is from it."""
    wanted = " ".join(name.split())
    exact = [source for source in sources if source.casefold() == wanted.casefold()]
    if exact:
        return exact[0]
    for written in (wanted, f"the {wanted}"):
        named = {
            source
            for start, end, source in _mentions(written, set(sources), any_case=True)
            if end == len(written) and written[:start].strip().casefold() in ("", "the")
        }
        if len(named) == 1:
            return named.pop()
    return name


@lru_cache(maxsize=4096)
def word_forms(word: str) -> frozenset[str]:
    """`word` and the other inflections of what it is a form of, the irregular ones too (as
    lemminflect knows them): "fell" and "fallen" of "fall", "rose" of "rise", "taught" of
    "teach". The light stems join only the regular ones ("falls", "falling"): "By how much did
    heart attacks fall?" was said to ask of a word no passage writes, above "fell by 19%"."""
    lemmas = {lemma for found in lemminflect.getAllLemmas(word.lower()).values() for lemma in found}
    inflected = {
        form
        for lemma in lemmas
        for forms in lemminflect.getAllInflections(lemma).values()
        for form in forms
    }
    return frozenset({word.lower(), *lemmas, *inflected})


def is_date_word(word: str) -> bool:
    """ "march", "14th", "2026": a content word that only dates something."""
    return word in MONTHS or bool(_DATE_WORD.fullmatch(word))


def _relative_to_an_article(
    question: str,
    articles: Sequence[Article],
    sources: set[str],
    capital_only: Callable[[str], bool],
) -> tuple[str, str, str] | None:
    """(source, since, until) for "before the Verge article", "after Regional Wire's report":
    the dates before or after that source's article. Of its dated articles, the one sharing
    the most stems with the words from "before"/"after" on ("after the Ledger article on the
    fine" finds "... Fined ..."), then with the whole question; of equals, the one that
    excludes the fewest articles (the earliest after, the latest before), as the question does
    not tell them apart. Only "before" and "after" right before a source's name: "since the
    Verge report said..." gives a reason, not a date."""
    ordered = _ordered_by(question, sources, capital_only)
    if ordered is None:
        return None
    source, direction, clause = ordered
    dated = [(day, a) for a in articles if a.source == source and (day := iso_day(a.date))]
    if not dated:
        return None
    described = _topic_stems(without_source_names(question[clause:], {source}))
    asked = _topic_stems(question)
    earliest_first = 1 if direction == "after" else -1

    def fit(item: tuple[date, Article]) -> tuple[int, int, int]:
        day, article = item
        words = _stems_of(article)
        return -len(described & words), -len(asked & words), earliest_first * day.toordinal()

    day, _ = min(dated, key=fit)
    if direction == "before":
        return source, "", (day - timedelta(days=1)).isoformat()
    return source, (day + timedelta(days=1)).isoformat(), ""


def _ordered_by(
    question: str, sources: set[str], capital_only: Callable[[str], bool]
) -> tuple[str, str, int] | None:
    """The source whose article "before the Ledger article" orders by, the direction, and
    where the words saying so start."""
    for start, end, source in _mentions(question, sources, capital_only):
        direction = _ORDER.search(question[:start])
        if direction and _NAMES_A_PIECE.match(question[end:]):
            return source, direction[1].lower(), direction.start()
    return None


def _topic_stems(text: str) -> set[str]:
    """The stems of what `text` is about: not the words any question asks with ("happened",
    "say", "report", "article"), which every article may write and so tell none apart."""
    return {
        stem
        for word in content_words(text)
        if not (is_asking_word(word) or is_date_word(word))
        for stem in stems(word)
    }


def _stems_of(article: Article) -> set[str]:
    """Enough of an article to tell which of a source's articles a question means."""
    return stems(f"{article.title} {(article.text or '')[:2000]}")


# Words an outlet's name ends with ("Castlebrook Courier", "Valley Gazette"): the common
# mastheads of English-language papers, wires and stations.
def _outlets_not_held(
    question: str, sources: set[str], capital_only: Callable[[str], bool]
) -> list[str]:
    """The names in `question` shaped as an outlet's (`OUTLET_NAME`: "the Castlebrook Courier")
    that name none of the `sources` and are compared with one that does (`_compared`): the
    answer says no passage is from it, rather than quote the other alone as if it were all.
    "Did the Millbrook Ledger report on the sale of the Harlow Trading Post?" compares
    nothing."""
    held = [(start, end) for start, end, _ in _mentions(question, sources, capital_only)]
    outlets = [
        (at, " ".join(words))
        for at, words in capitalised_names(question)
        if len(words) > 1 and OUTLET_NAME.search(" ".join(words))
    ]
    return [
        name
        for at, name in outlets
        if not any(start < at + len(name) and at < end for start, end in held)
        and any(
            _compared(question, held_side, (at, at + len(name)))
            or _compared(question, (at, at + len(name)), held_side)
            for held_side in held
        )
    ]


# What stands between two names compared: "the Courier versus the Wire", "the Courier,
# compared with the Wire"; "and", "with", "to" in a question comparing ("Compare the Courier
# with the Wire"); the first's telling differing from the second's ("Meridian Wire's account
# differ from the University of Westmere's").
_BETWEEN_SIDES = re.compile(
    r"(?:\s*,?\s+(?:(?P<joined>and|with|to)|versus|vs\.?|compared (?:with|to)|against)"
    r"|['’]s?(?:\s+[\w-]+){0,3}?\s+(?:differ\w*|compared?|contrast\w*)\s+(?:from|with|to))"
    r"\s+(?:th(?:at|ose)\s+of\s+)?(?:the\s+)?",
    re.IGNORECASE,
)
# Words making two names joined by "and" a comparison: "between …", "… differ", "… compare".
_COMPARING = re.compile(r"\b(?:between|differ\w*|compar\w*|contrast\w*)\b", re.IGNORECASE)
# Or what both said, after the second: "What did the Courier and the Wire report?"
_BOTH_SAY = re.compile(
    rf"\s+(?:(?:each|both|all)\s+)?(?:{_COVERAGE_WORDS}|cover|write)\b", re.IGNORECASE
)


def _compared(question: str, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether the names at `first` and `second` (start, end) in `question` are two sides of a
    comparison: joined by "versus", "compared with", or by "and" ("with", "to") in a question
    comparing (`_COMPARING`) or asking what both said (`_BOTH_SAY`)."""
    joined = _BETWEEN_SIDES.fullmatch(question, first[1], second[0])
    if joined is None:
        return False
    return not joined["joined"] or bool(
        _COMPARING.search(question) or _BOTH_SAY.match(question, second[1])
    )


def _sources_named(
    question: str,
    sources: set[str],
    capital_only: Callable[[str], bool],
    articles: Sequence[Article],
) -> list[str]:
    """The sources `question` asks the coverage of. An organisation speaking for itself that
    the other sources write about (`_a_subject_of_the_news`) is named so only as the teller
    (`_as_teller`): "Did Calder Mutual pay the ransom?" asks of the insurer every outlet covers,
    not of its own statement alone, which never says. An outlet is a filter however it is
    named, cited by the others or not ("How much was the ransom in ByteWatch?"). In the order
    the question names them."""
    mentions = _mentions(question, sources, capital_only)
    subjects = {source for _, _, source in mentions if _a_subject_of_the_news(source, articles)}
    tellers = [
        (start, end)
        for start, end, source in mentions
        if source not in subjects or _as_teller(question, start, end)
    ]
    # In the order the question names them: its sides of a comparison are answered so.
    return list(
        dict.fromkeys(
            source
            for start, end, source in mentions
            if any(
                told == (start, end) or _joined(question, (start, end), told) for told in tellers
            )
        )
    )


def _a_subject_of_the_news(source: str, articles: Sequence[Article]) -> bool:
    """Whether `source` is an organisation whose own articles speak of itself, as a statement
    or press release does ("Calder Mutual statement on cybersecurity incident"), and which an
    article of another source names: what happened to it is news the others tell. An outlet
    the others cite ("As ByteWatch first reported…") writes of other things: a source."""
    return (
        not OUTLET_NAME.search(source)
        and any(_speaks_of_itself(a) for a in articles if a.source == source)
        and _written_of(source, articles)
    )


def _speaks_of_itself(article: Article) -> bool:
    """Whether `article` names its own source in its title or is labelled a press release."""
    return _names(article.title, article.source) or any(
        map(_KINDS["press release"].search, _labels(article))
    )


def _written_of(source: str, articles: Sequence[Article]) -> bool:
    """Whether an article from another source names `source` in its title or text."""
    return any(
        article.source != source
        and (_names(article.title, source) or _names(article.text or "", source))
        for article in articles
    )


_WORD_BEFORE = re.compile(r"[\w-]")


def _names(text: str, source: str) -> bool:
    """Whether `text` writes `source`'s name ("The" or not) as words of their own. The pattern
    opens with the name's letters, not a look-behind, so that the regex engine skips ahead to
    them: with the look-behind first it tried every position, a second per question over
    5,000 articles."""
    return any(
        match.start() == 0 or not _WORD_BEFORE.match(text, match.start() - 1)
        for match in _name_pattern(source).finditer(text)
    )


@lru_cache(maxsize=256)
def _name_pattern(source: str) -> re.Pattern[str]:
    """`source`'s name, compiled once per source."""
    return re.compile(rf"{_spaced(_bare(source).split())}(?![\w-])")


# Verbs of telling a source is the subject of ("What did Calder Mutual say", "… tell members",
# "… confirm"), beside the words of coverage.
_TELLS = (
    rf"{_COVERAGE_WORDS}|tells?|told|stat(?:e|es|ed)|claim\w*|announc\w*|confirm\w*"
    r"|den(?:y|ies|ied)|admit\w*|insist\w*|describ\w*|disclos\w*|acknowledg\w*|explain\w*"
    r"|correct\w*|count\w*|estimat\w*|warn\w*|mention\w*|not(?:e|es|ed)"
)
_AS_TELLER_AFTER = re.compile(
    rf"\s*:|(?:['’]s?\s+(?:statement|release|notice|announcement|account|version|figures?|count|"
    rf"estimate|words?|take|view|position|side|response|reply)\b|(?:['’]s?(?:\s+[\w-]+){{0,4}}?)?\s+{_PIECE}"
    rf"|(?:\s+(?:has|have|had|did|does|is|was|also|first|later|ever|never|not|\w+ly))*"
    rf"\s+(?:{_TELLS})\b)",
    re.IGNORECASE,
)
_AS_TELLER_BEFORE = re.compile(
    rf"(?:\baccording\s+to|\bper|\b(?:{_COVERAGE_WORDS}|{_PIECE}|statements?|anything|everything)"
    r"\s+(?:from|by))\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _as_teller(question: str, start: int, end: int) -> bool:
    """Whether the name at `start`:`end` is of who told what is asked: the subject of a verb of
    telling ("What did Calder Mutual report?"), the owner of a piece ("Calder Mutual's
    statement", "Calder Mutual's take"), before a colon ("Calder Mutual: was card data
    taken?"), or after "according to", "per", "reported by", "news from"."""
    return bool(_AS_TELLER_AFTER.match(question, end) or _AS_TELLER_BEFORE.search(question[:start]))


_JOINING = re.compile(r"\s*(?:,|\band\b|\bor\b|,\s*and\b)\s*(?:the\s+)?", re.IGNORECASE)


def _joined(question: str, name: tuple[int, int], other: tuple[int, int]) -> bool:
    """Whether two names are joined as one subject ("Calder Mutual and the Ledger said …") or
    compared (`_compared`)."""
    first, second = sorted((name, other))
    return bool(_JOINING.fullmatch(question, first[1], second[0])) or _compared(
        question, first, second
    )


def _mentions(
    question: str,
    sources: set[str],
    capital_only: Callable[[str], bool] = lambda word: False,
    any_case: bool = False,
) -> list[tuple[int, int, str]]:
    """(start, end, source) of each name of a source in `question`, in order. A source is
    named by its name ("The Millbrook Ledger", "Millbrook Ledger") or, after "the", by the last
    word of it that no other source's name has ("the Ledger", "the Courier-Times"), each
    capitalised as the source writes it: "the independent review" does not name The
    Independent. In a question written all in lower case, a name of two words or more still
    counts ("what did regional wire say?"), and any word of a name may be written in lower
    case if the articles write it only with its capital (`capital_only`: "what did the ledger
    say?" when no article has a lower-case "ledger")."""
    lower_case = question == question.lower()
    found = []
    for source, pattern, words in _source_names(frozenset(sources)):
        for match in pattern.finditer(question):
            written = match[1]
            if (
                any_case
                or (lower_case and len(words) > 1)
                or _capitalised_as(written, words, capital_only)
            ):
                found.append((match.start(1), match.end(1), source))
    return sorted(found, key=lambda mention: (mention[0], -mention[1]))  # the longest first


@lru_cache(maxsize=8)
def _source_names(sources: frozenset[str]) -> list[tuple[str, re.Pattern[str], list[str]]]:
    """Every source's name patterns, compiled once per set of sources: each is built against
    all the others, so rebuilding them for every question grew with the square of the sources."""
    bare_names = {source: _bare(source) for source in sources}
    sources_with = Counter(w for name in bare_names.values() for w in set(name.casefold().split()))
    return [
        (source, re.compile(pattern, re.IGNORECASE), words)
        for source in sorted(sources)
        for pattern, words in _name_patterns(source, bare_names, sources_with)
    ]


def _name_patterns(
    source: str, bare_names: dict[str, str], sources_with: Counter[str]
) -> list[tuple[str, list[str]]]:
    """Regular expressions for `source`'s names, each with the words it names it by.
    `bare_names`: every source's name without "The" (`_bare`); `sources_with`: how many of
    them have each casefolded word."""
    bare = bare_names[source].split()
    edge, end = r"(?<![\w-])", r"(?![\w-])"
    names = [(rf"{edge}({_spaced(bare)}){end}", bare)]
    if len(bare) == 1 and bare[0] != source:  # "The Times": "times" names nothing
        names = [(rf"{edge}the\s+({re.escape(bare[0])}){end}", bare)]
    if len(bare) > 1 and sources_with[bare[-1].casefold()] == 1:  # no other source's word
        names.append((rf"{edge}the\s+({re.escape(bare[-1])}){end}", bare[-1:]))
    shorter = bare[:-1]  # "Consumer Watch" for Consumer Watch Weekly, as people say it
    if (
        len(shorter) >= 2
        and bare[-1].casefold() in _HOW_OFTEN
        and not any(
            name.casefold().startswith(" ".join(shorter).casefold())
            for other, name in bare_names.items()
            if other != source
        )
    ):
        # Said as a source only: "what did Consumer Watch say", "Consumer Watch's count"; "the
        # upper Alder Valley" is a place, whatever "Alder Valley Weekly" is.
        said = rf"(?=['’]s\b|\s+(?:{_COVERAGE_WORDS}|count\w*|found|warn\w*|told)\b)"
        names.append((rf"{edge}({_spaced(shorter)}){end}{said}", shorter))
    return names


_HOW_OFTEN = frozenset({"daily", "weekly", "monthly", "quarterly", "online"})


def _spaced(words: list[str]) -> str:
    return r"\s+".join(map(re.escape, words))


def _capitalised_as(written: str, words: list[str], capital_only: Callable[[str], bool]) -> bool:
    """Each word the source's name capitalises is capitalised in the question too, or is one
    the articles write only capitalised (a name there, not a common word)."""
    return all(
        typed[0].isupper() or not word[0].isupper() or capital_only(word)
        for typed, word in zip(written.split(), words, strict=False)
    )


def written_words(articles: Sequence[Article]) -> frozenset[str]:
    """Every word `articles` write, as written, and the acronyms their names spell
    (`name_acronyms`): what `only_capitalised` and `unknown_names` read in one look. "Is
    tovarsiran approved by the FDA?" asks of the "US Food and Drug Administration"."""
    return frozenset(
        word
        for a in articles
        for word in [*_WRITTEN_WORD.findall(a.text or ""), *name_acronyms(a.text or "")]
    )


# A run of capitalised words, a small word allowed between two of them ("Food and Drug"): a
# name, whose capitals may be what an acronym stands for. ("and the" parts two names: "the US
# Food and Drug Administration and the European Medicines Agency".)
_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|for|and|on|in|to|&)\s+)?[A-Z][\w'’-]*)+")
# A country's letters leading a name: "US Food and Drug Administration" is the FDA too.
_COUNTRY_LETTERS = re.compile(r"[A-Z]{2,3}")
SHORTEST_ACRONYM = 3  # "US" is the capitals of too many names ("Ursula Schmidt") to spell one


def name_acronyms(text: str) -> dict[str, str]:
    """The acronyms `text`'s names spell, all their capitals ("Occupational Safety and Health
    Administration": OSHA; not EMA of "Federal Emergency Management Agency"), also without a
    country's letters leading them ("US Food and Drug Administration": USFDA and FDA), each
    with the first name spelling it."""
    spelled: dict[str, str] = {}
    for run in _NAME_RUN.findall(text):
        name = re.sub(r"^The\s+", "", run)
        words = [word for word in name.split() if word[0].isupper()]
        spelled.setdefault("".join(map(_initials, words)), name)
        if words and _COUNTRY_LETTERS.fullmatch(words[0]):
            spelled.setdefault("".join(map(_initials, words[1:])), name)
    return {acronym: name for acronym, name in spelled.items() if len(acronym) >= SHORTEST_ACRONYM}


def _initials(word: str) -> str:
    """What a word of a name gives its acronym: its first letter, or all of an acronym's."""
    return word if word.isupper() else word[0]


# A people's name is its country's: "How many Spanish patients took part?" asks of the patients
# "En España". The countries of the demonyms English news writes most, and their own names.
_DEMONYMS = {
    "american": ("America", "United States", "US", "USA"),
    "british": ("Britain", "United Kingdom", "UK"),
    "english": ("England",), "scottish": ("Scotland",), "welsh": ("Wales",),
    "irish": ("Ireland", "Éire"), "french": ("France",), "german": ("Germany", "Deutschland"),
    "spanish": ("Spain", "España"), "italian": ("Italy", "Italia"), "portuguese": ("Portugal",),
    "dutch": ("Netherlands", "Nederland", "Holland"), "belgian": ("Belgium", "Belgique"),
    "swiss": ("Switzerland", "Schweiz", "Suisse"), "austrian": ("Austria", "Österreich"),
    "swedish": ("Sweden", "Sverige"), "norwegian": ("Norway", "Norge"),
    "danish": ("Denmark", "Danmark"), "finnish": ("Finland", "Suomi"),
    "polish": ("Poland", "Polska"), "greek": ("Greece", "Ellada"), "turkish": ("Turkey", "Türkiye"),
    "russian": ("Russia",), "ukrainian": ("Ukraine",), "chinese": ("China",),
    "japanese": ("Japan",), "korean": ("Korea",), "indian": ("India",), "canadian": ("Canada",),
    "mexican": ("Mexico", "México"), "brazilian": ("Brazil", "Brasil"),
    "argentine": ("Argentina",), "argentinian": ("Argentina",), "australian": ("Australia",),
    "european": ("Europe", "EU"),
}  # fmt: skip


def name_forms(name: str) -> list[str]:
    """`name` and, for a people's name ("Spanish"), its country's names (`_DEMONYMS`)."""
    return [name, *_DEMONYMS.get(name.lower(), ())]


def with_parts_joined(words: Collection[str]) -> set[str]:
    """`words`, and those written in hyphenated parts also joined: "VX-40" and "VX40"."""
    return {*words, *(word.replace("-", "") for word in words if "-" in word)}


def label_words(articles: Sequence[Article]) -> frozenset[str]:
    """The words of the articles' titles and sources, which their texts need not write."""
    return frozenset(
        word for a in articles for word in _WRITTEN_WORD.findall(f"{a.title} {a.source}")
    )


def unknown_names(question: str, folded: Collection[str]) -> list[str]:
    """The question's names when no article writes any of them (`folded`: the articles' words,
    kb.links.fold-ed, and those of two parts without their hyphen: "Aschenbrodel" is their
    "Aschenbrödel", "VX40" their "VX-40"): "Tokyo" in "What is the population of Tokyo?".
    Days, months and numbers are no names here, nor a word that opens a sentence on its own
    ("Explain the levee failure"), nor a German noun (`_names_in`); a question with one known
    name ("How did the Ledger and Reuters differ?") has none unknown, unless that name only
    places what is asked: "Did Governor Hollis declare a state of emergency in Castlebrook?"
    asks of a governor no article names, wherever the articles are. Typos are mended before
    (`respelled`)."""
    named = _named_at(question)
    known = partial(_is_known, question=question, folded=folded)
    if any(known(name) and not _PLACED.search(question[:at]) for at, name in named):
        return []
    return [" ".join(name) for _, name in named if not known(name)]


# A name after these places what is asked ("in Castlebrook"): it is not what is asked about.
_PLACED = re.compile(r"\b(?:in|at|near|outside|across|around)\s+(?:the\s+)?$", re.IGNORECASE)


def _is_known(name: list[str], question: str, folded: Collection[str]) -> bool:
    """Whether the articles write a word of `name`, as the question writes it ("VX-40",
    "Millbrook-based") or joined ("VX40"), or a people's country ("España" of "Spanish")."""
    tokens = {part: token for token in _WRITTEN_WORD.findall(question) for part in token.split("-")}
    forms = {"".join(name)} | {w for word in name for w in (word, tokens.get(word, word))}
    forms |= {country for form in list(forms) for country in name_forms(form)[1:]}
    return any(
        all(fold(word) in folded for word in form.split()) for form in forms if _is_name_word(form)
    )


def respelled(
    question: str, folded: Collection[str], names: dict[str, str]
) -> tuple[str, list[tuple[str, str]]]:
    """`question` with each name word no article writes (`folded`, as for `unknown_names`) but
    a typo away from one of their `names` (`name_spellings`) spelled as theirs, and each
    (written, theirs): "Who was the chief executive of Voltiac?" asks about Voltaic,
    "Milbrook" is Millbrook. A typo away: one edit (a letter added, dropped, changed, or two
    swapped) in a word of 5 to 7 letters, two in a longer one, the first letter kept (people
    rarely mistype it); a name of which they write no word ("Times" of "New York Times" is no
    typo when they write "New York"). Only names: "Paris" is no typo of their "pairs"."""
    opening = [name for at, name in capitalised_names(question) if _opens_a_word_unknown(at, name)]
    typos = [
        name for name in [*_names_in(question), *opening] if not _is_known(name, question, folded)
    ]
    changed = []
    for word in dict.fromkeys(word for name in typos for word in name):
        theirs = _spelled_as_the_articles(word, names)
        if theirs:
            question = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", theirs, question)
            changed.append((word, theirs))
    return question, changed


def _opens_a_word_unknown(at: int, name: list[str]) -> bool:
    """Whether a word opening the question, and so capitalised whatever it is, is none that
    English inflects (lemminflect knows it): a name then, as "Voltiac" of "Voltiac recall how
    many batteries", not "Explain" of "Explain the levee failure"."""
    return at == 0 and len(name) == 1 and not word_kinds(name[0])


def name_spellings(words: Collection[str]) -> dict[str, str]:
    """The names among the articles' `words` (as written): those of five letters or more they
    never write in lower case, folded, to how they write them ("millbrook": "Millbrook")."""
    return {
        fold(word): word
        for word in words
        if len(word) >= _SHORTEST_TYPO and word[0].isupper() and word.lower() not in words
    }


_SHORTEST_TYPO = 5  # "Iran" is not a typo of "Iron", nor "Mali" of "Mail"


def _spelled_as_the_articles(word: str, names: dict[str, str]) -> str:
    """The articles' name a typo away from `word` (`respelled`), or ""."""
    typed = fold(word)
    if not typed.isalpha() or len(typed) < _SHORTEST_TYPO:
        return ""
    edits = 1 if len(typed) <= 7 else 2
    near = [theirs for theirs in names if theirs[:1] == typed[:1]]
    best = process.extractOne(typed, near, scorer=DamerauLevenshtein.distance, score_cutoff=edits)
    return names[best[0]] if best else ""


def question_names(question: str) -> list[str]:
    """The names `question` asks of, as `unknown_names` reads them ("Spanish", "FDA", "Martin
    Kell"), without the days and months among them."""
    return [" ".join(word for word in name if _is_name_word(word)) for name in _names_in(question)]


def _names_in(question: str) -> list[list[str]]:
    """The runs of capitalised words `unknown_names` takes for names (`_named_at`)."""
    return [name for _, name in _named_at(question)]


def _named_at(question: str) -> list[tuple[int, list[str]]]:
    """Where each run of capitalised words `unknown_names` takes for a name starts, and its
    words: not a word that opens a sentence on its own, nor, in German (whose nouns are
    capitalised: "Warum ist der Deich gebrochen?"), any single word."""
    german = language_by_function_words(question) == "de"
    return [
        (at, name)
        for at, name in capitalised_names(question)
        if any(_is_name_word(word) for word in name)
        and not (len(name) == 1 and (german or _opens_a_sentence(question, at)))
    ]


def _opens_a_sentence(text: str, at: int) -> bool:
    """ "Explain…", "¿Cuántas…", "(Which…": the word first in its sentence."""
    before = text[:at].rstrip().rstrip("¿¡\"'“‘([").rstrip()
    return not before or before[-1] in ".!?"


_NO_NAME_WORDS = frozenset({*MONTH_NAMES, *WEEKDAYS, "of", "the", "and"})


def _is_name_word(word: str) -> bool:
    return not word.isdigit() and word.lower() not in _NO_NAME_WORDS


def with_capitals(question: str, words: Collection[str]) -> str:
    """A question written all in lower case with the capitals the articles (their `words`)
    give its names: "who is helena qureshi" asks about Helena Qureshi, and names are what
    answers and abstentions look for. Acronyms ("ceo"), and runs of two words or more the
    articles only write capitalised: a single such word may just open their sentences
    ("Regulators tend to care…")."""
    if question != question.lower():
        return question
    tokens = list(_WRITTEN_WORD.finditer(question))
    cased = {}
    for i, match in enumerate(tokens):
        word = match[0]
        if word in words:
            continue
        if word.title() in words:  # "Harlow", though a dateline writes "HARLOW —"
            cased[i] = word.title()
        elif word.upper() in words:
            cased[i] = word.upper()

    def in_a_run(i: int) -> bool:
        return any(
            j in cased and not question[tokens[min(i, j)].end() : tokens[max(i, j)].start()].strip()
            for j in (i - 1, i + 1)
        )

    for i in sorted((i for i in cased if cased[i].isupper() or in_a_run(i)), reverse=True):
        question = question[: tokens[i].start()] + cased[i] + question[tokens[i].end() :]
    return question


def only_capitalised(word: str, words: Collection[str]) -> bool:
    """`word` ("Ledger") is among `words` (`written_words`), never in lower case."""
    return word.lower() not in words and (word in words or word.upper() in words)


def _bare(source: str) -> str:
    """ "The Millbrook Ledger" is also named as "Millbrook Ledger"."""
    return re.sub(r"^the\s+", "", source, flags=re.IGNORECASE)


class _Dated(NamedTuple):
    """A date the question writes: where, the days it spans, and how to read it in another
    year when it was written without one ("March 14")."""

    start: int
    end: int
    days: tuple[date, date]
    in_year: _InYear | None
    joined: bool  # "and April": only the end of a range


_Reader = Callable[[re.Match[str], date], tuple[tuple[date, date], _InYear | None]]


def _month_of(name: str) -> int:
    return MONTHS[name.lower()]


def _dated(days: tuple[date, date]) -> tuple[tuple[date, date], _InYear | None]:
    return days, None


def _yearless_day(month_name: str, day: str, today: date) -> tuple[tuple[date, date], _InYear]:
    return _yearless(partial(_day, month=_month_of(month_name), day=int(day)), today)


def _yearless_month(month_name: str, today: date) -> tuple[tuple[date, date], _InYear]:
    return _yearless(partial(_month, month=_month_of(month_name)), today)


def _yearless(in_year: _InYear, today: date) -> tuple[tuple[date, date], _InYear]:
    """ "in October", "on March 20" without a year: the last that has begun (a February 29
    within the last eight years)."""
    for year in range(today.year, today.year - 9, -1):
        with suppress(ValueError):
            days = in_year(year)
            if days[0] <= today:
                return days, in_year
    raise ValueError("no such day")


def _whole_year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


_DATE_FORMS: tuple[tuple[re.Pattern[str], _Reader, bool], ...] = (
    (_ISO, lambda m, _: _dated(_day(int(m[1]), int(m[2]), int(m[3]))), False),
    (_DAY_MONTH_YEAR, lambda m, _: _dated(_day(int(m[3]), _month_of(m[2]), int(m[1]))), False),
    (_MONTH_DAY_YEAR, lambda m, _: _dated(_day(int(m[3]), _month_of(m[1]), int(m[2]))), False),
    (_MONTH_YEAR, lambda m, _: _dated(_month(int(m[2]), _month_of(m[1]))), False),
    (_MONTH_DAY, lambda m, today: _yearless_day(m[1], m[2], today), False),
    (_DAY_MONTH, lambda m, today: _yearless_day(m[2], m[1], today), False),
    (_IN_MONTH, lambda m, today: _yearless_month(m[1], today), False),
    (_JOINED_MONTH, lambda m, today: _yearless_month(m[1], today), True),
    (_IN_YEAR, lambda m, _: _dated(_whole_year(int(m[1]))), False),
    (_JOINED_YEAR, lambda m, _: _dated(_whole_year(int(m[1]))), True),
    (_RELATIVE, lambda m, today: _dated(_relative(m[1].lower(), today)), False),
)  # the first form to read a stretch of the question wins it


def _dates_in(question: str, today: date) -> list[_Dated]:
    """Every date `question` writes, in order; "2026-02-30" is none."""
    found: list[_Dated] = []
    for pattern, read, joined in _DATE_FORMS:
        for match in _stated(pattern, question):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            try:
                days, in_year = read(match, today)
            except ValueError:
                continue
            found.append(_Dated(match.start(), match.end(), days, in_year, joined))
    return sorted(found)


def event_day(question: str, today: date) -> str:
    """The one day the question asks of ("What happened on March 14?"), as an ISO date, or "".
    No filter (later articles report that day's events too), but its articles come first."""
    dates = _dates_in(question, today)
    if len(dates) != 1 or dates[0].days[0] != dates[0].days[1]:
        return ""
    return dates[0].days[0].isoformat()


def date_range(question: str, today: date) -> tuple[str, str]:
    """(since, until) as ISO dates, either possibly empty: a range ("between 2026-03-14 and
    2026-03-21", "from March 14 to March 21, 2026"), or the first date, with the direction
    the word before it gives ("before April", "after 2025")."""
    since, until, _ = _read_range(question, today)
    return since, until


def _read_range(question: str, today: date) -> tuple[str, str, bool]:
    """`date_range`, and whether it is a range from one day to another."""
    dates = _dates_in(question, today)
    for earlier, later in pairwise(dates):
        join = _RANGE_JOIN.fullmatch(question[earlier.end : later.start])
        if join and (join[1].lower() != "and" or _BETWEEN.search(question[: earlier.start])):
            after = re.search(r"\bafter\s*$", question[: earlier.start], re.IGNORECASE)
            try:
                since, until = _spanned(earlier, later, after is not None)
            except ValueError:  # "from February 29 to March 2, 2027"
                continue
            return since, until, all(end.days[0] == end.days[1] for end in (earlier, later))
    alone = [dated for dated in dates if not dated.joined]
    if not alone:
        return "", "", False
    first, last = alone[0].days
    direction = _DIRECTION.search(question[: alone[0].start])
    word = direction[1].lower() if direction else ""
    if word == "before":
        return "", (first - timedelta(days=1)).isoformat(), False
    if word == "after":
        return (last + timedelta(days=1)).isoformat(), "", False
    if word == "since":
        return first.isoformat(), "", False
    if word in ("until", "till", "by"):
        return "", last.isoformat(), False
    return first.isoformat(), last.isoformat(), False


def _spanned(earlier: _Dated, later: _Dated, after: bool) -> tuple[str, str]:
    """From the first day of `earlier` (the day after it, `after` it: "after March 14 until
    March 21") to the last of `later`; an end written without a year is in the other end's
    year ("from March 14 to March 21, 2026")."""
    first, last = earlier.days[0], later.days[1]
    if later.in_year:  # the start's year, written or the last begun ("from April 1 to April 30")
        last = later.in_year(first.year)[1]
        if last < first:  # "from December 20 to January 5"
            last = later.in_year(first.year + 1)[1]
    elif earlier.in_year:
        first = earlier.in_year(last.year)[0]
        if first > last:  # "from December 20 to January 5, 2026"
            first = earlier.in_year(last.year - 1)[0]
    if after:
        ends = earlier.in_year(first.year)[1] if earlier.in_year else earlier.days[1]
        first = ends + timedelta(days=1)
    return min(first, last).isoformat(), max(first, last).isoformat()


def _day(year: int, month: int, day: int) -> tuple[date, date]:
    return date(year, month, day), date(year, month, day)


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _relative(words: str, today: date) -> tuple[date, date]:
    if words == "today":
        return today, today
    if words == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if words == "this week":
        return today - timedelta(days=today.weekday()), today
    if words == "last week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if words == "this month":
        return today.replace(day=1), today
    last_month_end = today.replace(day=1) - timedelta(days=1)
    return last_month_end.replace(day=1), last_month_end
