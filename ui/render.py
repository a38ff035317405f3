"""Rendering helpers. Article-derived text is untrusted: it only ever reaches Streamlit escaped."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kb.models import (
    Answer,
    Article,
    Citation,
    Digest,
    DigestPoint,
    Filters,
    Span,
    Summary,
    one_line,
)
from kb.prompts import without_marks
from kb.text import without_accents
from ui.state import open_in_library

# Every ASCII punctuation character can be backslash-escaped in CommonMark, which turns it into a
# literal: no links, images, HTML, headings, lists, emphasis, code, math or colour directives.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# Citation markers like [1] stay readable in the source: with every "(" and ":" around them
# escaped they cannot become links.
_MARKER = re.compile(r"\\\[(\d{1,3})\\\]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_ESCAPED_MARK = re.compile(r"(?<!\\)\[(\d{1,3})\]")  # a marker `escape_markdown` kept


def escape_markdown(text: str) -> str:
    """`text` as Markdown that displays it literally (paragraph breaks kept, [n] markers kept)."""
    escaped = _MARKER.sub(r"[\1]", _PUNCTUATION.sub(r"\\\g<0>", text))
    # Leading indentation would make an indented code block; trailing spaces a hard break.
    return "\n".join(line.strip() for line in escaped.splitlines())


# "(or `kb summary`, `kb summarize`)", "(see `kb list`)": a notice of the core's also speaks to
# the command line, whose commands mean nothing in the app.
_COMMAND_LINE_HINT = re.compile(r"\s*\([^()]*`kb [^()]*\)")
# A `code` span, or a web address (its trailing punctuation belongs to the sentence).
_CODE_OR_ADDRESS = re.compile(r"`([^`\n]+)`|(https?://[^\s`]*[^\s`.,;:!?)\]'\"”’])")


def app_notice(text: str) -> str:
    """A notice of the core's as the app says it: without its command-line hints."""
    return _COMMAND_LINE_HINT.sub("", text).strip()


def notice_markdown(text: str) -> str:
    """A message of ours or of the core's (an LLM error, the mode) as Markdown: escaped, with no
    command-line hints, its `code` and its addresses shown as code: an endpoint's address is
    no link to click (the browser would open the API), and a backtick is no character to show."""
    text = app_notice(text)
    pieces: list[str] = []
    shown = 0
    for code in _CODE_OR_ADDRESS.finditer(text):
        pieces += [_escaped_keeping_spaces(text[shown : code.start()]), f"`{code[1] or code[2]}`"]
        shown = code.end()
    return "".join([*pieces, _escaped_keeping_spaces(text[shown:])])


def _escaped_keeping_spaces(text: str) -> str:
    """`escape_markdown`, with the space before or after a code span kept (it strips lines)."""
    before = " " if text.startswith(" ") else ""
    after = " " if text.endswith(" ") and text.strip() else ""
    return before + escape_markdown(text) + after


def mode_text(made: Answer | Summary) -> str:
    return f"LLM: {made.model}" if made.mode == "llm" else "offline extractive"


def mode_badge(made: Answer | Summary, where: DeltaGenerator | None = None) -> None:
    """How an answer or a summary was made, as a badge (in `where`, else in place): blue for
    an LLM, grey offline."""
    # st.badge escapes the brackets itself; everything else is escaped here.
    badge = escape_markdown(mode_text(made)).replace("\\[", "[").replace("\\]", "]")
    (where or st).badge(badge, color="blue" if made.mode == "llm" else "gray")


def render_summary(summary: Summary, article_text: str) -> None:
    """The seed reading shape: Abstract, then Q&A sections [01].. with numbered questions."""
    st.subheader("Abstract", anchor=False)
    st.markdown(escape_markdown(summary.abstract))
    st.subheader("Q&A", anchor=False)
    if not summary.sections:
        st.caption("No questions were found for this article.")
    for number, section in enumerate(summary.sections, start=1):
        st.markdown(f"#### [{number:02d}] {escape_markdown(one_line(section.title))}")
        for q_number, qa in enumerate(section.qa, start=1):
            st.markdown(f"**{q_number}\\. {escape_markdown(one_line(qa.question))}**")
            for bullet in qa.answers:
                text_column, source_column = st.columns([0.88, 0.12])
                text_column.markdown(f"- {escape_markdown(one_line(bullet.text))}")
                if bullet.citations:
                    with source_column.popover("source"):
                        render_spans(bullet.citations, article_text)
    st.caption(escape_markdown(summary.provenance()))


def render_spans(spans: Sequence[Span], article_text: str, context: int = 240) -> None:
    """Each cited span highlighted where it stands in the article, with the text around it;
    spans close enough to share that text are highlighted in one excerpt, not two alike."""
    for group in _near_each_other(spans, context):
        first, last = group[0], group[-1]
        before = article_text[max(0, first.start - context) : first.start]
        after = article_text[last.end : last.end + context]
        if first.start > context:  # start and end on whole words
            before = "…" + before.split(" ", 1)[-1]
        if last.end + context < len(article_text):
            after = after.rsplit(" ", 1)[0] + "…"
        pieces = [(before, False)]
        for span, following in zip(group, [*group[1:], None], strict=True):
            pieces.append((article_text[span.start : span.end], True))
            if following is not None:
                pieces.append((article_text[span.end : following.start], False))
        where = ", ".join(f"{span.start}–{span.end}" for span in group)
        # The offsets are for finding the characters in `kb show`, not for reading: a tooltip.
        st.markdown(_excerpt([*pieces, (after, False)]), help=f"Characters {where} of the article")


def _near_each_other(spans: Sequence[Span], context: int) -> list[list[Span]]:
    """The spans in article order, in groups whose neighbours are at most `context` apart;
    overlapping spans are joined into one."""
    groups: list[list[Span]] = []
    for span in sorted(spans, key=lambda span: (span.start, span.end)):
        group = groups[-1] if groups else []
        if group and span.start <= group[-1].end:
            group[-1] = Span(start=group[-1].start, end=max(group[-1].end, span.end))
        elif group and span.start - group[-1].end <= context:
            group.append(span)
        else:
            groups.append([span])
    return groups


def _excerpt(pieces: Sequence[tuple[str, bool]]) -> str:
    """Pieces of article text, in order, as Markdown, the cited ones highlighted: paragraph
    breaks stay (a heading would run into the next sentence), other line breaks are spaces."""
    paragraphs: list[list[str]] = [[]]
    for text, cited in pieces:
        for index, paragraph in enumerate(_PARAGRAPH_BREAK.split(text)):
            if index:
                paragraphs.append([])
            words = " ".join(escape_markdown(paragraph).split())
            if words:  # a highlight can't span paragraphs: each gets its own
                paragraphs[-1].append(f":orange-background[**{words}**]" if cited else words)
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs if paragraph)


ANCHOR_CLASS = "kb-source-anchor"
# The box whose anchor the address names (the [n] just clicked) is outlined: the link alone
# would show nothing when the box is already in view.
TARGETED_SOURCE_STYLE = (
    f'<style>[data-testid="stElementContainer"]:has(.{ANCHOR_CLASS}:target) + * details '
    "{ outline: 2px solid var(--primary-color, #ff4b4b); }</style>"
)


# Our own script, nothing else: a click on an [n] mark also opens the box it scrolls to (a
# second click did). Through the box's summary, so that Streamlit opens it itself (see
# `source_anchor`), after the browser has followed the link; added once to the page.
OPEN_CITED_SOURCE_SCRIPT = f"""<script>
if (!window.kbOpensCitedSources) {{
  window.kbOpensCitedSources = true;
  document.addEventListener("click", (event) => {{
    const link = event.target.closest && event.target.closest('a[href^="#"]');
    const anchor = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!anchor || !anchor.classList.contains("{ANCHOR_CLASS}")) return;
    const box = anchor.closest('[data-testid="stElementContainer"]').nextElementSibling;
    const details = box && box.querySelector("details");
    if (details && !details.open) setTimeout(() => details.querySelector("summary").click());
  }});
}}
</script>"""


def source_anchor(key: str, number: int) -> str:
    """The id of the element on top of citation `number`'s box (under `key`), which its [n]
    marks link to. Not inside the box: the browser would open the expander behind Streamlit's
    back, which keeps its content inert and takes the next click on it to close it."""
    return f"{key}-source-{number}"


def _linked_marks(markdown: str, key: str, numbers: set[int]) -> str:
    """The [n] marks of escaped `markdown` as links to their sources' boxes, on the same page."""
    return _ESCAPED_MARK.sub(
        lambda mark: (
            f"[\\[{mark[1]}\\]](#{source_anchor(key, int(mark[1]))})"
            if int(mark[1]) in numbers
            else mark[0]
        ),
        markdown,
    )


NEAREST_HEADING = "Nearest passages (they do not answer it)"


def render_answer(answer: Answer, key: str) -> None:
    """The checked answer, whose [n] marks link to their sources, its mode, any notice, and one
    expander per citation. An answer that says no passage answers it (`Answer.nearest`) or
    opens with what none says (`Answer.hedged`) shows that statement alone, then the nearest
    passages in a box of their own, headed as not the answer: below "No passage found states
    the figure asked for", they were listed as the answer's own lines, while below "not enough
    information" they were folded away."""
    statement = answer.answer.split("\n\n", 1)[0] if answer.hedged else answer.answer
    sources = [] if answer.hedged else answer.citations
    numbers = {citation.n for citation in sources}
    st.markdown(_linked_marks(escape_markdown(statement), key, numbers))
    mode_badge(answer)
    if answer.notice:
        st.info(notice_markdown(answer.notice))
    render_citations(sources, key)
    nearest = answer.citations if answer.hedged else answer.nearest
    heading = answer.sources_heading if answer.hedged else NEAREST_HEADING
    if nearest:
        with st.container(border=True):
            _render_nearest(nearest, f"{key}_nearest", heading)


def _render_nearest(citations: Sequence[Citation], key: str, heading: str) -> None:
    """The passages nearest a question no passage answers: each quoted where it is from, its
    [n] linked to its box below."""
    st.markdown(f"**{escape_markdown(heading)}**")
    lines = "\n\n".join(_quoted_from(citation) for citation in citations)
    numbers = {citation.n for citation in citations}
    st.markdown(_linked_marks(escape_markdown(lines), key, numbers))
    render_citations(citations, key, heading="")


def _quoted_from(citation: Citation) -> str:
    """The passage as an offline answer quotes one, "Source, date: the quote [n]" (kb.answer);
    a reference mark of the article's own ("[3]") is no mark of ours."""
    where = ", ".join(part for part in (citation.source or citation.title, citation.date) if part)
    return f"{without_marks(where)}: {without_marks(citation.quote)} [{citation.n}]"


def render_citations(citations: Sequence[Citation], key: str, heading: str = "Sources") -> None:
    """One expander per numbered citation, holding its `_passage`, under its anchor and a
    `heading` if any."""
    if citations:
        if heading:
            st.markdown(f"**{escape_markdown(heading)}**")
        st.markdown(TARGETED_SOURCE_STYLE, unsafe_allow_html=True)  # our own CSS, nothing else
        st.html(OPEN_CITED_SOURCE_SCRIPT, unsafe_allow_javascript=True)
    for citation in citations:
        with st.container(gap=None):  # the anchor right on top of its box, no gap between
            # Only our own key and number: no article text is ever let through as HTML.
            anchor = source_anchor(key, citation.n)
            st.markdown(f'<div id="{anchor}" class="{ANCHOR_CLASS}"></div>', unsafe_allow_html=True)
            with st.expander(f"[{citation.n}] {escape_markdown(citation.title)}"):
                _passage(citation, key)


def _passage(citation: Citation, key: str) -> None:
    """The exact passage, where it comes from, and a button that opens the article on the
    Library page with the passage highlighted."""
    st.markdown(escape_markdown(citation.quote))
    origin = " · ".join(part for part in (citation.source, citation.date[:10]) if part)
    st.caption(
        escape_markdown(origin or "no source or date"),
        help=f"Characters {citation.start}–{citation.end} of article "
        f"{escape_markdown(citation.article_id)}",
    )
    if st.button("Open in article", key=f"{key}_open_{citation.n}", icon=":material/open_in_new:"):
        open_in_library(citation.article_id, citation.title, (citation.start, citation.end))


def _difference_lead(point: DigestPoint) -> str:
    """Whose a difference is, in bold, and what its figures count: "**Harwick Gazette,
    2026-09-15** (drivers)", as the Markdown export leads it."""
    whose = f"**{escape_markdown(point.whose())}**"
    return " ".join(filter(None, [whose, escape_markdown(point.counting())]))


def render_digest(digest: Digest) -> None:
    """Overview, agreement, differences by source, timeline. Each statement's [n] marks are a
    button that opens the passages it rests on, in place: with 21 sources, finding [14] among
    the collapsed ones below was a chore."""
    if digest.notice:
        st.info(notice_markdown(digest.notice))
    by_number = {citation.n: citation for citation in digest.citations}
    # Each section with what to say when it is empty, if anything: the page's caption promises
    # what the sources agree on, and its absence looked like an oversight.
    sections = [
        ("Overview", [("", p) for p in digest.overview], ""),
        (
            "What the sources agree on",
            [("- ", p) for p in digest.agreed],
            "None found: no statement is made alike by two sources.",
        ),
        (
            "Where they differ",
            [(f"- {_difference_lead(p)}: ", p) for p in digest.differences],
            "",
        ),
        ("Timeline", [(f"- **{escape_markdown(p.date)}**: ", p) for p in digest.timeline], ""),
    ]
    for section, (heading, points, when_empty) in enumerate(sections):
        if points or when_empty:
            st.subheader(heading, anchor=False)
        if not points and when_empty:
            st.caption(when_empty)
        for number, (lead, point) in enumerate(points):
            key = f"digest_{section}_{number}"
            # A row that never stacks, its marks as wide as they are: columns, stacked on a
            # phone, put each statement's marks on a line of their own.
            row = st.container(horizontal=True, wrap=False, vertical_alignment="top")
            row.markdown(lead + escape_markdown(one_line(point.text)), width="stretch")
            cited = [by_number[n] for n in point.cites if n in by_number]
            if not cited:
                continue
            marks = " ".join(f"[{citation.n}]" for citation in cited)
            with row.popover(marks, type="tertiary", key=f"{key}_sources"):
                for citation in cited:
                    st.markdown(f"**[{citation.n}] {escape_markdown(citation.title)}**")
                    _passage(citation, key)
    render_citations(digest.citations, "digest")
    st.caption(escape_markdown(digest.provenance()))


Pair = tuple[DeltaGenerator, DeltaGenerator]


def row_of_two() -> Pair:
    left, right = st.columns(2)
    return left, right


def filter_fields(
    articles: Sequence[Article],
    prefix: str,
    names: Pair,
    dates: Pair,
    on_change: Callable[[], None] | None = None,
) -> Filters:
    """Sources, tags and a date range to narrow `articles` by: the same fields on every page
    (keys `{prefix}_sources`, `_tags`, `_since`, `_until`). Sources and tags go in `names`,
    the two dates in `dates`: two rows of columns, which a narrow window stacks row by row,
    keeping the range's ends together."""
    # persist_state: the choice survives a visit to another page (or an open article).
    sources = names[0].multiselect(
        "Sources", sorted({a.source for a in articles if a.source}), key=f"{prefix}_sources",
        on_change=on_change, persist_state="session",
    )  # fmt: skip
    tags = names[1].multiselect(
        "Tags", sorted({t for a in articles for t in a.tags}), key=f"{prefix}_tags",
        on_change=on_change, persist_state="session",
    )  # fmt: skip
    days = [
        column.date_input(
            label, value=None, key=f"{prefix}_{key}", on_change=on_change, persist_state="session"
        )
        for column, label, key in zip(
            dates, ("Dated from", "Dated until"), ("since", "until"), strict=True
        )
    ]
    since, until = (day.isoformat() if isinstance(day, date) else "" for day in days)
    if since and until and since > until:  # else it looks as if no article were dated so
        st.warning(
            f"“Dated from” ({since}) is after “Dated until” ({until}): no article can be in "
            "that range. Swap the two dates."
        )
    return Filters(sources=sources, tags=tags, since=since, until=until)


FILE_STEM_CHARS = 60  # a name a download bar or a file list shows whole


def file_stem(title: str, fallback: str) -> str:
    """`title` as the stem of a file's name, its words in lower-case ASCII joined by hyphens
    ("Levee breach: what's next" → "levee-breach-what-s-next"); `fallback` if no word is left
    (e.g. a title in another script)."""
    words = re.findall(r"[a-z0-9]+", without_accents(title).lower())
    stem = "-".join(words)
    if len(stem) > FILE_STEM_CHARS:  # cut at a word's end, or inside a word longer than all
        cut = stem[: FILE_STEM_CHARS + 1]
        stem = cut.rsplit("-", 1)[0] if "-" in cut else cut[:FILE_STEM_CHARS]
    return stem or fallback


def download_buttons(name: str, markdown: str, json: str, key: str) -> None:
    """The Markdown and JSON exports of a summary or a digest, side by side."""
    what = name.rsplit("-", 1)[-1]
    markdown_column, json_column, _ = st.columns([0.3, 0.3, 0.4])
    markdown_column.download_button(
        f"Download {what} (Markdown)",
        markdown,
        file_name=f"{name}.md",
        mime="text/markdown",
        key=f"{key}_download_markdown",
    )
    json_column.download_button(
        f"Download {what} (JSON)",
        json,
        file_name=f"{name}.json",
        mime="application/json",
        key=f"{key}_download_json",
    )
