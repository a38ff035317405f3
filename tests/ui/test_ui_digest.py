"""Digest page: filters and a topic in, the digest out with its cited sources."""

from __future__ import annotations

from pathlib import Path

from _ui_helpers import (
    assert_no_exception,
    in_page_order,
    open_app,
    rendered_text,
    visible_text,
)

from kb import KnowledgeBase
from kb.models import Digest
from ui.digest import digest_file_stem


def test_digest_needs_two_articles(ui_home: Path) -> None:
    at = open_app("digest.py")
    assert [title.value for title in at.title] == ["Digest"]
    assert "add at least two" in rendered_text(at.info[0].value)
    assert not at.button


def test_digest_of_a_story_with_cited_sources(ui_kb: KnowledgeBase) -> None:
    at = open_app("digest.py")
    assert sorted(at.multiselect(key="digest_sources").options) == sorted(
        {a.source for a in ui_kb.articles()}
    )
    at.text_input(key="digest_query").input("Millbrook flood and levee").run()
    at.button(key="digest_make").click().run()
    assert_no_exception(at)

    expected = ui_kb.digest(query="Millbrook flood and levee")
    millbrook = {a.id for a in ui_kb.articles() if "Millbrook" in (a.text or a.title)}
    assert set(expected.article_ids) <= millbrook and len(expected.article_ids) == 2
    text = visible_text(at)
    assert "Digest: all articles, about “Millbrook flood and levee”" in text
    headings = [subheader.value for subheader in at.subheader]
    assert headings[0] == "Overview" and "Timeline" in headings
    # Differences are figures two sources give differently (none here since 7cf523e); the page
    # quotes every cited sentence exactly.
    assert ("Where they differ" in headings) == bool(expected.differences)
    quotes = [rendered_text(e.markdown[0].value).strip() for e in at.expander]
    assert quotes == [" ".join(c.quote.split()) for c in expected.citations]
    labels = [rendered_text(e.label).strip() for e in at.expander]
    assert labels == [f"[{c.n}] {c.title}" for c in expected.citations]
    assert "Digest: offline extractive" in text
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download digest (Markdown)", "Download digest (JSON)"]


def test_each_statement_s_marks_open_the_passages_it_cites(ui_kb: KnowledgeBase) -> None:
    """[n] in the text leads to its passage in place, not to a list of collapsed sources."""
    at = open_app("digest.py")
    at.text_input(key="digest_query").input("Millbrook flood and levee").run()
    at.button(key="digest_make").click().run()
    assert_no_exception(at)
    expected = ui_kb.digest(query="Millbrook flood and levee")
    by_number = {citation.n: citation for citation in expected.citations}
    points = [*expected.overview, *expected.agreed, *expected.differences, *expected.timeline]
    popovers = at.main.get("popover")
    assert [p.proto.popover.label for p in popovers] == [
        " ".join(f"[{n}]" for n in point.cites) for point in points if point.cites
    ]
    for popover, point in zip(popovers, [point for point in points if point.cites], strict=True):
        shown = [" ".join(rendered_text(m.value).split()) for m in popover.markdown]
        for n in point.cites:
            assert f"[{n}] {by_number[n].title}" in shown
            assert " ".join(by_number[n].quote.split()) in shown
        assert len(popover.button) == len(point.cites)  # each: "Open in article"
    popovers[0].button[0].click().run()
    assert_no_exception(at)
    first = by_number[points[0].cites[0]]
    assert at.session_state["library_highlight"] == (first.article_id, first.start, first.end)


def test_a_scope_with_nothing_on_the_topic_says_so(ui_kb: KnowledgeBase) -> None:
    at = open_app("digest.py")
    at.multiselect(key="digest_sources").select("Regional Wire").run()
    at.date_input(key="digest_until").set_value(None).run()
    at.slider(key="digest_max").set_value(2).run()
    at.text_input(key="digest_query").input("light rail").run()
    at.button(key="digest_make").click().run()
    assert_no_exception(at)
    notices = [rendered_text(info.value).strip() for info in at.info]
    assert notices == [
        "No article in scope speaks to “light rail”. Try other words, or widen the filters."
    ]
    assert not at.subheader  # no empty sections
    assert not at.get("download_button")  # an empty digest is nothing to keep


def test_the_topic_survives_open_in_article_like_the_filters(ui_kb: KnowledgeBase) -> None:
    at = open_app("digest.py")
    at.multiselect(key="digest_sources").select("Regional Wire").run()
    at.slider(key="digest_max").set_value(5).run()
    at.text_input(key="digest_query").input("Millbrook flood and levee").run()
    at.button(key="digest_make").click().run()
    at.button(key="digest_open_1").click().run()
    assert_no_exception(at)
    assert [title.value for title in at.title] == ["Library"]
    at.switch_page("digest.py").run()
    assert_no_exception(at)
    assert at.text_input(key="digest_query").value == "Millbrook flood and levee"
    assert at.multiselect(key="digest_sources").value == ["Regional Wire"]
    assert at.slider(key="digest_max").value == 5
    assert "about “Millbrook flood and levee”" in visible_text(at)


def test_narrow_the_date_range_stays_together(ui_kb: KnowledgeBase) -> None:
    """A narrow window stacks each row's columns: the two dates are a row of their own."""
    at = open_app("digest.py")
    fields = [e.label for e in in_page_order(at.main) if e.type in ("multiselect", "date_input")]
    assert fields == ["Sources", "Tags", "Dated from", "Dated until"]


def test_a_digest_download_is_named_after_what_it_is_of() -> None:
    about = Digest(scope="all articles, about “the VX-40 recall”", mode="extractive")
    assert digest_file_stem(about) == "all-articles-about-the-vx-40-recall-digest"
    assert digest_file_stem(Digest(scope="“洪水”", mode="extractive")) == "digest"


def test_a_difference_says_what_its_figures_count(ui_home: Path, tmp_path: Path) -> None:
    """Each difference leads with whose it is and what its figures count ("(drivers)"): the
    sentences alone left a reader to work out which figure differs."""
    reports = {
        "union.md": "# Harwick bus drivers walk out\n\nBy Press Office | Harwick Transport "
        "Workers Union | 2026-09-01\n\nFrom 04:00 this morning, 1,250 bus drivers employed by "
        "Harwick City Transit are on strike.\n",
        "council.md": "# Harwick bus drivers strike over pay\n\nBy Press Office | Harwick City "
        "Council | 2026-09-01\n\nHarwick City Council said 1,100 bus drivers employed by Harwick "
        "City Transit are on strike this morning.\n",
    }
    for name, text in reports.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    knowledge_base = KnowledgeBase()
    knowledge_base.ingest([tmp_path / name for name in reports])
    at = open_app("digest.py")
    at.button(key="digest_make").click().run()
    assert_no_exception(at)
    expected = knowledge_base.digest()
    assert [point.about for point in expected.differences] == ["drivers", "drivers"], expected
    text = " ".join(visible_text(at).split())
    for point in expected.differences:
        assert f"{point.whose()} (drivers): {point.text}" in text
