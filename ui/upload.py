"""Upload page: add files to the knowledge base and show what happened to each one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypedDict

import streamlit as st
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

from ingest.fetch import is_url
from kb.models import FileResult, IngestJob, MetadataEdit, SummaryBatch
from kb.text import plural
from ui.render import escape_markdown, notice_markdown
from ui.state import get_kb, open_in_library, running_uploads

FILE_TYPES = ["txt", "md", "html", "htm", "pdf", "docx"]
GENERATION = "upload_generation"  # bumped after an ingest, which empties the uploader
JOB = "upload_job"  # the IngestJob of the last upload
CHOSEN = "upload_chosen"  # the files in the uploader, as the user chose them
KEPT = "upload_kept"  # the files chosen before the page was left
FAILED_NAMED = 3  # the failed files the line at the top names (the table lists them all)


class ResultRow(TypedDict):
    file: str
    status: str
    title: str
    chunks: int
    reason: str


def result_rows(results: Sequence[FileResult]) -> list[ResultRow]:
    return [
        ResultRow(
            file=_shown(result.path),
            status=result.status,
            title=result.title,
            chunks=result.chunks,
            reason=result.reason,
        )
        for result in results
    ]


def _shown(path: str) -> str:
    return path if is_url(path) else Path(path).name


def parse_urls(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


COLUMNS = [name.capitalize() for name in ResultRow.__annotations__]  # "File", "Status", …
NARROW_PX = 640  # Streamlit's own phone width, below which it stacks columns
_TABLE = '[data-testid="stTable"]'


def _as_a_list_when_narrow() -> str:
    """CSS that shows each row as a short list, each cell under its column's name, below
    NARROW_PX: at 360 px the five columns were wider than the page, the Reason column cut
    off at the right edge, to be scrolled to."""
    labels = " ".join(
        f'{_TABLE} td:nth-child({number})::before {{ content: "{name}"; font-weight: 600; }}'
        for number, name in enumerate(COLUMNS, start=1)
    )
    return (
        f"@media (max-width: {NARROW_PX}px) {{ {_TABLE} thead {{ display: none; }} "
        f"{_TABLE} :is(table, tbody, tr) {{ display: block; }} "
        f"{_TABLE} tr {{ padding: 0.5rem 0; border-bottom: 1px solid rgba(128, 128, 128, 0.3); }} "
        f"{_TABLE} td {{ display: flex; gap: 0.5em; border: none; padding: 0 0.5rem; "
        f"text-align: left !important; }} {labels} }}"
    )


# Our own CSS, nothing of the articles': a cell's text (Streamlit's Markdown in it sets its own
# wrapping) may wrap inside a word, an address or a file's name, so the table fits the page's
# width. At 420 px its words alone were wider than the page, and the Reason column was cut at
# the right edge ("the file i…"), to be scrolled to; on a phone, a list (_as_a_list_when_narrow).
FITTED_TABLE_STYLE = (
    f"<style>{_TABLE} :is(th, td) * {{ overflow-wrap: anywhere; }} "
    f"{_as_a_list_when_narrow()}</style>"
)


def show_table(rows: list[ResultRow]) -> None:
    """A static table, whose cells wrap: a failure's reason is read whole, not cut off. Its
    cells are Markdown, so the names, titles and reasons are escaped."""
    st.markdown(FITTED_TABLE_STYLE, unsafe_allow_html=True)
    shown = [
        {
            column: escape_markdown(value) if isinstance(value, str) else value
            for column, value in zip(COLUMNS, row.values(), strict=True)
        }  # headers for reading ("File", "Status"), not field names
        for row in rows
    ]
    st.table(shown, hide_index=True)


def _metadata(generation: int) -> MetadataEdit | None:
    """Tags and a source for every article of this upload, if the user gives them."""
    tags_column, source_column = st.columns(2)
    tags = tags_column.text_input(
        "Tags for these articles (optional)",
        key=f"upload_tags_{generation}",
        placeholder="e.g. flood, 2026",
        persist_state="session",  # kept while another page is shown, like the Library's filters
    )
    source = source_column.text_input(
        "Source for these articles (optional)",
        key=f"upload_source_{generation}",
        placeholder="e.g. Reuters",
        persist_state="session",
    )
    if not tags.strip() and not source.strip():
        return None
    return MetadataEdit(
        tags=tags.split(",") if tags.strip() else None, source=source.strip() or None
    )


def render() -> None:
    knowledge_base = get_kb()
    st.title("Upload")
    st.caption("Add articles: " + ", ".join(f".{kind}" for kind in FILE_TYPES) + ".")
    job: IngestJob | None = st.session_state.get(JOB)
    if job is not None:  # above the form: pressing Ingest empties the form, this says what runs
        if job.finished:
            show_status(job)
        else:
            follow_status(job.ingested)
    generation = st.session_state.setdefault(GENERATION, 0)
    uploader_key = f"upload_files_{generation}"
    _keep_what_was_chosen(uploader_key)
    uploads = st.file_uploader(
        "Articles",
        type=FILE_TYPES,
        accept_multiple_files=True,
        key=uploader_key,
        on_change=_remember_choice,
        args=(uploader_key,),
    )
    kept = _kept_files()
    urls = parse_urls(
        st.text_area(
            "Or web addresses, one per line",
            key=f"upload_urls_{generation}",
            placeholder="https://example.com/news/story.html",
            persist_state="session",
        )
    )
    edit = _metadata(generation)
    wanted = len({upload.name for upload in [*(uploads or []), *kept]}) + len(urls)
    busy = job is not None and not job.ingested
    if not wanted and not busy:
        hint = "Choose one or more files or paste web addresses above, then press **Ingest**."
        if not knowledge_base.articles():
            hint = "Your knowledge base is empty. " + hint
        st.info(hint)
    if st.button("Ingest", type="primary", disabled=not wanted or busy, key="upload_ingest"):
        chosen = {upload.name: upload for upload in uploads or []}
        taken = [*(upload for upload in kept if upload.name not in chosen), *chosen.values()]
        files = [(upload.name, upload.getvalue()) for upload in taken]
        _release([*kept, *(uploads or [])])
        for key in (CHOSEN, KEPT):
            st.session_state.pop(key, None)
        st.session_state[JOB] = knowledge_base.ingest_in_background(files, urls, edit)
        running_uploads().add(st.session_state[JOB])  # the Library says whose summaries are coming
        st.session_state[GENERATION] = generation + 1  # empties the uploader for the next batch
        st.rerun()
    if job is None:
        return
    st.subheader("Last upload", anchor=False)
    if job.finished:
        show_job(job)
    else:
        follow_job(job.ingested)


def _remember_choice(uploader_key: str) -> None:
    """The uploader's files, as the user changes them: Streamlit forgets them, and empties the
    uploader, once another page is shown."""
    st.session_state[CHOSEN] = list(st.session_state.get(uploader_key) or [])


def _keep_what_was_chosen(uploader_key: str) -> None:
    """The files chosen before the page was left (the uploader is drawn anew, empty: its key
    was forgotten), kept for the next Ingest."""
    chosen = st.session_state.get(CHOSEN)
    if uploader_key in st.session_state or not chosen:
        return
    kept = {upload.name: upload for upload in [*st.session_state.get(KEPT, []), *chosen]}
    st.session_state[KEPT] = list(kept.values())  # a name chosen again: the last
    st.session_state[CHOSEN] = []


def _discard_kept() -> None:
    _release(st.session_state.pop(KEPT, []))


def _release(uploads: Iterable[UploadedFile]) -> None:
    """Let Streamlit's own copy of each file go: it keeps a session's uploads until the user
    removes them from the uploader, and an uploader emptied for the next batch (or left with
    the page) removes none, so every batch's bytes stayed in memory for the session's life."""
    context = get_script_run_ctx()
    # Streamlit's own store, the one that removes single files (its chat input does the same).
    if context is None or not isinstance(context.uploaded_file_mgr, MemoryUploadedFileManager):
        return
    for upload in uploads:
        context.uploaded_file_mgr.remove_file(context.session_id, upload.file_id)


def _kept_files() -> list[UploadedFile]:
    """The files kept from before the page was left, named under the uploader (which cannot
    show them), with a button to let them go."""
    kept: list[UploadedFile] = st.session_state.get(KEPT, [])
    if kept:
        names = ", ".join(upload.name for upload in kept)
        text_column, discard_column = st.columns([0.8, 0.2], vertical_alignment="center")
        text_column.info(
            f"Still chosen from before: {escape_markdown(names)}. **Ingest** adds "
            f"{'it' if len(kept) == 1 else 'them'} with any chosen above.",
            icon=":material/attach_file:",
        )
        discard_column.button("Discard", key="upload_discard_kept", on_click=_discard_kept)
    return kept


def status_line(job: IngestJob) -> str:
    """One line on the whole upload, for the top of the page: the counts, said only here (the
    details below have what each file and each summary came to). "Done" only once the new
    articles' summaries are made too: "Done: … · Summarising: 1/2" under an hourglass read as
    both finished and not."""
    if not job.ingested:
        # The files done: the progress bar's, which names an address a file too (the table's
        # File column lists them), as the command line's does.
        return f"Ingesting {plural(job.total, 'file')}…"
    if job.error:
        return f"Ingestion stopped: {job.error}"
    results = job.report.results if job.report is not None else job.results
    counts = {
        status: sum(result.status == status for result in results)
        for status in ("ingested", "unchanged", "duplicate", "failed")
    }
    outcome = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    failed = [_shown(result.path) for result in results if result.status == "failed"]
    if failed:  # which, here: the table saying so may be below the window's bottom
        more = len(failed) - FAILED_NAMED
        outcome += (
            ": " + ", ".join(failed[:FAILED_NAMED]) + (f" and {more} more" if more > 0 else "")
        )
    if job.summaries is None:
        return f"Done: {outcome}"
    if not job.finished:
        return f"Files done: {outcome} · {job.summaries.describe()}…"
    return f"Done: {outcome} · {job.summaries.describe()}"


def show_status(job: IngestJob) -> None:
    line = escape_markdown(status_line(job)) + " (details below)"
    if not job.finished:
        st.info(line, icon=":material/hourglass_top:")
    elif job.error or (job.report and any(r.status == "failed" for r in job.report.results)):
        st.warning(line)
    else:
        st.success(line)


def _rerun_on_a_new_stage(job: IngestJob, ingested_when_drawn: bool) -> None:
    """The whole page again once the files are in (the sidebar's article count, drawn outside
    the fragments, counted them only after the summaries) and once all is done, which stops
    the polling."""
    if job.finished or job.ingested != ingested_when_drawn:
        st.rerun(scope="app")


@st.fragment(run_every=1.0)
def follow_status(ingested_when_drawn: bool) -> None:
    """The status line of the running upload, polled like `follow_job`."""
    job: IngestJob = st.session_state[JOB]
    _rerun_on_a_new_stage(job, ingested_when_drawn)
    show_status(job)


@st.fragment(run_every=1.0)
def follow_job(ingested_when_drawn: bool) -> None:
    """The running upload, polled every second (never awaited)."""
    job: IngestJob = st.session_state[JOB]
    _rerun_on_a_new_stage(job, ingested_when_drawn)
    show_job(job)


def show_job(job: IngestJob) -> None:
    if not job.ingested:
        last = job.last
        # A bar with words from the start: empty and silent, it looked like nothing at all
        # while the first files were read (and the embedding model loaded), 5 s or more.
        text = f"{len(job.results)}/{job.total} files · reading the first ones…"
        if last is not None:
            name = escape_markdown(_shown(last.result.path))
            # The file last done, and that the next are being read: a failure named alone for
            # seconds (while the next file was read) looked like where it had stopped.
            text = f"{escape_markdown(last.describe())} — {name}: {last.result.status}"
            text += " · reading the next…" if last.done < job.total else ""
        st.progress(len(job.results) / max(job.total, 1), text=text)
        if job.results:
            show_table(result_rows(job.results))
        return
    if job.error:
        st.error(f"Ingestion stopped: {notice_markdown(job.error)}")
    if job.report is not None:
        show_table(result_rows(job.report.results))
    batch = job.summaries
    if batch is None:
        return
    if not batch.finished:  # how far, in numbers: the line at the top
        st.progress(batch.done / max(batch.total, 1))
    for result in batch.results:
        if result.status == "failed":
            st.warning(
                f"No summary of “{escape_markdown(result.title)}”: {notice_markdown(result.reason)}"
            )
    show_summaries(batch)


def show_summaries(batch: SummaryBatch) -> None:
    """Each new article's title and the opening of its Abstract, as its summary is made."""
    knowledge_base = get_kb()
    present = {article.id for article in knowledge_base.articles()}
    for result in batch.results:
        if result.status != "summarised":
            continue
        with st.container(border=True):
            text_column, open_column = st.columns([0.8, 0.2], vertical_alignment="center")
            text_column.markdown(f"**{escape_markdown(result.title)}**")
            if result.article_id not in present:  # deleted since: nothing to open
                text_column.caption("Deleted from the knowledge base since.")
                continue
            text_column.markdown(escape_markdown(knowledge_base.abstract_line(result.article_id)))
            if open_column.button(
                "Open in Library",
                key=f"upload_open_{result.article_id}",
                icon=":material/open_in_new:",
            ):
                open_in_library(result.article_id, result.title)


if __name__ == "__main__":
    render()
