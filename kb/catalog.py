"""Finding articles in the library by their metadata: `kb list` and the UI's Library page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from kb.models import Article, Filters
from kb.text import without_accents

Sort = Literal["newest", "oldest", "title", "added"]
SORTS: dict[Sort, str] = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "title": "Title A–Z",
    "added": "Recently added",
}


def _searchable(article: Article) -> str:
    file_name = article.location.rstrip("/").rsplit("/", 1)[-1]  # not the folders above it
    fields = [article.title, article.source, article.author, file_name]
    text = without_accents(" ".join([*fields, *article.tags]).casefold())
    return f"{text} {_joined(text)}"


def _holds(searchable: str, words: list[tuple[str, str]]) -> bool:
    """Each (word, its `_joined` form) in the article's `_searchable` text, either way."""
    return all(word in searchable or joined in searchable for word, joined in words)


def _joined(text: str) -> str:
    """Letters and digits only: "VX40" is in "VX-40 e-bike" and in "VX 40"."""
    return re.sub(r"[\W_]+", "", text)


def select(
    articles: Sequence[Article],
    filters: Filters | None = None,
    formats: Sequence[str] = (),
    matching: str = "",
    sort: Sort = "added",
) -> list[Article]:
    """The articles `filters` allow, of these formats, whose metadata holds every word of
    `matching` (any case, with or without accents: "pena" finds "Peña"), in the `sort` order."""
    words = [(word, _joined(word)) for word in without_accents(matching.casefold()).split()]
    wanted_formats = {f.casefold().lstrip(".") for f in formats}
    chosen = [
        article
        for article in articles
        if (filters is None or filters.allows(article))
        and (not wanted_formats or article.format.casefold() in wanted_formats)
        and _holds(_searchable(article), words)
    ]
    if sort == "title":
        return sorted(chosen, key=lambda a: a.title.casefold())
    if sort == "added":
        return sorted(chosen, key=lambda a: a.ingested_at, reverse=True)
    # Undated articles go last either way: a missing date is not the oldest date.
    dated = sorted(
        (a for a in chosen if a.date), key=lambda a: a.date[:10], reverse=sort == "newest"
    )
    return dated + [a for a in chosen if not a.date]
