"""How well a knowledge base answers a user's own questions: `kb eval QA.jsonl`, and the answer
half of bench/retrieval.py (same metrics, same code).

Each line of the file is one question, with what is known of its answer: the gold answer (and
aliases) and/or the ids of the articles that hold it. Retrieval is scored on the distinct
articles of the passages found (all gold articles among the first k, recall@k, MRR); the answer
on whether a gold answer appears, as whole words, in the quotes it cites (both modes), and, for
an LLM's answer, SQuAD exact match and token F1. A gold answer must have words to look for.
"""

from __future__ import annotations

import json
import re
import string
import time
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from kb.models import Answer, Hit
from kb.prompts import NOT_ENOUGH

KS = (2, 5, 8)


class Asker(Protocol):
    def search(self, question: str, k: int | None = None) -> list[Hit]: ...

    def ask(self, question: str, k: int | None = None) -> Answer: ...


_ARTICLES = frozenset({"a", "an", "the"})
_POSSESSIVE = re.compile(r"['’]s\b")
_FIGURE_STOP = re.compile(r"(?<=\d)[.,](?=\d)")


def _words(text: str) -> str:
    """Lower case, no punctuation, single spaces."""
    return " ".join("".join(c for c in text.lower() if c not in string.punctuation).split())


def normalized(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    return " ".join(word for word in _words(text).split() if word not in _ARTICLES)


def _as_gold_is_read(words: list[str], gold: list[str]) -> str:
    """`words` without articles, as SQuAD compares answers, unless the gold answer is nothing but
    articles (an answer "A" or "The" is looked for as the word it is)."""
    if set(gold) - _ARTICLES:
        words = [word for word in words if word not in _ARTICLES]
    return " ".join(words)


class EvalItem(BaseModel):
    question: str
    answers: list[str] = []  # the gold answer and its aliases
    article_ids: list[str] = []  # the articles that hold the answer
    line: int = Field(default=0, description="its line in the file: what messages point at")

    @model_validator(mode="before")
    @classmethod
    def _one_answer(cls, data: object) -> object:
        """`"answer": "..."` is accepted for one gold answer."""
        if isinstance(data, dict) and "answer" in data:
            data = dict(data)
            data["answers"] = [data.pop("answer"), *data.get("answers", [])]
        return data

    @field_validator("answers")
    @classmethod
    def _answers_have_words(cls, answers: list[str]) -> list[str]:
        """An answer with no words ("", "...") would be found in any text."""
        for answer in answers:
            if not _separated(answer):
                raise ValueError(f"the answer {answer!r} has no words to look for")
        return answers


class EvalError(ValueError):
    """The evaluation file cannot be read: which line, and why."""


def read_items(path: Path) -> list[EvalItem]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvalError(f"cannot read {path}: {error}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = EvalItem.model_validate(json.loads(line))
        except json.JSONDecodeError as error:
            raise EvalError(f"{path}, line {number}: not JSON ({error})") from None
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "record"
            raise EvalError(f"{path}, line {number}: {where}: {first['msg']}") from None
        if not item.answers and not item.article_ids:
            raise EvalError(f"{path}, line {number}: give an 'answer' or 'article_ids' to score")
        items.append(item.model_copy(update={"line": number}))
    if not items:
        raise EvalError(f"{path}: no questions")
    return items


def unknown_articles(items: Iterable[EvalItem], known_ids: Collection[str]) -> list[str]:
    """The gold article ids no article has, by line: scored, they would only read as misses
    (an article deleted since the file was written)."""
    return [
        f"line {item.line}: no article with id {article_id!r} (see `kb list`)"
        for item in items
        for article_id in item.article_ids
        if article_id not in known_ids
    ]


def token_f1(prediction: str, gold: str) -> float:
    predicted, wanted = normalized(prediction).split(), normalized(gold).split()
    common = sum((Counter(predicted) & Counter(wanted)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(wanted)
    return 2 * precision * recall / (precision + recall)


def retrieval_scores(ranked: list[str], gold: set[str]) -> dict[str, float]:
    """All gold among the first k distinct articles, recall@k, reciprocal rank of the first."""
    row: dict[str, float] = {}
    for k in KS:
        found = gold & set(ranked[:k])
        row[f"all@{k}"] = float(found == gold)
        row[f"recall@{k}"] = len(found) / len(gold)
    first = next((rank for rank, item in enumerate(ranked, start=1) if item in gold), None)
    row["mrr"] = 1.0 / first if first else 0.0
    return row


def contains_answer(text: str, gold: str) -> bool:
    """Whether `gold` is in `text` as whole words, with punctuation dropped as SQuAD does ("U.S."
    is "US", "e-mail" "email") or read as a space ("Paris" is in "Paris's mayor", "the
    city—Paris—said", "a Paris-based firm"); "Paris" is not in "comparison"."""
    for split in (_squad_words, _separated):
        wanted = split(gold)
        if f" {_as_gold_is_read(wanted, wanted)} " in f" {_as_gold_is_read(split(text), wanted)} ":
            return True
    return False


def _squad_words(text: str) -> list[str]:
    return _words(text).split()


def _exact(prediction: str, gold: str) -> bool:
    wanted = _squad_words(gold)
    return _as_gold_is_read(_squad_words(prediction), wanted) == _as_gold_is_read(wanted, wanted)


def _separated(text: str) -> list[str]:
    """The words of `text`, split at every punctuation mark or symbol (Unicode ones too), without
    possessive endings; a figure's own stops stay out of the way ("186,000" is not "18.6")."""
    text = _FIGURE_STOP.sub("", _POSSESSIVE.sub("", text.lower()))
    return "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text).split()


def answer_scores(answer: Answer, hits: list[Hit], golds: list[str]) -> dict[str, float]:
    quotes = " ".join(citation.quote for citation in answer.citations)
    passages = " ".join(hit.text for hit in hits)
    row = {
        "gold in quotes": float(any(contains_answer(quotes, gold) for gold in golds)),
        "gold in passages": float(any(contains_answer(passages, gold) for gold in golds)),
    }
    if answer.mode == "llm":
        row["EM"] = float(any(_exact(answer.answer, gold) for gold in golds))
        row["F1"] = max(token_f1(answer.answer, gold) for gold in golds)
    return row


class QuestionScore(BaseModel):
    """One question's result: which question missed, and how."""

    line: int
    question: str
    answer: str
    gold_ranks: dict[str, int | None] = Field(
        default={},
        description="each gold article id: its rank among the distinct articles found, or "
        "None when it was not among them",
    )
    scores: dict[str, float]


def score_questions(
    knowledge_base: Asker, items: Iterable[EvalItem], k: int = 8
) -> list[QuestionScore]:
    results = []
    for item in items:
        hits = knowledge_base.search(item.question, k)
        started = time.perf_counter()
        answer = knowledge_base.ask(item.question, k)
        abstained = answer.answer == NOT_ENOUGH
        row = {
            "abstained": float(abstained),
            "uncited": float(not abstained and not answer.citations),  # an LLM's bare claim
            # With an LLM configured, the answers that fell back on quoting (offline: all of them).
            "extractive": float(answer.mode != "llm"),
            # How much the answer quotes: more quotes hold the gold answer more often.
            "citations": float(len(answer.citations)),
            "quoted chars": float(sum(len(citation.quote) for citation in answer.citations)),
            "seconds": time.perf_counter() - started,
        }
        ranked = list(dict.fromkeys(hit.article_id for hit in hits))
        if item.article_ids:
            row |= retrieval_scores(ranked, set(item.article_ids))
        if item.answers:
            row |= answer_scores(answer, hits, item.answers)
        ranks = {article_id: rank for rank, article_id in enumerate(ranked, start=1)}
        results.append(
            QuestionScore(
                line=item.line,
                question=item.question,
                answer=answer.answer,
                gold_ranks={article_id: ranks.get(article_id) for article_id in item.article_ids},
                scores=row,
            )
        )
    return results


def mean_scores(results: Iterable[QuestionScore]) -> dict[str, float]:
    """Each metric's mean over the questions it applies to, and how many those were."""
    totals: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for result in results:
        totals.update(result.scores)
        counts.update(result.scores.keys())
    return {key: totals[key] / counts[key] for key in counts} | {
        "questions": float(counts["abstained"])
    }


def evaluate(knowledge_base: Asker, items: Iterable[EvalItem], k: int = 8) -> dict[str, float]:
    return mean_scores(score_questions(knowledge_base, items, k))


def what_missed(result: QuestionScore) -> list[str]:
    """What one question missed: its gold answer not in the quotes (nor, worse, in the passages
    found), its gold articles not among those retrieved. [] when it missed nothing."""
    missed = []
    if result.scores.get("gold in quotes") == 0.0:
        found = result.scores.get("gold in passages")
        missed.append("answer not quoted" + (" nor retrieved" if found == 0.0 else ""))
    missed += [
        f"article {article_id} not retrieved"
        for article_id, rank in result.gold_ranks.items()
        if rank is None
    ]
    return missed


def misses_listed(results: Iterable[QuestionScore], shown: int = 20, width: int = 60) -> list[str]:
    """A heading, then one short line per question that missed ("line 7: How many homes… — answer not quoted"),
    the first `shown` of them then how many more: a file of 500 questions stays readable, and
    `--json` has them all."""
    results = list(results)
    missed = [(result, what) for result in results if (what := what_missed(result))]
    if not missed:
        return []
    lines = [f"Missed: {len(missed)} of {len(results)} questions"]
    lines += [
        f"  line {result.line}: {_shortened(result.question, width)} — {'; '.join(what)}"
        for result, what in missed[:shown]
    ]
    if len(missed) > shown:
        lines.append(f"  … and {len(missed) - shown} more (see --json)")
    return lines


def _shortened(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
