"""Rendering helpers. Article-derived text is untrusted: it only ever reaches Streamlit escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

from kb.models import Answer, Span, Summary

# Every ASCII punctuation character can be backslash-escaped in CommonMark, which turns it into a
# literal: no links, images, HTML, headings, lists, emphasis, code, math or colour directives.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# Citation markers like [1] stay readable in the source: with every "(" and ":" around them
# escaped they cannot become links.
_MARKER = re.compile(r"\\\[(\d{1,3})\\\]")


def escape_markdown(text: str) -> str:
    """`text` as Markdown that displays it literally (paragraph breaks kept, [n] markers kept)."""
    escaped = _MARKER.sub(r"[\1]", _PUNCTUATION.sub(r"\\\g<0>", text))
    # Leading indentation would make an indented code block; trailing spaces a hard break.
    return "\n".join(line.strip() for line in escaped.splitlines())


def mode_text(answer: Answer) -> str:
    return f"LLM: {answer.model}" if answer.mode == "llm" else "offline extractive"


def render_summary(summary: Summary, article_text: str) -> None:
    """The seed reading shape: title, Abstract, Q&A sections [01].. with numbered questions."""
    st.header(escape_markdown(summary.title), anchor=False)
    st.subheader("Abstract", anchor=False)
    st.markdown(escape_markdown(summary.abstract))
    st.subheader("Q&A", anchor=False)
    if not summary.sections:
        st.caption("No questions were found for this article.")
    for number, section in enumerate(summary.sections, start=1):
        st.markdown(f"#### [{number:02d}] {escape_markdown(section.title)}")
        for q_number, qa in enumerate(section.qa, start=1):
            st.markdown(f"**{q_number}\\. {escape_markdown(qa.question)}**")
            for bullet in qa.answers:
                text_column, source_column = st.columns([0.88, 0.12])
                text_column.markdown(f"- {escape_markdown(bullet.text)}")
                if bullet.citations:
                    with source_column.popover("source"):
                        render_spans(bullet.citations, article_text)
    st.caption(escape_markdown(summary.provenance()))


def render_spans(spans: Sequence[Span], article_text: str) -> None:
    """The cited spans of the article, quoted exactly (article_text[start:end])."""
    for span in spans:
        st.markdown(escape_markdown(article_text[span.start : span.end]))
        st.caption(f"chars {span.start}–{span.end}")


def render_answer(answer: Answer) -> None:
    """The checked answer, its mode, any notice, and one expander per citation."""
    st.markdown(escape_markdown(answer.answer))
    # st.badge escapes the brackets itself; everything else is escaped here.
    badge = escape_markdown(mode_text(answer)).replace("\\[", "[").replace("\\]", "]")
    st.badge(badge, color="blue" if answer.mode == "llm" else "gray")
    if answer.notice:
        st.info(escape_markdown(answer.notice))
    if answer.citations:
        st.markdown("**Sources**")
    for citation in answer.citations:
        with st.expander(f"[{citation.n}] {escape_markdown(citation.title)}"):
            st.markdown(escape_markdown(citation.quote))
            st.caption(
                f"chars {citation.start}–{citation.end} of article "
                f"{escape_markdown(citation.article_id)}"
            )
