"""Ask: a chat over all articles, with the mode, any notice, and one expander per source."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from _ui_helpers import (
    assert_no_exception,
    in_page_order,
    open_app,
    rendered_html,
    rendered_text,
    visible_text,
)

from kb import KnowledgeBase
from kb.conversation import MAX_QUESTION_CHARS
from kb.models import Answer, Citation
from ui.render import NEAREST_HEADING, source_anchor

QUESTION = "What happened after the Millbrook flood?"


def test_ask_answers_with_citations_and_keeps_the_conversation(ui_kb: KnowledgeBase) -> None:
    at = open_app("ask.py")
    assert [title.value for title in at.title] == ["Ask"]
    at.chat_input[0].set_value(QUESTION).run()
    assert_no_exception(at)

    user, assistant = at.chat_message
    assert user.name == "user" and rendered_text(user.markdown[0].value).strip() == QUESTION
    assert assistant.name == "assistant"
    answer_text = rendered_text(assistant.markdown[0].value)
    assert "[1]" in answer_text and "Millbrook" in answer_text
    assert ":gray-badge[offline extractive]" in [m.value for m in assistant.markdown]
    # The articles after the flood's first report, oldest first (kb.answer.what_followed_answer)
    expected = ui_kb.ask(QUESTION)
    labels = [rendered_text(expander.label).strip() for expander in assistant.expander]
    assert labels == [f"[{c.n}] {c.title}" for c in expected.citations] and len(labels) >= 2

    # The source expander holds the quote and where it is in which article.
    first = expected.citations[0]
    source = assistant.expander[0]
    assert " ".join(rendered_text(source.markdown[0].value).split()) == " ".join(
        first.quote.split()
    )
    assert first.source and first.date
    # A reader sees where it was published and when; the offsets and id only in a tooltip.
    assert rendered_text(source.caption[0].value).strip() == f"{first.source} · {first.date[:10]}"
    assert source.caption[0].proto.help == (
        f"Characters {first.start}–{first.end} of article {first.article_id}"
    )

    # History survives reruns and grows; a follow-up is read with the turn before it.
    at.chat_input[0].set_value("And what did the other source say?").run()
    assert_no_exception(at)
    assert [message.name for message in at.chat_message] == ["user", "assistant"] * 2
    assert QUESTION in visible_text(at.chat_message[0])
    assert 'Read as: "And what did the other source say? (' in visible_text(at.chat_message[3])
    assert len(at.session_state["ask_conversation"].turns) == 2

    # "New conversation" clears both.
    at.button(key="ask_new_conversation").click().run()
    assert_no_exception(at)
    assert not at.chat_message and at.session_state["ask_history"] == []
    assert at.session_state["ask_conversation"].turns == []


def test_open_in_article_shows_the_cited_passage_in_the_library(ui_kb: KnowledgeBase) -> None:
    at = open_app("ask.py")
    at.chat_input[0].set_value(QUESTION).run()
    first = ui_kb.ask(QUESTION).citations[0]
    at.button(key="ask_0_open_1").click().run()
    assert_no_exception(at)
    assert at.session_state["library_selected"] == first.article_id
    assert [rendered_text(h.value).strip() for h in at.header] == [first.title]  # the Library
    text = ui_kb.article(first.article_id).text or ""
    cited = " ".join(text[first.start : first.end].split())
    highlighted = [" ".join(rendered_text(m.value).split()) for m in at.main.markdown]
    assert any(f":orange-background[{cited}]" in m for m in highlighted)
    assert "The cited passage" in visible_text(at)


def test_sidebar_filters_narrow_the_search(ui_kb: KnowledgeBase) -> None:
    at = open_app("ask.py")
    unfiltered = {c.source for c in ui_kb.ask(QUESTION).citations}
    assert len(unfiltered) > 1  # so that the filter has something to remove
    at.sidebar.multiselect(key="ask_sources").select("The Millbrook Ledger").run()
    at.chat_input[0].set_value(QUESTION).run()
    assert_no_exception(at)
    assistant = at.chat_message[1]
    assert assistant.expander
    for expander in assistant.expander:
        assert rendered_text(expander.caption[0].value).startswith("The Millbrook Ledger · ")
    assert "from The Millbrook Ledger" in visible_text(assistant)  # the notice names the filter


def test_an_abstention_lists_the_nearest_passages(ui_kb: KnowledgeBase) -> None:
    at = open_app("ask.py")
    at.chat_input[0].set_value("What is the recipe for banana bread?").run()
    assert_no_exception(at)
    assistant = at.chat_message[1]
    assert "does not contain enough information" in visible_text(assistant)
    assert "Nearest passages (they do not answer it)" in visible_text(assistant)
    nearest = ui_kb.ask("What is the recipe for banana bread?").nearest
    labels = [rendered_text(expander.label).strip() for expander in assistant.expander]
    assert labels == [f"[{c.n}] {c.title}" for c in nearest] and labels


def test_passages_quoted_below_a_hedge_are_headed_as_the_nearest(ui_kb: KnowledgeBase) -> None:
    """Below "No passage found mentions …" the passages were headed "Sources", as if they
    answered."""
    at = open_app("ask.py")
    at.chat_input[0].set_value("When will the Green Line extension to the airport open?").run()
    assert_no_exception(at)
    shown = visible_text(at.chat_message[1])
    assert "No passage found mentions" in shown
    assert "Sources (the nearest found; they may not answer it)" in shown


def test_ask_on_an_empty_knowledge_base_says_so(ui_home: Path) -> None:
    at = open_app("ask.py")
    assert any("No articles yet" in info.value for info in at.info)
    at.chat_input[0].set_value(QUESTION).run()
    assert_no_exception(at)
    assistant = at.chat_message[1]
    assert rendered_text(assistant.markdown[0].value).strip()  # an abstention, not a crash
    assert not assistant.expander


def test_streamed_llm_answer_is_replaced_by_the_checked_answer(
    ui_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The LLM path (no endpoint offline): deltas stream, then the final Answer replaces them."""
    article = ui_kb.articles()[0]
    final = Answer(
        question=QUESTION,
        answer="The council approved a rebuild [1].",
        mode="llm",
        model="test-model",
        notice="Checked against the sources.",
        citations=[
            Citation(
                n=1,
                article_id=article.id,
                title="A *title* with [markup](http://evil.example)",
                chunk_id=f"{article.id}:0",
                start=0,
                end=20,
                quote="quoted <b>text</b>",
            )
        ],
    )

    def fake_stream(
        self: KnowledgeBase, question: str, k: int | None = None, **_: object
    ) -> Iterator[object]:
        assert question == QUESTION
        yield "Draft **answer** "
        yield "streaming"
        yield final

    monkeypatch.setattr(KnowledgeBase, "ask_stream", fake_stream)
    at = open_app("ask.py")
    at.chat_input[0].set_value(QUESTION).run()
    assert_no_exception(at)
    assistant = at.chat_message[1]
    shown = [m.value for m in assistant.markdown]
    assert not any("Draft" in value or "▌" in value for value in shown)
    assert rendered_text(shown[0]).strip() == "The council approved a rebuild [1]."
    badges = [value for value in shown if value.startswith(":blue-badge[")]
    assert [rendered_text(badge[len(":blue-badge[") : -1]).strip() for badge in badges] == [
        "LLM: test-model"
    ]
    assert [rendered_text(info.value).strip() for info in assistant.info] == [final.notice]
    assert [rendered_text(e.label).strip() for e in assistant.expander] == [
        "[1] A *title* with [markup](http://evil.example)"
    ]
    assert rendered_text(assistant.expander[0].markdown[0].value).strip() == "quoted <b>text</b>"


def test_open_in_article_on_a_deleted_article_says_it_was_deleted(ui_kb: KnowledgeBase) -> None:
    at = open_app("ask.py")
    at.chat_input[0].set_value(QUESTION).run()
    first = ui_kb.ask(QUESTION).citations[0]
    ui_kb.delete(first.article_id)  # e.g. from the CLI, after the answer was given
    at.button(key="ask_0_open_1").click().run()
    assert_no_exception(at)
    assert [title.value for title in at.title] == ["Library"]
    assert [rendered_text(w.value) for w in at.warning] == [
        f"The cited article “{first.title}” was deleted: it is no longer in the knowledge base.\n"
    ]
    at.run()
    assert not at.warning  # said once


def test_an_answer_s_marks_link_to_their_sources(ui_kb: KnowledgeBase) -> None:
    """Each [n] in the answer is a link to the box of source n, on the same page (the browser
    test follows one)."""
    at = open_app("ask.py")
    at.chat_input[0].set_value(QUESTION).run()
    assert_no_exception(at)
    assistant = at.chat_message[1]
    numbers = [c.n for c in ui_kb.ask(QUESTION).citations]
    html = rendered_html(assistant.markdown[0].value)
    links = re.findall(r'<a href="#([\w-]+)">\[(\d+)\]</a>', html)
    assert sorted({int(n) for _, n in links}) == numbers
    anchors = [m.value for m in assistant.markdown if m.allow_html]
    for anchor, number in links:
        assert anchor == source_anchor("ask_0", int(number))
        assert any(f'id="{anchor}"' in body for body in anchors)


def test_the_empty_screen_names_the_filters_still_set(ui_kb: KnowledgeBase) -> None:
    at = open_app("ask.py")
    assert "Limit the search to" in visible_text(at.sidebar)
    assert "across all articles" in visible_text(at)
    at.sidebar.multiselect(key="ask_sources").select("The Millbrook Ledger").run()
    at.chat_input[0].set_value(QUESTION).run()
    at.button(key="ask_new_conversation").click().run()
    assert_no_exception(at)
    assert not at.chat_message
    [info] = at.info
    assert rendered_text(info.value).strip() == (
        "Ask a question across articles from The Millbrook Ledger; answers cite their sources."
    )


@pytest.mark.parametrize(
    "question",
    [
        "What is the recipe for banana bread?",  # "not enough information", and the nearest
        "When will the Green Line extension to the airport open?",  # "No passage found …"
    ],
)
def test_the_nearest_passages_are_shown_apart_from_the_answer_alike(
    ui_kb: KnowledgeBase, question: str
) -> None:
    """Below "No passage found mentions …" the passages were the answer's own lines, with [1]
    to [3] as if they answered; below "not enough information" they were folded away. Both
    now say what no passage says, then quote the nearest passages in a box headed as such."""
    expected = ui_kb.ask(question)
    nearest = expected.citations if expected.hedged else expected.nearest
    assert nearest and expected.hedged != bool(expected.nearest)
    at = open_app("ask.py")
    at.chat_input[0].set_value(question).run()
    assert_no_exception(at)
    assistant = at.chat_message[1]
    statement = rendered_text(assistant.markdown[0].value).strip()
    assert statement == expected.answer.split("\n\n")[0] and "[1]" not in statement
    [box] = [
        block
        for block in in_page_order(assistant)
        if block.type == "flex_container" and block.proto.flex_container.border
    ]
    boxed = " ".join(visible_text(box).split())
    heading = expected.sources_heading if expected.hedged else NEAREST_HEADING
    assert boxed.startswith(heading) and "nearest" in heading.casefold()
    for citation in nearest:
        assert f"{' '.join(citation.quote.split())} [{citation.n}]" in boxed
    labels = [rendered_text(expander.label).strip() for expander in box.expander]
    assert labels == [f"[{c.n}] {c.title}" for c in nearest]
    assert len(assistant.expander) == len(labels)  # no passage outside the box


def test_a_reload_keeps_the_conversation(ui_kb: KnowledgeBase) -> None:
    """A reload starts a new Streamlit session: the page's address names the conversation, so
    the new session shows it and reads a follow-up with it."""
    at = open_app("ask.py")
    at.chat_input[0].set_value(QUESTION).run()
    assert_no_exception(at)
    shown = [visible_text(message) for message in at.chat_message]

    reloaded = open_app("ask.py", query_params=dict(at.query_params))
    assert [visible_text(message) for message in reloaded.chat_message] == shown
    reloaded.chat_input[0].set_value("And what did the other source say?").run()
    assert_no_exception(reloaded)
    assert 'Read as: "And what did the other source say? (' in visible_text(
        reloaded.chat_message[3]
    )

    reloaded.button(key="ask_new_conversation").click().run()
    assert "chat" not in reloaded.query_params  # a reload now opens an empty conversation
    assert not open_app("ask.py", query_params=dict(reloaded.query_params)).chat_message


def test_a_question_is_cut_at_its_most_characters_and_says_so(ui_kb: KnowledgeBase) -> None:
    """A 5,000-character question was taken, and shown whole in the chat and in the notes."""
    question = "What did the mayor say about the levee after the flood? " * 90
    at = open_app("ask.py")
    at.chat_input[0].set_value(question).run()
    assert_no_exception(at)
    user = at.chat_message[0]
    asked = rendered_text(user.markdown[0].value).strip()
    assert question.startswith(asked) and len(asked) <= MAX_QUESTION_CHARS
    assert f"at most {MAX_QUESTION_CHARS:,} characters" in visible_text(user)
    assert question[: MAX_QUESTION_CHARS + 1] not in visible_text(at)


def test_a_conversation_the_address_names_that_is_gone_is_said_to_be(ui_kb: KnowledgeBase) -> None:
    """A bookmark of a conversation the app no longer keeps (it was restarted) opened an empty
    page as if the conversation had never been: not a word on it."""
    at = open_app("ask.py", query_params={"chat": "0123456789abcdef"})
    [warning] = at.warning
    shown = rendered_text(warning.value)
    assert "(0123456789abcdef) was not found" in shown and "A new one starts here" in shown
    assert "chat" not in at.query_params  # the next answer names its own
    at.chat_input[0].set_value(QUESTION).run()
    assert_no_exception(at)
    assert not at.warning and at.query_params["chat"] != "0123456789abcdef"
