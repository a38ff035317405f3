"""Retrieval latency at scale: kb's search next to the raw Chroma query it starts from.

A store of N chunks (10k and 100k by default) is filled with real text (the multi-hop passages,
five to an article, repeated with a "(copy n)" title qualifier until N chunks) and synthetic unit
vectors (no model time at build: the scale part is the store and the indexes, not the encoder).
Then, for each question of the multi-hop sets: the raw Chroma query (40 nearest chunks, vector
given), the query embedding alone, and kb's retriever without and with link following, each
timed per question (p50, p95). The first search after the build, which reads the registry and
builds the BM25 index and the link graph, is reported apart ("warm-up"), and so is the first search
of a new KnowledgeBase on the same home (what a `kb ask` process pays: it loads the saved copies).

Reproduce (from the repo root; the 100k store takes about 10 minutes to write once):

    .venv/bin/python bench/latency.py [../shared/eval/multihop] [--chunks 10000,100000]
        [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.chunk import chunk_text  # noqa: E402
from ingest.dedup import signature  # noqa: E402
from kb.api import KnowledgeBase  # noqa: E402
from kb.models import Article  # noqa: E402
from kb.retrieve import Retriever  # noqa: E402
from kb.settings import Settings  # noqa: E402
from kb.store import ChromaStore, NewArticle  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "eval" / "multihop"
PASSAGES_PER_ARTICLE = 5
POOL = 40
DIM = 384


def load(folder: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(title, text) passages and the questions of both sets."""
    passages: list[tuple[str, str]] = []
    questions: list[str] = []
    for name in ("hotpotqa", "musique"):
        corpus = json.loads((folder / f"{name}_train_corpus.json").read_text(encoding="utf-8"))
        if isinstance(corpus, dict):
            passages += [(title, "".join(lines)) for title, lines in corpus.items()]
        else:
            passages += [(p["title"], p["text"]) for p in corpus]
        items = json.loads((folder / f"{name}_train.json").read_text(encoding="utf-8"))
        questions += [item["question"] for item in items]
    return passages, questions


def fill(store: ChromaStore, passages: list[tuple[str, str]], chunks_wanted: int) -> int:
    """Articles of five passages each, with random unit vectors, until `chunks_wanted`."""
    rng = np.random.default_rng(0)
    shuffle = random.Random(0)
    settings = Settings().chunk
    written, copy, batch = 0, 0, []
    while written < chunks_wanted:
        order = passages[:]
        shuffle.shuffle(order)
        for first in range(0, len(order) - PASSAGES_PER_ARTICLE + 1, PASSAGES_PER_ARTICLE):
            group = order[first : first + PASSAGES_PER_ARTICLE]
            title = group[0][0] + (f" (copy {copy})" if copy else "")
            text = title + "\n\n" + "\n\n".join(body for _, body in group)
            article_id = f"{copy:04d}{first:08d}"
            chunks = chunk_text(article_id, text, settings)
            vectors = rng.normal(size=(len(chunks), DIM)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            article = Article(id=article_id, title=title, chunks=len(chunks), chars=len(text))
            batch.append(NewArticle(article, text, chunks, vectors, signature(text)))
            written += len(chunks)
            if len(batch) == 50 or written >= chunks_wanted:
                store.put_articles(batch)
                batch = []
            if written >= chunks_wanted:
                return written
        copy += 1
    return written


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def bench_size(
    chunks: int, passages: list[tuple[str, str]], questions: list[str], keep: Path | None
) -> list[dict[str, float | str]]:
    with tempfile.TemporaryDirectory(prefix="kb-latency-") as scratch:
        home = (keep or Path(scratch)) / f"chunks-{chunks}"
        knowledge_base = KnowledgeBase(settings=Settings(home=home))
        store = knowledge_base.store
        assert isinstance(store, ChromaStore)
        if store.chunk_rows.count() < chunks:
            start = time.perf_counter()
            fill(store, passages, chunks)
            print(
                f"{chunks} chunks written in {time.perf_counter() - start:.0f} s", file=sys.stderr
            )
        embedder = knowledge_base.embedder
        settings = knowledge_base.settings.retrieve
        vectors = embedder.embed(questions)
        no_links = Retriever(
            store, embedder, knowledge_base.lexical, knowledge_base.links,
            settings.model_copy(update={"hops": 0}),
        )  # fmt: skip
        with_links = Retriever(
            store, embedder, knowledge_base.lexical, knowledge_base.links, settings
        )
        shutil.rmtree(home / "derived", ignore_errors=True)  # saved by an earlier run
        start = time.perf_counter()
        with_links.search(questions[0], 8)
        warm_up = time.perf_counter() - start
        start = time.perf_counter()
        KnowledgeBase(settings=Settings(home=home)).search(questions[0], 8)
        next_process = time.perf_counter() - start
        systems: dict[str, Callable[[int], object]] = {
            "raw Chroma query (40 nearest, vector given)": lambda i: store.chunk_rows.query(
                query_embeddings=[vectors[i]], n_results=POOL, include=["metadatas", "distances"]
            ),
            "query embedding alone": lambda i: embedder.embed([questions[i]]),
            "kb search, hybrid, no links": lambda i: no_links.search(questions[i], 8),
            "kb search, hybrid + links (default, KnowledgeBase.search)": lambda i: (
                knowledge_base.search(questions[i], 8)
            ),
        }
        rows: list[dict[str, float | str]] = []
        for system, run in systems.items():
            samples = []
            for i in range(len(questions)):
                start = time.perf_counter()
                run(i)
                samples.append(1000 * (time.perf_counter() - start))
            p50, p95 = percentiles(samples)
            rows.append(
                {"chunks": store.chunk_rows.count(), "system": system, "p50": p50, "p95": p95}
            )
        for system, seconds in (
            ("warm-up: first search after a change (builds the indexes)", warm_up),
            ("warm-up: first search of the next process (loads them)", next_process),
        ):
            rows.append({"chunks": store.chunk_rows.count(), "system": system,
                         "p50": 1000 * seconds, "p95": 1000 * seconds})  # fmt: skip
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--chunks", default="10000,100000")
    parser.add_argument("--keep", type=Path, help="keep the stores here and reuse them")
    args = parser.parse_args()
    if not (args.folder / "hotpotqa_train_corpus.json").exists():
        print(f"skipped: no multi-hop eval data at {args.folder}")
        return
    passages, questions = load(args.folder)
    rows = [
        row
        for size in (int(n) for n in args.chunks.split(","))
        for row in bench_size(size, passages, questions, args.keep)
    ]
    print(f"ms per question over {len(questions)} questions, one process, 2 cores.\n")
    print("| chunks | system | p50 ms | p95 ms |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row['chunks']} | {row['system']} | {row['p50']:.1f} | {row['p95']:.1f} |")


if __name__ == "__main__":
    main()
