"""Settings page: the LLM endpoint (tested before it is used) and what the index holds."""

from __future__ import annotations

import time

import streamlit as st

from kb import KnowledgeBase
from kb.llm import LLMError
from kb.settings import SavedLLM
from ui.render import escape_markdown
from ui.state import get_kb

CHECK = "settings_check"  # ("success" | "error", message) of the last test or save


def _endpoint_form(knowledge_base: KnowledgeBase) -> None:
    current = knowledge_base.settings.llm
    with st.form("settings_llm"):
        base_url = st.text_input(
            "Endpoint (OpenAI-compatible base URL)",
            value=current.base_url or "",
            placeholder="e.g. http://127.0.0.1:11434/v1 (Ollama); empty for OpenAI's own API",
        )
        model = st.text_input("Model", value=current.model)
        api_key = st.text_input("API key", value=current.api_key or "", type="password")
        test_column, save_column = st.columns(2)
        test = test_column.form_submit_button("Test connection")
        save = save_column.form_submit_button("Save and use", type="primary")
    choice = SavedLLM(
        base_url=base_url.strip() or None, api_key=api_key.strip() or None, model=model.strip()
    )
    if test:
        started = time.monotonic()
        try:
            reply = knowledge_base.check_llm(choice)
        except LLMError as error:
            st.session_state[CHECK] = ("error", f"No answer: {error}")
        else:
            seconds = time.monotonic() - started
            st.session_state[CHECK] = (
                "success",
                f"Connected: {choice.model} answered “{reply.strip()}” in {seconds:.1f} s.",
            )
    if save:
        knowledge_base.use_llm(choice)
        st.session_state[CHECK] = ("success", f"Saved. Mode: {knowledge_base.mode_label}.")
        st.rerun()  # the sidebar shows the new mode


def render() -> None:
    knowledge_base = get_kb()
    st.title("Settings")
    st.subheader("Language model", anchor=False)
    st.markdown(f"**Mode now:** {escape_markdown(knowledge_base.mode_label)}")
    st.caption(
        "With an endpoint (or an OpenAI API key), answers and summaries are written by the model; "
        "with neither, they are extractive and fully offline. The key is stored in the home "
        "folder, readable by you only."
    )
    if knowledge_base.llm_from_environment:
        st.caption(
            "KB_LLM_* environment variables (or KB_CONFIG) name an endpoint: they apply at every "
            "start, so what you save here lasts until the app restarts."
        )
    _endpoint_form(knowledge_base)
    check = st.session_state.pop(CHECK, None)
    if check:
        kind, message = check
        (st.success if kind == "success" else st.error)(escape_markdown(message))

    st.subheader("Index", anchor=False)
    info = knowledge_base.index_info()
    columns = st.columns(4)
    columns[0].metric("Articles", info.articles)
    columns[1].metric("Chunks", info.chunks)
    columns[2].metric("Summaries", info.summaries)
    columns[3].metric("On disk", f"{info.disk_bytes / 1e6:.1f} MB")
    st.caption(escape_markdown(f"Home: {info.home} · {info.store} · embeddings: {info.embedder}"))


if __name__ == "__main__":
    render()
