"""`kb eval`'s file format, its metrics, and a run on the sample corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakes.openai_server import FakeOpenAIServer

from kb.api import KnowledgeBase
from kb.evaluate import (
    EvalError,
    EvalItem,
    QuestionScore,
    answer_scores,
    evaluate,
    misses_listed,
    normalized,
    read_items,
    score_questions,
    token_f1,
    unknown_articles,
)
from kb.models import Answer, Citation, Hit
from kb.prompts import NOT_ENOUGH


def test_answer_normalisation_and_f1() -> None:
    assert normalized("The  $18.6 Million!") == "186 million"
    assert token_f1("the council approved 18.6 million", "$18.6 million") == pytest.approx(2 / 3)
    assert token_f1("nothing alike", "18.6 million") == 0.0


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "qa.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_of_questions(tmp_path: Path) -> None:
    items = read_items(
        write(
            tmp_path,
            '{"question": "Q1?", "answer": "A", "answers": ["alias"]}\n\n'
            '{"question": "Q2?", "article_ids": ["abc"]}\n',
        )
    )
    assert items == [
        EvalItem(question="Q1?", answers=["A", "alias"], line=1),
        EvalItem(question="Q2?", article_ids=["abc"], line=3),
    ]
    assert unknown_articles(items, {"abd"}) == ["line 3: no article with id 'abc' (see `kb list`)"]
    assert unknown_articles(items, {"abc"}) == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no questions"),
        ('{"question": "Q?"\n', "line 1: not JSON"),
        (
            '{"question": "Q?", "answer": "A"}\n{"answer": "A"}\n',
            "line 2: question: Field required",
        ),
        ('{"question": "Q?"}\n', "line 1: give an 'answer' or 'article_ids' to score"),
        (
            '{"question": "Q?", "answer": "A"}\n{"question": "Q?", "answer": ""}\n',
            "line 2: answers: Value error, the answer '' has no words to look for",
        ),
        (
            '{"question": "Q?", "answers": ["Paris", " ... "]}\n',
            "line 1: answers: Value error, the answer ' ... ' has no words to look for",
        ),
    ],
)
def test_a_bad_file_says_which_line_and_why(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(EvalError, match=reason):
        read_items(write(tmp_path, text))
    with pytest.raises(EvalError, match="cannot read"):
        read_items(tmp_path / "missing.jsonl")


def test_evaluate_the_sample_corpus(sample_kb: KnowledgeBase) -> None:
    rebuild = sample_kb.search("Millbrook council flood rebuild budget vote", k=1)[0].article_id
    items = [
        EvalItem(
            question="How much did the Millbrook council approve for the flood rebuild?",
            answers=["$18.6 million"],
            article_ids=[rebuild],
        ),
        EvalItem(question="What colour is the mayor's car?", answers=["crimson"]),
    ]
    scores = evaluate(sample_kb, items)
    assert scores["questions"] == 2
    assert scores["all@8"] == 1.0 and scores["mrr"] == 1.0  # over the one question with ids
    assert scores["gold in passages"] == 0.5  # the car's colour is in no article
    assert 0.0 <= scores["gold in quotes"] <= scores["gold in passages"]
    assert "EM" not in scores  # offline answers are not scored as short answers
    assert (scores["uncited"], scores["extractive"]) == (0.0, 1.0) and scores["seconds"] > 0
    assert 0 < scores["citations"] <= 4  # a mean over both questions
    assert scores["quoted chars"] >= 40 * scores["citations"]  # sentences, not fragments


def test_each_questions_result_says_which_missed(sample_kb: KnowledgeBase) -> None:
    """Only the means were given: a question that missed could not be told from the others."""
    rebuild = sample_kb.search("Millbrook council flood rebuild budget vote", k=1)[0].article_id
    other = next(a.id for a in sample_kb.articles() if a.id != rebuild)
    items = [
        EvalItem(
            question="How much did the Millbrook council approve?", article_ids=[rebuild], line=1
        ),
        EvalItem(
            question="What colour is the mayor's car?",
            answers=["crimson"],
            article_ids=[rebuild, other],
            line=4,
        ),
    ]
    hit, missed = score_questions(sample_kb, items, k=1)
    assert (hit.line, hit.gold_ranks, hit.scores["all@2"]) == (1, {rebuild: 1}, 1.0)
    assert missed.line == 4 and missed.question == "What colour is the mayor's car?"
    assert missed.gold_ranks[other] is None and missed.scores["gold in quotes"] == 0.0
    assert missed.answer


def test_an_uncited_llm_answer_is_not_an_abstention(
    llm_kb: KnowledgeBase, openai_server: FakeOpenAIServer
) -> None:
    def reply(messages: list[dict[str, Any]]) -> str:
        if "mayor's car" in messages[-1]["content"]:
            return NOT_ENOUGH
        return "Purple elephants voted on it."  # nothing in any passage supports this

    openai_server.reply = reply
    items = [
        EvalItem(question="What colour is the mayor's car?", answers=["crimson"]),
        EvalItem(question="Who voted on the flood rebuild?", answers=["the council"]),
    ]
    scores = evaluate(llm_kb, items)
    # An answer no passage supports is replaced by the extractive one (kb.api): no abstention
    assert (scores["abstained"], scores["uncited"], scores["extractive"]) == (0.5, 0.0, 0.5)


def test_a_gold_answer_counts_only_as_whole_words() -> None:
    def scores(quote: str, gold: str) -> dict[str, float]:
        citation = Citation(
            n=1, article_id="a", title="T", chunk_id="c", start=0, end=len(quote), quote=quote
        )
        hit = Hit(
            article_id="a", title="T", chunk_id="c", start=0, end=len(quote), score=1.0, text=quote
        )
        answer = Answer(question="Q?", answer=quote, mode="extractive", citations=[citation])
        return answer_scores(answer, [hit], [gold])

    not_found = {"gold in quotes": 0.0, "gold in passages": 0.0}
    assert scores("A comparison of the two cities.", "Paris") == not_found
    assert scores("The figures were 186,000 in all.", "$18.6") == not_found
    found = {"gold in quotes": 1.0, "gold in passages": 1.0}
    assert scores("They met in Paris, France.", "paris") == found
    assert scores("The council approved $18.6 million.", "18.6 Million") == found
    for quote in (
        "Paris's mayor spoke.",
        "The city—Paris—said so.",
        "“Paris” was the answer.",
        "A Paris-based firm.",
    ):
        assert scores(quote, "Paris") == found, quote
    assert scores("The Ledger’s report.", "the Ledger") == found
    assert scores("The U.S. team won.", "US") == found
    assert scores("Send an e-mail.", "email") == found
    assert scores("McDonald's opened.", "McDonalds") == found
    # An answer that is only an article is looked for as that word, not found everywhere.
    assert scores("Vitamin A deficiency.", "A") == found
    assert scores("Vitamin D deficiency.", "A") == not_found


def test_a_gold_answer_inside_a_word_of_the_sample_corpus_is_not_found(
    sample_kb: KnowledgeBase,
) -> None:
    question = "Which town did the Alder River flood?"
    scores = evaluate(sample_kb, [EvalItem(question=question, answers=["brook"])])
    assert scores["gold in passages"] == 0.0  # only inside "Millbrook"
    scores = evaluate(sample_kb, [EvalItem(question=question, answers=["Millbrook"])])
    assert scores["gold in passages"] == 1.0


def test_an_uncited_llm_answer_a_passage_supports_counts_as_uncited(
    llm_kb: KnowledgeBase, openai_server: FakeOpenAIServer
) -> None:
    openai_server.reply = "The council voted."  # too short to cite a passage, but one says it
    items = [EvalItem(question="Who voted on the flood rebuild?", answers=["the council"])]
    scores = evaluate(llm_kb, items)
    assert (scores["abstained"], scores["extractive"]) == (0.0, 0.0)
    assert scores["uncited"] == 1.0  # the LLM's answer, kept though it cites nothing


def test_the_misses_are_listed_one_short_line_each_then_how_many_more() -> None:
    """500 questions stay readable: 20 lines at most, long questions cut, `--json` has the rest."""
    long_question = "How did the Ledger and Regional Wire differ in their coverage of the flood?"
    results = [
        QuestionScore(
            line=n,
            question=long_question,
            answer="",
            gold_ranks={"a1": None, "a2": 1},
            scores={"gold in quotes": 0.0, "gold in passages": float(n % 2)},
        )
        for n in range(1, 31)
    ] + [QuestionScore(line=31, question="Hit?", answer="", scores={"gold in quotes": 1.0})]
    lines = misses_listed(results)
    assert lines[0] == "Missed: 30 of 31 questions"
    assert lines[1] == (
        "  line 1: How did the Ledger and Regional Wire differ in their covera… — "
        "answer not quoted; article a1 not retrieved"
    )
    assert lines[2].endswith("— answer not quoted nor retrieved; article a1 not retrieved")
    assert len(lines) == 22 and lines[-1] == "  … and 10 more (see --json)"
    assert misses_listed(results[-1:]) == []
