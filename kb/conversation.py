"""Follow-up questions: "and what did the other source say?" made into a question that retrieval
can answer on its own, from the conversation so far.

With an LLM, the model rewrites it (prompts.rewrite_messages). Offline, a question that reads as a
follow-up (short, opening with "and" or "what about", or with an "it", "they", "that" the
question itself gives nothing to refer to) carries the previous question's subject: its content
words are added (not its words of coverage, "report", "say", nor the sources it names: those are
filters), and its filters (sources, dates) stay unless the follow-up names its own; "the other
source" is every source but the previous question's (both, when it named two to compare them;
when it named none, every source but the one its answer opened with), until a follow-up
brings a subject of its own. A question that stands alone ("Which company
recalled batteries that caught fire?") is left as it is.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, PrivateAttr, ValidationError

from kb.constraints import (
    CAPITAL_MONTH_PATTERN,
    MONTHS,
    ORDINAL,
    OTHER_SOURCES,
    cut,
    date_range,
    is_asking_word,
    is_coverage_word,
    is_date_word,
    kind_references,
    searched_words,
    without_source_names,
)
from kb.llm import ChatModel, LLMError
from kb.models import Filters
from kb.prompts import NOT_ENOUGH, rewrite_messages
from kb.text import (
    NUMBER_WORDS,
    STOPWORDS,
    WEEKDAYS,
    content_words,
    language_by_function_words,
    stems,
    topic_words,
)

# Openings and words that lean on the turn before wherever they stand.
_LEANING = re.compile(
    r"^\W*(and|but|also|so|what about|how about|et|und|y|och|og)\b|\b(the other|others|instead)\b",
    re.IGNORECASE,
)
# Words that lean on it only when the question gives them nothing to refer to (see is_follow_up).
_REFERRING = frozenset(
    "it its they them their he him his she her this that these those then".split()
)
_WORD = re.compile(r"[\w'’-]+")
_QUESTION_OPENING = re.compile(
    r"^\W*(what|who|whom|whose|which|when|where|why|how|did|does|do|is|are|was|were|can|could"
    r"|should|would|will|has|have|had)\b",
    re.IGNORECASE,
)
# Verbs questions ask with ("how many did Voltaic count?"), as kb.text.stems reads them.
_ASKING_VERBS = frozenset(
    stems("announce count tell mention describe explain know mean think show give get go take ask")
)
_SECOND_SENTENCE = re.compile(r"[.!?]\s+\S")
_MAX_REWRITE_WORDS = 40
_SHOWN_CHARS = 80  # of a rejected rewrite, in the notice
_KEPT_TURNS = 20
# Follow-ups on the answer itself: who said what it quoted, and why.
_WHO_SAID = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+)?who\s+(?:said|says|told|wrote|stated)\s+(?:that|this|it)\W*$",
    re.IGNORECASE,
)
# The embedding model reads a question's first 256 word pieces (kb.embed.MAX_TOKENS), about
# 1,000 characters of English: no more is searched, and the app and the CLI take no more. A
# 5,000-character question was shown whole in the chat, and again in the answer's notes.
MAX_QUESTION_CHARS = 1000
ASKS_WHY = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?why\b", re.IGNORECASE)
QUOTATION_MARKS = " \"'“”‘’"  # and spaces: what a quote is stripped of
# Words that give a reason, what a "why" asks for. "since" and "after" more often date ("closed
# since March", "after 7 a.m."): only "after" an event is kept ("gave way after a night of
# torrential rain"), not after a time (`_TIME_BEFORE`).
_REASON = re.compile(
    r"\b(?:because|due to|owing to|so that|in order to|as a result|caus(?:e|ed|es|ing)|led to"
    r"|blam(?:e|ed|es|ing)|triggered|(?P<after>after) (?:a|an|the) )",
    re.IGNORECASE,
)
# A time just before "after": "Ten days after the fire", "A week after", "The morning after",
# "shortly after the blaze" date what follows rather than give a reason.
_TIME_BEFORE = re.compile(
    r"\b(?:(?:minute|hour|day|week|month|year|morning|night|moment|evening|afternoon)s?"
    r"|shortly|soon|long|just|right)\s+$",
    re.IGNORECASE,
)


def gives_reason(text: str) -> bool:
    """Whether `text` writes a word giving a reason (`_REASON`), an "after" not after a time."""
    return any(
        not (match.group("after") and _TIME_BEFORE.search(text, 0, match.start()))
        for match in _REASON.finditer(text)
    )


# A fault, a warning of it, or its neglect: what a "why" of a failure is answered by when no
# sentence writes "because" ("the town's own engineers warned that the section was
# deteriorating", "rated the section 'poor'", "Inspectors found seepage … and cracking").
_TROUBLE = re.compile(
    r"\b(?:warn(?:ed|ing|ings|s)?|deteriorat\w*|poor|weak(?:ened|ening|ness|er)?|seepage|erosion"
    r"|erod\w*|crack(?:s|ed|ing)?|voids|flaw(?:s|ed)?|fault(?:s|y)?|defect(?:s|ive)?|neglect\w*"
    r"|ignored|deferr\w*|put (?:it |the \w+ )?off|postpon\w*|overdue|corro\w*|leak(?:s|ed|ing)?"
    r"|failed to|lack of|worn)\b",
    re.IGNORECASE,
)


def tells_trouble(text: str) -> bool:
    """Whether `text` tells of a fault, a warning of it or its neglect (`_TROUBLE`)."""
    return bool(_TROUBLE.search(text))


# A stance someone takes, which a "why" may ask the reasons of ("Why is Martin Kell skeptical of
# the trial?"): their arguments answer it, whether or not a sentence writes "because".
_STANCE = re.compile(
    r"\b(?:s[ck]eptic\w*|critic\w*|worried|concerned|cautious|wary|uneasy|unhappy|doubt\w*"
    r"|unconvinced|opposed?|opposes|against|optimistic|enthusiastic|hopeful|confident|supportive"
    r"|think|thinks|believes?|argues?|disagrees?|agrees?|objects?|rejects?|welcomes?"
    r"|favou?rs?|supports?|criticis\w*|criticiz\w*)\b",
    re.IGNORECASE,
)


def asks_why_of_a_view(question: str) -> bool:
    """Whether `question` asks why someone takes a stance (`_STANCE`)."""
    return bool(ASKS_WHY.match(question)) and bool(_STANCE.search(question))


# What makes a sentence an argument: a contrast, a negation, a misgiving, a judgement of what
# should be, the writer speaking for themself, or a figure as evidence.
_ARGUING = (
    re.compile(r"\b(?:but|however|yet|although|though|whereas)\b", re.IGNORECASE),
    re.compile(r"\b(?:not|no|nobody|never|nothing|none)\b|n['’]t\b", re.IGNORECASE),
    re.compile(
        r"\b(?:uneasy|wary|worr\w+|concern\w*|doubt\w*|fear\w*|s[ck]eptic\w*|unconvinced"
        r"|troubl\w+|suspicious)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:should|must|ought|need|needs|needed)\b", re.IGNORECASE),
    re.compile(r"\b(?:I|my|me)\b"),
    re.compile(
        rf"\d|\b(?:{'|'.join(NUMBER_WORDS)}|dozens?|hundreds?|thousands?|millions?|billions?)\b",
        re.IGNORECASE,
    ),
)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


def argument_marks(text: str) -> int:
    """How many of the marks of an argument (`_ARGUING`) `text` makes, outside what it quotes
    (a quoted "I" is someone else's)."""
    own = _QUOTED.sub(" ", text)
    return sum(bool(mark.search(own)) for mark in _ARGUING)


def writes_as_i(text: str) -> bool:
    """Whether `text` is written in the first person, outside what it quotes."""
    return bool(_ARGUING[4].search(_QUOTED.sub(" ", text)))


_WEEKDAYS = frozenset(WEEKDAYS)  # never a follow-up's subject; a month only written as a date:
# "in March", "March 14", "14 March", "May 2026", not "the march" nor "Theresa May".
_WRITTEN_MONTH = re.compile(
    rf"(?:\b(?i:in|during|before|after|since|until|by|from|of)\s+({CAPITAL_MONTH_PATTERN})\b"
    rf"|\b({CAPITAL_MONTH_PATTERN})\.?\s+\d{{1,4}}\b"
    rf"|\b\d{{1,2}}{ORDINAL}\s+(?:of\s+)?({CAPITAL_MONTH_PATTERN})\b)"
)
SESSION_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")  # a file name, never a path


class Quoted(BaseModel):
    """A passage an answer quoted: "who said that?" asks of the first, "why?" looks past them."""

    article_id: str
    start: int
    end: int
    quote: str


class Turn(BaseModel):
    question: str
    standalone: str  # what was searched for
    filters: Filters = Filters()  # the sources and dates the question named or carried
    answer: str = ""
    cited: list[str] = []  # the source the answer opened with: "the other source" is another
    quoted: list[Quoted] = []  # what the answer quoted, in its order


class Rewrite(NamedTuple):
    """A follow-up as searched, and what the user should know of how it was read. A follow-up
    on the answer itself also says where to look (`around`: "who said that?" is beside the
    quote it asks of), what not to quote again (`unquoted`: the answer's passages, when it
    asks past them) and whether it asks for reasons ("why?")."""

    question: str
    notice: str = ""
    around: Quoted | None = None
    unquoted: tuple[Quoted, ...] = ()
    reasons: bool = False


class Conversation(BaseModel):
    turns: list[Turn] = []
    _saved: int = PrivateAttr(0)  # how many of the turns, the first ones, are in its file

    def new_turns(self) -> list[Turn]:
        """The turns asked since it was loaded or saved."""
        return self.turns[self._saved :]

    def mark_saved(self) -> None:
        self._saved = len(self.turns)

    def rewrite(
        self, question: str, llm: ChatModel | None = None, named: Sequence[str] = ()
    ) -> Rewrite:
        """`question` as retrieval should see it. "What about the cost?" after a question on the
        levee is the levee's cost: the subject is carried even when the follow-up brings words
        of its own. The LLM's rewrite is used only when it reads as that question (see
        `reads_as_rewrite`); else the offline rewrite, and the notice says why. `named`: the
        sources the follow-up names ("and what did the Regional Wire say?")."""
        if not self.turns or not is_follow_up(question):
            return Rewrite(question)
        before = self.turns[-1]
        if _WHO_SAID.match(question) and before.quoted:  # the speaker is beside the quote
            quote = before.quoted[0]
            standalone = f'{question.rstrip(" ?")} "{quote.quote.strip(QUOTATION_MARKS)}"?'
            return Rewrite(standalone, around=quote, unquoted=(quote,))
        asks_why = bool(ASKS_WHY.match(question))
        notice = ""
        if llm is not None:
            try:
                rewritten = llm.complete(rewrite_messages(self._history(), question))
            except LLMError:
                rewritten = ""  # the caller tells of a failed endpoint; the offline rewrite stands
            rewritten = rewritten.strip().strip("\"'`").strip()
            if reads_as_rewrite(rewritten, question):
                return Rewrite(rewritten, unquoted=self._quoted() if asks_why else ())
            if rewritten:
                shown = (
                    rewritten if len(rewritten) <= _SHOWN_CHARS else f"{rewritten[:_SHOWN_CHARS]}…"
                )
                notice = (
                    f'The LLM\'s rewrite of the follow-up ("{shown}") is not a question keeping '
                    "its words; it was read without the LLM."
                )
        standalone = self._offline(question, named)
        if asks_why:  # the reasons for what was answered, not the same passages again
            return Rewrite(standalone, notice, unquoted=self._quoted(), reasons=True)
        return Rewrite(standalone, notice)

    def _offline(self, question: str, named: Sequence[str]) -> str:
        """The previous question's subject added to `question`. Its months and weekdays date
        it and are filters, not subject; the verb it asked with is carried too when the
        follow-up only names a source ("How many people did the Harlow team rescue?", "and
        what did the Regional Wire say?": who rescued how many). Not whom it asked what they
        said, when the follow-up asks it of another ("What did Martin Kell say about the
        funding?", "And what did the press release say about it?": the funding, not Kell),
        nor anything of a question that found nothing (`found_nothing`), nor a word that is
        no word ("xxxx…")."""
        before = self.turns[-1]
        if found_nothing(before.answer):
            return question
        new_words = set(content_words(question))
        if asked_speaker(question):
            new_words |= set(asked_speaker(before.standalone))
        dated = any(map(is_date_word, new_words))  # "and in April?": not March's words
        with_verb = bool(named) and not _has_subject(question, list(named))
        months = _months_written_as_dates(before.standalone)
        carried = [
            w
            for w in _topic(before.standalone, before.filters.sources, with_verb)
            if w.lower() not in new_words
            and w.lower() not in _WEEKDAYS
            and w.lower() not in months
            and not (dated and is_date_word(w.lower()) and w.lower() not in MONTHS)
            and not _NO_WORD.search(w)
        ]
        return f"{question.rstrip()} ({_ABOUT} {', '.join(carried)})" if carried else question

    def filters(
        self,
        question: str,
        said: Filters,
        given: Filters | None = None,
        today: date | None = None,
        naming: Callable[[list[str], list[str]], set[str]] | None = None,
    ) -> Filters:
        """A follow-up keeps the sources and dates the previous question named, except those it
        names itself; sources or a date range `given` with it (a CLI flag, the UI's sidebar)
        replace the carried ones as well. A date the follow-up writes replaces the carried range
        even with no word of coverage ("and in April?"): it is read as the date it replaces was,
        unless the follow-up asks of something else ("and what did engineers warn in 2024?":
        then it dates events, and no date narrows the search). "The other source" is, of the
        other sources, those `naming` (of the names, the sources given) says have an article
        naming the conversation's names ("Voltaic"), when any has: not the flood's."""
        if not self.turns or not is_follow_up(question):
            return said
        before = self.turns[-1].filters
        given = given or Filters()
        since, until = before.since, before.until
        written = date_range(question, today or date.today())
        if any((said.since, said.until, given.since, given.until)):
            since, until = said.since, said.until
        elif any(written):  # of articles only when it asks nothing else ("and in April?")
            dated = (since or until) and not _has_subject(question, said.sources)
            since, until = written if dated else ("", "")
        # Sources `given` with it (the sidebar's) replace the carried ones too: the user chose
        # them for this question; the question's own sources then still meet them.
        sources = said.sources or ([] if given.sources else before.sources)
        if OTHER_SOURCES.search(question):  # `said` names every source the question did not
            sources = _the_other_sources(said.sources, before.sources, self.turns[-1].cited)
            names = [word for word in self._carried_topic() if word[:1].isupper()]
            if naming and names and sources:
                on_them = naming(names, sources)
                sources = [source for source in sources if source in on_them] or sources
        elif OTHER_SOURCES.search(self.turns[-1].question) and _has_subject(question, said.sources):
            sources = said.sources  # "what about the fine?": a new subject, in every source
        return Filters(
            sources=sources or said.sources,
            tags=said.tags or before.tags,
            article_ids=said.article_ids or before.article_ids,
            since=since,
            until=until,
        )

    def _quoted(self) -> tuple[Quoted, ...]:
        """Every passage the conversation's answers quoted: the user has read them."""
        return tuple(quoted for turn in self.turns for quoted in turn.quoted)

    def _carried_topic(self) -> list[str]:
        before = self.turns[-1]
        return _topic(before.standalone, before.filters.sources)

    def add(self, turn: Turn) -> None:
        kept = [*self.turns, turn][-_KEPT_TURNS:]
        self._saved = max(0, self._saved - (len(self.turns) + 1 - len(kept)))
        self.turns = kept

    def _history(self) -> list[tuple[str, str]]:
        return [(turn.question, turn.answer) for turn in self.turns[-3:]]


# A token no language writes: a letter four times running ("xxxx", "!!!!aaaa") or longer than
# any word a question means (English's longest in news run to some twenty letters).
_NO_WORD = re.compile(r"(\w)\1{3}|\w{31}")
# What an answer that found nothing opens with: an abstention, or a word no passage writes
# (kb.answer's prefaces). A follow-up carries none of its question's words.
NOTHING_FOUND = "No passage found mentions"


def found_nothing(answer: str) -> bool:
    """Whether an answer found nothing of what its question asked (`NOTHING_FOUND`)."""
    return answer.startswith((NOT_ENOUGH, NOTHING_FOUND))


# "What did the safety regulator say?", "And what did the company say about it?": whom it asks
# what they said.
ASKED_SPEAKER = re.compile(
    r"^\W*(?:(?:and|but|so)\s+)?what\s+(?:did|does|do|has|have)\s+(.+?)\s+"
    r"(?:say|said|tell|told|announce|state)\b",
    re.IGNORECASE,
)


def asked_speaker(question: str) -> list[str]:
    """The words naming whom `question` asks what they said ("safety", "regulator"), none
    when it asks no such thing."""
    asked = ASKED_SPEAKER.search(question)
    return [word.lower() for word in content_words(asked.group(1))] if asked else []


_ABOUT = "about:"
_CARRIED = re.compile(rf"\({_ABOUT} ([^()]*)\)\s*$")


def carried_subject(standalone: str) -> list[str]:
    """The words an offline rewrite carried from the question before (`Conversation._offline`):
    "lawsuit" of "And what did the company say about it? (about: wrongful-death, lawsuit)"."""
    carried = _CARRIED.search(standalone)
    return carried[1].split(", ") if carried else []


def is_follow_up(question: str) -> bool:
    """It leans on what came before, or names nothing ("Why?"). "they", "it", "that"... lean on
    it when nothing in the question comes before them ("Why did they vote?"), when they end it
    ("what did the council say about it?"), or when the question names little else; not
    mid-sentence after a subject of its own ("batteries that caught fire")."""
    if _LEANING.search(question):
        return True
    words = _words(question)
    own = set(content_words(question))
    referring = [at for at, word in enumerate(words) if word in _REFERRING]
    if not referring:
        return len(own) <= 1
    first_own = next((at for at, word in enumerate(words) if word in own), len(words))
    return len(own) <= 2 or referring[0] < first_own or referring[-1] == len(words) - 1


def reads_as_rewrite(rewritten: str, question: str) -> bool:
    """Whether an LLM's rewrite of the follow-up `question` is that question made standalone: one
    question (ending in "?" or opening as one), not much longer, with the follow-up's own words
    of subject. A small model often answers instead ("The other source said the levee cost
    $18.6 million."), and that searched finds its own invention."""
    words = _words(rewritten)
    return (
        0 < len(words) <= max(_MAX_REWRITE_WORDS, 3 * len(_words(question)))
        and (rewritten.endswith("?") or bool(_QUESTION_OPENING.match(rewritten)))
        and not _SECOND_SENTENCE.search(rewritten)
        and stems(" ".join(_subject(question, []))) <= stems(rewritten)
    )


def _the_other_sources(others: list[str], named: list[str], cited: list[str]) -> list[str]:
    """What "the other source" names after a question that `named` sources: the `others` after
    one ("What did Regional Wire report?"); after two or more ("How did the Ledger's coverage
    differ from Regional Wire's?") the user compares them, and "the other" is one of those, so
    they stay: read as every other source, neither would be searched. After a question that
    named none, the others are those besides the source its answer opened with (`cited`): an
    answer quoting two sources leaves one to hear more from."""
    if len(named) >= 2:
        return named
    return [source for source in others if source not in (named or cited)]


def _subject(question: str, sources: list[str]) -> list[str]:
    """The words of what `question` asks about: not the `sources` it names ("the Ledger"), nor
    the articles it names by their kind ("the Spanish article"), markup or emoji
    (kb.constraints.searched_words), nor its words of coverage ("report", "say", "source"), nor
    the function words of the language it is written in ("et", "combien" of "Et combien
    coûterait-il ?")."""
    unnamed = searched_words(without_source_names(question, set(sources)))
    words = topic_words(cut(unnamed, kind_references(unnamed)), written_in=question)
    return [word for word in words if not is_coverage_word(word)]


def _topic(question: str, sources: list[str], with_verb: bool = False) -> list[str]:
    """What identifies `question`'s subject, as it writes it ("Voltaic", "overheating",
    "recall", "flooded" of "homes were flooded"): its `_subject` without the words it asks with
    ("happened", "announced", "receive" of "did Voltaic receive"), which would only find passages
    that use them too."""
    written: dict[str, str] = {}
    for at, token in enumerate(_WORD.finditer(question)):
        word = token.group().strip("'’")
        written.setdefault(word.lower(), word if at else word.lower())
    asked_with = _main_verb(question)
    # German writes every noun with its capital: a word it writes in lower case ("sammelte" of
    # "Wie viel Geld sammelte der Partnerschaftsverein?") is the verb or a modifier, no subject.
    nouns_only = language_by_function_words(question) == "de"
    return [
        written.get(word, word)
        for word in dict.fromkeys(_subject(question, sources))
        if not (
            is_asking_word(word)
            or stems(word) & _ASKING_VERBS
            or (word == asked_with and not with_verb)
            or (nouns_only and not written.get(word, word)[:1].isupper())
        )
    ]


_DO = frozenset("do does did".split())
_AUXILIARIES = _DO | frozenset("is are was were has have had will would could can should".split())
_PRONOUNS = frozenset("i you he she it we they".split())
_DETERMINERS = frozenset("the a an its their his her our this that these those".split())
# Before the question's own auxiliary, these open a clause of their own: "after the recall was …".
_SUBORDINATORS = frozenset(
    "after before since until because while once if that whether although though".split()
)
_JOINING = frozenset("and but so also".split())  # "and who ordered it?"


def _main_verb(question: str) -> str:
    """The verb the question asks with, in lower case: after "who" or "what" ("ordered" of "Who
    ordered the review?"), or after its auxiliary and subject ("receive" of "How many complaints
    did Voltaic receive?", "approve" of "What did the city council approve?"). Without a
    subject between ("How many homes were flooded?", "Who was injured?") the verb after the
    auxiliary is what is asked about, as is one in a clause of its own ("after the recall was
    announced"): "". The noun after "what" of "What refund did Voltaic offer?" is no verb."""
    words = [match.group().strip("'’") for match in _WORD.finditer(question)]
    words = list(itertools.dropwhile(lambda word: word.lower() in _JOINING, words))
    lower = [word.lower() for word in words]
    asks_what_thing = (
        len(lower) > 2 and lower[2] in _AUXILIARIES
    )  # "What refund did Voltaic offer?"
    if (
        lower[:1] in (["who"], ["what"])
        and len(words) > 1
        and lower[1] not in STOPWORDS
        and not asks_what_thing
    ):
        return lower[1] if words[1].islower() else ""  # "Who ordered the review?"
    auxiliary = next((at for at, word in enumerate(lower) if word in _AUXILIARIES), None)
    if auxiliary is None or _SUBORDINATORS & set(lower[:auxiliary]):
        return ""
    after = words[auxiliary + 1 :]
    if not after:
        return ""
    if after[0].lower() in _PRONOUNS:
        verb_at = 1
    elif after[0][:1].isupper():  # "did Voltaic Cell Works receive"
        verb_at = next((at for at, word in enumerate(after) if not word[:1].isupper()), 0)
    elif after[0].lower() in _DETERMINERS:  # "did the city council approve": the run's last
        run = list(itertools.takewhile(lambda word: word.lower() not in STOPWORDS, after[1:]))
        verb_at = len(run) if len(run) >= 2 else 0
    else:  # "did officials say", but "were flooded" is no subject and its verb
        verb_at = 1 if lower[auxiliary] in _DO else 0
    verb = after[verb_at] if 0 < verb_at < len(after) else ""
    return verb.lower() if verb.islower() else ""


def _months_written_as_dates(question: str) -> set[str]:
    """The months `question` writes as dates, in lower case."""
    return {
        next(filter(None, match.groups())).lower() for match in _WRITTEN_MONTH.finditer(question)
    }


def _has_subject(question: str, sources: list[str]) -> bool:
    """It asks about something of its own, not only of a source or a date ("and in April?")."""
    return any(not is_date_word(word) for word in _subject(question, sources))


def _words(question: str) -> list[str]:
    return [match.group().lower().strip("'’") for match in _WORD.finditer(question)]


class SessionUnreadable(LookupError):
    """A saved conversation that cannot be read: the CLI reports it in one line."""

    def __str__(self) -> str:
        return str(self.args[0])


def load(path: Path) -> Conversation:
    """The conversation saved at `path`, or a new one. A file that holds no conversation is
    left as it is, for the user to look at or delete."""
    if not path.exists():
        return Conversation()
    try:
        conversation = Conversation.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as error:
        reason = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
        raise SessionUnreadable(
            f"the session file {path} is not a saved conversation ({reason}); delete it to "
            "start this session over, or use another session name"
        ) from error
    conversation.mark_saved()
    return conversation


def save(conversation: Conversation, path: Path) -> None:
    """Adds the turns asked since `conversation` was loaded to the file: another process
    (another `kb ask --session` of the same name) may have added its own meanwhile, and both
    are kept. A crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f"{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        saved = load(path).turns
        conversation.turns = [*saved, *conversation.new_turns()][-_KEPT_TURNS:]
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".partial",
            delete=False,
        ) as partial:  # fmt: skip
            partial.write(conversation.model_dump_json(indent=1))
        try:
            os.replace(partial.name, path)
        except OSError:
            os.unlink(partial.name)
            raise
    conversation.mark_saved()
