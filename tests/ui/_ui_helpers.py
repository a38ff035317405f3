"""Shared helpers for the UI tests (AppTest drivers and rendered-Markdown checks)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
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


def open_app(page: str | None = None) -> AppTest:
    """The real app (ui/app.py) after a first run, switched to `page` (e.g. "library.py")."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_no_exception(at)
    if page is not None:
        at.switch_page(page).run()
        assert_no_exception(at)
    return at


def wait_for_summaries(at: AppTest) -> None:
    """Until the summaries an upload started on their own thread are done, then a rerun (so no
    thread of one test still writes while the next runs)."""
    from ui.upload import SUMMARIES

    for _ in range(240):
        if SUMMARIES not in at.session_state or at.session_state[SUMMARIES].finished:
            break
        time.sleep(0.5)
    assert SUMMARIES not in at.session_state or at.session_state[SUMMARIES].finished
    at.run()
    assert_no_exception(at)


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
            if child.type == "text":
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
