"""Derived indexes kept under the store's generation: built once per generation, saved for the
next process, never read when stale, damaged or written by other code."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kb.api import KnowledgeBase
from kb.derived import DerivedCache, code_stamp, signing_key
from kb.lexical import LexicalIndex
from kb.links import Links
from kb.settings import Settings


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"built": self.calls}


class Store:
    """What a DerivedCache asks of the store: its token now, and its row counts."""

    def __init__(self, token: str = "g1", counts: str = "3/9") -> None:
        self.token = token
        self.counts = counts

    def cache(self, folder: Path | None, key: bytes | None = b"k" * 32) -> DerivedCache:
        return DerivedCache(folder, "kb", lambda: self.token, lambda: self.counts, key)


def test_built_once_per_generation_and_loaded_by_the_next_process(tmp_path: Path) -> None:
    build, store = Counting(), Store()
    cache = store.cache(tmp_path)
    assert cache.get("bm25", "g1", build) == {"built": 1}
    assert cache.get("bm25", "g1", build) == {"built": 1} and build.calls == 1
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"kb-bm25-{code_stamp()}-g1.pickle"]

    later = store.cache(tmp_path)  # another process: nothing in memory
    assert later.get("bm25", "g1", build) == {"built": 1} and build.calls == 1  # loaded
    store.token = "g2"  # the store changed
    assert later.get("bm25", "g2", build) == {"built": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"kb-bm25-{code_stamp()}-g2.pickle"]
    assert cache.get("bm25", "g2", build) == {"built": 2} and build.calls == 2  # loaded


def test_names_and_prefixes_are_kept_apart(tmp_path: Path) -> None:
    store = Store()
    one = store.cache(tmp_path)
    other = DerivedCache(tmp_path, "other", lambda: "g", lambda: "3/9", b"k" * 32)
    store.token = "g"
    assert one.get("links", "g", lambda: "links") == "links"
    assert one.get("bm25", "g", lambda: "bm25") == "bm25"
    assert other.get("links", "g", lambda: "other links") == "other links"
    assert store.cache(tmp_path).get("links", "g", lambda: "rebuilt") == "links"
    assert other.get("links", "g", lambda: "rebuilt") == "other links"


def test_a_file_signed_by_another_key_or_damaged_is_never_loaded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store()
    store.cache(tmp_path, key=b"someone else's key").get("bm25", "g1", lambda: "planted")
    with caplog.at_level(logging.WARNING, logger="kb.derived"):
        assert store.cache(tmp_path).get("bm25", "g1", lambda: "ours") == "ours"
    assert "not signed by this user" in caplog.text
    assert store.cache(tmp_path).get("bm25", "g1", lambda: "again") == "ours"  # now ours
    (saved,) = tmp_path.iterdir()
    saved.write_bytes(saved.read_bytes()[:-3])  # a disk that filled up
    assert store.cache(tmp_path).get("bm25", "g1", lambda: "rebuilt") == "rebuilt"


def test_files_of_other_code_and_killed_writers_are_never_read_and_go(tmp_path: Path) -> None:
    store = Store(token="g")
    store.cache(tmp_path).get("bm25", "g", lambda: "of this code")
    (ours,) = tmp_path.iterdir()
    other_code = tmp_path / "kb-bm25-0123456789ab-g.pickle"  # another version of kb
    ours.rename(other_code)  # signed, same generation and counts: only the code differs
    half = tmp_path / f".kb-bm25-{code_stamp()}-g.pickle.123.456"  # a writer killed mid-way
    half.write_bytes(b"half")
    assert store.cache(tmp_path).get("bm25", "g", lambda: "built") == "built"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"kb-bm25-{code_stamp()}-g.pickle"]


def test_a_file_whose_store_counts_changed_is_built_again(tmp_path: Path) -> None:
    """A writer killed after deleting an article but before its new token."""
    store = Store(token="g", counts="3/9")
    store.cache(tmp_path).get("bm25", "g", lambda: "with the deleted article")
    store.counts = "2/6"
    assert store.cache(tmp_path).get("bm25", "g", lambda: "rebuilt") == "rebuilt"
    assert store.cache(tmp_path).get("bm25", "g", lambda: "again") == "rebuilt"  # saved anew


def test_a_build_for_an_older_token_neither_replaces_nor_deletes_the_newest(
    tmp_path: Path,
) -> None:
    store = Store(token="g2")
    cache = store.cache(tmp_path)
    assert cache.get("bm25", "g2", lambda: "newest") == "newest"
    # A search pinned to g1 before the write: its value is built for it, and not kept.
    assert cache.get("bm25", "g1", lambda: "older") == "older"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"kb-bm25-{code_stamp()}-g2.pickle"]
    assert cache.get("bm25", "g2", lambda: "rebuilt") == "newest"  # still held
    assert store.cache(tmp_path).get("bm25", "g2", lambda: "rebuilt") == "newest"  # and saved


def test_without_a_key_a_folder_or_a_writable_one_it_still_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build, store = Counting(), Store(token="g")
    memory_only = store.cache(None)
    assert memory_only.get("bm25", "g", build) == memory_only.get("bm25", "g", build)
    assert build.calls == 1
    unsigned = store.cache(tmp_path / "derived", key=None)
    assert unsigned.get("bm25", "g", build) == {"built": 2}
    assert not (tmp_path / "derived").exists()  # no key: nothing saved
    blocked = tmp_path / "a-file"
    blocked.write_text("where the folder should be")
    with caplog.at_level(logging.WARNING, logger="kb.derived"):
        assert store.cache(blocked).get("bm25", "g", lambda: "built") == "built"
    assert "not saved for the next process" in caplog.text


def test_a_signed_file_renamed_to_another_generation_is_not_loaded(tmp_path: Path) -> None:
    store = Store(token="g1")
    store.cache(tmp_path).get("bm25", "g1", lambda: "of g1")
    (saved,) = tmp_path.iterdir()
    saved.rename(tmp_path / saved.name.replace("-g1.", "-g2."))
    store.token = "g2"
    assert store.cache(tmp_path).get("bm25", "g2", lambda: "built for g2") == "built for g2"


def test_a_key_others_can_read_or_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "cache" / "derived.key"
    assert signing_key(key.parent) is not None
    key.chmod(0o644)
    assert signing_key(key.parent) is None
    key.chmod(0o600)
    key.write_bytes(b"")  # a crash while it was written
    assert signing_key(key.parent) is None
    assert [p.name for p in key.parent.iterdir()] == ["derived.key"]  # no temporary left


def test_the_signing_key_is_made_once_and_private(tmp_path: Path) -> None:
    key = signing_key(tmp_path / "cache")
    assert key is not None and len(key) == 32
    assert signing_key(tmp_path / "cache") == key
    assert ((tmp_path / "cache" / "derived.key").stat().st_mode & 0o777) == 0o600
    blocked = tmp_path / "a-file"
    blocked.write_text("where the folder should be")
    assert signing_key(blocked) is None


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
