"""Library page: the articles, and one article's summary with its cited sources."""

from __future__ import annotations

import streamlit as st

from kb import KnowledgeBase
from kb.models import Article, ArticleNotFound
from ui.render import download_buttons, escape_markdown, render_summary
from ui.state import get_kb

SELECTED = "library_selected"  # the open article's id, kept while other pages are shown
PICKER = "library_picker"  # the selectbox's own key (Streamlit forgets it off the page)
CONFIRM = "library_confirm_delete"  # the id awaiting delete confirmation
FLASH = "library_flash"  # a message for the next run, e.g. after a delete


def _picked() -> None:
    st.session_state[SELECTED] = st.session_state[PICKER]


def _open(article_id: str) -> None:
    st.session_state[SELECTED] = article_id
    st.session_state[PICKER] = article_id


def _close() -> None:
    st.session_state.pop(SELECTED, None)
    st.session_state.pop(PICKER, None)


def _ask_delete(article_id: str) -> None:
    st.session_state[CONFIRM] = article_id


def _cancel_delete() -> None:
    st.session_state.pop(CONFIRM, None)


def _delete(knowledge_base: KnowledgeBase, article: Article) -> None:
    st.session_state.pop(CONFIRM, None)
    _close()
    try:
        knowledge_base.delete(article.id)
    except ArticleNotFound as error:
        st.session_state[FLASH] = ("error", str(error))
        return
    st.session_state[FLASH] = ("success", f"Deleted “{article.title}”.")


def _article_table(articles: list[Article]) -> None:
    rows = [
        {
            "title": article.title,
            "source": article.source,
            "date": article.date,
            "chunks": article.chunks,
            "summary": article.summary,
            "tags": ", ".join(article.tags),
            "near-duplicates": len(article.near_duplicates),
            "id": article.id,
        }
        for article in articles
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def _delete_controls(knowledge_base: KnowledgeBase, article: Article) -> None:
    if st.session_state.get(CONFIRM) != article.id:
        st.button("Delete", key="library_delete", on_click=_ask_delete, args=(article.id,))
        return
    st.warning(
        f"Delete “{escape_markdown(article.title)}”? Its chunks, vectors and summary are "
        "removed; this cannot be undone."
    )
    yes, no = st.columns(2)
    yes.button(
        "Yes, delete",
        type="primary",
        key="library_delete_confirm",
        on_click=_delete,
        args=(knowledge_base, article),
    )
    no.button("Cancel", key="library_delete_cancel", on_click=_cancel_delete)


def _where_and_copies(knowledge_base: KnowledgeBase, article: Article) -> None:
    """Where the text came from, and the syndicated copies it was linked to at ingest."""
    places = [article.location, *article.also_at]
    label = "From" if len(places) == 1 else "Same text at"
    st.caption(f"{label}: " + " · ".join(escape_markdown(place) for place in places))
    if article.canonical_url and article.canonical_url not in places:
        st.caption(f"Canonical address: {escape_markdown(article.canonical_url)}")
    if article.tags:
        st.caption("Tags: " + ", ".join(escape_markdown(tag) for tag in article.tags))
    for other_id in article.near_duplicates:
        try:
            other = knowledge_base.article(other_id)
        except ArticleNotFound:
            continue
        st.button(
            f"Near-duplicate: {escape_markdown(other.title)} ({other.source or 'no source'}, "
            f"{other.date or 'no date'})",
            key=f"library_near_{other_id}",
            icon=":material/content_copy:",
            on_click=_open,
            args=(other_id,),
        )


def show_article(knowledge_base: KnowledgeBase, article_id: str) -> None:
    try:
        article = knowledge_base.article(article_id)
    except ArticleNotFound as error:
        st.error(escape_markdown(str(error)))
        return
    details = [
        article.source,
        article.author,
        article.date,
        article.language,
        f"{article.chunks} chunks",
        article.id,
    ]
    st.caption(escape_markdown(" · ".join(detail for detail in details if detail)))
    _where_and_copies(knowledge_base, article)
    regenerate_column, delete_column = st.columns(2)
    regenerate = regenerate_column.button("Regenerate summary", key="library_regenerate")
    with delete_column:
        _delete_controls(knowledge_base, article)
    try:
        with st.spinner("Regenerating the summary…" if regenerate else "Preparing the summary…"):
            summary = knowledge_base.summary(article.id, regenerate=regenerate)
    except ArticleNotFound as error:
        st.error(escape_markdown(str(error)))
        return
    render_summary(summary, article.text or "")
    download_buttons(
        f"{article.id}-summary", summary.markdown(), summary.model_dump_json(indent=2), "library"
    )
    with st.expander("Show full text"):
        st.markdown(escape_markdown(article.text or ""))


def render() -> None:
    knowledge_base = get_kb()
    st.title("Library")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        kind, message = flash
        (st.error if kind == "error" else st.success)(escape_markdown(message))
    articles = knowledge_base.articles()
    if not articles:
        st.info("No articles yet. Add some on the **Upload** page.")
        st.page_link("upload.py", label="Go to Upload", icon=":material/upload_file:")
        return
    _article_table(articles)
    titles = {
        article.id: f"{article.title} ({article.source or 'no source'}, {article.date or 'no date'})"
        for article in articles
    }
    ids = list(titles)
    if st.session_state.get(SELECTED) not in titles:
        _close()  # none yet, or deleted meanwhile (e.g. from the CLI or another session)
    opened = st.session_state.get(SELECTED)
    selected = st.selectbox(
        "Open an article",
        ids,
        index=ids.index(opened) if opened in titles else None,
        format_func=titles.__getitem__,
        placeholder="Choose an article to read its summary",
        key=PICKER,
        on_change=_picked,
    )
    if selected is not None:
        show_article(knowledge_base, selected)


if __name__ == "__main__":
    render()
