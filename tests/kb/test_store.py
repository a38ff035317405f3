"""The Chroma store on its own, with hand-made vectors: the article record is the commit marker."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from kb_helpers import TESTS_DIR, run_python

from ingest.chunk import chunk_text
from ingest.dedup import signature
from kb.api import KnowledgeBase
from kb.models import QA, Article, Bullet, Section, Span, Summary
from kb.settings import ChunkSettings, EmbedSettings, Settings, StoreSettings
from kb.store import ChromaStore, NewArticle, StoreMismatch, open_store

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
    store.put_articles(
        [NewArticle(article, text, chunks, unit(seed, len(chunks)), signature(text))]
    )
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


def test_the_fields_a_user_edited_are_kept_and_a_store_without_them_has_none(
    store: ChromaStore,
) -> None:
    put(store, "aaaaaaaaaaaa", "Alpha", seed=1)
    assert "edited" not in (store.article_rows.get(ids=["aaaaaaaaaaaa"])["metadatas"] or [{}])[0]
    article = store.article("aaaaaaaaaaaa")
    assert article is not None and article.edited == []
    store.update_article(article.model_copy(update={"edited": ["source", "title"]}))
    assert store.article("aaaaaaaaaaaa").edited == ["source", "title"]  # type: ignore[union-attr]
    store.update_article(article)
    assert store.article("aaaaaaaaaaaa").edited == []  # type: ignore[union-attr]


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


def test_best_chunks_ranks_each_article_by_its_nearest_chunk(store: ChromaStore) -> None:
    put(store, "aaaaaaaaaaaa", "Alpha", seed=1)
    put(store, "bbbbbbbbbbbb", "Bravo", seed=2)
    put(store, "cccccccccccc", "Charlie", seed=3)
    target = store.chunks("bbbbbbbbbbbb")[1]
    vector = np.asarray(
        store.chunk_rows.get(ids=[target.id], include=["embeddings"])["embeddings"][0]
    )
    hits = store.best_chunks(vector, ["aaaaaaaaaaaa", "bbbbbbbbbbbb", "missing00000"])
    assert [h.article_id for h in hits] == ["bbbbbbbbbbbb", "aaaaaaaaaaaa"]  # one each, no C
    assert (hits[0].chunk_id, hits[0].text) == (target.id, target.text)
    assert hits[0].score == pytest.approx(1.0, abs=1e-3) and hits[0].score > hits[1].score
    assert store.best_chunks(vector, []) == []


def test_closest_articles_by_their_mean_vector(store: ChromaStore) -> None:
    for seed, article_id in enumerate(("aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"), start=1):
        put(store, article_id, article_id[:1].upper(), seed=seed)
    mean = store.article_rows.get(ids=["cccccccccccc"], include=["embeddings"])["embeddings"][0]
    closest = store.closest_articles(np.asarray(mean), {"aaaaaaaaaaaa", "cccccccccccc", "zz"})
    assert closest == ["cccccccccccc", "aaaaaaaaaaaa"]  # no unknown id
    assert store.closest_articles(np.asarray(mean), set()) == []


def test_every_write_is_seen_by_another_process_at_its_next_read(
    store: ChromaStore, kb_home: Path
) -> None:
    other = open_store(Settings(home=kb_home))  # e.g. the UI beside a `kb ingest`
    put(store, "aaaaaaaaaaaa", "Alpha", seed=1)
    vector = unit(1)[0]
    generations = {other.generation()}
    assert other.query(vector, 1)[0].title == "Alpha"

    store.update_article(store.article("aaaaaaaaaaaa").model_copy(update={"title": "Alpha v2"}))  # type: ignore[union-attr]
    generations.add(other.generation())
    assert other.query(vector, 1)[0].title == "Alpha v2"
    assert other.hits(["aaaaaaaaaaaa:0000"])[0].title == "Alpha v2"

    with other.pinned():  # a search sees one state of the store from start to end
        store.delete_article("aaaaaaaaaaaa")
        assert other.generation() in generations
    generations.add(other.generation())
    assert other.query(vector, 1) == [] and other.hits(["aaaaaaaaaaaa:0000"]) == []
    assert len(generations) == 3


def put_in_another_process(kb_home: Path, article_id: str, title: str, seed: int) -> None:
    """`put` by a process of its own, as a `kb ingest` beside the UI."""
    code = f"""
import sys
from pathlib import Path
sys.path += [{str(TESTS_DIR / "kb")!r}, {str(TESTS_DIR)!r}]
from test_store import put
from kb.settings import Settings
from kb.store import open_store
put(open_store(Settings(home=Path({str(kb_home)!r}))), {article_id!r}, {title!r}, seed={seed})
"""
    done = run_python(code, {})
    assert done.returncode == 0, done.stderr


def test_a_search_finds_the_vectors_another_process_added_after_it_searched(
    store: ChromaStore, kb_home: Path
) -> None:
    """Chroma's embedded client keeps the vector index it searched: unless the folder is opened
    anew, dense search never finds an article another process added (only BM25 did). Opened
    anew only then, since the next search reloads the index: not after this process's own
    writes (they went through the client), nor at a search when nothing changed."""
    sibling = open_store(Settings(home=kb_home))  # another store of this process, same folder
    put(store, "aaaaaaaaaaaa", "Alpha", seed=1)
    client = store.client
    bravo = unit(2)[0]  # the vector of Bravo's first chunk
    for reader in (store, sibling):
        assert [hit.article_id for hit in reader.query(bravo, 1)] == ["aaaaaaaaaaaa"]
    put(store, "cccccccccccc", "Charlie", seed=3)
    assert sibling.query(unit(3)[0], 1)[0].article_id == "cccccccccccc"
    store.delete_article("cccccccccccc")
    assert store.query(unit(3)[0], 1)[0].article_id == "aaaaaaaaaaaa"
    assert store.client is client

    put_in_another_process(kb_home, "bbbbbbbbbbbb", "Bravo", seed=2)
    for reader in (store, sibling):
        hit = reader.query(bravo, 1)[0]
        assert (hit.chunk_id, hit.title) == ("bbbbbbbbbbbb:0000", "Bravo")
        assert hit.score == pytest.approx(1.0, abs=1e-3)
        assert {a.id for a in reader.committed()} == {"aaaaaaaaaaaa", "bbbbbbbbbbbb"}
    reopened = store.client
    assert reopened is not client and sibling.client is reopened
    put(store, "dddddddddddd", "Delta", seed=4)
    assert store.query(unit(4)[0], 1)[0].article_id == "dddddddddddd"
    assert store.client is reopened


def test_an_article_whose_writer_died_before_the_new_generation_is_found(
    store: ChromaStore, kb_home: Path
) -> None:
    put(store, "aaaaaaaaaaaa", "Alpha", seed=1)
    other = open_store(Settings(home=kb_home))
    assert {h.article_id for h in other.query(unit(2)[0], 50)} == {"aaaaaaaaaaaa"}
    before = dict(store.client.get_collection(store.chunk_rows.name).metadata)
    text = put(store, "bbbbbbbbbbbb", "Bravo", seed=2)
    store.chunk_rows.modify(metadata=before)  # as if the writer died before its last step
    assert other.generation() == before["generation"]  # the cached state is not refreshed...
    vector = store.chunk_rows.get(ids=["bbbbbbbbbbbb:0001"], include=["embeddings"])
    hit = other.query(np.asarray(vector["embeddings"][0]), 1)[0]  # ...yet the article is found
    assert (hit.chunk_id, hit.title, hit.text) == (
        "bbbbbbbbbbbb:0001",
        "Bravo",
        text[hit.start : hit.end],
    )
    assert other.hits(["bbbbbbbbbbbb:0000"])[0].title == "Bravo"


def test_whole_collections_are_read_page_by_page(
    store: ChromaStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for seed, article_id in enumerate(("aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"), start=1):
        put(store, article_id, article_id[:1].upper(), seed=seed)
    chunks = store.chunk_rows.count()
    monkeypatch.setattr("kb.store._PAGE", 2)  # Chroma fails on one get of ~100k rows
    store._changed()  # read the registry again, in pages
    assert [a.title for a in store.articles()] == ["A", "B", "C"]
    assert len(store.chunk_texts()[0]) == chunks and len(store.signatures()) == 3
    assert store.sweep() == 0


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


# --- the embedding backend a knowledge base was built with ------------------------------------------
INT8 = Settings(embed=EmbedSettings(backend="minilm-int8"))


def backend_of(knowledge_base: KnowledgeBase) -> str:
    return knowledge_base.store.chunk_rows.metadata["embed_backend"]  # type: ignore[attr-defined]


def test_another_backend_is_refused(kb: KnowledgeBase, kb_home: Path) -> None:
    put(kb.store, "aaaaaaaaaaaa", "Alpha", seed=1)  # type: ignore[arg-type]
    assert backend_of(kb) == "minilm"
    with pytest.raises(StoreMismatch) as caught:
        KnowledgeBase(kb_home, INT8)
    message = str(caught.value)
    assert "'minilm'" in message and "'minilm-int8'" in message
    assert "KB_EMBED_BACKEND=minilm," in message  # the setting that opens it
    # Refusing changed nothing: it still opens with its own backend, with its article.
    again = KnowledgeBase(kb_home, Settings())
    assert backend_of(again) == "minilm"
    assert [a.id for a in again.articles()] == ["aaaaaaaaaaaa"]


def test_a_fresh_home_keeps_int8(kb_home: Path) -> None:
    first = KnowledgeBase(kb_home, INT8)
    assert backend_of(first) == "minilm-int8"
    put(first.store, "aaaaaaaaaaaa", "Alpha", seed=1)  # type: ignore[arg-type]
    again = KnowledgeBase(kb_home, INT8)
    assert backend_of(again) == "minilm-int8"
    assert [a.id for a in again.articles()] == ["aaaaaaaaaaaa"]
    with pytest.raises(StoreMismatch) as caught:
        KnowledgeBase(kb_home, Settings())
    message = str(caught.value)
    assert "'minilm-int8', not 'minilm'" in message
    assert "KB_EMBED_BACKEND=minilm-int8" in message


def test_another_prefix_in_the_same_home_may_use_another_backend(
    kb: KnowledgeBase, kb_home: Path
) -> None:
    put(kb.store, "aaaaaaaaaaaa", "Alpha", seed=1)  # type: ignore[arg-type]
    other = KnowledgeBase(kb_home, INT8.model_copy(update={"store": StoreSettings(prefix="other")}))
    assert backend_of(other) == "minilm-int8" and other.articles() == []
    assert backend_of(KnowledgeBase(kb_home, Settings())) == "minilm"


def test_a_store_from_before_the_backend_was_recorded(tmp_path: Path) -> None:
    """Chunks without a recorded backend are minilm vectors; an empty one takes the configured."""
    import chromadb

    def legacy(home: Path, rows: int) -> None:
        client = chromadb.PersistentClient(
            path=str(home / "chroma"), settings=chromadb.Settings(anonymized_telemetry=False)
        )
        chunks = client.get_or_create_collection(
            "kb_chunks", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        if rows:
            chunks.upsert(
                ids=["aaaaaaaaaaaa:0000"],
                embeddings=unit(1),
                documents=["old"],
                metadatas=[{"article_id": "aaaaaaaaaaaa", "index": 0, "start": 0, "end": 3}],
            )
        assert not (chunks.metadata or {}).get("embed_backend")

    legacy(tmp_path / "with-chunks", rows=1)
    with pytest.raises(StoreMismatch, match="KB_EMBED_BACKEND=minilm,"):
        KnowledgeBase(tmp_path / "with-chunks", INT8)
    assert backend_of(KnowledgeBase(tmp_path / "with-chunks", Settings())) == "minilm"

    legacy(tmp_path / "empty", rows=0)
    assert backend_of(KnowledgeBase(tmp_path / "empty", INT8)) == "minilm-int8"


def test_an_empty_home_takes_the_backend_that_opens_it(kb_home: Path) -> None:
    assert backend_of(KnowledgeBase(kb_home, Settings())) == "minilm"  # opened, nothing stored
    assert backend_of(KnowledgeBase(kb_home, INT8)) == "minilm-int8"
