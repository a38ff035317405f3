"""Shared helpers for the UI tests (AppTest drivers and rendered-Markdown checks)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
APP = REPO / "ui" / "app.py"
SAMPLE_FILES = [
    "millbrook-flood-ledger.md",
    "millbrook-council-rebuild-vote.txt",
    "harlow-green-line-opens.html",
]
TIMEOUT = 120.0  # seconds per script run: the embedding model loads on first use

# CommonMark with raw HTML enabled: if escaping failed, HTML, links and images would show up here.
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def open_app(page: str | None = None, query_params: dict[str, str] | None = None) -> AppTest:
    """The real app (ui/app.py) after a first run, switched to `page` (e.g. "library.py"); with
    `query_params`, as a browser opening (or reloading) an address with them does."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query_params or {})
    at.run()
    assert_no_exception(at)
    if page is not None:
        at.switch_page(page).run()
        assert_no_exception(at)
    return at


def wait_for_upload(at: AppTest) -> None:
    """Until the upload's ingest and summaries, done on a thread of their own, are finished,
    then a rerun (so no thread of one test still writes while the next runs)."""
    from ui.upload import JOB

    for _ in range(480):
        if JOB not in at.session_state or at.session_state[JOB].finished:
            break
        time.sleep(0.5)
    assert JOB not in at.session_state or at.session_state[JOB].finished
    at.run()
    assert_no_exception(at)


def card_titles(at: AppTest) -> list[str]:
    """The titles on the shown page of cards, top to bottom."""
    return [
        rendered_text(m.value).strip().strip("*")
        for m in at.main.markdown
        if m.value.startswith("**") and m.value.endswith("**")
    ]


def open_article(at: AppTest, title: str) -> str:
    """Open the article titled `title` from its card on the Library page; its id."""
    from kb import KnowledgeBase

    matches = [a.id for a in KnowledgeBase().articles() if a.title == title]
    assert len(matches) == 1, title
    click_to_page(at, f"library_open_{matches[0]}", "article.py")
    assert at.session_state["library_selected"] == matches[0]
    return matches[0]


def click_to_page(at: AppTest, key: str, page: str) -> None:
    """Click the button `key`, which takes the app to `page`, where the next runs stay: AppTest
    reruns the page last given to its own `switch_page`, not the one `st.switch_page` went to."""
    at.button(key=key).click().run()
    assert_no_exception(at)
    at.switch_page(page)


def record_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The files the page's download buttons offer, by file name, as the app runs: Streamlit's
    media store (which holds them) is gone once an AppTest run ends."""
    offered: dict[str, bytes] = {}
    add = MediaFileManager.add

    def recorded(self: MediaFileManager, data: bytes | str, *args: Any, **kwargs: Any) -> str:
        if isinstance(data, bytes) and kwargs.get("file_name"):
            offered[kwargs["file_name"]] = data
        return add(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", recorded)
    return offered


def results_table(at: AppTest) -> Any:
    """The Upload page's results table (a pandas DataFrame) as a reader sees its cells."""
    table = at.table[0].value
    return table.map(lambda cell: rendered_text(cell).strip() if isinstance(cell, str) else cell)


def in_page_order(node: Any) -> Iterator[Any]:
    """The elements under `node`, top to bottom, inside containers and fragments too: also the
    order of a narrow window, where each row's columns stack, the first on top."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from in_page_order(child)


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [exception.value for exception in at.exception]


def markdown_bodies(node: Any) -> list[str]:
    """The Markdown source of every markdown-like element under `node` (AppTest or a block)."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error")
    return [element.value for kind in kinds for element in node.get(kind)]


def rendered_text(markdown: str) -> str:
    """What a reader sees: the text content of `markdown` rendered as CommonMark."""
    text: list[str] = []
    for token in _MARKDOWN.parse(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                text.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                text.append(" ")
        if token.type == "inline":
            text.append("\n")
    return "".join(text)


def rendered_html(markdown: str) -> str:
    return _MARKDOWN.render(markdown)


def visible_text(node: Any) -> str:
    """All markdown-like elements under `node`, rendered, joined by newlines."""
    return "\n".join(rendered_text(body) for body in markdown_bodies(node))


@dataclass
class HeldLLM:
    """An LLM endpoint (the `held_llm` fixture) that holds every answer back until `release`:
    what a page shows while an upload's summaries are being made stays on screen to be read."""

    summarising: threading.Event = field(default_factory=threading.Event)  # a request came
    _go_on: threading.Event = field(default_factory=threading.Event)

    def reply(self, messages: list[dict[str, Any]]) -> str:
        self.summarising.set()
        self._go_on.wait(timeout=TIMEOUT)
        return "not a summary"

    def release(self) -> None:
        self._go_on.set()
