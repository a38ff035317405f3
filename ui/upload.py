"""Upload page: add files to the knowledge base and show what happened to each one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypedDict

import streamlit as st

from kb import KnowledgeBase
from kb.models import FileResult
from ui.render import escape_markdown
from ui.state import get_kb

FILE_TYPES = ["txt", "md", "html", "htm", "pdf", "docx"]
RESULTS = "upload_results"
GENERATION = "upload_generation"  # bumped after an ingest, which empties the uploader


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
    progress: Callable[[int, int, FileResult], None] | None = None,
) -> list[ResultRow]:
    """Hand the uploads to the knowledge base (which keeps them under their own names)."""
    report = knowledge_base.ingest_uploads(
        [(upload.name, upload.getvalue()) for upload in uploads], progress=progress
    )
    return [
        ResultRow(
            file=Path(result.path).name,
            status=result.status,
            title=result.title,
            chunks=result.chunks,
            reason=result.reason,
        )
        for result in report.results
    ]


def show_results(rows: list[ResultRow]) -> None:
    counts = {
        status: sum(row["status"] == status for row in rows)
        for status in ("ingested", "unchanged", "failed")
    }
    line = (
        f"{counts['ingested']} ingested, {counts['unchanged']} unchanged, {counts['failed']} failed"
    )
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
    if not uploads:
        hint = "Choose one or more files above, then press **Ingest**."
        if not knowledge_base.articles():
            hint = "Your knowledge base is empty. " + hint
        st.info(hint)
    if st.button("Ingest", type="primary", disabled=not uploads, key="upload_ingest") and uploads:
        bar = st.progress(0.0, text=f"Ingesting {len(uploads)} file(s)…")

        def progress(number: int, total: int, result: FileResult) -> None:
            name = escape_markdown(Path(result.path).name)
            bar.progress(number / total, text=f"{number}/{total} {name}: {result.status}")

        try:
            rows = ingest_uploads(knowledge_base, uploads, progress)
        except Exception as error:  # the pipeline reports per-file failures itself
            st.error(f"Ingestion stopped: {escape_markdown(str(error))}")
            return
        st.session_state[RESULTS] = rows
        st.session_state[GENERATION] = generation + 1
        st.rerun()
    if st.session_state.get(RESULTS):
        st.subheader("Last upload", anchor=False)
        show_results(st.session_state[RESULTS])


if __name__ == "__main__":
    render()
