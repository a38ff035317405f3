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


def test_compounds_split_at_a_line_end_keep_their_hyphen() -> None:
    """A split of two words the document uses alone, or after one letter, is a compound; one the
    document writes joined elsewhere, or with a half that is no word of it, is a word."""
    paragraphs = [
        "The long- term plan for e- bikes and the well- known mid- size cars.",
        "A long road, a well of water: the term ended, known to all, of mid size.",
        "The over- due repair was imple- mented late; it was overdue, over a year due.",
    ]
    assert rejoin_hyphenated_words(paragraphs) == [
        "The long-term plan for e-bikes and the well-known mid-size cars.",
        paragraphs[1],
        "The overdue repair was implemented late; it was overdue, over a year due.",
    ]


def test_a_split_going_on_with_a_hyphen_keeps_it() -> None:
    assert rejoin_hyphenated_words(["a state- of-the-art levee", "x- ray"]) == [
        "a state-of-the-art levee",
        "x-ray",
    ]


def test_c1_control_characters_are_not_text() -> None:
    """U+009B is a terminal's CSI: followed by "2J" it would clear the reader's screen."""
    assert clean_paragraph("Body \x9b2J text\x80 with\x9f controls") == "Body 2J text with controls"
    assert clean_paragraph("one line\x85the next") == "one line the next"  # NEL breaks a line
    assert clean_paragraph("tab\tkept apart") == "tab kept apart"
