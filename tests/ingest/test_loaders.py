"""Loading each supported format into clean text + metadata, and failing with a clear reason."""

from __future__ import annotations

import io
import random
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from kb_helpers import DATA_DIR, EVAL_DOCS
from pdf_samples import (
    pdf_with_a_drawing,
    pdf_with_a_table,
    pdf_with_a_title_block,
    pdf_with_headings,
)
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject

from ingest.loaders import FORMATS, LoadedDocument, LoadError, check_size, letter_spaced, load

NO_LIMIT = 50_000_000

# What a reader sees at the top of each sample article (docs/SAMPLE_CORPUS.md has outlet and date).
EXPECTED = {
    "harlow-green-line-first-week-ridership.txt": (
        "txt",
        "Harlow's Green Line beats forecasts in first week, logging 148,600 boardings",
        "Sam Whitcombe",
        "Regional Wire",
        "2026-03-23",
    ),
    "harlow-green-line-opens.html": (
        "html",
        "Green Line opens to packed platforms, with a quieter ceremony than planned",
        "Daniel Okafor",
        "The Harlow Courier-Times",
        "2026-03-15",
    ),
    "harlow-green-line-vs-buses-analysis.md": (
        "md",
        "Analysis: The Green Line Is a Hit. Harlow's Buses Are Paying for It.",
        "Naomi Beckett",
        "The Harlow Courier-Times",
        "2026-04-10",
    ),
    "millbrook-council-rebuild-vote.txt": (
        "txt",
        "Millbrook council approves $18.6 million flood rebuild, orders independent levee review",
        "Rafael Montoya",
        "Regional Wire",
        "2026-04-02",
    ),
    "millbrook-flood-ledger.md": (
        "md",
        "Alder River Breaks Through Fenwick Street Levee, Swamping Lower Millbrook",
        "Jenna Halvorsen",
        "The Millbrook Ledger",
        "2026-03-14",
    ),
    "millbrook-flood-regional-wire.html": (
        "html",
        "Flash flood damages 312 homes in Millbrook as Alder River tops 1987 record",
        "Rafael Montoya",
        "Regional Wire",
        "2026-03-14",
    ),
    "millbrook-levee-inspection-followup.pdf": (
        "pdf",
        "Engineers Rated Fenwick Street Levee 'Poor' in 2024; Town Put Off $2.4 Million Repair",
        "Marcus Feld",
        "The Millbrook Ledger",
        "2026-03-21",
    ),
    "voltaic-fine-ceo-resigns.docx": (
        "docx",
        "Voltaic Cell Works Fined $14.5 Million Over VX-40 Recall; CEO Carl Brenner Resigns",
        "Owen Takeda",
        "Circuit Business Daily",
        "2026-04-06",
    ),
    "voltaic-vx40-consumer-safety.md": (
        "md",
        "Own a VX-40 E-Bike Battery? Stop Charging It Today",
        "Rosa Delgado",
        "Consumer Watch Weekly",
        "2026-03-20",
    ),
    "voltaic-vx40-recall-announced.html": (
        "html",
        "Voltaic Cell Works recalls 86,000 VX-40 e-bike batteries after fires",
        "Owen Takeda",
        "Circuit Business Daily",
        "2026-03-18",
    ),
}

# A sentence from the body of each article, as the clean text must hold it.
BODY = {
    "harlow-green-line-first-week-ridership.txt": "Civic Center was the busiest of the 16 stations",
    "harlow-green-line-opens.html": "Mayor Teresa Lindqvist cut the ribbon at Civic Center station",
    "harlow-green-line-vs-buses-analysis.md": "Route 7 fell from about 9,200 weekday boardings",
    "millbrook-council-rebuild-vote.txt": "The Millbrook town council voted 5-2 late Wednesday",
    "millbrook-flood-ledger.md": "One man died. Walter Brandt, 71, a lifelong Millbrook resident",
    "millbrook-flood-regional-wire.html": "The Alder River crested at 6.8 metres at the Millbrook gauge",
    "millbrook-levee-inspection-followup.pdf": "The inspection report by Castellan Engineering, dated",
    "voltaic-fine-ceo-resigns.docx": "Carl Brenner resigned on Monday",
    "voltaic-vx40-consumer-safety.md": "Consumer Watch has counted at least 34.",
    "voltaic-vx40-recall-announced.html": "Affected units carry serial numbers beginning with VX40-23",
}


@pytest.fixture(scope="module")
def loaded() -> dict[str, LoadedDocument]:
    return {name: load(DATA_DIR / name, NO_LIMIT) for name in EXPECTED}


def test_expectations_cover_every_sample_file() -> None:
    assert sorted(p.name for p in DATA_DIR.iterdir() if p.is_file()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_file_loads_with_metadata(name: str, loaded: dict[str, LoadedDocument]) -> None:
    assert loaded[name].meta.language == "en"
    document = loaded[name]
    fmt, title, author, source, date = EXPECTED[name]
    assert document.format == fmt
    assert len(document.text) > 2000
    assert (document.meta.title, document.meta.author) == (title, author)
    assert (document.meta.source, document.meta.date) == (source, date)
    assert BODY[name] in document.text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_clean_text_shape(name: str, loaded: dict[str, LoadedDocument]) -> None:
    """Paragraphs separated by exactly one blank line, no stray whitespace or markup."""
    text = loaded[name].text
    assert text == text.strip()
    paragraphs = text.split("\n\n")
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    assert "  " not in text and "\t" not in text and "\r" not in text
    assert "<p" not in text and "&mdash;" not in text and "**" not in text
    assert not text.startswith("#")


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if n.endswith(".html")])
def test_html_page_furniture_does_not_dominate(
    name: str, loaded: dict[str, LoadedDocument]
) -> None:
    text = loaded[name].text
    tree = lxml.html.fromstring((DATA_DIR / name).read_text(encoding="utf-8"))
    for selector in ("//header", "//nav", "//footer", "//*[contains(@class, 'share')]"):
        for element in tree.xpath(selector):
            for link in element.xpath(".//a//text()"):
                assert link.strip() not in text.split("\n\n"), (selector, link)
    for furniture in ("Front Page", "E-Edition", "WhatsApp", "LinkedIn", "Privacy", "Sign in"):
        assert furniture not in text
    article = " ".join(" ".join(tree.xpath("//article//text()")).split())
    in_article = sum(len(p) for p in text.split("\n\n") if p in article)
    assert in_article / len(text) > 0.9


@pytest.mark.parametrize(
    ("name", "aside"),
    [
        ("millbrook-flood-regional-wire.html", "Harlow’s Green Line set to open Sunday"),
        ("harlow-green-line-opens.html", "How to help Millbrook flood victims"),
    ],
)
def test_html_related_links_are_not_article_text(
    name: str, aside: str, loaded: dict[str, LoadedDocument]
) -> None:
    assert aside not in loaded[name].text


def test_pdf_hyphenation_and_layout_are_joined(loaded: dict[str, LoadedDocument]) -> None:
    text = loaded["millbrook-levee-inspection-followup.pdf"].text
    assert "Seventeen months before the Alder River broke through the Fenwick Street levee" in text
    assert "\n\nWhy the levee failed\n\n" in text


def test_the_sample_pdfs_paragraphs_stay_apart(loaded: dict[str, LoadedDocument]) -> None:
    """Two blocks of lines set close together are two paragraphs: five of them ran into one. The
    masthead, the title and the byline, set in three sizes in one block, are three."""
    paragraphs = loaded["millbrook-levee-inspection-followup.pdf"].text.split("\n\n")
    assert [" ".join(paragraph.split()[:4]) for paragraph in paragraphs] == [
        "THE MILLBROOK LEDGER",
        "Engineers Rated Fenwick Street",
        "By Marcus Feld |",
        "MILLBROOK - Seventeen months",
        "The inspection report by",
        "In February 2025, during",
        "Why the levee failed",
        "On Thursday, Castellan delivered",
        '"The conditions we documented',
        "In an interview on",
        "Councillor Gordon Pike, who",
        "Denise Kaur, who led",
        "The damage, one week",
        "Alder County's final count",
        "Families in the Lower",
    ]
    assert [len(paragraph) for paragraph in paragraphs] == [
        20,
        85,
        50,
        244,
        414,
        313,
        20,
        501,
        366,
        341,
        355,
        231,
        23,
        254,
        232,
    ]


def test_markdown_markup_is_removed(loaded: dict[str, LoadedDocument]) -> None:
    text = loaded["voltaic-vx40-consumer-safety.md"].text
    assert "\n\nIs my battery affected?\n\n" in text
    assert "VX40-23" in text and "**VX40-23**" not in text


# --- failures ------------------------------------------------------------------------------------
def fails(path: Path, max_bytes: int = NO_LIMIT) -> str:
    with pytest.raises(LoadError) as error:
        load(path, max_bytes)
    message = str(error.value)
    assert message.strip()
    return message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert fails(path) == "the file is empty"


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_whitespace_only_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"blank{suffix}"
    path.write_text(" \n\n\t  \n   \n")
    assert fails(path) == (
        f"the {suffix[1:].upper()} file holds only whitespace (spaces, tabs or blank lines)"
    )


def test_html_scripts_styles_and_comments_are_not_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Page</title><style>p { color: red; }</style>"
        "<script>var tracker = function() { return 42; };</script></head><body>"
        "<!-- an editor's note -->"
        "<h1>Headline of the story</h1><p>First paragraph of the article body.</p>"
        "<script>window.ads.push('slot');</script><p>Second paragraph.</p></body></html>"
    )
    document = load(path, NO_LIMIT)
    assert document.text == (
        "Headline of the story\n\nFirst paragraph of the article body.\n\nSecond paragraph."
    )
    assert document.meta.title == "Page"


def test_html_with_only_markup(tmp_path: Path) -> None:
    path = tmp_path / "shell.html"
    path.write_text("<html><head><title></title><script>var a = 1;</script></head><body></body>")
    assert "no text could be extracted from this HTML file" in fails(path)


@pytest.mark.parametrize("name", ["notes.xyz", "slides.pptx", "README", "archive.tar.gz"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Some perfectly readable text.")
    message = fails(path)
    assert message.startswith("unsupported file type")
    assert all(suffix in message for suffix in FORMATS)


def test_supported_extensions_are_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "SHOUTING.TXT"
    path.write_text("Upper-case file names are common on shared drives.")
    assert load(path, NO_LIMIT).format == "txt"


def test_over_size_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 500_000)  # 2.5 MB
    message = fails(path, max_bytes=1_000_000)
    assert "2.5 MB" in message and "over the 1 MB limit" in message
    assert "KB_MAX_FILE_MB" in message


def test_over_size_message_states_the_configured_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 120_000)  # 0.6 MB
    message = fails(path, max_bytes=500_000)
    assert "0.5 MB limit" in message, message


def test_missing_file(tmp_path: Path) -> None:
    assert fails(tmp_path / "gone.txt").startswith("cannot read the file")


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(random.Random(7).randbytes(4000))
    assert "the PDF is damaged or not a PDF" in fails(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    original = (DATA_DIR / "millbrook-levee-inspection-followup.pdf").read_bytes()
    path.write_bytes(original[: len(original) // 3])
    message = fails(path)
    assert "PDF" in message


def test_corrupt_docx_zip_without_document(tmp_path: Path) -> None:
    path = tmp_path / "hollow.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    assert fails(path).startswith("could not parse this DOCX file")


# --- text encodings ------------------------------------------------------------------------------
def test_utf8_text_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes("\ufeffTitle line\r\n\r\nBody with “quotes” — and café.\r\n".encode())
    document = load(path, NO_LIMIT)
    assert document.text == "Title line\n\nBody with “quotes” — and café."
    assert document.meta.title == "Title line"


def test_latin1_german_text(tmp_path: Path) -> None:
    path = tmp_path / "koeln.txt"
    text = "Der Bürgermeister sagte, die Straße sei geöffnet. Schöne Grüße aus Köln."
    path.write_bytes(text.encode("latin-1"))
    document = load(path, NO_LIMIT)
    assert document.text == text
    assert document.meta.language == "de"  # detected: a text file declares none


def test_cp1252_western_text(tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    text = "The café served crème brûlée to a naïve critic. Señor Muñoz said it was “excellent”."
    path.write_bytes(text.encode("cp1252"))
    assert load(path, NO_LIMIT).text == text


def test_title_falls_back_to_first_line_then_file_name(tmp_path: Path) -> None:
    path = tmp_path / "quarterly_report-draft.md"
    path.write_text("# Quarterly report\n\nBy Ann Lee | Acme Weekly | 2025-01-31\n\nRevenue rose.")
    document = load(path, NO_LIMIT)
    assert (document.meta.title, document.meta.author) == ("Quarterly report", "Ann Lee")
    assert (document.meta.source, document.meta.date) == ("Acme Weekly", "2025-01-31")


@pytest.mark.parametrize(("name", "label"), [("view.md", "Opinion"), ("live.txt", "Live blog")])
def test_a_kind_s_label_over_the_headline_is_no_title(
    tmp_path: Path, name: str, label: str
) -> None:
    """An opinion piece was listed as "Opinion", its headline left to read as a sentence."""
    path = tmp_path / name
    path.write_text(
        f"{label}\n\n# We were promised half. Patients deserve straight numbers\n\n"
        "**By Rosalind Achebe**\n\nThe trial's headline figure was 52 per cent. It was not."
    )
    title = load(path, NO_LIMIT).meta.title
    assert title.lstrip("# ") == "We were promised half. Patients deserve straight numbers"


def test_a_long_markdown_heading_is_the_whole_title_and_a_guessed_first_line_is_cut(
    tmp_path: Path,
) -> None:
    """Cut, the heading no longer matched its line in the text and was quoted as content."""
    heading = "The Long Report on the Reconstruction of the Northern Riverside Bridge " * 4
    body = "The bridge reopened to foot traffic after four years."
    (tmp_path / "bridge.md").write_text(f"# {heading.strip()}\n\n{body}\n")
    (tmp_path / "bridge.txt").write_text(f"{heading.strip()}\n\n{body}\n")
    markdown = load(tmp_path / "bridge.md", NO_LIMIT)
    assert markdown.meta.title == heading.strip() == markdown.text.split("\n\n")[0]
    assert load(tmp_path / "bridge.txt", NO_LIMIT).meta.title.endswith("…")


def test_a_text_with_control_characters_gets_its_language(tmp_path: Path) -> None:
    """CLD2 refuses C0 and C1 controls (U+0085, U+009B); cleaning takes them out first."""
    path = tmp_path / "council.txt"
    path.write_text(
        "The council approved\x85the budget after a long\x9b night of debate.\x00\x7f"
        " The new bridge opens next spring, the mayor said on Tuesday evening.",
        encoding="utf-8",
    )
    assert load(path, NO_LIMIT).meta.language == "en"


def test_a_long_markdown_heading_after_front_matter_without_a_title_is_the_whole_title(
    tmp_path: Path,
) -> None:
    """The front matter is read once for the metadata, the text and the heading check."""
    heading = "The Long Report on the Reconstruction of the Northern Riverside Bridge " * 4
    (tmp_path / "bridge.md").write_text(
        f"---\nauthor: Ann Lee\ndate: 2025-01-31\n---\n\n# {heading.strip()}\n\nIt reopened.\n"
    )
    document = load(tmp_path / "bridge.md", NO_LIMIT)
    assert document.text == f"{heading.strip()}\n\nIt reopened."
    assert (document.meta.title, document.meta.author) == (heading.strip(), "Ann Lee")
    assert document.meta.date == "2025-01-31"


# --- awkward real documents (optional shared evaluation set) -------------------------------------
EVAL_FILES = sorted(p.name for p in EVAL_DOCS.iterdir()) if EVAL_DOCS.is_dir() else []


# Files of that set whose outcome is known: the reason they must fail with.
EVAL_FAILURES = {
    "empty.txt": "the file is empty",
    "fake-text-all-whitespace.txt": "holds only whitespace",
    "password.pdf": "password-protected",
}


@pytest.mark.skipif(not EVAL_FILES, reason=f"evaluation documents not found at {EVAL_DOCS}")
@pytest.mark.parametrize("name", EVAL_FILES or ["-"])
def test_eval_document_loads_or_fails_cleanly(name: str) -> None:
    """Every file either gives text or a LoadError with a reason, never another exception."""
    try:
        document = load(EVAL_DOCS / name, NO_LIMIT)
    except LoadError as error:
        assert str(error).strip()
        assert EVAL_FAILURES.get(name, "") in str(error)
        return
    assert name not in EVAL_FAILURES, f"{name} should have failed"
    assert document.text.strip()
    assert document.meta.title.strip()
    assert document.format == FORMATS[Path(name).suffix.lower()]


@pytest.mark.skipif(not EVAL_FILES, reason=f"evaluation documents not found at {EVAL_DOCS}")
def test_rotated_and_multi_column_pdfs_give_readable_text() -> None:
    rotated = load(EVAL_DOCS / "rotated-page-90.pdf", NO_LIMIT).text
    assert rotated.split("\n\n") == [
        "Hello World Test Text",
        "Second line of text here",
        "Rotated page fixture",
    ]
    columns = load(EVAL_DOCS / "multi-column.pdf", NO_LIMIT).text
    assert columns.startswith("Dense Passage Retrieval for Open-Domain Question Answering")
    assert "v i X r a" not in columns  # the sideways arXiv stamp in the margin is dropped
    assert "Open-domain question answering relies on" in columns


@pytest.mark.skipif(not EVAL_FILES, reason=f"evaluation documents not found at {EVAL_DOCS}")
def test_a_pdf_title_set_over_two_lines_ends_in_no_comma() -> None:
    title = load(EVAL_DOCS / "failure-after-repair.pdf", NO_LIMIT).meta.title
    assert title == "A guide for people with cancer, their families and friends"


def test_letter_spaced_text_is_recognised() -> None:
    assert letter_spaced("R o t a e d p a g e")
    assert letter_spaced("3 v 6 0 9 4 0 . 4 0 0 2 : v i X r a")
    assert not letter_spaced("I saw a cat in a tree")
    assert not letter_spaced("A B")  # too short to tell
    assert not letter_spaced("할인점 주유 온라인쇼핑몰 1.5% 빅포인트 적립")


def test_pdf_with_the_wrong_extension_is_read_as_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes((DATA_DIR / "millbrook-levee-inspection-followup.pdf").read_bytes())
    document = load(path, NO_LIMIT)
    assert document.format == "pdf" and "Castellan Engineering" in document.text


def test_binary_garbage_in_a_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(3).randbytes(5000))
    assert fails(path) == "binary content, not text (this does not look like a .txt file)"


def test_reading_imports_no_torch_and_leaves_it_importable() -> None:
    """spaCy's thinc would import torch (6 s) when a few files are read in the main process."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ingest.loaders import load\n"
        f"for path in sorted(Path({str(DATA_DIR)!r}).iterdir()):\n"
        "    load(path, 10**8)\n"
        "print('torch' in sys.modules)\n"
        "import thinc.compat, torch\n"
        "print(thinc.compat.has_torch, torch.ones(2).sum().item())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180, check=True
    )
    assert done.stdout.split("\n")[:2] == ["False", "False 2.0"], done.stdout + done.stderr


def test_a_pdf_with_heavy_vector_art_is_read_from_its_text_layer(tmp_path: Path) -> None:
    """unstructured takes a page of more than 10,000 drawing operations for a CAD drawing and
    reads no text from the whole PDF (a 76-page guide with an illustrated cover was refused)."""
    path = tmp_path / "guide.pdf"
    path.write_bytes(
        pdf_with_a_drawing("A guide for people with cancer and their families.", 12_000)
    )
    assert "A guide for people with cancer and their families." in load(path, NO_LIMIT).text


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_web_page_saved_as_text_is_read_as_html(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"page{suffix}"
    path.write_text(
        "<!DOCTYPE html>\n<html><head><title>Ferry returns</title></head><body>"
        "<h1>Ferry returns</h1><p>The harbor ferry returned to service on Friday.</p>"
        "</body></html>"
    )
    document = load(path, NO_LIMIT)
    assert document.format == "html"
    assert document.meta.title == "Ferry returns"
    assert "<" not in document.text and "returned to service on Friday" in document.text


@pytest.mark.parametrize(
    ("size", "limit", "shown"),
    [
        (900, 500, "0.001 MB"),
        (120_000, 500, "0.1 MB"),
        (999_700, 500_000, "1.0 MB"),
        (1_300_000, 1_234_000, "1.3 MB"),
        (50_040_000, 50_000_000, "50.04 MB"),
        (50_000_001, 50_000_000, "50.000001 MB"),
    ],
)
def test_over_size_message_tells_the_size_from_the_limit(size: int, limit: int, shown: str) -> None:
    with pytest.raises(LoadError) as error:
        check_size(size, limit)
    assert str(error.value) == (
        f"the file is {shown}, over the {limit / 1e6:g} MB limit (KB_MAX_FILE_MB)"
    )


def test_markdown_front_matter_is_metadata_not_text(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(
        '---\ntitle: "Why We Switched"\nauthor: Priya Raman\ndate: 2025-11-02\n'
        "tags: [rust, engineering]\nsource: Raman Dev Blog\n---\n\n"
        "# Why We Switched\n\nLast spring the service dropped events under load.\n"
    )
    document = load(path, NO_LIMIT)
    assert document.text == "Why We Switched\n\nLast spring the service dropped events under load."
    meta = document.meta
    assert (meta.title, meta.author, meta.date) == ("Why We Switched", "Priya Raman", "2025-11-02")
    assert (meta.source, meta.tags) == ("Raman Dev Blog", ["rust", "engineering"])
    path.write_text("---\ntitle: [unclosed\n---\n\nThe body of the note.\n")
    document = load(path, NO_LIMIT)  # a block that is no YAML does not fail the file
    assert "The body of the note." in document.text and "unclosed" in document.text


def test_a_docx_byline_beats_the_word_account_in_its_properties(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.author = "jsmith"  # who saved the file
    for line in ("Bus depot to move", "By Alan Price, 5 May 2026", "The board will move it."):
        document.add_paragraph(line)
    document.save(str(tmp_path / "depot.docx"))
    meta = load(tmp_path / "depot.docx", NO_LIMIT).meta
    assert (meta.title, meta.author, meta.date) == ("Bus depot to move", "Alan Price", "2026-05-05")


@pytest.mark.parametrize("placeholder", ["Word Document", "python-docx"])
def test_a_docx_placeholder_title_gives_way_to_its_first_line(
    tmp_path: Path, placeholder: str
) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = placeholder  # what a generator left, not the article's
    for line in ("Bus depot to move", "The board will move it."):
        document.add_paragraph(line)
    document.save(str(tmp_path / "depot.docx"))
    meta = load(tmp_path / "depot.docx", NO_LIMIT).meta
    assert (meta.title, meta.author) == ("Bus depot to move", "")


def test_control_characters_in_a_files_properties_are_not_kept(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Depot \x9b2J move"
    document.core_properties.author = "Alan\x9b Price"
    document.add_paragraph("The board will move it.")
    document.save(str(tmp_path / "depot.docx"))
    meta = load(tmp_path / "depot.docx", NO_LIMIT).meta
    assert (meta.title, meta.author) == ("Depot 2J move", "Alan Price")


def _pdf_of_lines(pages: list[list[str]], header: str = "", footer: str = "") -> bytes:
    """Each line set on its own, 6 mm apart (wider than pdfminer groups into one paragraph); an
    empty line is a blank line between paragraphs; each page's text starts at its very top, or
    under `header`, and `footer` follows it (small print; "{page}" is the page's number)."""
    from fpdf import FPDF

    def small_print(text: str, page: int) -> None:
        document.set_font("Helvetica", size=8)
        document.cell(0, 5, text.format(page=page), new_x="LMARGIN", new_y="NEXT")
        document.set_font("Helvetica", size=11)

    document = FPDF()
    document.set_auto_page_break(False)
    document.set_font("Helvetica", size=11)
    for page, lines in enumerate(pages, start=1):
        document.add_page()
        document.set_y(8)
        if header:
            small_print(header, page)
            document.set_y(20)
        for line in lines:
            document.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        if footer:
            small_print(footer, page)
    return bytes(document.output())


def test_pdf_lines_join_into_paragraphs_and_no_page_top_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "board.pdf"
    path.write_bytes(
        _pdf_of_lines(
            [
                [
                    "Harbour Board Report",
                    "",
                    "The board approved the dredging plan on Tuesday after a long",
                    "debate about the eelgrass beds near Gull Point.",
                    "",
                    "The work will start in September.",
                ],
                [
                    "Second page: the board will review the imple-",
                    "mented plan every year and publish its findings.",
                ],
            ]
        )
    )
    document = load(path, NO_LIMIT)
    assert document.text.split("\n\n") == [
        "Harbour Board Report",
        "The board approved the dredging plan on Tuesday after a long debate about the eelgrass"
        " beds near Gull Point.",
        "The work will start in September.",
        "Second page: the board will review the implemented plan every year and publish its"
        " findings.",
    ]
    assert document.meta.title == "Harbour Board Report"


def test_running_heads_and_feet_leave_a_sentence_over_a_page_break_whole(
    tmp_path: Path,
) -> None:
    """A footer set under each page's text was taken for a paragraph, and stood between the two
    halves of the sentence the page break cut ("… soon. The" / "Millbrook Ledger" / "town had")."""
    path = tmp_path / "levee.pdf"
    path.write_bytes(
        _pdf_of_lines(
            [
                [
                    "Levee report",
                    "",
                    "The council met on Monday to discuss the levee. Engineers said the wall",
                    "had been weakened by seepage and needed repairs soon. The",
                ],
                [
                    "town had put off the work in 2025 to pay for the water plant.",
                    "",
                    "A full report is due in six weeks.",
                ],
                ["Residents asked for an independent review of the failure."],
            ],
            header="Millbrook Ledger - page {page}",
            footer="Millbrook Ledger",
        )
    )
    assert load(path, NO_LIMIT).text.split("\n\n") == [
        "Levee report",
        "The council met on Monday to discuss the levee. Engineers said the wall had been"
        " weakened by seepage and needed repairs soon. The town had put off the work in 2025 to"
        " pay for the water plant.",
        "A full report is due in six weeks.",
        "Residents asked for an independent review of the failure.",
    ]


@pytest.mark.parametrize(
    ("header", "source", "date"),
    [
        (
            "Journal of Clinical Practice · 12 October 2026",
            "Journal of Clinical Practice",
            "2026-10-12",
        ),
        ("Harwick Gazette - 4 October 2026", "Harwick Gazette", "2026-10-04"),
        ("Harwick Gazette", "Harwick Gazette", ""),
    ],
)
def test_a_running_heads_outlet_and_date_are_the_articles_when_its_text_names_none(
    tmp_path: Path, header: str, source: str, date: str
) -> None:
    """A running head atop each page ("Harwick Gazette - 4 October 2026") was rightly dropped
    from the text as page furniture, and with it the only outlet and date the PDF names: the
    article had neither."""
    path = tmp_path / "trial.pdf"
    path.write_bytes(
        _pdf_of_lines(
            [
                [
                    "Westmere drug halves relapse rate",
                    "",
                    "A twice-daily tablet halved the rate of relapse in the trial.",
                ],
                ["The investigators will follow the patients for five more years."],
            ],
            header=header,
        )
    )
    document = load(path, NO_LIMIT)
    assert header not in document.text
    assert (document.meta.source, document.meta.date) == (source, date)


@pytest.mark.parametrize(
    ("page_ends", "dropped"),
    [
        (["The motion passed 5 to 2.", "The motion passed 6 to 1."], False),
        (["Call 555-0142 for details.", "Call 555-0143 for details."], False),
        (["The motion passed unanimously.", "The motion passed unanimously."], False),
        (["Draft 2", "Draft 2"], True),
        (["Ledger p. 1", "Ledger p. 2", "Ledger p. 3"], True),
        (["The motion passed 5 to 2."] * 3, True),
    ],
)
def test_a_line_ending_pages_is_furniture_only_when_it_reads_as_none(
    tmp_path: Path, page_ends: list[str], dropped: bool
) -> None:
    """Any first or last line of two pages alike once its digits were made '#' was dropped as
    a running foot: "The motion passed 5 to 2." and "… 6 to 1." ending two pages of minutes
    were lost. A line unstructured does not call a header or footer is page furniture when the
    same on two pages or alike on three, and a sentence only when the same on three."""
    texts = [
        "The council voted on the levee repairs.",
        "The council voted on the new budget.",
        "The council voted on the bus routes.",
    ][: len(page_ends)]
    path = tmp_path / "minutes.pdf"
    path.write_bytes(
        _pdf_of_lines([[text, "", end] for text, end in zip(texts, page_ends, strict=True)])
    )
    pages = [[text] if dropped else [text, end] for text, end in zip(texts, page_ends, strict=True)]
    assert load(path, NO_LIMIT).text.split("\n\n") == [line for page in pages for line in page]


_RELEASE_TEXT = [
    "The board approved the dredging plan on Tuesday after a long debate about the eelgrass beds"
    " near Gull Point. The work will start in September and cost 12 million euros.",
    "The channel will be closed to ferries for two weeks.",
]


@pytest.mark.parametrize(
    ("kicker", "title", "under_title", "author", "source", "date"),
    [
        (
            "EUROPEAN COMMISSION - PRESS RELEASE",
            "State aid: Commission approves EUR 900 million German measure for a semiconductor"
            " plant in Dresden",
            ["European Commission | Directorate-General for Competition | 2026-11-10"],
            "",
            "European Commission",
            "2026-11-10",
        ),
        (
            "PRESS RELEASE",
            "Harbour Authority approves the dredging of the eastern channel and a new ferry berth"
            " at Gull Point for the 2027 season",
            ["Harbour Authority - 14 May 2026"],
            "",
            "Harbour Authority",
            "2026-05-14",
        ),
        (
            "",
            "Why the Fenwick Street levee failed, and what the town must repair before next spring",
            ["By Lena Okafor, Senior Analyst", "Castlebrook Policy Institute | March 3, 2026"],
            "Lena Okafor",
            "Castlebrook Policy Institute",
            "2026-03-03",
        ),
        (
            "",
            "Independent appraisal of tovarsiran for the secondary prevention of cardiovascular"
            " events in adults",
            [
                "Dr Hannah Brooks and Dr Samuel Adeyemi, Centre for Evidence Appraisal",
                "Published 20 March 2026",
            ],
            "Dr Hannah Brooks and Dr Samuel Adeyemi",
            "Centre for Evidence Appraisal",
            "2026-03-20",
        ),
    ],
)
def test_a_pdf_title_wrapped_over_lines_is_whole_and_apart_from_the_lines_under_it(
    tmp_path: Path,
    kicker: str,
    title: str,
    under_title: list[str],
    author: str,
    source: str,
    date: str,
) -> None:
    """pdfminer groups a title's last line with the office or byline line set close under it:
    "… plant in Dresden European Commission | Directorate-General for Competition | 2026-11-10"
    was one paragraph, quoted as a sentence, and gave no source; the release's label over the
    title ("PRESS RELEASE") was taken for its title."""
    path = tmp_path / "release.pdf"
    path.write_bytes(pdf_with_a_title_block(title, under_title, _RELEASE_TEXT, kicker))
    document = load(path, NO_LIMIT)
    opening = [kicker] * bool(kicker) + [title, *under_title, _RELEASE_TEXT[0]]
    assert document.text.split("\n\n")[: len(opening)] == opening
    meta = document.meta
    assert (meta.title, meta.author, meta.source, meta.date) == (title, author, source, date)


@pytest.mark.parametrize(
    ("info", "author", "source"),
    [
        # the organisation as its own author is its source, named once
        ({"author": "Harbour Authority"}, "", "Harbour Authority"),
        (
            {"author": "Marcus Feld", "subject": "The Millbrook Ledger"},
            "Marcus Feld",
            "The Millbrook Ledger",
        ),
        # the software that wrote the file is no source, nor is a person or a description
        (
            {"author": "Marcus Feld", "creator": "Microsoft Word", "producer": "PyFPDF"},
            "Marcus Feld",
            "",
        ),
        ({"author": "Microsoft Office User", "subject": "Quarterly dredging report"}, "", ""),
        # a description holding an organisation's word names none
        ({"author": "Marcus Feld", "subject": "Minutes of the Council Meeting"}, "Marcus Feld", ""),
        ({"subject": "Quarterly Update for the Board"}, "", ""),
    ],
)
def test_a_pdfs_subject_or_author_naming_an_organisation_is_its_source(
    tmp_path: Path, info: dict[str, str], author: str, source: str
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_with_a_title_block("Dredging report", [], _RELEASE_TEXT, **info))
    meta = load(path, NO_LIMIT).meta
    assert (meta.author, meta.source) == (author, source)


def test_a_pdfs_own_office_line_names_its_source_before_its_document_information(
    tmp_path: Path,
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(
        pdf_with_a_title_block(
            "Dredging report",
            ["Harbour Authority | Port Planning Office | 2026-05-14"],
            _RELEASE_TEXT,
            subject="Gull Point Ferry Company",
        )
    )
    assert load(path, NO_LIMIT).meta.source == "Harbour Authority"


_TRIAL_TABLE = [
    ("Outcome", "Drug (n=6,993)", "Placebo (n=6,987)", "Hazard ratio"),
    ("Primary endpoint", "9.8%", "11.0%", "0.86 (0.78-0.95)"),
    ("Stroke", "2.0%", "", "0.91 (0.74-1.12)"),
    ("Death from any cause", "6.1%", "6.3%", "0.97 (0.85-1.10)"),
    ("Heart attack", "3.9%", "4.8%", "0.81 (0.70-0.94)"),
]


@pytest.mark.parametrize("paragraphs_before", [1, 13])  # 13: the table goes on over a page
def test_a_pdf_tables_rows_are_lines_of_cells_and_its_header_row_is_read_once(
    tmp_path: Path, paragraphs_before: int
) -> None:
    """Each cell of a PDF's table was a paragraph ("Stroke" / "2.0%" / "2.2%" / …), the header
    row again where the table went on over a page: a row is a line of cells apart by " | ", as a
    DOCX's or a page's table is read, an empty cell empty."""
    before = [
        f"The council met for the {number}th time to discuss the levee, and it voted. " * 4
        for number in range(paragraphs_before)
    ]
    after = "The table shows the results of the trial."
    path = tmp_path / "trial.pdf"
    path.write_bytes(pdf_with_a_table(before, _TRIAL_TABLE, [after]))
    paragraphs = load(path, NO_LIMIT).text.split("\n\n")
    assert paragraphs[paragraphs_before:] == [
        "Outcome | Drug (n=6,993) | Placebo (n=6,987) | Hazard ratio",
        "Primary endpoint | 9.8% | 11.0% | 0.86 (0.78-0.95)",
        "Stroke | 2.0% | | 0.91 (0.74-1.12)",
        "Death from any cause | 6.1% | 6.3% | 0.97 (0.85-1.10)",
        "Heart attack | 3.9% | 4.8% | 0.81 (0.70-0.94)",
        after,
    ]


def test_a_pdf_table_whose_cell_is_set_over_lines_is_no_table_of_single_lines(
    tmp_path: Path,
) -> None:
    """A row with a cell wrapped over two lines has no line of all its cells: read as rows of
    single lines it would lose the wrapped cell's end, or give it as an empty cell."""
    rows = [
        *_TRIAL_TABLE[:2],
        ("Stroke, or a transient ischaemic attack seen by a neurologist", "2.0%", "2.2%", "0.91"),
        ("Heart attack", "3.9%", "4.8%", "0.81 (0.70-0.94)"),
    ]
    path = tmp_path / "trial.pdf"
    path.write_bytes(pdf_with_a_table(["The council met on Monday."], rows, []))
    paragraphs = load(path, NO_LIMIT).text.split("\n\n")
    assert not any(paragraph.startswith("Stroke |") for paragraph in paragraphs)
    assert not any("| |" in paragraph or paragraph.endswith("|") for paragraph in paragraphs)


def test_a_pdfs_byline_and_date_lines_set_close_stay_apart(tmp_path: Path) -> None:
    """Lines set close under one another are joined as one paragraph's lines: "Dr Ana Ruiz,
    Castellan Engineering Published 20 March 2026" read as no date line."""
    path = tmp_path / "briefing.pdf"
    path.write_bytes(
        _pdf_of_lines(
            [
                [
                    "Levee repair briefing",
                    "",
                    "Dr Ana Ruiz, Castellan Engineering",
                    "Published 20 March 2026",
                    "",
                    "The council met on Monday to discuss the levee.",
                ]
            ]
        )
    )
    document = load(path, NO_LIMIT)
    assert document.text.split("\n\n") == [
        "Levee repair briefing",
        "Dr Ana Ruiz, Castellan Engineering",
        "Published 20 March 2026",
        "The council met on Monday to discuss the levee.",
    ]
    assert document.meta.date == "2026-03-20"


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("truncated", "could not parse this DOCX file: it is damaged or incomplete"),
        ("no Word document", "could not parse this DOCX file: it is damaged or incomplete"),
        ("an old .doc", "this is an old Word .doc (Word 97-2003), not a .docx: save it as .docx"),
        ("random bytes", "this is no Word document: a .docx is a zip archive, and these bytes"),
    ],
)
def test_a_docx_that_is_no_word_document_says_so(tmp_path: Path, damage: str, reason: str) -> None:
    """Every case read "not a valid .docx file (damaged, or an old .doc)": random bytes too."""
    import docx

    path = tmp_path / "report.docx"
    document = docx.Document()
    document.add_paragraph("The depot moves in 2028.")
    document.save(str(path))
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:2000])
    elif damage == "an old .doc":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))  # an OLE2 header
    elif damage == "random bytes":
        path.write_bytes(random.Random(7).randbytes(3000))
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "no word/ folder here")
    assert fails(path).startswith(reason)


def test_plain_text_named_docx_is_said_to_be_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("Meeting notes\n\nThe depot moves in 2028, the board said.\n")
    assert fails(path) == "this is plain text, not a Word document: rename it .txt to read it"


def test_text_the_txt_reader_takes_named_docx_is_said_to_be_text(tmp_path: Path) -> None:
    """French sets numbers and colons apart with no-break spaces; it was said to be a damaged
    .docx though renamed .txt it reads."""
    text = "Budget\u00a0: 12\u00a0400\u00a0000\u00a0€ en 2026\u00a0; 9\u00a0800\u00a0000\u00a0€ en 2025.\n"
    (tmp_path / "budget.docx").write_text(text, encoding="utf-8")
    assert fails(tmp_path / "budget.docx") == (
        "this is plain text, not a Word document: rename it .txt to read it"
    )
    (tmp_path / "budget.txt").write_text(text, encoding="utf-8")
    assert (
        load(tmp_path / "budget.txt", NO_LIMIT).text
        == "Budget : 12 400 000 € en 2026 ; 9 800 000 € en 2025."
    )


def test_rtf_named_docx_is_said_to_be_rtf(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(b"{\\rtf1\\ansi Hello}")
    assert fails(path) == (
        "this is an RTF document, not a Word document: kb reads .txt .md .html .pdf .docx;"
        " save it as .docx or .txt to read it"
    )


def test_a_damaged_pdf_prints_nothing_beside_its_reason(tmp_path: Path) -> None:
    """pypdf logged "invalid pdf header" and "EOF marker not found" to stderr."""
    path = tmp_path / "garbage.pdf"
    path.write_bytes(random.Random(5).randbytes(3000))
    script = (
        "from pathlib import Path\n"
        "from ingest.loaders import LoadError, load\n"
        "try:\n"
        f"    load(Path({str(path)!r}), 10**8)\n"
        "except LoadError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert "the PDF is damaged or not a PDF" in done.stdout
    assert done.stderr == ""


def test_docx_and_markdown_tables_keep_one_row_a_line(tmp_path: Path) -> None:
    import docx

    rows = [("Site", "Nitrate mg/L"), ("Upper Kessel", "4.1"), ("Mill Weir", "5.6")]
    document = docx.Document()
    document.add_paragraph("Nitrate rose in the Kessel River.")
    table = document.add_table(rows=3, cols=2)
    for cells, row in zip(table.rows, rows, strict=True):
        for cell, value in zip(cells.cells, row, strict=True):
            cell.text = value
    document.save(str(tmp_path / "report.docx"))
    (tmp_path / "report.md").write_text(
        "Nitrate rose in the Kessel River.\n\n| Site | Nitrate mg/L |\n|---|---|\n"
        "| Upper Kessel | 4.1 |\n| Mill Weir | 5.6 |\n"
    )
    for name in ("report.docx", "report.md"):
        assert load(tmp_path / name, NO_LIMIT).text.split("\n\n") == [
            "Nitrate rose in the Kessel River.",
            "Site | Nitrate mg/L",
            "Upper Kessel | 4.1",
            "Mill Weir | 5.6",
        ], name


def test_a_docx_cell_merged_down_two_rows_is_in_both(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Ferry fares rise in May.")
    table = document.add_table(rows=3, cols=2)
    for row, texts in enumerate([("Year", "Fare"), ("2026", "$3"), ("", "$4")]):
        for column, text in enumerate(texts):
            table.cell(row, column).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    document.save(str(tmp_path / "fares.docx"))
    assert load(tmp_path / "fares.docx", NO_LIMIT).text.split("\n\n")[1:] == [
        "Year | Fare",
        "2026 | $3",
        "2026 | $4",
    ]


def test_articles_in_other_languages_give_their_byline_source_and_date(tmp_path: Path) -> None:
    (tmp_path / "crue.md").write_text(
        "# Crue de la Lauter\n\n"
        "*Par Élodie Marchand-Roux, correspondante — Le Courrier d'Alsace, 14 mars 2026*\n\n"
        "La Lauter est sortie de son lit dans la nuit du 12 au 13 mars 2026.\n"
    )
    (tmp_path / "kouzui.txt").write_text(
        "欧州で記録的な洪水\n\n2026年3月14日　共同通信 パリ支局\n\n【パリ共同】ラウター川が氾濫した。\n"
    )
    crue = load(tmp_path / "crue.md", NO_LIMIT).meta
    assert (crue.author, crue.source, crue.date) == (
        "Élodie Marchand-Roux",
        "Le Courrier d'Alsace",
        "2026-03-14",
    )
    assert load(tmp_path / "kouzui.txt", NO_LIMIT).meta.date == "2026-03-14"


# --- binary content and pages without an article -------------------------------------------------
def test_an_executable_renamed_txt_is_binary_and_text_in_any_encoding_or_script_is_not(
    tmp_path: Path,
) -> None:
    """An executable's zeros had it read as UTF-16: 96 chunks titled "䕿䙌Ă>懐@䝰@8"."""
    executable = Path(sys.executable).resolve().read_bytes()[:150_000]
    samples = {
        "utf16.txt": ("Über die Brücke\n\n" + "Die Fähre fährt wieder. " * 40).encode("utf-16"),
        "latin1.txt": ("Café society\n\n" + "Une façade naïve à Zürich. " * 40).encode("latin-1"),
        "cp1252.txt": ("Smart “quotes”\n\n" + "It’s back — again. " * 40).encode("cp1252"),
        "ja.txt": ("港のフェリー\n\n" + "港のフェリーは金曜日に運航を再開した。" * 2000).encode(),
        "zh.html": (
            "<html><body><h1>渡轮恢复运营</h1><p>" + "港口渡轮周五恢复运营，维修历时三周。" * 2000
        ).encode(),
    }
    for name in ("ls.txt", "ls.md", "ls.html"):
        (tmp_path / name).write_bytes(executable)
        assert fails(tmp_path / name).startswith("binary content, not text"), name
    for name, raw in samples.items():
        (tmp_path / name).write_bytes(raw)
        assert len(load(tmp_path / name, NO_LIMIT).text) > 300, name


@pytest.mark.parametrize("name", ["garbage.html", "garbage.htm", "garbage.txt", "garbage.md"])
def test_random_bytes_are_binary_content_in_every_text_format(
    tmp_path: Path, name: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """Random bytes named .html were read as Latin-1 and became an article, with readability's
    traceback on stderr."""
    path = tmp_path / name
    path.write_bytes(random.Random(16).randbytes(5000))
    assert fails(path).startswith("binary content, not text")
    assert capfd.readouterr().err == ""


NO_ARTICLE = "no article text found (only a title/navigation)"


def test_a_page_of_navigation_cookies_and_footer_has_no_article(tmp_path: Path) -> None:
    """Stored as an article whose text was its title, "Nav only"."""
    path = tmp_path / "only-nav.html"
    path.write_text(
        "<html><head><title>Nav only</title></head><body><header><nav class='menu'>"
        "<a href='/'>Home</a> | <a href='/news'>News</a> | <a href='/sport'>Sport</a></nav>"
        "</header><div id='cookie-banner' class='cookie-consent'>We use cookies to improve your"
        " experience. <button>Accept all cookies</button></div><aside class='related'><h3>Most"
        " read</h3><ul><li><a href='/a'>Celebrity chef opens new restaurant</a></li></ul></aside>"
        "<div class='newsletter'>Sign up for our newsletter to get the headlines.</div>"
        "<footer>© 2026 Example Media Group. All rights reserved. <a href='/privacy'>Privacy</a>"
        " <a href='/terms'>Terms</a> <a href='/contact'>Contact us</a></footer></body></html>"
    )
    assert fails(path) == NO_ARTICLE


def test_a_title_alone_is_no_article_and_a_short_real_one_is(tmp_path: Path) -> None:
    """Beyond the title, 3 words or a sentence: a brief, a one-line note and a one-sentence file
    are articles; a title, or a title and "Read more", are not."""
    import docx

    (tmp_path / "title-only.md").write_text("# Just a title and nothing else\n")
    document = docx.Document()
    document.add_heading("Just a title and nothing else", level=1)
    document.save(str(tmp_path / "title-only.docx"))
    (tmp_path / "read-more.txt").write_text("Ferry fares\n\nRead more\n")
    for name in ("title-only.md", "title-only.docx", "read-more.txt"):
        assert fails(tmp_path / name) == NO_ARTICLE, name
    articles = {
        "brief.md": "# Bridge closed\n\nThe Alder bridge closed on Friday. It reopens in May.\n",
        "note.txt": "Short note\n\nThe bridge closed.\n",
        "two-words.md": "# Bridge\n\nIt reopened.\n",
        "no-full-stop.txt": "Ferry fares\n\nFares rise in May\n",
        "sentence.txt": "Some perfectly readable text.",
        "ja.txt": "橋の閉鎖\n\n橋が閉鎖された。\n",
    }
    for name, text in articles.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert load(tmp_path / name, NO_LIMIT).text.endswith(text.strip()[-8:]), name


def _first_page_fonts(pdf: PdfWriter) -> DictionaryObject:
    """The font resources of `pdf_with_a_drawing`'s page, to swap its font for a broken one."""
    resources = pdf.pages[0]["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    fonts = resources["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    return fonts


def test_a_menu_of_short_lines_is_no_article_and_a_short_list_or_brief_is(
    tmp_path: Path,
) -> None:
    """Four one- and two-word paragraphs passed as "two paragraphs or more" and were stored as
    an article; short items count when the file marks them as a list's or a table's."""
    menus = {
        "menu.txt": "Home\n\nNews\n\nSport\n\nContact us\n",
        "menu.md": "# Menu\n\nHome\n\nNews\n\nSport\n\nContact us\n",
        "menu.html": "<html><body><p>Home</p><p>News</p><p>Sport</p><p>Contact us</p></body></html>",
        # the front matter's list is no list of the body's
        "front-matter.md": "---\ntitle: Site menu\ntags:\n  - site\n  - nav\n---\n\n"
        "Home\n\nNews\n\nSport\n\nContact us\n",
    }
    for name, text in menus.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert fails(tmp_path / name) == NO_ARTICLE, name
    articles = {  # file: (text, its last paragraph once read)
        "brief.txt": (
            "Bridge closes\n\nThe Elm bridge closed on Monday. It reopens in May.\n",
            "The Elm bridge closed on Monday. It reopens in May.",
        ),
        "no-stops.txt": (
            "Bridge closes\n\nThe Elm bridge closed\n\nIt reopens in May\n",
            "It reopens in May",
        ),
        "list.txt": ("Packing list\n\n• Passport\n• Tickets\n", "Tickets"),
        "numbered.txt": ("Packing list\n\n1. Passport\n2. Tickets\n", "2. Tickets"),
        "styled-list.md": ("# Packing list\n\n- **Passport**\n- *Tickets*\n", "Tickets"),
        "table.md": (
            "# Fares\n\nZone | Fare\n---|---\nInner | 2.10\nOuter | 3.40\n",
            "Outer | 3.40",
        ),
        "list.html": (
            "<html><body><h1>Packing list</h1><ul><li>Passport</li><li>Tickets</li></ul>"
            "</body></html>",
            "Tickets",
        ),
    }
    for name, (text, last) in articles.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert load(tmp_path / name, NO_LIMIT).text.split("\n\n")[-1] == last, name


def test_a_text_or_markdown_file_is_decoded_once(tmp_path: Path) -> None:
    """Its bytes were decoded for the binary check, then again for the parser."""
    from types import FrameType

    from ingest.clean import decode

    (tmp_path / "note.txt").write_text("Ferry fares\n\nFares rise in May.\n")
    (tmp_path / "note.md").write_text("# Ferry fares\n\nFares rise in May.\n")
    decodings: list[str] = []

    def count_decodings(frame: FrameType, event: str, _: object) -> None:
        if event == "call" and frame.f_code is decode.__code__:
            decodings.append(event)

    profiler = sys.getprofile()
    for name in ("note.txt", "note.md"):
        decodings.clear()
        sys.setprofile(count_decodings)
        try:
            load(tmp_path / name, NO_LIMIT)
        finally:
            sys.setprofile(profiler)
        assert len(decodings) == 1, name


def test_a_pdf_whose_fonts_map_to_no_letters_says_so(tmp_path: Path) -> None:
    """A real PDF with a broken font map was told it "does not look like a .pdf file"."""
    import pypdf
    from pypdf.generic import NameObject, StreamObject

    pdf = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_with_a_drawing("The levee held", strokes=0)))
    to_private_use = StreamObject()
    to_private_use.set_data(
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"1 beginbfrange <20> <7E> <E020> endbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    font = _first_page_fonts(pdf)["/F1"].get_object()
    assert isinstance(font, DictionaryObject)
    font[NameObject("/ToUnicode")] = pdf._add_object(to_private_use)
    path = tmp_path / "broken-fonts.pdf"
    pdf.write(path)
    assert fails(path) == "the text extracted from this PDF is unreadable (broken fonts?)"


def test_a_pdf_whose_fonts_map_no_characters_says_so(tmp_path: Path) -> None:
    """A font with no ToUnicode map and an Identity encoding: pdfminer reads every glyph as
    "(cid:N)", plain ASCII that passed the binary check and was stored as the article."""
    import pypdf
    from pypdf.generic import (
        ArrayObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    def entries(**values: object) -> DictionaryObject:
        return DictionaryObject({NameObject(f"/{key}"): value for key, value in values.items()})

    sample = pdf_with_a_drawing("The levee held through the night, engineers said.", strokes=0)
    pdf = pypdf.PdfWriter(clone_from=io.BytesIO(sample))
    identity = entries(
        Registry=TextStringObject("Adobe"),
        Ordering=TextStringObject("Identity"),
        Supplement=NumberObject(0),
    )
    descriptor = entries(
        Type=NameObject("/FontDescriptor"),
        FontName=NameObject("/Subset+Ledger"),
        FontBBox=ArrayObject(FloatObject(edge) for edge in (0, -200, 1000, 900)),
        Flags=NumberObject(4),
    )
    descendant = entries(
        Type=NameObject("/Font"),
        Subtype=NameObject("/CIDFontType2"),
        BaseFont=NameObject("/Subset+Ledger"),
        CIDSystemInfo=identity,
        FontDescriptor=pdf._add_object(descriptor),
    )
    font = entries(
        Type=NameObject("/Font"),
        Subtype=NameObject("/Type0"),
        BaseFont=NameObject("/Subset+Ledger"),
        Encoding=NameObject("/Identity-H"),
        DescendantFonts=ArrayObject([pdf._add_object(descendant)]),
    )
    _first_page_fonts(pdf)[NameObject("/F1")] = pdf._add_object(font)
    path = tmp_path / "no-character-map.pdf"
    pdf.write(path)
    assert fails(path) == (
        "the PDF's text could not be decoded: its fonts map no characters"
        " (it reads as glyph codes, “(cid:12)”)"
    )


def test_short_articles_ending_past_their_full_stop_or_in_a_list_are_articles(
    tmp_path: Path,
) -> None:
    """A sentence may end in a closing quote, an emoji, "…" or an Arabic "؟"; a list of items is a
    body; a one-line text file is its own text, not only a title. All were "no article text"."""
    articles = {
        "quote.txt": "Mayor resigns\n\n“I quit.”\n",
        "emoji.txt": "Match report\n\nWe won! 🏆\n",
        "ellipsis.md": "# Ferry\n\nIt reopened…\n",
        "arabic.txt": "الجسر\n\nهل أغلق؟\n",
        "list.md": "# Packing list\n\n- Passport\n- Tickets\n",
        "one-line.txt": "Meeting moved to Thursday at the town hall\n",
    }
    for name, text in articles.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert load(tmp_path / name, NO_LIMIT).text.endswith(text.strip()[-6:]), name
    (tmp_path / "page-count.txt").write_text("Ferry fares\n\nPage 1 of 3\n")
    assert fails(tmp_path / "page-count.txt") == NO_ARTICLE


def test_a_plain_texts_outlet_byline_and_date_lines_give_its_metadata(tmp_path: Path) -> None:
    """Three lines with no blank line between them were read as one body paragraph, with no
    source, author or date; a blog's "*Posted … by …*" line gave none either."""
    story = "Three workers were killed when a fire swept through the recycling plant."
    (tmp_path / "courier.txt").write_text(
        "Three dead in plant fire\n\nCastlebrook Courier\nBy Dana Whitfield, Staff Reporter\n"
        f"October 14, 2025\n\n{story}\n"
    )
    courier = load(tmp_path / "courier.txt", NO_LIMIT)
    meta = courier.meta
    assert (meta.source, meta.author, meta.date) == (
        "Castlebrook Courier",
        "Dana Whitfield",
        "2025-10-14",
    )
    assert courier.text.split("\n\n")[1:] == [
        "Castlebrook Courier",
        "By Dana Whitfield, Staff Reporter",
        "October 14, 2025",
        story,
    ]
    (tmp_path / "blog.md").write_text(
        f"# What the city should demand\n\n*Posted October 22, 2025 by Jonah Preston*\n\n{story}\n"
    )
    blog = load(tmp_path / "blog.md", NO_LIMIT).meta
    assert (blog.author, blog.date) == ("Jonah Preston", "2025-10-22")


def test_a_press_releases_closing_furniture_is_no_text_a_markdown_heading_is(
    tmp_path: Path,
) -> None:
    """A release's "###", disclaimer and media contact were summarised as a section; "###" that
    marks a Markdown heading keeps its section."""
    (tmp_path / "release.txt").write_text(
        "Veltra Announces Support Measures\n\nFOR IMMEDIATE RELEASE\n\n"
        "CASTLEBROOK, Oct. 17, 2025 — Veltra Recycling today announced support for families.\n\n"
        "Forward-looking statements\n\n"
        "This press release contains forward-looking statements. Actual results may differ.\n\n"
        "Media contact:\nCorinne Wallace\nDirector of Communications, Veltra Recycling\n"
        "(555) 014-7730\n\n###\n"
    )
    release = load(tmp_path / "release.txt", NO_LIMIT).text
    assert release.endswith("today announced support for families.")
    (tmp_path / "notes.md").write_text(
        "# Notes\n\nThe plant reopened on Monday.\n\n### What comes next\n\n"
        "Inspections resume in May.\n\n###\n"
    )
    notes = load(tmp_path / "notes.md", NO_LIMIT).text
    assert notes.split("\n\n")[-2:] == ["What comes next", "Inspections resume in May."]


def test_an_organisation_that_is_its_own_author_is_named_once_as_the_source(
    tmp_path: Path,
) -> None:
    """A union's press release named the union as the page's author and its site: the Library
    showed "Harwick Transport Workers Union · Harwick Transport Workers Union"."""
    union = "Harwick Transport Workers Union"
    (tmp_path / "release.html").write_text(
        f'<html><head><title>Bus drivers walk out</title><meta name="author" content="{union}">'
        f'<meta property="og:site_name" content="{union}"></head><body><article>'
        "<h1>Bus drivers walk out</h1><p>From 04:00 this morning, 1,250 bus drivers employed by"
        " Harwick City Transit are on strike after pay talks collapsed.</p></article></body></html>"
    )
    meta = load(tmp_path / "release.html", NO_LIMIT).meta
    assert (meta.author, meta.source) == ("", union)


@pytest.mark.parametrize(
    ("name", "text", "title", "source"),
    [
        (
            "p-values.md",
            "The Null Hypothesis — a blog about statistics in medicine\n\n"
            "# Why a p-value of 0.04 proves less than you think\n\n"
            "A p-value says how surprising the data would be if the drug did nothing at all.\n",
            "Why a p-value of 0.04 proves less than you think",
            "The Null Hypothesis",
        ),
        (
            "p-values.txt",
            "The Null Hypothesis: a weekly newsletter on statistics in medicine\n\n"
            "Why a p-value of 0.04 proves less than you think\n\n"
            "A p-value says how surprising the data would be if the drug did nothing at all.\n",
            "Why a p-value of 0.04 proves less than you think",
            "The Null Hypothesis",
        ),
        (
            "ward.txt",
            "New children's ward opens at St Aldric's\n\n"
            "The new ward has 24 beds and a playroom, and opens to patients on Monday.\n\n"
            "Issued by the communications team, St Aldric's Hospital\n",
            "New children's ward opens at St Aldric's",
            "St Aldric's Hospital",
        ),
        (
            "permit.txt",
            "Quarry permit renewed\n\n"
            "Issued by the council in 2019, the permit allowed blasting on weekdays only.\n",
            "Quarry permit renewed",
            "",
        ),
        (
            "ward-team.txt",
            "New children's ward opens\n\n"
            "The new ward has 24 beds and a playroom, and opens to patients on Monday.\n\n"
            "Issued by the communications team\n",
            "New children's ward opens",
            "",
        ),
    ],
)
def test_an_outlet_or_issuer_the_text_describes_or_signs_with_is_its_source(
    tmp_path: Path, name: str, text: str, title: str, source: str
) -> None:
    """A blog's masthead ("The Null Hypothesis — a blog about statistics in medicine") was taken
    for its title and named no source, nor did a statement signed "Issued by the communications
    team, St Aldric's Hospital"."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    meta = load(tmp_path / name, NO_LIMIT).meta
    assert (meta.title, meta.source) == (title, source)


_SECTIONS = [
    (
        "Results",
        "The trial enrolled 412 patients at 31 hospitals in Westmere and Harwick, and followed"
        " them for two years, longer than any earlier trial of the drug.",
    ),
    (
        "What comes next",
        "The company will ask the regulator for approval next year. A second trial, at St"
        " Aldric's Hospital, will start in the spring.",
    ),
]


@pytest.mark.parametrize(("style", "size"), [("B", 11), ("", 13), ("", 11)])
def test_a_pdf_subheading_set_close_over_its_paragraph_is_a_paragraph_of_its_own(
    tmp_path: Path, style: str, size: float
) -> None:
    """pdfminer groups a heading with the paragraph set close under it: "Results The trial
    enrolled 412 patients …" read as one sentence, bold, larger or in the text's own type."""
    path = tmp_path / "trial.pdf"
    path.write_bytes(pdf_with_headings("Westmere drug halves relapse rate", _SECTIONS, style, size))
    assert load(path, NO_LIMIT).text.split("\n\n") == [
        "Westmere drug halves relapse rate",
        *(part for section in _SECTIONS for part in section),
    ]


def test_a_pdf_page_is_laid_out_again_at_most_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Laying a page out again costs as much as unstructured's reading of it: the first page
    was laid out twice, for its opening's title block and again for its paragraphs' headings."""
    import pdfminer.high_level

    laid_out: list[int] = []
    extract_pages = pdfminer.high_level.extract_pages

    def counted(*args: Any, **kwargs: Any) -> Any:
        laid_out.extend(kwargs["page_numbers"])
        return extract_pages(*args, **kwargs)

    monkeypatch.setattr(pdfminer.high_level, "extract_pages", counted)
    title = "Harbour board approves the dredging plan for the channel to Gull Point"
    path = tmp_path / "release.pdf"
    path.write_bytes(pdf_with_a_title_block(title, ["By Ann Lee | 2026-11-10"], _RELEASE_TEXT))
    assert load(path, NO_LIMIT).text.split("\n\n")[:2] == [title, "By Ann Lee | 2026-11-10"]
    assert laid_out == [0]
