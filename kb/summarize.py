"""Per-article summaries in the Abstract + Q&A shape; every bullet cites spans of the article.

Offline: the abstract reads from the top to a word budget, skipping captions and repeats (lead
order beat every centrality weighting measured on news); sections from drops in similarity
between neighbouring sentences (or the author's subheads); answers ranked by centrality within the
section and position; titles from key phrases; questions from what the section's best sentences
contain. With an LLM: the model writes the summary as JSON over numbered sentences, so every
citation maps back to exact spans, and each bullet is checked against the sentences it cites.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, NamedTuple

import numpy as np

from ingest.metadata import dateline_date
from kb.constraints import MONTHS
from kb.dates import dated_entry
from kb.embed import Embedder
from kb.llm import ChatModel, LLMError, UnusableReply, complete_json
from kb.models import QA, Article, Bullet, Section, Span, Summary
from kb.prompts import (
    ANSWERS,
    MIN_SECTIONS,
    PROMPT_VERSION,
    QUESTION_CHARS,
    QUESTIONS,
    SECTIONS,
    STATEMENT_CHARS,
    SUMMARY_SCHEMA,
    TITLE_CHARS,
    merge_messages,
    summary_messages,
    too_few_sections,
)
from kb.questions import question_answered_by
from kb.support import grounding, nearest, supported
from kb.text import (
    CAPITALS,
    FACT_LINE,
    FOREIGN_MONTHS,
    PHONE_NUMBER,
    SHORT_SENTENCE_WORDS,
    STOPWORDS,
    WEEKDAYS,
    YEAR,
    content_words,
    dateline_length,
    ends_a_sentence,
    function_words,
    is_title_or_byline,
    sentence_spans,
    stems,
    table_cells,
    word_kinds,
)

_NAME_WORD = rf"[{CAPITALS}][\w'-]*\.?"
# A role is one or two lower-case words, never a preposition or a time: "said Helena Qureshi in
# Millbrook" is Qureshi's, "said Mayor Dana Whitfield on Monday" Whitfield's; nor a verb: "what
# it said were Calder Mutual files" quotes no Calder Mutual.
_ROLE_WORD = (
    r"(?!(?:in|on|at|to|for|of|from|by|with|after|before|last|this|that|when|while"
    r"|is|are|was|were|be|been|has|have|had|will|would|could|may|might)\b)[a-z]+"
)
# "said Helena Qureshi", "said Marlowe analyst Helena Qureshi", "said neighbour Lucy Ferreira"
# (an employer and a role before the name), "Calloway said", "Mayor Dana Whitfield, who toured
# the shelter, said", "Captain Irene Vasquez of the Eastbridge Fire Department, who …, said".
_SPEAKER = re.compile(
    rf"\b(?:said|says|told|according to)\s+(?:(?:{_NAME_WORD}\s+){{0,3}}(?:{_ROLE_WORD}\s+){{1,2}})?"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})"
    rf"|((?:{_NAME_WORD}\s(?:of\s)?){{1,5}})(?:said|says|told)\b"
    rf"|({_NAME_WORD}(?:\s{_NAME_WORD}){{0,4}})(?:\s(?:of|at)\s(?:the\s)?{_NAME_WORD}(?:\s{_NAME_WORD})*)?"
    rf",\s(?:who|whose)\s[^,\"“”]*,\s(?:said|says|told)\b"
)
# Words of a position before a name: "Millbrook Fire Chief Alan Moreau" is Alan Moreau.
_POSITION = re.compile(
    r"^.*\b(?:Mayor|Governor|Chief|Executive|CEO|CFO|Chairman|Chairwoman|Captain|President|"
    r"Director|Minister|Senator|Officer|Chair|Spokesperson|Spokesman|Spokeswoman|Analyst|"
    r"Professor|Dr|Judge)\.?\s+(?=\S)"
)
# "council voted", "already registered", "city agreed" are no topic; "family members", "speed
# limit" are.
_VERB_OR_ADVERB = re.compile(r"\w{3}(?<!e)ed\b|\w{2}[rt]eed\b|\w{3}(?<![ip])ly\b")
# "year's spring" (of this year's spring), "streets closest" (to the river): no topic, a fragment.
_ODD_PAIR = re.compile(r"['’]|\w{3}est$")
_IRREGULAR_PAST = frozenset(
    """began became brought built came fell felt found gave got grew held kept knew led left
    lost made met paid ran rose sent spent stood took told went won wrote
    born done gone seen taken given known shown written drawn chosen broken driven fallen
    spoke thought sought bought caught taught meant heard wore drove rode broke chose froze stole
    threw flew drew swore shook struck fought sold dealt fled hid slept woke""".split()
)  # "pack began", "born free", "union spoke": verbs, which the "-ed" of _VERB_OR_ADVERB misses
_NOUNS_IN_EST = {
    "interest",
    "protest",
    "request",
    "forest",
    "harvest",
    "contest",
    "arrest",
    "inquest",
}
# After a noun, a word in "-ing" is its verb ("the school handing out bread", "water seeping
# through"), unless it is one of these nouns ("a council meeting").
_NOUNS_IN_ING = frozenset(
    """meeting building funding housing spending training hearing ruling warning planning parking
    morning evening opening ceiling clothing thing spring string king ring wing offering rating
    listing filing landing crossing setting shipping pricing lending wedding painting recording
    reading timing marketing banking staffing flooding boarding bedding lighting""".split()
)
# Two words side by side, the first no end of a web address ("CouponCabin.com blogging") nor of a
# compound ("factor authentication" of "multi-factor authentication").
_PAIR = re.compile(r"(?=(?<![\w.@/-])([a-z][a-z'-]+)\s+([a-z][a-z'-]+)\b)")
# A live blog's time stamp opening an entry: "28 September 2026, 13:30 — Sources on both sides
# say…", "09:40 - …"; what follows it opens the sentence.
_TIME_STAMP = re.compile(r"^(?:[\w ,]{0,30}\b\d{4},?\s+)?\d{1,2}:\d{2}\s*[—–-]\s+")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
# "Harlow Regional Transit", "Bank of England", "Office of the State Fire Marshal", "Route 7"
_CAPITALISED = re.compile(
    r"\b(?:[A-Z][\w'-]*[a-z][\w'-]*)(?:\s+(?:of\s+(?:the\s+)?|the\s+)?[A-Z][\w'-]*)*"
    r"(?:\s+\d+\b(?![.,]\d))?"
)
# A figure: a sum of money, a share, or a number of something ("312 homes", not "14-year"). Never
# from inside a number ("," too in the look-behind): each start would scan the digits after it,
# quadratic in a long "1,1,1,…".
_QUANTITY = re.compile(
    r"(?<![\w:.,/-])([$€£])?(\d[\d,.]*\d|\d)"
    r"(?=\s*(?:%|percent\b|per cent\b)|\s+[a-z]{2,}\b)"
)
_COMPARED = re.compile(r"\b(?:compared (?:with|to)|against|than|versus|vs\.?|whereas)\s", re.I)
_MAX_SENTENCES = 400
# The offline summarizer's own version, stored with what it makes: a summary of an earlier one
# is made again when read (kb.api), as it costs a fifth of a second. Change it with any change
# to what extractive_summary writes.
EXTRACTIVE_VERSION = "2026-12-02.1"
_MOST_SECTIONS = 5  # of an offline summary: TextTiling's target at most, the author's sections
SUMMARY_TOKENS = 1600  # the longest reply SUMMARY_SCHEMA allows (tests/kb/test_summarize.py)
ABSTRACT_WORDS = 60  # reference abstracts of news run ~55 words; three lead sentences ~78
REPEATS = 0.85  # cosine above which a sentence says again what one already taken says
SAME_SENTENCE = 0.97  # cosine above which two sentences are one with a word or two changed
# What leans on the sentence before: an opening pronoun or connective ("'He'd help anybody,' said
# …", "But …", "Until then, …") or a pronoun for the speaker of a quote ("'Everything is gone,'
# she said."; in "When Voltaic announced the recall, it said…" the pronoun's noun is at hand).
_LEANS = re.compile(
    r"^[\"“‘']?(?:he|she|they|it|its|his|her|their|them|this|that|these|those|but|and|so|yet|"
    r"also|however|meanwhile|still|instead|then|until then)\b(?!-)"
    r"|[,.!?…][\"”’']\s+(?:he|she|they|it)\s+(?:said|says|added|told|wrote)\b"
    # "Asked about the listing Lena Sorensen reported, she said…": who is "she"? (not "it", whose
    # noun is at hand in "When Voltaic announced the recall, it said…")
    r"|,\s+(?:he|she)\s+(?:said|says|added|told|replied|insisted)\b"
    # "Most of it was for cooling, not extinguishing.": most of what?
    r"|^[\"“‘']?(?:most|some|all|much|none|many|part|each|both|any|half|few|several)\s+of\s+"
    r"(?:it|them|this|that|these|those)\b"
    # "By noon she was back …", "If it begins with …", "… questioned that estimate.": whose,
    # which, what estimate?
    r"|^(?:by|at|on|in|after|before|until|later|since)\s+\w+(?:\s+\w+)?,?\s+(?:he|she|they)\b"
    r"|^(?:if|when|because|as|although|while)\s+(?:he|she|it|they)\b"
    r"|\b(?:this|that|these|those)\s+(?!(?:year|week|month|morning|afternoon|evening|night|"
    r"time|weekend|season|spring|summer|autumn|fall|winter)\b)[a-z]+[.!?][\"”’']?$",
    re.IGNORECASE,
)
# A page's call to its reader, at the start of a line (kb.digest's promo lines too): "Follow us on
# Twitter", "Sign up for our newsletter"; not "Residents can sign up for flood alerts". A pattern
# to compile case-blind, with the anchor each reader wants.
CALL_TO_ACTION = r"(?:follow us|follow our (?:live )?coverage|sign up|subscribe|click here)\b"
# A line of the publication's, not news: "Associated Press writer Dusan Stojanovic contributed to
# this report.", "The interview has been edited for length and clarity.", or a call to action
# after any quote mark or bullet.
_BOILERPLATE = re.compile(
    r"\bcontributed(?: reporting)? to (?:this|the) (?:report|story|article)\b"
    r"|\bhas been (?:edited|condensed)(?: and (?:edited|condensed))? for (?:length|clarity)\b"
    rf"|^\W*{CALL_TO_ACTION}|\b(?:our|the) newsletter\b",
    re.IGNORECASE,
)
# A press release's own lines: its contact label and legal disclaimer ("Media contact:",
# "Actual results may differ materially.", not "The two bills differ materially in …").
_RELEASE_LINE = (
    r"\b(?:media|press) (?:contact|inquiries)\b|\bforward-looking statements?\b"
    r"|\bactual results\b[^.]{0,40}\bdiffer materially\b|\bundertakes? no obligation\b"
)
_PRESS_RELEASE = re.compile(rf"{_RELEASE_LINE}|\bfor immediate release\b", re.IGNORECASE)
# How to reach someone, or a legal disclaimer: a press release's tail, and no answer to a
# question ("Media contact: … (555) 014-7730", "The city has set up an information line at
# 555-0142.", "Actual results may differ materially.").
_CONTACT_OR_DISCLAIMER = re.compile(
    rf"{PHONE_NUMBER.pattern}|\b[\w.+-]+@[\w-]+\.\w|{_RELEASE_LINE}", re.IGNORECASE
)
# A photo credit or a link between paragraphs, no subhead: "Axelle/Bauer-Griffin/FilmMagic",
# "Snoop Dogg with his star Kevin Winter/Getty", "RELATED VIDEO: Snoop Dogg Raps", "Source: …".
_CREDIT_LINE = re.compile(
    r"\w/\w|\b(?:Getty|Images|Photo|Credit)\b|^[A-Z]{2,}(?: [A-Z]+)*:"
    r"|^(?:Related|Source|Analysis|At the scene):|\(Source:"
)
_HERE_IS = re.compile(r"^here(?:'s|’s| is| are)\b", re.IGNORECASE)
_ANNOUNCING_WORDS = 15
_ATTRIBUTED = re.compile(r"\b(?:said|says|told|added|wrote|according to)\b")
_CAPTION = re.compile(r"scroll down|click here|photo:|pictured:|video:", re.IGNORECASE)
_NOT_TOPICS = STOPWORDS | {*WEEKDAYS, *MONTHS} | {
    "he'd", "she'd", "it's", "i'm", "we're", "they're", "mr", "mrs", "ms",
    "people", "time", "told", "asked", "added", "like", "last", "first", "next", "percent",
    "million", "billion", "thousand", "hundred", "per", "cent", "about", "around", "more",
    "rather", "whether", "already", "also", "still", "even", "much", "many",
    "towards", "toward", "onto", "upon", "via", "amid", "within", "without", "across",
    "either", "neither", "along", "near", "since", "past", "beside", "behind", "beyond",
    "whose", "alone", "inside", "outside",
    # a determiner or a count is no topic: "every shift", "four departments", "twenty minutes"
    "every", "another", "several", "various", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "dozen",
    "dozens", "hundreds", "thousands", "millions",
    "celsius", "fahrenheit",  # a unit: "600 degrees Celsius"
    "often", "never", "always", "sometimes", "almost",  # "often immigrants": adverbs in no "-ly"
    "though", "although", "unless", "whereas",  # "though crews": a conjunction and its subject
    # a pronoun: "a figure nobody believed in" is no "figure nobody"
    "nobody", "anybody", "everybody", "somebody", "nothing", "anything", "everything",
    "something", "anyone", "everyone", "someone",
    # what a thing is, not a thing, though the lexicon has some as nouns or not at all: "remains
    # open free of charge", "takes the server offline"
    "free", "offline", "online", "open", "apart", "ahead", "away", "abroad", "aside",
}  # fmt: skip


# Languages that write every noun with a capital: one capitalised word is no name ("Wasser").
_NOUNS_CAPITALISED = frozenset({"de", "lb"})
# A name in another language: capitalised words, maybe joined by a particle ("Confederación
# Hidrográfica del Ebro", "Élodie Marchand"; "l'État" is "État"), or a word in katakana, which
# Japanese writes foreign names in ("ヴィサンブール").
_FOREIGN_NAME = re.compile(
    rf"(?<![\w-])[{CAPITALS}][\w'’-]*(?:\s+(?:(?:de|del|du|des|di|da)\s+)?[{CAPITALS}][\w'’-]*)*"
    r"|[\u30a0-\u30ff]{3,}"
)
# Letters of scripts written without spaces between words (kana, kanji).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# A figure with its unit in another language: "1,5 Meter", "4 200 habitants", "38 %"; in a
# script with no spaces the unit follows at once, in katakana or kanji ("900人以上", "3.84メートル").
_FOREIGN_FIGURE = re.compile(
    r"(?<![\w:.,/-])(?:\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?!\d)|\d+)(?:[.,]\d+)?"
    r"(?:\s*%|\s+[^\W\d_][\w'’-]+|(?![年月日])[\u30a0-\u30ff\u3400-\u9fff]+)"
)


def _english(language: str) -> bool:
    return language in ("", "en")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _alone(text: str, start: int, end: int) -> bool:
    """Whether the sentence is a paragraph of its own, as subheads and lines of a list are."""
    return _opens_a_paragraph(text, start) and _ends_a_paragraph(text, end)


def _opens_a_paragraph(text: str, start: int) -> bool:
    return text[max(0, start - 2) : start] in ("", "\n\n")


def _ends_a_paragraph(text: str, end: int) -> bool:
    return text[end : end + 2] in ("", "\n\n")


# A subhead is shorter than a headline: the longest in data/ is 87 characters ("Millbrook council
# approves $18.6 million flood rebuild, orders independent levee review"), and 90 clears it.
_HEADING_CHARS = 90


def _short_paragraph(text: str, start: int, end: int) -> bool:
    """A paragraph of its own no longer than a headline: the shape every subhead has."""
    return _alone(text, start, end) and end - start < _HEADING_CHARS


def _is_heading(text: str, start: int, end: int) -> bool:
    """A short paragraph of its own with no closing punctuation, not a table's row: a subhead."""
    return (
        _short_paragraph(text, start, end)
        and text[end - 1] not in '.!?"”’:。！？」'
        and not table_cells(text[start:end])
    )


def _question_heading(text: str, start: int, end: int) -> bool:
    """A short paragraph of its own asking a question, neither quoted nor a speaker's turn
    ("Was card data taken?", not 'Lund: Why pull out?'), with more text after it."""
    sentence = text[start:end]
    return (
        _short_paragraph(text, start, end)
        and sentence.endswith("?")
        and not re.search('["“”‘’]', sentence)
        and not _TURN.match(sentence)
        and bool(text[end:].strip())
    )


# A line of a fact box is kb.text.FACT_LINE, short or among short ones.
_FACT_WORDS = 8  # "Cost: $1.32 billion" is short; "The verdict: … 3 issues, …" is a sentence


def _fact_lines(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """The indices of a fact box's lines: runs of paragraphs of that shape, one of them short at
    least. A box's longer lines ("Length: 14.2 km, 16 stations, Northgate to Harbor Point via
    Civic Center") sit among short ones; a sentence with a colon and a figure stands alone."""
    shaped = [_alone(text, s, e) and bool(FACT_LINE.fullmatch(text[s:e])) for s, e in spans]
    lines: set[int] = set()
    for in_a_box, run in itertools.groupby(range(len(spans)), key=shaped.__getitem__):
        indices = list(run)
        words = [len(text[spans[i][0] : spans[i][1]].split()) for i in indices]
        if in_a_box and min(words) < _FACT_WORDS:
            lines.update(indices)
    return lines


def article_sentences(article: Article, text: str) -> tuple[list[tuple[int, int]], dict[int, str]]:
    """Sentence spans worth summarising (not title, byline, dateline or subheads; very short
    ones only when the article has nothing longer), and the subheads found, keyed by the index
    of the sentence they precede."""
    spans: list[tuple[int, int]] = []
    brief: list[tuple[int, int]] = []  # "The bridge closed.": all a two-line note may say
    headings: dict[int, str] = {}
    every_span = sentence_spans(text)
    fact_lines = _fact_lines(text, every_span)
    punctuated = _punctuated_subheads(text, every_span)
    # an article with subheads of the usual shape may ask one as a question: "Was card data
    # taken?" over what the sources say of the card data
    subheaded = any(_is_heading(text, start, end) for start, end in every_span[1:])
    # a list's short lines are its items, no subheads ("- a siren network", "Free sandbags")
    lists = [(end, _list_after(text, end)) for _, end in every_span]
    for index, (start, end) in enumerate(every_span):
        sentence = text[start:end]
        if is_title_or_byline(sentence, article.title) or _about_the_author(sentence, article):
            continue
        if not spans and _OPINION_LABEL.match(sentence):
            continue  # "Opinion | Martin Kell | The Evening Ledger": a header, no table's row
        if index in fact_lines or _BOILERPLATE.search(sentence):
            continue  # a fact box's line or the publication's: neither news nor a subhead
        if index in punctuated:
            if spans and punctuated[index]:
                headings[len(spans)] = punctuated[index]
            continue
        if subheaded and _question_heading(text, start, end):
            if spans:
                headings[len(spans)] = sentence.strip()
            continue
        if _is_heading(text, start, end) and any(a < start < b for a, b in lists):
            continue
        if _is_heading(text, start, end):
            # Not a trailing "(Reporting by ...)" note nor a PDF's page number ("2"); of two in a
            # row, the nearer the text.
            lettered = sentence[:1].isalnum() and re.search(r"[^\W\d_]", sentence)
            if spans and lettered and not _CREDIT_LINE.search(sentence):
                headings[len(spans)] = sentence.lstrip("#").strip()
            continue
        dateline = dateline_length(sentence)
        start, sentence = start + dateline, sentence[dateline:]
        if dateline_date(sentence):  # "Published March 4, 2026", not "The vote is set for 3/14."
            continue
        (spans if len(sentence) >= 30 else brief).append((start, end))
    return (spans or brief)[:_MAX_SENTENCES], headings


# A verb news tells with: "Nobody was hurt. The cause is unknown." is news, not a subhead.
_NEWS_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|said|says|told|will|would|can|could|may|might|did|does"
    r"|\w+ed)\b",
    re.IGNORECASE,
)


def _punctuated_subheads(text: str, spans: list[tuple[int, int]]) -> dict[int, str]:
    """Subheads written as sentences ("The problem isn't batteries. It's piles."): paragraphs of
    two short sentences or more with no verb of news, quote, question or speaker's turn, over a
    paragraph of prose, in an article with a subhead of the usual shape (a short paragraph with
    no closing punctuation, `_is_heading`, after its first text) as long as it at least ("Nobody
    hurt. Cause unknown." is no subhead beside a "Background"). A paragraph like it in other text
    is news or a writer's flourish: a subhead missed costs a section's title, a paragraph taken
    for one its sentences. The indices of their sentences, the first one's with the subhead, the
    others' with ""."""
    heading = [_is_heading(text, start, end) for start, end in spans]
    prose = heading.index(False) if False in heading else len(spans)
    subhead_words = [
        len(text[start:end].split())
        for (start, end), is_one in zip(spans[prose:], heading[prose:], strict=True)
        if is_one
    ]
    if not subhead_words:
        return {}
    found: dict[int, str] = {}
    first = 0
    for index, (start, end) in enumerate(spans):
        if _opens_a_paragraph(text, start):
            first = index  # a paragraph's first sentence
        if first == index or not _ends_a_paragraph(text, end):
            continue  # one sentence, or the paragraph goes on
        paragraph = text[spans[first][0] : end]
        if (
            len(paragraph.split()) <= min(SHORT_SENTENCE_WORDS, max(subhead_words))
            and not _NEWS_VERB.search(paragraph)
            and not re.search('["“”?]', paragraph)  # a quote or a question: no title
            and not _TURN.match(paragraph)  # "Ortega: Tired. Angry." is an answer
            and index + 1 < len(spans)
            and not heading[index + 1]
        ):
            found.update(dict.fromkeys(range(first + 1, index + 1), ""))
            found[first] = paragraph
    return found


# What a company's name may carry or leave out: "The Veltra Recycling, Inc." is Veltra Recycling.
_NOT_OF_THE_NAME = re.compile(r"\b(?:the|inc|llc|ltd|corp|co|plc)\b|[^\w\s]", re.IGNORECASE)


def _company(name: str) -> str:
    return " ".join(_NOT_OF_THE_NAME.sub(" ", name).lower().split())


def _about_the_publisher(
    headings: dict[int, str], count: int, source: str, press_release: bool
) -> range:
    """The sentences under "About Veltra Recycling" when Veltra Recycling published the text
    (its own description, the same under every release) up to the next subhead. A shorter or
    longer name ("About Veltra" from Veltra Recycling) only in a press release: a news outlet's
    "About Castlebrook" (the "Castlebrook Courier"'s) is its story."""
    publisher = _company(source)
    under = sorted(headings)
    for start, end in itertools.pairwise([*under, count]):
        if headings[start][:6].lower() != "about ":
            continue
        name = _company(headings[start][6:])
        shorter, longer = sorted((name, publisher), key=len)
        if (
            name
            and publisher
            and (name == publisher or (press_release and longer.startswith(f"{shorter} ")))
        ):
            return range(start, end)
    return range(0)


def _about_the_author(sentence: str, article: Article) -> bool:
    """ "Naomi Beckett writes about transport for the Courier-Times.": a line about the writer
    under the byline, not news; a news sentence rarely opens with its own writer's name."""
    author = article.author.strip()
    return len(author.split()) >= 2 and sentence.lstrip(" *_").startswith(author)


def extractive_summary(article: Article, text: str, embedder: Embedder) -> Summary:
    spans, headings = article_sentences(article, text)
    spans = spans or [(0, len(text))]
    sentences = [text[s:e] for s, e in spans]
    vectors = embedder.embed(sentences)
    centroid = vectors.mean(axis=0)
    centrality = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    position = 1.0 / (1.0 + np.arange(len(spans)) / 4.0)
    salience = 0.6 * centrality + 0.4 * position
    # A transcript's interviewer asks; what the summary reports is what the other speaker says.
    put_to, asking = _interview(text, spans)
    notes = editors_notes(text, spans) | release_furniture(text, spans)
    abstract_ids = _abstract(sentences, vectors, asking | notes, article.language)
    if _opinion(text, spans):
        abstract_ids = _argument(sentences, asking | notes) or abstract_ids
    # The Q&A adds to the Abstract: its sections are of the sentences the Abstract leaves out.
    publishers_own = _about_the_publisher(
        headings, len(spans), article.source, bool(_PRESS_RELEASE.search(text))
    )
    rest = [
        i
        for i in _not_said_before(sentences, vectors, abstract_ids)
        if i not in asking
        and i not in notes
        and i not in publishers_own
        and not _CONTACT_OR_DISCLAIMER.search(sentences[i])
    ]
    inside = sorted(i for i in headings if 2 <= i <= len(spans) - 2)
    segments: list[list[int]] = []
    if inside:  # the author's own sections, when the article has them
        bounds = [0, *inside, len(spans)]
        runs = [[i for i in rest if a <= i < b] for a, b in itertools.pairwise(bounds)]
        # of more than a summary shows, the fullest; last the Abstract's leftovers above the
        # first subhead, a section with no title of the author's
        fullest = sorted(range(len(runs)), key=lambda n: (n == 0, -len(runs[n])))
        segments = [runs[n] for n in sorted(fullest[:_MOST_SECTIONS]) if runs[n]]
    if len(segments) < 2 and rest:  # none, or one beyond the Abstract
        target = min(_MOST_SECTIONS, max(2, len(rest) // 6))
        segments = [[rest[j] for j in run] for run in _segments(vectors[rest], target)]
    completed_by = _completed_by(text, spans)
    for before, after in itertools.pairwise(segments):
        if before and after and completed_by.get(before[-1]) == after[0]:
            before.append(after.pop(0))  # "The week was not trouble-free." | what went wrong
    segments = [segment for segment in segments if segment]
    phrases = _key_phrases(
        [[sentences[i] for i in segment] for segment in segments], article.source, article.language
    )
    common = _words_not_names(text, sentences)
    full_names = _full_names(sentences)
    # English questions around another language's words read badly ("What happened with Jahr
    # 2021?"): such an article's sections are asked of by their titles only (`_about`).
    english = _english(article.language)

    def ask(ranked: list[str]) -> Callable[[list[int], set[str]], str]:
        def question(shown: list[int], asked: set[str]) -> str:
            put = put_to.get(shown[-1], "")  # in a transcript, the interviewer's own question
            if put and _asking(put) not in asked:
                return put
            if not english:
                return ""
            said = " ".join(sentences[i] for i in shown)
            return _question(said, ranked, common, asked, full_names)

        return question

    asked: set[str] = set()
    titles: set[str] = set()
    sections = []
    for previous, segment, ranked in zip([[-1], *segments], segments, phrases):
        # the author's subhead over the section, though the Abstract took the sentence under it
        subhead = next(
            (headings[i] for i in sorted(headings, reverse=True) if previous[-1] < i <= segment[0]),
            "",
        )
        qas = _qas(
            segment,
            text,
            spans,
            sentences,
            vectors,
            salience,
            ask(ranked),
            asked,
            completed_by,
            article.language,
        )
        if put_to:  # an interview's questions as they were put: "Has the city agreed to
            # that?" came before the proposal it asks of
            qas.sort(key=lambda qa: qa.answers[0].citations[0].start)
        if qas:
            # what the bullets say, not who says it (`_speaker`): "Marlowe" titled an analyst's quote
            said = " ".join(_speaker(bullet.text)[1] for qa in qas for bullet in qa.answers)
            title = subhead or _title(
                said, ranked, titles, article.source, article.language, article.title
            )
            titles.add(title.lower())
            about = partial(
                _about, title, ranked=ranked, language=article.language, subhead=bool(subhead)
            )
            authors_question = subhead.endswith("?") and _asking(subhead) not in asked
            if authors_question:
                # what the section's sentences answer: not "What happened with Calder?" of
                # Calder's security chief disputing a researcher, under "Was card data taken?"
                bullets = [bullet for qa in qas for bullet in qa.answers]
                bullets.sort(key=lambda bullet: bullet.citations[0].start)
                qas = [QA(question=subhead, answers=bullets)]
            else:
                qas = _asked_of(qas, about, asked)
            if english and not put_to and not authors_question:
                qas = _asked_exactly(qas, common, asked)
            asked.update(_asking(qa.question) for qa in qas)
            if qas:
                sections.append(Section(title=title, qa=qas))
    return Summary(
        article_id=article.id,
        title=article.title,
        mode="extractive",
        prompt_version=EXTRACTIVE_VERSION,
        created_at=_now(),
        # an entry's time stamp is the live blog's layout, not what happened
        abstract=" ".join(_TIME_STAMP.sub("", sentences[i]) for i in abstract_ids),
        sections=sections,
    )


# A capitalised word after another word of its sentence: "said Janet Waters", "Waters, 54, said".
_NAME_INSIDE = re.compile(r"(?<=[\w,;] )[A-Z][a-z][\w'-]*")


def _words_not_names(text: str, sentences: list[str]) -> set[str]:
    """The words the article writes in lower case, less those (and their singulars) that its
    sentences also write as a name: "Neighbours said" names no one when the article says
    "neighbour", but "Waters said" is Janet Waters's in an article about water."""
    names = {name.lower() for sentence in sentences for name in _NAME_INSIDE.findall(sentence)}
    lower_case = {word.lower() for word in re.findall(r"\b[a-z][\w'-]*", text)}
    return lower_case - names - {name.removesuffix("s") for name in names}


def _not_said_before(sentences: list[str], vectors: np.ndarray, said: list[int]) -> list[int]:
    """The sentences neither in `said` nor saying again what it or an earlier sentence says: a
    paragraph the article repeats ("All human beings are born free…" four times in a Word
    document) would otherwise be a bullet in several sections, or twice in one."""
    kept = list(said)
    shown = {" ".join(sorted(stems(sentences[i]))) for i in said}
    fresh = []
    for index, sentence in enumerate(sentences):
        if index in said:
            continue
        wording = " ".join(sorted(stems(sentence)))
        echoes = kept and float((vectors[kept] @ vectors[index]).max()) > SAME_SENTENCE
        if wording not in shown and not echoes:
            fresh.append(index)
            kept.append(index)
            shown.add(wording)
    return fresh


def _abstract(
    sentences: list[str],
    vectors: np.ndarray,
    left_out: frozenset[int] = frozenset(),
    language: str = "",
) -> list[int]:
    """From the top, until about ABSTRACT_WORDS words, skipping captions, the sentences
    `left_out` (an interviewer's), any sentence that repeats one already taken, one leaning on a
    sentence passed over ("It said the figure would rise…" after a caption: whose figure? An
    article's first sentence leans on its headline, as a news lead may: "It's not just UV rays
    that suncreams now protect against" opens a story well) and one
    announcing a list the Abstract cannot show ("… to the following:"). News puts the story
    first: on CNN/DailyMail every weighting of centrality against position we measured (MMR,
    LexRank, PACSUM, centroid) picked worse sentences than lead order; the length budget and the
    skips are what beat Lead-3. A result the lead leaves out is added (`_with_its_result`)."""
    chosen: list[int] = []
    skipped: set[int] = set()  # passed over: what leans on one of them has lost its noun
    words = 0
    for index, sentence in enumerate(sentences):
        if words >= ABSTRACT_WORDS or len(chosen) == 5:
            break
        if index in left_out:
            skipped.add(index)
            continue
        repeats = chosen and float((vectors[chosen] @ vectors[index]).max()) > REPEATS
        orphan = index - 1 in skipped and leans(sentence, language)
        if not (repeats or orphan or announces(sentence) or _CAPTION.search(sentence)):
            chosen.append(index)
            words += _word_count(sentence)
        else:
            skipped.add(index)
    return _with_its_result(sentences, chosen, left_out, language) or [0]


# A figure set against another right after the word comparing them: "…, against 21% on
# placebo", "compared with $3.2m"; not "more than 200 people" nor "than" at all (on CNN/DM
# "than" between two figures was rarely a story's result).
_SET_AGAINST = re.compile(
    r"\b(?:against|compared (?:with|to)|versus|vs\.?)\s+(?:(?:just|only|about|around|some)\s+)?"
    r"(?=[$€£]?\d)"
)


def _compares_figures(sentence: str) -> bool:
    """Whether the sentence sets a figure against another: "44% of patients on the drug
    responded, against 21% on placebo", "profit rose to $4.1m, compared with $3.2m"."""
    compared = _SET_AGAINST.search(sentence)
    return bool(
        compared and _figures(sentence[: compared.start()]) and _figures(sentence[compared.end() :])
    )


def _with_its_result(
    sentences: list[str], chosen: list[int], left_out: frozenset[int], language: str
) -> list[int]:
    """The Abstract with the first result of the article's first half that compares figures
    (`_compares_figures`), when the Abstract has none: a trial report's lead told of the disease
    and the trial, not that 44% of patients on the drug responded against 21% on placebo. The
    last lead sentences give way to keep the word budget."""
    if any(_compares_figures(sentences[i]) for i in chosen):
        return chosen
    result = next(
        (
            i
            for i, sentence in enumerate(sentences[: (len(sentences) + 1) // 2])
            if i not in left_out and _compares_figures(sentence) and not leans(sentence, language)
        ),
        None,
    )
    if result is None or result in chosen:
        return chosen
    kept = list(chosen)
    budget = ABSTRACT_WORDS - _word_count(sentences[result])
    while len(kept) > 1 and sum(_word_count(sentences[i]) for i in kept) > budget:
        kept.pop()
    return sorted([*kept, result])


# A paragraph the editors add about the article, not of its story: "Correction: an earlier
# version of this article said 40%; it is 14%. The 40% figure referred to…", "Correction,
# October 10, 2026: …"
_EDITORS_NOTE = re.compile(
    r"(?:^|\n)[ \t]*(?:Correction|Clarification|Editor['’]s note)(?:,[^:\n]{1,30})?\s*:[^\n]*",
    re.IGNORECASE,
)


def editors_notes(text: str, spans: list[tuple[int, int]]) -> frozenset[int]:
    """The sentences of an editors' note (`_EDITORS_NOTE`): neither lead for the Abstract nor
    bullet ("What does the article say about the earlier version?" was answered by the claim a
    correction withdraws, "An earlier version of this article said the attackers entered through
    an employee account.")."""
    notes = [match.span() for match in _EDITORS_NOTE.finditer(text)]
    return frozenset(
        i for i, (start, end) in enumerate(spans) for a, b in notes if a <= start and end <= b
    )


# A press release's end mark or the label of its notes, on a line of its own ("Ends", "-ENDS-",
# "###", "-30-", "Notes to editors", "Editor's notes:"): what follows is for journalists.
_RELEASE_END = re.compile(
    r"^[ \t*_-]*(?:ends|#{3}|-\s?30\s?-|notes? (?:to|for) editors|editor(?:s['’]?|['’]s)? notes?)[ \t*_:.-]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A paragraph of whom to ask: "Enquiries: Investor Relations +44 20 7946 0321", "Media
# contacts", "For further information, contact …".
_CONTACT_PARAGRAPH = re.compile(
    r"^[ \t*_]*(?:(?:media|press|investor|general)\s+)?"
    r"(?:enquiries|inquiries|contacts?|for (?:further|more) information)[ \t*_]*(?:[:,]|$)",
    re.IGNORECASE | re.MULTILINE,
)
# A company's description under its name: "About Norvane: Norvane is a Dutch maker…", or
# "About Norvane" over "Norvane N.V. is a…", to the next short line or the end.
_ABOUT_US = re.compile(
    r"^[ \t*_]*About\s+(?P<name>[A-Z][\w&.'’-]*)[^\n:]{0,60}?(?::[ \t]*|[ \t*_]*\n\s*)"
    r"(?P=name)\b[^\n]{0,80}?\b(?:is|was|are)\s+(?:a|an|the|one)\b[^\n]*",
    re.MULTILINE,
)


def release_furniture(text: str, spans: list[tuple[int, int]]) -> frozenset[int]:
    """The sentences of a press release's tail: after its end mark or the label of its notes
    (`_RELEASE_END`), of a contact paragraph, or of a company's description (`_ABOUT_US`);
    neither Abstract nor bullets (a "Notes to editors" section was answered by "Norvane shares
    are listed on Euronext" and "About Norvane: Norvane is a Dutch maker…"). None when that is
    every sentence: then the tail is all there is to summarise."""
    first = spans[0][0] if spans else 0
    end = next((m.start() for m in _RELEASE_END.finditer(text) if m.start() > first), len(text))
    paragraphs = [
        (m.start(), _paragraph_end(text, m.end()))
        for pattern in (_CONTACT_PARAGRAPH, _ABOUT_US)
        for m in pattern.finditer(text)
    ]
    tail = frozenset(
        i
        for i, (start, stop) in enumerate(spans)
        if start >= end or any(a <= start and stop <= b for a, b in paragraphs)
    )
    return frozenset() if len(tail) == len(spans) else tail


def _paragraph_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


# A turn of a transcript: a paragraph opening with its speaker's name and a colon ("Lund: Why
# pull out?", "Marisol Ortega: Our first engine …", "Q: …").
_TURN = re.compile(rf"^({_NAME_WORD}(?:[ ]{_NAME_WORD}){{0,2}}):[ ]", re.MULTILINE)
_TURNS_OF_A_SPEAKER = 2  # each of an interview's two sides has this many at least; one is a quote


def _interview(text: str, spans: list[tuple[int, int]]) -> tuple[dict[int, str], frozenset[int]]:
    """In a transcript (turns of two speakers or more, one of them asking in most of their turns,
    another answering in most of theirs), the question each answer's sentences were put (the
    asker's turn before them, up to its last question) and the indices of the asker's sentences:
    neither Abstract nor bullets ("Lund: Has the city agreed to that?" was a section's one bullet),
    but the questions of the sections. An interview with its questions in bold and no names
    (`_bold_questions`) likewise. Nothing for an article of another shape."""
    asked_in = _askers_turns(text) or _bold_questions(text)
    if not asked_in:
        return {}, frozenset()
    asked_from = [turn_start for turn_start, _, _ in asked_in]
    questions = [_question_put(text[start:end]) for _, start, end in asked_in]  # once a turn
    put_to: dict[int, str] = {}
    asking_sentences: set[int] = set()
    for index, (start, _) in enumerate(spans):
        latest = bisect.bisect_right(asked_from, start) - 1  # the asker's last turn so far
        if latest < 0:
            continue
        turn = asked_in[latest]
        if start < turn[2]:
            asking_sentences.add(index)
        elif question := questions[latest]:
            put_to[index] = question
    return put_to, frozenset(asking_sentences)


# An interviewer's question set in bold, a paragraph of its own, the answer after it: "**You
# said last year the plant would close. What changed?**"
_BOLD_QUESTION = re.compile(r"^[ \t]*(\*\*|__)(?P<said>[^\n]*?\?[\"”’']?)\1[ \t]*$", re.MULTILINE)


def _bold_questions(text: str) -> list[tuple[int, int, int]]:
    """An interview's questions in bold (two at least, as `_askers_turns` asks of each side), as
    turns: where each starts, where its words start and where they end."""
    found = [(m.start(), m.start("said"), m.end("said")) for m in _BOLD_QUESTION.finditer(text)]
    return found if len(found) >= _TURNS_OF_A_SPEAKER else []


def _askers_turns(text: str) -> list[tuple[int, int, int]]:
    """The turns of a transcript's asker (see `_interview`), in order."""
    turns: dict[str, list[tuple[int, int, int]]] = {}  # by speaker ("Beatrice Lund" is "Lund")
    for match in _TURN.finditer(text):
        end = text.find("\n", match.end())
        speaker = match.group(1).split()[-1].rstrip(".").lower()
        turns.setdefault(speaker, []).append(
            (match.start(), match.end(), len(text) if end < 0 else end)
        )
    asks = {  # whether most of the speaker's turns ask something
        speaker: sum("?" in text[said:end] for _, said, end in spoken) / len(spoken) > 0.5
        for speaker, spoken in turns.items()
        if len(spoken) >= _TURNS_OF_A_SPEAKER
    }
    if not (any(asks.values()) and not all(asks.values())):
        return []
    return sorted(turn for speaker, asking in asks.items() if asking for turn in turns[speaker])


def _question_put(turn: str) -> str:
    """An interviewer's turn up to its last question ("Walk me through the first hour. What did
    your crews find when they arrived?"), less its first sentences when that is longer than a
    question of the summary may be ("… Workers told reporters it started at the forklift
    chargers. Which is it?"); "" when it asks nothing ("People have asked why …")."""
    said = [turn[start:end] for start, end in sentence_spans(turn)]
    asks = [n for n, sentence in enumerate(said) if sentence.rstrip("\"”’' ").endswith("?")]
    if not asks:
        return ""
    tails = (" ".join(said[first : asks[-1] + 1]) for first in range(asks[-1] + 1))
    return next((tail for tail in tails if len(tail) <= QUESTION_CHARS), said[asks[-1]])


# A label over a piece of opinion, on a line of its own before the text ("Opinion | October 18,
# 2026", "Opinion By Daniel Fairweather"). Not the writer's "I": on CNN/DailyMail, news quoting
# its speakers at length had as many (6 of 60 articles with "I", "me" or "my" outside quotes in
# 30% of their sentences), and their lead is their summary. The label is alone on its line or
# followed by a separator and the header's other pieces ("Opinion | Martin Kell | The Evening
# Ledger") or a byline: a headline opening with the word is news ("Opinion polls put Labour
# ahead", "Comment sought from council", "Column of smoke seen for miles"), and so is one after
# a colon ("Comment: …" may be a headline's own words).
_OPINION_LABEL = re.compile(
    r"^[^\w\n]*(?i:Opinion|Comment|Column|Op-?Ed)"
    r"(?:[^\w\n]*$|\s*[|·•—–]|\s+-\s|\s+[Bb]y\s+[A-Z])",
    re.MULTILINE,
)
# What an opinion argues: "Calder Mutual should tell each member…", "What I cannot accept is…",
# "Should the regulator…"
_ARGUES = re.compile(
    r"\b(?:should|must|ought to|needs? to|cannot accept|can't accept|I think|I believe)\b",
    re.IGNORECASE,
)


def _opinion(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the article is a piece of opinion: labelled so above its first sentence."""
    return bool(spans) and bool(_OPINION_LABEL.search(text[: spans[0][0]]))


def _argument(sentences: list[str], left_out: frozenset[int]) -> list[int]:
    """An opinion's Abstract: the sentences arguing what should be done or what the writer
    holds (`_ARGUES`), in order, to about ABSTRACT_WORDS words; not short ones ("That is a
    choice.") nor those leaning on the one before. An opinion's opening is its anecdote ("a
    letter that arrived on a Thursday, tucked between a pizza menu…"), not its case."""
    chosen: list[int] = []
    words = 0
    for index, sentence in enumerate(sentences):
        if words >= ABSTRACT_WORDS:
            break
        count = _word_count(sentence)
        if (
            index not in left_out
            and count >= SHORT_SENTENCE_WORDS
            and _ARGUES.search(sentence)
            and not leans(sentence)
        ):
            chosen.append(index)
            words += count
    return chosen


def _word_count(sentence: str) -> int:
    """Words as spaces part them, or in a script with none, about one per 2.5 of its letters
    (a Japanese paragraph is no "word")."""
    return max(len(sentence.split()), len(_UNSPACED.findall(sentence)) * 2 // 5)


def _segments(vectors: np.ndarray, target: int) -> list[list[int]]:
    """Contiguous runs of sentences, cut where neighbouring windows are least alike (TextTiling)."""
    count = len(vectors)
    if count < 4:
        return [list(range(count))]
    gaps = []
    for gap in range(1, count):
        left = vectors[max(0, gap - 2) : gap].mean(axis=0)
        right = vectors[gap : gap + 2].mean(axis=0)
        gaps.append((float(left @ right / (np.linalg.norm(left) * np.linalg.norm(right))), gap))
    cuts: list[int] = []
    minimum = max(2, count // (target * 2))
    for _, gap in sorted(gaps):
        if len(cuts) == target - 1:
            break
        if all(abs(gap - other) >= minimum for other in [*cuts, 0, count]):
            cuts.append(gap)
    bounds = [0, *sorted(cuts), count]
    return [list(range(a, b)) for a, b in itertools.pairwise(bounds)]


def _completed_by(text: str, spans: list[tuple[int, int]]) -> dict[int, int]:
    """Each short sentence's next one in its paragraph, which a bullet shows with it: "The week
    was not trouble-free." says what went wrong only in the sentence after it."""
    return {
        i: i + 1
        for i, ((start, end), (after, _)) in enumerate(itertools.pairwise(spans))
        if len(text[start:end].split()) < SHORT_SENTENCE_WORDS and "\n" not in text[end:after]
    }


def _qas(
    segment: list[int],
    text: str,
    spans: list[tuple[int, int]],
    sentences: list[str],
    vectors: np.ndarray,
    salience: np.ndarray,
    ask: Callable[[list[int], set[str]], str],
    asked: set[str],
    completed_by: dict[int, int],
    language: str = "",
) -> list[QA]:
    """One or two questions, each from a leading sentence of the section, answered by it and by
    the most central other sentence close to it (cosine > 0.5) that the same question would be
    asked of. Sentences that stand alone come first; one that leans on the sentence before
    answers only when the section has no other, or right after that sentence. A short sentence
    is shown with the next in its paragraph (`completed_by`) when the section has that one free.
    `ask` gives the question of the sentences shown (by index) that no question `asked` asks."""
    # "… document image classification [11,": a sentence a page break cut inside the article's
    # reference marks, which would read as this summary's own citation numbers.
    # A sentence introducing a list is shown with its list or not at all (`_list_unshown`).
    segment = [
        i
        for i in segment
        if sentences[i].count("[") == sentences[i].count("]")
        and not _list_unshown(text, spans[i][1])
    ]
    if not segment:
        return []
    centre = vectors[segment].mean(axis=0)
    leaning = {
        i
        for i in segment
        if leans(sentences[i], language)
        or (announces(sentences[i]) and _list_after(text, spans[i][1]) == spans[i][1])
    }
    ranked = sorted(
        segment,
        key=lambda i: (i in leaning, -(float(vectors[i] @ centre) + 0.2 * salience[i])),
    )
    questions: dict[str, list[list[int]]] = {}  # each bullet's sentences
    used: set[int] = set()  # a sentence answers one question only: no bullet shown twice
    leads = 0
    for lead in ranked:
        if leads == (2 if len(segment) >= 4 else 1):
            break
        if lead in used:
            continue
        opening = [lead]
        if leans(sentences[lead], language):  # "… questioned that estimate.": with the estimate
            before = lead - 1
            if before not in segment or before in used or leans(sentences[before], language):
                continue
            if "\n" in text[spans[before][1] : spans[lead][0]]:
                continue  # the sentence before is another paragraph's
            opening = [before, lead]
        question = ask(opening, asked)
        if (
            question and _asking(question) in asked
        ):  # every way to ask of it is taken: a sentence further down
            continue
        # "What happened with Green Line?" is the question above it asked again
        question = next((q for q in questions if _asking(q) == _asking(question)), question)
        leads += 1
        close = [
            i
            for i in ranked
            if i not in used
            and i not in opening
            and (i not in leaning or i == lead + 1)
            and vectors[i] @ vectors[lead] > 0.5
            and _asking(ask([i], asked)) == _asking(question)
        ]
        taken = [lead, *close[:1]]
        used.update([*taken, *opening])
        shown = {lead: opening}
        bullet_of = {lead: lead}  # each sentence taken: the bullet it is shown in
        for i in close[:1]:  # what leans on the lead is shown in its bullet, not one of its own
            if i in leaning and i == lead + 1:
                shown[lead] = [*opening, i]
                bullet_of[i] = lead
            else:
                shown[i] = [i]
                bullet_of[i] = i
        for i in taken:
            after = completed_by.get(i)
            if after is not None and after in segment and after not in used:
                shown[bullet_of[i]].append(after)
                used.add(after)
        questions.setdefault(question, []).extend(shown.values())
    asked.update(_asking(question) for question in questions if question)
    return [
        QA(
            question=question,
            answers=[_bullet(bullet, spans, text) for bullet in sorted(bullets)],
        )
        for question, bullets in questions.items()
    ]


def _bullet(shown: list[int], spans: list[tuple[int, int]], text: str) -> Bullet:
    """The sentences as one passage of the article, one citation: a short sentence shown with
    the next in its paragraph ("Mr. Scaramucci responded angrily. “In light of…”") read as one
    quote cut in two when each had its own number; a sentence introducing a list, with it."""
    start, end = spans[shown[0]][0], spans[shown[-1]][1]
    end = _list_after(text, end)
    return Bullet(text=text[start:end], citations=[Span(start=start, end=end)])


# A list after the sentence introducing it ("… to the following:"): lines opening with a marker
# ("- raising the embankment", "2. a siren network") or short lines with no closing punctuation.
_LIST = re.compile(
    r"(?:[ \t]*\n\s*(?:(?:[-•*–]|\d{1,2}[.)])[ \t]+[^\n]+"
    rf"|[^\n]{{1,{_HEADING_CHARS - 1}}}(?<![.!?\"”:])(?=\n|$)))+"
)
_LIST_CHARS = 400  # the longest list a bullet shows whole


def _list_after(text: str, end: int) -> int:
    """Where the list introduced by the sentence ending at `end` ends, or `end` when the
    sentence introduces none."""
    found = _LIST.match(text, end) if text[end - 1 : end] == ":" else None
    return found.end() if found else end


def _list_unshown(text: str, end: int) -> bool:
    """Whether the sentence ending at `end` introduces a list ("The plan commits the council to
    the following:") that no bullet could show with it: none follows, or a long one."""
    return text[end - 1 : end] == ":" and not end < _list_after(text, end) <= end + _LIST_CHARS


def leans(sentence: str, language: str = "") -> bool:
    """Whether the sentence needs the one before it to make sense: it opens with a pronoun or a
    connective, its speaker is a pronoun, or it is a quotation with no speaker at all; in
    another language, it opens with a pronoun or "but" (`_LEANS_ELSEWHERE`)."""
    if not _english(language):
        opening = _LEANS_ELSEWHERE.get(language[:2].lower())
        return bool(opening and re.match(rf"[\"“«„]?\s*(?:{opening})\b", sentence, re.IGNORECASE))
    unattributed = sentence[:1] in "\"“‘'" and not _ATTRIBUTED.search(sentence)
    return unattributed or bool(_LEANS.search(sentence))


# Another language's pronouns and "but" opening a sentence: "Elle n'exclut pas des sanctions…"
# (the regulator, named before), "Er sagte…", "Pero…". French "il" is no one in an impersonal
# phrase ("Il y a trois ans…", "Il faut attendre…", "Il est prévu de…"); German's "es" of "Es
# gibt" is not in the list at all.
_IMPERSONAL_IL = (
    r"il(?!\s+(?:y\b|fa(?:ut|llait|udra|udrait)\b|s['’]agi|sembl|para[iî]t"
    r"|(?:est|était|sera)\s+[\w-]+\s+(?:de|d['’]|que|qu['’])))"
)
_LEANS_ELSEWHERE = {
    "de": r"er|sie|dies|aber",
    "es": r"él|ella|ellos|ellas|pero|esto|eso",
    "fr": rf"{_IMPERSONAL_IL}|elle|ils|elles|cela|mais",
    "it": r"lui|lei|loro|ma|ciò",
    "nl": r"hij|zij|maar",
    "pt": r"ele|ela|eles|elas|mas|isso",
}


def announces(sentence: str) -> bool:
    """Whether the sentence only says what follows it: "Here is what VX-40 owners should do
    now.", "The council listed three conditions:" (not "Here are the numbers: 312 homes, 41
    businesses." nor "The following day, the council voted…")."""
    if sentence.rstrip().endswith(":"):
        return True
    short = len(sentence.split()) <= _ANNOUNCING_WORDS
    return bool(_HERE_IS.match(sentence)) and short and not _figures(sentence)


def _title(
    said: str, ranked: list[str], taken: set[str], source: str, language: str, headline: str = ""
) -> str:
    """The section's best phrase that its bullets state (a name over a quote that never mentions
    it misleads), else one of the bullets' own phrases, what its figures count ("homes" of "250
    homes") or words; never a title taken by another section. A name the article's `headline`
    gives comes after the other phrases: what the whole article is about ("Veltra") says
    nothing of one section."""
    if _english(language):
        # a phrase its sentences share is their topic, even where each names it in passing
        # ("some of the Green Line's riders", "not allowed on Green Line trains")
        sentences = [said[start:end] for start, end in sentence_spans(said)]
        shared = [
            p
            for p in ranked
            if sum(_states(s, p) for s in sentences) > 1 and not _FIRST_PERSON.search(p)
        ]
        stated = [*shared, *(phrase for phrase in ranked if _topic_of(said, phrase))]
        phrases = [p for p in _phrases(said, source, language) if _topic_of(said, p)]
        words = {
            word
            for word in content_words(said)
            if not (_VERB_OR_ADVERB.search(word) or _ODD_PAIR.search(word) or word[-3:] == "ing")
            and not _an_adjective(word)
        }
        # what a figure counts, not the figure ("400 residents") nor its clause ("250 homes had
        # taken on water"): a detail, no topic
        counted = [c for c in map(_counted, _figures(said)) if c]
        found = [*stated, *phrases, *counted]
        # a thing named before one qualified by how it is: "response rate" before "significant
        # improvement"
        found.sort(
            key=lambda phrase: (
                phrase[:1].isupper() and _states(headline, phrase),
                _an_adjective(phrase.split()[0]) and " " in phrase,
            )
        )
    else:  # names, then figures, then pairs of words: a weaker topic in another language
        stated = [phrase for phrase in ranked if _states(said, phrase)]
        phrases = _phrases(said, source, language)
        said_phrases = [*stated, *phrases]
        names = [p for p in said_phrases if p[:1].isupper() or _FOREIGN_NAME.fullmatch(p)]
        found = [*names, *_foreign_figures(said, language), *said_phrases]
        words = {  # no clause of a script with no spaces
            word for word in content_words(said) if not _UNSPACED.search(word)
        } - function_words(language)
    # the last resort: its longest word (in English neither a verb nor an adverb)
    longest = sorted(words, key=lambda word: (-len(word), word))
    candidates = [*found, *longest, *_figures(said)]
    title = next((p for p in candidates if p.lower() not in taken), "")
    return title[:1].upper() + title[1:] if title else f"Part {len(taken) + 1}"


# What a figure counts in units, no topic of a section: "38 kilometres", "6.8 metres".
_UNITS = frozenset(
    "km kilometres kilometers metres meters miles mm millimetres millimeters cm feet percent "
    "seconds minutes hours days weeks months years million billion thousand".split()
)


# Endings of adjectives: "international", "significant", "serious", "digital"
_ADJECTIVE_ENDING = re.compile(r"\w{3,}(?:al|ant|ent|ous|ive|ic|ful|less|able|ible|ary)")


def _an_adjective(word: str) -> bool:
    """Whether a lower-case word is an adjective rather than a thing, no title alone ("Four-month",
    "International") nor the best one's first word ("Significant improvement"): one the lexicon
    has as an adjective only, or also as a noun but with an adjective's ending; a compound of a
    count ("four-month", "14-year")."""
    if not word.islower():
        return False
    kinds = word_kinds(word)
    counted = re.match(r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen)-", word)
    return (
        bool(counted)
        or kinds == {"ADJ"}
        or ("ADJ" in kinds and bool(_ADJECTIVE_ENDING.fullmatch(word)))
    )


def _counted(figure: str) -> str:
    """What the figure counts, the topic its clause is about: "homes" of "250 homes", "residents"
    of "400 residents"; "" for a sum, a share or a measure ("$14.5 million", "7.4%")."""
    words = [word for word in figure.split() if not re.search(r"\d", word)]
    return "" if not words or {word.lower() for word in words} & _UNITS else " ".join(words)


def _phrases(sentence: str, source: str = "", language: str = "") -> list[str]:
    """Candidate titles, not the publication's own name (`_english_phrases`,
    `_foreign_phrases`)."""
    found = (
        _english_phrases(sentence) if _english(language) else _foreign_phrases(sentence, language)
    )
    publication = {source.lower(), source.lower().removeprefix("the ")}
    return [p for p in found if len(p) > 2 and p.lower() not in publication]


def _english_phrases(sentence: str) -> list[str]:
    """Names (capitalised runs, not at the sentence start) and pairs of words side by side, the
    last two of a run ("replacement pack", not "free replacement" out of "free replacement
    pack", nor "grants household" out of "grants of up to $25,000 per household")."""
    stamp = _TIME_STAMP.match(sentence)
    names = [
        without_position  # "Consumer Watch Weekly's Martin Leclerc": two names
        for match in _CAPITALISED.finditer(sentence)
        # at the start, a name after a word that is none: "The Fenwick Street section gave way";
        # a line's start is one too: a list's item, "Raising the Mill Lane embankment"
        for line in [sentence[: match.start()].rsplit("\n", 1)[-1]]
        for words in [_less_leading_non_names(match.group(), not line.strip(" -•*–"))]
        if words
        and (words != match.group() or line.strip(" \"'“‘(—-•*–"))
        and not (stamp and _a_label(words, sentence[stamp.end() : match.start()]))
        for name in re.split(r"['’]s\b\s*", words.strip())
        # "Corinne Wallace Director of Communications": a name and a position, no "of …" name
        for without_position in [_POSITION.sub("", name)]
        if without_position and not without_position.startswith("of ")
    ]
    pairs = {  # by where each starts: its pair, where its second word starts and where it ends
        match.start(1): (f"{a} {b}", match.start(2), match.end(2))
        for match in _PAIR.finditer(sentence)
        for a, b in [match.groups()]
        if not (
            # "would look hard": a verb's (the words just before: a run-on PDF table is long)
            _after_an_auxiliary(sentence[max(0, match.start() - 40) : match.start()])
            # "to plug gaps in the rota": a verb and its object; not "visits to care homes"
            or _an_infinitive(sentence[max(0, match.start() - 60) : match.start()], a)
            or {a, b} & (_NOT_TOPICS | _IRREGULAR_PAST)
            or _VERB_OR_ADVERB.search(f"{a} {b}")
            or (_ODD_PAIR.search(f"{a} {b}") and b not in _NOUNS_IN_EST)
            or (b.endswith("ing") and b not in _NOUNS_IN_ING)
            or not _a_noun_and_what_qualifies_it(a, b)  # "receive tovarsiran", "live longer"
            # "riders appear", "electrodes inside": a noun that qualifies the next is singular
            # ("repair grants", "bus lanes"); a plural one is a subject and its verb
            or (_PLURAL.fullmatch(a) and a not in _PLURAL_QUALIFIERS)
            # "placebo saw a 21% response", "pay freeze lasts one year": a subject and its verb,
            # whose object follows
            or _OBJECT_NEXT.match(sentence, match.end(2))
        )
    }
    # A run of nouns ends in its head: "a defective cell separator" is a separator, so "cell
    # separator" is a phrase and "defective cell" a fragment ("free replacement pack"), as is
    # "state fire" of "the state fire marshal's office".
    return names + [
        pair
        for pair, second, end in pairs.values()
        if second not in pairs and not _POSSESSIVE_NEXT.match(sentence, end)
    ]


def _a_label(words: str, before: str) -> bool:
    """Whether a capitalised word opening a live blog's entry after its time stamp is a word of
    the language, as any sentence's first word may be, not a name: "Breaking: the union…",
    "Sources on both sides say…", "Result: drivers have voted…" (not "Councillor Anjali
    Mehta")."""
    return not before.strip(" \"'“‘(") and " " not in words and bool(word_kinds(words))


def _a_noun_and_what_qualifies_it(first: str, second: str) -> bool:
    """Whether two words can be a noun after a word qualifying it, as far as the lexicon knows
    them: not a verb only before ("receive tovarsiran"), not a word that is no noun after ("live
    longer"); a word it does not know may be anything ("tovarsiran")."""
    after = word_kinds(second)
    return not (word_kinds(first) == {"VERB"} or (after and "NOUN" not in after))


# After a pair of words, the start of a verb's object: a determiner or a count.
_OBJECT_NEXT = re.compile(r"\s+(?:a|an|the|its|his|her|their|our|this|these|one|\d)\b")
# After a pair of words, a possessive that goes on with their run of nouns: " marshal's".
_POSSESSIVE_NEXT = re.compile(r"\s+[a-z][a-z-]*['’]s\b")
# Nouns in "-s" that do qualify the next: "news conference", "sales tax".
_PLURAL_QUALIFIERS = frozenset(
    {"news", "sales", "series", "species", "arms", "goods", "savings", "sports", "fireworks"}
)


def _less_leading_non_names(run: str, opens_the_sentence: bool = True) -> str:
    """A run of capitalised words less those at its start that name nothing ("The", "In",
    "March"): "The Fenwick Street" is "Fenwick Street", "In February" and "August 2025"
    nothing. Inside a sentence "New" and "First" open a name: "the New England Journal of
    Medicine" keeps its "New"."""
    non_names = _NOT_TOPICS if opens_the_sentence else _NOT_NAMES_INSIDE
    while (first := re.match(r"([\w'-]+)\s*", run)) and first.group(1).lower() in non_names:
        run = run[first.end() :]
    return run if re.match(r"[A-Z][\w'-]*[a-z]", run) else ""  # not "2025" of "August 2025"


# Words opening a name inside a sentence that open no name at its start: "the New England
# Journal of Medicine", "on First Avenue" (but "This" of 'told reporters: "This is …"' names none).
_NOT_NAMES_INSIDE = _NOT_TOPICS - {"new", "first"}


def _after_an_auxiliary(before: str) -> bool:
    """Whether the text ends in an auxiliary or "who", which a verb follows ("would look",
    "would 'look", "people who ride transit")."""
    word = re.search(r"(\w+)\s+[\"“‘']?$", before)
    return bool(word and word.group(1).lower() in {*_AUXILIARIES, "who"})


def _foreign_phrases(sentence: str, language: str) -> list[str]:
    """Names and pairs of words in another language, neither beginning nor ending with one of
    its stopwords ("Dans la", "Rouvert le" are none). A capitalised word opening the sentence
    may be any word; in German any noun is capitalised, so a name there has two words at least
    ("Bad Bergzabern", not "Wasser"). A pair of lower-case words is a noun and its adjective
    in French or Spanish ("crue historique"); of a language with no stopword list, none. The
    text may hold several sentences."""
    stopwords = function_words(language)
    shortest_name = 2 if language in _NOUNS_CAPITALISED else 1
    names = []
    for match in _FOREIGN_NAME.finditer(sentence):
        before = sentence[: match.start()].rstrip(" \"'“‘«„(—-")
        if before[-1:].isdigit() or before[-1:] in "万億":  # "2,4 Millionen Euro", "3500万ユーロ":
            continue  # a figure's unit (`_foreign_figures`)
        # in German "des" is an article between two nouns, no particle of a name: "nach
        # Angaben des Vereins" names nothing
        parts = [match.group()]
        if language in _NOUNS_CAPITALISED:
            parts = re.split(r"\s+(?:des|de|del|du|di|da)\s+", match.group())
        for part, words in enumerate(name.split() for name in parts):
            if not part and (not before or before[-1] in ".!?…:") and words[0][:1].isupper():
                words.pop(0)
            name = _without_ends(words, stopwords)
            if len(name.split()) >= shortest_name:
                names.append(name)
    if not stopwords or language in _NOUNS_CAPITALISED:
        return names
    pairs = [
        f"{a} {b}"
        for a, b in itertools.pairwise(re.findall(r"[^\W\d_]+|\S", sentence))
        if a.islower() and b.islower() and len(a) > 1 and len(b) > 1 and not {a, b} & stopwords
    ]
    return names + pairs


def _without_ends(words: list[str], stopwords: frozenset[str]) -> str:
    """The words less the stopwords at either end: "Die Bürgermeisterin" is "Bürgermeisterin"."""
    while words and words[0].lower() in stopwords:
        words = words[1:]
    while words and words[-1].lower() in stopwords:
        words = words[:-1]
    return " ".join(words)


def _key_phrases(segments: list[list[str]], source: str, language: str) -> list[list[str]]:
    """Per section, its phrases ranked by how frequent they are in it and how little spread over
    the others (tf-idf; names above pairs)."""
    counts = [
        Counter(p for sentence in segment for p in _phrases(sentence, source, language))
        for segment in segments
    ]
    spread = Counter(p for counter in counts for p in counter)
    ranked_phrases: list[list[str]] = []
    for counter in counts:

        def score(phrase: str, count: int) -> float:
            weight = 1.5 if phrase[:1].isupper() else 1.0
            return count * weight * math.log(1 + len(segments) / spread[phrase])

        ranked_phrases.append(
            [p for p, _ in sorted(counter.items(), key=lambda item: -score(*item))]
        )
    return ranked_phrases


# What describes a speaker named at the end of a sentence: "…," said Martin Leclerc, a commuter
# whose pack came with a Tandem Lane bike; said Priya Natarajan, the Castellan principal who….
_SPEAKER_DESCRIBED = re.compile(
    rf"^,\s+(?:a|an|the|who|whose|{_NAME_WORD}['’]s(?=\s+{_NAME_WORD}))\b[^\"“”]*$"
)  # "said Dr. Amelia Sorensen, Veltra's Vice President of Environment": no word of Veltra's


def _full_names(sentences: list[str]) -> dict[str, str]:
    """The full name of each speaker the sentences give one, by surname: "Reinholt said" is
    Thomas Reinholt's ("What did Thomas Reinholt say?" and "What did Reinholt say?" were asked
    side by side). A surname two speakers share stays as it is."""
    names: dict[str, set[str]] = {}
    for sentence in sentences:
        name = _speaker(sentence)[0]
        if " " in name:
            names.setdefault(name.split()[-1], set()).add(name)
    return {surname: full.pop() for surname, full in names.items() if len(full) == 1}


def _speaker(sentence: str) -> tuple[str, str]:
    """Who the sentence quotes ("" if no one) and what it says without them: "said Marlowe
    analyst Helena Qureshi" and "said Martin Leclerc, a commuter whose pack came with a Tandem
    Lane bike" are about neither Marlowe nor Tandem Lane."""
    speaker = _SPEAKER.search(sentence)
    # "The union at Veltra says": the union says it; the name only places it (`_LOCATING`)
    if not speaker or (speaker.group(2) and _LOCATING.search(sentence[: speaker.start()])):
        return "", sentence
    named = _POSITION.sub("", next(filter(None, speaker.groups()), "")).split()
    while named and named[0].lower().rstrip(".") in _NOT_TOPICS:  # "But Qureshi", "In March …"
        named.pop(0)
    name = " ".join(named).rstrip(".")  # the sentence's full stop
    after = _SPEAKER_DESCRIBED.sub("", sentence[speaker.end() :])
    return name, sentence[: speaker.start()] + after


# Words that make the name after them a place or an owner the sentence only mentions: "a reader
# in Harlow", "a bakery on Tanner Street", "a nurse at Harlow General", "a state of emergency
# for Alder County", "near the Tanner Street culvert"; not "of" ("the operating cost of the
# Green Line" is the line's).
_PLACE_WORD = r"(?i:in|on|at|near|along|around|outside|inside|across|from|for|to|up|down|over|past)"
_LOCATING = re.compile(
    rf"\b{_PLACE_WORD}\s+"
    r"(?:(?i:the|a|an|its|his|her|their|our)\s+)?"
    r"(?:(?:neighbouring|neighboring|nearby|downtown)\s+)?"  # "in neighbouring Millford"
    rf"(?:(?:{_NAME_WORD}\s+)+(?:and|or)\s+)?$"  # "along Tanner Street and Mill Road"
)
# The names of a list before a name ("in Castlebrook, Dayton, Fort Wayne and Erie"), none of
# them the word of place ("In Castlebrook, Dayton"), and what goes on with the list after one.
_LIST_BEFORE = re.compile(rf"(?:(?!{_PLACE_WORD}\s){_NAME_WORD},?\s+)+(?:(?:and|or)\s+)?$")
_LIST_GOES_ON = re.compile(rf"(?:,\s+|\s+(?:and|or)\s+){_NAME_WORD}")
# The rest of such a list, and a verb after it: the list is the sentence's subject ("Speaking
# in Harlow, Mayor Hollis and Chief Ortega promised an inquiry"), not more places. A verb is a
# lower-case word right after the list's last name, not a word of place or time ("in Harlow and
# Millford on Monday", "last week").
_REST_OF_LIST = re.compile(rf"(?:\s+{_NAME_WORD}|,?\s+(?:(?:and|or)\s+)?{_NAME_WORD})*")
_VERB_AFTER = re.compile(
    rf"\s+(?!{_PLACE_WORD}\b|(?:of|by|with|after|before|last|this|that|when|while|where|who|"
    r"which|and|or)\b)[a-z]"
)
# A name set off after a common noun: "one assembly line, Line 3, at its plant" names the line,
# which the sentence is about only in passing (not "By dawn, Fenwick, Quay and Tanner streets").
_APPOSITION = re.compile(r"\b[a-z]+,\s+$")


def _incidental(phrase: str, sentence: str) -> bool:
    """Whether a name only locates or attributes what the sentence says, wherever the sentence
    says it (`_LOCATING`, `_APPOSITION`): no topic for its section's title or questions."""
    if not phrase[:1].isupper():
        return False
    mentions = list(re.finditer(rf"\b{re.escape(phrase)}\b", sentence))
    return bool(mentions) and all(_in_passing(sentence, m.start(), m.end()) for m in mentions)


def _in_passing(sentence: str, start: int, end: int) -> bool:
    """Whether the name at sentence[start:end] locates, attributes or qualifies: after a word of
    place (`_LOCATING`, or in a list after one), after "a" ("a Green Line station": a kind of station), or set off after
    a common noun (`_APPOSITION`; not the first of a list, "By dawn, Fenwick, Quay and …")."""
    before = sentence[max(0, start - 60) : start]
    apposition = _APPOSITION.search(before) and re.match(r",\s+(?!and\b|or\b)[a-z]", sentence[end:])
    # a list of places: "in Castlebrook, Dayton, Fort Wayne and Erie" is about none of them
    listed = _LIST_GOES_ON.match(sentence, end) or re.search(r"\b(?:and|or)\s+$", before)
    rest = _REST_OF_LIST.match(sentence, end) if listed else None
    list_ends = rest.end() if rest else end
    located = _LOCATING.search(before) or (
        listed
        and _LOCATING.search(_LIST_BEFORE.sub("", before))
        and not _VERB_AFTER.match(sentence, list_ends)
    )
    # "Several other companies, including Novaris and Amgenix, are testing…": examples
    example = re.search(r"\b(?:including|such as)\s+$", _LIST_BEFORE.sub("", before))
    return bool(located or re.search(r"\b[Aa]n?\s+$", before) or apposition or example)


# The article's own voice: a question "about our verdict" asks whose?
_FIRST_PERSON = re.compile(r"\b(?:we|us|our|ours|i|me|my)\b", re.IGNORECASE)


def _topic_of(said: str, phrase: str) -> bool:
    """Whether the text says the phrase (`_states`) as what it is about, not in passing
    (`_incidental`), and not in the article's own voice ("our verdict": whose?)."""
    return (
        _states(said, phrase) and not _incidental(phrase, said) and not _FIRST_PERSON.search(phrase)
    )


def _question(
    sentence: str,
    phrases: list[str],
    common: set[str],
    asked: set[str],
    full_names: dict[str, str] | None = None,
) -> str:
    """Who said it, what the figures are, or what happened; about a name of the section that the
    sentence states, or the section's top phrase if it does, else about nothing named (a question
    about the top phrase would promise what the sentence may not say; other pairs of words read
    badly: "say about help anybody?"). `common`: the article's lower-case words that it never
    writes as a name (`_words_not_names`), so "Officials said" names no one. `asked`: what the
    summary's questions so far ask (`_asking`), none asked twice. `full_names`: the article's
    speakers by surname (`_full_names`), so that one person is asked of under one name."""
    name, said = _speaker(sentence)
    if " " not in name and {name.lower(), name.lower().removesuffix("s")} & common:
        name = ""  # "Neighbours said": the article's "neighbour", a word, not a name
    name = (full_names or {}).get(name, name)  # "Reinholt said": Thomas Reinholt's
    stated = [
        phrase
        for rank, phrase in enumerate(phrases)
        if (rank == 0 or phrase[:1].isupper())
        and _topic_of(said, phrase)
        and not set(name.split()) & set(phrase.split())
    ]
    topics = [_as_written(phrase, said) for phrase in stated]
    if name:
        who = _as_written(name, sentence)
        options = [*(f"What did {who} say about {t}?" for t in topics), f"What did {who} say?"]
        again = f"What else did {who} say?"
    elif _figures(sentence):
        # Not what the figures are compared with: "Only 3.2 km of streets have bus lanes,
        # compared with 14.2 km … for the Green Line" gives no figures on the Green Line; nor
        # another clause after them: "About 400 people spent Saturday in the gymnasium, where
        # the Millbrook Grange handed out blankets" gives none on the Grange.
        subject = _COMPARED.split(said, maxsplit=1)[0]
        first = min(map(subject.find, _figures(subject)), default=len(subject))
        clause = _CLAUSE_BREAK.split(subject[first:], maxsplit=1)[0]
        subject = subject[:first] + clause
        options = [
            *(f"What are the figures on {topic}?" for phrase, topic in zip(stated, topics)
              if _states(subject, phrase) and not _only_qualifies(phrase, subject)),
            "What are the key figures?",
        ]  # fmt: skip
        again = "What other figures does the article give?"
    else:
        options = [
            f"What happened with {topic}?"
            for phrase, topic in zip(stated, topics)
            if not _only_qualifies(phrase, said) and _is_a_noun_phrase(phrase, said)
        ]
        again = ""  # nothing to ask of: the section's title is asked of (`_about`)
    return next((question for question in options if _asking(question) not in asked), again)


_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[—–-]\s")
# What follows a word that only qualifies the next: "Muslim nation", "Gin & Juice", "Gin and
# Juice"; not a verb ("Voltaic said", "Voltaic recalled").
_QUALIFIED = rf"\s+(?:&|and\s+[{CAPITALS}]|(?!(?:said|says|told)\b)[a-z]+\b(?<!ed)(?<!ly))"


def _only_qualifies(phrase: str, sentence: str) -> bool:
    """Whether a name is, wherever the sentence says it, words qualifying the next ("this
    Muslim nation", "his Gin and Juice recipe", "e-bikes fitted with Voltaic Cell Works VX-40
    battery packs"): no subject to ask "what happened" of. One that opens the sentence is its
    subject ("Voltaic supplies battery packs…")."""
    if not phrase[:1].isupper():
        return False
    said = list(re.finditer(rf"\b{re.escape(phrase)}\b", sentence))
    return bool(said) and all(
        sentence[: match.start()].strip(" \"'“‘(")
        and (follows := re.match(_QUALIFIED, sentence[match.end() :]))
        and follows.group().split()[-1] not in STOPWORDS
        for match in said
    )


_MOST_QUESTIONS = 3  # of a section


def _asked_of(qas: list[QA], about: Callable[[str], str], asked_before: set[str]) -> list[QA]:
    """The section's questions with each unasked bullet ("": `_question`) under the question
    `about` gives of it (one question of two bullets' text may name what only one says: "What
    does the article say about Tanner Street?" over a quote of the mayor's), or under the
    question already asking that: not "What happened with Afghanistan?" and "What does the
    article say about Afghanistan?" side by side. A bullet whose question an earlier section
    asked (`asked_before`, as `_asking` words it) is left out: "What else does the article
    say?" twice in one summary."""
    asked = [qa for qa in qas if qa.question]
    for bullet in (bullet for qa in qas if not qa.question for bullet in qa.answers):
        question = about(bullet.text)
        topic = question.removeprefix("What does the article say about ").lower()
        same = next(
            (
                qa
                for qa in asked
                # "… about Picket lines and support?" is "… about the picket lines and support?"
                if _asking(qa.question) == _asking(question)
                or qa.question.lower().endswith(f" {topic}")
            ),
            None,
        )
        if same is None:
            # else the bullet is left out: a section stays short, no question is asked twice
            if len(asked) < _MOST_QUESTIONS and _asking(question) not in asked_before:
                asked.append(QA(question=question, answers=[bullet]))
            continue
        joined = sorted([*same.answers, bullet], key=lambda shown: shown.citations[0].start)
        asked = [qa.model_copy(update={"answers": joined}) if qa is same else qa for qa in asked]
    # "What else …?" reads as coming after the others: it opened a section above "What does the
    # article say about the earliest complaint?"
    return sorted(asked, key=lambda qa: qa.question.startswith("What else "))


def _asked_exactly(qas: list[QA], common: set[str], asked: set[str]) -> list[QA]:
    """Each question of one bullet of one sentence asked as that sentence answers it, when
    `kb.questions` can: "How many homes had taken on water?" rather than "What are the key
    figures?" or "What did Alan Moreau say?"; none that the summary asks already."""
    exact = []
    for qa in qas:
        said = qa.answers[0].text if len(qa.answers) == 1 else ""
        question = question_answered_by(said, common) if len(sentence_spans(said)) == 1 else ""
        if question and _asking(question) not in asked:
            asked.add(_asking(question))
            qa = qa.model_copy(update={"question": question})
        exact.append(qa)
    return exact


_DETERMINER = re.compile(
    r"(?:a|an|the|another|this|that|these|those|his|her|its|our|their|my|your|each|every|some)\s",
    re.IGNORECASE,
)
_WH_WORD = re.compile(r"^(?:what|why|how|who|where|when|which)\b", re.IGNORECASE)


# "What does the article say about …?" in the languages whose function words kb.text knows
_ASK_ABOUT = {
    "de": "Was sagt der Artikel über „{}“?",
    "es": "¿Qué dice el artículo sobre «{}»?",
    "fr": "Que dit l'article sur « {} » ?",
    "it": "Che cosa dice l'articolo su «{}»?",
    "nl": "Wat zegt het artikel over ‘{}’?",
    "pt": "O que diz o artigo sobre «{}»?",
}


def _about(title: str, said: str, ranked: list[str], language: str, subhead: bool = True) -> str:
    """The question of bullets that gave none: of the section's best phrase the bullets state
    that reads as a thing (not "the law requires", "the 14-year"), else of the section's title
    when that does (a subhead can be anything: "RELATED VIDEO: …"; "What to do right now" asked
    as it is was answered by a line of the list that does not answer it, and "our verdict" is
    the article's own voice) and is the author's subhead or said by the
    bullets (a title of key phrases may be another bullet's: "Marlowe" over "The recall is the
    largest in the company's 14-year history."), else of its figures; in another language the
    section's title in that language's words ("Was sagt der Artikel über „Kritik“?"), with
    no English around it; in a language with no such words here, the title as it is."""
    if subhead and title.endswith("?"):
        return title  # the author's own question: "Was card data taken?"
    if not _english(language):
        return _foreign_question(title, said, language, subhead)
    entry = dated_entry(said)
    if entry:  # "What happened with Result?" of "1 October 2026, 12:40 — Result: drivers…"
        return f"What happened on {entry[0]}?"
    topics = [
        p for p in [*ranked, *_phrases(said)] if _topic_of(said, p) and not _only_qualifies(p, said)
    ]
    phrase = next((p for p in topics if _is_a_noun_phrase(p, said)), "")
    # not of a title that only qualifies the bullet's noun: "what it said were Calder Mutual
    # files" is the group's doing, nothing Calder Mutual did
    stated = re.search(rf"\b{re.escape(title)}\b", said, re.IGNORECASE)
    if not phrase and (subhead or (stated and not _only_qualifies(title, said))):
        phrase = _title_as_a_phrase(title, said)
    if not phrase and _figures(said):
        return "What are the key figures?"
    if not phrase:  # "What else does the article say?" only when nothing at all is asked of
        lenient = [p for p in topics if _is_a_noun_phrase(p, said, lenient=True)]
        initials = [  # "OSHA has six months", not "written to the NPSB" (`_incidental`)
            name
            for name in _INITIALS.findall(said)
            if not (said.isupper() or _incidental(name, said))
        ]
        phrase = next(iter([*lenient, *initials]), "")
    if not phrase:
        return "What else does the article say?"
    written = re.search(rf"\b{re.escape(phrase)}\b", said, re.IGNORECASE)
    topic = written.group() if written else phrase
    if not _DETERMINER.match(topic):  # "another protest", "our verdict": no "the" before
        topic = _as_written(topic, said)
    return f"What does the article say about {topic}?"


# Who said it, what figures it gives, what else it says: the English templates' kinds, in the
# languages _ASK_ABOUT asks in.
_ASK_SAID = {
    "de": "Was sagt {}?",
    "es": "¿Qué dice {}?",
    "fr": "Que dit {} ?",
    "it": "Che cosa dice {}?",
    "nl": "Wat zegt {}?",
    "pt": "O que diz {}?",
}
_ASK_FIGURES = {
    "de": "Welche Zahlen nennt der Artikel?",
    "es": "¿Qué cifras da el artículo?",
    "fr": "Quels chiffres l'article donne-t-il ?",
    "it": "Quali cifre riporta l'articolo?",
    "nl": "Welke cijfers noemt het artikel?",
    "pt": "Que números o artigo apresenta?",
}
_ASK_ELSE = {
    "de": "Was sagt der Artikel sonst?",
    "es": "¿Qué más dice el artículo?",
    "fr": "Que dit encore l'article ?",
    "it": "Che altro dice l'articolo?",
    "nl": "Wat zegt het artikel verder?",
    "pt": "O que mais diz o artigo?",
}
# When, of a day said in the past or to come ("doivent être envoyés à partir du 14 octobre")
_ASK_WHEN = {
    "de": "Welches Datum nennt der Artikel?",
    "es": "¿Qué fecha da el artículo?",
    "fr": "Quelle date l'article donne-t-il ?",
    "it": "Quale data riporta l'articolo?",
    "nl": "Welke datum noemt het artikel?",
    "pt": "Que data o artigo apresenta?",
}
# A day of a month in another language, which tells when: "le 13 mars", "am 2. Oktober 2026",
# "el 20 de marzo", "il 5 maggio".
_FOREIGN_DAY = re.compile(
    r"(?<![\d.])\d{1,2}(?:\.|er|º)?\s+(?:de\s+)?(?i:"
    + "|".join(sorted(FOREIGN_MONTHS, key=len, reverse=True))
    + r")\b"
)
# Verbs of saying next to their speaker's name: "« … », a déclaré Marcus Hale", "estime Sophie
# Marchand", "David Pryce sagte"; a name of two words at least, as _FOREIGN_NAME finds them.
_SAYING_VERBS = {
    "de": r"sagte|sagt|erklärte|erklärt|betonte|betont|meinte|meint|kritisierte|kritisiert",
    "es": r"dijo|dice|afirmó|afirma|explicó|explica|declaró|aseguró|asegura|señaló|señala",
    "fr": r"a déclaré|a dit|a affirmé|a expliqué|a indiqué|a précisé|a estimé|déclare|affirme"
    r"|estime|assure|explique|indique|souligne|précise",
    "it": r"ha detto|ha dichiarato|ha spiegato|ha affermato|dice|afferma|spiega",
    "nl": r"zei|zegt|verklaarde|verklaart",
    "pt": r"disse|afirmou|afirma|explicou|declarou|diz",
}


def _foreign_speaker(said: str, language: str) -> str:
    """The full name of whom a sentence in another language quotes, next to a verb of saying
    (`_SAYING_VERBS`), or ""."""
    verbs = _SAYING_VERBS.get(language)
    if not verbs:
        return ""
    for name in _FOREIGN_NAME.finditer(said):
        before = said[: name.start()].rstrip(" ,")
        after = said[name.end() :].lstrip(" ,")
        # two words at least, each capitalised: "zu Beginn des Streiks erklärt" names no one
        words = name.group().split()
        named = len(words) >= 2 and all(word[:1].isupper() for word in words)
        if named and (
            re.search(rf"(?:^|\W)(?:{verbs})$", before) or re.match(rf"(?:{verbs})\b", after)
        ):
            return name.group()
    return ""


def _foreign_question(title: str, said: str, language: str, subhead: bool) -> str:
    """The question of bullets in another language: who says it (`_foreign_speaker`), else what
    the article says of the section's title when the title is the author's subhead or the bullet
    states it, else when, of a bullet naming a day ("le 13 mars"), else what its figures are,
    else what else the article says: "Que dit l'article sur « Sophie Marchand » ?" was asked of a bullet on the mailing dates, in a section titled by
    another bullet's speaker. In a language with no such words here, the title as it is."""
    code = language[:2].lower()
    if code not in _ASK_ABOUT:
        return f"{title.rstrip('?.:!')}?"
    speaker = _foreign_speaker(said, code)
    if speaker:
        return _ASK_SAID[code].format(speaker)
    # a title of the bullet's words has a capital of its own: "Fichiers dérobés"
    if subhead or _states(said, title) or _states(said, title[:1].lower() + title[1:]):
        return _ASK_ABOUT[code].format(title.rstrip("?.:!"))
    if _FOREIGN_DAY.search(said):
        return _ASK_WHEN[code]
    if _foreign_figures(said, code):
        return _ASK_FIGURES[code]
    return _ASK_ELSE[code]


_AUXILIARIES = frozenset(
    "am is are was were be been being has have had do does did will would shall can could should "
    "may might must".split()
)
_VERB_WORDS = _IRREGULAR_PAST | _AUXILIARIES


_INITIALS = re.compile(r"\b[A-Z]{3,6}\b")  # an agency's or a company's: "OSHA", "NPSB"
_AFTER_A_NOUN = frozenset(
    ", ; and or of on in at for with from by about during under across near".split()
)


def _is_a_noun_phrase(phrase: str, sentence: str, lenient: bool = False) -> bool:
    """Whether "the <phrase>" names a thing: a name, or words with no verb among them ("law
    requires", "council voted", "is offering either") and no adjective alone ("14-year"). A plural
    after a lower-case word reads as a verb ("law requires"), unless that word is a compound
    ("free-ride crowds")."""
    words = phrase.split()
    if all(word[:1].isupper() or word in ("of", "the") for word in words):
        return True
    last = words[-1].lower()
    before = re.search(rf"([\w'’]+)\s+{re.escape(phrase)}\b", sentence, re.IGNORECASE)
    # "would look hard", "did not answer questions": a verb's
    verb = (before is not None and before.group(1).lower() in {*_AUXILIARIES, "not"}) or any(
        _VERB_OR_ADVERB.search(word) or word.lower() in _VERB_WORDS for word in words
    )
    # `lenient`: a plural before a preposition or a comma is a noun, "fire watchers on every
    # shift" (though "budget talks" of "during budget talks, the council voted" is none the
    # sentence is about, and "the city plans to" goes on as a verb)
    after = re.search(rf"\b{re.escape(phrase)}\b\s*([\w,;]*)", sentence, re.IGNORECASE)
    followed_as_a_noun = lenient and after is not None and after.group(1).lower() in _AFTER_A_NOUN
    verb_after_a_noun = (
        len(words) > 1
        and bool(re.search(r"[^siu]s$", last))
        and "-" not in words[-2]
        and not followed_as_a_noun
    )
    adjective_alone = bool(re.fullmatch(r"\d[\d,.]*-\w+", last))
    return not (verb or verb_after_a_noun or adjective_alone or last in _NOT_TOPICS)


def _title_as_a_phrase(title: str, said: str) -> str:
    """The section's title as a phrase to ask of ("Recovery plan": "recovery plan"; "Marlowe"),
    or "" when it is no noun phrase ("A bigger recall, a better refund", "Law requires"), asks a
    question itself or is the article's own voice ("Our verdict": whose?)."""
    if (
        not re.fullmatch(r"[\w'’ -]+", title)
        or _WH_WORD.match(title)
        or _FIRST_PERSON.search(title)
    ):
        return ""  # "What to do right now", "Our verdict": no thing to ask of
    title = re.sub(r"^about\s+", "", title, flags=re.IGNORECASE)  # "About the Quarry Road facility"
    first, _, rest = title.partition(" ")
    sentence_case = rest[:1].islower() and not re.search(rf"\b{re.escape(first)}\b", said)
    # "Transparency", "Picket lines and support": a word of the language, capitalised only where
    # it opens a sentence
    opens_only = word_kinds(first) and not re.search(rf"(?<=[\w,;] ){re.escape(first)}\b", said)
    if first.lower() in _NOT_TOPICS or sentence_case or (opens_only and not rest[:1].isupper()):
        title = f"{first.lower()} {rest}".rstrip()
    return title if _is_a_noun_phrase(title, said) else ""


def _asking(question: str) -> str:
    """What a question asks, however worded: "What happened with the Green Line?" and "What
    happened with Green Line?" are one question."""
    return re.sub(r"\bthe\s+", "", question.lower())


def _states(sentence: str, phrase: str) -> bool:
    """Whether the sentence says the phrase: a name as written and whole ("Routes" is not "bus
    routes", "Fenwick" not "the Fenwick Street section", "Quay" not "Lower Quay"), other words in
    any case."""
    if not phrase[:1].isupper():
        return bool(re.search(rf"\b{re.escape(phrase)}\b", sentence, re.IGNORECASE))
    return any(
        not _NAME_GOES_ON.match(sentence, match.end())
        and not _part_of_a_name_before(sentence[: match.start()])
        and not _joined_in_one_name(sentence, match.start(), match.end())
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", sentence)
    )


def _an_infinitive(before: str, word: str) -> bool:
    """Whether `word`, after `before`, is a verb after "to": one that is no noun ("to put"), or
    after a verb of purpose ("plan to fund", "relying on agency drivers to plug"); a word both
    noun and verb after another "to" is a noun ("visits to care homes", "to bus drivers")."""
    if not before.endswith(" to "):
        return False
    kinds = word_kinds(word)
    return "VERB" in kinds and ("NOUN" not in kinds or bool(_PURPOSE_TO.search(before)))


# A verb of purpose before "to", or one with its object between: "in order to", "want to",
# "plans to", "tried to", "relying on agency drivers to", "used the fund to".
_PURPOSE_TO = re.compile(
    r"\b(?:in order|so as|(?:want|need|plan|aim|tr(?:y|ie)|seek|sought|hope|intend|attempt"
    r"|agree|decide|refuse|promise|vote)\w*"
    r"|(?:rel(?:y|ies|ied|ying) on|us(?:e|es|ed|ing)|ask\w*|urg\w*|allow\w*)"
    r"(?:\s+(?!(?:to|for|of|in|on|at|with|from|by)\b)[\w'-]+){1,3})\s+to\s+$",
    re.IGNORECASE,
)


_NAME_GOES_ON = re.compile(rf"\s+[{CAPITALS}][\w'-]*[a-z]")


def _joined_in_one_name(sentence: str, start: int, end: int) -> bool:
    """Whether the word at sentence[start:end] is one half of a name joined by "and" after
    "the": "Ride" and "Park" of "The Park and Ride at Northgate is closed"; not when either is a
    plural, as a list of parties has ("The Greens and Labour agreed…")."""
    return any(
        ((start, end) == match.span(1) or start == match.start(2))
        and not any(_PLURAL.fullmatch(word) for word in match.group(1, 2))
        for match in _TWO_JOINED.finditer(sentence)
    )


_TWO_JOINED = re.compile(rf"\b[Tt]he\s+([{CAPITALS}][\w'-]*)\s+(?:and|&)\s+([{CAPITALS}][\w'-]*)")
# A plural, as its ending shows: "riders", "Greens"; not "bus", "Ross" nor "Ride's".
_PLURAL = re.compile(r"\w+[^su']s")


def _part_of_a_name_before(before: str) -> bool:
    """Whether the text ends in a word of a name: "Lower " of "Lower Quay"; not "The ", "In "
    nor a position ("Chief " of "Chief Moreau")."""
    word = re.search(rf"\b([{CAPITALS}][\w'-]*)\.?\s+$", before)
    return bool(
        word
        and word.group(1).lower() not in _NOT_TOPICS
        and not _POSITION.match(f"{word.group()}x")
    )


def _as_written(phrase: str, sentence: str) -> str:
    """The phrase with the article a question needs: "the" before a common noun ("the recall")
    and before a name the sentence gives it ("the State Weather Service said"), but not before
    a name that only qualifies a noun ("the Fenwick Street section" is about Fenwick Street)."""
    given = re.search(rf"\bthe\s+{re.escape(phrase)}\b(['’]s\b)?\W*(\w*)", sentence, re.IGNORECASE)
    qualifies = (
        given
        and not given.group(1)  # "the Green Line's riders": the line's
        and given.group(2).islower()
        and given.group(2) not in {*STOPWORDS, "said", "says", "told"}
    )
    return f"the {phrase}" if not phrase[:1].isupper() or (given and not qualifies) else phrase


def _figures(sentence: str) -> list[str]:
    """Amounts, counts and shares with their unit ("$14.5 million", "312 homes", "38%"), not a
    date, a year or the number of a name ("March 20", "in 2023", "Route 7", "a 14-year history")."""
    figures = []
    for match in _QUANTITY.finditer(sentence):
        before = sentence[: match.start()].split()[-1:]
        of_a_name = (  # "Route 7"; not "in Millbrook, 38 kilometres up the valley"
            before and before[0][:1].isupper() and before[0][-1].isalnum()
            and before[0].lower() not in _NOT_TOPICS
        )  # fmt: skip
        # "the March 14 failure": a day of a month, no count
        of_a_month = before and before[0].lower().rstrip(".") in MONTHS  # "Sept. 4": a date
        if match.group(1) or not (YEAR.fullmatch(match.group(2)) or of_a_name or of_a_month):
            unit = re.match(r"\s*(?:%|per ?cent\b|[a-z]+)", sentence[match.end() :])
            figures.append(match.group() + (unit.group() if unit else ""))
    return figures


def _foreign_figures(sentence: str, language: str) -> list[str]:
    """Counts and amounts with their unit in another language ("300 Menschen", "27 000 euros",
    "900人以上"), not a year or a date ("1947", "13 mars", "20 de marzo")."""
    no_unit = function_words(language) | FOREIGN_MONTHS.keys()
    figures = []
    for match in _FOREIGN_FIGURE.finditer(sentence):
        number, _, unit = match.group().rpartition(" ")
        if not (YEAR.fullmatch(number) or unit.lower() in no_unit):
            figures.append(match.group())
    return figures


def llm_summary(
    article: Article,
    text: str,
    llm: ChatModel,
    embedder: Embedder,
    part_chars: int = 8000,
    on_step: Callable[[str], None] | None = None,
) -> Summary:
    """The model's JSON, validated and mapped to spans; every bullet checked against the
    sentences it cites and every abstract sentence against the article (unsupported ones
    dropped, the share kept stored as `faithfulness`). An article longer than `part_chars` is
    summarised part by part (map; a part whose reply is unusable is left out), then the parts'
    abstracts are merged and their sections kept in order (reduce). Raises LLMError when
    nothing usable comes back. `on_step` hears each step of a long article ("part 2 of 3",
    "merging the parts"): a local model takes minutes over each."""
    spans = article_sentences(article, text)[0] or [(0, len(text))]
    parts = _parts(spans, part_chars)
    drafts: list[_Draft] = []
    problem: LLMError | None = None
    for number, part in enumerate(parts, start=1):
        numbered = {n + 1: text[spans[n][0] : spans[n][1]] for n in part}
        label = f"part {number} of {len(parts)}" if len(parts) > 1 else ""
        messages = summary_messages(article.title, numbered, label)
        if on_step and label:
            on_step(label)

        short: list[_Draft] = []  # a draft with too few sections, of a one-part article
        # Worth asking again about only when the article has the sentences to fill them.
        demanding = len(parts) == 1 and len(part) >= 2 * MIN_SECTIONS
        parse = partial(
            _checked_reply, text=text, spans=spans, part=part, embedder=embedder,
            short=short if demanding else None,
        )  # fmt: skip

        try:
            drafts.append(
                complete_json(llm, messages, SUMMARY_SCHEMA, parse, "summary", SUMMARY_TOKENS)
            )
        except LLMError as error:
            if short:  # asked again for more sections, in vain: what holds beats nothing
                drafts.append(short[-1])
            elif isinstance(error, UnusableReply):  # the other parts may still be usable
                problem = error
            else:
                raise
    if not drafts:
        raise problem or LLMError("the article has no sentences to summarise")
    if len(drafts) == 1:
        abstract = drafts[0].abstract
    else:
        if on_step:
            on_step("merging the parts")
        abstract = _merged_abstract(article.title, [draft.abstract for draft in drafts], llm)
    abstract, said, grounded = _grounded(abstract, [text[s:e] for s, e in spans], embedder)
    sections = [section for draft in drafts for section in draft.sections]
    if len(sections) > 5:  # the fullest five, in the article's order
        fullest = sorted(sections, key=lambda s: -sum(len(qa.answers) for qa in s.qa))[:5]
        sections = [section for section in sections if any(section is f for f in fullest)]
    kept = grounded + sum(draft.kept for draft in drafts)
    return Summary(
        article_id=article.id,
        title=article.title,
        mode="llm",
        model=llm.name,
        prompt_version=PROMPT_VERSION,
        created_at=_now(),
        abstract=abstract,
        sections=sections,
        faithfulness=round(kept / (said + sum(draft.bullets for draft in drafts)), 3),
    )


def _grounded(abstract: str, sentences: list[str], embedder: Embedder) -> tuple[str, int, int]:
    """The abstract's sentences that the article supports (each checked against the three
    article sentences closest to it), how many it had and how many were kept."""
    said = [abstract[s:e] for s, e in sentence_spans(abstract)]
    evidence = [
        " ".join(sentences[i] for i in sorted(row[:3]))
        for row in nearest(said, sentences, embedder)
    ]
    verdicts = supported(list(zip(said, evidence)), embedder)
    kept = [sentence for sentence, ok in zip(said, verdicts) if ok]
    if not kept:
        raise UnusableReply("no sentence of the model's abstract rests on the article")
    return " ".join(kept), len(said), len(kept)


class _Draft(NamedTuple):
    abstract: str
    sections: list[Section]
    bullets: int  # the model's bullets
    kept: int  # those supported by the sentences they cite


def _parts(spans: list[tuple[int, int]], part_chars: int) -> list[range]:
    """Consecutive runs of sentences of at most `part_chars` characters each (one call each)."""
    runs: list[range] = []
    first, size = 0, 0
    for index, (start, end) in enumerate(spans):
        if size and size + end - start > part_chars:
            runs.append(range(first, index))
            first, size = index, 0
        size += end - start
    return [*runs, range(first, len(spans))]


def _parsed(data: dict[str, Any], spans: list[tuple[int, int]], part: range) -> _Draft:
    """The JSON's shape, sentence numbers turned into spans (numbers outside the part the model
    was shown dropped), and a question or bullet the model repeats given once. A string as long
    as the schema allows was cut off there: such a question or bullet is dropped and a title
    keeps its whole words; an abstract keeps its finished sentences (`_finished`)."""
    sections = []
    asked: set[str] = set()
    answered: set[str] = set()

    def new(text: str, seen: set[str]) -> bool:
        key = " ".join(sorted(stems(text)))
        fresh = key not in seen
        seen.add(key)
        return fresh

    for section in data["sections"][:SECTIONS]:
        qas = []
        for qa in section["qa"][:QUESTIONS]:
            question = str(qa["question"]).strip()
            if _cut(qa["question"], QUESTION_CHARS) or not new(question.rstrip("?.") + "?", asked):
                continue
            question = question.rstrip("?.") + "?"
            bullets = [
                Bullet(
                    text=str(answer["text"]).strip(),
                    citations=[
                        Span(start=spans[n - 1][0], end=spans[n - 1][1])
                        for n in answer.get("sentences", [])
                        if isinstance(n, int) and n - 1 in part
                    ],
                )
                for answer in qa["answers"][:ANSWERS]
                if not _cut(answer["text"], STATEMENT_CHARS)
            ]
            qas.append(
                QA(
                    question=question,
                    answers=[b for b in bullets if b.text and new(b.text, answered)],
                )
            )
        title = str(section["title"]).strip()
        if _cut(section["title"], TITLE_CHARS):
            title = title.rsplit(" ", 1)[0]
        sections.append(Section(title=title, qa=qas))
    count = sum(len(qa.answers) for section in sections for qa in section.qa)
    return _Draft(_finished(str(data["abstract"]).strip()), sections, count, count)


def _finished(abstract: str) -> str:
    """The abstract up to its last finished sentence, if it has one. A model's string can stop
    mid-sentence: at the schema's maxLength, or where the model meant to quote ('rated the
    section "poor"': its quotation mark ends a JSON string)."""
    said = [abstract[start:end] for start, end in sentence_spans(abstract)]
    last = max((n for n, sentence in enumerate(said) if ends_a_sentence(sentence)), default=-1)
    return " ".join(said[: last + 1]) if last >= 0 else abstract


def _cut(value: Any, most: int) -> bool:
    """Whether a string of the reply is exactly as long as the schema allows: a server that
    enforces the schema cut it off there (one that does not may send longer, whole strings)."""
    return len(str(value)) == most


def _checked_reply(
    data: dict[str, Any],
    text: str,
    spans: list[tuple[int, int]],
    part: range,
    embedder: Embedder,
    short: list[_Draft] | None,
) -> _Draft:
    """The reply as a checked draft; one with too few sections is kept in `short` (if given)
    and refused, so that the model is asked again once (kb.llm.complete_json)."""
    draft = _checked(_parsed(data, spans, part), text, spans, part, embedder)
    if short is not None and len(draft.sections) < MIN_SECTIONS:
        short.append(draft)
        raise ValueError(too_few_sections(len(draft.sections)))
    return draft


def _checked(
    draft: _Draft, text: str, spans: list[tuple[int, int]], part: range, embedder: Embedder
) -> _Draft:
    """Only bullets the article supports; only questions and sections left with some.

    A bullet its cited sentences do not support is kept only if the sentences of the part
    closest to it support it closely (kb.support.grounding); it then cites those."""
    bullets = [b for s in draft.sections for qa in s.qa for b in qa.answers]
    verdicts = supported([(b.text, _cited(text, b.citations)) for b in bullets], embedder)
    unsupported = [i for i, ok in enumerate(verdicts) if not ok]
    sentences = [text[spans[n][0] : spans[n][1]] for n in part]
    found = grounding([bullets[i].text for i in unsupported], sentences, embedder)
    for i, picks in zip(unsupported, found):
        if picks is not None:
            citations = [Span(start=spans[part[j]][0], end=spans[part[j]][1]) for j in picks]
            bullets[i] = bullets[i].model_copy(update={"citations": citations})
            verdicts[i] = True
    checked = iter(zip(bullets, verdicts))  # in the order the sections hold them
    sections = []
    for section in draft.sections:
        qas = []
        for qa in section.qa:
            answers = [bullet for bullet, ok in itertools.islice(checked, len(qa.answers)) if ok]
            if answers:
                qas.append(QA(question=qa.question, answers=answers))
        if qas:
            sections.append(Section(title=section.title, qa=qas))
    if not draft.abstract or not sections:
        raise ValueError("no abstract" if not draft.abstract else "no answer rests on the article")
    return draft._replace(sections=sections, kept=sum(verdicts))


def _cited(text: str, citations: list[Span]) -> str:
    return " ".join(text[c.start : c.end] for c in citations)


def _merged_abstract(title: str, abstracts: list[str], llm: ChatModel) -> str:
    """The parts' abstracts as one paragraph; their first sentences if the model fails."""
    try:
        merged = llm.complete(merge_messages(title, abstracts)).strip()
    except LLMError:
        merged = ""
    return merged or " ".join(
        text[start:end] for text in abstracts for start, end in sentence_spans(text)[:1]
    )
