"""escape_markdown and excerpts: article text displays literally, never as links, HTML or markup."""

from __future__ import annotations

import pytest
from _ui_helpers import rendered_html, rendered_text
from streamlit.testing.v1 import AppTest

from ui.render import FILE_STEM_CHARS, escape_markdown, file_stem

HOSTILE = [
    "[click me](javascript:alert(1))",
    "![pixel](http://tracker.example/p.gif)",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "**bold** _it_ `code` ~~gone~~ $x^2$ :red[colour] :material/home:",
    "# Heading\n\n- item\n1. item\n> quote\n\n    indented code\n\n---",
    "[ref]\n\n[ref]: http://evil.example",
    "<http://evil.example> &amp; &lt;b&gt; \\* back\\slash\\",
    "| a | b |\n|---|---|\n| 1 | 2 |",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_literally_and_inert(text: str) -> None:
    html = rendered_html(escape_markdown(text))
    for tag in ("<a ", "<img", "<script", "<em>", "<strong>", "<code>", "<h1>", "<ul>", "<ol>"):
        assert tag not in html, (tag, html)
    for tag in ("<blockquote>", "<pre>", "<hr", "<table>", "<del>"):
        assert tag not in html, (tag, html)
    # Every visible character survives, in order (only whitespace at line edges is normalised).
    shown = rendered_text(escape_markdown(text))
    assert "".join(shown.split()) == "".join(text.split())


def test_citation_markers_stay_readable_but_never_become_links() -> None:
    escaped = escape_markdown("The levee failed [1]. Costs rose [12](http://evil.example).")
    assert "failed [1]" in escaped and "[12]" in escaped
    html = rendered_html(escaped)
    assert "<a " not in html
    assert "[1]" in html and "[12](http://evil.example)" in html


def test_paragraph_breaks_are_kept() -> None:
    html = rendered_html(escape_markdown("First paragraph.\n\nSecond paragraph."))
    assert html.count("<p>") == 2


HEADED = (
    "That sounds sensible. The plan adds no bus.\n\nCost per rider\n\n"
    "HRT's own figures put the cost at $6.80 per boarding. Bus boardings cost $4.10."
)


def excerpt_app(text: str, spans: list[tuple[int, int]]) -> AppTest:
    """A page showing render_spans of `spans` (start, end) in `text`."""

    def page(text: str, spans: list[tuple[int, int]]) -> None:
        from kb.models import Span
        from ui.render import render_spans

        render_spans([Span(start=start, end=end) for start, end in spans], text)

    at = AppTest.from_function(page, args=(text, spans)).run()
    assert not at.exception
    return at


def test_an_excerpt_keeps_the_heading_apart_from_the_next_sentence() -> None:
    start = HEADED.index("HRT's")
    at = excerpt_app(HEADED, [(start, HEADED.index(" Bus"))])
    html = rendered_html(at.markdown[0].value)
    assert "<p>Cost per rider</p>" in html, html
    assert html.count("<p>") == 3


def test_adjacent_citations_share_one_excerpt_with_both_highlighted() -> None:
    first = (HEADED.index("HRT's"), HEADED.index(" Bus"))
    second = (HEADED.index("Bus"), len(HEADED))
    at = excerpt_app(HEADED, [first, second])
    assert len(at.markdown) == 1
    shown = rendered_text(at.markdown[0].value)
    assert shown.count(":orange-background[") == 2
    assert "per boarding.] :orange-background[Bus boardings" in " ".join(shown.split())


def test_citations_far_apart_keep_their_own_excerpts() -> None:
    text = "Opening words. " + "Filler sentence here. " * 40 + "Closing words."
    at = excerpt_app(text, [(0, 14), (len(text) - 14, len(text))])
    assert len(at.markdown) == 2


def test_a_digests_differences_show_source_date_and_latest() -> None:
    """A difference's record keeps its source, date and whether it is the latest apart; the page
    shows them together, as the Markdown does."""

    def page() -> None:
        from kb.models import Citation, Digest, DigestPoint
        from ui.render import render_digest

        citations = [
            Citation(n=n, article_id=f"a{n}", title="Recall", source=source, date=day,
                     chunk_id="", start=0, end=len(quote), quote=quote)
            for n, source, day, quote in (
                (1, "Ledger", "2026-03-18", "A refund of $420."),
                (2, "Wire", "2026-04-06", "Up to $549."),
            )
        ]  # fmt: skip
        render_digest(
            Digest(
                scope="all",
                mode="extractive",
                differences=[
                    DigestPoint(
                        text=c.quote, cites=[c.n], source=c.source, date=c.date, latest=c.n == 2
                    )
                    for c in citations
                ],
                citations=citations,
            )
        )

    at = AppTest.from_function(page).run()
    assert not at.exception
    shown = [rendered_text(m.value).strip() for m in at.markdown]
    assert "Ledger, 2026-03-18: A refund of $420." in shown, shown
    assert "Wire, 2026-04-06 (latest): Up to $549." in shown, shown


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("Pike Island bakery wins regional prize", "pike-island-bakery-wins-regional-prize"),
        ("Levee breach: what's next?", "levee-breach-what-s-next"),
        ("Élodie Weiß / ../../etc", "elodie-weiss-etc"),  # no folders, no accents
        ("洪水の報告", "e95c7a88d4fd"),  # no word left: the fallback, the article's id
    ],
)
def test_an_export_is_named_after_its_title(title: str, stem: str) -> None:
    assert file_stem(title, "e95c7a88d4fd") == stem


def test_a_long_title_s_file_name_ends_at_a_word() -> None:
    title = "The council votes to rebuild the Fenwick Street levee " * 3
    stem = file_stem(title, "id")
    whole = "-".join(title.lower().split())
    assert len(stem) <= FILE_STEM_CHARS and whole.startswith(f"{stem}-")


def test_a_title_of_one_long_word_is_cut_to_the_most_a_file_name_takes() -> None:
    """With no word end to cut at, the cut kept one character too many."""
    assert file_stem("a" * 70, "id") == "a" * FILE_STEM_CHARS


def test_a_digest_with_no_agreement_says_none_was_found() -> None:
    """The Digest page's caption promises what the sources agree on: not silently left out."""

    def page() -> None:
        from kb.models import Digest, DigestPoint
        from ui.render import render_digest

        overview = [DigestPoint(text="Two reports of one fire.", cites=[])]
        render_digest(Digest(scope="all", mode="extractive", overview=overview))

    at = AppTest.from_function(page).run()
    assert not at.exception
    headings = [subheader.value for subheader in at.subheader]
    assert headings == ["Overview", "What the sources agree on"], headings
    assert any(caption.value.startswith("None found") for caption in at.caption)


def test_a_bullet_or_a_digest_point_of_two_paragraphs_is_one_list_item() -> None:
    """A bullet whose text held a blank line showed its second paragraph out of the list, as a
    paragraph of its own; a digest's difference likewise lost its second sentence's bullet."""

    def page() -> None:
        from kb.models import QA, Bullet, Digest, DigestPoint, Section, Summary
        from ui.render import render_digest, render_summary

        bullet = Bullet(text="The levee failed.\n\nCrews came.", citations=[])
        qa = QA(question="What\n\nhappened?", answers=[bullet])
        render_summary(
            Summary(
                article_id="a1",
                title="Flood",
                mode="extractive",
                abstract="A flood.",
                sections=[Section(title="Events", qa=[qa])],
            ),
            "",
        )
        point = DigestPoint(text="Record quarter.\n\nThe company grew.", cites=[], source="Wire")
        render_digest(Digest(scope="all", mode="extractive", differences=[point]))

    at = AppTest.from_function(page).run()
    assert not at.exception
    for last_words, shown in (
        ("Crews came.", "The levee failed. Crews came."),
        ("company grew.", "Wire: Record quarter. The company grew."),
    ):
        [body] = [m.value for m in at.markdown if last_words in rendered_text(m.value)]
        html = rendered_html(body)
        assert html.count("<li>") == 1 and html.rstrip().endswith("</ul>"), html
        assert rendered_text(body).strip() == shown
    [question] = [m.value for m in at.markdown if "happened" in rendered_text(m.value)]
    assert rendered_html(question).count("<p>") == 1, rendered_html(question)
