"""Upload: saving uploads under their own names, ingesting them, and the page around it."""

from __future__ import annotations

import fcntl
import http.server
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from _ui_helpers import (
    DATA,
    TIMEOUT,
    HeldLLM,
    assert_no_exception,
    in_page_order,
    open_app,
    rendered_text,
    results_table,
    visible_text,
    wait_for_upload,
)
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.testing.v1 import AppTest

from ingest.pipeline import _MIN_FILES_FOR_WORKERS
from kb import KnowledgeBase
from kb.models import BatchProgress
from ui.upload import JOB, result_rows


def test_ingest_uploads_keeps_files_ingests_and_reports(ui_home: Path) -> None:
    ledger = (DATA / "millbrook-flood-ledger.md").read_bytes()
    files = [
        ("../../millbrook-flood-ledger.md", ledger),
        ("vote.txt", (DATA / "millbrook-council-rebuild-vote.txt").read_bytes()),
        ("same-text-again.md", ledger),
        ("notes.xyz", b"not a supported format"),
    ]
    seen: list[tuple[int, int, str]] = []

    def progress(state: BatchProgress) -> None:
        seen.append((state.done, state.total, state.result.status))

    knowledge_base = KnowledgeBase()
    rows = result_rows(knowledge_base.ingest_uploads(files, progress).results)

    assert [row["file"] for row in rows] == [
        "millbrook-flood-ledger.md",
        "vote.txt",
        "same-text-again.md",
        "notes.xyz",
    ]
    assert [row["status"] for row in rows] == ["ingested", "ingested", "duplicate", "failed"]
    assert rows[0]["title"].startswith("Alder River Breaks Through Fenwick Street Levee")
    assert rows[0]["chunks"] > 0 and rows[0]["reason"] == ""
    assert rows[3]["reason"]  # a readable reason for the failure
    # Progress comes as files finish (a failure at once, articles after their embedding batch).
    assert [(done, total) for done, total, _ in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(status for _, _, status in seen) == [
        "duplicate",
        "failed",
        "ingested",
        "ingested",
    ]
    kept = ui_home / "uploads"
    assert (kept / "millbrook-flood-ledger.md").read_bytes() == ledger  # nothing outside uploads/
    titles = {article.title for article in knowledge_base.articles()}
    assert len(titles) == 2 and rows[1]["title"] in titles

    # A file uploaded under a name taken by other bytes is kept beside it, never replacing it:
    # an upload's name says nothing of which article it is ("article.txt").
    before = {a.id: a for a in knowledge_base.articles()}
    edited = ledger.replace(b"thirty-one years", b"thirty-two years")
    report = knowledge_base.ingest_uploads([("millbrook-flood-ledger.md", edited)])
    assert [r.status for r in report.results] == ["ingested"]
    assert Path(report.results[0].path).name == "millbrook-flood-ledger-2.md"
    after = {a.id: a for a in knowledge_base.articles()}
    assert len(after) == 3 and set(before) < set(after)
    assert (kept / "millbrook-flood-ledger.md").read_bytes() == ledger


def test_upload_page_ingests_files_and_shows_the_results(ui_home: Path) -> None:
    at = open_app()  # Upload is the default page
    assert [title.value for title in at.title] == ["Upload"]
    assert any("knowledge base is empty" in info.value for info in at.info)
    uploader = at.file_uploader[0]
    assert uploader.accept_multiple_files
    assert sorted(uploader.allowed_type) == sorted(
        [".txt", ".md", ".html", ".htm", ".pdf", ".docx"]
    )
    assert at.button(key="upload_ingest").disabled
    assert "0 articles" in at.sidebar.caption[0].value

    uploader.set_value(
        [
            ("millbrook-flood-ledger.md", (DATA / name).read_bytes(), "text/markdown")
            for name in ["millbrook-flood-ledger.md"]
        ]
        + [
            (
                "millbrook-levee-inspection-followup.pdf",
                (DATA / "millbrook-levee-inspection-followup.pdf").read_bytes(),
                "application/pdf",
            ),
            ("broken.docx", b"this is not a docx file", "application/octet-stream"),
        ]
    ).run()
    assert_no_exception(at)
    ingest = at.button(key="upload_ingest")
    assert not ingest.disabled
    ingest.click().run()
    assert_no_exception(at)
    wait_for_upload(at)

    assert [rendered_text(alert.value).strip() for alert in at.warning] == [
        "Done: 2 ingested, 1 failed: broken.docx · Summaries done: 2/2 (details below)"
    ]
    table = results_table(at)
    assert list(table.columns) == ["File", "Status", "Title", "Chunks", "Reason"]
    assert list(table["File"]) == [
        "millbrook-flood-ledger.md",
        "millbrook-levee-inspection-followup.pdf",
        "broken.docx",
    ]
    assert list(table["Status"]) == ["ingested", "ingested", "failed"]
    assert table["Chunks"].iloc[0] > 0 and table["Reason"].iloc[2]
    assert "2 articles" in at.sidebar.caption[0].value
    assert not at.file_uploader[0].value  # the uploader is emptied for the next batch
    assert len(KnowledgeBase().articles()) == 2

    # The new articles are summarised on the same thread after; the page polls and says so.
    assert at.session_state[JOB].summaries.total == 2
    assert {a.summary for a in KnowledgeBase().articles()} == {"ready"}


def test_upload_page_ingests_web_addresses(
    ui_home: Path, page_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_FETCH_ALLOW_HOSTS", '["127.0.0.1"]')
    at = open_app()
    url = f"{page_server}/harlow-green-line-opens.html"
    at.text_area(key="upload_urls_0").set_value(f"{url}\n\n{page_server}/missing.html\n").run()
    at.button(key="upload_ingest").click().run()
    assert_no_exception(at)
    wait_for_upload(at)
    assert [rendered_text(alert.value).strip() for alert in at.warning] == [
        f"Done: 1 ingested, 1 failed: {page_server}/missing.html · Summaries done: 1/1 "
        "(details below)"
    ]
    table = results_table(at)
    assert list(table["File"]) == [url, f"{page_server}/missing.html"]
    assert list(table["Reason"])[1] == "HTTP 404 File not found"


def test_the_line_on_top_names_three_failed_files_and_counts_the_rest(ui_home: Path) -> None:
    """A batch of many failed files named them all on one line, longer than the window: the
    line names the first three, and the table below lists every one."""
    names = [f"empty-{n}.txt" for n in range(1, 6)]  # two more than ui.upload.FAILED_NAMED
    at = open_app()
    at.file_uploader[0].set_value([(name, b"", "text/plain") for name in names]).run()
    at.button(key="upload_ingest").click().run()
    wait_for_upload(at)
    line = rendered_text(_first_alert_above_the_uploader(at).value).strip()
    assert line == (
        "Done: 5 failed: empty-1.txt, empty-2.txt, empty-3.txt and 2 more (details below)"
    )
    assert list(results_table(at)["File"]) == names


def test_tags_and_source_given_at_upload_go_on_every_article(ui_home: Path) -> None:
    at = open_app()
    at.file_uploader[0].set_value(
        [
            (name, (DATA / name).read_bytes(), "application/octet-stream")
            for name in ("millbrook-council-rebuild-vote.txt", "millbrook-flood-ledger.md")
        ]
    ).run()
    at.text_input(key="upload_tags_0").input("flood, council").run()
    at.text_input(key="upload_source_0").input("My clippings").run()
    at.button(key="upload_ingest").click().run()
    assert_no_exception(at)
    wait_for_upload(at)
    articles = KnowledgeBase().articles()
    assert len(articles) == 2
    assert {(a.source, tuple(a.tags)) for a in articles} == {("My clippings", ("council", "flood"))}
    assert at.text_input(key="upload_tags_1").value == ""  # emptied for the next batch


def _first_alert_above_the_uploader(at: AppTest) -> Any:
    elements = list(in_page_order(at.main))
    uploader = next(i for i, e in enumerate(elements) if e.type == "file_uploader")
    alerts = [e for e in elements[:uploader] if e.type in ("info", "success", "warning", "error")]
    assert alerts, "no status line above the form"
    return alerts[0]


def test_the_running_and_finished_upload_is_named_above_the_form(ui_home: Path) -> None:
    """Pressing Ingest empties the form: the line at the top of the page says what runs, then
    what came of it, and the empty form's hint does not invite a new batch meanwhile."""
    at = open_app()
    at.file_uploader[0].set_value(
        [
            (name, (DATA / name).read_bytes(), "application/octet-stream")
            for name in ("millbrook-council-rebuild-vote.txt", "millbrook-flood-ledger.md")
        ]
        + [("broken.docx", b"this is not a docx file", "application/octet-stream")]
    ).run()
    ui_home.mkdir(parents=True, exist_ok=True)
    with open(ui_home / ".writer.lock", "a") as lock:  # another writer holds the batch back
        fcntl.flock(lock, fcntl.LOCK_EX)
        at.button(key="upload_ingest").click().run()
        assert_no_exception(at)
        first = _first_alert_above_the_uploader(at)
        assert first.value == "Ingesting 3 files… (details below)"
        # A bar with words from the start: empty and silent, it looked like no bar at all.
        [progress] = at.get("progress")
        assert progress.proto.text == "0/3 files · reading the first ones…"
        assert not at.info or all("press" not in rendered_text(i.value) for i in at.info)
        assert at.button(key="upload_ingest").disabled
    wait_for_upload(at)
    first = _first_alert_above_the_uploader(at)
    assert rendered_text(first.value).strip() == (
        "Done: 2 ingested, 1 failed: broken.docx · Summaries done: 2/2 (details below)"
    )
    assert first in at.warning  # a file failed
    # Said once: the counts at the top, the details below.
    shown = visible_text(at)
    assert shown.count("Summaries done") == 1 and shown.count("2 ingested") == 1
    assert any("then press Ingest" in rendered_text(i.value) for i in at.info)  # ready again


def test_the_new_articles_summaries_are_shown_and_open_in_the_library(ui_home: Path) -> None:
    at = open_app()
    names = ("millbrook-council-rebuild-vote.txt", "millbrook-flood-ledger.md")
    at.file_uploader[0].set_value(
        [(name, (DATA / name).read_bytes(), "application/octet-stream") for name in names]
    ).run()
    at.button(key="upload_ingest").click().run()
    wait_for_upload(at)

    knowledge_base = KnowledgeBase()
    text = visible_text(at)
    for article in knowledge_base.articles():
        assert f"{article.title}\n\n{knowledge_base.abstract_line(article.id)}\n" in text
    ledger = next(a for a in knowledge_base.articles() if a.location.endswith(".md"))
    at.button(key=f"upload_open_{ledger.id}").click().run()
    assert_no_exception(at)
    assert [title.value for title in at.title] == ["Library"]
    assert rendered_text(at.header[0].value).strip() == ledger.title


def test_a_deleted_article_is_no_longer_offered_to_open(ui_home: Path) -> None:
    at = open_app()
    at.file_uploader[0].set_value(
        [
            (
                "bakery.txt",
                b"Pike Island bakery wins regional prize\n\nIt won on Friday.",
                "text/plain",
            )
        ]
    ).run()
    at.button(key="upload_ingest").click().run()
    wait_for_upload(at)
    [article] = KnowledgeBase().articles()
    assert at.button(key=f"upload_open_{article.id}")
    KnowledgeBase().delete(article.id)  # e.g. on the Library page
    at.run()
    assert_no_exception(at)
    assert not [b for b in at.button if b.key == f"upload_open_{article.id}"]
    text = visible_text(at)
    assert "Pike Island bakery wins regional prize" in text
    assert "Deleted from the knowledge base since." in [c.value for c in at.caption]
    assert article.id not in text


def test_a_failure_s_reason_is_shown_whole(ui_home: Path) -> None:
    at = open_app()
    at.file_uploader[0].set_value([("broken.pdf", b"%PDF-1.4 cut short", "application/pdf")]).run()
    at.button(key="upload_ingest").click().run()
    wait_for_upload(at)
    [reason] = list(results_table(at)["Reason"])
    [again] = KnowledgeBase().ingest_uploads([("again.pdf", b"%PDF-1.4 cut short")]).results
    assert reason == again.reason and len(reason) > 40  # more than a grid's column shows
    assert not at.dataframe  # a grid cuts cells off at its column's width; a table wraps them


def test_tags_source_and_addresses_survive_a_visit_to_another_page(ui_home: Path) -> None:
    """Like the Library's filters: what was typed is still there after Upload → Library →
    Upload (files chosen in the uploader too: `test_files_chosen_survive_a_visit_to_another_page`)."""
    at = open_app()
    at.text_input(key="upload_tags_0").input("flood, council").run()
    at.text_input(key="upload_source_0").input("My clippings").run()
    at.text_area(key="upload_urls_0").input("https://example.com/a.html").run()
    at.switch_page("library.py").run()
    at.switch_page("upload.py").run()
    assert_no_exception(at)
    assert at.text_input(key="upload_tags_0").value == "flood, council"
    assert at.text_input(key="upload_source_0").value == "My clippings"
    assert at.text_area(key="upload_urls_0").value == "https://example.com/a.html"
    assert not at.button(key="upload_ingest").disabled  # the address is still to be ingested


def test_files_chosen_survive_a_visit_to_another_page(ui_home: Path) -> None:
    """Streamlit empties the uploader once another page is shown: the files chosen were lost,
    and Ingest was greyed out on coming back. They are kept, named, and ingested; a file chosen
    again by the same name is ingested once."""
    ledger, vote = DATA / "millbrook-flood-ledger.md", DATA / "millbrook-council-rebuild-vote.txt"
    at = open_app()
    at.file_uploader[0].set_value([(ledger.name, ledger.read_bytes(), "text/markdown")]).run()
    at.switch_page("library.py").run()
    at.switch_page("upload.py").run()
    assert_no_exception(at)
    assert not at.file_uploader[0].value  # Streamlit's own uploader: empty again
    kept = [rendered_text(info.value).strip() for info in at.info]
    assert f"Still chosen from before: {ledger.name}. Ingest adds it with any chosen above." in kept
    assert not at.button(key="upload_ingest").disabled
    at.file_uploader[0].set_value(
        [(ledger.name, ledger.read_bytes(), "text/markdown"), (vote.name, vote.read_bytes(), "")]
    ).run()
    at.button(key="upload_ingest").click().run()
    wait_for_upload(at)
    assert list(results_table(at)["File"]) == [ledger.name, vote.name]
    assert not any("Still chosen" in info.value for info in at.info)  # ingested, not kept


def test_kept_files_can_be_discarded(ui_home: Path) -> None:
    ledger = DATA / "millbrook-flood-ledger.md"
    at = open_app()
    at.file_uploader[0].set_value([(ledger.name, ledger.read_bytes(), "text/markdown")]).run()
    at.switch_page("ask.py").run()
    at.switch_page("upload.py").run()
    at.button(key="upload_discard_kept").click().run()
    assert_no_exception(at)
    assert not any("Still chosen" in info.value for info in at.info)
    assert at.button(key="upload_ingest").disabled


def test_ingest_s_worker_processes_do_not_run_the_app(
    ui_home: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Streamlit makes ui/app.py the process's __main__ module, which each worker process
    started with "spawn" runs again: Streamlit then warned in every worker that it had no
    page run ("missing ScriptRunContext", "use streamlit run")."""
    notes = [
        (
            f"note-{n}.txt",
            f"Note {n}\n\nThe council of town {n} met on roads.".encode(),
            "text/plain",
        )
        for n in range(_MIN_FILES_FOR_WORKERS)  # enough files to be read in worker processes
    ]
    at = open_app()
    at.file_uploader[0].set_value(notes).run()
    capfd.readouterr()  # what the app's own runs wrote
    at.button(key="upload_ingest").click().run()
    wait_for_upload(at)
    assert_no_exception(at)
    written = capfd.readouterr()
    assert "streamlit run" not in written.err + written.out
    assert "missing ScriptRunContext" not in written.err + written.out


def test_an_address_refused_is_counted_with_the_rest(
    ui_home: Path, page_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The top said "Ingesting 8 items…", the bar "4/7 files": a line that is no web address
    was left out of the bar's count, and reported only at the end."""
    monkeypatch.setenv("KB_FETCH_ALLOW_HOSTS", '["127.0.0.1"]')
    at = open_app()
    at.file_uploader[0].set_value(
        [("vote.txt", (DATA / "millbrook-council-rebuild-vote.txt").read_bytes(), "text/plain")]
    ).run()
    url = f"{page_server}/harlow-green-line-opens.html"
    at.text_area(key="upload_urls_0").set_value(f"{url}\nnot an address\n").run()
    ui_home.mkdir(parents=True, exist_ok=True)
    with open(ui_home / ".writer.lock", "a") as lock:  # another writer holds the batch back
        fcntl.flock(lock, fcntl.LOCK_EX)
        at.button(key="upload_ingest").click().run()
        assert _first_alert_above_the_uploader(at).value == "Ingesting 3 files… (details below)"
        [progress] = at.get("progress")
        assert progress.proto.text == "1/3 files · reading the first ones…"
        assert list(results_table(at)["File"]) == ["not an address"]  # done at once
    wait_for_upload(at)
    job = at.session_state[JOB]
    assert job.last is not None and (job.last.done, job.last.total) == (3, 3)
    assert "3/3 files" in job.last.describe()
    assert list(results_table(at)["File"]) == ["not an address", "vote.txt", url]


def test_the_line_on_top_says_done_only_once_the_summaries_are_made(held_llm: HeldLLM) -> None:
    """The line said "Done: … · Summarising: 1/2" under an hourglass: finished, and not."""
    at = open_app()
    at.file_uploader[0].set_value(
        [("vote.txt", (DATA / "millbrook-council-rebuild-vote.txt").read_bytes(), "text/plain")]
    ).run()
    at.button(key="upload_ingest").click().run()
    try:
        assert held_llm.summarising.wait(timeout=TIMEOUT)
        at.run()
        assert_no_exception(at)
        line = rendered_text(_first_alert_above_the_uploader(at).value).strip()
        assert line == "Files done: 1 ingested · Summarising: 0/1… (details below)"
    finally:
        held_llm.release()
    wait_for_upload(at)
    line = rendered_text(_first_alert_above_the_uploader(at).value).strip()
    assert line.startswith("Done: 1 ingested · Summaries done: 1/1")


def test_the_bar_says_the_next_files_are_being_read(
    ui_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bar said "1/7 files · 0 chunks — empty_note.txt: failed" for seconds while the next
    file was read: it looked like where the upload had stopped. A web address held back by its
    server keeps the upload at its second item."""
    go_on = threading.Event()

    class Held(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            go_on.wait(timeout=TIMEOUT)
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Held)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("KB_FETCH_ALLOW_HOSTS", '["127.0.0.1"]')
    at = open_app()
    at.file_uploader[0].set_value([("empty_note.txt", b"", "text/plain")]).run()
    held = f"http://127.0.0.1:{server.server_address[1]}/story.html"
    at.text_area(key="upload_urls_0").set_value(held).run()
    at.button(key="upload_ingest").click().run()
    try:
        job = at.session_state[JOB]
        for _ in range(480):  # until the file is done (the address is held meanwhile)
            if job.results:
                break
            time.sleep(0.5)
        at.run()
        [progress] = at.get("progress")
        shown = rendered_text(progress.proto.text).strip()
        assert shown == "1/2 files · 0 chunks — empty_note.txt: failed · reading the next…"
    finally:
        go_on.set()
        wait_for_upload(at)
        server.shutdown()
    assert "reading the next" not in visible_text(at)


def test_an_ingested_batch_s_bytes_are_let_go(
    ui_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streamlit keeps each uploaded file until the user removes it from the uploader: the
    uploader emptied for the next batch removed none, and every batch's bytes stayed in the
    server's memory for the session's life (hundreds of files, batch after batch)."""
    stores: list[MemoryUploadedFileManager] = []
    opened = MemoryUploadedFileManager.__init__

    def recorded(self: MemoryUploadedFileManager, *args: Any, **kwargs: Any) -> None:
        opened(self, *args, **kwargs)
        stores.append(self)  # each AppTest run has a store of its own

    monkeypatch.setattr(MemoryUploadedFileManager, "__init__", recorded)
    at = open_app()
    notes = [
        (f"pier-note-{n}.txt", f"Pier note {n}\n\nThe pier opened.".encode(), "") for n in range(3)
    ]
    at.file_uploader[0].set_value(notes).run()
    assert sum(len(files) for files in stores[-1].file_storage.values()) == 3
    at.button(key="upload_ingest").click()
    del stores[:]
    at.run()
    assert_no_exception(at)
    [store] = stores  # the run of the click, which took the files
    assert not any(store.file_storage.values()), store.file_storage
    wait_for_upload(at)
    assert list(results_table(at)["File"]) == [name for name, _, _ in notes]


def test_uploads_no_article_came_from_are_not_kept(ui_home: Path) -> None:
    """A refused or broken upload stayed in KB_HOME/uploads for good; an article's file stays."""
    vote = (DATA / "millbrook-council-rebuild-vote.txt").read_bytes()
    knowledge_base = KnowledgeBase()
    report = knowledge_base.ingest_uploads(
        [("vote.txt", vote), ("notes.xyz", b"not a supported format"), ("broken.pdf", b"%PDF-1")]
    )
    assert [r.status for r in report.results] == ["ingested", "failed", "failed"]
    assert sorted(p.name for p in (ui_home / "uploads").iterdir()) == ["vote.txt"]
    again = knowledge_base.ingest_uploads([("vote.txt", vote)])  # its own file, unchanged
    assert [r.status for r in again.results] == ["unchanged"]
    assert (ui_home / "uploads" / "vote.txt").read_bytes() == vote
