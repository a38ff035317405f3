"""The whole app: sidebar honesty, upload -> library -> ask, and inert rendering of hostile text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _ui_helpers import (
    DATA,
    assert_no_exception,
    card_titles,
    markdown_bodies,
    open_app,
    open_article,
    rendered_html,
    rendered_text,
    visible_text,
    wait_for_upload,
)
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Html

from kb import KnowledgeBase
from ui.render import ANCHOR_CLASS, OPEN_CITED_SOURCE_SCRIPT, TARGETED_SOURCE_STYLE

HOSTILE_TITLE = "Levee report <img src=x onerror=alert(1)> [click](javascript:alert(1)) **loud**"
HOSTILE_TEXT = f"""{HOSTILE_TITLE}

The Millbrook levee inspection found cracks near the culvert, see [the full report](http://evil.example/phish) for details and ![tracking](http://evil.example/pixel.gif) images.

Engineers said the Millbrook levee <script>alert('x')</script> had been patched twice before the flood, and that **nobody** checked the _culvert_ after 2024.

# Not a heading
> Not a quote
- Not a list: the Millbrook levee repairs will cost `four million` dollars, officials said on Monday.
"""


def test_sidebar_shows_mode_home_and_article_count(ui_kb: KnowledgeBase, ui_home: Path) -> None:
    at = open_app()
    sidebar = visible_text(at.sidebar)
    assert "Mode: Offline extractive (no LLM configured)" in sidebar
    assert f"Home: {ui_home.resolve()}" in sidebar
    assert "3 articles" in sidebar


def test_sidebar_names_a_configured_llm(ui_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("KB_LLM_MODEL", "tiny-model")
    at = open_app()
    assert "Mode: LLM: tiny-model at http://127.0.0.1:9/v1" in visible_text(at.sidebar)


def test_upload_then_library_then_ask(ui_home: Path) -> None:
    at = open_app()
    at.file_uploader[0].set_value(
        [
            (name, (DATA / name).read_bytes(), "application/octet-stream")
            for name in ("millbrook-council-rebuild-vote.txt", "millbrook-flood-regional-wire.html")
        ]
    ).run()
    at.button(key="upload_ingest").click().run()
    assert_no_exception(at)
    wait_for_upload(at)
    assert list(at.table[0].value["Status"]) == ["ingested", "ingested"]

    at.switch_page("library.py").run()
    assert_no_exception(at)
    titles = card_titles(at)
    assert len(titles) == 2 and any(
        title.startswith("Millbrook council approves") for title in titles
    )
    open_article(at, next(t for t in titles if t.startswith("Millbrook council")))
    text = visible_text(at)
    assert "Abstract" in text and "[01] " in text

    at.switch_page("ask.py").run()
    at.chat_input[0].set_value("What happened after the Millbrook flood?").run()
    assert_no_exception(at)
    assistant = at.chat_message[1]
    assert "[1]" in rendered_text(assistant.markdown[0].value)
    labels = [rendered_text(expander.label).strip() for expander in assistant.expander]
    assert any(label.startswith("[1] ") and label[4:] in titles for label in labels)


# The only HTML and links the app writes itself: a box's anchor, the style that outlines the
# box an [n] links to, the script that opens it, and the [n] links in an answer. No article
# text goes in any of them.
OUR_HTML = re.compile(
    rf'<div id="[\w-]+-source-\d+" class="{ANCHOR_CLASS}"></div>'
    rf"|{re.escape(TARGETED_SOURCE_STYLE)}"
)
MARK_LINK = re.compile(r'<a href="#[\w-]+-source-\d+">\[\d+\]</a>')


def _assert_inert(at: AppTest) -> None:
    """No element may render HTML, a link, an image, emphasis or any other injected markup."""
    bodies = markdown_bodies(at) + [expander.label for expander in at.expander]
    assert bodies
    for element in at.markdown:
        assert not element.allow_html or OUR_HTML.fullmatch(element.value), element.value
    scripts = [html.value for html in at.get("html") if isinstance(html, Html)]
    assert all(script == OPEN_CITED_SOURCE_SCRIPT for script in scripts), scripts
    for body in bodies:
        if body.startswith((":gray-badge[", ":blue-badge[")) or OUR_HTML.fullmatch(body):
            continue
        html = MARK_LINK.sub("", rendered_html(body))
        for tag in ("<a ", "<img", "<script", "<em>", "<code>", "<blockquote>", "<h1>"):
            assert tag not in html, (tag, body)
        assert "<strong>loud</strong>" not in html and "<strong>nobody</strong>" not in html


def test_hostile_article_text_is_shown_literally(ui_home: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    knowledge_base = KnowledgeBase()
    report = knowledge_base.ingest([hostile])
    assert report.count("ingested") == 1, report
    article = knowledge_base.articles()[0]
    assert "<img" in article.title or "<img" in (knowledge_base.article(article.id).text or "")

    at = open_app("library.py")
    open_article(at, article.title)
    _assert_inert(at)
    shown = visible_text(at)
    assert "<script>alert('x')</script>" in shown
    assert "[the full report](http://evil.example/phish)" in shown

    at.switch_page("ask.py").run()
    at.chat_input[0].set_value("What did the Millbrook levee inspection find?").run()
    assert_no_exception(at)
    _assert_inert(at)
    assert at.chat_message[1].expander  # it was cited, and its title shown literally
