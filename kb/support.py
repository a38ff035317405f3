"""Whether a generated statement rests on the text it cites: the check behind a summary's
faithfulness figure and the digest's citations.

A model can cite the right sentence and still say something else. Numbers must match exactly (a
changed figure is the commonest invention); then most of the statement's words must be in the
cited text, or, for a paraphrase that shares few words, its meaning must be close (embeddings).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.embed import Embedder
from kb.text import content_words

MIN_SHARED_WORDS = 0.6  # of the statement's content words, found in the cited text
MIN_SIMILARITY = 0.5  # cosine of the statement and the cited text, for paraphrases
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _stem(word: str) -> str:
    """Enough stemming to match "approved" with "approve" and "reserves" with "reserve"."""
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _stems(text: str) -> set[str]:
    return {_stem(word.replace("’", "'")) for word in content_words(text)}


def _numbers(text: str) -> set[str]:
    return {number.replace(",", "").rstrip(".") for number in _NUMBER.findall(text)}


def supported(pairs: Sequence[tuple[str, str]], embedder: Embedder) -> list[bool]:
    """For each (statement, cited text): does the cited text support the statement?"""
    verdicts: list[bool | None] = []
    for statement, cited in pairs:
        if not cited.strip() or not _numbers(statement) <= _numbers(cited):
            verdicts.append(False)
            continue
        words = _stems(statement)
        shared = len(words & _stems(cited)) / len(words) if words else 0.0
        verdicts.append(True if shared >= MIN_SHARED_WORDS else None)
    undecided = [i for i, verdict in enumerate(verdicts) if verdict is None]
    if undecided:
        vectors = embedder.embed([text for i in undecided for text in pairs[i]])
        for n, i in enumerate(undecided):
            verdicts[i] = float(vectors[2 * n] @ vectors[2 * n + 1]) >= MIN_SIMILARITY
    return [bool(verdict) for verdict in verdicts]
