"""BM25 over the stored chunks: the best k of the chunks that share a word, best first, within
an article filter."""

from __future__ import annotations

from pathlib import Path

from kb.api import KnowledgeBase
from kb.lexical import terms


def test_best_k_of_the_chunks_sharing_a_word_best_first(
    sample_kb: KnowledgeBase, sample_texts: dict[str, str]
) -> None:
    question = "Who ordered the levee review after the flood?"
    everything = sample_kb.lexical.search(question, 10_000)
    scores = [score for _, score in everything]
    assert scores == sorted(scores, reverse=True) and min(scores) > 0
    chunk_ids, texts = sample_kb.store.chunk_texts()
    words = set(terms(question))
    sharing = {c for c, text in zip(chunk_ids, texts) if words & set(terms(text))}
    assert {chunk_id for chunk_id, _ in everything} == sharing  # no chunk scoring zero
    assert len(sharing) > 5
    assert sample_kb.lexical.search(question, 5) == everything[:5]
    assert sample_kb.lexical.search("zzyzx qwertyuiop", 5) == []
    assert sample_kb.lexical.search("", 5) == [] and sample_kb.lexical.search(question, 0) == []


def test_an_article_filter_keeps_the_order_of_the_unfiltered_ranking(
    sample_kb: KnowledgeBase,
) -> None:
    question = "flood levee council budget scooter battery"
    everything = sample_kb.lexical.search(question, 10_000)
    owners = list(dict.fromkeys(chunk_id.split(":")[0] for chunk_id, _ in everything))
    allowed = set(owners[1:3])
    within = sample_kb.lexical.search(question, 10_000, allowed)
    assert within == [(c, s) for c, s in everything if c.split(":")[0] in allowed]
    assert sample_kb.lexical.search(question, 2, allowed) == within[:2]
    assert sample_kb.lexical.search(question, 5, set()) == []


def test_a_possessive_or_an_unaccented_name_finds_the_article(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """ "Gisvi's" and "Aschenbrodel" are the words "Gisvi" and "Aschenbrödel" of the articles:
    they were the terms "gisvi's", "aschenbr" and "del", which no question typed finds."""
    texts = {
        "gisvi.txt": "Gisvi\n\nGisvi is a retired footballer born in Windhoek.\n",
        "ballet.txt": "Aschenbrödel\n\nAschenbrödel is a ballet by Johann Strauss II.\n",
        "other.txt": "Harbour\n\nThe harbour reopened after the storm.\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    kb.ingest(sorted(tmp_path.glob("*.txt")))
    titles = {a.id: a.title for a in kb.store.committed()}
    for question, title in [
        ("Where was Gisvi's city of birth?", "Gisvi"),
        ("Who wrote Aschenbrodel?", "Aschenbrödel"),
    ]:
        found = kb.lexical.search(question, 5)
        assert [titles[chunk_id.split(":")[0]] for chunk_id, _ in found] == [title]


def test_chinese_japanese_and_korean_are_searched_by_pairs_of_characters(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """They write no spaces between words: a question is one run of characters, which no
    article's run equals."""
    (tmp_path / "ja.txt").write_text(
        "ラウター川の洪水\n\nラウター川の氾濫で住民三百人が避難した。\n", encoding="utf-8"
    )
    (tmp_path / "en.txt").write_text("Harbour\n\nThe harbour reopened.\n", encoding="utf-8")
    kb.ingest(sorted(tmp_path.glob("*.txt")))
    found = kb.lexical.search("何人が避難しましたか", 5)
    assert [kb.store.article(chunk_id.split(":")[0]).title for chunk_id, _ in found] == [
        "ラウター川の洪水"
    ]


def test_a_name_ending_in_a_stopword_keeps_it_and_a_month_does_not(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """ "May" is a stopword ("may" the verb): "Theresa May" was searched as "theresa" alone,
    which the article on Theresa Cole writes more often. "In May" stays a month, no name."""
    texts = {
        "may.txt": "Cabinet meets\n\nTheresa May met the union leaders on Tuesday.\n",
        "cole.txt": "Theresa Cole's bakery\n\nIn May, Theresa Cole opened a bakery. Theresa "
        "Cole bakes bread for the town.\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    kb.ingest(sorted(tmp_path.glob("*.txt")))
    found = kb.lexical.search("Who is Theresa May?", 5)
    assert kb.store.article(found[0][0].split(":")[0]).title == "Cabinet meets"
    assert terms("Who is Theresa May?") == ["theresa", "may"]
    assert terms("What opened in May?") == ["opened"]
