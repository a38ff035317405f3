"""ui.serve opens the knowledge base before the first page asks for it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import ui.state
from kb import KnowledgeBase
from ui import serve


def test_the_first_page_finds_the_knowledge_base_open(
    ui_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[KnowledgeBase] = []

    def counted() -> KnowledgeBase:
        opened.append(KnowledgeBase())
        return opened[-1]

    monkeypatch.setattr(ui.state, "KnowledgeBase", counted)
    serve.open_knowledge_base()
    assert len(opened) == 1 and opened[0].settings.home == ui_home
    assert ui.state.get_kb() is opened[0]  # the page's call: cached, not opened again
    assert len(opened) == 1


def test_a_home_that_cannot_open_is_left_for_the_first_page_to_report(
    ui_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ui_home.parent.joinpath("kb-home").write_text("a file where the home folder should be")
    serve.open_knowledge_base()  # no exception escapes the thread
    with pytest.raises(FileExistsError):
        ui.state.get_kb()  # not cached: the page opens it again and gets the error


def test_only_the_opening_thread_s_warnings_are_dropped() -> None:
    from streamlit.runtime.scriptrunner_utils import script_run_context

    def record(thread: str) -> logging.LogRecord:
        made = logging.LogRecord("streamlit", logging.WARNING, __file__, 1, "no page", None, None)
        made.threadName = thread
        return made

    assert not serve._not_from_this_thread(record(serve.THREAD))
    assert serve._not_from_this_thread(record("ScriptRunner.scriptThread"))
    # The warning comes from the logger the filter is put on.
    assert script_run_context._LOGGER.name == script_run_context.__name__
