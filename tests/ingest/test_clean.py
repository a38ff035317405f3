"""Cleaning parsed text (ingest.clean)."""

from __future__ import annotations

from ingest.clean import clean_paragraph, rejoin_hyphenated_words


def test_words_hyphenated_at_a_pdf_line_end_are_rejoined() -> None:
    paragraphs = [
        "We used a dual-encoder, us- ing dense vectors imple- mented in Lucene.",
        "A dual- encoder and pre- and post-processing steps were ef\ufb01- cient.",
    ]
    assert rejoin_hyphenated_words(paragraphs) == [
        "We used a dual-encoder, using dense vectors implemented in Lucene.",
        "A dual-encoder and pre- and post-processing steps were efficient.",
    ]


def test_ligatures_are_letters() -> None:
    assert clean_paragraph("\ufb01ne-tuned e\ufb00ort, \ufb02ow") == "fine-tuned effort, flow"
