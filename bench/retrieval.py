"""Multi-document retrieval on public multi-hop sets: kb's retriever next to plain dense and BM25.

Each corpus passage is ingested as one article (its title is its first line); a question's gold
passages are its supporting paragraphs, found in the corpus by title and text.
For every question, each system ranks articles (distinct, best first); we report the share of
questions with ALL gold passages in the top k (k = 2, 5, 8), recall@k and MRR of the first gold
passage, for every system in the same run on the same index.

Then kb answers each question (`KnowledgeBase.ask`, in whatever mode the environment configures:
offline extractive by default, an LLM with KB_LLM_*): the share of questions whose gold answer
(or an alias) appears in the cited quotes, next to its share in the passages retrieved (the most
the quotes could hold); the share of abstentions; citations and quoted characters per answer
(a change that quotes more text finds the gold answer more often: compare at equal length); and,
for an LLM's answers, SQuAD exact match and token F1 against the gold answer.

With an LLM configured (KB_LLM_*), one more retrieval row: the retriever's passages fused with
those of the search the LLM names after reading them, as `kb ask` retrieves in LLM mode.

Reproduce (from the repo root):

    .venv/bin/python bench/retrieval.py [../shared/eval/multihop] [--limit N] [--json out.json]
        [--keep DIR] [--no-answers]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb.api import KnowledgeBase  # noqa: E402
from kb.decompose import search_in_steps  # noqa: E402
from kb.evaluate import KS, EvalItem, evaluate, retrieval_scores  # noqa: E402
from kb.models import Filters, chunk_owner  # noqa: E402
from kb.retrieve import Retriever  # noqa: E402
from kb.settings import RetrieveSettings, Settings  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "eval" / "multihop"
DEPTH = 8  # articles ranked per question
Ranker = Callable[[str], list[str]]  # question -> article ids, best first


def load_set(folder: Path, name: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """(questions with their gold passages' numbers in the corpus, corpus passages). A MuSiQue
    title can head several passages ("Namibia" heads 5): its gold is the one supporting
    paragraph, found by its text, not every passage under its title."""
    items = json.loads((folder / f"{name}_train.json").read_text(encoding="utf-8"))
    corpus = json.loads((folder / f"{name}_train_corpus.json").read_text(encoding="utf-8"))
    if isinstance(corpus, dict):  # HotpotQA: {title: [sentences]}, one passage per title
        corpus = [{"title": title, "text": "".join(lines)} for title, lines in corpus.items()]
    numbers = {(p["title"], p["text"].strip()): n for n, p in enumerate(corpus)}
    by_title = {p["title"]: n for n, p in enumerate(corpus)}
    questions = []
    for item in items:
        if name == "hotpotqa":
            gold = {by_title[title] for title, _ in item["supporting_facts"]}
        else:
            gold = {
                numbers[(p["title"], p["paragraph_text"].strip())]
                for p in item["paragraphs"]
                if p["is_supporting"]
            }
        answers = [item["answer"], *item.get("answer_aliases", [])]
        questions.append({"question": item["question"], "gold": gold, "answers": answers})
    return questions, corpus


def passage_path(folder: Path, number: int) -> Path:
    return folder / f"passage-{number:05d}.txt"


def open_corpus(corpus: list[dict[str, str]], home: Path) -> tuple[KnowledgeBase, list[str]]:
    """The corpus ingested under `home` (or found there from an earlier run, --keep), and the
    article id of each passage ("" if it failed; a repeated passage is one article)."""
    folder = home / "passages"
    done = home / "ingested"  # an interrupted run leaves none: the next ingests what is missing
    knowledge_base = KnowledgeBase(settings=Settings(home=home / "kb"))
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for number, passage in enumerate(corpus):
            text = f"{passage['title']}\n\n{passage['text']}\n"
            passage_path(folder, number).write_text(text, encoding="utf-8")
        start = time.perf_counter()
        knowledge_base.ingest([passage_path(folder, n) for n in range(len(corpus))])
        print(
            f"{home.name}: {len(corpus)} passages ingested in {time.perf_counter() - start:.0f} s",
            file=sys.stderr,
        )
        done.touch()
    article_of = [""] * len(corpus)
    for article in knowledge_base.store.committed():
        for location in [article.location, *article.also_at]:
            article_of[int(Path(location).stem.removeprefix("passage-"))] = article.id
    return knowledge_base, article_of


def distinct(article_ids: list[str]) -> list[str]:
    return list(dict.fromkeys(article_ids))[:DEPTH]


def rankers(knowledge_base: KnowledgeBase) -> dict[str, Ranker]:
    store, embedder, lexical = knowledge_base.store, knowledge_base.embedder, knowledge_base.lexical
    one_each = RetrieveSettings(max_chunks_per_article=1, pool=max(40, 4 * DEPTH))
    fused_only = one_each.model_copy(update={"hops": 0})
    dense_only = fused_only.model_copy(update={"hybrid": False})

    def dense(question: str) -> list[str]:
        return distinct(
            [h.article_id for h in store.query(embedder.embed([question])[0], 4 * DEPTH)]
        )

    def bm25(question: str) -> list[str]:
        chunk_ids = [chunk_id for chunk_id, _ in lexical.search(question, 4 * DEPTH)]
        return distinct([chunk_owner(chunk_id) for chunk_id in chunk_ids])

    def kb_retriever(settings: RetrieveSettings) -> Ranker:
        retriever = Retriever(store, embedder, lexical, knowledge_base.links, settings)
        return lambda question: distinct([h.article_id for h in retriever.search(question, DEPTH)])

    systems = {
        "dense (MiniLM, Chroma query)": dense,
        "BM25 (bm25s)": bm25,
        "kb dense-only path": kb_retriever(dense_only),
        "kb hybrid RRF, no links": kb_retriever(fused_only),
        "kb hybrid RRF + links, no follow-up searches": kb_retriever(
            one_each.model_copy(update={"follow_ups": False})
        ),
        "kb retriever (hybrid RRF + links + follow-ups)": kb_retriever(one_each),
    }
    llm = knowledge_base.llm
    if llm:  # what `kb ask` retrieves with an LLM: the searches it names fused in (kb.decompose)
        retriever = Retriever(store, embedder, lexical, knowledge_base.links, one_each)

        def with_llm_steps(question: str) -> list[str]:
            hits, queries = search_in_steps(
                question, DEPTH, Filters(), retriever.search, llm, one_each
            )
            print(f"LLM step: {question!r} -> {queries}", file=sys.stderr)
            return distinct([h.article_id for h in hits])

        systems["kb retriever + LLM search steps"] = with_llm_steps
    return systems


def bench_set(
    folder: Path,
    name: str,
    limit: int | None,
    keep: Path | None,
    answers: list[dict[str, Any]] | None,
) -> list[dict[str, Any]]:
    """The retrieval rows of one set; its answers' row appended to `answers` unless None."""
    questions, corpus = load_set(folder, name)
    questions = questions[:limit] if limit else questions
    with tempfile.TemporaryDirectory(prefix=f"kb-bench-{name}-") as scratch:
        home = keep / name if keep else Path(scratch) / name
        home.mkdir(parents=True, exist_ok=True)
        knowledge_base, article_of = open_corpus(corpus, home)
        rows = []
        for system, rank in rankers(knowledge_base).items():
            totals: dict[str, float] = {}
            seconds = 0.0
            for item in questions:
                # A gold passage that failed to ingest is never found: a miss, not a lighter task.
                gold = {article_of[number] or f"failed-{number}" for number in item["gold"]}
                start = time.perf_counter()
                ranked = rank(item["question"])
                seconds += time.perf_counter() - start
                for key, value in retrieval_scores(ranked, gold).items():
                    totals[key] = totals.get(key, 0.0) + value
            row = {key: value / len(questions) for key, value in totals.items()}
            rows.append(
                {"set": name, "system": system, **row, "ms": 1000 * seconds / len(questions)}
            )
        if answers is not None:
            answers.append({"set": name, **scored_answers(knowledge_base, questions)})
    return rows


def scored_answers(
    knowledge_base: KnowledgeBase, questions: list[dict[str, Any]]
) -> dict[str, Any]:
    items = [EvalItem(question=q["question"], answers=q["answers"]) for q in questions]
    return {"mode": knowledge_base.mode_label} | evaluate(knowledge_base, items)


def table(rows: list[dict[str, Any]]) -> str:
    keys = [f"all@{k}" for k in KS] + [f"recall@{k}" for k in KS] + ["mrr", "ms"]
    lines = [f"| set | system | {' | '.join(keys)} |", "|---|---|" + "---|" * len(keys)]
    for row in rows:
        values = " | ".join(f"{row[k]:.0f}" if k == "ms" else f"{row[k]:.2f}" for k in keys)
        lines.append(f"| {row['set']} | {row['system']} | {values} |")
    return "\n".join(lines)


def answers_table(rows: list[dict[str, Any]]) -> str:
    keys = ["gold in quotes", "gold in passages", "abstained", "citations", "quoted chars"]
    keys += ["EM", "F1"]
    lines = [f"| set | mode | {' | '.join(keys)} |", "|---|---|" + "---|" * len(keys)]
    for row in rows:
        values = " | ".join(
            "-" if k not in row else f"{row[k]:.0f}" if k == "quoted chars" else f"{row[k]:.2f}"
            for k in keys
        )
        lines.append(f"| {row['set']} | {row['mode']} | {values} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--sets", default="hotpotqa,musique")
    parser.add_argument("--limit", type=int, help="first N questions of each set")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--no-answers", action="store_true", help="retrieval only (LLM answers take a while)"
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the ingested corpora here and reuse them on the next run"
    )
    args = parser.parse_args()
    if not (args.folder / "hotpotqa_train.json").exists():
        print(f"skipped: no multi-hop eval data at {args.folder}")
        return
    answer_rows: list[dict[str, Any]] = []
    rows = [
        row
        for name in args.sets.split(",")
        for row in bench_set(
            args.folder, name, args.limit, args.keep, None if args.no_answers else answer_rows
        )
    ]
    print(
        "all@k: share of questions with ALL gold passages among the top k distinct articles; "
        "recall@k; MRR of the first gold passage; ms: retrieval time per question.\n"
    )
    print(table(rows))
    if answer_rows:
        print(
            "\nAnswers (kb ask, default settings): shares of questions, and citations and quoted "
            "characters per answer (more quoted text holds the gold answer more often).\n"
        )
        print(answers_table(answer_rows))
    if args.json:
        args.json.write_text(json.dumps({"retrieval": rows, "answers": answer_rows}, indent=2))


if __name__ == "__main__":
    main()
