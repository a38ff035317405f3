"""The ingestion batch: one result per file, unchanged files are no-ops, changed files replace
their old version, and one bad file never stops the batch."""

from __future__ import annotations

import hashlib
import random
import shutil
import threading
from datetime import datetime
from pathlib import Path

import pytest
from kb_helpers import DATA_DIR, FEW_ARTICLES

from ingest.loaders import bytes_hash
from ingest.pipeline import article_id_for, expand, ingest_files, safe_name, save_uploads
from kb.api import KnowledgeBase
from kb.embed import Embedder
from kb.models import BatchProgress, MetadataEdit
from kb.settings import Settings

VERSION_1 = """Harbor ferry returns

By Lee Park | Bay Courier | 2026-05-01

The harbor ferry returned to service on Friday after a three-month overhaul of its engines.
Ridership on the first day reached 2,400 passengers, the operator said."""

VERSION_2 = """Harbor ferry returns, then breaks down again

By Lee Park | Bay Courier | 2026-05-02

The harbor ferry broke down on Saturday, a day after returning from a three-month overhaul.
The operator said a fuel pump failed and service would resume on Tuesday."""


def counts(kb: KnowledgeBase) -> tuple[int, int, int]:
    store = kb.store
    return store.article_rows.count(), store.chunk_rows.count(), store.summary_rows.count()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_ingest_stores_articles_and_reports_progress(kb: KnowledgeBase) -> None:
    paths = [DATA_DIR / name for name in FEW_ARTICLES[:2]]
    seen: list[BatchProgress] = []
    report = kb.ingest(paths, progress=seen.append)

    assert [r.status for r in report.results] == ["ingested", "ingested"]
    assert [(state.done, state.total) for state in seen] == [(1, 2), (2, 2)]
    assert [state.result for state in seen] == report.results
    assert [state.chunks for state in seen] == [
        report.results[0].chunks,
        report.results[0].chunks + report.results[1].chunks,
    ]
    assert seen[-1].elapsed > 0 and seen[-1].chunks_per_second > 0
    assert seen[-1].eta_seconds == 0.0 and "2/2 files" in seen[-1].describe()
    assert report.ok and report.count("ingested") == 2 and report.count("failed") == 0
    for path, result in zip(paths, report.results, strict=True):
        assert result.path == str(path)
        assert result.reason == ""
        article = kb.article(result.article_id)
        text = article.text or ""
        assert (
            result.article_id
            == article_id_for(text)
            == hashlib.sha256(text.encode()).hexdigest()[:12]
        )
        assert (article.title, article.chunks) == (result.title, result.chunks)
        assert article.location == str(path.resolve())
        assert article.format == path.suffix.lstrip(".")
        assert article.language == "en"
        assert article.content_hash == hashlib.sha256(text.encode()).hexdigest()
        assert article.chars == len(text)
        assert datetime.fromisoformat(article.ingested_at).tzinfo is not None
        stored = kb.store.chunks(result.article_id)
        assert len(stored) == result.chunks > 0
        assert all(text[c.start : c.end] == c.text for c in stored)
    assert counts(kb) == (2, sum(r.chunks for r in report.results), 0)


def test_reingesting_unchanged_files_is_a_no_op(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in FEW_ARTICLES[:2]:
        shutil.copy(DATA_DIR / name, folder / name)
    first = kb.ingest([folder])
    before = counts(kb), [a.model_dump() for a in kb.articles()]

    second = kb.ingest([folder])
    assert [r.status for r in second.results] == ["unchanged", "unchanged"]
    assert [(r.article_id, r.title, r.chunks) for r in second.results] == [
        (r.article_id, r.title, r.chunks) for r in first.results
    ]
    assert second.ok
    assert (counts(kb), [a.model_dump() for a in kb.articles()]) == before
    chunk_ids = kb.store.chunk_rows.get(include=[])["ids"]
    assert len(chunk_ids) == len(set(chunk_ids)) == sum(r.chunks for r in first.results)


def test_a_file_with_the_bytes_it_was_read_from_is_not_read_again(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.pipeline

    read: list[str] = []
    prepare = ingest.pipeline.prepare
    monkeypatch.setattr(
        ingest.pipeline,
        "prepare",
        lambda item, settings: read.append(str(item)) or prepare(item, settings),
    )
    same, edited = (
        write(tmp_path / "same.txt", VERSION_1),
        write(tmp_path / "edited.txt", VERSION_2),
    )
    first = kb.ingest([same, edited])
    assert read == [str(same), str(edited)]
    stored = kb.article(first.results[0].article_id)
    assert stored.bytes_hash == bytes_hash(same.read_bytes())

    read.clear()
    edited.write_text(VERSION_2 + "\n\n\n", encoding="utf-8")  # new bytes, the same clean text
    second = kb.ingest([same, edited], edit=MetadataEdit(tags=["ferries"]))
    assert read == [str(edited)]  # only the file whose bytes changed was read again
    assert [r.status for r in second.results] == ["unchanged", "unchanged"]
    assert all("ferries" in kb.article(r.article_id).tags for r in second.results)

    read.clear()  # the edited file's new bytes were recorded: neither is read now
    assert [r.status for r in kb.ingest([same, edited]).results] == ["unchanged", "unchanged"]
    assert read == []


def test_an_article_stored_before_its_bytes_were_hashed_is_read_once_more(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = write(tmp_path / "old.txt", VERSION_1)
    article_id = kb.ingest([path]).results[0].article_id
    kb.store.update_article(kb.article(article_id).model_copy(update={"bytes_hash": ""}))

    assert kb.ingest([path]).results[0].status == "unchanged"
    assert kb.article(article_id).bytes_hash == bytes_hash(path.read_bytes())


def test_same_content_at_another_path_is_the_same_article(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    original = write(tmp_path / "a" / "ferry.txt", VERSION_1)
    copy = write(tmp_path / "b" / "ferry-copy.md", VERSION_1)
    [first] = kb.ingest([original]).results
    [second] = kb.ingest([copy]).results
    assert second.status == "duplicate" and second.article_id == first.article_id
    assert len(kb.articles()) == 1
    assert kb.articles()[0].location == str(original.resolve())


def test_changed_file_replaces_its_old_version(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = write(tmp_path / "ferry.txt", VERSION_1)
    other = kb.ingest([DATA_DIR / FEW_ARTICLES[0]]).results[0]
    [old] = kb.ingest([path]).results
    kb.summary(old.article_id)
    assert kb.store.summary_rows.get(ids=[old.article_id], include=[])["ids"]

    write(path, VERSION_2)
    [new] = kb.ingest([path]).results
    assert new.status == "ingested" and new.article_id != old.article_id
    assert new.title == "Harbor ferry returns, then breaks down again"
    assert kb.store.article_rows.get(ids=[old.article_id], include=[])["ids"] == []
    assert kb.store.chunk_rows.get(where={"article_id": old.article_id}, include=[])["ids"] == []
    assert kb.store.summary_rows.get(ids=[old.article_id], include=[])["ids"] == []
    assert {a.id for a in kb.articles()} == {other.article_id, new.article_id}
    assert kb.article(new.article_id).location == str(path.resolve())
    hits = kb.search("harbor ferry overhaul", k=10)
    assert old.article_id not in {h.article_id for h in hits}
    assert counts(kb) == (2, other.chunks + new.chunks, 0)


def test_a_changed_file_reports_the_id_it_replaced(kb: KnowledgeBase, tmp_path: Path) -> None:
    """The article's id changes with its text: a user holding the old id should know."""
    path = write(tmp_path / "ferry.txt", VERSION_1)
    [old] = kb.ingest([path]).results
    write(path, VERSION_2)
    [new] = kb.ingest([path]).results
    assert new.reason == f"replaced the old article {old.article_id} → {new.article_id}"
    assert old.reason == ""


def test_changing_a_file_back_restores_the_first_version(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = write(tmp_path / "ferry.txt", VERSION_1)
    [v1] = kb.ingest([path]).results
    write(path, VERSION_2)
    kb.ingest([path])
    write(path, VERSION_1)
    [again] = kb.ingest([path]).results
    assert (again.status, again.article_id) == ("ingested", v1.article_id)
    assert [a.id for a in kb.articles()] == [v1.article_id]


def test_file_changed_to_content_of_another_file_drops_its_old_version(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    first = write(tmp_path / "first.txt", VERSION_1)
    second = write(tmp_path / "second.txt", VERSION_2)
    [old, kept] = kb.ingest([first, second]).results
    write(first, VERSION_2)  # first.txt now holds what second.txt holds
    kb.ingest([first])
    assert [a.id for a in kb.articles()] == [kept.article_id]
    assert old.article_id not in {h.article_id for h in kb.search("harbor ferry", k=10)}


def test_bad_files_fail_alone_with_clear_reasons(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "home", Settings(max_file_mb=0.01))
    files = tmp_path / "batch"
    good_txt = write(files / "good.txt", VERSION_1)
    empty = write(files / "empty.txt", "")
    blank = write(files / "blank.md", "  \n\n \n")
    (files / "corrupt.pdf").write_bytes(random.Random(1).randbytes(3000))
    (files / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    unsupported = write(files / "notes.xyz", "Plain text with an unknown extension.")
    big = write(files / "big.txt", "A sentence that repeats. " * 800)  # 20 KB, over 0.01 MB
    good_md = write(files / "good.md", VERSION_2)
    missing = files / "missing.txt"
    paths = [
        good_txt,
        empty,
        blank,
        files / "corrupt.pdf",
        files / "corrupt.docx",
        unsupported,
        big,
        missing,
        good_md,
    ]
    report = kb.ingest(paths)

    by_name = {Path(r.path).name: r for r in report.results}
    assert [Path(r.path).name for r in report.results] == [p.name for p in paths]
    assert [r.status for r in report.results] == ["ingested"] + ["failed"] * 7 + ["ingested"]
    reasons = {name: r.reason for name, r in by_name.items() if r.status == "failed"}
    assert reasons["empty.txt"] == "the file is empty"
    assert reasons["blank.md"] == "the MD file holds only whitespace (spaces, tabs or blank lines)"
    assert reasons["corrupt.pdf"].startswith("the PDF is damaged or not a PDF")
    assert reasons["corrupt.docx"].startswith("could not parse this DOCX file")
    assert reasons["notes.xyz"].startswith("unsupported file type '.xyz'")
    assert "over the" in reasons["big.txt"] and "KB_MAX_FILE_MB" in reasons["big.txt"]
    assert reasons["missing.txt"] == "no such file or folder"
    for result in report.results:
        if result.status == "failed":
            assert (result.article_id, result.title, result.chunks) == ("", "", 0)
    assert report.ok and report.count("failed") == 7
    assert {a.title for a in kb.articles()} == {
        by_name["good.txt"].title,
        by_name["good.md"].title,
    }
    assert counts(kb)[:2] == (2, by_name["good.txt"].chunks + by_name["good.md"].chunks)


def test_all_failed_batch_is_not_ok(kb: KnowledgeBase, tmp_path: Path) -> None:
    report = kb.ingest([write(tmp_path / "empty.txt", ""), tmp_path / "nothing-here.md"])
    assert [r.status for r in report.results] == ["failed", "failed"]
    assert not report.ok
    assert kb.ingest([]).results == [] and not kb.ingest([]).ok
    assert counts(kb) == (0, 0, 0)


def test_folders_are_expanded_recursively_without_hidden_or_unsupported_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "library"
    for name in ["b.txt", "a.MD", "sub/c.html", "sub/deeper/d.pdf", "e.docx", "f.htm"]:
        write(root / name, "x")
    for name in [".hidden.txt", ".git/config.md", "sub/.cache/x.txt", "g.xyz", "h.png", "README"]:
        write(root / name, "x")
    single = write(tmp_path / "loose.rtf", "x")
    (root / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    found, skipped = expand([root, single])
    # what the folder holds and is not read is said (ingest lists it), not silently dropped
    assert skipped == [  # a hidden folder once, not file by file
        f"{root / '.git'} (hidden)",
        f"{root / '.hidden.txt'} (hidden)",
        f"{root / 'README'} (not a supported type)",
        f"{root / 'g.xyz'} (not a supported type)",
        f"{root / 'gone.txt'} (a link to a missing file)",
        f"{root / 'h.png'} (not a supported type)",
        f"{root / 'sub' / '.cache'} (hidden)",
    ]
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "library/a.MD",
        "library/b.txt",
        "library/e.docx",
        "library/f.htm",
        "library/sub/c.html",
        "library/sub/deeper/d.pdf",
        "loose.rtf",  # named directly: kept, so it gets a clear "unsupported" result
    ]


def test_ingesting_a_folder(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    write(folder / "one.txt", VERSION_1)
    write(folder / ".trash" / "old.txt", VERSION_2)
    write(folder / "sub" / "skip.xyz", "not an article")
    report = kb.ingest([folder])
    assert [(Path(r.path).name, r.status) for r in report.results] == [("one.txt", "ingested")]


@pytest.mark.parametrize("address", ["ftp://example.com/x.txt", "file:///etc/hostname"])
def test_an_address_of_another_scheme_is_refused_as_such(kb: KnowledgeBase, address: str) -> None:
    [result] = kb.ingest([address]).results
    scheme = address.partition(":")[0]
    assert (result.path, result.status) == (address, "failed")
    assert result.reason == f"{scheme}:// addresses are not supported (only http:// and https://)"


def test_a_new_version_of_an_edited_article_keeps_the_edits(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = write(tmp_path / "ferry.txt", VERSION_1)
    [first] = kb.ingest([path]).results
    mine = MetadataEdit(title="My Title", source="RW edited", date="2026-04-03", tags=["council"])
    kb.edit(first.article_id, mine)
    write(path, VERSION_1 + "\n\nThe operator thanked the crew.")
    [second] = kb.ingest([path]).results
    assert second.status == "ingested" and second.title == "My Title"
    new = kb.article(second.article_id)
    assert (new.title, new.source, new.date, new.tags) == (
        "My Title",
        "RW edited",
        "2026-04-03",
        ["council"],
    )
    assert [a.id for a in kb.articles()] == [new.id]


def test_a_new_version_takes_what_its_text_says_where_nothing_was_edited(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = write(tmp_path / "ferry.txt", VERSION_1)
    [first] = kb.ingest([path]).results
    assert kb.article(first.article_id).source == "Bay Courier"  # from the byline
    kb.edit(first.article_id, MetadataEdit(source="Harbor Desk"))
    write(path, VERSION_2)
    [second] = kb.ingest([path]).results
    new = kb.article(second.article_id)
    assert (new.title, new.date, new.source) == (
        "Harbor ferry returns, then breaks down again",
        "2026-05-02",
        "Harbor Desk",
    )


def story_page(title: str, day: str, body: str) -> str:
    """A news page whose title, date and source come from its meta tags, not its text."""
    return f"""<html><head><title>{title}</title>
<meta property="og:site_name" content="Harbor Weekly">
<meta property="article:published_time" content="{day}"></head>
<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"""


FERRY_BACK = "The harbor ferry returned to service on Friday after a three-month overhaul."
FERRY_DOWN = "The harbor ferry broke down on Saturday, a day after returning from its overhaul."


def test_a_new_version_of_a_web_page_takes_its_new_title_and_date_when_nothing_was_edited(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = write(tmp_path / "story.html", story_page("Ferry back", "2026-03-01", FERRY_BACK))
    [first] = kb.ingest([path]).results
    old = kb.article(first.article_id)
    assert (old.title, old.date, old.source) == ("Ferry back", "2026-03-01", "Harbor Weekly")
    write(path, story_page("Ferry down again", "2026-03-05", FERRY_DOWN))
    [second] = kb.ingest([path]).results
    new = kb.article(second.article_id)
    assert (new.title, new.date, new.source) == ("Ferry down again", "2026-03-05", "Harbor Weekly")
    assert [a.id for a in kb.articles()] == [new.id] and new.edited == []


def test_an_edited_title_survives_a_new_version_of_a_web_page_whose_date_follows_the_file(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = write(tmp_path / "story.html", story_page("Ferry back", "2026-03-01", FERRY_BACK))
    [first] = kb.ingest([path]).results
    kb.edit(first.article_id, MetadataEdit(title="My ferry story"))
    write(path, story_page("Ferry down again", "2026-03-05", FERRY_DOWN))
    [second] = kb.ingest([path]).results
    new = kb.article(second.article_id)
    assert (new.title, new.date) == ("My ferry story", "2026-03-05")
    assert new.edited == ["title"]
    write(path, story_page("Ferry back for good", "2026-03-09", FERRY_BACK + " It stayed."))
    [third] = kb.ingest([path]).results  # the edit is still the user's on the version after
    assert (kb.article(third.article_id).title, kb.article(third.article_id).date) == (
        "My ferry story",
        "2026-03-09",
    )


def test_article_ids_come_from_the_clean_text() -> None:
    assert article_id_for("same text") == article_id_for("same text")
    assert article_id_for("same text") != article_id_for("same text.")
    assert len(article_id_for("x")) == 12


# --- uploads (files given as name + bytes, e.g. by the UI) ---------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\report.docx", "report.docx"),
        ("  notes.md ", "notes.md"),
        ("bad\x00name\x1b.txt", "badname.txt"),
        ("", "upload-4"),
        ("..", "upload-4"),
        ("folder/", "upload-4"),
    ],
)
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name, 4) == expected


def test_save_uploads_stays_in_its_folder_and_keeps_same_named_files(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    paths = save_uploads(
        folder, [("../a.txt", b"one"), ("a.txt", b"two"), ("sub/b.md", b"three"), ("", b"four")]
    )
    assert [p.relative_to(folder).as_posix() for p in paths] == [
        "a.txt",
        "a-2.txt",
        "b.md",
        "upload-3",
    ]
    assert [p.read_bytes() for p in paths] == [b"one", b"two", b"three", b"four"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uploads"]


def test_uploads_saved_at_once_under_one_name_keep_every_file(tmp_path: Path) -> None:
    """Two UI sessions upload an `article.txt` at the same moment: neither overwrites the other."""
    folder, start = tmp_path / "uploads", threading.Barrier(8)
    saved: dict[bytes, Path] = {}

    def upload(data: bytes) -> None:
        start.wait()
        [saved[data]] = save_uploads(folder, [("article.txt", data)])

    threads = [threading.Thread(target=upload, args=(b"story %d" % n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(saved.values())) == 8
    assert all(path.read_bytes() == data for data, path in saved.items())


def test_an_upload_never_replaces_an_article_uploaded_under_the_same_name(
    kb: KnowledgeBase,
) -> None:
    """An unrelated article named like an earlier one (article.txt, scan.pdf) cannot be told
    from a new version by its name: it is stored beside it, and nothing is lost."""
    [first] = kb.ingest_uploads([("ferry.txt", VERSION_1.encode())]).results
    assert first.status == "ingested"
    assert Path(first.path) == kb.settings.home / "uploads" / "ferry.txt"
    [same] = kb.ingest_uploads([("ferry.txt", VERSION_1.encode())]).results
    assert (same.status, same.article_id, same.path) == ("unchanged", first.article_id, first.path)
    [other] = kb.ingest_uploads([("ferry.txt", VERSION_2.encode())]).results
    assert other.status == "ingested"
    assert Path(other.path).name == "ferry-2.txt"
    assert {a.id for a in kb.articles()} == {first.article_id, other.article_id}
    assert Path(first.path).read_text(encoding="utf-8") == VERSION_1
    [again] = kb.ingest_uploads([("ferry.txt", VERSION_2.encode())]).results
    assert (again.status, again.path) == ("unchanged", other.path)


def test_a_bad_upload_fails_alone(kb: KnowledgeBase) -> None:
    report = kb.ingest_uploads([("empty.txt", b""), ("ferry.md", VERSION_1.encode())])
    assert [(Path(r.path).name, r.status) for r in report.results] == [
        ("empty.txt", "failed"),
        ("ferry.md", "ingested"),
    ]
    assert report.results[0].reason == "the file is empty"


def test_an_upload_with_a_very_long_name_does_not_sink_the_batch(kb: KnowledgeBase) -> None:
    long_name = "報告" * 60 + ".txt"  # 124 characters, 364 bytes in UTF-8
    report = kb.ingest_uploads([("ferry.txt", VERSION_1.encode()), (long_name, VERSION_2.encode())])
    assert len(report.results) == 2
    assert report.results[0].status == "ingested"


def test_same_text_elsewhere_is_recorded_as_an_extra_location(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    first = write(tmp_path / "a" / "ferry.txt", VERSION_1)
    copy = write(tmp_path / "b" / "ferry-copy.txt", VERSION_1)
    [original, duplicate] = kb.ingest([first, copy]).results
    assert (duplicate.status, duplicate.article_id) == ("duplicate", original.article_id)
    assert duplicate.reason == f"same text as {first.resolve()}"
    assert len(kb.articles()) == 1
    assert kb.article(original.article_id).also_at == [str(copy.resolve())]
    assert kb.store.chunk_rows.count() == original.chunks  # not stored twice
    assert [r.status for r in kb.ingest([copy]).results] == ["unchanged"]

    write(copy, VERSION_2)  # the copy is edited: it becomes an article of its own
    [edited] = kb.ingest([copy]).results
    assert edited.status == "ingested"
    assert kb.article(original.article_id).also_at == []
    assert len(kb.articles()) == 2


def test_metadata_set_at_ingest_and_edited_later(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = write(tmp_path / "ferry.txt", VERSION_1)
    edit = MetadataEdit(source="Harbor Weekly", date="2026-05-01", tags=["ferry", " port ", ""])
    [result] = kb.ingest([path], edit=edit).results
    article = kb.article(result.article_id)
    assert (article.source, article.date, article.tags) == (
        "Harbor Weekly",
        "2026-05-01",
        ["ferry", "port"],
    )
    assert [a.id for a in kb.store.articles(where={"tags": {"$contains": "port"}})] == [article.id]

    kb.edit(article.id, MetadataEdit(title="Ferry back", tags=[]))
    again = kb.article(article.id)
    assert (again.title, again.tags, again.source) == ("Ferry back", [], "Harbor Weekly")
    assert kb.search("harbor ferry", k=1)[0].title == "Ferry back"
    # Re-ingesting the unchanged file with a tag adds it to the stored article.
    kb.ingest([path], edit=MetadataEdit(tags=["archive"]))
    assert kb.article(article.id).tags == ["archive"]


def test_near_duplicates_are_linked_both_ways_and_unlinked_on_delete(
    kb: KnowledgeBase, tmp_path: Path, data_dir: Path
) -> None:
    original = (data_dir / "millbrook-flood-ledger.md").read_text()
    syndicated = original.replace("thirty-one years", "three decades").replace(
        "The Millbrook Ledger", "Valley Syndicate"
    )
    unrelated = data_dir / "voltaic-vx40-consumer-safety.md"
    paths = [write(tmp_path / "ledger.md", original), write(tmp_path / "copy.md", syndicated)]
    first, second, third = kb.ingest([*paths, unrelated]).results
    assert [r.status for r in (first, second, third)] == ["ingested"] * 3
    assert first.article_id != second.article_id
    assert second.reason.startswith(f"near-duplicate of {first.article_id} (")
    assert third.reason == ""
    assert kb.article(first.article_id).near_duplicates == [second.article_id]
    assert kb.article(second.article_id).near_duplicates == [first.article_id]
    assert kb.article(third.article_id).near_duplicates == []

    kb.delete(second.article_id)
    assert kb.article(first.article_id).near_duplicates == []


def test_editing_one_copy_keeps_the_article_at_its_other_location(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    first = write(tmp_path / "a.txt", VERSION_1)
    second = write(tmp_path / "b.txt", VERSION_1)
    [kept, _] = kb.ingest([first, second], edit=MetadataEdit(tags=["harbor"])).results
    write(first, VERSION_2)
    [edited] = kb.ingest([first]).results
    assert edited.status == "ingested"
    old = kb.article(kept.article_id)  # still there: b.txt holds its text
    assert (old.location, old.also_at) == (str(second.resolve()), [])
    assert kb.article(edited.article_id).tags == ["harbor"]  # the new version keeps its tags
    assert [r.status for r in kb.ingest([second]).results] == ["unchanged"]


def test_a_crash_while_retiring_the_old_version_is_finished_by_the_next_batch(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "ferry.txt", VERSION_1)
    [old] = kb.ingest([path]).results
    write(path, VERSION_2)
    real_delete = kb.store.delete_article

    def crash(article_id: str) -> bool:
        raise RuntimeError("power cut")

    monkeypatch.setattr(kb.store, "delete_article", crash)
    [interrupted] = kb.ingest([path]).results
    assert interrupted.status == "failed"
    assert len(kb.articles()) == 2  # both versions claim the file for now
    monkeypatch.setattr(kb.store, "delete_article", real_delete)
    kb.ingest([])  # any next batch settles it
    [kept] = kb.articles()
    assert (
        kept.id != old.article_id and kept.title == "Harbor ferry returns, then breaks down again"
    )
    assert old.article_id not in {h.article_id for h in kb.search("harbor ferry", k=10)}


def test_an_article_moved_to_its_copy_is_read_again_there(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    first = write(tmp_path / "a.txt", VERSION_1)
    copy = write(tmp_path / "b.txt", VERSION_1 + "\n\n")  # other bytes, the same clean text
    report = kb.ingest([first, copy])
    assert [r.status for r in report.results] == ["ingested", "duplicate"]
    write(first, VERSION_2)  # a.txt now holds another text: the article lives on at b.txt
    kb.ingest([first])
    moved = kb.article(report.results[0].article_id)
    assert moved.location == str(copy.resolve())
    assert moved.bytes_hash == ""  # a.txt's old bytes say nothing about b.txt's


def test_a_store_error_on_an_unchanged_file_fails_that_file_only(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = write(tmp_path / "old.txt", VERSION_1)
    kb.ingest([old])
    new = write(tmp_path / "new.txt", VERSION_2)

    def broken(article: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(kb.store, "update_article", broken)
    report = kb.ingest([old, new], edit=MetadataEdit(tags=["ferries"]))
    assert [r.status for r in report.results] == ["failed", "ingested"]
    assert "disk full" in report.results[0].reason


def test_the_model_loads_while_files_are_read_and_never_for_unchanged_ones(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    asked: list[str] = []

    def model() -> Embedder:
        asked.append(threading.current_thread().name)
        return kb.embedder

    path = write(tmp_path / "a.txt", VERSION_1)
    assert ingest_files([path], kb.store, model, kb.settings).results[0].status == "ingested"
    assert "load-model" in asked  # on its own thread, from the start of the batch
    asked.clear()
    assert ingest_files([path], kb.store, model, kb.settings).results[0].status == "unchanged"
    assert asked == []


def test_a_model_that_cannot_load_fails_the_files_not_the_thread(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unhandled: list[object] = []
    monkeypatch.setattr(threading, "excepthook", unhandled.append)

    def model() -> Embedder:
        raise RuntimeError("no model in this cache")

    report = ingest_files([write(tmp_path / "a.txt", VERSION_1)], kb.store, model, kb.settings)
    for thread in threading.enumerate():
        if thread.name == "load-model":
            thread.join()
    assert report.results[0].status == "failed"
    assert "no model in this cache" in report.results[0].reason
    assert unhandled == []  # no traceback printed from the loading thread


def test_front_matter_tags_and_source_are_the_articles(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A Markdown post's front matter named its tags; the article had none."""
    post = write(
        tmp_path / "post.md",
        "---\ntitle: Why we moved to Rust\nauthor: Priya Raman\ndate: 2025-11-02\n"
        "tags: [rust, tooling]\nsource: Raman Dev Blog\n---\n\n"
        "We moved our build tooling to Rust last spring, and compile times fell by half.\n",
    )
    [result] = kb.ingest([post]).results
    article = kb.article(result.article_id)
    assert (article.title, article.author, article.date[:10]) == (
        "Why we moved to Rust", "Priya Raman", "2025-11-02",
    )  # fmt: skip
    assert (article.source, article.tags) == ("Raman Dev Blog", ["rust", "tooling"])
    assert "tags:" not in (article.text or "")
    # A tag the user removed stays removed when the file changes (it came back each version).
    kb.edit(result.article_id, MetadataEdit(tags=["tooling"]))
    post.write_text(post.read_text() + "\nUpdate: the tests now run in half the time too.\n")
    [again] = kb.ingest([post]).results
    assert kb.article(again.article_id).tags == ["tooling"]


def test_front_matter_tags_are_one_however_cased(kb: KnowledgeBase, tmp_path: Path) -> None:
    post = write(tmp_path / "p.md", "---\ntags: [Rust, rust, CLI]\n---\n\nWe moved to Rust.\n")
    [result] = kb.ingest([post]).results
    assert kb.article(result.article_id).tags == ["CLI", "Rust"]


def test_files_before_a_big_one_are_stored_before_it_is_embedded(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """`kb ingest small1 small2 big small3` stored nothing while the 5 MB file was embedded
    (11 minutes): the small files waited in its embedding group, and an interrupt lost them."""
    paragraphs = (
        f"Section {n}: the harbour budget line {n} rose by {n} percent this year, the audit"
        f" of the port authority found. " * 6
        for n in range(60)
    )
    files = [
        write(tmp_path / "small1.txt", VERSION_1),
        write(tmp_path / "small2.txt", VERSION_2),
        write(tmp_path / "big.txt", "Harbour audit\n\n" + "\n\n".join(paragraphs)),
    ]
    stored_when_reported: dict[str, set[str]] = {}

    def progress(state: BatchProgress) -> None:
        stored = {Path(article.location).name for article in kb.store.articles()}
        stored_when_reported[Path(state.result.path).name] = stored

    report = kb.ingest(files, progress=progress)
    assert report.results[2].chunks > 32  # over the first embedding group
    assert stored_when_reported["small1.txt"] == {"small1.txt", "small2.txt"}
    assert stored_when_reported["big.txt"] == {"small1.txt", "small2.txt", "big.txt"}


def test_an_unchanged_file_given_a_new_title_says_its_title_was_updated(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """It printed "= unchanged: fresh.txt — X" as if nothing had changed."""
    path = write(tmp_path / "fresh.txt", VERSION_1)
    kb.ingest([path])
    [result] = kb.ingest([path], edit=MetadataEdit(title="Ferry times")).results
    assert (result.status, result.title, result.reason) == (
        "unchanged",
        "Ferry times",
        "title updated",
    )
    [again] = kb.ingest([path], edit=MetadataEdit(title="Ferry times")).results
    assert again.reason == ""  # nothing to update the second time


def test_copies_of_stored_articles_keep_their_metadata_and_say_so(
    kb: KnowledgeBase, tmp_path: Path, data_dir: Path
) -> None:
    """An upload of copies of stored files with a source renamed every article's source ('The
    Millbrook Ledger' left every source filter) and a title the user had edited, and said only
    'same text as …'. A copy's title, source and date fill only empty fields; its tags add."""
    ledger = Path(shutil.copy(data_dir / "millbrook-flood-ledger.md", tmp_path / "ledger.md"))
    undated = write(tmp_path / "undated.txt", "Harbor ferry returns\n\n" + FERRY_BACK)
    [stored, _] = kb.ingest([ledger, undated]).results
    kb.edit(stored.article_id, MetadataEdit(title="My flood story"))
    batch = MetadataEdit(source="Test Desk", date="2026-05-09", tags=["s18"])

    copies = [(name, path.read_bytes()) for name, path in [("a.md", ledger), ("b.txt", undated)]]
    flood, ferry = kb.ingest_uploads(copies, edit=batch).results
    assert [flood.status, ferry.status] == ["duplicate", "duplicate"]
    assert flood.reason == (
        f"same text as {ledger.resolve()}; tags added; "
        "source kept as The Millbrook Ledger (not Test Desk); "
        "date kept as 2026-03-14 (not 2026-05-09)"
    )
    kept = kb.article(flood.article_id)
    assert (kept.title, kept.source, kept.date, kept.tags, kept.edited) == (
        "My flood story", "The Millbrook Ledger", "2026-03-14", ["s18"], ["title"],
    )  # fmt: skip
    # The source the file gave it was empty: the batch's fills it, as the date.
    assert ferry.reason == f"same text as {undated.resolve()}; source, date updated; tags added"
    filled = kb.article(ferry.article_id)
    assert (filled.source, filled.date, filled.tags) == ("Test Desk", "2026-05-09", ["s18"])
    # The same copies again are unchanged at their upload names, and still fill nothing.
    again = kb.ingest_uploads(copies, edit=MetadataEdit(source="Other Desk", title="Other"))
    assert [r.status for r in again.results] == ["unchanged", "unchanged"]
    assert again.results[0].reason == (
        "title kept as My flood story (not Other); "
        "source kept as The Millbrook Ledger (not Other Desk)"
    )
    assert kb.article(flood.article_id).source == "The Millbrook Ledger"


def test_the_same_file_given_again_with_a_source_replaces_only_what_its_file_said(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """`kb ingest --source X ferry.txt` again corrects the source read from ferry.txt; a source
    the user set (`kb edit`, or an earlier `--source`) is theirs, and is kept."""
    path = write(tmp_path / "ferry.txt", VERSION_1)
    [first] = kb.ingest([path]).results
    [corrected] = kb.ingest([path], edit=MetadataEdit(source="Harbor Weekly")).results
    assert (corrected.status, corrected.reason) == ("unchanged", "source updated")
    assert kb.article(first.article_id).source == "Harbor Weekly"

    [kept] = kb.ingest([path], edit=MetadataEdit(source="Test Desk", tags=["s18"])).results
    assert (kept.status, kept.reason) == (
        "unchanged",
        "tags added; source kept as Harbor Weekly (not Test Desk)",
    )
    article = kb.article(first.article_id)
    assert (article.source, article.tags) == ("Harbor Weekly", ["s18"])


def test_a_small_file_after_a_big_one_is_stored_first(tmp_path: Path) -> None:
    """A file of more chunks than a whole embedding group is embedded once the batch's other
    files are stored, or the next such file comes (one held at a time): the small file queued
    after it waited for its embedding (minutes, for a 5 MB file)."""
    from kb.settings import IngestSettings

    big, other_big = (DATA_DIR / name for name in FEW_ARTICLES[:2])
    files = [
        big,
        write(tmp_path / "ferry.txt", VERSION_1),
        Path(shutil.copy(big, tmp_path)),
        other_big,
        write(tmp_path / "ferry-2.txt", VERSION_2),
    ]
    settings = Settings(ingest=IngestSettings(workers=0, embed_batch=2))
    knowledge_base = KnowledgeBase(tmp_path / "home", settings)
    reported: list[BatchProgress] = []
    report = knowledge_base.ingest(files, progress=reported.append)

    assert [r.status for r in report.results] == ["ingested"] * 2 + ["duplicate"] + ["ingested"] * 2
    assert min(report.results[n].chunks for n in (0, 3)) > settings.ingest.embed_batch
    assert [state.result.path for state in reported] == [str(files[n]) for n in (1, 0, 2, 4, 3)]
    assert knowledge_base.article(report.results[0].article_id).also_at == [str(files[2].resolve())]


def test_a_near_copy_stored_before_the_held_original_is_linked_both_ways(tmp_path: Path) -> None:
    """A big file is held back, so a shorter near-copy queued after it is stored first: the
    copy's link to the original, not stored yet, is added to the original's own list (it was
    computed before the copy was read), and the two list each other as before."""
    from kb.settings import IngestSettings

    original = (DATA_DIR / "millbrook-flood-ledger.md").read_text(encoding="utf-8")
    shortened = "\n\n".join(original.rstrip().split("\n\n")[:-3])
    files = [write(tmp_path / "ledger.md", original), write(tmp_path / "cut.md", shortened)]
    settings = Settings(ingest=IngestSettings(workers=0, embed_batch=4))
    knowledge_base = KnowledgeBase(tmp_path / "home", settings)
    reported: list[BatchProgress] = []
    held, copy = knowledge_base.ingest(files, progress=reported.append).results

    assert held.chunks > settings.ingest.embed_batch >= copy.chunks
    assert [state.result.path for state in reported] == [str(files[1]), str(files[0])]
    assert copy.reason.startswith(f"near-duplicate of {held.article_id} (")
    assert knowledge_base.article(copy.article_id).near_duplicates == [held.article_id]
    assert knowledge_base.article(held.article_id).near_duplicates == [copy.article_id]
