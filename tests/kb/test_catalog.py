"""Finding articles by their metadata: filters, formats, words, and the four orders."""

from __future__ import annotations

from kb.catalog import SORTS, select
from kb.models import Article, Filters


def _article(id: str, title: str, date: str = "", **fields: object) -> Article:
    return Article(id=id, title=title, date=date, **fields)  # type: ignore[arg-type]


ARTICLES = [
    _article("a", "Levee fails", "2026-03-14", source="Ledger", format="md",
             tags=["flood"], ingested_at="2026-11-01T10:00:00",
             location="/home/ana/uploads/fenwick-story.md"),
    _article("b", "Council votes", "2026-04-02", source="Regional Wire", format="txt",
             ingested_at="2026-11-01T09:00:00"),
    _article("c", "Undated notes", source="Ledger", format="pdf", author="Ana Ruiz",
             ingested_at="2026-11-02T08:00:00"),
    _article("d", "Bus line opens", "2026-03-15", source="Courier", format="html",
             tags=["transit"], ingested_at="2026-10-30T08:00:00"),
]  # fmt: skip


def ids(articles: list[Article]) -> list[str]:
    return [article.id for article in articles]


def test_orders() -> None:
    assert set(SORTS) == {"newest", "oldest", "title", "added"}
    assert ids(select(ARTICLES, sort="newest")) == ["b", "d", "a", "c"]  # undated last
    assert ids(select(ARTICLES, sort="oldest")) == ["a", "d", "b", "c"]  # undated last too
    assert ids(select(ARTICLES, sort="title")) == ["d", "b", "a", "c"]
    assert ids(select(ARTICLES, sort="added")) == ["c", "a", "b", "d"]


def test_words_match_title_source_author_and_tags_in_any_case() -> None:
    assert ids(select(ARTICLES, matching="LEDGER")) == ["c", "a"]
    assert ids(select(ARTICLES, matching="ledger levee")) == ["a"]  # every word
    assert ids(select(ARTICLES, matching="ruiz")) == ["c"]
    assert ids(select(ARTICLES, matching="transit")) == ["d"]
    assert select(ARTICLES, matching="nowhere") == []
    assert ids(select(ARTICLES, matching="fenwick-story")) == ["a"]  # the file name
    assert select(ARTICLES, matching="uploads") == []  # not the folders above it


def test_filters_and_formats() -> None:
    assert ids(select(ARTICLES, Filters(sources=["ledger"]), sort="title")) == ["a", "c"]
    assert ids(select(ARTICLES, Filters(since="2026-03-15"), sort="oldest")) == ["d", "b"]
    assert ids(select(ARTICLES, formats=[".PDF", "txt"], sort="title")) == ["b", "c"]
    assert ids(select(ARTICLES, Filters(tags=["flood"]), formats=["md"])) == ["a"]


def test_a_word_matches_however_its_name_is_punctuated() -> None:
    """ "VX40" found the two VX-40 articles whose file names held "vx40", not the third."""
    recalls = [
        _article("x", "Voltaic recalls VX-40 packs", location="/u/recall.html"),
        _article("y", "Own a VX 40 battery? Stop charging it", location="/u/safety.md"),
        _article("z", "Fined over the recall", location="/u/vx40-fine.docx"),
        _article("w", "Bus line opens", location="/u/bus.txt"),
    ]
    for typed in ("VX40", "vx-40", "Vx-40"):
        assert ids(select(recalls, matching=typed, sort="title")) == ["z", "y", "x"], typed


def test_a_word_matches_with_or_without_its_accents() -> None:
    """`kb list --match pena` said "No article matches." of Carmen Peña's article."""
    articles = [
        _article("e", "Crecida del Ebro", author="Carmen Peña", source="Diario del Ebro"),
        _article("f", "Hochwasser", author="Jürgen Weiß"),
        _article("g", "Bus line opens"),
    ]
    for typed, found in [("pena", ["e"]), ("Peña", ["e"]), ("weiss", ["f"]), ("Weiß", ["f"])]:
        assert ids(select(articles, matching=typed)) == found, typed
