"""A digest of several articles on one story: an overview, what the sources agree on, where they
differ, and a dated timeline; every statement cited to sentences of the articles.

Offline, the sentences of all the articles are embedded together. A statement that two or more
sources (outlets, or articles of no known outlet) make in close words, with no different figures
for one thing and not in a writer's own voice ("We expect…"), is agreed (quoted from the article
that says it most centrally); figures that two sources give differently for one thing, in their
own words ("at a cost of €4.2 billion", "will invest €4.5 billion"), or that a later article
changes, and years one sets against another's ("early 2029, later than the 2028 date"), are
where they differ, side by side with each source and date (and not stated as settled anywhere
else); sentences that name a day (and each article's opening telling an event, at its own
date) make the timeline. With an LLM, the model writes the
digest over the articles' abstracts and numbered candidate sentences (map: the per-article
summaries; reduce: one call), and every statement is checked against the sentences it cites.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from itertools import combinations
from typing import Any, Literal, NamedTuple

import numpy as np

from kb.constraints import CAPITAL_MONTH_PATTERN
from kb.dates import (
    AUXILIARIES,
    COMMA_OR_BREAK,
    WORD,
    date_spans,
    dated_entry,
    day_told,
    days_named,
    past_tense,
    tells_an_event,
    without_days_said,
)
from kb.embed import Embedder
from kb.llm import ChatModel, complete_json
from kb.models import Article, Citation, Digest, DigestPoint
from kb.prompts import DIGEST_SCHEMA, PROMPT_VERSION, digest_messages
from kb.summarize import CALL_TO_ACTION, announces, article_sentences, editors_notes, leans
from kb.support import supported
from kb.text import (
    NUMBER_WORDS,
    SAYING,
    STOPWORDS,
    WEEKDAYS,
    YEAR,
    content_words,
    fold,
    iso_day,
    number_in_words,
    stems,
    topic_words,
)

DIGEST_TOKENS = 1700  # the longest reply DIGEST_SCHEMA allows (24 statements)
SAME = 0.7  # cosine above which two sentences of different articles say the same thing
CLAIMED = 0.35  # the share of the longer sentence's words that the same claim says in both
CLAIMED_ONE_FIGURED = 0.6  # the same, when only one of them gives figures
ABOUT = 0.3  # cosine with a query that an article's title or closest sentences must reach
ON_TOPIC = 0.3  # cosine above which two sentences giving figures for one thing are on one topic
# Cosine above which two sentences giving one figure with a word in common around it state one
# claim in other words: the Veltra fire's paraphrases of one fact ("opened the Quarry Road plant
# in 2021" / "the plant, which opened in 2021"; "$500,000 pledged" / "had pledged $500,000")
# measure 0.61-0.70, below SAME.
SAME_FIGURE = 0.55
# The share of two quotations' words in common above which they quote the same words (a word
# or two cut or changed, as outlets quote).
QUOTED_ALIKE = 0.8  # of the shorter quotation's, which may be the longer one cut short
QUOTED_WORDS = 4  # content words that make a quotation, not a word in quotes ("landmark")
# Things whose figures differ, at most: two reports of one fire differ on the dead, the injured,
# the time of the first call, the evacuated and the staff; three left most of them out.
DIFFERENCES = 6
# Timeline entries: ten, or two an article (six articles on a fire told twelve dated events, the
# lifting of the evacuation among them, and ten left it out).
TIMELINE, TIMELINE_EACH = 10, 2
MAX_SENTENCES = 80  # per article: digests read openings and bodies, not endless tails
# The words of a writer speaking for themselves anywhere in a sentence (not "US", nor the "I" of
# "I-95").
_OWN_WORDS = re.compile(r"\b(?:I(?![-’']?\d)|[Mm]e|[Mm]y|[Ww]e|[Uu]s|[Oo]urs?)\b")
# A quotation, or one left open to the end of what is read: someone else's words.
_QUOTATION = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
_OTHER_EVENT = re.compile(r"\b(?:after|before|since|until|once)\b")
# "State Route 9", "Gate 12": a number after a capitalised word inside a sentence names a thing;
# not after a day's ("said on Saturday 400 people were staying…", "in March 40 homes").
_NUMBERED_NAME = re.compile(
    rf"\S\s+(?!(?i:{'|'.join(WEEKDAYS)}|{CAPITAL_MONTH_PATTERN})\b)[A-Z][a-z]+ $"
)
# A figure: "312", "1,150", "$7.0 million", "€4.2bn", "EUR 900 million", "38%", "17 percent";
# not part of a word, a time (4:40), a score (5-2) or a version (VX-40). "bn" and "m" scale a sum
# only ("$85m"; "100m" alone is a distance).
_CURRENCY = r"[$€£¥]|(?:US\$|EUR|USD|GBP)\s?"
_FIGURE = re.compile(
    rf"(?<![\w.,:$€£¥-])(?P<currency>{_CURRENCY})?(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
    r"(?P<short>(?:bn|m)(?(currency)|(?!)))?(?![\w:-]|[.,]\d)"
    r"(?P<scale>%|\s*per\s?cent\b|\s+(?:thousand|million|billion)\b)?"
)
_SCALES = {"": 1.0, "%": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_SHORT_SCALES = {"bn": "billion", "m": "million"}
# One currency however written: "EUR 900 million" and "€900 million" are one sum.
_CURRENCY_SIGNS = {"US$": "$", "USD": "$", "EUR": "€", "GBP": "£"}
# "€4.2 billion (about $4.6bn)": the same sum in another currency, no second sum.
_CONVERSION = re.compile(
    r"\s*\(\s*(?:about|around|roughly|approximately|some|nearly|almost|or|c\.|~)?\s*"
)
# "1,200 or 1,500 people", "8 to 10 weeks", "two or three days": both figures count what the
# second one does (a range or alternatives, no figure of its own).
_ALTERNATIVE = re.compile(
    rf"\s*(?:or|to|-|–)\s*(?:about\s+)?(?:{_CURRENCY})?"
    rf"(?:\d[\d,.]*\d|\d|{'|'.join(NUMBER_WORDS)})\b(?:\s+(?:thousand|million|billion)\b)?",
    re.IGNORECASE,
)
# A count in a sentence with these is a rate, an average or a count over some period ("31,000
# boardings on the opening day", "17,300 on the first day with fares"): not two counts of one
# thing that contradict each other. A share is of its period anyway ("52% of patients responded
# after 24 weeks", "growth slowed to 6.2% this year"): `_shares_alike` compares the periods.
# "Each"/"every" only before a time: "every home within one mile" is a count, not a rate.
_PERIOD = re.compile(
    r"\b(?:per|average|averaged|(?:week)?days?|weeks?|months?|years?|"
    r"(?:each|every)\s+(?:\w+\s+)?(?:nights?|mornings?|hours?))\b",
    re.IGNORECASE,
)
# A figure a sentence gives as the old one of a change: "up from 27 reports", "instead of the
# $420 originally offered", "compared with 250".
_OLD_BEFORE = re.compile(r"\b(?:from|instead of(?: the)?|compared with|than)\s+(?:about\s+)?$")
# A year a sentence sets against the one it gives: "in early 2029, later than the 2028 date the
# company gave investors", "in 2028 instead of 2027".
_SET_AGAINST = re.compile(r"\b(?:than|instead of)\s+(?:the\s+)?$", re.IGNORECASE)
_OLD_AFTER = re.compile(r"\S*\s+(?:\w+\s+)?(?:originally|previously|initially|first)\b")
_UNIT_WORDS = 3  # "63 water rescues": the noun a figure counts comes within a few words
# A share saying what it is a share of: "52% of patients", "48 percent of the patients".
_SHARE_OF = re.compile(r"\S+(?:\s*per\s?cent)?\s+of\s+(?=\w)", re.IGNORECASE)


# Nouns that count one thing in other words: "Crews from four departments fought the fire" and
# "Firefighters from five agencies responded"; "1,200 permanent positions" and "1,500 jobs".
def _kinds(words_of_a_kind: dict[str, str]) -> dict[str, str]:
    """Each stem of the words of a kind, to that kind."""
    return {stem: kind for kind, words in words_of_a_kind.items() for stem in stems(words)}


_COUNTED_ALIKE = _kinds(
    {
        "agency": "agencies departments",
        "job": "jobs positions",
        # "pulled 150 members off the route" and "142 deckhands, engineers and ticket staff
        # joined the strike": one walkout's workers.
        "worker": "workers members deckhands employees staff strikers",
    }
)
# What a sum is, in other words: "at a cost of €4.2 billion" and "will invest €4.5 billion" price
# one plant; "fined the company $48,600" and "a penalty of $36,000" are one fine.
_SUM_KINDS = _kinds(
    {
        "cost": "cost costs invest invests investment price",
        "fine": "fine fined penalty",
        "aid": "aid subsidy subsidies grant",
    }
)
# Words of the time a share is of, not of what it measures: "up 11% in a single quarter" and
# "revenue fell 6% in the third quarter" measure two things.
_TIME_STEMS = frozenset(
    stems("quarter half year years month week day period decade annual single first second third")
)
# Words of a share's change, not of what changed: "Shares rose 2.1%" and "revenue rose 4%" share
# only "rose", and measure two things.
_CHANGE_STEMS = frozenset(
    stems(
        "rise rose risen fall fell fallen grow grew grown increase decrease decline drop climb "
        "jump slip shrink shrank gain lose lost slow up down higher lower close"
    )
)
# Units of a duration: "spent nearly four hours on the roof" and "118 millimetres of rain fell
# … in about six hours" time two things; a duration is of what its clause says it is of.
_DURATION_STEMS = frozenset(stems("hours minutes seconds nights"))
# Verbs that say nothing of what a figure is of: "including two in which a pack began smoking"
# and "including 12 fires" count two things.
_VACUOUS_ACTIONS = frozenset(stems("including included includes"))
# Words of a figure foreseen, not found: a forecast and an outcome are two things.
_FORECAST_STEMS = frozenset(stems("projected projection forecast predicted prediction target"))
_HOUSEKEEPING_WORDS = 12  # "The car park remains open free of charge.": a notice is short
MONEY = "¤"  # with its currency, the key of sums that say what they are only in their clause
ACTION = "@"  # marks a count by what a verb says it is of ("@employ"), not by a noun
_NAMED_WORDS = 6  # "40 homes on Elm Street": what a count is of is named right after it
# "Three workers", "four departments": a count written as a word, before what it counts.
_WORD_COUNT = re.compile(rf"\b({'|'.join(NUMBER_WORDS)})\b(?=\s+[a-z])", re.IGNORECASE)
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\s*([ap])\.?m\b", re.IGNORECASE)
# Words between a verb and its figure that say nothing of what the figure is of.
_APPROXIMATE = frozenset(
    "roughly approximately nearly almost around some least shortly just only estimated "
    "total".split()
)
_JOINS = frozenset({"and", "or", "but"})
# A word joined by "and" or "or" to what follows it, not a plural noun of its own ("current
# and former members", not "homes and businesses"): it and what follows qualify one noun.
_JOINED_WORD = re.compile(r"\s*([a-z]*[a-rt-z])\s+(?:and|or)\s+")
# A toll told in several verbs: "Three workers were killed" and "Two people died" count one thing.
_TOLL = {
    **dict.fromkeys("killed died dead deaths death fatalities".split(), "death"),
    **dict.fromkeys("injured hurt wounded injuries".split(), "injury"),
}
_NAME = re.compile(r"\b[A-Z][\w'’-]*")
_TITLES = frozenset("dr prof professor mr mrs ms mx sir dame rev".split())
# What says a statement is not so: "will be closed" and "did not reopen" do not agree.
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without)\b|n[’']t\b", re.IGNORECASE)
# Lines of a page that tell no news: a newsletter's pitch ("Sign up for our newsletter", "…
# delivered to your inbox"), a note on the page itself ("This statement will be updated as the
# situation changes."), a teaser for another story ("Read more: …", "Watch:", "See also"),
# a fragment cut from its sentence ("he watched it come through it."). Only as a page's own
# words: "Residents can sign up for flood alerts", "Watch groups said", "See Street" are news.
_PROMO = re.compile(
    rf"^{CALL_TO_ACTION}|\b(?:our newsletter|(?:delivered )?to your "
    r"inbox|delivered (?:weekday|daily|every)|stories that matter|breaking news alerts|"
    r"this (?:statement|page|story|article|post) (?:will|may) be updated)\b",
    re.IGNORECASE,
)
_TEASER = re.compile(r"(?:Read\b[^.:!?]{0,60}|Watch|Listen|Also read):|See also\b")
# "eBay said…", "iPhone sales…": a name written with an inner capital starts in lower case.
_INNER_CAPITAL = re.compile(r"[a-z]+[A-Z]")
# "At a quarter past three on Saturday morning, he watched it come through it.": after its
# opening phrase, a sentence whose subject is a pronoun that only the sentence before explains;
# no timeline point, since its day is the event's the sentence before tells ("Four weeks in,
# it is fair to call the Green Line a success." still says something of its own).
_PRONOUN_AFTER_OPENING = re.compile(r"[^,]{1,60},\s+(?:he|she|they|it|we|his|her|their|its)\s")
# "On Monday the University of Northmoor used it to describe the trial": the object of a
# sentence's first clause a pronoun, its noun in the sentence before ("said it would" is its
# subject, "it" of the one who said; so is "what it said", "that they").
_OBJECT_PRONOUN = re.compile(
    r"[^,;:\"“”]*?\b(?!(?:what|which|that|who|whom|where|when|how|why|if|because)\s)[a-z]+"
    r"\s+(?:it|them)\b(?![-’'])"
    r"(?!\s+(?:is|was|were|are|has|had|have|will|would|could|can|may|might|should|must|did)\b)"
)
# "The university says the trial was co-funded, but as far as I can tell Helix Thera paid…":
# another's claim, given to be disputed.
_DISPUTED = re.compile(
    r"(?P<claim>[^,;:]*\b(?:says?|said|claims?|claimed|insists?|maintains?)\b[^,;:]+),\s+but\b"
    r"\s+(?P<next>\w+)"
)
# Words that give a claim as someone's: "Calder Mutual said…", "Vance repeated that…", "The company
# insists…"; and for the one answering it, "Sorensen … told ByteWatch she believes…".
_REPORTED = re.compile(
    rf"\b(?:{SAYING}|repeated|denie[sd]|argues|argued|spoke|puts)\b"
)  # not "claims": "your claims", "anyone who claims to be from Grey Heron"
# What sets one source's figure against another's inside one sentence: "a press release that says
# 1.2 million people were affected while a reporter's source says 1.4 million", "The union says
# 1,250 of its members are involved; the council puts the figure at 1,100".
_AGAINST = re.compile(r";|\b(?:while|whereas|but)\b")
# A sentence opening against the one before it: "However, independent security researcher Lena
# Sorensen said she had found a listing…".
_REBUTTAL = re.compile(r"(?:However|But|Yet)\b")
# A sentence in the writer's words saying that what follows is disputed: "This is the main point
# of dispute." (not someone's: '"That contradicts the company's statement."' is the one before's).
_DISPUTE = re.compile(r"\b(?:disput|contradict|contest)", re.IGNORECASE)
# Content words two reports of one claim share at least: "Calder Mutual said no payment card data
# had been taken" and "The company insists that no payment card data was stolen" share three.
_CLAIM_WORDS = 3
# What a report calls an organisation it has named: "Calder Mutual said…" then "However, the
# company said…" is one party going on.
_PARTY_NOUNS = frozenset(
    stems("company firm business group corporation organisation organization maker")
)
# A quotation whose speaker is a pronoun, and the sentence ends: '"…in the room," she said.'
_PRONOUN_SPEAKER = re.compile(
    r"[,.!?…][\"”’']\s+(?:he|she|they)\s+(?:said|says|added|told|wrote)\.?$"
)
_SHOUTED_DAY = re.compile(r"\b(?:TODAY|TONIGHT|TOMORROW)\b")


@dataclass
class _Sentence:
    article: Article
    position: int  # within its article
    start: int
    end: int
    text: str
    day: str  # the day it names (resolved against the article's date; an opening event: that date)


class _Figure(NamedTuple):
    unit: str  # what it counts: "home", "%" for a share, "" for nothing said
    value: float
    start: int  # where it stands in its sentence
    # What it is a figure of, said by a verb: before it ("employ", "report"), after it ("di<" for
    # "Two people died"), a toll either way ("death", "injury").
    action: str = ""
    # "digits", or a count "words" or a time of "day" (in minutes): those two only tell where
    # sources differ, as before they were read (the overview's choice is tuned on digits)
    written: Literal["digits", "words", "day"] = "digits"


def _figures(sentence: str) -> list[_Figure]:
    """The figures a sentence gives, in order, each with what it counts (the last word of the
    words right after it, before any small word or verb: "250 homes had" -> "home", "94,000
    boardings per weekday" -> "boarding", "900 residents living within" -> "resident"; "%" for a
    share; "" when nothing follows: "at least 34.") and what it is a figure of (`_action`).
    Counts of two to twenty written as words ("Three workers were killed") and times of day
    ("reported at 2:40 a.m.", in minutes) are figures too."""
    figures = []
    previous: re.Match[str] | None = None  # the last sum, which a conversion may follow
    for match in _stated_figures(sentence):
        if _is_year(match) or (
            previous
            and match["currency"]
            and _CONVERSION.fullmatch(sentence, previous.end(), match.start())
        ):
            continue
        previous = match if match["currency"] else None
        unit, action = (
            ("%", _action(sentence, match, "%"))
            if _scale(match) == "%"
            else _counted(sentence, match)
        )
        figures.append(_Figure(unit, _amount(match), match.start(), action))
    for match in _WORD_COUNT.finditer(sentence):
        value = number_in_words(match[1])
        unit, action = _counted(sentence, match)
        figures.append(_Figure(unit, float(value), match.start(), action, "words"))
    for match in _CLOCK.finditer(sentence):
        minutes = int(match[1]) % 12 * 60 + int(match[2]) + (720 if match[3] in "pP" else 0)
        action = _action(sentence, match, "")
        figures.append(_Figure("", float(minutes), match.start(), action, "day"))
    return sorted(figures, key=lambda figure: figure.start)


def _counted(sentence: str, figure: re.Match[str]) -> tuple[str, str]:
    """What a count counts and is a count of (see _figures, _action). None of a verb when a word
    qualifies what it counts: "approved 40 parking spaces" and "approved 12 housing units" are
    of two things, not two counts of what was approved. A range's or an alternative's first
    figure counts what the second does: "employ 1,200 or 1,500 people"."""
    after = sentence[figure.end() :]
    alternative = _ALTERNATIVE.match(after)
    unit, words = _unit(after[alternative.end() :] if alternative else after)
    return unit, "" if words > 1 else _action(sentence, figure, unit)


def _unit(after: str) -> tuple[str, int]:
    """What a figure counts, from the words `after` it (see _figures), and in how many words. A
    verb's form ends them after a noun ("900 residents living within"), not before one it
    qualifies ("40 parking spaces", "300 displaced residents"); nor does a word joined by "and"
    to another before the noun ("1.2 million current and former members": members, not
    "current"; but "200 staff and students returned" counts staff)."""
    joined = _JOINED_WORD.match(after)
    if joined and _unit_word(joined[1]):
        unit, taken = _unit(after[joined.end() :])
        if taken > 1:  # "former members", not "students returned"
            return unit, taken + 2
    unit, taken = "", 0
    words = [(token.rstrip(".,;:!?)\"'”’").lower(), token) for token in after.split()[:_UNIT_WORDS]]
    for position, (word, token) in enumerate(words):
        if not _unit_word(word):
            break
        if _is_verb(word) and (unit or not _qualifies_a_noun(words[position:])):
            break
        unit, taken = next(iter(stems(word)), word), taken + 1
        unit = _COUNTED_ALIKE.get(unit, unit)
        if word != token.lower():
            break  # punctuation ends the words it counts
    return unit, taken


def _unit_word(word: str) -> bool:
    """A word that can be what a figure counts, or part of it: no number or small word."""
    return word.isalpha() and word not in STOPWORDS and word != "per"


def _qualifies_a_noun(words: list[tuple[str, str]]) -> bool:
    """Whether the first of `words` (a verb's form) comes right before a noun it qualifies:
    "displaced residents", not "injured in the blast" or "killed, officials said"."""
    (_, token), *rest = words
    return bool(rest) and token.isalpha() and _unit_word(rest[0][0]) and not _is_verb(rest[0][0])


def _action(sentence: str, figure: re.Match[str], unit: str) -> str:
    """What a figure is a figure of, as a verb says it: the word just before it in its clause,
    past small words ("employs about 210 people", "reported shortly after 3:15 a.m."), or the
    verb after what it counts (`unit`: "Two people died", "17 were injured"), marked "<": "crews
    responded to three fires" and "five agencies responded" count different things; a toll's
    verbs named as one either way ("killed", "died": "death"). Not across an "and": "Three
    workers were killed and 14 others were injured" gives no 14 deaths."""
    begin, end = _clause(sentence, figure.start())
    before = WORD.findall(sentence[begin : figure.start()].lower())
    while (
        before
        and before[-1] not in _JOINS
        and (before[-1] in STOPWORDS or before[-1] in _APPROXIMATE)
    ):
        before.pop()
    word = before[-1] if before else ""
    # "the plant employs": an -s after a noun ("across" is none, nor "Officials said")
    third_person = (
        word.endswith("s")
        and not word.endswith("ss")
        and len(before) > 1
        and before[-2] not in STOPWORDS
    )
    if stems(word) & _VACUOUS_ACTIONS:
        return ""
    if _is_verb(word) or third_person:
        return _TOLL.get(word) or next(iter(stems(word)), "")
    for position, following in enumerate(WORD.findall(sentence[figure.end() : end].lower())):
        if following in AUXILIARIES or (position == 0 and unit):
            continue  # "14 others were injured": what it counts, then "were"
        if not _is_verb(following):  # "Officials said 40 homes.", "Crews from four"
            break
        return _TOLL.get(following) or next(iter(stems(following)), "") + "<"
    return ""


def _is_verb(word: str) -> bool:
    """A word that can only be a verb of what a figure says: "reported", "affecting", "paid",
    "died"."""
    return word in _TOLL or past_tense(word) or word.endswith("ing")


def _amount(figure: re.Match[str]) -> float:
    """What a figure matched by _FIGURE is worth: "1,150" 1150, "$7.0 million" 7e6, "€4.2bn"
    4.2e9."""
    return float(figure["number"].replace(",", "")) * _SCALES[_scale(figure)]


def _scale(figure: re.Match[str]) -> str:
    """A figure's scale as _SCALES names it: "%" for "38%" and "17 percent", "billion" for
    "€4.2bn"."""
    written = (figure["scale"] or "").strip()
    if written and written[0] in "%p":  # "%", "percent", "per cent"
        return "%"
    return written or _SHORT_SCALES.get(figure["short"] or "", "")


def _is_year(figure: re.Match[str]) -> bool:
    """A figure that is a year ("in 2021"), not a sum or a share ("$2021", "2000%")."""
    return bool(YEAR.fullmatch(figure["number"])) and not (
        figure["currency"] or figure["short"] or figure["scale"]
    )


def _currency(sentence: str, start: int) -> str:
    """The currency of a figure starting at `start` of `sentence` ("$", "€"...), "" for none."""
    sign = re.match(_CURRENCY, sentence[start:])
    return _CURRENCY_SIGNS.get(sign[0].strip(), sign[0].strip()) if sign else ""


class _Stated(NamedTuple):
    """A figure a sentence states, as `_figure_in_common` compares it."""

    currency: str  # "$" of "$2 million", "" of "2 million"
    amount: float
    words: frozenset[str]  # the stems of its clause


def _stated(sentence: str) -> list[_Stated]:
    """The figures `sentence` states (`_stated_figures`), each with its clause's words."""
    return [
        _Stated(
            _currency(sentence, figure.start()),
            _amount(figure),
            frozenset(
                stem
                for stem in stems(sentence[slice(*_clause(sentence, figure.start()))])
                if stem.isalpha()
            ),
        )
        for figure in _stated_figures(sentence)
    ]


def _figure_in_common(first: list[_Stated], second: list[_Stated]) -> bool:
    """Whether two sentences' figures (`_stated`) give one (a year too), each in a clause with a
    word the other's has: "the plant, which opened in 2021" and "opened the Quarry Road plant in
    2021"."""
    return any(
        (one.currency, one.amount) == (other.currency, other.amount) and one.words & other.words
        for one in first
        for other in second
    )


def _leads_alike(first: list[_Stated], second: list[_Stated]) -> bool:
    """Whether each of two sentences' figures (`_stated`) gives the other's first, what it leads
    with: "In February 2025 … the council voted 4-3 to move the levee work into the 2027 capital
    plan" tells no "work on the levee … finished by the end of March 2027"."""
    amounts = {one.amount for one in first}, {other.amount for other in second}
    return (
        bool(first and second) and first[0].amount in amounts[1] and second[0].amount in amounts[0]
    )


def _at_odds(first: list[_Stated], second: list[_Stated]) -> bool:
    """Whether two sentences' figures (`_stated`) give one thing differently: a figure each in
    clauses with a word in common ("After a median of 3.2 years", "Over a median of 3.4
    years"), of one currency, neither given by the other sentence at all, and neither a
    forecast of what the other measures ("above the 18,000 average weekday boardings the …
    agency had projected" is no count against "settled at about 19,400 boardings per
    weekday")."""
    mine, theirs = {one.amount for one in first}, {other.amount for other in second}
    return any(
        one.currency == other.currency
        and one.words & other.words
        and bool(one.words & _FORECAST_STEMS) == bool(other.words & _FORECAST_STEMS)
        and one.amount not in theirs
        and other.amount not in mine
        for one in first
        for other in second
    )


def _quoted_words(sentence: str) -> set[str]:
    """The content words of what `sentence` quotes."""
    return set(content_words(" ".join(_QUOTATION.findall(sentence))))


def _speakers(sentence: str) -> set[str]:
    """The names outside its quotations of a sentence quoting someone, titles ("Dr",
    "Professor") left out: whom it has saying the words."""
    if not _QUOTATION.search(sentence):
        return set()
    names = _NAME.findall(_QUOTATION.sub(" ", sentence))
    return {name for name in names if name.casefold() not in STOPWORDS | _TITLES}


def _sets_apart(sentence: str) -> bool:
    """Whether `sentence` sets two tellers' figures for one thing side by side: a reported figure,
    then against it (`_AGAINST`) another teller's (`_second_teller`: "a press release that says
    1.2 million people were affected while a reporter's source says 1.4 million"), of one scale
    and currency, in digits, neither a year, counting the same (`_counted`, or one says nothing).
    Not one teller going on: "Police said 40 homes were flooded, while 12 families were moved",
    "said it would build 300 homes; 120 of them will be affordable"."""
    figures = [figure for figure in _stated_figures(sentence) if not _is_year(figure)]
    for one, other in combinations(figures, 2):
        against = _AGAINST.search(sentence, one.end(), other.start())
        counted = {_counted(sentence, one)[0], _counted(sentence, other)[0]} - {""}
        if (
            against
            and (_scale(one), _currency(sentence, one.start()))
            == (_scale(other), _currency(sentence, other.start()))
            and _amount(one) != _amount(other)
            and len(counted) < 2
            and _REPORTED.search(sentence, 0, against.start())
            and _second_teller(sentence, one, sentence[against.end() : other.start()])
        ):
            return True
    return False


def _second_teller(sentence: str, first: re.Match[str], between: str) -> bool:
    """Whether the words `between` a contrast and a second figure name who gives it: a
    reporting verb ("; the council puts the figure at"), or a teller with the first figure's
    verb left out ("The union spoke of 1,250 drivers; the council of 1,100"); not nothing
    ("while 12 families were moved")."""
    if _REPORTED.search(between):
        return True
    before_first = WORD.findall(sentence[: first.start()].lower())[-1:]
    words = WORD.findall(between.lower())
    return bool(content_words(between)) and words[-1:] == before_first


def _teller(sentence: str) -> str:
    """Whom a reported sentence gives as saying it, as written: the words before its first
    reporting verb (`_REPORTED`), past an opening "However," ("However, independent security
    researcher Lena Sorensen said" -> her title and name; "But she said" -> "she")."""
    opening = _REBUTTAL.match(sentence)
    start = opening.end() if opening else 0
    verb = _REPORTED.search(sentence, start)
    return sentence[start : verb.start() if verb else start].strip(" ,")


def _another_teller(reply: str, claim: str, before: str, text: str) -> bool:
    """Whether `reply` is told by someone named who is not the one telling `claim` (or, when a
    pronoun tells it, the one telling the sentence `before` it), in their article's `text`:
    "The mayor said the road would reopen Monday. But she said the bridge repairs would take
    longer." is one speaker going on, no answer to her; so is "However, the company said…"
    after "Calder Mutual said…" (`_one_party`)."""
    answering = _teller(reply)
    claiming = _teller(claim)
    if not content_words(claiming):
        claiming = _teller(before)
    return bool(content_words(answering)) and not _one_party(answering, claiming, text)


def _one_party(one: str, other: str, text: str) -> bool:
    """Whether two tellers are one party, however named: words in common ("the mayor", "Mayor
    Hale"), or one named ("Calder Mutual") and the other a description of it that names no one
    ("the company", or "the insurer" in an article calling it "Calder Mutual, a health
    insurer")."""
    words = set(content_words(one)), set(content_words(other))
    if words[0] & words[1]:
        return True
    for named, described in ((one, other), (other, one)):
        names = _names(named)
        if not names or _names(described):
            continue
        name = re.escape(" ".join(names))
        apposed = re.findall(rf"{name},\s+(?:a|an|the)\s+([^,.;]{{1,60}})", text)
        kinds = _PARTY_NOUNS | stems(" ".join(apposed))
        if stems(described) & kinds:
            return True
    return False


def _names(words: str) -> list[str]:
    """The capitalised words of `words` that are no small words ("The" of "The company")."""
    return [name for name in _NAME.findall(words) if name.casefold() not in STOPWORDS]


def _stated_figures(sentence: str) -> list[re.Match[str]]:
    """The figures written in `sentence`, years among them, but not a date's day ("October
    14")."""
    dates = date_spans(sentence)
    return [
        match
        for match in _FIGURE.finditer(sentence)
        if not any(a <= match.start() < b for a, b in dates)
    ]


def _no_news(sentence: str) -> bool:
    """A line of a page that is no statement of the story: see _PROMO."""
    return (
        (sentence[:1].islower() and not _INNER_CAPITAL.match(sentence))
        or bool(_PROMO.search(sentence) or _TEASER.match(sentence))
        or bool(_SHOUTED_DAY.search(sentence))
    )


def _clause(sentence: str, start: int) -> tuple[int, int]:
    """The bounds of the clause (between commas, dashes, semicolons) holding `start`."""
    breaks = list(COMMA_OR_BREAK.finditer(sentence))
    begin = max((m.end() for m in breaks if m.end() <= start), default=0)
    end = min((m.start() for m in breaks if m.start() >= start), default=len(sentence))
    return begin, end


def _measured_alike(first: str, one: _Figure | None, second: str, other: _Figure | None) -> bool:
    """Whether figures `one` of sentence `first` and `other` of `second`, of one unit, measure
    one thing (None: a bare figure that the sentence before says what it counts). Shares do only
    when they are of one thing (`_share_of`: "62% voting yes" is not "turnout ... was just 38%",
    nor "inventory rose 11%" "Automotive revenue declined 6% as car makers reduced
    inventories"); sums, when their clauses say what they are alike (`_sum_of`); counts, unless
    each names what the other does not in the few words after it ("40 homes on Elm Street" are
    not "12 homes on Oak Street"; "Three workers were killed and 14 others were injured early
    Tuesday when a fire swept through the Veltra plant" and "Two people died and 17 were injured
    after fire broke out … in Castlebrook" count the same dead)."""
    if one is None or other is None:
        return True
    if one.unit in _DURATION_STEMS:
        return _timing_alike(first, one, second, other)
    if one.unit == "%":
        return _shares_alike(first, one, second, other)
    if not one.unit and not one.action:
        return _sum_of(first, one, second, other)
    names = [
        set(
            _NAME.findall(
                " ".join(text[f.start : _clause(text, f.start)[1]].split()[1:_NAMED_WORDS])
            )
        )
        - set(_NAME.findall(elsewhere))  # the story's own: "1,500 positions will go at Norvane"
        for text, f, elsewhere in ((first, one, second), (second, other, first))
    ]
    return not names[0] or not names[1] or names[0] <= names[1] or names[1] <= names[0]


def _timing_alike(first: str, one: _Figure, second: str, other: _Figure) -> bool:
    """Whether two durations time one thing: their clauses share a word besides the unit and
    the story's names ("fought the fire for nine hours", "the fire burned for 12 hours"); a
    family's "nearly four hours on the roof" and rain falling "in about six hours" share none."""
    clauses = [
        stems(text[slice(*_clause(text, f.start))]) - {f.unit}
        for text, f in ((first, one), (second, other))
    ]
    return bool(clauses[0] & clauses[1] - _named_stems(first, second) - _APPROXIMATE)


def _shares_alike(first: str, one: _Figure, second: str, other: _Figure) -> bool:
    """Whether two shares are of one thing: of the words saying what each is of (`_share_of`),
    the other says at least half the fewer ("Shares of Norvane rose 7.4%" and "Norvane's shares
    closed 6.9 percent higher" share "shares"; "Automotive revenue declined 6%" and "Revenue of
    $3.41bn beat the consensus estimate … by about 5%" only "revenue"; no word of change:
    "Shares rose 2.1%" and "revenue rose 4%"), over one period when both name one ("in the
    quarter" is not "a year earlier")."""
    unsaid = _named_stems(first, second) | _CHANGE_STEMS
    said = [_share_of(first, one) - unsaid, _share_of(second, other) - unsaid]
    shared = len(said[0] & said[1])
    times = [stems(text[slice(*_clause(text, f.start))]) & _TIME_STEMS
             for text, f in ((first, one), (second, other))]  # fmt: skip
    of_one_period = not all(times) or bool(times[0] & times[1])
    return of_one_period and shared > 0 and 2 * shared >= min(map(len, said))


def _named_stems(*sentences: str) -> set[str]:
    """The stems of the names in `sentences` (their capitalised words, past the first letter):
    the story's names say nothing of which of its things a figure measures."""
    return stems(" ".join(m[0] for text in sentences for m in _NAME.finditer(text, 1)))


def _share_of(sentence: str, share: _Figure) -> set[str]:
    """The stems saying what a share is of: the words after it when it says so ("52% of patients
    responded to the drug": what the trial found before it is no more than the finding),
    else its clause's words before it ("Norvane's inventory rose 11%"), or when there are none
    ("up 11% in a single quarter"), its clause's; never words of time ("in the quarter", "a year
    earlier")."""
    begin, end = _clause(sentence, share.start)
    of = _SHARE_OF.match(sentence, share.start)
    if of and of.end() <= end:
        after = [stem for stem in _stem_list(sentence[of.end() : end]) if stem not in _TIME_STEMS]
        return set(after[: _UNIT_WORDS + 1])
    before = [stem for stem in _stem_list(sentence[begin : share.start]) if stem not in _TIME_STEMS]
    # As what a count counts comes within a few words after it, so what a share is of before it
    # ("Revenue of $3.41bn beat the consensus estimate of $3.25bn by about 5%" is of an estimate)
    return set(before[-_UNIT_WORDS:]) or {
        stem for stem in _stem_list(sentence[begin:end]) if stem not in _TIME_STEMS
    }


def _stem_list(text: str) -> list[str]:
    """The stems of the words of `text`, in order, without figures or small words."""
    return [next(iter(stems(word)), word) for word in content_words(text) if word.isalpha()]


def _sum_of(first: str, one: _Figure, second: str, other: _Figure) -> bool:
    """Whether two sums that no noun or verb says what they are of are one: their clauses say
    what they are in words alike (`_SUM_KINDS`: "at a cost of €4.2 billion", "will invest €4.5
    billion in a new fabrication plant"), or share two words ("fined … $48,600 for storing
    damaged batteries" and "a penalty of $36,000 … reduced the original fine" share "fine" and
    "battery"); "$500,000 pledged to a fund for the families" and "a fund … for the families …
    had raised $212,000" are two funds (the verbs say so: no sum of theirs comes here). Not
    names: "Damage at the Veltra plant … $2 million" and "Veltra's insurer has set aside
    $500,000 for repairs at the plant" share only the story's name and its plant."""
    clauses = [
        stems(text[slice(*_clause(text, f.start))]) for text, f in ((first, one), (second, other))
    ]
    kinds = [{_SUM_KINDS[stem] for stem in clause if stem in _SUM_KINDS} for clause in clauses]
    shared = clauses[0] & clauses[1]
    return bool(kinds[0] & kinds[1]) or len(shared - _named_stems(first, second)) >= 2


def _counts(figures: list[_Figure], money: dict[int, str]) -> dict[str, set[float]]:
    """The values given for each thing counted (`_keys`; bare figures say of nothing what they
    count), `money` giving the sums' currencies by where they start."""
    counts: dict[str, set[float]] = {}
    for figure in figures:
        for key in _keys(figure, money.get(figure.start, "")):
            counts.setdefault(key, set()).add(figure.value)
    return counts


def _keys(figure: _Figure, currency: str) -> list[str]:
    """What a figure counts: its noun; its verb (ACTION: what "employs about 210 people" and
    "190 workers" both count), of shares or of sums of its `currency` only ("grew 41%" and "grew
    to $1.9bn" are two things); and for a sum saying neither, its currency (MONEY: "fined the
    company $48,600", "a penalty of $36,000")."""
    keys = [figure.unit] if figure.unit else []
    if currency and not figure.unit and not figure.action:
        keys.append(f"{MONEY}{currency}")
    if figure.action:
        keys.append(f"{ACTION}{figure.action}{'%' if figure.unit == '%' else currency}")
    return keys


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
            published = iso_day(article.date)
            spans = article_sentences(article, text)[0][:MAX_SENTENCES]
            notes = editors_notes(text, spans)  # "Correction, October 10, 2026: …" tells no news
            for position, (start, end) in enumerate(spans):
                words = text[start:end]
                heading = announces(words)  # a dated one ending in ":" may be an event
                listing = words.rstrip().endswith(":")
                if (heading and not listing) or _no_news(words) or position in notes:
                    continue  # "Here is what owners should do now."
                day = ""
                # A timeline shows it alone: "His name had not been…", "…, he watched it".
                if not _leans_on_before(words):
                    day = days_named(words, published)
                    if not day and position == 0 and published and tells_an_event(words):
                        day = published.isoformat()
                if heading and not day:
                    continue  # "The council listed three conditions:" (see `introducing`)
                sentences.append(_Sentence(article, position, start, end, words, day))
        extra = [*(a.title for a in articles), query] if query else []
        vectors = embedder.embed([*(s.text for s in sentences), *extra])
        self.articles = list(articles)
        self.embedder = embedder  # for the claims a sentence disputes (`claims_disputed`)
        if query:
            vectors, titles, asked = (
                vectors[: len(sentences)],
                vectors[len(sentences) : -1],
                vectors[-1],
            )
            closeness = vectors @ asked, titles @ asked
            self.articles = _relevant(articles, sentences, *closeness, query)
            self.articles = self.articles[:max_articles]
            keep = [i for i, s in enumerate(sentences) if s.article in self.articles]
            sentences, vectors = [sentences[i] for i in keep], vectors[keep]
        self.sentences = sentences
        self.words = [set(content_words(s.text)) for s in sentences]
        # The sentence whose topic each one's figures are on: its own, or for "Consumer Watch has
        # counted at least 34." the one before, which says what was counted.
        self.about = list(range(len(sentences)))
        figures = [_figures(s.text) for s in sentences]
        self.own_counts, self.counts = self._counts_in_context(figures)
        self.figures = figures
        self.values = [{f.value for f in fs} for fs in figures]
        self.mentioned = [{f.value for f in fs if f.written == "digits"} for fs in figures]
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
        # Each sentence's closeness to the query (none without one): what is on its topic.
        self.asked = vectors @ asked if query else None
        if self.asked is not None:
            self.salience = 0.5 * self.salience + 0.5 * self.asked

    def _counts_in_context(
        self, figures: list[list[_Figure]]
    ) -> tuple[list[dict[str, set[float]]], list[dict[str, set[float]]]]:
        """Each sentence's figures by what they count: its own, where the bare figures of a
        sentence counting nothing else count what the sentence before counted last ("it said it
        had received 27 reports. Consumer Watch has counted at least 34.": 34 reports); and in
        context, with the bare figures of the sentence after it (the article gives 27 and 34)."""
        money = [
            {f.start: currency for f in fs if (currency := _currency(s.text, f.start))}
            for s, fs in zip(self.sentences, figures)
        ]
        own = [_counts(f, m) for f, m in zip(figures, money)]
        in_context = [_counts(f, m) for f, m in zip(figures, money)]
        for index, following in enumerate(figures[1:], start=1):
            previous = self.sentences[index - 1]
            units = [figure.unit for figure in figures[index - 1] if figure.unit]
            text = self.sentences[index].text
            bare = {
                f.value
                for f in following
                if not f.unit
                and f.written == "digits"
                and not _money(text, f)
                and not _NUMBERED_NAME.search(text, 0, f.start)
            }  # a sum, or a name's number ("State Route 9"), is no count of what it counts
            counted_here = any(figure.unit for figure in following)
            if previous.article is self.sentences[index].article and units and bare:
                in_context[index - 1].setdefault(units[-1], set()).update(bare)
                if not counted_here:
                    own[index].setdefault(units[-1], set()).update(bare)
                    self.about[index] = index - 1
        return own, in_context

    def figure_of(self, index: int, unit: str) -> tuple[str, _Figure | None]:
        """Sentence `index` and its figure counting `unit` (None: a bare one, in context)."""
        text = self.sentences[index].text
        return text, next(
            (f for f in self.figures[index] if unit in _keys(f, _currency(text, f.start))), None
        )

    def day_counted(self, index: int, unit: str) -> str:
        """The day sentence `index` gives its count of `unit` on: the day it names, unless that
        is named after the count, past a word of another event's time ("142 deckhands … joined
        the strike after talks … broke down on Sunday night": Sunday is the talks' day, not the
        strike's), or is the day the count was told ("will cut 1,200 jobs, the company said on
        Wednesday" and "to shed about 1,400 jobs, … said on Thursday" count one plan's jobs);
        nor is an opening's article date one ("Growth slowed to 6.2%" and "to 4.8%", reported a
        day apart, are two outlets' figures for one thing), unless a count's: "40 homes were
        flooded" and "would build 300 homes", reported a day apart, count two things."""
        sentence = self.sentences[index]
        told = without_days_said(sentence.text)
        counted = self.figure_of(index, unit)[1]
        other_event = _OTHER_EVENT.search(told, counted.start) if counted else None
        end = other_event.start() if other_event else len(told)
        named = days_named(told[:end], iso_day(sentence.article.date))
        opening = not days_named(sentence.text, iso_day(sentence.article.date))
        return named or ("" if _is_share(unit) or not opening else sentence.day)

    def conflicting(self, one: int, other: int) -> set[str]:
        """What the two sentences count with different figures ("250 homes" and "312 homes")."""
        mine, theirs = self.counts[one], self.counts[other]
        return {unit for unit in mine.keys() & theirs.keys() if mine[unit] != theirs[unit]}

    def close(self, one: int, other: int) -> bool:
        """Two sentences telling the same thing: close in meaning, and sharing several words and
        a good part of the shorter one's (sentences on one topic, or with the same dateline, are
        close in meaning without stating the same fact)."""
        shared = len(self.words[one] & self.words[other])
        shorter = min(len(self.words[one]), len(self.words[other]))
        return bool(self.similar[one, other] >= SAME and shared >= max(4, 0.4 * shorter))

    def compatible(self, one: int, other: int) -> bool:
        """Two sentences that do not contradict each other: no different figures for the same
        thing (18,000 boardings are not 94,000), no different days ("schools reopened on Friday"
        is not "schools will be closed Wednesday"; `days_told`), and both or neither saying
        "not"."""
        days = self.days_told[one], self.days_told[other]
        return not (
            self.conflicting(one, other)
            or (all(days) and days[0] != days[1])
            or self.negated[one] != self.negated[other]
        )

    def same(self, one: int, other: int) -> bool:
        """Two sentences saying the same thing: telling it compatibly (`compatible`), and the
        longer one saying little more ("Replacement packs will begin shipping in April" is not
        "…due to start shipping in April, but… expect waits of eight to ten weeks"). The longer
        must say still less more when only one gives figures (a figure is a claim the other
        does not make), and when both do, they give one in common."""
        if not self.close(one, other) or not self.compatible(one, other):
            return False
        longer = max(len(self.words[one]), len(self.words[other]))
        coverage = len(self.words[one] & self.words[other]) / longer
        mine, theirs = self.mentioned[one], self.mentioned[other]
        if mine and theirs:
            return bool(mine & theirs) and coverage >= CLAIMED
        return coverage >= (CLAIMED_ONE_FIGURED if mine or theirs else CLAIMED)

    def agree(self, one: int, other: int) -> bool:
        """Two sentences stating one claim: the same thing (`same`), or, in other words, one
        figure with a word around it in common (`_figure_in_common`), the one each leads
        with (`_leads_alike`), compatibly."""
        pair = {(one, other), (other, one)}
        if _at_odds(self.stated[one], self.stated[other]) or pair & self.attributed_apart:
            return False  # one thing told apart: where they differ (`disputed`)
        return self.same(one, other) or (
            self.similar[one, other] >= SAME_FIGURE
            and self.compatible(one, other)
            and _figure_in_common(self.stated[one], self.stated[other])
            and _leads_alike(self.stated[one], self.stated[other])
            and self.quote_alike(one, other)
        )

    def quote_alike(self, one: int, other: int) -> bool:
        """Whether two sentences quote the same words, or neither quotes a phrase (a word in
        quotes is no one's words: "poor"): a quotation is what its sentence says, and a year
        describing the speaker ('"We warned them…," said Denise Kaur, who organised the 2023
        petition' and 'Denise Kaur, who led a 2023 petition…, said she was relieved') is no
        claim in common."""
        quoted = self.quoted[one], self.quoted[other]
        fewer = min(map(len, quoted))
        if max(map(len, quoted)) < 2:
            return True
        return fewer >= 2 and len(quoted[0] & quoted[1]) >= QUOTED_ALIKE * fewer

    @cached_property
    def days_told(self) -> list[str]:
        """Each sentence's day (`_Sentence.day`), or the one it names though it leans on the
        sentence before, or the words of one its article's date cannot read (`day_told`: an
        undated report's "on Wednesday"): read by `compatible`."""
        return [
            sentence.day or day_told(sentence.text, iso_day(sentence.article.date))
            for sentence in self.sentences
        ]

    @cached_property
    def quoted(self) -> list[set[str]]:
        """Each sentence's quoted words (`_quoted_words`): read by `agree`."""
        return [_quoted_words(sentence.text) for sentence in self.sentences]

    # Worked out once a sentence: `agree` compares each with up to 200 seeds.
    @cached_property
    def negated(self) -> list[bool]:
        """Whether each sentence says "not" (`_NEGATION`): read by `compatible`."""
        return [bool(_NEGATION.search(sentence.text)) for sentence in self.sentences]

    @cached_property
    def stated(self) -> list[list[_Stated]]:
        """Each sentence's stated figures (`_stated`): read by `agree`."""
        return [_stated(sentence.text) for sentence in self.sentences]

    @cached_property
    def attributed_apart(self) -> set[tuple[int, int]]:
        """Pairs of sentences of two sources quoting the same words from different speakers
        ('Professor Amara Okafor … said: "This is the first time…"' and 'Dr Rafael Mendes …
        told reporters: "This is the first time…"'): who said it is where they differ."""
        quoted = self.quoted
        speakers = [_speakers(sentence.text) for sentence in self.sentences]
        return {
            (one, other)
            for one, other in zip(*np.nonzero(np.triu(self.similar >= SAME_FIGURE, 1)))
            if min(len(quoted[one]), len(quoted[other])) >= QUOTED_WORDS
            and len(quoted[one] & quoted[other])
            >= QUOTED_ALIKE * min(len(quoted[one]), len(quoted[other]))
            and speakers[one]
            and speakers[other]
            and speakers[one].isdisjoint(speakers[other])
            and self.publisher(one) != self.publisher(other)
        }

    @cached_property
    def claims_disputed(self) -> set[tuple[int, int]]:
        """Pairs of a sentence stating a claim and one of another source disputing it ('The
        university says the trial was co-funded, but as far as I can tell Helix Thera paid for
        almost all of it'): the claim, as that sentence gives it (`_DISPUTED`), told by the
        other in its words (SAME_FIGURE close)."""
        disputing = [
            (index, found["claim"])
            for index, sentence in enumerate(self.sentences)
            if (found := _DISPUTED.match(sentence.text)) and not past_tense(found["next"])
        ]  # not the same speaker going on: "said it was investigating, but maintained that…"
        if not disputing:
            return set()
        claims = self.embedder.embed([claim for _, claim in disputing])
        vectors = self.embedder.embed([sentence.text for sentence in self.sentences])
        return {
            (min(index, other), max(index, other))
            for (index, _), claim in zip(disputing, claims)
            for other in map(int, np.flatnonzero(vectors @ claim >= SAME_FIGURE))
            if self.publisher(other) != self.publisher(index)
        }

    @cached_property
    def rebutted(self) -> set[tuple[int, int]]:
        """Pairs of a sentence giving someone's claim and the one answering it: the next
        sentence of an article, opening against it ("Calder Mutual said no payment card data
        had been taken. However, independent security researcher Lena Sorensen said she had
        found a listing…") or after a sentence saying there is a dispute ("This is the main
        point of dispute. The company insists that no payment card data was stolen. Sorensen …
        told ByteWatch she believes card data was exposed…"), each giving someone's words; and
        the answer paired with each other source's report of the claim ("Vance repeated that no
        payment card data had been taken."): two reports of one party's word that another
        disputes are no agreement, but where they differ."""
        answered: list[tuple[int, int]] = []
        for claim in range(1, len(self.sentences) - 1):
            before, said, reply = self.sentences[claim - 1 : claim + 2]
            if not (
                said.article is reply.article
                and reply.position == said.position + 1
                and _REPORTED.search(said.text)
                and _REPORTED.search(reply.text)
            ):
                continue
            disputed_before = (
                before.article is said.article
                and _DISPUTE.search(before.text)
                and not _REPORTED.search(before.text)
                and not _QUOTATION.search(before.text)
            )
            earlier = before.text if before.article is said.article else ""
            if (_REBUTTAL.match(reply.text) or disputed_before) and _another_teller(
                reply.text, said.text, earlier, said.article.text or ""
            ):
                answered.append((claim, claim + 1))
        pairs: set[tuple[int, int]] = set()
        for claim, answer in answered:
            for other in map(int, np.flatnonzero(self.similar[claim] >= SAME_FIGURE)):
                if (
                    other == claim
                    or (
                        self.publisher(other) != self.publisher(claim)
                        and self.negated[other] == self.negated[claim]
                        and len(self.words[other] & self.words[claim]) >= _CLAIM_WORDS
                    )
                ) and other != answer:
                    pairs.add((min(other, answer), max(other, answer)))
        return pairs

    @cached_property
    def set_apart(self) -> list[int]:
        """The sentences that set two sources' figures for one thing side by side themselves
        (`_sets_apart`). A difference of its own, whatever else the articles say."""
        return [
            index for index, sentence in enumerate(self.sentences) if _sets_apart(sentence.text)
        ]

    @cached_property
    def disputed(self) -> list[tuple[int, int]]:
        """Pairs of sentences of two sources telling one thing apart: the same words from two
        speakers (`attributed_apart`), one event on two days (`misdated`), or a figure in
        common and another of its kind not (`_at_odds`: "After a median of 3.2 years, 9.8
        percent…" and "Over a median of 3.4 years, 9.8%…"). Read by the threads, as a
        difference."""
        return sorted(
            self.attributed_apart
            | self.claims_disputed
            | self.rebutted
            | self.misdated
            | {
                (int(one), int(other))
                for one, other in zip(*np.nonzero(np.triu(self.similar >= SAME_FIGURE, 1)))
                if self.publisher(int(one)) != self.publisher(int(other))
                and _figure_in_common(self.stated[one], self.stated[other])
                and _at_odds(self.stated[one], self.stated[other])
            }
        )

    @cached_property
    def misdated(self) -> set[tuple[int, int]]:
        """Pairs of sentences of two sources telling one event (`close`, both or neither saying
        "not", their other words alike) on different days that each names: "the breach was
        discovered on 3 October" and "on October 5". The date is where they differ."""
        named = [
            bool(sentence.day) and bool(days_named(sentence.text, iso_day(sentence.article.date)))
            for sentence in self.sentences
        ]
        return {
            (int(one), int(other))
            for one, other in zip(*np.nonzero(np.triu(self.similar >= SAME, 1)))
            if named[one]
            and named[other]
            and self.sentences[one].day != self.sentences[other].day
            and self.publisher(int(one)) != self.publisher(int(other))
            and self.negated[one] == self.negated[other]
            and self.close(int(one), int(other))
            and not self.conflicting(int(one), int(other))
        }

    @cached_property
    def contradictions(self) -> list[tuple[int, int]]:
        """`_contradictions`, read by the differences and by the agreement alike."""
        return _contradictions(self)

    @cached_property
    def threads(self) -> list[list[int]]:
        """`_threads`, read by the differences, the agreement and the overview alike."""
        return _threads(self)

    @cached_property
    def latest(self) -> set[int]:
        """The threads' last sentences that are of a later day than the rest of their thread:
        read by `stale` and by the differences alike."""
        return {thread[-1] for thread in self.threads if _has_latest(self, thread)}

    @cached_property
    def stale(self) -> set[int]:
        """The sentences whose main figure (their first of their own) another source disputes
        or a later article changes: no agreement, nor the overview, states it as settled. Only
        the main one: "recalling about 86,000 packs, after receiving 27 reports" tells the
        recall, and 'Where they differ' shows the reports' change."""
        old = {
            value
            for thread in self.threads
            if len(thread) > 1  # one sentence setting two figures apart (`set_apart`) changes none
            for index in thread
            if index not in self.latest
            for value in self.thread_values(index)
        }
        return {
            index
            for index in range(len(self.sentences))
            if index not in self.latest and self.main_figure(index) in old
        }

    @cached_property
    def years(self) -> list[tuple[set[float], set[float]]]:
        """Each sentence's years (not a date's: "February 4, 2027"), and those of them it sets
        against another (`_SET_AGAINST`: "later than the 2028 date"): read by the threads."""
        years = []
        for sentence in self.sentences:
            named = [m for m in _stated_figures(sentence.text) if _is_year(m)]
            years.append((
                {_amount(m) for m in named},
                {_amount(m) for m in named if _SET_AGAINST.search(sentence.text, 0, m.start())},
            ))  # fmt: skip
        return years

    @cached_property
    def old_figures(self) -> list[list[_Figure]]:
        """Each sentence's figures that it gives as what was before a change (see _OLD_BEFORE),
        picked from its figures already found: read by the threads and by `stale`."""
        return [
            [
                figure
                for figure in figures
                if _OLD_BEFORE.search(sentence.text[: figure.start])
                or _OLD_AFTER.match(sentence.text[figure.start :])
            ]
            for sentence, figures in zip(self.sentences, self.figures, strict=True)
        ]

    def main_figure(self, index: int) -> float | None:
        """The first figure sentence `index` gives as its own (not as what was before)."""
        before = {figure.start for figure in self.old_figures[index]}
        return next(
            (
                f.value
                for f in self.figures[index]
                if f.start not in before and f.written == "digits"
            ),
            None,
        )

    def thread_values(self, index: int) -> set[float]:
        """The figures sentence `index` gives as its own (not those it says were before), of
        the things it names: a figure a verb alone says what it is of ("recalling about 86,000
        VX-40 packs") is no figure a later article changes."""
        old = {figure.value for figure in self.old_figures[index]}
        named = [values for unit, values in self.own_counts[index].items() if unit[:1] != ACTION]
        return {value for values in named for value in values} | (
            {f.value for f in self.figures[index] if _money(self.sentences[index].text, f)} - old
        )

    def in_context(self, index: int) -> _Sentence:
        """Sentence `index`, with the one before it when that says what its figures count
        ("…it said it had received 27 reports. Consumer Watch has counted at least 34.")."""
        sentence, before = self.sentences[index], self.sentences[self.about[index]]
        if before is sentence:
            return sentence
        text = sentence.article.text or ""
        return _Sentence(
            sentence.article, before.position, before.start, sentence.end,
            text[before.start : sentence.end], sentence.day,
        )  # fmt: skip

    def source(self, index: int) -> str:
        article = self.sentences[index].article
        return article.source or article.title

    def publisher(self, index: int) -> str:
        """Who stands behind sentence `index`, to tell sources apart by (`_publisher`)."""
        return self.publishers[int(self.owner[index])]

    @cached_property
    def publishers(self) -> list[str]:
        """Each article's `_publisher`, worked out once: pairs of sentences compare them."""
        return [_publisher(article) for article in self.articles]

    @cached_property
    def introducing(self) -> set[int]:
        """The dated sentences introducing what follows ("On October 16, the regulator ordered
        Calder Mutual to:"): an event of their day for the timeline, though saying too little
        for the overview or an agreement."""
        return {i for i, sentence in enumerate(self.sentences) if announces(sentence.text)}

    @cached_property
    def unspoken(self) -> set[int]:
        """The quotations whose speaker is only a pronoun (`_PRONOUN_SPEAKER`: '"…We told them
        so in the room," she said.'): whose words? Not every sentence that `leans` on the one
        before: passing them all over cost the Multi-News overview R-2 15.83 → 14.15."""
        return {
            i for i, sentence in enumerate(self.sentences) if _PRONOUN_SPEAKER.search(sentence.text)
        }

    @cached_property
    def foreign(self) -> set[int]:
        """The sentences of articles in another language than most of them are (none when no
        language is the majority's): three German sentences opened an overview of four English
        articles and one German."""
        languages = [article.language for article in self.articles if article.language]
        if not languages:
            return set()
        most = max(set(languages), key=languages.count)
        if 2 * languages.count(most) <= len(languages):
            return set()
        return {
            i
            for i, sentence in enumerate(self.sentences)
            if sentence.article.language and sentence.article.language != most
        }

    @cached_property
    def off_story(self) -> set[int]:
        """The short sentences of no name nor figure saying no word that another article in
        scope says (none with one article): a page's housekeeping ("The car park remains open
        free of charge.") took an overview place from the strike's news. Any sentence sharing
        no word cost the Multi-News overview R-1 41.12 → 40.70."""
        said = [stems(sentence.text) for sentence in self.sentences]
        by_article: list[set[str]] = [set() for _ in self.articles]
        for owner, words in zip(self.owner, said):
            by_article[owner] |= words
        return {
            index
            for index, words in enumerate(said)
            if len(self.articles) > 1
            and len(self.sentences[index].text.split()) <= _HOUSEKEEPING_WORDS
            and not self.figures[index]
            and not _names(self.sentences[index].text[1:])
            and not any(
                words & others
                for number, others in enumerate(by_article)
                if number != self.owner[index]
            )
        }

    @cached_property
    def own_voice(self) -> set[int]:
        """The sentences in their writer's own voice (`_in_own_voice`): no source's report of
        the story, so neither an agreement between sources nor the overview's news."""
        return {
            index
            for index, sentence in enumerate(self.sentences)
            if _in_own_voice(sentence.article.text or "", sentence.start, sentence.end)
        }


def _leans_on_before(sentence: str) -> bool:
    """Whether `sentence` needs the one before it (`leans`, a pronoun after its opening, or
    for its first clause's object): neither an agreement's statement nor a timeline's entry
    alone."""
    return (
        leans(sentence)
        or bool(_PRONOUN_AFTER_OPENING.match(sentence))
        or bool(_OBJECT_PRONOUN.match(sentence))
    )


def _publisher(article: Article) -> str:
    """Who stands behind an article: its outlet however written ("The Tech Ledger Daily", "Tech
    Ledger Daily"), or when none is known, the article itself (two articles of no known outlet
    are two sources, whatever their titles)."""
    outlet = " ".join(re.findall(r"\w+", fold(article.source).casefold()))
    return outlet.removeprefix("the ") or f"#{article.id}"


def _in_own_voice(text: str, start: int, end: int) -> bool:
    """Whether the sentence at `start`:`end` of an article's `text` speaks in the writer's own
    voice outside any quotation of its paragraph: a shareholder letter's "I want to thank our
    21,400 employees" or "We expect …", a blog's "I think both are partly right"; not a
    quotation ("“We are funding Dresden from cash flow,” Brandt said") nor "the US" or "I-95"."""
    paragraph = text.rfind("\n", 0, start) + 1
    unquoted = _QUOTATION.sub(lambda quotation: " " * len(quotation[0]), text[paragraph:end])
    return bool(_OWN_WORDS.search(unquoted, start - paragraph))


def _relevant(
    articles: Sequence[Article],
    sentences: list[_Sentence],
    closeness: np.ndarray,
    title_closeness: np.ndarray,
    query: str,
) -> list[Article]:
    """The articles that speak to the query, most relevant first. Each is scored by its title's
    closeness plus its three closest sentences' (an untitled one: twice theirs), since either
    alone misleads: a title of a few words can be far closer than any sentence, pushing out
    the story's other articles, and an article on something else can mention the query's story
    in a few close sentences. Kept when within reach of the best (half its score) and when its
    title or sentences reach ABOUT (the best of articles on something else is still the best).
    An article whose text says the query's name is on topic whatever its score: an article
    quoting "Carl Brenner" once scores far below the one on his resignation. Any other must say
    at least half the query's words, when it has several: closeness alone let "Lauri Love extradition hacking" pull in
    a sentencing for trafficking, and a story on arrests that says "love" once; saying them all,
    it need not reach ABOUT ("pay offer", a query of two plain words, came closest to one of six
    articles on a strike, all six on its pay offer, and left out the rest). The query's
    words are not the function words of its language: "crue de la Lauter" brought in Spanish
    articles with "de" and "la", and left out German ones saying only "Lauter"."""
    name = _naming(query)
    asked = stems(" ".join(topic_words(query)))
    evidence = []
    for number, article in enumerate(articles):
        mine = np.sort([closeness[i] for i, s in enumerate(sentences) if s.article is article])
        by_sentences = float(mine[-3:].mean()) if len(mine) else 0.0
        by_title = float(title_closeness[number]) if article.title.strip() else by_sentences
        evidence.append((by_sentences + by_title, max(by_sentences, by_title)))
    best = max((score for score, _ in evidence), default=0.0)
    ranked = sorted(range(len(articles)), key=lambda n: -evidence[n][0])
    said = [asked & stems(_full_text(article)) for article in articles]
    return [
        articles[n]
        for n in ranked
        if (
            evidence[n][0] >= 0.5 * best
            and (evidence[n][1] >= ABOUT or (len(asked) > 1 and said[n] == asked))
            and (len(asked) < 2 or 2 * len(said[n]) >= len(asked))
        )
        or (name and name.search(_full_text(articles[n])))
    ]


def _full_text(article: Article) -> str:
    return f"{article.title}\n{article.text or ''}"


def _naming(query: str) -> re.Pattern[str] | None:
    """What finds the query in a text when it is a name, all of it capitalised ("Brenner",
    "Carl Brenner", "Harlow"): the name as written, a whole word ("Harlow’s" says it)."""
    words = query.split()
    if not words or not all(_NAME.fullmatch(word) for word in words):
        return None
    spaced = r"\s+".join(map(re.escape, words))
    return re.compile(rf"(?<![\w-]){spaced}(?![\w-])")


def extractive_digest(
    articles: Sequence[Article],
    embedder: Embedder,
    scope: str,
    query: str = "",
    max_articles: int = 12,
) -> Digest:
    """`articles` with their text."""
    pool = _Pool(articles, embedder, query, max_articles)
    cited: list[_Sentence] = []  # in order of first citation

    def point(indexes: Sequence[int], day: str = "") -> DigestPoint:
        return point_of([pool.sentences[i] for i in indexes], day=day)

    def point_of(
        sentences: Sequence[_Sentence],
        source: str = "",
        day: str = "",
        latest: bool = False,
        about: str = "",
    ) -> DigestPoint:
        keys = [(s.article.id, s.start, s.end) for s in cited]
        for sentence in sentences:
            if (sentence.article.id, sentence.start, sentence.end) not in keys:
                cited.append(sentence)
                keys.append((sentence.article.id, sentence.start, sentence.end))
        numbers = sorted({keys.index((s.article.id, s.start, s.end)) + 1 for s in sentences})
        return DigestPoint(
            text=sentences[0].text,
            cites=numbers,
            source=source,
            date=day,
            latest=latest,
            about=about,
        )

    if not pool.sentences:
        return _nothing(scope, query)
    differing = _differences(pool)
    counting = {i: _counted_words(pool, thread) for thread in pool.threads for i in thread}
    overview = [point([i]) for i in _overview(pool)]
    agreed = [point(group) for group in _agreed(pool, set(differing))]
    differences = [
        point_of([pool.in_context(i)], source=pool.source(i),
                 day=pool.sentences[i].article.date[:10], latest=i in pool.latest,
                 about=counting[i])
        for i in differing
    ]  # fmt: skip
    timeline = [point(group, day=pool.sentences[group[0]].day) for group in _timeline(pool)]
    for entry in timeline:
        entry.text = _without_its_day(entry.text, entry.date)
    return Digest(
        scope=scope,
        mode="extractive",
        created_at=_now(),
        article_ids=[a.id for a in pool.articles],
        overview=overview,
        agreed=agreed,
        differences=differences,
        timeline=timeline,
        citations=[_citation(n, sentence) for n, sentence in enumerate(cited, start=1)],
        notice=" ".join(
            filter(None, [_notice(pool), "" if agreed else _no_agreement(pool, bool(differences))])
        ),
    )


def empty_digest(scope: str, notice: str) -> Digest:
    return Digest(scope=scope, mode="extractive", created_at=_now(), notice=notice)


def _nothing(scope: str, query: str) -> Digest:
    if query:
        return empty_digest(scope, f"No article in scope speaks to “{query}”.")
    return empty_digest(scope, "These articles have no text.")


def _overview(pool: _Pool, words: int = 130) -> list[int]:
    """Salient sentences, favouring what several articles say, without repeats (MMR, and no
    sentence saying what a chosen one says or whose figures are all told already) nor figures
    disputed or since changed (`_Pool.stale`), nor, unless nothing else is left, a writer's own
    words (`_Pool.own_voice`: a shareholder letter's "I want to thank our 21,400 employees" is
    no news of the story; Multi-News overview R-1/R-2 41.10/14.34 → 41.17/14.58), a quotation
    of no named speaker (`_Pool.unspoken`) or a sentence of an article in another language than
    most (`_Pool.foreign`) or one saying no word of the other articles' (`_Pool.off_story`:
    "The car park remains open free of charge."), up to a word budget; in reading order
    (article by article, oldest first). Nor either side of one event told on two days
    (`_Pool.misdated`)."""
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
    passed = set(pool.stale) | pool.introducing | {i for pair in pool.misdated for i in pair}
    for unwanted in (pool.own_voice, pool.unspoken, pool.foreign, pool.off_story):
        if len(passed | unwanted) < len(pool.sentences):
            passed |= unwanted
    stated: set[float] = set()
    total = 0
    while total < words and len(chosen) + len(passed) < len(pool.sentences):
        redundancy = pool.similar[:, chosen].max(axis=1) if chosen else 0.0
        marginal = 0.7 * score - 0.3 * redundancy
        marginal[[*chosen, *passed]] = -np.inf
        best = int(np.argmax(marginal))
        told = pool.mentioned[best] and pool.mentioned[best] <= stated  # its figures, again
        if told or any(pool.same(best, other) for other in chosen):
            passed.add(best)
            continue
        chosen.append(best)
        stated |= pool.mentioned[best]
        total += len(pool.sentences[best].text.split())
    return sorted(chosen, key=lambda i: _reading_order(pool, i))


def _agreed(pool: _Pool, differing: set[int], limit: int = 5) -> list[list[int]]:
    """Groups of sentences from two or more sources stating one claim (`_Pool.agree`; one
    source's articles repeating it is no agreement between sources, however its name is
    written), the most widely and centrally said first; each group led by its most salient
    sentence, with each other article's closest sentence agreeing with it (and not at odds with
    those agreeing already: no other figure or day). Neither a sentence
    shown as `differing` nor one giving a figure that sources dispute: two sources giving 312
    and "at least 250" homes do not agree on the count, though later articles of both give 312.
    Nor a writer's own words (`_Pool.own_voice`): a shareholder letter's "We will report our
    fourth-quarter results on 4 February 2027" is the company speaking, not a source reporting
    what a news report says too. Nor a sentence another source disputes or quotes from someone
    else (`_Pool.claims_disputed`, `_Pool.attributed_apart`), nor one leaning on the one before
    (`_leans_on_before`): "That is a relative reduction of 14%" is of what?"""
    leaning = {i for i, sentence in enumerate(pool.sentences) if _leans_on_before(sentence.text)}
    disputed = {
        i for pair in pool.claims_disputed | pool.attributed_apart | pool.rebutted for i in pair
    }
    differing = differing | pool.stale | pool.own_voice | pool.introducing | leaning | disputed
    groups: list[list[int]] = []
    for seed in map(int, np.argsort(-pool.salience)[:200]):
        if seed in differing:
            continue
        group = [seed]
        for article in range(len(pool.articles)):
            if article == pool.owner[seed]:
                continue
            rows = np.flatnonzero(pool.owner == article)
            for match in map(int, rows[np.argsort(-pool.similar[seed, rows])]):
                if pool.similar[seed, match] < SAME_FIGURE:
                    break
                if (
                    match not in differing
                    and pool.agree(seed, match)
                    and all(pool.compatible(match, member) for member in group[1:])
                ):  # a seed of no day agrees with "on Oct. 29" and "on Wednesday", not they
                    group.append(match)
                    break
        if len({pool.publisher(i) for i in group}) > 1:
            groups.append(group)
    groups.sort(key=lambda g: (-len({pool.publisher(i) for i in g}), -len(g), -pool.salience[g[0]]))
    chosen: list[list[int]] = []
    used: set[int] = set()
    for group in groups:
        if used.isdisjoint(group) and not any(pool.agree(group[0], c[0]) for c in chosen):
            chosen.append(group)
            used.update(group)
        if len(chosen) == limit:
            break
    return chosen


def _differences(pool: _Pool) -> list[int]:
    """The sentences of each figure that sources or articles give differently for one thing
    (`_threads`), thread by thread, oldest first; when a sentence only completes the one before
    it, that one is left to its context. With a query, only the threads on its topic (a
    sentence closer to it than the articles' sentences are on average): the digest of the
    trial's funding listed heart attacks' 19% and 21%."""
    asked = pool.asked
    threads = [t for t in pool.threads if asked is None or max(asked[t]) > asked.mean()]
    shown = [i for thread in threads for i in thread]
    return [i for i in shown if not any(pool.about[j] == i != j for j in shown)]


def _counted_words(pool: _Pool, thread: list[int]) -> str:
    """What a thread's differing figures count, as its sentences write it ("1,250 bus drivers"
    and "1,100 drivers": "drivers"), so a reader need not work it out from the sentences; for
    shares and sums, what their clauses all say they are of (`_named_alike`); "date" for one
    event told on two days (`_Pool.misdated`); "" when they count several things, or a verb
    alone says what a count is of."""
    conflicting = {u for a, b in combinations(thread, 2) for u in pool.conflicting(a, b)}
    units = {unit for unit in conflicting if unit[:1] not in (MONEY, ACTION) and unit != "%"}
    if not conflicting and any(pair in pool.misdated for pair in combinations(thread, 2)):
        return "date"
    if not units:
        measured = {unit for unit in conflicting if unit[:1] != ACTION} or conflicting
        return _named_alike(pool, thread, next(iter(measured))) if len(measured) == 1 else ""
    if len(units) != 1:
        return ""
    (unit,) = units
    for index in thread:
        text, figure = pool.figure_of(index, unit)
        if figure is None:
            continue
        # The noun comes within _UNIT_WORDS words of the figure, past a scale ("$5 million").
        for token in text[figure.start :].split()[1 : _UNIT_WORDS + 2]:
            word = token.strip(".,;:!?()\"'“”‘’")
            stem = next(iter(stems(word)), word.lower())
            if _COUNTED_ALIKE.get(stem, stem) == unit:
                return word
    return ""


def _named_alike(pool: _Pool, thread: list[int], unit: str) -> str:
    """What a thread's shares or sums (`unit`) are of, as its sentences' clauses all say it:
    a kind of sum ("fined the company $48,600", "a penalty of $36,000": "fine"), else the first
    word in common as the first sentence writes it ("Shares of Norvane rose 7.4%", "Norvane's
    shares closed 6.9 percent higher": "shares"); "" when they say nothing alike."""
    described: list[tuple[list[tuple[str, str]], set[str]]] = []
    for index in thread:
        text, figure = pool.figure_of(index, unit)
        if figure is None:
            continue
        names = _named_stems(text)
        words = [
            word
            for word in content_words(text[slice(*_clause(text, figure.start))])
            if word.isalpha() and word not in _APPROXIMATE
        ]
        stemmed = [(word, _stem_of(word)) for word in words]
        said = {_SUM_KINDS.get(stem, stem) for _, stem in stemmed} - names - _TIME_STEMS
        if unit == "%":
            said &= {_SUM_KINDS.get(stem, stem) for stem in _share_of(text, figure)}
        described.append((stemmed, said))
    if len(described) < 2:
        return ""
    common = set.intersection(*(said for _, said in described))
    for word, stem in described[0][0]:
        kind = _SUM_KINDS.get(stem, stem)
        if kind in common:
            return kind if stem in _SUM_KINDS else word
    return ""


def _stem_of(word: str) -> str:
    """The stem of one word (the word itself when it is a small word)."""
    return next(iter(stems(word)), word)


def _has_latest(pool: _Pool, thread: list[int]) -> bool:
    """Whether the thread's last sentence is of a later day than all the others' (all dated:
    an undated report is of no day that a dated one is later than), and no undated article
    gives a figure for what the thread counts (an undated live blog may well be later: the bus
    strike's Gazette of 15 September was called the latest on its drivers, and a column of no
    known date gave them too)."""
    days = [pool.sentences[i].article.date[:10] for i in thread]
    if len(days) < 2 or not all(days) or days[-1] <= max(days[:-1]):
        return False
    counted = {unit for i in thread for unit in pool.own_counts[i] if not unit.startswith(ACTION)}
    return not any(
        counted & pool.own_counts[i].keys()
        for i, sentence in enumerate(pool.sentences)
        if not sentence.article.date
    )


def _money(sentence: str, figure: _Figure) -> bool:
    return bool(_currency(sentence, figure.start))


def _threads(pool: _Pool, limit: int = DIFFERENCES) -> list[list[int]]:
    """Sentences giving different figures for one thing, each thread oldest first: two sources
    contradicting each other (`_Pool.contradictions`), and a later sentence telling a change
    ("now counts 41 reports …, up from 27 reports", "up to $549, instead of the $420 originally
    offered") or setting its year against another ("the first wafers would leave the plant in
    early 2029, later than the 2028 date the company gave investors") with the earlier
    sentences, of any source, that give the old figure or year for it."""
    groups = [set(pair) for pair in [*pool.contradictions, *pool.disputed]]
    groups += [{index} for index in pool.set_apart]
    told = [years for years, _ in pool.years]
    for index, sentence in enumerate(pool.sentences):
        olds = pool.old_figures[index]
        values = pool.thread_values(index) if olds else set()  # what it gives now, for all olds
        for old in olds:
            currency = _currency(sentence.text, old.start)
            giving = {i for i in range(len(pool.sentences)) if _gives(pool, i, old, currency)}
            groups.append(
                _earlier_giving(pool, index, values - {old.value}, pool.mentioned, giving)
            )
        given, set_against = pool.years[index]
        for year in set_against:
            giving = {i for i, years in enumerate(told) if year in years}
            groups.append(_earlier_giving(pool, index, given - set_against, told, giving))
    merged: list[set[int]] = []
    for group in filter(None, groups):
        for other in [m for m in merged if m & group]:
            group |= other
            merged.remove(other)
        merged.append(group)
    order = sorted(merged, key=lambda g: -max(pool.salience[i] for i in g))[:limit]
    return [sorted(g, key=lambda i: _reading_order(pool, i)) for g in order]


def _gives(pool: _Pool, index: int, old: _Figure, currency: str) -> bool:
    """Whether sentence `index` gives the figure `old` that another tells a change from: as a
    count of what it counts, or as a sum of its `currency` ("" for a count)."""
    return old.value in pool.own_counts[index].get(old.unit, ()) or (
        bool(currency)
        and any(
            _currency(pool.sentences[index].text, f.start) == currency and f.value == old.value
            for f in pool.figures[index]
        )
    )


def _earlier_giving(
    pool: _Pool,
    index: int,
    new: set[float],
    told: list[set[float]],
    giving: set[int],
) -> set[int]:
    """Sentence `index` with the sentences of earlier articles on its topic that give the old
    figure it tells a change from (those `giving` it) and none of its `new` ones (each
    sentence's figures of that kind: `told`); none when it gives no new figure or none of them
    is earlier."""
    if not new:
        return set()
    published = pool.sentences[index].article.date
    earlier = {
        other
        for other, before in enumerate(pool.sentences)
        if before.article.date < published
        and pool.similar[index, other] >= ON_TOPIC
        and not told[other] & new
        and other in giving
    }
    return earlier | {index} if earlier else set()


def _contradictions(pool: _Pool, limit: int = DIFFERENCES) -> list[tuple[int, int]]:
    """Pairs of sentences of two sources giving different figures for one thing ("at least 250
    homes" and "312 homes"), closest first: each gives one figure for it, a count in no rate
    ("per", "average") or period ("on the opening day"), on no different day, that the other
    sentence does not give too ("now 41, up from 27" tells a change, not a dispute), nor only
    rounded otherwise ("$3.41bn" and "$3.4 billion"), and the two are on one topic. A figure is
    paired once for each thing it counts: "will invest €4.5 billion …, creating up to 1,500
    jobs" against the cost of one sentence and the jobs of another; and a third source's figure
    that differs from each shown for the thing joins them (1,200, 1,400 and "as many as 1,500"
    jobs: it was left out), though not one that differs from only one of them (the plant's
    "employs about 210 people" and "190 workers at the site", not the company's 640)."""
    pairs: list[tuple[float, int, int, set[str]]] = []
    counted = [i for i in range(len(pool.sentences)) if pool.own_counts[i]]
    periodic = {i for i in counted if _PERIOD.search(pool.sentences[i].text)}
    for one, other in ((a, b) for a in counted for b in counted if a < b):
        topic = pool.similar[pool.about[one], pool.about[other]]
        if pool.publisher(one) == pool.publisher(other) or topic < ON_TOPIC:
            continue
        mine, theirs = pool.own_counts[one], pool.own_counts[other]
        differing = {
            unit
            for unit in mine.keys() & theirs.keys()
            if (_is_share(unit) or not {one, other} & periodic)
            and len({pool.day_counted(one, unit), pool.day_counted(other, unit)} - {""}) < 2
            and len(mine[unit]) == len(theirs[unit]) == 1
            and mine[unit].isdisjoint(pool.values[other])
            and theirs[unit].isdisjoint(pool.values[one])
            and _beyond_rounding(pool, one, other, unit)
            and _measured_alike(*pool.figure_of(one, unit), *pool.figure_of(other, unit))
        }
        if differing:
            pairs.append((float(topic), one, other, differing))
    chosen: list[tuple[int, int]] = []
    shown: set[tuple[int, int]] = set()  # the figures paired already: sentence, where it stands
    shown_units: set[tuple[int, str]] = set()  # and the things they count
    valid = {(one, other, unit) for _, one, other, differing in pairs for unit in differing}

    def figure(index: int, unit: str) -> tuple[int, int]:
        counted = pool.figure_of(index, unit)[1]
        return index, counted.start if counted else -1

    def joins(new: int, unit: str) -> bool:
        """Whether sentence `new` differs on what `unit` names (a noun: a verb's "employs" is
        said of any staff) from every sentence shown for it already."""
        others = [index for index, named in shown_units if named == unit and index != new]
        return (
            unit[:1] != ACTION
            and bool(others)
            and all((min(new, index), max(new, index), unit) in valid for index in others)
        )

    for _, one, other, differing in sorted(pairs, key=lambda pair: pair[:3], reverse=True):
        units = [
            unit
            for unit in differing
            if (figure(one, unit) not in shown and figure(other, unit) not in shown)
            or (figure(one, unit) not in shown and joins(one, unit))
            or (figure(other, unit) not in shown and joins(other, unit))
        ]
        if units:
            chosen.append((one, other))
            shown.update(figure(i, unit) for unit in differing for i in (one, other))
            shown_units.update((i, unit) for unit in differing for i in (one, other))
    return chosen[:limit]


def _is_share(unit: str) -> bool:
    """Whether a key of `_keys` is of shares ("%", or a verb's: "@respond%")."""
    return unit.endswith("%")


def _beyond_rounding(pool: _Pool, one: int, other: int, unit: str) -> bool:
    """Whether the one figure each sentence gives for `unit` differ by more than the rounding of
    either: "$3.41bn" and "$3.4 billion" (good to $0.05bn) do not, 1,200 and 1,500 jobs do."""
    (mine,), (theirs,) = pool.own_counts[one][unit], pool.own_counts[other][unit]
    slack = max(_rounding(*pool.figure_of(one, unit)), _rounding(*pool.figure_of(other, unit)))
    return abs(mine - theirs) > slack


def _rounding(sentence: str, figure: _Figure | None) -> float:
    """Half what the last digit written of a figure is worth: "$3.4 billion" $0.05bn, "1,200"
    0.5 (a count in words, a time, a bare figure in context: 0.5)."""
    written = (
        _FIGURE.match(sentence, figure.start) if figure and figure.written == "digits" else None
    )
    if written is None:
        return 0.5
    decimals = len(written["number"].partition(".")[2])
    return 0.5 * 10.0**-decimals * _SCALES[_scale(written)]


def _timeline(pool: _Pool) -> list[list[int]]:
    """Dated events, oldest first, at most TIMELINE_EACH an article (at least TIMELINE):
    sentences naming a day, and each article's opening telling an event at its date. The same
    event told by several articles is one entry citing them all: of one day and close in meaning
    (SAME_FIGURE: "The company said the intrusion was detected on October 5." and "On October 5,
    2026, our security team detected unusual activity…"). Every day's most salient event comes
    before any day's second: the most salient alone gave three entries of 5 October and none of
    the leak-site posting of 6 October, the card listing of 10 October or the ransom deadline of
    13 October."""
    limit = max(TIMELINE, TIMELINE_EACH * len(pool.articles))
    dated = [i for i, sentence in enumerate(pool.sentences) if sentence.day]
    events: list[list[int]] = []
    for i in sorted(dated, key=lambda i: -pool.salience[i]):
        day = pool.sentences[i].day
        same = next(
            (
                event
                for event in events
                if pool.sentences[event[0]].day == day and pool.similar[i, event[0]] >= SAME_FIGURE
            ),
            None,
        )
        if same is None:
            events.append([i])
        elif pool.owner[i] not in {pool.owner[j] for j in same}:
            same.append(i)
    of_its_day: dict[str, int] = {}
    rank = {}  # an event's place among its day's (0 the most salient), events in salience order
    for event in events:
        day = pool.sentences[event[0]].day
        rank[event[0]] = of_its_day[day] = of_its_day.get(day, -1) + 1
    events = sorted(events, key=lambda e: rank[e[0]])[:limit]  # stable: by salience within
    return sorted(events, key=lambda e: (pool.sentences[e[0]].day, _reading_order(pool, e[0])))


def _without_its_day(text: str, day: str) -> str:
    """A timeline entry's words without the date or time it opens with when that is the day
    the entry shows ("28 September 2026, 09:40 — Union general secretary Maria Okafor arrived…",
    "September 28: Grey Heron operators log in…"): the entry's date says it already."""
    entry = dated_entry(text)
    if entry is None or days_named(entry[0], date.fromisoformat(day)) != day:
        return text
    rest = text[entry[1] :]
    return rest[:1].upper() + rest[1:] if rest else text


def _reading_order(pool: _Pool, index: int) -> tuple[str, int, int]:
    sentence = pool.sentences[index]
    return (sentence.article.date, int(pool.owner[index]), sentence.position)


def _notice(pool: _Pool) -> str:
    sources = {pool.publisher(i) for i in range(len(pool.sentences))}
    if len(pool.articles) == 1:
        return "Only one article is in scope: nothing to compare it with."
    if len(sources) == 1:
        return "All these articles come from one source: no differences between sources."
    return ""


def _no_agreement(pool: _Pool, differing: bool) -> str:
    """Why a digest of several sources has no 'What the sources agree on': the section is left
    out, and a reader should not take its absence for an oversight. Sources that differ on
    nothing either are no sources at odds: they tell too little of one story to compare (a
    date filter left three articles on three stories, and "No claim is stated alike…" read as
    a dispute)."""
    sources = len({pool.publisher(i) for i in range(len(pool.sentences))})
    if sources < 2:
        return ""  # _notice says there is one source or one article
    if differing:
        return "No claim is stated alike by two sources."
    return (
        f"Too few articles on one story to compare: the {len(pool.articles)} in scope, from "
        f"{sources} sources, tell no claim alike and differ on none."
    )


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
    differing = _differences(pool)
    ranked = [
        *_overview(pool),
        *(i for group in _agreed(pool, set(differing)) for i in group),
        *differing,
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
            if key == "agreed" and len({pool.publisher(i) for i in indexes}) < 2:
                key_for = "overview"  # one source's word is no agreement
            else:
                key_for = key
            if key == "differences":  # whose view it is: the sources it cites say
                sources = [pool.source(i) for i in indexes]
                source = next((s for s in sources if s.casefold() == source.casefold()), sources[0])
            if key == "timeline":  # a real date, else the one its sentences name or carry
                named = [pool.sentences[i].day or pool.sentences[i].article.date for i in indexes]
                day = next((d[:10] for d in [day, *named] if iso_day(d)), "")
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
