"""Settings page: the LLM endpoint (tested before it is used) and what the index holds."""

from __future__ import annotations

import time

import streamlit as st
from pydantic import ValidationError

from kb import KnowledgeBase
from kb.llm import LLMError
from kb.settings import SavedLLM
from ui.render import notice_markdown
from ui.state import get_kb

CHECK = "settings_check"  # ("success" | "warning" | "error", message) of the last test or save


def _from_this_machine() -> bool:
    """Whether the browser runs on the server's machine: only then may the page change the
    endpoint (all article text goes to it) or make the server call an address (a test)."""
    address = st.context.ip_address  # None from this machine (and a stand-in under AppTest)
    return not isinstance(address, str) or address in ("127.0.0.1", "::1")


def _endpoint_form(knowledge_base: KnowledgeBase) -> None:
    current = knowledge_base.settings.llm
    with st.form("settings_llm"):
        base_url = st.text_input(
            "Endpoint (OpenAI-compatible base URL)",
            value=current.base_url or "",
            placeholder="e.g. http://127.0.0.1:11434/v1 (Ollama); empty for OpenAI's own API",
        )
        model = st.text_input("Model", value=current.model)
        # The key is never sent to the browser: typed, it replaces the one in use.
        api_key = st.text_input(
            "API key" + (" (one is set: leave empty to keep it)" if current.api_key else ""),
            type="password",
        )
        remove_key = bool(current.api_key) and st.checkbox("Remove the key")
        test_column, save_column, _ = st.columns([0.25, 0.25, 0.5])
        test = test_column.form_submit_button("Test connection")
        save = save_column.form_submit_button("Save and use", type="primary")
    if not (test or save):
        return
    if not _from_this_machine():
        st.session_state[CHECK] = ("error", "The endpoint can be changed only on this machine.")
        return
    key = None if remove_key else api_key.strip() or current.api_key
    try:
        choice = SavedLLM(base_url=base_url.strip() or None, api_key=key, model=model.strip())
    except ValidationError as error:  # not an http(s) address: said before any request
        st.session_state[CHECK] = ("error", error.errors()[0]["ctx"]["error"].args[0])
        return
    if test:
        st.session_state[CHECK] = _test(knowledge_base, choice)
    if save:
        # Tested first, yet saved either way: the endpoint may be started later.
        kind, tested = (
            _test(knowledge_base, choice)
            if choice.applied_to(knowledge_base.settings.llm).configured
            else ("success", "")
        )
        # A key from the environment is never copied to disk: with KB_LLM_* set, a change
        # lasts until the app restarts (the page says so).
        knowledge_base.use_llm(choice, save=not knowledge_base.llm_from_environment)
        saved = f"Saved. Mode: {knowledge_base.mode_label}."
        st.session_state[CHECK] = (
            ("success", saved)
            if kind == "success"
            else ("warning", f"{saved} It did not answer a test request, though: {tested}")
        )
        st.rerun()  # the sidebar shows the new mode


def _test(knowledge_base: KnowledgeBase, choice: SavedLLM) -> tuple[str, str]:
    """("success" | "error", what came of a tiny request to the endpoint). A spinner says it
    is waiting: an endpoint that does not answer holds the page until the request times out."""
    started = time.monotonic()
    try:
        with st.spinner("Testing the connection…"):
            reply = knowledge_base.check_llm(choice)
    except LLMError as error:
        return "error", f"No answer: {error}"
    seconds = time.monotonic() - started
    return "success", f"Connected: {choice.model} answered “{reply.strip()}” in {seconds:.1f} s."


def render() -> None:
    knowledge_base = get_kb()
    st.title("Settings")
    st.subheader("Language model", anchor=False)
    st.markdown(f"**Mode now:** {notice_markdown(knowledge_base.mode_label)}")
    st.caption(
        "With an endpoint (or an OpenAI API key), answers and summaries are written by the model; "
        "with neither, they are extractive and fully offline. A change applies to everyone "
        "using this app and is kept in the home folder (the file is readable by its owner "
        "only); it can be made only in a browser on this machine."
    )
    if knowledge_base.llm_from_environment:
        st.caption(
            "KB_LLM_BASE_URL or KB_LLM_API_KEY (or KB_CONFIG) name an endpoint: they apply at "
            "every start, so what you save here lasts until the app restarts."
        )
    _endpoint_form(knowledge_base)
    check = st.session_state.pop(CHECK, None)
    if check:
        kind, message = check
        show = {"success": st.success, "warning": st.warning}.get(kind, st.error)
        show(notice_markdown(message))

    st.subheader("Index", anchor=False)
    info = knowledge_base.index_info()
    columns = st.columns(4)
    columns[0].metric("Articles", info.articles)
    columns[1].metric("Chunks", info.chunks)
    columns[2].metric("Summaries", info.summaries)
    columns[3].metric("On disk", f"{info.disk_bytes / 1e6:.1f} MB")
    st.caption(notice_markdown(f"Home: {info.home} · {info.store} · embeddings: {info.embedder}"))


if __name__ == "__main__":
    render()
