"""Cleaning parsed text (ingest.clean)."""

from __future__ import annotations

import random
from pathlib import Path

from ingest.clean import (
    clean_paragraph,
    looks_like_text,
    rejoin_hyphenated_words,
    without_release_furniture,
)


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


def test_text_in_any_language_looks_like_text_and_decoded_binary_does_not() -> None:
    for article in (
        "The harbour ferry returned to service on Friday.\n\n" * 20,
        "Die Fähre über die Brücke fährt wieder, sagte der Hafenmeister.\n" * 20,
        "港のフェリーは金曜日に運航を再開しました。修理は三週間かかった。\n" * 20,
        "港口渡轮周五恢复运营，维修历时三周。\n" * 20,
        "Title with nulls\n\n" + "\x00" * 2000 + "The pumps ran all night. " * 20,
    ):
        assert looks_like_text(article)
    noise = random.Random(7).randbytes(8000)
    assert not looks_like_text(noise.decode("latin-1"))  # random bytes in a legacy encoding
    executable = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + random.Random(8).randbytes(6000)
    assert not looks_like_text(executable.decode("utf-16-le", errors="replace"))


def test_new_emoji_and_pdf_symbol_bullets_are_text() -> None:
    """🫨 and 🩷 are unassigned in Python 3.11's Unicode tables; a PDF maps its Symbol-font bullet
    to private use (U+F0B7): both were counted as binary and the text refused."""
    assert looks_like_text("Wow 🫨🫨🫨🫨 so good 🩷🩷")
    assert looks_like_text("\n".join(f"\uf0b7 Item {number}" for number in range(1, 11)))
    executable = Path("/bin/ls").read_bytes()
    assert not looks_like_text(executable.decode("utf-16-le", errors="replace"))
    assert not looks_like_text(executable.decode("latin-1"))


_LEAD = "CASTLEBROOK, Oct. 17, 2025 — Veltra Recycling today announced support for families."
_STORY = "Veltra will reimburse residents for lodging and meals during the evacuation."
_RELEASE_TAIL = [
    "About Veltra Recycling",
    "Veltra Recycling LLC recovers critical minerals from end-of-life batteries.",
    "Forward-looking statements",
    "This press release contains forward-looking statements. Actual results may differ.",
    "Media contact: Corinne Wallace Director of Communications (555) 014-7730",
    "###",
]


def test_a_press_releases_end_mark_contact_disclaimer_and_boilerplate_are_no_text() -> None:
    """They were summarised as a section of the story; its own sections stay, "About the Quarry
    Road facility" too."""
    story = [
        "Veltra Announces Support Measures",
        "FOR IMMEDIATE RELEASE",
        _LEAD,
        "About the Quarry Road facility",
        "The facility opened in 2021 and processed spent batteries.",
        "Community support",
        _STORY,
    ]
    assert without_release_furniture([*story, *_RELEASE_TAIL]) == story
    assert without_release_furniture([*story, "-30-"]) == story
    contact_lines = ["Media Contact", "Jane Doe", "jane@example.org", "(555) 010-0100"]
    assert without_release_furniture([*story, *contact_lines]) == story


def test_an_articles_closing_sections_and_a_mark_between_its_parts_stay() -> None:
    """No release says so, or story text follows the mark or heading."""
    for paragraphs in [
        ["Title", _LEAD, "###", _STORY],  # a scene break
        ["Title", _LEAD, "About the Author", "Jane Doe writes about cities."],
        ["Title", _LEAD, "Forward-looking statements aside, sales rose 4 percent in March."],
        ["Title", "Contact: Jane Doe, 555-0100", _LEAD, _STORY],  # above the story
        ["Title", _LEAD, "Contacts", _STORY],
    ]:
        assert without_release_furniture(paragraphs) == paragraphs, paragraphs
