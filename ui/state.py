"""What every page shares: the one KnowledgeBase of the process, and the session keys that let
one page open an article on another."""

from __future__ import annotations

import threading

import streamlit as st

from kb import KnowledgeBase
from kb.models import IngestJob

OPEN_ARTICLE = "library_selected"  # the article the Article page shows
OPEN_TITLE = "library_selected_title"  # its title, to name it should it be deleted meanwhile
HIGHLIGHT = "library_highlight"  # (article id, start, end) of a citation opened from elsewhere
ARTICLE_PARAM = "id"  # the Article page's address names its article: a reload or bookmark


def open_in_library(article_id: str, title: str, cited: tuple[int, int] | None = None) -> None:
    """Show the article on the Article page, with the `cited` span (start, end) highlighted."""
    st.session_state[OPEN_ARTICLE] = article_id
    st.session_state[OPEN_TITLE] = title
    if cited is None:
        st.session_state.pop(HIGHLIGHT, None)
    else:
        st.session_state[HIGHLIGHT] = (article_id, *cited)
    st.switch_page("article.py", query_params={ARTICLE_PARAM: article_id})


@st.cache_resource(show_spinner="Opening the knowledge base…")
def get_kb() -> KnowledgeBase:
    """Created once per process (home from KB_HOME), so reruns never reload the embedding model."""
    return KnowledgeBase()


class _Uploads:
    """The uploads of every session of this process still running: a Library open in another
    tab, or on another page, knows which articles' summaries are being made."""

    def __init__(self) -> None:
        self._jobs: list[IngestJob] = []
        self._lock = threading.Lock()

    def add(self, job: IngestJob) -> None:
        with self._lock:
            self._jobs = [*(kept for kept in self._jobs if not kept.finished), job]

    def being_summarised(self) -> set[str]:
        """The articles an upload still running has added and not summarised yet."""
        with self._lock:
            jobs = list(self._jobs)
        return {article_id for job in jobs for article_id in job.awaiting_summary}


@st.cache_resource
def running_uploads() -> _Uploads:
    return _Uploads()
