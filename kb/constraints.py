"""Constraints a question states about its articles: who published them and when.

"What did Regional Wire report about the levee?" is about one source's articles; "What was
reported on 2026-04-02?", "in April", "last week", "before May 2026" are about articles of those
dates. Only names of sources the knowledge base holds count as sources. A date is about articles
only when the question speaks of coverage ("reported", "published", "articles", "news"...) or is
relative ("last week"): "the film shot in 1986" is about an event. "Before the Verge article" is
about the dates before that source's article. And a date constraint that
would leave no article at all is dropped: a question is never filtered into silence by a
misreading.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, timedelta

from kb.models import Article, Filters
from kb.text import MONTH_NAMES, content_words

# Month names and their three-letter forms ("jan", "sep"), to their number.
MONTHS = {name[:length]: n for length in (None, 3) for n, name in enumerate(MONTH_NAMES, 1)}
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}}) ({MONTH_PATTERN})\.? (\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({MONTH_PATTERN})\.? (\d{{1,2}}),? (\d{{4}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({MONTH_PATTERN})\.? (\d{{4}})\b", re.IGNORECASE)
_IN_MONTH = re.compile(rf"\b(?:in|during) ({MONTH_PATTERN})\b", re.IGNORECASE)
_IN_YEAR = re.compile(r"\b(?:in|during) ((?:19|20)\d{2})\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(today|yesterday|last week|this week|last month|this month)\b", re.I)
_ORDER = re.compile(r"\b(before|after)\s+(?:the\s+)?$", re.IGNORECASE)
_DIRECTION = re.compile(r"\b(before|after|since|until|by)\s*$", re.IGNORECASE)
_DATE_WORD = re.compile(r"\d{1,2}(?:st|nd|rd|th)?|(?:19|20)\d{2}(?:-\d{2}){0,2}")
_PIECE = r"(?:article|story|report|piece|coverage|post|interview)\b"
_GENERAL = frozenset(
    "happen happens happened happening new news latest recent recently today yesterday week "
    "month year day last anything everything else tell summarize summarise summary overview "
    "main key top cover covered coverage".split()
)
_COVERAGE = re.compile(
    r"\b(report\w*|publish\w*|wr[io]te|written|writ(es|ing)|sa(y|ys|id)|cover(ed|s|age|ing)?"
    r"|articles?|stor(y|ies)|news|headlines?|press|sources?)\b",
    re.IGNORECASE,
)


def parse_constraints(
    question: str,
    articles: Sequence[Article],
    sources: set[str],
    today: date,
    stated: Filters | None = None,
) -> Filters:
    """The `sources` and the date range `question` names, among what `articles` could match
    together with the filters the user `stated`."""
    named = _sources_named(question, sources)
    since, until = _date_range(question, today)
    if not _COVERAGE.search(question) and not _RELATIVE.search(question):
        since, until = "", ""  # a date of events, not of articles
    ordered = _relative_to_an_article(question, articles, sources)
    if ordered is not None:
        anchor, after, before = ordered
        since, until = max(since, after), min(until or before, before or until)  # both hold
        named = [source for source in named if source != anchor]  # the others', before it
    found = Filters(sources=named, since=since, until=until)
    both = (stated or Filters()).merged(found)
    if (since or until) and not any(both.allows(a) for a in articles):
        found = Filters(sources=named)  # no article of those dates: the words meant events
    return found


def asks_for_an_overview(question: str, found: Filters) -> bool:
    """ "What did Regional Wire report?", "What was published in March 2026?": a question whose
    only subject is the sources and dates it names. No sentence answers it better than another;
    what those articles open with does."""
    if not (found.sources or found.since or found.until):
        return False
    named = {word for source in found.sources for word in content_words(source)}
    words = content_words(question)
    dates = [w for w in words if w in MONTHS or _DATE_WORD.fullmatch(w)]
    stated = any(pattern.search(question) for pattern in _DATE_PATTERNS)
    if stated and not (found.since or found.until):
        return False  # a date no article has: about events, so a subject of its own
    return all(
        word in named or word in dates or word in _GENERAL or _COVERAGE.fullmatch(word)
        for word in words
    )


_DATE_PATTERNS = (
    _ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR, _IN_MONTH, _IN_YEAR, _RELATIVE
)  # fmt: skip


def _relative_to_an_article(
    question: str, articles: Sequence[Article], sources: set[str]
) -> tuple[str, str, str] | None:
    """(source, since, until) for "before the Verge article", "after Regional Wire's report":
    the dates before or after that source's article (of its dated articles, the one sharing
    the most words with the question; the earliest of equals). Only "before" and "after" right
    before a source's name: "since the Verge report said..." gives a reason, not a date."""
    ordered = _ordered_by(question, sources)
    if ordered is None:
        return None
    source, direction = ordered
    words = set(content_words(question))
    dated = [(day, a) for a in articles if a.source == source and (day := _day_of(a.date))]
    if not dated:
        return None
    day, _ = min(
        dated,
        key=lambda item: (-len(words & _words_of(item[1])), item[0]),
    )
    if direction == "before":
        return source, "", (day - timedelta(days=1)).isoformat()
    return source, (day + timedelta(days=1)).isoformat(), ""


def _ordered_by(question: str, sources: set[str]) -> tuple[str, str] | None:
    """The source whose article "before the Ledger article" orders by, and the direction."""
    for start, end, source in _mentions(question, sources):
        direction = _ORDER.search(question[:start])
        if direction and re.match(rf"(?:['’]s?)?\s+{_PIECE}", question[end:], re.IGNORECASE):
            return source, direction[1].lower()
    return None


def _words_of(article: Article) -> set[str]:
    """Enough of an article to tell which of a source's articles a question means."""
    return set(content_words(f"{article.title} {(article.text or '')[:2000]}"))


def _day_of(text: str) -> date | None:
    """An article's day, if its date has one ("2026-04" or a typo has none)."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _sources_named(question: str, sources: set[str]) -> list[str]:
    return sorted({source for _, _, source in _mentions(question, sources)})


def _mentions(question: str, sources: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, source) of each name of a source in `question`, in order. A source is
    named by its name ("The Millbrook Ledger", "Millbrook Ledger") or, after "the", by the last
    word of it that no other source's name has ("the Ledger", "the Courier-Times"), each
    capitalised as the source writes it: "the independent review" does not name The
    Independent. In a question written all in lower case, a name of two words or more still
    counts ("what did regional wire say?")."""
    lower_case = question == question.lower()
    found = []
    for source in sources:
        for pattern, words in _name_patterns(source, sources):
            for match in re.finditer(pattern, question, re.IGNORECASE):
                written = match[1]
                if (lower_case and len(words) > 1) or _capitalised_as(written, words):
                    found.append((match.start(1), match.end(1), source))
    return sorted(found)


def _name_patterns(source: str, sources: set[str]) -> list[tuple[str, list[str]]]:
    """Regular expressions for `source`'s names, each with the words it names it by."""
    bare = _bare(source).split()
    edge, end = r"(?<![\w-])", r"(?![\w-])"
    spaced = r"\s+".join(map(re.escape, bare))
    names = [(rf"{edge}({spaced}){end}", bare)]
    if len(bare) == 1 and bare[0] != source:  # "The Times": "times" names nothing
        names = [(rf"{edge}the\s+({re.escape(bare[0])}){end}", bare)]
    others = {w.casefold() for other in sources - {source} for w in _bare(other).split()}
    if len(bare) > 1 and bare[-1].casefold() not in others:
        names.append((rf"{edge}the\s+({re.escape(bare[-1])}){end}", bare[-1:]))
    return names


def _capitalised_as(written: str, words: list[str]) -> bool:
    """Each word the source's name capitalises is capitalised in the question too."""
    return all(
        typed[0].isupper() or not word[0].isupper()
        for typed, word in zip(written.split(), words, strict=False)
    )


def _bare(source: str) -> str:
    """ "The Millbrook Ledger" is also named as "Millbrook Ledger"."""
    return re.sub(r"^the\s+", "", source, flags=re.IGNORECASE)


def _date_range(question: str, today: date) -> tuple[str, str]:
    """(since, until) as ISO dates, either possibly empty."""
    for pattern, to_range in (
        (_ISO, lambda m: _day(int(m[1]), int(m[2]), int(m[3]))),
        (_DAY_MONTH_YEAR, lambda m: _day(int(m[3]), MONTHS[m[2].lower()], int(m[1]))),
        (_MONTH_DAY_YEAR, lambda m: _day(int(m[3]), MONTHS[m[1].lower()], int(m[2]))),
        (_MONTH_YEAR, lambda m: _month(int(m[2]), MONTHS[m[1].lower()])),
        (_IN_MONTH, lambda m: _latest_month(MONTHS[m[1].lower()], today)),
        (_IN_YEAR, lambda m: (date(int(m[1]), 1, 1), date(int(m[1]), 12, 31))),
        (_RELATIVE, lambda m: _relative(m[1].lower(), today)),
    ):
        match = pattern.search(question)
        if not match:
            continue
        try:
            first, last = to_range(match)
        except ValueError:  # "2026-02-30"
            continue
        direction = _DIRECTION.search(question[: match.start()])
        word = direction[1].lower() if direction else ""
        if word == "before":
            return "", (first - timedelta(days=1)).isoformat()
        if word in ("after",):
            return (last + timedelta(days=1)).isoformat(), ""
        if word == "since":
            return first.isoformat(), ""
        if word in ("until", "by"):
            return "", last.isoformat()
        return first.isoformat(), last.isoformat()
    return "", ""


def _day(year: int, month: int, day: int) -> tuple[date, date]:
    return date(year, month, day), date(year, month, day)


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _latest_month(month: int, today: date) -> tuple[date, date]:
    """ "in October" without a year: the last October that has begun."""
    return _month(today.year if month <= today.month else today.year - 1, month)


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
