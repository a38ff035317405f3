"""Digest page: several articles on one story read together, every statement cited."""

from __future__ import annotations

import streamlit as st

from kb.models import Digest
from ui.render import (
    download_buttons,
    escape_markdown,
    file_stem,
    filter_fields,
    render_digest,
    row_of_two,
)
from ui.state import get_kb

RESULT = "digest_result"


def render() -> None:
    knowledge_base = get_kb()
    st.title("Digest")
    articles = knowledge_base.articles()
    if len(articles) < 2:
        st.info(
            "A digest reads several articles together: add at least two on the **Upload** page."
        )
        return
    st.caption(
        "What the sources agree on, where they differ, and a timeline, for a story or topic, "
        "among the articles the sources, tags and dates below allow."
    )
    query = st.text_input(
        "Story or topic",
        key="digest_query",
        placeholder="e.g. the VX-40 recall",
        persist_state="session",  # kept past an "Open in article", like the filters
    )
    filters = filter_fields(articles, "digest", row_of_two(), row_of_two())
    most = st.slider(
        "At most this many articles", 2, 30, 12, key="digest_max", persist_state="session"
    )
    if st.button("Make digest", type="primary", key="digest_make"):
        with st.spinner("Reading the articles together…"):
            try:
                st.session_state[RESULT] = knowledge_base.digest(filters, query.strip(), most)
            except Exception as error:  # the core falls back itself on LLM errors
                st.error(f"Could not make a digest: {escape_markdown(str(error))}")
                return
    digest: Digest | None = st.session_state.get(RESULT)
    if digest is None:
        return
    st.header(escape_markdown(f"Digest: {digest.scope}"), anchor=False)
    if not digest.article_ids:  # nothing to read together, nothing worth downloading
        st.info(
            escape_markdown(digest.notice or "No article matched.")
            + " Try other words, or widen the filters."
        )
        return
    render_digest(digest)
    download_buttons(
        digest_file_stem(digest), digest.markdown(), digest.model_dump_json(indent=2), "digest"
    )


def digest_file_stem(digest: Digest) -> str:
    """The downloads' name: what the digest is of, as a summary's is its article's title (all
    of them were "digest.md")."""
    scope = file_stem(digest.scope, "")
    return f"{scope}-digest" if scope else "digest"


if __name__ == "__main__":
    render()
