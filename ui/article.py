"""Article page: one article's summary, opened from the Library, Ask, Digest or Upload."""

from __future__ import annotations

from ui.library import render_article

render_article()
