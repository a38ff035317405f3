"""Ingestion with worker processes reading and chunking ahead (settings.ingest.workers) while the
main process embeds the chunks of several articles at once (settings.ingest.embed_batch): the
same results as reading inline, one progress report per file, and no file lost to a dead worker."""

from __future__ import annotations

import os
import random
import shutil
import signal
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pytest
from kb_helpers import DATA_DIR, FEW_ARTICLES
from pdf_samples import pdf_with_a_drawing

from kb.api import KnowledgeBase
from kb.embed import Embedder, Vectors
from kb.models import BatchProgress, IngestReport
from kb.settings import IngestSettings, Settings

WORDS = (
    "river levee council budget rail station battery recall harbor ferry engine school library "
    "market bridge tunnel storm drought harvest museum clinic vaccine court verdict election "
    "senate tariff factory strike airport runway satellite orbit glacier forest wildfire"
).split()


def story(number: int, sentences: int = 12) -> str:
    """A unique small article (a title line, a byline, a body of made-up sentences)."""
    rng = random.Random(number)
    body = " ".join(
        f"The {rng.choice(WORDS)} report number {number}.{i} mentioned the "
        f"{rng.choice(WORDS)} and the {rng.choice(WORDS)} near {rng.choice(WORDS)} street."
        for i in range(sentences)
    )
    return f"Story {number} about the {WORDS[number % len(WORDS)]}\n\nBy Ann Lee | Wire\n\n{body}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def spawn_workers() -> list[psutil.Process]:
    """This process's spawned multiprocessing workers (not its resource tracker)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            command = " ".join(child.cmdline())
            if child.status() == psutil.STATUS_ZOMBIE or "spawn_main" in command:
                found.append(child)
        except psutil.ZombieProcess:
            found.append(child)  # an unreaped worker is a leak too
        except psutil.NoSuchProcess:
            pass
    return found


def workers_left(seconds: float = 15) -> list[psutil.Process]:
    """The workers still running `seconds` after a batch: the batch does not wait for its idle
    worker to exit, but the worker must exit."""
    return psutil.wait_procs(spawn_workers(), timeout=seconds)[1]


def outcome(report: IngestReport) -> list[tuple[str, str, str, int, str]]:
    return [(r.path, r.status, r.article_id, r.chunks, r.reason) for r in report.results]


def assert_progress(seen: list[BatchProgress], report: IngestReport) -> None:
    """One report per file, counting up; chunks only grow, to the batch's stored chunks."""
    total = len(report.results)
    assert [state.done for state in seen] == list(range(1, total + 1))
    assert {state.total for state in seen} == {total}
    chunks = [state.chunks for state in seen]
    assert chunks == sorted(chunks)
    assert chunks[-1] == sum(r.chunks for r in report.results if r.status == "ingested") > 0
    assert Counter(state.result.path for state in seen) == Counter(r.path for r in report.results)
    by_path = {r.path: r for r in report.results}
    assert all(state.result == by_path[state.result.path] for state in seen)
    assert all(state.elapsed >= 0 for state in seen)


# --- (a), (b): workers or inline, the same report ------------------------------------------------
@dataclass
class Run:
    report: IngestReport
    seen: list[BatchProgress]
    workers_seen: set[int]  # pids of spawned workers alive during progress callbacks
    kb: KnowledgeBase


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample corpus plus an empty text and a corrupt PDF, in a mixed-up order."""
    folder = tmp_path_factory.mktemp("mixed")
    files = [Path(shutil.copy(path, folder)) for path in sorted(DATA_DIR.iterdir())]
    random.Random(7).shuffle(files)
    files.insert(3, write(folder / "empty.txt", ""))
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + random.Random(1).randbytes(3000))
    files.insert(8, broken)
    return files


@pytest.fixture(scope="module")
def runs(mixed_batch: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[int, Run]:
    done: dict[int, Run] = {}
    for workers in (1, 0):
        home = tmp_path_factory.mktemp(f"workers-{workers}") / "home"
        knowledge_base = KnowledgeBase(home, Settings(ingest=IngestSettings(workers=workers)))
        seen: list[BatchProgress] = []
        pids: set[int] = set()

        def progress(
            state: BatchProgress, seen: list[BatchProgress] = seen, pids: set[int] = pids
        ) -> None:
            seen.append(state)
            pids.update(worker.pid for worker in spawn_workers())

        report = knowledge_base.ingest(mixed_batch, progress=progress)
        assert workers_left() == []
        done[workers] = Run(report, seen, pids, knowledge_base)
    return done


def test_workers_give_the_same_report_as_inline(
    runs: dict[int, Run], mixed_batch: list[Path]
) -> None:
    assert runs[1].workers_seen, "workers=1 on a batch of 12 files should read in a worker"
    assert not runs[0].workers_seen, "workers=0 should read inline"
    inline = runs[0].report
    assert [r.path for r in inline.results] == [str(path) for path in mixed_batch]
    statuses = [r.status for r in inline.results]
    assert statuses.count("ingested") == 10 and statuses.count("failed") == 2
    assert inline.results[3].reason == "the file is empty"
    assert inline.results[8].status == "failed" and inline.results[8].reason
    assert outcome(runs[1].report) == outcome(inline)
    assert [r.title for r in runs[1].report.results] == [r.title for r in inline.results]


def test_workers_store_the_same_articles_as_inline(runs: dict[int, Run]) -> None:
    def stored(knowledge_base: KnowledgeBase) -> list[tuple[Any, ...]]:
        return [
            (a.id, a.title, a.location, a.chunks, a.chars, a.content_hash, a.near_duplicates)
            for a in sorted(knowledge_base.articles(), key=lambda a: a.id)
        ]

    assert len(stored(runs[1].kb)) == 10
    assert stored(runs[1].kb) == stored(runs[0].kb)


@pytest.mark.parametrize("workers", [1, 0])
def test_progress_once_per_file(runs: dict[int, Run], workers: int) -> None:
    run = runs[workers]
    assert_progress(run.seen, run.report)
    assert run.seen[-1].chunks == sum(len(run.kb.store.chunks(a.id)) for a in run.kb.articles())


# --- (c): a worker killed mid-batch ------------------------------------------------------------
@pytest.mark.timeout(180)
def test_a_killed_worker_loses_no_file(tmp_path: Path) -> None:
    empty = write(tmp_path / "batch" / "00-empty.txt", "")  # reported at once: no embedding
    stories = [write(tmp_path / "batch" / f"story-{n:02d}.txt", story(n)) for n in range(20)]
    killed: list[int] = []
    later: set[int] = set()
    seen: list[BatchProgress] = []

    def progress(state: BatchProgress) -> None:
        seen.append(state)
        workers = spawn_workers()
        if not killed:
            assert workers, "no worker process to kill"
            for worker in workers:
                os.kill(worker.pid, signal.SIGKILL)
                killed.append(worker.pid)
        else:
            later.update(worker.pid for worker in workers)

    # embed_batch=1: each article is stored (and reported) as soon as it is read, so progress
    # callbacks come while the worker pool is still running.
    settings = Settings(ingest=IngestSettings(workers=1, embed_batch=1))
    knowledge_base = KnowledgeBase(tmp_path / "home", settings)
    report = knowledge_base.ingest([empty, *stories], progress=progress)

    assert killed and seen[0].result.path == str(empty)
    assert later - set(killed), "a fresh worker should have taken over"
    assert [r.path for r in report.results] == [str(p) for p in [empty, *stories]]
    assert report.results[0].status == "failed"
    assert [(r.status, r.reason) for r in report.results[1:]] == [("ingested", "")] * 20
    assert len(knowledge_base.articles()) == 20
    assert_progress(seen, report)
    assert workers_left() == []


# --- (d): the same new text twice in one batch ---------------------------------------------------
@pytest.mark.parametrize(
    ("workers", "embed_batch"),
    [(1, 128), (0, 1)],
    ids=["embedded-together", "first-stored-before-the-copy-is-read"],
)
def test_two_copies_in_one_batch(tmp_path: Path, workers: int, embed_batch: int) -> None:
    files = [write(tmp_path / "batch" / f"story-{n}.txt", story(n)) for n in range(6)]
    first = write(tmp_path / "batch" / "a" / "copy.txt", story(99))
    second = write(tmp_path / "batch" / "b" / "same-text.txt", story(99))
    files[2:2] = [first]
    files[5:5] = [second]
    settings = Settings(ingest=IngestSettings(workers=workers, embed_batch=embed_batch))
    knowledge_base = KnowledgeBase(tmp_path / "home", settings)
    seen: list[BatchProgress] = []
    report = knowledge_base.ingest(files, progress=seen.append)

    statuses = [r.status for r in report.results]
    assert statuses == ["ingested"] * 5 + ["duplicate"] + ["ingested"] * 2
    original, copy = report.results[2], report.results[5]
    assert (original.path, copy.path) == (str(first), str(second))
    assert copy.article_id == original.article_id and copy.chunks == original.chunks > 0
    assert copy.title == original.title
    assert copy.reason == f"same text as {first.resolve()}"
    article = knowledge_base.article(original.article_id)
    assert article.location == str(first.resolve())
    assert article.also_at == [str(second.resolve())]
    assert len(knowledge_base.articles()) == 7
    assert len(knowledge_base.store.chunks(article.id)) == article.chunks
    assert_progress(seen, report)


@pytest.mark.parametrize("embed_batch", [1, 128])
def test_a_file_edited_into_a_copy_of_another_new_file_retires_its_old_text(
    tmp_path: Path, embed_batch: int
) -> None:
    """b.txt held story 2, then both a.txt and b.txt get story 3 (new) in one batch: b.txt's old
    article must go, whether story 3 is stored before b.txt is read or embedded with it."""
    a, b = write(tmp_path / "a.txt", story(1)), write(tmp_path / "b.txt", story(2))
    knowledge_base = KnowledgeBase(
        tmp_path / "home",
        Settings(ingest=IngestSettings(workers=0, embed_batch=embed_batch)),
    )
    knowledge_base.ingest([a, b])
    write(a, story(3))
    write(b, story(3))
    report = knowledge_base.ingest([a, b])

    assert [r.status for r in report.results] == ["ingested", "duplicate"]
    articles = knowledge_base.articles()
    assert [(x.location, x.also_at) for x in articles] == [(str(a.resolve()), [str(b.resolve())])]
    assert [x.title for x in articles] == [story(3).splitlines()[0]]


# --- (e): how many chunks are embedded together changes nothing stored ------------------------
class CountingEmbedder:
    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name = inner, inner.name
        self.calls: list[int] = []

    def embed(self, texts: Any) -> Vectors:
        self.calls.append(len(texts))
        return self.inner.embed(texts)


def test_embed_batch_changes_nothing_stored(tmp_path: Path) -> None:
    names = (*FEW_ARTICLES, "harlow-green-line-opens.html", "voltaic-vx40-recall-announced.html")
    files = [DATA_DIR / name for name in names]
    stored: dict[int, tuple[Any, ...]] = {}
    for embed_batch in (1, 100_000):
        settings = Settings(ingest=IngestSettings(workers=0, embed_batch=embed_batch))
        knowledge_base = KnowledgeBase(tmp_path / f"home-{embed_batch}", settings)
        counting = CountingEmbedder(knowledge_base.embedder)
        knowledge_base.__dict__["embedder"] = counting  # the cached property, counted
        report = knowledge_base.ingest(files)
        assert [r.status for r in report.results] == ["ingested"] * len(files)
        chunks = [r.chunks for r in report.results]
        # One call per article, or every chunk of the batch (fewer than 32) in one call.
        assert counting.calls == (chunks if embed_batch == 1 else [sum(chunks)])
        rows = knowledge_base.store.chunk_rows.get(  # type: ignore[attr-defined]
            include=["embeddings", "documents", "metadatas"]
        )
        order = np.argsort(rows["ids"])
        stored[embed_batch] = (
            [rows["ids"][i] for i in order],
            [rows["documents"][i] for i in order],
            [rows["metadatas"][i] for i in order],
            np.asarray(rows["embeddings"])[order],
            [a.model_dump(exclude={"ingested_at"}) for a in knowledge_base.articles()],
        )
    one, many = stored[1], stored[100_000]
    assert len(one[0]) == sum(r.chunks for r in report.results) > len(files)
    assert one[:3] == many[:3]
    assert one[4] == many[4]
    assert np.allclose(one[3], many[3], atol=1e-4)


def test_groups_start_small_and_double_up_to_embed_batch(tmp_path: Path) -> None:
    """The first articles are stored (searchable, reported) after 32 chunks; later groups are
    larger, for speed, but never beyond embed_batch."""
    files = [write(tmp_path / f"s{n:03d}.txt", story(n, sentences=3)) for n in range(230)]
    settings = Settings(ingest=IngestSettings(workers=0, embed_batch=64))
    knowledge_base = KnowledgeBase(tmp_path / "home", settings)
    counting = CountingEmbedder(knowledge_base.embedder)
    knowledge_base.__dict__["embedder"] = counting
    embedded_when_reported: list[int] = []
    report = knowledge_base.ingest(
        files, progress=lambda _: embedded_when_reported.append(sum(counting.calls))
    )

    assert [r.chunks for r in report.results] == [1] * 230
    assert counting.calls == [32, 64, 64, 64, 6]
    assert embedded_when_reported[0] == 32  # the first file is reported after 32 chunks


def test_a_worker_reads_every_format_without_loading_torch() -> None:
    from ingest.pipeline import _worker_pool, prepare

    pool = _worker_pool(1)
    try:
        settings = Settings(home=Path("unused"))
        results = [pool.submit(prepare, path, settings).result() for path in DATA_DIR.iterdir()]
        assert {type(result).__name__ for result in results} == {"PreparedFile"}
        torch = pool.submit(eval, "__import__('sys').modules.get('torch', 'never imported')")
        assert torch.result() == "never imported"  # thinc is refused it (ingest.loaders)
    finally:
        pool.shutdown()


# --- (e): a worker that dies on one file while another worker reads a slow one -------------------
def kill_workers_stuck_opening_a_pipe(stop: threading.Event, killed: list[int]) -> None:
    """A file that kills the worker reading it: a named pipe nobody writes to blocks the worker
    opening it (wchan `wait_for_partner`), and this kills that worker, as the OOM killer would."""
    while not stop.wait(0.05):
        for worker in spawn_workers():
            try:
                if Path(f"/proc/{worker.pid}/wchan").read_text() == "wait_for_partner":
                    os.kill(worker.pid, signal.SIGKILL)
                    killed.append(worker.pid)
            except (OSError, ValueError):
                pass


@pytest.mark.timeout(300)
def test_only_the_file_that_kills_its_worker_is_blamed(tmp_path: Path) -> None:
    (tmp_path / "batch").mkdir()
    slow = tmp_path / "batch" / "a-slow.pdf"  # seconds to read (its drawing), read beside:
    slow.write_bytes(pdf_with_a_drawing("A slow story about the levee.", strokes=20_000))
    crash = tmp_path / "batch" / "b-crash.txt"
    os.mkfifo(crash)
    stories = [write(tmp_path / "batch" / f"c-{n:02d}.txt", story(n)) for n in range(8)]
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=kill_workers_stuck_opening_a_pipe, args=(stop, killed))
    killer.start()
    try:
        settings = Settings(ingest=IngestSettings(workers=2))
        report = KnowledgeBase(tmp_path / "home", settings).ingest([slow, crash, *stories])
    finally:
        stop.set()
        killer.join()

    assert killed
    assert [(Path(r.path).name, r.status) for r in report.results] == [
        ("a-slow.pdf", "ingested"),
        ("b-crash.txt", "failed"),
        *[(path.name, "ingested") for path in stories],
    ]
    assert "stopped" in report.results[1].reason
    assert workers_left() == []
