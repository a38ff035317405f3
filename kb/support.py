"""Whether a generated statement rests on the text it cites: the check behind a summary's
faithfulness figure and the digest's citations.

A model can cite the right sentence and still say something else. Numbers must match exactly (a
changed figure is the commonest invention); a negation or a direction the cited text does not
have ("did not", "denied", "fell" for "rose") is a contradiction; then most of the statement's
words must be in the cited text, or, for a paraphrase that shares few words, its meaning must be
close (embeddings). A lexical and embedding check, not an entailment model: it catches changed
figures, reversals and unrelated citations, not every subtle misreading. `grounding` finds the
text that supports a statement its author cited wrongly or not at all, checked more strictly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from kb.embed import Embedder
from kb.text import stems

MIN_SHARED_WORDS = 0.6  # of the statement's content words, found in the cited text
MIN_SIMILARITY = 0.5  # cosine of the statement and the cited text, for paraphrases
CLOSE_SHARED_WORDS = 0.8  # when the text was searched out for the statement (see `supported`)
CLOSE_MIN_WORDS = 3  # and at least this many: "Paris." matches any text that names Paris
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"[a-z]+(?:n't)?")
_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without deny denied denies denying refused "
    "rejected dismissed".split()
)
_OPPOSITES = [  # a statement that says one where the cited text says the other, says the opposite
    ("rose", "fell"), ("rise", "fall"), ("rises", "falls"), ("increase", "decrease"),
    ("increased", "decreased"), ("up", "down"), ("gain", "loss"), ("gained", "lost"),
    ("won", "lost"), ("higher", "lower"), ("more", "fewer"), ("above", "below"),
    ("approved", "rejected"), ("accepted", "rejected"), ("before", "after"), ("open", "closed"),
    ("opened", "closed"), ("guilty", "innocent"), ("increasing", "decreasing"),
]  # fmt: skip


def numbers(text: str) -> set[str]:
    """The figures a text gives, as compared: "1,200." is "1200", and the "05" of 2026-04-05
    is the 5 of "April 5"."""
    figures = {number.replace(",", "").rstrip(".") for number in _NUMBER.findall(text)}
    return {(figure.lstrip("0") or "0") if figure.isdigit() else figure for figure in figures}


def _contradicts(statement: str, cited: str) -> bool:
    """Words or meaning can match while the sense is reversed: a negation the cited text lacks
    ("did not fail", "denied"), or a direction it reverses ("rose" where it says "fell")."""
    said = set(_TOKEN.findall(statement.lower().replace("’", "'")))
    source = set(_TOKEN.findall(cited.lower().replace("’", "'")))
    negated = {w for w in said if w in _NEGATIONS or w.endswith("n't")}
    if negated - source and not any(w in _NEGATIONS or w.endswith("n't") for w in source):
        return True
    return any(
        (one in said and other in source and one not in source)
        or (other in said and one in source and other not in source)
        for one, other in _OPPOSITES
    )


def supported(
    pairs: Sequence[tuple[str, str]], embedder: Embedder, closely: bool = False
) -> list[bool]:
    """For each (statement, cited text): does the cited text support the statement?

    `closely` when the cited text is the one found closest to the statement rather than the one
    its author cited: two common words shared with such a text prove little ("The mayor resigned
    after the vote" against "the mayor spoke after the vote"), so almost all its words, and at
    least three, must be there, and a paraphrase is not accepted."""
    verdicts: list[bool | None] = []
    for statement, cited in pairs:
        if (
            not cited.strip()
            or not numbers(statement) <= numbers(cited)
            or _contradicts(statement, cited)
        ):
            verdicts.append(False)
            continue
        words = stems(statement)
        found = len(words & stems(cited))
        shared = found / len(words) if words else 0.0
        if closely:
            verdicts.append(shared >= CLOSE_SHARED_WORDS and found >= CLOSE_MIN_WORDS)
        else:
            verdicts.append(True if shared >= MIN_SHARED_WORDS else None)
    undecided = [i for i, verdict in enumerate(verdicts) if verdict is None]
    if undecided:
        vectors = embedder.embed([text for i in undecided for text in pairs[i]])
        for n, i in enumerate(undecided):
            verdicts[i] = float(vectors[2 * n] @ vectors[2 * n + 1]) >= MIN_SIMILARITY
    return [bool(verdict) for verdict in verdicts]


def grounding(
    statements: Sequence[str], sources: Sequence[str], embedder: Embedder
) -> list[list[int] | None]:
    """For each statement, the source closest to it, or else the two closest (indexes, in the
    sources' order), when they support it closely; None when neither does.

    For statements whose author cited nothing usable: a small model often numbers its sentences
    one off, or cites nothing at all."""
    if not statements or not sources:
        return [None] * len(statements)
    ranked = nearest(statements, sources, embedder)
    found: list[list[int] | None] = [None] * len(statements)
    for width in range(1, min(2, len(sources)) + 1):
        tried = {i: sorted(int(j) for j in row[:width]) for i, row in enumerate(ranked)}
        tried = {i: picks for i, picks in tried.items() if found[i] is None}
        pairs = [(statements[i], " ".join(sources[j] for j in picks)) for i, picks in tried.items()]
        for (i, picks), ok in zip(tried.items(), supported(pairs, embedder, closely=True)):
            if ok:
                found[i] = picks
    return found


def nearest(statements: Sequence[str], sources: Sequence[str], embedder: Embedder) -> np.ndarray:
    """For each statement, the indexes of the sources, closest (by embedding) first."""
    vectors = embedder.embed([*statements, *sources])
    return np.argsort(-(vectors[: len(statements)] @ vectors[len(statements) :].T), axis=1)
