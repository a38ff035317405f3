"""MinHash estimates of shingle-set similarity (ingest.dedup)."""

from __future__ import annotations

import random
import re

import pytest

from ingest.dedup import NearDuplicates, signature, similarity


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}


@pytest.mark.parametrize("share_edited", [0.0, 0.02, 0.05, 0.1, 0.2])
def test_estimate_tracks_the_true_jaccard_similarity(
    share_edited: float, sample_texts: dict[str, str]
) -> None:
    text = max(sample_texts.values(), key=len)
    words = text.split()
    rng = random.Random(7)
    for i in rng.sample(range(len(words)), int(len(words) * share_edited)):
        words[i] = "edited"
    edited = " ".join(words)
    a, b = shingles(text), shingles(edited)
    truth = len(a & b) / len(a | b)
    assert abs(similarity(signature(text), signature(edited)) - truth) < 0.2  # 64 permutations


def test_different_articles_are_not_near_duplicates(sample_texts: dict[str, str]) -> None:
    texts = list(sample_texts.values())
    index = NearDuplicates({str(n): signature(t) for n, t in enumerate(texts)})
    for n, text in enumerate(texts):
        assert index.matches(str(n), signature(text)) == []
    index.add("copy", signature(texts[0]))
    assert index.matches("new", signature(texts[0] + " One more line."))[0][0] in {"0", "copy"}


def test_a_removed_article_no_longer_matches_and_the_index_grows(
    sample_texts: dict[str, str],
) -> None:
    text = max(sample_texts.values(), key=len)
    index = NearDuplicates({})
    for n in range(100):  # past the first allocation
        index.add(f"other-{n}", signature(f"unrelated words number {n} " * 20))
    index.add("original", signature(text))
    assert [i for i, _ in index.matches("new", signature(text + " More."))] == ["original"]
    index.remove("original")
    assert index.matches("new", signature(text + " More.")) == []
    index.add("original", signature(text))  # stored again, e.g. after a failed replacement
    assert index.matches("original", signature(text)) == []  # never its own near-duplicate
    assert index.matches("new", signature(text))[0] == ("original", 1.0)
