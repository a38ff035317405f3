"""kill -9 during a real `kb ingest` batch, at random points, several times: never half an article."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from kb.api import KnowledgeBase

ARTICLES = 40


def make_batch(folder: Path, texts: list[str], count: int = ARTICLES) -> None:
    """Unique articles of a few chunks each, built from the sample corpus's sentences."""
    sentences = [s.strip() + "." for text in texts for s in text.split(". ") if len(s) > 40]
    rng = random.Random(11)
    folder.mkdir()
    for number in range(count):
        body = " ".join(rng.sample(sentences, 25))
        (folder / f"story-{number:02d}.txt").write_text(f"Story number {number}\n\n{body}\n")


def assert_whole_articles_only(home: Path) -> None:
    """Every stored article has all its chunks; anything else is invisible to search."""
    kb = KnowledgeBase(home)
    articles = {a.id: a for a in kb.articles()}
    for article in articles.values():
        text = kb.article(article.id).text or ""
        chunks = kb.store.chunks(article.id)
        assert len(chunks) == article.chunks > 0
        assert all(text[c.start : c.end] == c.text for c in chunks)
    hits = kb.search("flood levee council budget", k=20)
    assert {hit.article_id for hit in hits} <= set(articles)


def test_kill_9_at_random_points_then_the_next_run_finishes(
    tmp_path: Path, sample_texts: dict[str, str]
) -> None:
    batch, home = tmp_path / "batch", tmp_path / "home"
    make_batch(batch, list(sample_texts.values()))
    env = {**os.environ, "KB_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "kb.cli", "ingest", str(batch)]
    rng = random.Random(2026)
    killed_mid_batch = 0
    for _ in range(4):
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert process.stdout is not None
        for line in process.stdout:  # wait until it is writing articles
            if line.startswith(("+ ingested", "= unchanged")):
                break
        time.sleep(rng.uniform(0.0, 1.5))
        if process.poll() is None:
            killed_mid_batch += 1
        process.kill()
        process.wait()
        assert_whole_articles_only(home)
    assert killed_mid_batch >= 2  # the kills really landed inside the batch

    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert_whole_articles_only(home)
    kb = KnowledgeBase(home)
    assert len(kb.articles()) == ARTICLES
    stored = kb.store.chunk_rows.count()
    assert stored == sum(a.chunks for a in kb.articles())  # the restart swept any orphan chunk


def test_questions_are_answered_while_a_batch_is_being_ingested(
    tmp_path: Path, sample_texts: dict[str, str]
) -> None:
    batch, home = tmp_path / "batch", tmp_path / "home"
    make_batch(batch, list(sample_texts.values()), count=100)  # long enough to overlap the question
    env = {**os.environ, "KB_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    kb_command = [sys.executable, "-m", "kb.cli"]
    ingesting = subprocess.Popen(
        [*kb_command, "ingest", str(batch)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert ingesting.stdout is not None
    for line in ingesting.stdout:
        if line.startswith("+ ingested") and "story-05.txt" in line:  # a few articles are in
            break
    question = "What did the council approve after the Millbrook flood?"
    asked = subprocess.run(
        [*kb_command, "ask", "--json", question], env=env, capture_output=True, text=True
    )
    still_ingesting = ingesting.poll() is None
    ingesting.kill()  # the rest of the batch would only take time: kill -9 is tested above
    rest = ingesting.communicate(timeout=60)[0]
    assert asked.returncode == 0, asked.stderr
    assert still_ingesting  # the question really ran during the batch
    assert "! failed" not in rest  # the reader disturbed no write
    answer = json.loads(asked.stdout)
    assert answer["citations"]
    assert_whole_articles_only(home)
    kb = KnowledgeBase(home)
    for citation in answer["citations"]:
        text = kb.article(citation["article_id"]).text or ""
        assert text[citation["start"] : citation["end"]] == citation["quote"]
    assert 6 <= len(kb.articles()) <= 100


def test_two_processes_ingesting_into_one_home_take_turns(
    tmp_path: Path, sample_texts: dict[str, str]
) -> None:
    """A `kb ingest` started while another runs on the same home waits for it (a file lock), so
    neither batch's sweep can delete the other's write in progress: every file is stored once."""
    batch, home = tmp_path / "batch", tmp_path / "home"
    make_batch(batch, list(sample_texts.values()), count=6)
    env = {**os.environ, "KB_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "kb.cli", "ingest", "--json", str(batch)]
    both = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=600) for process in both]
    assert [process.returncode for process in both] == [0, 0], outputs
    reports = [json.loads(stdout)["results"] for stdout, _ in outputs]
    for first, second in zip(*reports, strict=True):
        assert first["path"] == second["path"]
        assert sorted([first["status"], second["status"]]) == ["ingested", "unchanged"]
    assert_whole_articles_only(home)
    kb = KnowledgeBase(home)
    assert len(kb.articles()) == 6
    assert kb.store.chunk_rows.count() == sum(a.chunks for a in kb.articles())
