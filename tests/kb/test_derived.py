"""Derived indexes kept under the store's generation: built once per generation, saved for the
next process, never read when stale, damaged or written by other code."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kb.api import KnowledgeBase
from kb.derived import DerivedCache, code_stamp
from kb.lexical import LexicalIndex
from kb.links import Links
from kb.settings import Settings


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"built": self.calls}


def test_built_once_per_generation_and_loaded_by_the_next_process(tmp_path: Path) -> None:
    build = Counting()
    cache = DerivedCache(tmp_path, "kb")
    assert cache.get("bm25", "g1", build) == {"built": 1}
    assert cache.get("bm25", "g1", build) == {"built": 1} and build.calls == 1
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"kb-bm25-{code_stamp()}-g1.pickle"]

    later = DerivedCache(tmp_path, "kb")  # another process: nothing in memory
    assert later.get("bm25", "g1", build) == {"built": 1} and build.calls == 1  # loaded
    assert later.get("bm25", "g2", build) == {"built": 2}  # the store changed
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"kb-bm25-{code_stamp()}-g2.pickle"]
    assert cache.get("bm25", "g2", build) == {"built": 2} and build.calls == 2  # loaded


def test_names_and_prefixes_are_kept_apart(tmp_path: Path) -> None:
    one, other = DerivedCache(tmp_path, "kb"), DerivedCache(tmp_path, "other")
    assert one.get("links", "g", lambda: "links") == "links"
    assert one.get("bm25", "g", lambda: "bm25") == "bm25"
    assert other.get("links", "g", lambda: "other links") == "other links"
    fresh = DerivedCache(tmp_path, "kb")
    assert fresh.get("links", "g", lambda: "rebuilt") == "links"
    assert DerivedCache(tmp_path, "other").get("links", "g", lambda: "rebuilt") == "other links"


def test_a_damaged_file_is_built_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    DerivedCache(tmp_path, "kb").get("bm25", "g", lambda: list(range(1000)))
    (saved,) = tmp_path.iterdir()
    saved.write_bytes(saved.read_bytes()[:50])  # a disk that filled up
    with caplog.at_level(logging.WARNING, logger="kb.derived"):
        assert DerivedCache(tmp_path, "kb").get("bm25", "g", lambda: "rebuilt") == "rebuilt"
    assert "rebuilding bm25" in caplog.text
    assert DerivedCache(tmp_path, "kb").get("bm25", "g", lambda: "again") == "rebuilt"


def test_files_of_other_code_and_killed_writers_are_never_read_and_go(tmp_path: Path) -> None:
    stale = tmp_path / "kb-bm25-0123456789ab-g.pickle"  # another version of kb, same generation
    stale.write_bytes(b"not a pickle of ours")
    half = tmp_path / f".kb-bm25-{code_stamp()}-g.pickle.123.456"  # a writer killed mid-way
    half.write_bytes(b"half")
    assert DerivedCache(tmp_path, "kb").get("bm25", "g", lambda: "built") == "built"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"kb-bm25-{code_stamp()}-g.pickle"]


def test_without_a_folder_or_a_writable_one_it_still_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build = Counting()
    memory_only = DerivedCache(None, "kb")
    assert memory_only.get("bm25", "g", build) == memory_only.get("bm25", "g", build)
    assert build.calls == 1
    blocked = tmp_path / "a-file"
    blocked.write_text("where the folder should be")
    with caplog.at_level(logging.WARNING, logger="kb.derived"):
        assert DerivedCache(blocked, "kb").get("bm25", "g", lambda: "built") == "built"
    assert "not saved for the next process" in caplog.text


def test_a_new_process_searches_without_rebuilding_and_follows_a_change(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    first = KnowledgeBase(home, Settings())
    first.ingest(
        [data_dir / "millbrook-flood-ledger.md", data_dir / "voltaic-vx40-consumer-safety.md"]
    )
    question = "Who ordered the independent levee review?"
    found = first.search(question, 5)
    assert found and len(list((home / "derived").iterdir())) == 3  # registry, bm25, links

    def no_rebuild(*_: object) -> None:
        raise AssertionError("rebuilt although a saved copy of this generation exists")

    with monkeypatch.context() as patched:
        patched.setattr(LexicalIndex, "_build", no_rebuild)
        patched.setattr("kb.links._build", no_rebuild)
        patched.setattr("kb.store.ChromaStore._read_registry", no_rebuild)
        second = KnowledgeBase(home, Settings())  # what the next `kb ask` opens
        assert second.search(question, 5) == found

    before = {p.name for p in (home / "derived").iterdir()}
    added = (
        second.ingest([data_dir / "harlow-green-line-first-week-ridership.txt"])
        .results[0]
        .article_id
    )
    assert any(
        hit.article_id == added
        for hit in second.search("Green Line ridership in the first week", 5)
    )
    after = {p.name for p in (home / "derived").iterdir()}
    assert len(after) == 3 and not before & after  # the old generation's copies are gone
    assert Links(second.store).graph() is second.links.graph()
