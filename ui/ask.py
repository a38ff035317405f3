"""Ask page: questions across all articles, answered with numbered citations."""

from __future__ import annotations

import itertools

import streamlit as st

from kb import KnowledgeBase
from kb.conversation import Conversation
from kb.models import Answer, Article, Filters
from ui.render import escape_markdown, filter_fields, render_answer
from ui.state import get_kb

HISTORY = "ask_history"  # list[Answer], oldest first
CONVERSATION = "ask_conversation"  # the kb Conversation that reads follow-ups in context


def _new_conversation() -> None:
    st.session_state[HISTORY] = []
    st.session_state[CONVERSATION] = Conversation()


def _sidebar_filters(articles: list[Article]) -> Filters:
    """Which articles to search; sources and dates named in a question narrow it further."""
    with st.sidebar:
        st.markdown("**Limit the search to**")
        one_column = (st.sidebar, st.sidebar)
        return filter_fields(articles, "ask", one_column, one_column)


def answer_question(
    knowledge_base: KnowledgeBase,
    question: str,
    filters: Filters | None,
    conversation: Conversation | None,
    key: str,
) -> Answer | None:
    """Stream the answer into the current container; the final Answer replaces the draft."""
    placeholder = st.empty()
    try:
        events = knowledge_base.ask_stream(question, filters=filters, conversation=conversation)
        with st.spinner("Searching your articles…"):
            first = next(events, None)
        answer: Answer | None = None
        draft = ""
        for event in itertools.chain([first] if first is not None else [], events):
            if isinstance(event, Answer):
                answer = event
            else:
                draft += event
                placeholder.markdown(escape_markdown(draft) + " ▌")
    except Exception as error:  # the core falls back itself on LLM errors; this is the rest
        placeholder.error(f"Could not answer: {escape_markdown(str(error))}")
        return None
    if answer is None:
        placeholder.error("Could not answer: no answer was produced.")
        return None
    with placeholder.container():
        render_answer(answer, key)
    return answer


def render() -> None:
    knowledge_base = get_kb()
    st.title("Ask")
    history: list[Answer] = st.session_state.setdefault(HISTORY, [])
    conversation: Conversation = st.session_state.setdefault(CONVERSATION, Conversation())
    articles = knowledge_base.articles()
    filters = _sidebar_filters(articles)
    st.button("New conversation", key="ask_new_conversation", on_click=_new_conversation)
    question = st.chat_input("Ask a question about your articles")  # pinned to the bottom
    if not history and not question:
        if articles:
            st.info(
                escape_markdown(
                    f"Ask a question across {filters.describe()}; answers cite their sources."
                )
            )
        else:
            st.info("No articles yet. Add some on the **Upload** page, then ask away.")
    for number, earlier in enumerate(history):
        with st.chat_message("user"):
            st.markdown(escape_markdown(earlier.question))
        with st.chat_message("assistant"):
            render_answer(earlier, f"ask_{number}")
    if question and question.strip():
        with st.chat_message("user"):
            st.markdown(escape_markdown(question))
        with st.chat_message("assistant"):
            answer = answer_question(
                knowledge_base, question.strip(), filters, conversation, f"ask_{len(history)}"
            )
        if answer is not None:
            history.append(answer)


if __name__ == "__main__":
    render()
