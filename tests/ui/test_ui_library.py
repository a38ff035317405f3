"""Library: the article list, a summary with cited sources, regenerate, and delete."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from _ui_helpers import (
    DATA,
    TIMEOUT,
    HeldLLM,
    assert_no_exception,
    card_titles,
    click_to_page,
    in_page_order,
    open_app,
    open_article,
    record_downloads,
    rendered_html,
    rendered_text,
    visible_text,
    wait_for_upload,
)
from fakes.openai_server import FakeOpenAIServer
from kb_helpers import closed_port_url
from streamlit.testing.v1 import AppTest

from kb import KnowledgeBase
from ui.render import file_stem

LEDGER = "Alder River Breaks Through Fenwick Street Levee, Swamping Lower Millbrook"


def test_empty_library_points_to_upload(ui_home: Path) -> None:
    at = open_app("library.py")
    assert [title.value for title in at.title] == ["Library"]
    assert any("Upload" in info.value for info in at.info)
    assert not [b for b in at.button if b.key and b.key.startswith("library_open_")]


def test_library_lists_articles_and_shows_a_cited_summary(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    assert sorted(card_titles(at)) == sorted(article.title for article in ui_kb.articles())
    assert "3 articles" in visible_text(at)
    no_summary = "No summary yet: open the article to make one."
    assert [c.value for c in at.caption].count(no_summary) == 3
    assert not at.subheader  # nothing is summarised before an article is chosen

    open_article(at, LEDGER)
    assert [rendered_text(header.value).strip() for header in at.header] == [LEDGER]
    text = visible_text(at)
    assert [subheader.value for subheader in at.subheader] == ["Abstract", "Q&A"]
    assert "[01] " in text and "1. " in text
    assert any(body.startswith("- ") for body in (m.value for m in at.markdown))

    # The summary is the stored one, and every "source" popover quotes its article exactly.
    article_id = at.session_state["library_selected"]
    summary = ui_kb.summary(article_id)
    article_text = ui_kb.article(article_id).text or ""
    badge, abstract = at.markdown[:2]  # how it was made, under the title; then the Abstract
    assert badge.value == ":gray-badge[offline extractive]"
    assert summary.abstract.split()[:8] == rendered_text(abstract.value).split()[:8]
    popovers = at.main.get("popover")
    spans = [
        span for s in summary.sections for qa in s.qa for b in qa.answers for span in b.citations
    ]
    assert popovers and len(popovers) == sum(
        1 for s in summary.sections for qa in s.qa for b in qa.answers if b.citations
    )
    # Each cited span is highlighted where it stands, with the words before and after it.
    shown = [rendered_text(element.value) for p in popovers for element in p.markdown]
    assert len(shown) == len(spans)
    for text, span in zip(shown, spans):
        cited = " ".join(article_text[span.start : span.end].split())
        before = article_text[: span.start].split()[-3:]
        after = article_text[span.end :].split()[:3]
        assert f":orange-background[{cited}]" in " ".join(text.split())
        assert " ".join([*before, f":orange-background[{cited}]", *after]) in " ".join(text.split())
    # Where the span is in the article is for `kb show`, not for reading: a tooltip.
    assert not [caption for p in popovers for caption in p.caption]
    assert all(m.proto.help.startswith("Characters ") for p in popovers for m in p.markdown)

    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == [
        "Download summary (Markdown)",
        "Download summary (JSON)",
    ]
    assert "offline extractive" in visible_text(at)

    full_text = [expander for expander in at.expander if expander.label == "Show full text"]
    assert len(full_text) == 1
    assert "Tom Reyes" in rendered_text(full_text[0].markdown[0].value)

    at.button(key="library_regenerate").click().run()
    assert_no_exception(at)
    assert [subheader.value for subheader in at.subheader] == ["Abstract", "Q&A"]
    assert ui_kb.summary(article_id).created_at >= summary.created_at

    # Back in the library, the card shows the first sentence of the Abstract.
    click_to_page(at, "library_back", "library.py")
    assert "library_selected" not in at.session_state
    first_sentence = ui_kb.abstract_line(article_id)
    assert first_sentence and summary.abstract.startswith(first_sentence)
    shown = [" ".join(rendered_text(m.value).split()) for m in at.main.markdown]
    assert " ".join(first_sentence.split()) in shown
    assert [c.value for c in at.caption].count(no_summary) == 2


def test_regenerate_says_it_regenerated(ui_kb: KnowledgeBase) -> None:
    """In a status, drawn running as soon as the button is clicked (test_browser): Streamlit's
    spinner shows only after half a second, and a regeneration of a second showed nothing."""
    at = open_app("library.py")
    open_article(at, LEDGER)
    assert not at.status
    at.button(key="library_regenerate").click().run()
    assert_no_exception(at)
    summary = ui_kb.summary(at.session_state["library_selected"])
    made = datetime.fromisoformat(summary.created_at).astimezone()
    assert [(rendered_text(s.label).strip(), s.state) for s in at.status] == [
        (f"Summary regenerated (offline extractive, {made:%H:%M:%S}).", "complete")
    ]
    # Under the summary, when it was made reads as a date and a time, not a stored timestamp.
    footer = rendered_text(at.main.caption[-1].value).strip()
    assert footer.endswith(f"; made {made:%Y-%m-%d %H:%M}"), footer
    at.run()  # said once: not at every rerun after
    assert not at.status


def test_an_undated_article_says_no_date(ui_kb: KnowledgeBase, tmp_path: Path) -> None:
    note = tmp_path / "undated-note.txt"
    note.write_text("Undated note\n\nThe pumps at Fenwick Street ran all night.\n")
    assert [r.status for r in ui_kb.ingest([note]).results] == ["ingested"]
    at = open_app("library.py")
    captions = [rendered_text(c.value).strip() for c in at.caption]
    assert captions.count("no date · txt") == 1
    open_article(at, "Undated note")
    assert "no date" in rendered_text(at.caption[0].value)


def test_delete_asks_for_confirmation_then_removes_the_article(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    open_article(at, LEDGER)
    article_id = at.session_state["library_selected"]

    at.button(key="library_delete").click().run()
    assert_no_exception(at)
    assert any("cannot be undone" in warning.value for warning in at.warning)
    at.button(key="library_delete_cancel").click().run()
    assert not at.warning
    assert article_id in {article.id for article in ui_kb.articles()}

    at.button(key="library_delete").click().run()
    click_to_page(at, "library_delete_confirm", "library.py")
    assert any(f"Deleted “{LEDGER}”" in rendered_text(s.value) for s in at.success)
    assert article_id not in {article.id for article in ui_kb.articles()}
    assert LEDGER not in card_titles(at) and len(card_titles(at)) == 2
    assert "library_selected" not in at.session_state
    assert "2 articles" in at.sidebar.caption[0].value


def test_an_article_deleted_elsewhere_is_no_error(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    article_id = open_article(at, LEDGER)
    ui_kb.delete(article_id)  # e.g. from the CLI or another session
    at.run()
    assert_no_exception(at)
    # Named by its title: its id means nothing to a reader.
    [warning] = at.warning
    assert rendered_text(warning.value).strip() == (
        f"The article “{LEDGER}” was deleted: it is no longer in the knowledge base."
    )
    assert article_id not in warning.value
    assert "library_selected" not in at.session_state


def test_library_in_the_navigation_shows_the_list(ui_kb: KnowledgeBase) -> None:
    """An open article has a page of its own: Library, from the menu, is the list, whether the
    article was open on it or another page came between."""
    at = open_app("library.py")
    open_article(at, LEDGER)
    at.switch_page("library.py").run()  # what the menu's Library link does
    assert_no_exception(at)
    assert not at.header and not at.subheader
    assert sorted(card_titles(at)) == sorted(article.title for article in ui_kb.articles())
    open_article(at, LEDGER)
    at.switch_page("ask.py").run()
    at.switch_page("library.py").run()
    assert not at.header and len(card_titles(at)) == 3


def test_near_duplicates_and_locations_are_shown_and_open_each_other(
    ui_home: Path, tmp_path: Path
) -> None:
    original = (DATA / "millbrook-flood-ledger.md").read_text(encoding="utf-8")
    syndicated = original.replace("thirty-one years", "three decades").replace(
        "The Millbrook Ledger", "Valley Syndicate"
    )
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-ledger.md").write_text(original, encoding="utf-8")
    (folder / "b-copy.md").write_text(syndicated, encoding="utf-8")
    (folder / "c-ledger-again.md").write_text(original, encoding="utf-8")
    report = KnowledgeBase().ingest(sorted(folder.iterdir()))
    by_name = {Path(r.path).name: r for r in report.results}
    statuses = [by_name[name].status for name in ("a-ledger.md", "b-copy.md", "c-ledger-again.md")]
    assert statuses == ["ingested", "ingested", "duplicate"]
    first, second = by_name["a-ledger.md"].article_id, by_name["b-copy.md"].article_id

    at = open_app("library.py")
    assert len(card_titles(at)) == 2
    click_to_page(at, f"library_open_{first}", "article.py")
    captions = [rendered_text(caption.value) for caption in at.caption]
    assert any(
        c.startswith("Same text at: ") and "a-ledger.md" in c and "c-ledger-again.md" in c
        for c in captions
    ), captions
    other = KnowledgeBase().article(second)
    label = rendered_text(at.button(key=f"library_near_{second}").label).strip()
    assert label == f"Near-duplicate: {other.title} ({other.source}, {other.date[:10]})", label
    click_to_page(at, f"library_near_{second}", "article.py")
    assert at.session_state["library_selected"] == second
    assert any(
        c.startswith("From: ") and "b-copy.md" in c
        for c in (rendered_text(c.value) for c in at.caption)
    )
    assert at.button(key=f"library_near_{first}")


def test_search_filters_and_sort_narrow_the_cards(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    at.text_input(key="library_search").input("millbrook").run()
    assert_no_exception(at)
    millbrook = sorted(a.title for a in ui_kb.articles() if "Millbrook" in a.source + a.title)
    assert sorted(card_titles(at)) == millbrook and len(millbrook) == 2
    assert "2 of 3 articles" in visible_text(at)

    at.selectbox(key="library_sort").select("title").run()
    assert card_titles(at) == millbrook

    at.multiselect(key="library_formats").select("txt").run()
    assert [a.format for a in ui_kb.articles() if a.title in card_titles(at)] == ["txt"]

    at.text_input(key="library_search").input("no such words anywhere").run()
    assert not card_titles(at)
    assert any("No article matches" in info.value for info in at.info)


def test_cards_are_paginated(ui_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(12):
        (folder / f"note-{number:02d}.md").write_text(
            f"# Note {number:02d}\n\nThe committee of town {number} met about its budget. "
            f"It agreed {number + 3} measures on roads, parks and libraries this week.",
            encoding="utf-8",
        )
    KnowledgeBase().ingest([folder])
    at = open_app("library.py")
    at.selectbox(key="library_sort").select("title").run()
    assert card_titles(at) == [f"Note {n:02d}" for n in range(10)]
    assert "Page 1 of 2" in visible_text(at)
    assert at.button(key="library_previous").disabled
    at.button(key="library_next").click().run()
    assert card_titles(at) == ["Note 10", "Note 11"]
    assert at.button(key="library_next").disabled
    at.text_input(key="library_search").input("note").run()  # a new search starts at page 1
    assert card_titles(at)[0] == "Note 00"


def test_editing_title_source_date_and_tags(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    article_id = open_article(at, LEDGER)
    form = at.get("form")[0]
    fields = {field.label: field for field in form.text_input}
    fields["Date (YYYY-MM-DD, or empty)"].input("21 March")
    form.button[0].click()  # the form's Save
    at.run()
    assert any("Not a date" in error.value for error in at.error)
    assert ui_kb.article(article_id).date.startswith("2026")  # unchanged

    form = at.get("form")[0]
    fields = {field.label: field for field in form.text_input}
    fields["Title"].input("Levee breach in Millbrook")
    fields["Source"].input("Ledger")
    fields["Date (YYYY-MM-DD, or empty)"].input("20260322")  # stored as 2026-03-22
    fields["Tags, separated by commas"].input("flood, levee ,")
    form.button[0].click()
    at.run()
    assert_no_exception(at)
    edited = ui_kb.article(article_id)
    assert (edited.title, edited.source, edited.date, edited.tags) == (
        "Levee breach in Millbrook",
        "Ledger",
        "2026-03-22",
        ["flood", "levee"],
    )
    assert [rendered_text(header.value).strip() for header in at.header] == [
        "Levee breach in Millbrook"
    ]
    assert any("Saved" in s.value for s in at.success)


def test_search_and_filters_survive_an_open_article_and_other_pages(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    at.text_input(key="library_search").input("millbrook").run()
    at.multiselect(key="library_sources").select("The Millbrook Ledger").run()
    assert card_titles(at) == [LEDGER]
    open_article(at, LEDGER)
    at.switch_page("ask.py").run()
    at.sidebar.multiselect(key="ask_sources").select("Regional Wire").run()
    at.switch_page("library.py").run()
    assert_no_exception(at)
    assert at.text_input(key="library_search").value == "millbrook"
    assert card_titles(at) == [LEDGER]
    at.switch_page("ask.py").run()
    assert at.sidebar.multiselect(key="ask_sources").value == ["Regional Wire"]


def test_regenerate_with_the_llm_down_keeps_the_summary_and_says_so(
    ui_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = next(a.id for a in ui_kb.articles() if a.title == LEDGER)
    stored = ui_kb.summary(article_id)  # offline, before an LLM is configured
    monkeypatch.setenv("KB_LLM_BASE_URL", closed_port_url())
    monkeypatch.setenv("KB_LLM_MAX_RETRIES", "0")
    at = open_app("library.py")
    open_article(at, LEDGER)
    assert not at.warning  # the stored summary is shown as it is

    at.button(key="library_regenerate").click().run()
    assert_no_exception(at)
    assert len(at.warning) == 1 and "LLM" in at.warning[0].value
    assert [subheader.value for subheader in at.subheader] == ["Abstract", "Q&A"]
    assert ui_kb.store.summary(article_id) == stored  # not replaced by a fallback


def test_an_llm_that_did_not_answer_is_not_asked_again_at_every_rerun(
    ui_kb: KnowledgeBase, openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    openai_server.fail = True
    monkeypatch.setenv("KB_LLM_BASE_URL", openai_server.url)
    monkeypatch.setenv("KB_LLM_MAX_RETRIES", "0")
    at = open_app("library.py")
    open_article(at, LEDGER)  # no stored summary: the LLM is asked, fails, an offline one shows
    asked = len(openai_server.requests)
    assert asked and len(at.warning) == 1
    assert [subheader.value for subheader in at.subheader] == ["Abstract", "Q&A"]

    at.run()  # any click reruns the page
    assert_no_exception(at)
    assert len(openai_server.requests) == asked and len(at.warning) == 1

    at.button(key="library_regenerate").click().run()  # asked again only when asked to
    assert len(openai_server.requests) > asked

    # A summary stored meanwhile (`kb summarize` in another process) is shown, not the one kept.
    asked = len(openai_server.requests)
    article_id = at.session_state["library_selected"]
    ui_kb.summary(article_id)  # offline: this knowledge base was opened with no LLM
    at.run()
    assert_no_exception(at)
    assert not at.warning and len(openai_server.requests) == asked


def test_the_delete_question_takes_the_page_s_width(ui_kb: KnowledgeBase) -> None:
    """Not squeezed into the Delete button's quarter-width column."""
    at = open_app("library.py")
    open_article(at, LEDGER)
    at.button(key="library_delete").click().run()
    assert_no_exception(at)
    [question] = [w for w in at.warning if "cannot be undone" in w.value]
    columns = [e for e in in_page_order(at.main) if e.type == "column"]
    assert not any(element is question for c in columns for element in in_page_order(c))
    at.button(key="library_delete_cancel").click().run()
    assert at.button(key="library_delete")


def test_the_article_header_is_for_reading(ui_home: Path) -> None:
    """No chunk count nor id in the reader's way (the id is in a tooltip, for `kb show`); an
    upload named as it was uploaded, not by the knowledge base's copy of it in KB_HOME/uploads;
    the exports named after the title (test_browser: the file a download saves)."""
    knowledge_base = KnowledgeBase()
    text = "Pike Island bakery wins regional prize\n\nThe bakery won a prize on Friday, its owner said."
    [result] = knowledge_base.ingest_uploads([("bakery.txt", text.encode())]).results
    assert Path(knowledge_base.article(result.article_id).location).parent == ui_home / "uploads"
    at = open_app("library.py")
    open_article(at, "Pike Island bakery wins regional prize")
    details = at.caption[0]
    assert "chunk" not in details.value and result.article_id not in details.value
    assert result.article_id in details.proto.help
    assert rendered_text(at.caption[1].value).strip() == "From: bakery.txt"


def _place_of(at: AppTest, found: Callable[[Any], bool]) -> int:
    """Where the element `found` picks is among the elements of the page's main column."""
    for place, element in at.main.children.items():
        if any(found(e) for e in [element, *in_page_order(element)]):
            return place
    raise AssertionError("not on the page")


def _place_of_the_abstract(at: AppTest) -> int:
    return _place_of(at, lambda e: e.type == "subheader" and e.value == "Abstract")


def test_the_delete_question_leaves_the_summary_in_its_place(ui_kb: KnowledgeBase) -> None:
    """While a run draws the page, each element of the last run stays until one is drawn in its
    place: with the question's elements put before it, the Abstract's place was taken, and it
    was gone until the summary was drawn again (seconds, with an LLM)."""
    at = open_app("library.py")
    open_article(at, LEDGER)
    before = _place_of_the_abstract(at)
    at.button(key="library_delete").click().run()
    assert_no_exception(at)
    assert any("cannot be undone" in warning.value for warning in at.warning)
    assert _place_of_the_abstract(at) == before
    assert at.button(key="library_delete").disabled  # asked already


def test_an_unanswered_llm_is_named_in_the_app_s_words(
    ui_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No command-line commands, no literal backticks, and the endpoint's address is code,
    not a link (Streamlit's Markdown makes a link of an address in plain text)."""
    endpoint = closed_port_url()
    monkeypatch.setenv("KB_LLM_BASE_URL", endpoint)
    monkeypatch.setenv("KB_LLM_MAX_RETRIES", "0")
    at = open_app("library.py")
    open_article(at, LEDGER)  # no stored summary: the LLM is asked, fails, an offline one shows
    [warning] = at.warning
    shown = rendered_text(warning.value)
    assert "not stored" in shown and "asks the LLM again" in shown, shown
    assert "`" not in shown and "kb summar" not in shown, shown
    mode = rendered_html(at.sidebar.markdown[0].value)
    assert f"<code>{endpoint}</code>" in mode, mode


def test_a_summary_s_exports_carry_the_notice_shown_with_it(
    ui_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page said the LLM did not answer and the summary shown was offline and not stored;
    the JSON and Markdown downloaded of it said nothing of the kind."""
    monkeypatch.setenv("KB_LLM_BASE_URL", closed_port_url())
    monkeypatch.setenv("KB_LLM_MAX_RETRIES", "0")
    offered = record_downloads(monkeypatch)
    at = open_app("library.py")
    open_article(at, LEDGER)
    [warning] = at.warning
    said = " ".join(rendered_text(warning.value).split())
    assert "not stored" in said, said
    stem = f"{file_stem(LEDGER, '')}-summary"
    assert json.loads(offered[f"{stem}.json"])["notice"] == said
    markdown = offered[f"{stem}.md"].decode().splitlines()
    assert markdown[2] == f"*{said}*", markdown[:4]


def test_folded_filters_say_how_many_are_set_and_a_reversed_range_is_named(
    ui_kb: KnowledgeBase,
) -> None:
    """Filters set on another visit showed "0 of 3 articles" under a folded "Filters"."""
    at = open_app("library.py")
    [filters] = at.expander
    assert filters.label == "Filters" and not filters.proto.expanded
    at.multiselect(key="library_formats").select("txt").run()
    at.date_input(key="library_since").set_value(date(2026, 3, 20)).run()
    at.date_input(key="library_until").set_value(date(2026, 3, 1)).run()
    at.switch_page("ask.py").run()
    at.switch_page("library.py").run()
    assert_no_exception(at)
    [filters] = at.expander
    assert filters.label == "Filters (3 active)" and filters.proto.expanded
    [warning] = [rendered_text(w.value) for w in filters.warning]
    assert "“Dated from” (2026-03-20) is after “Dated until” (2026-03-01)" in warning, warning


def test_a_regenerate_after_a_save_draws_its_buttons_in_their_places(ui_kb: KnowledgeBase) -> None:
    """The "Saved." of the run after a Save is gone in the next one; the elements after it kept
    their places, else the last run's Regenerate and Delete buttons stayed below the new ones
    until the regenerated summary was drawn."""
    at = open_app("library.py")
    open_article(at, LEDGER)
    form = at.get("form")[0]
    next(field for field in form.text_input if field.label == "Title").input("Levee breach")
    form.button[0].click()
    at.run()
    assert any("Saved" in success.value for success in at.success)

    def buttons() -> int:
        return _place_of(at, lambda e: e.type == "button" and e.key == "library_regenerate")

    places = buttons(), _place_of_the_abstract(at)
    at.button(key="library_regenerate").click().run()
    assert_no_exception(at)
    assert not any("Saved" in success.value for success in at.success)
    assert (buttons(), _place_of_the_abstract(at)) == places


def test_the_open_article_is_named_in_the_address_so_a_reload_reopens_it(
    ui_kb: KnowledgeBase,
) -> None:
    """The Article page's address was /article with no article: a reload (a new session) or a
    bookmark said "No article is open"."""
    at = open_app("library.py")
    article_id = open_article(at, LEDGER)
    at.run()
    assert at.query_params == {"id": article_id}

    reloaded = open_app("article.py", query_params=dict(at.query_params))
    assert_no_exception(reloaded)
    assert [rendered_text(h.value).strip() for h in reloaded.header] == [LEDGER]
    assert "No article is open" not in visible_text(reloaded)

    # An address naming another article (Back to one shown before) shows that one.
    other = next(a for a in ui_kb.articles() if a.id != article_id)
    at.query_params["id"] = other.id
    at.run()
    assert [rendered_text(h.value).strip() for h in at.header] == [other.title]
    assert at.session_state["library_selected"] == other.id
    at.button(key="library_back").click().run()
    assert "id" not in at.query_params


def test_the_summary_s_mode_is_named_under_the_title(ui_kb: KnowledgeBase) -> None:
    """On a phone the sidebar's "Mode:" is folded away and the line under the summary is at the
    page's very end: a reader could not tell an offline summary from an LLM's while reading."""
    at = open_app("library.py")
    open_article(at, LEDGER)
    badge = _place_of(
        at, lambda e: e.type == "markdown" and e.value.endswith("-badge[offline extractive]")
    )
    title = _place_of(at, lambda e: e.type == "header")
    details = _place_of(at, lambda e: e.type == "caption" and e.proto.help.startswith("Article id"))
    assert title < details < badge < _place_of_the_abstract(at)
    assert badge == details + 1  # right under the title's line, before the buttons


def test_a_card_says_its_summary_is_being_made_while_its_upload_summarises(
    held_llm: HeldLLM,
) -> None:
    """The cards said "No summary yet: open the article to make one." while the upload was
    making their summaries in the background. The LLM holds the summary back meanwhile."""
    at = open_app()
    vote = DATA / "millbrook-council-rebuild-vote.txt"
    at.file_uploader[0].set_value([(vote.name, vote.read_bytes(), "text/plain")]).run()
    at.button(key="upload_ingest").click().run()
    being_made = "Summary being made now, with the rest of its upload."
    try:
        assert held_llm.summarising.wait(timeout=TIMEOUT)
        library = open_app("library.py")  # another tab: a session of its own
        captions = [rendered_text(c.value).strip() for c in library.caption]
        assert being_made in captions and not any("No summary yet" in c for c in captions)
    finally:
        held_llm.release()
    wait_for_upload(at)
    at.switch_page("library.py").run()
    assert being_made not in [rendered_text(c.value).strip() for c in at.caption]
