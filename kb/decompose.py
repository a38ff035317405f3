"""With an LLM: a multi-hop question searched in steps.

"Who is the spouse of the director of Jump for Glory?" is answered by two articles, and the second
(the director's) can only be searched for once the first has been read. After the first search the
LLM reads the best passages and names the search still needed ("Raoul Walsh spouse"), or DONE.
That search runs as the question followed by the LLM's query: a small model often names a bare
entity ("Rutgers University") or its guess at the answer, and searched alone that loses what the
question asks of it, and the names kb.links follows from the question's words. The passages of
every search are then fused (reciprocal rank fusion), so the context holds each step. Measured
with the 0.5B local model (docs/BENCHMARKS.md), all@8 HotpotQA / MuSiQue: the query alone, fused,
0.90 / 0.59, below the first search alone (0.96 / 0.66); after the question, fused, 0.96 / 0.68.
Offline, kb.links walks the same chains through the names articles share.

A question can also ask two things at once ("What did the recall cover and what did the regulator
say?"): each part is searched (and answered) on its own as well, so neither is crowded out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb.constraints import asks_what_was_corrected
from kb.llm import ChatModel, LLMError, NoText
from kb.models import Filters, Hit
from kb.prompts import next_search_messages
from kb.retrieve import fuse
from kb.settings import RetrieveSettings
from kb.text import question_parts

Search = Callable[[str, int, Filters], list[Hit]]
STEP_TOKENS = 48  # a search query, or DONE; a reasoning model's <think> block is cut short


class StepFailed(LLMError):
    def __init__(self, message: str, hits: list[Hit]) -> None:
        super().__init__(message)
        self.hits = hits


SHOWN = 5  # passages the LLM reads to choose the next search
_MAX_QUERY_CHARS = 200
_MAX_QUERY_WORDS = 10
# "The passage states that…", "The Ledger said…": a claim about the passages, not search words.
_STATEMENT = re.compile(
    r"^(?:the|this|these)\s+(?:passages?|articles?|texts?|context|question|answer)\b"
    r"|^the\b[^.?!]{0,80}?\b(?:said|says|states|stated|reports|reported|wrote|writes)\b",
    re.IGNORECASE,
)
_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)


def search_in_steps(
    question: str,
    k: int,
    filters: Filters,
    search: Search,
    llm: ChatModel,
    settings: RetrieveSettings,
    rejected: list[str] | None = None,
) -> tuple[list[Hit], list[str]]:
    """The passages for `question` and for each search the LLM asked for, and those searches.
    A reply that is no search words (`is_search_words`) is not searched, and is added to
    `rejected` for the caller to tell; one that fails raises StepFailed with the question's
    own passages (`.hits`), so the caller need not wait on it again."""
    rankings = [search(question, k, filters)]
    queries: list[str] = []
    for _ in range(settings.llm_steps):
        if not rankings[-1]:
            break
        try:
            reply = llm.complete(
                next_search_messages(question, rankings[-1][:SHOWN]), max_tokens=STEP_TOKENS
            )
        except NoText:  # still thinking at the cap: no search named
            break
        except LLMError as error:
            raise StepFailed(str(error), rankings[0]) from error
        query = _query(reply)
        if query is None or query.casefold() in {q.casefold() for q in [question, *queries]}:
            break
        if not is_search_words(query):
            if rejected is not None:
                rejected.append(query)
            break
        queries.append(query)
        rankings.append(search(f"{question} {query}", k, filters))
    if not queries:
        return rankings[0], []
    # The latest search first: where two passages tie, the one the LLM asked for wins, since it
    # had read the others and found them wanting.
    return fuse(rankings[::-1], k, settings), queries


def _query(reply: str) -> str | None:
    """The search the reply names: its first line, unquoted; None for DONE or nothing usable."""
    reply = _THINKING.sub("", reply).rpartition("</think>")[2]  # some omit the opening tag
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if not lines:
        return None
    query = lines[0].removeprefix("Query:").removeprefix("query:").strip().strip("\"'`")
    if not query or query.rstrip(".").upper() == "DONE" or len(query) > _MAX_QUERY_CHARS:
        return None
    return query


def is_search_words(query: str) -> bool:
    """A few words to search for, not a sentence: a small model often states its guess at the
    answer ("The Fenwick Street levee failed due to…", "The passage states that…"), and that
    searched finds passages for the guess, not for what is missing."""
    return (
        len(query.split()) <= _MAX_QUERY_WORDS
        and not query.endswith((".", "!", "…"))
        and not _STATEMENT.search(query)
    )


# What a correction note writes, searched for a question asking what was corrected: "What did
# the Ledger correct?" shares no word with "Correction, October 10: An earlier version of this
# article said …" ("correct" is no "correction" to the stems), and a long article's note, in a
# passage of its own, was not found.
CORRECTION_NOTE = "Correction: an earlier version of this article said"


def search_parts(
    question: str, k: int, filters: Filters, search: Search, settings: RetrieveSettings
) -> list[Hit]:
    """The passages for the whole question fused with those for each of its parts, and with the
    correction notes' for a question asking what was corrected (`CORRECTION_NOTE`)."""
    parts = question_parts(question)
    queries = [question, *parts] if len(parts) > 1 else [question]
    if asks_what_was_corrected(question):
        queries.append(CORRECTION_NOTE)
    if len(queries) == 1:
        return search(question, k, filters)
    return fuse([search(query, k, filters) for query in queries], k, settings)
