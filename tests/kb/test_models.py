"""The shared records' own behaviour: what they say of themselves (describe, markdown)."""

from __future__ import annotations

from kb.models import Filters


def test_filters_count_a_name_given_twice_once() -> None:
    filters = Filters(sources=["Ledger", "Ledger"], tags=["flood"] * 2, article_ids=["a1", "a1"])
    assert filters.describe() == "articles from Ledger, tagged flood, among 1 chosen article(s)"
