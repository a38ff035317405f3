"""The Chroma store on its own, with hand-made vectors: the article record is the commit marker."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.chunk import chunk_text
from ingest.dedup import signature
from kb.api import KnowledgeBase
from kb.models import QA, Article, Bullet, Section, Span, Summary
from kb.settings import ChunkSettings
from kb.store import ChromaStore

DIM = 384


def unit(seed: int, count: int = 1) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def put(store: ChromaStore, article_id: str, title: str, date: str = "", seed: int = 0) -> str:
    text = f"{title}\n\n" + " ".join(f"Sentence {i} of {title}." for i in range(60))
    chunks = chunk_text(article_id, text, ChunkSettings(size=300, overlap=50))
    article = Article(
        id=article_id, title=title, source="Wire", date=date, chunks=len(chunks), chars=len(text)
    )
    store.put_article(article, text, chunks, unit(seed, len(chunks)), signature(text))
    return text


@pytest.fixture
def store(kb: KnowledgeBase) -> ChromaStore:
    return kb.store  # type: ignore[return-value]


def test_round_trip(store: ChromaStore) -> None:
    text = put(store, "aaaaaaaaaaaa", "Alpha", "2026-01-02", seed=1)
    article = store.article("aaaaaaaaaaaa", with_text=True)
    assert article is not None and article.text == text
    assert (article.title, article.source, article.date) == ("Alpha", "Wire", "2026-01-02")
    assert store.article("aaaaaaaaaaaa").text is None  # type: ignore[union-attr]
    chunks = store.chunks("aaaaaaaaaaaa")
    assert [c.index for c in chunks] == list(range(article.chunks))
    assert all(text[c.start : c.end] == c.text for c in chunks)
    assert store.article("missing00000") is None
    assert store.chunks("missing00000") == []


def test_articles_sorted_by_date_then_title_undated_last(store: ChromaStore) -> None:
    put(store, "cccccccccccc", "charlie", "", seed=3)
    put(store, "bbbbbbbbbbbb", "Bravo", "2026-02-01", seed=2)
    put(store, "aaaaaaaaaaaa", "alpha", "2026-02-01", seed=1)
    put(store, "dddddddddddd", "Delta", "2025-12-31", seed=4)
    assert [a.title for a in store.articles()] == ["Delta", "alpha", "Bravo", "charlie"]
    assert [a.id for a in store.articles(where={"title": "Bravo"})] == ["bbbbbbbbbbbb"]


def test_query_finds_the_nearest_chunk_of_committed_articles_only(store: ChromaStore) -> None:
    put(store, "aaaaaaaaaaaa", "Alpha", seed=1)
    target = store.chunks("aaaaaaaaaaaa")[2]
    vector = store.chunk_rows.get(ids=[target.id], include=["embeddings"])["embeddings"][0]
    hits = store.query(np.asarray(vector), 3)
    assert hits[0].chunk_id == target.id and hits[0].score == pytest.approx(1.0, abs=1e-3)
    assert (hits[0].start, hits[0].end, hits[0].text) == (target.start, target.end, target.text)
    assert (hits[0].title, hits[0].source) == ("Alpha", "Wire")
    # An uncommitted copy of the same chunk, closer than anything, is never returned.
    store.chunk_rows.upsert(
        ids=["zzzzzzzzzzzz:0000"],
        embeddings=[vector],
        documents=["orphan"],
        metadatas=[{"article_id": "zzzzzzzzzzzz", "index": 0, "start": 0, "end": 6}],
    )
    hits = store.query(np.asarray(vector), 3)
    assert len(hits) == 3 and {h.article_id for h in hits} == {"aaaaaaaaaaaa"}
    assert store.query(np.asarray(vector), 0) == []


def test_empty_store(store: ChromaStore) -> None:
    assert store.query(unit(0)[0], 5) == []
    assert store.articles() == []
    assert store.sweep() == 0
    assert store.delete_article("aaaaaaaaaaaa") is False


def test_summary_round_trip_and_delete(store: ChromaStore) -> None:
    put(store, "aaaaaaaaaaaa", "Alpha", seed=1)
    summary = Summary(
        article_id="aaaaaaaaaaaa",
        title="Alpha",
        mode="extractive",
        abstract="About alpha.",
        sections=[
            Section(
                title="One",
                qa=[
                    QA(
                        question="Why?",
                        answers=[Bullet(text="b", citations=[Span(start=0, end=5)])],
                    )
                ],
            )
        ],
    )
    store.put_summary(summary, unit(9)[0])
    assert store.summary("aaaaaaaaaaaa") == summary
    assert store.articles()[0].summary == "ready"
    assert store.delete_article("aaaaaaaaaaaa") is True
    assert store.summary("aaaaaaaaaaaa") is None
    assert (store.article_rows.count(), store.chunk_rows.count(), store.summary_rows.count()) == (
        0,
        0,
        0,
    )
