"""Ask page: questions across all articles, answered with numbered citations."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections import OrderedDict

import streamlit as st

from kb import KnowledgeBase
from kb.conversation import MAX_QUESTION_CHARS, Conversation
from kb.models import Answer, Article, Filters
from ui.render import escape_markdown, filter_fields, render_answer
from ui.state import get_kb

HISTORY = "ask_history"  # list[Answer], oldest first
CONVERSATION = "ask_conversation"  # the kb Conversation that reads follow-ups in context
CHAT = "ask_chat"  # the name of this session's conversation in the page's address
CHAT_PARAM = "chat"
LOST_CHAT = "ask_lost_chat"  # the name of a conversation the address named, which is gone
KEPT_CHATS = 100  # conversations of this process a reload can bring back; the oldest go first

Chat = tuple[list[Answer], Conversation]


class _Chats:
    """The conversations of every session of this process by name, the newest last: a reload
    starts a new session, whose page address still names its conversation."""

    def __init__(self) -> None:
        self._chats: OrderedDict[str, Chat] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str) -> Chat | None:
        with self._lock:
            return self._chats.get(name)

    def keep(self, name: str, chat: Chat) -> None:
        with self._lock:
            self._chats[name] = chat
            self._chats.move_to_end(name)
            while len(self._chats) > KEPT_CHATS:
                self._chats.popitem(last=False)


@st.cache_resource
def _chats() -> _Chats:
    return _Chats()


def _chat() -> Chat:
    """This session's conversation; in a new session, the one the page's address names (a
    reload), if this process still has it."""
    if HISTORY not in st.session_state:
        name = st.query_params.get(CHAT_PARAM, "")
        kept = _chats().get(name)
        history, conversation = kept or ([], Conversation())
        st.session_state.update({HISTORY: history, CONVERSATION: conversation})
        if kept:
            st.session_state[CHAT] = name
        elif name:  # else a bookmark of a conversation gone looked like an empty new one
            st.session_state[LOST_CHAT] = name
            st.query_params.pop(CHAT_PARAM)
    if CHAT in st.session_state:  # named again after a visit to another page
        st.query_params[CHAT_PARAM] = st.session_state[CHAT]
    return st.session_state[HISTORY], st.session_state[CONVERSATION]


def _keep(chat: Chat) -> None:
    """The conversation, named in the page's address once it has an answer to keep."""
    name = st.session_state.setdefault(CHAT, uuid.uuid4().hex[:16])
    _chats().keep(name, chat)
    st.query_params[CHAT_PARAM] = name


def _new_conversation() -> None:
    st.session_state.pop(LOST_CHAT, None)
    st.session_state[HISTORY] = []
    st.session_state[CONVERSATION] = Conversation()
    st.session_state.pop(CHAT, None)
    st.query_params.pop(CHAT_PARAM, None)


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
    history, conversation = _chat()
    articles = knowledge_base.articles()
    filters = _sidebar_filters(articles)
    st.button("New conversation", key="ask_new_conversation", on_click=_new_conversation)
    question = st.chat_input(  # pinned to the bottom; it counts the characters as they are typed
        "Ask a question about your articles", max_chars=MAX_QUESTION_CHARS
    )
    lost = st.session_state.get(LOST_CHAT)
    if lost and not history and not question:
        st.warning(
            f"The conversation named in the address ({escape_markdown(lost)}) was not found: "
            "conversations are kept only while the app runs, the last "
            f"{KEPT_CHATS} of them. A new one starts here."
        )
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
            if len(question) >= MAX_QUESTION_CHARS:  # the input takes no more: pasted, it cuts
                st.caption(
                    f"A question is at most {MAX_QUESTION_CHARS:,} characters: anything after "
                    "them was left off."
                )
        with st.chat_message("assistant"):
            answer = answer_question(
                knowledge_base, question.strip(), filters, conversation, f"ask_{len(history)}"
            )
        if answer is not None:
            history.append(answer)
            _keep((history, conversation))


if __name__ == "__main__":
    render()
