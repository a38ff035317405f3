"""The day a news sentence tells of, read against its article's date: "on Tuesday", "March 14",
"yesterday", "a week after the fire". The digest's timeline and the answers' "what happened on…"
both date sentences this way, so it is one reading, apart from either."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Literal

from kb.constraints import CAPITAL_MONTH_PATTERN, MONTHS, ORDINAL
from kb.text import NUMBER_WORDS, SAYING, STOPWORDS, WEEKDAYS, number_in_words

_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Month names written with a capital, so that "will march 5 miles" names no day.
_MONTH_DAY = re.compile(rf"\b({CAPITAL_MONTH_PATTERN})\.? (\d{{1,2}}){ORDINAL}\b(?:,? (\d{{4}}))?")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({CAPITAL_MONTH_PATTERN})\b(?:,? (\d{{4}}))?")
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
_WEEKDAY = re.compile(rf"\b({_WEEKDAY_NAMES})\b", re.IGNORECASE)
_DATE_AFTER_WEEKDAY = re.compile(
    rf",?\s*(?:{_ISO_DAY.pattern}|{_MONTH_DAY.pattern}|{_DAY_MONTH.pattern})"
)
# "I spent", "I'd", "We've": not the road in "I-95 reopened".
_FIRST_PERSON = re.compile(r"(?:I|We|My|Our)(?=\s|['’](?:m|re|ve|d|ll)\b)")
_RELATIVE_DAY = re.compile(r"\b(yesterday|today)\b", re.IGNORECASE)
# What a day named there is not the sentence's own day: the opening dateline ("MILLBROOK, March
# 14 (Regional Wire) -"), a point of reference ("after the March 14 flood", "of the March 14
# failure", "through Saturday, March 21"), either end of a span ("March 23 to April 3"), a weekday
# of no particular week ("a bad Tuesday", "every Monday", "Tuesday in opening week").
_DATELINE = re.compile(r"\s*[A-Z][A-Z .'’-]*,\s*")
# A period's end is one too: "revenue for the three months to 30 September", "in the quarter
# ended September 30", "the year ending 31 March" report a period, not an event of its last day.
_PERIOD_NOUNS = r"(?:days?|weeks?|months?|quarters?|half|halves|years?|period|season|fortnight)"
_REFERENCE = re.compile(
    rf"(?:\b(?:after|since|before|following|through|of the)\s+(?:the\s+)?"
    rf"|\b{_PERIOD_NOUNS}\s+(?:to|ended|ending|through|until)\s+(?:on\s+)?)"
    rf"(?:(?:{_WEEKDAY_NAMES}),?\s+)?$",
    re.IGNORECASE,
)
_SPAN = re.compile(r"\s*(?:to|through|until|and|[-–—])\s*")
# "every Saturday", "every other Saturday", "a bad Tuesday": no day in particular. Not any word
# after "a": "issued a statement Tuesday" names the day the statement came.
_INDEFINITE = re.compile(
    r"\b(?:(?:every|each)\s+(?:[a-z]+\s+)?|(?:a|an|one)\s+(?:(?:bad|good|busy|quiet|slow|"
    r"typical|normal|usual|single|given|particular|certain|recent|later|rainy|sunny|snowy|cold|"
    r"hot|wet)\s+)?)$",
    re.IGNORECASE,
)
# "Black Friday", "Cyber Monday", "Super Tuesday": a weekday in a name is no day of the week
# (unlike "On Monday", "Last Friday", "Early Saturday").
_WORD_BEFORE = re.compile(r"\b([A-Z][a-z]+) $")
_DAY_WORDS = frozenset("last next this early late".split())
_WEEK_AFTER = re.compile(r"(?:\W+\w+){0,2}?\W+week(?:end)?\b", re.IGNORECASE)
_STARTING = re.compile(r"\b(?:from|starting|beginning|effective)\s+$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;—–]|:\s|\s-\s")
COMMA_OR_BREAK = re.compile(rf",\s|{_CLAUSE_BREAK.pattern}")
WORD = re.compile(r"[a-z][a-z'’]*")
_COORDINATION = re.compile(r",\s+(?:and|but)\s+|;\s+")
# A sentence telling of a time other than its own: "Seventeen months before", "three weeks ago",
# "for thirty-one years".
_ELSEWHEN = re.compile(
    r"\b(?:hours?|days?|weeks?|months?|years?|decades?)\s+(?:before|ago|earlier|after|later)\b"
    r"|\bfor\s+(?:[\w-]+\s+){0,2}(?:days|weeks|months|years|decades)\b"
    r"(?!\s+(?:to|ended|ending)\b)",  # not a period reported: "for the three months to June"
    re.IGNORECASE,
)
# The words that give a day named near them its tense (_tense).
_AHEAD_WORDS = frozenset(
    "will would shall due plan plans planned planning scheduled expect expects expected next "
    "coming upcoming intends aims".split()
)
_NOW_WORDS = frozenset({"now", "currently"})
_PAST_WORDS = frozenset(
    "was were had did said told rose fell tore broke came went began spent took gave made held "
    "met left ran won lost found brought sent paid built sold saw drew grew wrote spoke struck "
    "became led kept stood fought bought caught sought taught thought".split()
)
_PRESENT_WORDS = frozenset("is are am has have says remains".split())
AUXILIARIES = frozenset("be been being is are am was were has have having had get gets got".split())
_RELATIVES = frozenset("who whom whose which that where when while".split())
_Tense = Literal["ahead", "now", "past"]
# "Ten days after the fire", "a week after": a sentence telling of a time counted from a day.
_COUNTED_AFTER = re.compile(
    rf"\b(\d+|a|an|one|{'|'.join(NUMBER_WORDS)})\s+(days?|weeks?)\s+after\b", re.IGNORECASE
)
# After a count's "… after the fire": the day named is the counted day itself when it is said to
# be the day something happened on ("…, on Monday, March 30") or opens the clause after it
# ("A week after the fire, October 21 was …").
_DAY_OF_THE_COUNTED = re.compile(
    rf"(?:\bon|^[^,]*,)\s+(?:(?:{_WEEKDAY_NAMES}),?\s+)?$", re.IGNORECASE
)


@dataclass(frozen=True)
class _DayMention:
    """A day a sentence names: a written date (`month`, `day`, and `year` if written), a weekday
    (Monday 0), or a day counted back from the article's ("yesterday" 1, "today" 0)."""

    start: int
    end: int
    month: int = 0
    day: int = 0
    year: int = 0
    weekday: int = -1
    days_back: int = -1


def _written_dates(sentence: str) -> list[_DayMention]:
    """The dates written out, without those that are a point of reference or a span's ends."""
    written = [
        _DayMention(m.start(), m.end(), int(m[2]), int(m[3]), int(m[1]))
        for m in _ISO_DAY.finditer(sentence)
    ]
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        written += [
            _DayMention(
                m.start(),
                m.end(),
                MONTHS[m[month_group].lower()],
                int(m[day_group]),
                int(m[3] or 0),
            )
            for m in pattern.finditer(sentence)
        ]
    written.sort(key=lambda mention: mention.start)
    spans = {
        index
        for first, second in pairwise(written)
        if _SPAN.fullmatch(sentence[first.end : second.start])
        for index in (first.start, second.start)
    }
    return [
        mention
        for mention in written
        if mention.start not in spans and not _REFERENCE.search(sentence[: mention.start])
    ]


def _weekdays(sentence: str) -> list[_DayMention]:
    """The weekdays named that say which day they are, not "Sunday" of "Sunday, March 15" (the
    date says it), nor one of no particular week."""
    weekdays = []
    for match in _WEEKDAY.finditer(sentence):
        before, after = sentence[: match.start()], sentence[match.end() :]
        week = _WEEK_AFTER.match(after)
        if (
            _DATE_AFTER_WEEKDAY.match(after)
            or _REFERENCE.search(before)
            or _INDEFINITE.search(before)
            or _in_a_name(before)
            or (week and "this" not in week.group().lower().split())
        ):
            continue
        weekday = WEEKDAYS.index(match[1].lower())
        weekdays.append(_DayMention(match.start(), match.end(), weekday=weekday))
    return weekdays


def _in_a_name(before: str) -> bool:
    """Whether a weekday after `before` is part of a name: see _WORD_BEFORE."""
    match = _WORD_BEFORE.search(before)
    return match is not None and match[1].lower() not in STOPWORDS | _DAY_WORDS


def _regular_past(word: str) -> bool:
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed")


def _past_form(word: str, previous: str) -> bool:
    """A verb in the past tense, not a participle after "be" or "have" ("would be fixed": the
    word before it tells)."""
    return past_tense(word) and previous not in AUXILIARIES


def _tense(sentence: str, start: int, end: int) -> _Tense:
    """Whether a day named between `start` and `end` is to come ("will meet on", "expected ... by",
    "from June 1"), is the article's present ("now counts 41 reports, up from 27 on March 18"),
    or is past (as a news report's days are, unless a word says otherwise): the nearest telling
    word before it in its clause, else the first after it."""
    if _STARTING.search(sentence[:start]):
        return "ahead"
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
    clause_end = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)), len(sentence))
    before = WORD.findall(sentence[clause_start:start].lower())
    after = WORD.findall(sentence[end:clause_end].lower())
    nearest_first = [
        *((word, before[i - 1] if i else "") for i, word in reversed(list(enumerate(before)))),
        *((word, after[i - 1] if i else "") for i, word in enumerate(after)),
    ]
    for word, previous in nearest_first:
        if word in _NOW_WORDS:
            return "now"
        if word in _AHEAD_WORDS:
            return "ahead"
        if _past_form(word, previous):
            return "past"
    return "past"


def _subordinate(sentence: str, start: int) -> bool:
    """Whether a day named at `start` is in a relative or participial clause, a detail of
    something else the sentence tells ("the levee that failed on March 14", "the plan, presented
    on Tuesday, would...")."""
    words = WORD.findall(COMMA_OR_BREAK.split(sentence[:start])[-1].lower())
    return bool(words) and (bool(_RELATIVES.intersection(words)) or _regular_past(words[0]))


def _after_a_past_event(sentence: str, start: int) -> bool:
    """Whether `start` is in a clause joined after one telling a past event ("The rain ended by
    9 a.m., and forecasters expected the river to drop by Monday": Monday is the forecast's, not
    the day of what the sentence tells)."""
    joins = [m.start() for m in _COORDINATION.finditer(sentence, 0, start)]
    if not joins:
        return False
    return _tells_past(sentence[: joins[-1]])


def _tells_past(text: str) -> bool:
    """Whether the first verb that shows a tense is in the past ("A flood tore through", not
    "Our tally is higher than what owners paid")."""
    words = WORD.findall(text.lower())
    for previous, word in zip(["", *words], words):
        if word in _PRESENT_WORDS:
            return False
        if _past_form(word, previous):
            return True
    return False


def tells_an_event(sentence: str) -> bool:
    """Whether an article's opening, naming no day, tells an event of the article's day: one
    told in the past tense, and not of another time ("Seventeen months before the levee broke,
    engineers warned"); not a state ("Tom Reyes has lived on Fenwick Street for thirty-one
    years") or a view ("Four weeks in, it is fair to call the Green Line a success"), nor a
    writer's own story ("I spent two years on the overnight shift", a blog's opening)."""
    return (
        _tells_past(sentence)
        and not _ELSEWHEN.search(sentence)
        and not _FIRST_PERSON.match(sentence)
    )


def _resolved(mention: _DayMention, tense: _Tense, published: date | None) -> date | None:
    """The day `mention` names in an article of `published`; None when it is no day (February
    30), or needs the article's date and there is none."""
    if mention.days_back >= 0:
        return published - timedelta(days=mention.days_back) if published else None
    if tense == "now" and published:
        return published
    if mention.month:
        year = mention.year or (published.year if published else 0)
        try:
            day = date(year, mention.month, mention.day)
            if (
                not mention.year
                and published
                and tense != "ahead"
                and day > published + timedelta(7)
            ):
                day = day.replace(year=year - 1)
        except ValueError:  # no year to read it in, February 30, or a 29 February moved
            return None
        return day
    if published is None:
        return None
    if tense == "ahead":
        return published + timedelta(days=(mention.weekday - published.weekday()) % 7)
    return published - timedelta(days=(published.weekday() - mention.weekday) % 7)


def days_named(sentence: str, published: date | None) -> str:
    """The day `sentence` tells of, as YYYY-MM-DD, read against the article's date `published`.

    The days it names are written dates, weekdays, "yesterday" and "today", and the first one
    counts, save one in a relative or participial clause while there is another, and the opening
    dateline only when there is no other; days that are points of reference ("after the March 14
    flood"), a span's ends, or of no particular week name none. A month and day are in the year
    of `published`, or the year before when that would be over a week after it and the sentence
    does not say it is to come; a weekday is the latest on or before `published`, or the next
    when it is to come ("will", "would", "due", "from"...). A day that a present statement
    compares with ("now counts 41, up from 27 on March 18") gives the sentence `published`.
    Impossible dates are passed over."""
    mentions = _mentions(sentence)

    def rank(mention: _DayMention) -> tuple[int, int]:
        if _DATELINE.fullmatch(sentence[: mention.start]):
            return 2, mention.start
        return int(_subordinate(sentence, mention.start)), mention.start

    for mention in sorted(mentions, key=rank):
        tense = _tense(sentence, mention.start, mention.end)
        if tense == "ahead" and _after_a_past_event(sentence, mention.start):
            continue
        if day := _resolved(mention, tense, published):
            return (day + _counted_after(sentence[: mention.start])).isoformat()
    return ""


def _mentions(sentence: str) -> list[_DayMention]:
    """The days `sentence` names (see `days_named`), in no particular order."""
    return [
        *_written_dates(sentence),
        *_weekdays(sentence),
        *(
            _DayMention(m.start(), m.end(), days_back=1 if m[1].lower() == "yesterday" else 0)
            for m in _RELATIVE_DAY.finditer(sentence)
        ),
    ]


def day_told(sentence: str, published: date | None) -> str:
    """The day `sentence` names (`days_named`), or when it cannot be read without a date the
    article lacks ("announced on Wednesday" in an undated article), the words naming the first,
    lowercased ("wednesday"): an unread "Wednesday" is no day that "Oct. 29" is known to be."""
    day = days_named(sentence, published)
    mentions = sorted(_mentions(sentence), key=lambda mention: mention.start)
    if day or not mentions:
        return day
    return sentence[mentions[0].start : mentions[0].end].lower()


def _counted_after(before: str) -> timedelta:
    """How long after a day named after `before` the sentence tells of: "Ten days after the fire
    …, the chief sat down … to talk about the night of October 14" is of October 24. None when
    the day is that of what the count leads to: "A week after the fire, on October 21, the plant
    reopened" is of October 21."""
    counts = list(_COUNTED_AFTER.finditer(before))
    if not counts or _DAY_OF_THE_COUNTED.search(before[counts[-1].end() :]):
        return timedelta(0)
    number, unit = counts[-1][1].lower(), counts[-1][2].lower()
    if number.isdigit():
        value = int(number)
    else:
        value = number_in_words(number) if number in NUMBER_WORDS else 1  # "a week"
    return timedelta(days=value * (7 if unit.startswith("week") else 1))


# "…, the company said on Wednesday", "union leaders said Friday": the day a report was given.
_DAY_SAID = re.compile(
    rf"\b(?:{SAYING}|announced|confirmed|added)\s+(?:on\s+)?(?:(?:late|early)\s+)?"
    rf"(?:{_WEEKDAY_NAMES}|yesterday|today|{_MONTH_DAY.pattern}|{_DAY_MONTH.pattern})",
    re.IGNORECASE,
)


def without_days_said(sentence: str) -> str:
    """`sentence` with the days its reports were given blanked out (offsets kept): "will cut
    1,200 jobs, the company said on Wednesday" tells of cuts on no day, and another outlet's
    "said on Thursday" about 1,400 is a count of the same cuts."""
    return _DAY_SAID.sub(lambda said: " " * len(said[0]), sentence)


def date_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` writes a date ("2026-03-14", "March 14", "14 March"), whatever it is of."""
    return [
        match.span()
        for pattern in (_ISO_DAY, _MONTH_DAY, _DAY_MONTH)
        for match in pattern.finditer(sentence)
    ]


# After an entry's opening date: an optional time, then ":" or a dash ("…, 09:40 — ", "…: ").
_STAMP_AFTER_DATE = re.compile(r"(?:,?\s*\d{1,2}[:.]\d{2})?\s*(?::|—|–|-)\s+")


def dated_entry(text: str) -> tuple[str, int] | None:
    """The date a timeline or live-blog entry opens with, as written, and where its words
    start: ("28 September 2026", 27) of "28 September 2026, 09:40 — Union general secretary…",
    ("September 28", 14) of "September 28: Grey Heron operators log in…". None when the text
    does not open with a date and a stamp: "March 14 was the wettest day" is a sentence."""
    opening = next((end for start, end in date_spans(text) if start == 0), 0)
    stamp = _STAMP_AFTER_DATE.match(text, opening) if opening else None
    return (text[:opening], stamp.end()) if stamp else None


def past_tense(word: str) -> bool:
    """A word in the past tense, or a participle: "reported", "paid", "fell"."""
    return word in _PAST_WORDS or _regular_past(word)
