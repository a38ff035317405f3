"""Library page: the articles; and the Article page (not in the navigation menu, so that
Library there always means the list): one article's summary with its cited sources."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import streamlit as st

from kb import KnowledgeBase
from kb.api import SummaryOutcome
from kb.catalog import SORTS, select
from kb.models import Article, ArticleNotFound, MetadataEdit, Span, Summary
from kb.text import plural
from ui.render import (
    app_notice,
    download_buttons,
    escape_markdown,
    file_stem,
    filter_fields,
    mode_badge,
    mode_text,
    notice_markdown,
    render_spans,
    render_summary,
    row_of_two,
)
from ui.state import (
    ARTICLE_PARAM,
    HIGHLIGHT,
    OPEN_ARTICLE,
    OPEN_TITLE,
    get_kb,
    open_in_library,
    running_uploads,
)

PAGE = "library_page"  # which page of cards is shown
PAGE_SIZE = 10
TURNED = "library_turned"  # the page of cards was just turned: show its top
CONFIRM = "library_confirm_delete"  # the id awaiting delete confirmation
FLASH = "library_flash"  # a message for the next run, e.g. after a delete
UNANSWERED = "library_unanswered"  # (article id, outcome) when the LLM did not answer
SHOWN = "library_shown_summary"  # the summary last shown, whose mode stays while Regenerate runs
SUMMARY_POLL_S = 2.0  # how often a list with summaries being made looks whether one is done
FILTER_NAMES = ("sources", "tags", "since", "until", "formats")  # library_… keys of the filters


def _close() -> None:
    for key in (OPEN_ARTICLE, OPEN_TITLE, HIGHLIGHT):
        st.session_state.pop(key, None)
    st.query_params.pop(ARTICLE_PARAM, None)


def _opened() -> str | None:
    """The article to show: the one the page's address names (after a reload, from a bookmark,
    or Back to an article shown before), else the session's, which the address then names."""
    named = st.query_params.get(ARTICLE_PARAM)
    if named and named != st.session_state.get(OPEN_ARTICLE):
        _close()  # the title and highlight were another article's
        st.session_state[OPEN_ARTICLE] = named
    opened: str | None = st.session_state.get(OPEN_ARTICLE)
    if opened:
        st.query_params[ARTICLE_PARAM] = opened
    return opened


def _back_to_the_library() -> None:
    _close()
    st.switch_page("library.py")


def _summary(knowledge_base: KnowledgeBase, article: Article, regenerate: bool) -> SummaryOutcome:
    """The article's summary. An LLM that did not answer, with no summary stored, is not asked
    again at every rerun (a hanging endpoint would hold each click for minutes): the offline
    summary shown stays until Regenerate, or until a summary is stored (`kb summarize`)."""
    unanswered = st.session_state.get(UNANSWERED)
    if (
        unanswered
        and unanswered[0] == article.id
        and not regenerate
        and not knowledge_base.abstract_line(article.id)
    ):
        shown: SummaryOutcome = unanswered[1]
        return shown._replace(summary=shown.summary.model_copy(update={"title": article.title}))
    if regenerate:  # the caller says so, at once
        outcome = knowledge_base.summary_outcome(article.id, regenerate=True)
    else:  # shown only after half a second: a stored summary is read at once
        with st.spinner("Preparing the summary…"):
            outcome = knowledge_base.summary_outcome(article.id)
    if outcome.unavailable:
        st.session_state[UNANSWERED] = (article.id, outcome)
    else:
        st.session_state.pop(UNANSWERED, None)
    return outcome


def _made_at(summary: Summary) -> str:
    """When the summary was made, in this machine's time of day."""
    if not summary.created_at:
        return "just now"
    return datetime.fromisoformat(summary.created_at).astimezone().strftime("%H:%M:%S")


def _ask_delete(article_id: str) -> None:
    st.session_state[CONFIRM] = article_id


def _cancel_delete() -> None:
    st.session_state.pop(CONFIRM, None)


def _delete(knowledge_base: KnowledgeBase, article: Article) -> None:
    """The article, then back to the list, which says so."""
    st.session_state.pop(CONFIRM, None)
    try:
        knowledge_base.delete(article.id)
    except ArticleNotFound as error:
        st.session_state[FLASH] = ("error", str(error))
    else:
        st.session_state[FLASH] = ("success", f"Deleted “{article.title}”.")
    _back_to_the_library()


def _confirm_delete(knowledge_base: KnowledgeBase, article: Article) -> None:
    """The whole width of the page: a narrow column squeezed the question to a word a line."""
    st.warning(
        f"Delete “{escape_markdown(article.title)}”? Its chunks, vectors and summary are "
        "removed; this cannot be undone."
    )
    yes, no, _ = st.columns([0.2, 0.2, 0.6])
    if yes.button("Yes, delete", type="primary", key="library_delete_confirm"):
        _delete(knowledge_base, article)
    no.button("Cancel", key="library_delete_cancel", on_click=_cancel_delete)


def _uploaded_name(place: str, uploads: Path) -> str:
    """An uploaded file by the name it was uploaded under, not by the knowledge base's own copy
    (KB_HOME/uploads/…); any other path or address as it is."""
    path = Path(place)
    return path.name if path.parent.resolve() == uploads.resolve() else place


def _where_and_copies(knowledge_base: KnowledgeBase, article: Article) -> None:
    """Where the text came from, and the syndicated copies it was linked to at ingest."""
    places = [article.location, *article.also_at]
    label = "From" if len(places) == 1 else "Same text at"
    uploads = knowledge_base.settings.home / "uploads"
    shown = [_uploaded_name(place, uploads) for place in places]
    st.caption(f"{label}: " + " · ".join(escape_markdown(place) for place in shown))
    if article.canonical_url and article.canonical_url not in places:
        st.caption(f"Canonical address: {escape_markdown(article.canonical_url)}")
    if article.tags:
        st.caption("Tags: " + ", ".join(escape_markdown(tag) for tag in article.tags))
    for other_id in article.near_duplicates:
        try:
            other = knowledge_base.article(other_id)
        except ArticleNotFound:
            continue
        # Escaped as one: `escape_markdown` strips a line's ends, the space after the comma too.
        where = f"{other.source or 'no source'}, {other.date[:10] or 'no date'}"
        if st.button(
            "Near-duplicate: " + escape_markdown(f"{other.title} ({where})"),
            key=f"library_near_{other_id}",
            icon=":material/content_copy:",
        ):
            open_in_library(other_id, other.title)


def _edit_form(knowledge_base: KnowledgeBase, article: Article) -> None:
    with st.expander("Edit title, source, date or tags"), st.form(key=f"library_edit_{article.id}"):
        title = st.text_input("Title", value=article.title)
        source = st.text_input("Source", value=article.source)
        day = st.text_input("Date (YYYY-MM-DD, or empty)", value=article.date[:10])
        tags = st.text_input("Tags, separated by commas", value=", ".join(article.tags))
        if not st.form_submit_button("Save"):
            return
        day = day.strip()
        try:
            if day and day != article.date[:10]:  # unchanged, a stored time of day is kept
                day = date.fromisoformat(day).isoformat()  # "20260322" becomes "2026-03-22"
        except ValueError:
            st.error(f"Not a date: {escape_markdown(day)} (write it as YYYY-MM-DD).")
            return
        if not title.strip():
            st.error("An article needs a title.")
            return
        edit = MetadataEdit(
            title=title.strip(),
            source=source.strip(),
            date=None if day == article.date[:10] else day,
            tags=tags.split(","),
        )
        try:
            knowledge_base.edit(article.id, edit)
        except ArticleNotFound as error:
            st.error(notice_markdown(str(error)))
            return
    st.session_state[FLASH] = ("success", "Saved.")
    st.rerun()


def show_article(knowledge_base: KnowledgeBase, article_id: str) -> None:
    try:
        article = knowledge_base.article(article_id)
    except ArticleNotFound as error:
        st.error(notice_markdown(str(error)))
        return
    st.header(escape_markdown(article.title), anchor=False)
    details = [article.source, article.author, article.date or "no date", article.language]
    st.caption(
        escape_markdown(" · ".join(detail for detail in details if detail)),
        # What only `kb show`, `kb export` and the like need: out of the reader's way.
        help=f"Article id {article.id} · {plural(article.chunks, 'chunk')}",
    )
    # How the summary is made, where a reader looks while reading it: the sidebar's mode is
    # folded away on a phone, and the line under the summary is at the page's very end. Filled
    # once the summary is there (a stored one may be of another mode than the app's now).
    mode_slot = st.empty()
    shown: Summary | None = st.session_state.get(SHOWN)
    if shown is not None and shown.article_id == article.id:
        # At once, in the emptied slot: while Regenerate ran, the slot was blank for as long.
        mode_badge(shown, mode_slot)
    highlight = st.session_state.get(HIGHLIGHT)
    if highlight and highlight[0] == article.id:
        with st.container(border=True):
            st.markdown("**The cited passage, where it stands in the article**")
            render_spans([Span(start=highlight[1], end=highlight[2])], article.text or "")
    _where_and_copies(knowledge_base, article)
    _edit_form(knowledge_base, article)
    regenerate_column, delete_column, _ = st.columns([0.25, 0.25, 0.5])
    regenerate = regenerate_column.button("Regenerate summary", key="library_regenerate")
    confirming = st.session_state.get(CONFIRM) == article.id
    delete_column.button(
        "Delete", key="library_delete", on_click=_ask_delete, args=(article.id,),
        disabled=confirming,
    )  # fmt: skip
    # Always there, empty unless asking, so that the elements after it keep their places: while
    # a run draws the page, each element of the last run stays until one is drawn in its place,
    # and with the question's elements put before it the Abstract was gone until it was redrawn.
    with st.container():
        if confirming:
            _confirm_delete(knowledge_base, article)
    # Always there, like the delete question's, so that the summary keeps its place. A status
    # drawn at once: st.spinner shows only after half a second, and a regeneration of a second
    # (offline, most of the run is drawing the page) looked like no click at all.
    feedback = st.empty()
    if regenerate:
        feedback.status("Regenerating the summary…", state="running")
    try:
        summary, notice, unavailable = _summary(knowledge_base, article, regenerate)
    except ArticleNotFound as error:
        feedback.error(notice_markdown(str(error)))
        return
    with feedback.container():
        if regenerate and not unavailable:  # a summary much like the last looked like no change
            made = f"Summary regenerated ({mode_text(summary)}, {_made_at(summary)})."
            st.status(escape_markdown(made), state="complete")
        if notice:
            st.warning(notice_markdown(notice))
    mode_badge(summary, mode_slot)
    st.session_state[SHOWN] = summary
    render_summary(summary, article.text or "")
    said = app_notice(notice)  # the exports say what the page says beside the summary
    download_buttons(
        f"{file_stem(article.title, article.id)}-summary",
        summary.markdown(article, said),
        json.dumps(summary.exported(article, said), indent=2, ensure_ascii=False),
        "library",
    )
    with st.expander("Show full text"):
        st.markdown(escape_markdown(article.text or ""))


def _reset_page() -> None:
    st.session_state[PAGE] = 0


def _turn_page(step: int) -> None:
    st.session_state[PAGE] = st.session_state.get(PAGE, 0) + step
    st.session_state[TURNED] = True


def _narrowed(articles: list[Article]) -> list[Article]:
    """The search and filter bar, and the articles it leaves."""
    search_column, sort_column = st.columns([0.7, 0.3])
    matching = search_column.text_input(
        "Search",
        key="library_search",
        persist_state="session",
        placeholder="Words from titles, sources, authors or tags",
        on_change=_reset_page,
    )
    sort = sort_column.selectbox(
        "Sort", list(SORTS), format_func=SORTS.__getitem__, key="library_sort",
        on_change=_reset_page, persist_state="session",
    )  # fmt: skip
    # Counted before the fields are drawn, to name them on the expander: folded, it hid them,
    # and "0 of 10 articles" looked like an empty library.
    active = sum(bool(st.session_state.get(f"library_{name}")) for name in FILTER_NAMES)
    with st.expander(f"Filters ({active} active)" if active else "Filters", expanded=bool(active)):
        filters = filter_fields(articles, "library", row_of_two(), row_of_two(), _reset_page)
        formats = row_of_two()[0].multiselect(
            "Formats", sorted({a.format for a in articles if a.format}), key="library_formats",
            on_change=_reset_page, persist_state="session",
        )  # fmt: skip
    return select(articles, filters, formats, matching, sort)  # the list already read


def _card(knowledge_base: KnowledgeBase, article: Article, being_summarised: set[str]) -> None:
    with st.container(border=True):
        text_column, open_column = st.columns([0.86, 0.14], vertical_alignment="center")
        text_column.markdown(f"**{escape_markdown(article.title)}**")
        day = article.date[:10] or "no date"  # else an undated article looks like a gap
        details = [article.source, day, article.format, ", ".join(article.tags)]
        text_column.caption(escape_markdown(" · ".join(d for d in details if d)))
        line = knowledge_base.abstract_line(article.id)
        if line:
            text_column.markdown(escape_markdown(line))
        elif article.id in being_summarised:  # not "open the article to make one"
            text_column.caption("Summary being made now, with the rest of its upload.")
        else:
            text_column.caption("No summary yet: open the article to make one.")
        if open_column.button("Open", key=f"library_open_{article.id}"):
            open_in_library(article.id, article.title)


def _cards(knowledge_base: KnowledgeBase, articles: list[Article]) -> None:
    """One page of cards, with the pager when there is more than one page."""
    pages = max(1, -(-len(articles) // PAGE_SIZE))
    page = min(max(st.session_state.get(PAGE, 0), 0), pages - 1)
    st.session_state[PAGE] = page
    shown = articles[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    being_summarised = running_uploads().being_summarised()
    for article in shown:
        _card(knowledge_base, article, being_summarised)
    if pages > 1:
        back, where, forward = st.columns([0.2, 0.6, 0.2], vertical_alignment="center")
        back.button(
            "Previous", key="library_previous", disabled=page == 0, on_click=_turn_page, args=(-1,)
        )
        where.caption(f"Page {page + 1} of {pages}")
        forward.button(
            "Next", key="library_next", disabled=page == pages - 1, on_click=_turn_page, args=(1,)
        )
    awaited = {article.id for article in shown} & being_summarised
    if awaited:
        _await_summaries(awaited)
    if st.session_state.pop(TURNED, False):
        # The pager is under the cards: the next page was shown scrolled to its bottom. Our own
        # script, nothing else; the page's number makes it new, so that it runs at each turn.
        st.html(
            f"<script data-page='{page}'>document.querySelector('[data-testid=stMain] h1')"
            "?.scrollIntoView();</script>",
            unsafe_allow_javascript=True,
        )


@st.fragment(run_every=SUMMARY_POLL_S)
def _await_summaries(awaited: set[str]) -> None:
    """Draws nothing: the whole page again once a summary the cards say is being made is done
    (they said so until the reader reloaded). Drawn only while one is awaited, so the page
    drawn after the last stops the polling; a page drawn again keeps its place."""
    if not awaited <= running_uploads().being_summarised():
        st.rerun(scope="app")


def _say_deleted() -> None:
    """Why the article asked for is not shown: else the page would look as if the citation
    pointed nowhere."""
    highlight = st.session_state.get(HIGHLIGHT)
    what = "The cited article" if highlight else "The article"
    title = st.session_state.get(OPEN_TITLE)
    named = f"{what} “{escape_markdown(title)}”" if title else what
    st.warning(f"{named} was deleted: it is no longer in the knowledge base.")


def _flash() -> None:
    """The message the last run left for this one (after a delete or a save), in a container
    that is always there: the elements after it keep their places from run to run (a run
    leaves the last run's elements until it draws its own in their place, so with the message
    gone, a Regenerate run after a Save showed its buttons twice until it was done)."""
    flash = st.session_state.pop(FLASH, None)
    with st.container():
        if flash:
            kind, message = flash
            (st.error if kind == "error" else st.success)(notice_markdown(message))


def render_article() -> None:
    """The Article page: the article `open_in_library` chose, or why there is none."""
    knowledge_base = get_kb()
    st.title("Library")
    _flash()
    if st.button("Back to the library", key="library_back", icon=":material/arrow_back:"):
        _back_to_the_library()
    opened = _opened()
    if opened is None:
        st.info("No article is open: choose one in the library.")
    elif opened not in {article.id for article in knowledge_base.articles()}:
        _say_deleted()  # deleted meanwhile (e.g. from the CLI or another session)
        _close()
    else:
        show_article(knowledge_base, opened)


def render() -> None:
    knowledge_base = get_kb()
    st.title("Library")
    _flash()
    articles = knowledge_base.articles()
    if not articles:
        st.info("No articles yet. Add some on the **Upload** page.")
        st.page_link("upload.py", label="Go to Upload", icon=":material/upload_file:")
        return
    found = _narrowed(articles)
    everything = len(found) == len(articles)
    st.caption(f"{len(found)} of {len(articles)} articles" if not everything else
               f"{len(articles)} article{'' if len(articles) == 1 else 's'}")  # fmt: skip
    if not found:
        st.info("No article matches: change the search or the filters.")
        return
    _cards(knowledge_base, found)


if __name__ == "__main__":
    render()
