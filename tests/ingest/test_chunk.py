"""Chunks are exact slices of the clean text, cover all of it, and have stable ids."""

from __future__ import annotations

import itertools
import random

import pytest

from ingest.chunk import chunk_id, chunk_text
from kb.api import KnowledgeBase
from kb.models import Chunk
from kb.settings import ChunkSettings

DEFAULT = ChunkSettings()
SETTINGS = [DEFAULT, ChunkSettings(size=300, overlap=60), ChunkSettings(size=60, overlap=0)]


def check_chunks(text: str, chunks: list[Chunk], settings: ChunkSettings, article_id: str) -> None:
    assert chunks, "non-empty text must give at least one chunk"
    for index, chunk in enumerate(chunks):
        assert chunk.index == index
        assert chunk.id == chunk_id(article_id, index) == f"{article_id}:{index:04d}"
        assert chunk.article_id == article_id
        assert 0 <= chunk.start < chunk.end <= len(text)
        assert text[chunk.start : chunk.end] == chunk.text, index
        assert chunk.text == chunk.text.strip()
        assert len(chunk.text) <= settings.size
    starts = [c.start for c in chunks]
    assert starts == sorted(set(starts)), "chunks must be in text order, each at its own place"
    covered = bytearray(len(text))
    for chunk in chunks:
        covered[chunk.start : chunk.end] = b"\x01" * (chunk.end - chunk.start)
    missing = [i for i, char in enumerate(text) if not char.isspace() and not covered[i]]
    assert not missing, f"{len(missing)} characters in no chunk, first at {missing[0]}"


def test_every_sample_article(sample_texts: dict[str, str]) -> None:
    assert len(sample_texts) == 10
    for article_id, text in sample_texts.items():
        check_chunks(text, chunk_text(article_id, text, DEFAULT), DEFAULT, article_id)


def test_stored_chunks_are_the_chunks_of_the_stored_text(
    sample_kb: KnowledgeBase, sample_texts: dict[str, str]
) -> None:
    for article in sample_kb.articles():
        stored = sample_kb.store.chunks(article.id)
        assert stored == chunk_text(article.id, sample_texts[article.id], sample_kb.settings.chunk)
        assert article.chunks == len(stored)
        assert article.chars == len(sample_texts[article.id])


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.size}-{s.overlap}")
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x" * 5000, id="no-spaces"),
        pytest.param("Antidisestablishmentarianism" * 150 + " end.", id="one-huge-word"),
        pytest.param(
            "\n\n".join(f"Paragraph {i} has a short sentence." for i in range(150)),
            id="many-paragraphs",
        ),
        pytest.param("First line.\n" + "\n" * 400 + "Last line after many blanks.", id="blanks"),
        pytest.param(
            "  \n\n  Leading and trailing blanks around one sentence.  \n\n\n  ", id="padded"
        ),
        pytest.param(
            " ".join(["Ünïcødé façade — naïve café 🎉 текст на русском 日本語の文章です。"] * 60),
            id="unicode",
        ),
        pytest.param("e\u0301" * 700 + " combining accents", id="combining-marks"),
        pytest.param(
            "\n\n".join(["The council met again. It voted to delay the levee repair."] * 40),
            id="repeated-paragraph",
        ),
        pytest.param(
            "\n\n".join(["Alpha one two.", "Beta three four five six.", "Alpha one two."] * 50),
            id="alternating-repeats",
        ),
        pytest.param("Short.", id="tiny"),
        pytest.param("Q? A! B; c, d. " * 300, id="punctuation"),
    ],
)
def test_edge_cases(text: str, settings: ChunkSettings) -> None:
    check_chunks(text, chunk_text("edge0000", text, settings), settings, "edge0000")


@pytest.mark.parametrize("seed", range(12))
def test_random_article_like_texts(seed: int) -> None:
    rng = random.Random(seed)
    words = "the levee council voted rebuild budget river flood mayor said 2026 $18.6".split()
    paragraphs = []
    for _ in range(rng.randint(1, 40)):
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(3, 40))).capitalize() + "."
            for _ in range(rng.randint(1, 8))
        ]
        paragraphs.append(" ".join(sentences))
    text = "\n\n".join(paragraphs)
    check_chunks(text, chunk_text("rand0000", text, DEFAULT), DEFAULT, "rand0000")


def test_neighbouring_chunks_overlap_when_a_paragraph_is_split() -> None:
    text = " ".join(f"Sentence number {i} of one very long paragraph." for i in range(200))
    chunks = chunk_text("over0000", text, DEFAULT)
    assert len(chunks) > 5
    for left, right in itertools.pairwise(chunks):
        shared = left.end - right.start
        assert 0 < shared <= DEFAULT.overlap


def test_chunking_is_deterministic(sample_texts: dict[str, str]) -> None:
    article_id, text = sorted(sample_texts.items())[0]
    assert chunk_text(article_id, text, DEFAULT) == chunk_text(article_id, text, DEFAULT)


def test_ids_depend_on_article_and_position_only() -> None:
    text = "One sentence here. " * 200
    first = chunk_text("aaaaaaaaaaaa", text, DEFAULT)
    second = chunk_text("bbbbbbbbbbbb", text, DEFAULT)
    assert [c.id for c in first] == [f"aaaaaaaaaaaa:{i:04d}" for i in range(len(first))]
    assert [c.id.split(":")[1] for c in first] == [c.id.split(":")[1] for c in second]
    assert [(c.start, c.end) for c in first] == [(c.start, c.end) for c in second]


def test_short_chunk_repeating_text_of_the_previous_chunk() -> None:
    body = " ".join(f"word{i:03d}" for i in range(120))
    text = body[:885].rstrip() + " The End." + "\n\nThe End."
    chunks = chunk_text("dupe0000", text, DEFAULT)
    assert chunks[-1].start == text.rindex("The End."), [(c.start, c.end) for c in chunks]
    check_chunks(text, chunks, DEFAULT, "dupe0000")
