"""Upload page: add files to the knowledge base and show what happened to each one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypedDict

import streamlit as st

from ingest.fetch import is_url
from kb import KnowledgeBase
from kb.models import BatchProgress, IngestReport, Progress, SummaryBatch
from ui.render import escape_markdown
from ui.state import get_kb

FILE_TYPES = ["txt", "md", "html", "htm", "pdf", "docx"]
RESULTS = "upload_results"
GENERATION = "upload_generation"  # bumped after an ingest, which empties the uploader
SUMMARIES = "upload_summaries"  # the SummaryBatch of the last upload


class Upload(Protocol):
    """What an uploaded file must offer (Streamlit's UploadedFile does)."""

    name: str

    def getvalue(self) -> bytes: ...


class ResultRow(TypedDict):
    file: str
    status: str
    title: str
    chunks: int
    reason: str


def ingest_uploads(
    knowledge_base: KnowledgeBase,
    uploads: Sequence[Upload],
    progress: Progress | None = None,
    urls: Sequence[str] = (),
) -> IngestReport:
    """Hand the uploads (kept under their own names) and URLs to the knowledge base."""
    return knowledge_base.ingest_uploads(
        [(upload.name, upload.getvalue()) for upload in uploads], progress=progress, urls=urls
    )


def result_rows(report: IngestReport) -> list[ResultRow]:
    return [
        ResultRow(
            file=_shown(result.path),
            status=result.status,
            title=result.title,
            chunks=result.chunks,
            reason=result.reason,
        )
        for result in report.results
    ]


def _shown(path: str) -> str:
    return path if is_url(path) else Path(path).name


def parse_urls(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def show_results(rows: list[ResultRow]) -> None:
    counts = {
        status: sum(row["status"] == status for row in rows)
        for status in ("ingested", "unchanged", "duplicate", "failed")
    }
    line = ", ".join(f"{count} {status}" for status, count in counts.items())
    (st.warning if counts["failed"] else st.success)(line)
    st.dataframe(rows, hide_index=True, width="stretch")


def render() -> None:
    knowledge_base = get_kb()
    st.title("Upload")
    st.caption("Add articles: " + ", ".join(f".{kind}" for kind in FILE_TYPES) + ".")
    generation = st.session_state.setdefault(GENERATION, 0)
    uploads = st.file_uploader(
        "Articles",
        type=FILE_TYPES,
        accept_multiple_files=True,
        key=f"upload_files_{generation}",
    )
    urls = parse_urls(
        st.text_area(
            "Or web addresses, one per line",
            key=f"upload_urls_{generation}",
            placeholder="https://example.com/news/story.html",
        )
    )
    wanted = len(uploads or []) + len(urls)
    if not wanted:
        hint = "Choose one or more files or paste web addresses above, then press **Ingest**."
        if not knowledge_base.articles():
            hint = "Your knowledge base is empty. " + hint
        st.info(hint)
    if st.button("Ingest", type="primary", disabled=not wanted, key="upload_ingest") and wanted:
        bar = st.progress(0.0, text=f"Ingesting {wanted} item(s)…")

        def progress(state: BatchProgress) -> None:
            name = escape_markdown(_shown(state.result.path))
            text = f"{state.describe()} — {name}: {state.result.status}"
            bar.progress(state.done / state.total, text=text)

        try:
            report = ingest_uploads(knowledge_base, uploads or [], progress, urls)
        except Exception as error:  # the pipeline reports per-file failures itself
            st.error(f"Ingestion stopped: {escape_markdown(str(error))}")
            return
        st.session_state[RESULTS] = result_rows(report)
        st.session_state[GENERATION] = generation + 1
        new = [r.article_id for r in report.results if r.status == "ingested"]
        if new:
            st.session_state[SUMMARIES] = knowledge_base.summarize_in_background(new)
        st.rerun()
    if st.session_state.get(RESULTS):
        st.subheader("Last upload", anchor=False)
        show_results(st.session_state[RESULTS])
    if st.session_state.get(SUMMARIES):
        show_summaries()


@st.fragment(run_every=1.0)
def show_summaries() -> None:
    """The summaries of the last upload, made on a thread of their own: polled, never awaited."""
    batch: SummaryBatch = st.session_state[SUMMARIES]
    if batch.finished:
        failed = [r for r in batch.results if r.status == "failed"]
        (st.warning if failed else st.success)(escape_markdown(batch.describe()))
        for result in failed:
            st.caption(escape_markdown(f"{result.article_id}: {result.reason}"))
    else:
        st.progress(batch.done / max(batch.total, 1), text=escape_markdown(batch.describe()))


if __name__ == "__main__":
    render()
