"""Library: the article list, a summary with cited sources, regenerate, and delete."""

from __future__ import annotations

from pathlib import Path

from _ui_helpers import DATA, assert_no_exception, open_app, rendered_text, visible_text
from streamlit.testing.v1 import AppTest

from kb import KnowledgeBase

LEDGER = "Alder River Breaks Through Fenwick Street Levee, Swamping Lower Millbrook"


def _open_article(at: AppTest, title: str) -> None:
    select = at.selectbox(key="library_picker")
    matches = [option for option in select.options if option.startswith(title)]
    assert len(matches) == 1, select.options
    select.select(matches[0]).run()
    assert_no_exception(at)


def test_empty_library_points_to_upload(ui_home: Path) -> None:
    at = open_app("library.py")
    assert [title.value for title in at.title] == ["Library"]
    assert any("Upload" in info.value for info in at.info)
    assert not at.selectbox and not at.dataframe


def test_library_lists_articles_and_shows_a_cited_summary(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    table = at.dataframe[0].value
    assert sorted(table["title"]) == sorted(article.title for article in ui_kb.articles())
    assert list(table.columns) == [
        "title",
        "source",
        "date",
        "chunks",
        "summary",
        "tags",
        "near-duplicates",
        "id",
    ]
    assert set(table["near-duplicates"]) == {0}
    assert set(table["summary"]) == {"missing"}
    assert not at.subheader  # nothing is summarised before an article is chosen

    _open_article(at, LEDGER)
    text = visible_text(at)
    assert LEDGER in text
    assert [subheader.value for subheader in at.subheader] == ["Abstract", "Q&A"]
    assert "[01] " in text and "1. " in text
    assert any(body.startswith("- ") for body in (m.value for m in at.markdown))

    # The summary is the stored one, and every "source" popover quotes its article exactly.
    article_id = at.session_state["library_selected"]
    summary = ui_kb.summary(article_id)
    article_text = ui_kb.article(article_id).text or ""
    assert summary.abstract.split()[:8] == rendered_text(at.markdown[0].value).split()[:8]
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
    assert all(caption.value.startswith("chars ") for p in popovers for caption in p.caption)

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


def test_delete_asks_for_confirmation_then_removes_the_article(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    _open_article(at, LEDGER)
    article_id = at.session_state["library_selected"]

    at.button(key="library_delete").click().run()
    assert_no_exception(at)
    assert any("cannot be undone" in warning.value for warning in at.warning)
    at.button(key="library_delete_cancel").click().run()
    assert not at.warning
    assert article_id in {article.id for article in ui_kb.articles()}

    at.button(key="library_delete").click().run()
    at.button(key="library_delete_confirm").click().run()
    assert_no_exception(at)
    assert any(f"Deleted “{LEDGER}”" in rendered_text(s.value) for s in at.success)
    assert article_id not in {article.id for article in ui_kb.articles()}
    assert LEDGER not in list(at.dataframe[0].value["title"])
    assert not any(o.startswith(LEDGER) for o in at.selectbox(key="library_picker").options)
    assert at.selectbox(key="library_picker").value is None
    assert "2 articles" in at.sidebar.caption[0].value


def test_an_article_deleted_elsewhere_is_no_error(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    _open_article(at, LEDGER)
    ui_kb.delete(at.session_state["library_selected"])  # e.g. from the CLI or another session
    at.run()
    assert_no_exception(at)
    assert at.selectbox(key="library_picker").value is None
    assert len(at.dataframe[0].value) == 2
    assert "library_selected" not in at.session_state


def test_the_open_article_survives_a_visit_to_another_page(ui_kb: KnowledgeBase) -> None:
    at = open_app("library.py")
    _open_article(at, LEDGER)
    article_id = at.session_state["library_selected"]
    at.switch_page("ask.py").run()
    assert_no_exception(at)
    at.switch_page("library.py").run()
    assert_no_exception(at)
    assert at.session_state["library_selected"] == article_id
    assert at.selectbox(key="library_picker").value == article_id
    assert [subheader.value for subheader in at.subheader] == ["Abstract", "Q&A"]
    assert LEDGER in visible_text(at)


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
    table = at.dataframe[0].value
    assert list(table["near-duplicates"]) == [1, 1]
    at.selectbox(key="library_picker").select(first).run()
    assert_no_exception(at)
    captions = [rendered_text(caption.value) for caption in at.caption]
    assert any(
        c.startswith("Same text at: ") and "a-ledger.md" in c and "c-ledger-again.md" in c
        for c in captions
    ), captions
    button = at.button(key=f"library_near_{second}")
    assert button.label.startswith("Near-duplicate: ")
    button.click().run()
    assert_no_exception(at)
    assert at.session_state["library_selected"] == second
    assert at.selectbox(key="library_picker").value == second
    assert any(
        c.startswith("From: ") and "b-copy.md" in c
        for c in (rendered_text(c.value) for c in at.caption)
    )
    assert at.button(key=f"library_near_{first}")
