"""Read a file into paragraphs and metadata with unstructured; every failure is a LoadError in words."""

from __future__ import annotations

import hashlib
import importlib.abc
import io
import itertools
import logging
import math
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from ingest import html, metadata
from ingest.clean import (
    clean_paragraph,
    clean_text,
    decode,
    looks_like_text,
    rejoin_hyphenated_words,
    without_controls,
    words,
)
from kb.settings import apply_offline_env
from kb.text import CAPITALS, is_header_line

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
# Page furniture, not article text.
_MARGINS = {"Header", "Footer"}
_SKIPPED_CATEGORIES = _MARGINS | {"PageNumber", "PageBreak", "Image"}
# unstructured tags every element with a detected language (langdetect: two thirds of the time it
# takes on a Markdown file); we do not use the tags, so skip it.
_NO_LANGUAGE_DETECTION = [""]
# A page of navigation, a cookie banner and a footer leaves its title, or a word or two a line
# ("Read more", "Home", "Contact us"), once cleaned; the shortest real article is a sentence ("It
# reopened."), a line of 3 words, or a list of items marked as one.
_MIN_BODY_WORDS = 3
# A list item's line in a text or Markdown file: "- Passport", "* Tickets", "• Maps", "2. Visa".
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+(?P<item>\S.*)$", re.MULTILINE)
# A running head or foot is a name, a title or a count ("Millbrook Ledger", "Draft 2", "Page 2
# of 9"); a line of 4 words or more ending a sentence ("The motion passed unanimously.") is text.
_MIN_SENTENCE_WORDS = 4
_SENTENCE_ENDS = (".", "!", "?", "…", "。", "！", "？", "؟", "۔", "։", "።")
# What may follow a sentence's end: closing brackets and quotes, emoji with their modifiers and
# joiners ("We won! 🏆", "“I quit.”").
_AFTER_SENTENCE_END = frozenset({"Pe", "Pf", "So", "Sk", "Mn", "Cf", "Zs"})
# pdfminer's stand-in for a glyph its font maps to no character (no ToUnicode map, a custom
# encoding): a PDF set in such a font gives nothing else.
_GLYPH_CODE = re.compile(r"\(cid:\d+\)")
# Formats whose bytes are decoded by us, and checked for binary content before parsing; the text
# of the others is checked as their parser gives it.
_DECODED_FORMATS = ("txt", "md", "html")


class _NoTorchForThinc(importlib.abc.MetaPathFinder):
    """unstructured reads text with spaCy, whose thinc imports torch whenever it can: 6 s and
    180 MB for a model that reading never uses (the text read is the same without it, measured
    on data/ and the evaluation documents). Only thinc is refused torch: the embedder may still
    build its ONNX copy with torch in the same process."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname == "torch" and _importer().partition(".")[0] == "thinc":
            raise ModuleNotFoundError("reading needs no torch", name=fullname)
        return None


def _importer() -> str:
    """The module whose import statement is running, past importlib's own frames."""
    frame = sys._getframe(2)
    while frame.f_back and frame.f_globals.get("__name__", "").startswith(
        ("importlib", "_frozen_importlib")
    ):
        frame = frame.f_back
    return str(frame.f_globals.get("__name__", ""))


_OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old Word .doc, Excel .xls…
# pypdf logs what it finds wrong in a damaged PDF ("invalid pdf header") to stderr, beside the
# file's own LoadError that already says it.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

if not any(type(finder).__name__ == "_NoTorchForThinc" for finder in sys.meta_path):
    sys.meta_path.insert(0, _NoTorchForThinc())


class LoadError(Exception):
    """A file that cannot become an article; the message is shown to the user as the reason."""


@dataclass
class LoadedDocument:
    text: str
    format: str
    meta: metadata.Metadata
    bytes_hash: str  # of the bytes read: an unchanged file is recognised again without parsing


def format_of(name: str) -> str:
    """The format for a file name, or a LoadError naming what is supported."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        supported = " ".join(sorted(set(FORMATS)))
        raise LoadError(f"unsupported file type '{suffix or name}' (supported: {supported})")
    return FORMATS[suffix]


def check_size(size: int, max_bytes: int) -> None:
    """The size in the limit's unit (KB_MAX_FILE_MB), with the decimals that tell them apart:
    "2.5 MB, over the 1 MB limit", "0.500001 MB, over the 0.5 MB limit"."""
    if size > max_bytes:
        limit = max_bytes / 1e6
        decimals = next(d for d in range(1, 7) if round(size / 1e6, d) > limit)
        raise LoadError(
            f"the file is {size / 1e6:.{decimals}f} MB, over the {limit:g} MB limit"
            " (KB_MAX_FILE_MB)"
        )


def load(path: Path, max_bytes: int) -> LoadedDocument:
    fmt = format_of(path.name)
    try:
        check_size(path.stat().st_size, max_bytes)  # before reading: a huge file is never read
        raw = path.read_bytes()
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror or error}") from error
    return parse(raw, fmt, fallback_title=path.stem.replace("-", " ").replace("_", " "))


def magic_format(raw: bytes) -> str | None:
    """The format the bytes announce themselves as, if they do (PDF, DOCX, HTML)."""
    head = raw[:1024].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith(b"pk\x03\x04") and (b"word/" in raw[:65536] or b"word/" in raw[-65536:]):
        return "docx"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def parse(raw: bytes, fmt: str, fallback_title: str) -> LoadedDocument:
    """Bytes of a file in `fmt` to clean text and metadata. A PDF, DOCX or HTML page behind
    another extension (a page saved as .txt) is read as what it is; binary content in a text
    format is refused."""
    if not raw:
        raise LoadError("the file is empty")
    fmt = magic_format(raw) or fmt
    decoded = ""
    furniture: list[str] = []
    if fmt in _DECODED_FORMATS:  # before parsing: parsers choke on binary, or take it as text
        decoded = html.decode_html(raw) if fmt == "html" else decode(raw)
        _refuse_binary(decoded, fmt)
    if fmt == "md":
        paragraphs, found, titled = _read_markdown(decoded)
    elif fmt == "txt":
        paragraphs, found, titled = _partition_text(decoded), metadata.Metadata(), False
    else:
        (paragraphs, furniture), titled = _partition(raw, fmt), False
        found = _file_metadata(raw, fmt)
    if fmt not in _DECODED_FORMATS:
        _refuse_binary("\n".join(paragraphs), fmt)
    text = clean_text(paragraphs)
    if not text.strip():
        raise LoadError(_no_text(decoded, fmt))
    from_text = metadata.from_leading_lines(text.split("\n\n"), titled)
    for name in ("author", "source"):
        # the file's author is the account that saved it; its source, a guess from its subject
        # or author: the byline or office line the text opens with names them better
        if fmt in ("docx", "pdf") and getattr(from_text, name):
            setattr(found, name, getattr(from_text, name))
    found.fill_from(from_text)
    found.fill_from(metadata.from_closing_lines(text.split("\n\n")))
    found.fill_from(metadata.from_running_heads(furniture))
    found.title = found.title or fallback_title
    for name in ("title", "author", "source"):  # the file's own properties are not clean text
        setattr(found, name, clean_paragraph(getattr(found, name)))
    if found.author.casefold() == found.source.casefold():
        # an organisation that is its own author (a press release's page names its union as
        # author and site): its source, not named twice ("HTWU · HTWU")
        found.author = ""
    title_guessed = fmt == "txt" or (fmt == "md" and not titled)
    body = _body(text, found.title, title_guessed)
    if not (_reads_as_text(body) or _is_marked_list(body, decoded, fmt)):
        raise LoadError("no article text found (only a title/navigation)")
    found.language = found.language or metadata.detect_language(text)
    return LoadedDocument(text=text, format=fmt, meta=found, bytes_hash=bytes_hash(raw))


def _body(text: str, title: str, title_guessed: bool) -> list[str]:
    """The paragraphs with letters beyond the title. A paragraph that is the title counts when
    it ends a sentence (a title ends in no full stop), or when it is all a plain text holds: its
    title was only guessed from it."""
    heading = " ".join(title.split()).casefold()
    paragraphs = [paragraph for paragraph in text.split("\n\n") if _letter_words(paragraph)]
    return [
        paragraph
        for paragraph in paragraphs
        if " ".join(paragraph.split()).casefold() != heading
        or _is_sentence(paragraph)
        or (title_guessed and len(paragraphs) == 1)
    ]


def _reads_as_text(body: list[str]) -> bool:
    """A paragraph of 3 words with letters (a Chinese or Japanese character is one; "Page 1 of
    3" is two) or a sentence ("It reopened."): short lines alone ("Home", "News", "Contact us")
    are a menu."""
    return any(
        len(_letter_words(paragraph)) >= _MIN_BODY_WORDS or _is_sentence(paragraph)
        for paragraph in body
    )


def _is_marked_list(body: list[str], decoded: str, fmt: str) -> bool:
    """Two paragraphs or more of the body that the file marks as a list's items ("- Passport" in
    a text or Markdown file, <li> in a page) or a table's rows (read with their cells apart by
    " | ", `html.table_rows`): a list of short items is an article, a menu is not, nor is a menu
    below a Markdown file's front matter listing its tags ("  - nav")."""
    if len(body) < 2:
        return False
    if sum(" | " in paragraph for paragraph in body) >= 2:
        return True
    if fmt in ("txt", "md"):  # an item is read with its marker ("1. Passport") or without it
        marked = {
            _word_key(item)
            for line in _LIST_ITEM.finditer(decoded)
            for item in (line[0], line["item"])
        }
        return sum(_word_key(paragraph) in marked for paragraph in body) >= 2
    if fmt == "html":
        import lxml.html

        items = {
            clean_paragraph(item.text_content())
            for item in lxml.html.fromstring(without_controls(decoded)).iter("li")
        }
        return len(items.intersection(body)) >= 2
    return False


def _word_key(text: str) -> tuple[str, ...]:
    """The words of a text, whatever its Markdown emphasis ("**Passport**" read as "Passport")."""
    return tuple(word.casefold() for word in words(text))


def _letter_words(paragraph: str) -> list[str]:
    return [word for word in words(paragraph) if any(char.isalpha() for char in word)]


def _is_sentence(paragraph: str) -> bool:
    ending = paragraph.rstrip()
    while ending and (
        ending[-1] in "\"'" or unicodedata.category(ending[-1]) in _AFTER_SENTENCE_END
    ):
        ending = ending[:-1]
    return ending.endswith(_SENTENCE_ENDS)


def _no_text(decoded: str, fmt: str) -> str:
    """Why a file gave no text: a text file of blanks alone (`decoded`, its text) is told apart
    from one whose markup or layout held nothing readable, so its owner knows not to look for a
    reading problem."""
    if fmt in _DECODED_FORMATS and not decoded.strip():
        return f"the {fmt.upper()} file holds only whitespace (spaces, tabs or blank lines)"
    return f"no text could be extracted from this {fmt.upper()} file"


# Bump when a change to reading or cleaning should reach the files ingested before it: a file's
# bytes are recognised as already read only under the same version.
READER_VERSION = b"2026-12-02.4"


def bytes_hash(raw: bytes) -> str:
    return hashlib.sha256(READER_VERSION + raw).hexdigest()


def _refuse_binary(decoded: str, fmt: str) -> None:
    """Every format's text passes the one test of `looks_like_text`: an executable renamed .txt
    (read as UTF-16) or random bytes named .html (read as Latin-1) became articles. A PDF or
    DOCX that opened is one; its text is garbled by fonts that map glyphs to no letters, or
    by fonts that map them to nothing, which pdfminer writes as glyph codes in ASCII."""
    if fmt not in _DECODED_FORMATS and _mostly_glyph_codes(decoded):
        raise LoadError(
            f"the {fmt.upper()}'s text could not be decoded: its fonts map no characters"
            " (it reads as glyph codes, “(cid:12)”)"
        )
    if looks_like_text(decoded):
        return
    if fmt in _DECODED_FORMATS:
        raise LoadError(f"binary content, not text (this does not look like a .{fmt} file)")
    raise LoadError(f"the text extracted from this {fmt.upper()} is unreadable (broken fonts?)")


def _mostly_glyph_codes(text: str) -> bool:
    """Whether over half the text is glyph codes: a body font that maps nothing. A few, from a
    symbol font's bullets beside mapped text, leave the article readable."""
    coded = sum(len(code) for code in _GLYPH_CODE.findall(text))
    return coded > len(text) / 2


def _partition(raw: bytes, fmt: str) -> tuple[list[str], list[str]]:
    """The paragraphs of a PDF, a DOCX or a web page, and the lines of its page furniture: a
    PDF's running heads and feet, which may name the outlet and date the text names nowhere."""
    if fmt == "pdf":
        _check_pdf_opens(raw)
        with _parsing(fmt):
            return _partition_pdf(raw)
    if fmt == "docx":
        _check_docx_opens(raw)
    with _parsing(fmt):
        return _PARTITIONERS[fmt](raw), []


def _read_markdown(text: str) -> tuple[list[str], metadata.Metadata, bool]:
    """A Markdown file's paragraphs, its front matter, and whether its text opens with a heading
    (its title, kept whole): the front matter is parsed once for the three."""
    with _parsing("md"):
        front_matter, body = metadata.split_front_matter(text)
        paragraphs = metadata.header_lines_apart(_partition_md(body), body)
    return paragraphs, front_matter, metadata.opens_with_heading(body)


@contextmanager
def _parsing(fmt: str) -> Iterator[None]:
    """Offline, and any failure of a parser as a LoadError: parsers raise anything on broken
    input, and the batch must go on."""
    apply_offline_env()
    _use_offline_sentence_splitter()
    try:
        yield
    except LoadError:
        raise
    except UnicodeError as error:
        raise LoadError(f"cannot decode the text ({error.__class__.__name__})") from error
    except Exception as error:
        detail = str(error).strip().splitlines()[0][:160] if str(error).strip() else ""
        raise LoadError(
            f"could not parse this {fmt.upper()} file ({error.__class__.__name__}"
            + (f": {detail})" if detail else ")")
        ) from error


def _file_metadata(raw: bytes, fmt: str) -> metadata.Metadata:
    try:
        if fmt == "html":
            return html.metadata(raw)
        if fmt == "docx":
            return metadata.from_docx(io.BytesIO(raw))
        if fmt == "pdf":
            return metadata.from_pdf(io.BytesIO(raw))
    except Exception:  # metadata is best effort; the text already loaded
        pass
    return metadata.Metadata()


def _check_pdf_opens(raw: bytes) -> None:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("the PDF is password-protected")
    except LoadError:
        raise
    except Exception as error:
        raise LoadError(f"the PDF is damaged or not a PDF ({error.__class__.__name__})") from error


def _check_docx_opens(raw: bytes) -> None:
    """python-docx says "not a ZIP archive: <_io.BytesIO object at 0x7f…>", or raises a bare
    KeyError for a ZIP without a Word document in it."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        # RTF reads as text, but renamed .txt its markup would become the article
        if raw.lstrip().startswith(b"{\\rtf"):
            raise LoadError(
                "this is an RTF document, not a Word document: kb reads .txt .md .html .pdf"
                " .docx; save it as .docx or .txt to read it"
            ) from error
        if raw.count(0) <= len(raw) // 4 and looks_like_text(decode(raw)):
            raise LoadError(
                "this is plain text, not a Word document: rename it .txt to read it"
            ) from error
        if raw.startswith(_OLE2_HEADER):
            raise LoadError(
                "this is an old Word .doc (Word 97-2003), not a .docx: save it as .docx to read it"
            ) from error
        if raw.startswith(b"PK"):
            raise LoadError(
                "could not parse this DOCX file: it is damaged or incomplete"
            ) from error
        raise LoadError(
            "this is no Word document: a .docx is a zip archive, and these bytes are none"
        ) from error


def _paragraphs(elements: Any) -> list[str]:
    kept = [el for el in elements if el.category not in _SKIPPED_CATEGORIES and el.text]
    return [paragraph for element in kept for paragraph in _table_rows(element) or [element.text]]


def _table_rows(element: Any) -> list[str]:
    """A table's rows, one paragraph each with its cells apart by " | ": unstructured's text of
    a table runs every cell of it into one line."""
    markup = element.metadata.text_as_html if element.category == "Table" else None
    if not markup:
        return []
    import lxml.html

    tables = lxml.html.fromstring(markup).iter("table")
    return [line for table in tables for _, line in html.table_rows(table) if line]


def _partition_text(text: str) -> list[str]:
    """A text file's paragraphs, from its text as decoded once for the binary check."""
    with _parsing("txt"):
        from unstructured.partition.text import partition_text

        paragraphs = _paragraphs(partition_text(text=text, languages=_NO_LANGUAGE_DETECTION))
    return metadata.header_lines_apart(paragraphs, text)


def _partition_md(body: str) -> list[str]:
    """The paragraphs of a Markdown text, its front matter taken off."""
    from unstructured.partition.md import partition_md

    return _paragraphs(partition_md(text=body, languages=_NO_LANGUAGE_DETECTION))


def _partition_pdf(raw: bytes) -> tuple[list[str], list[str]]:
    """A PDF's paragraphs and its running heads and feet (`_partition`)."""
    # "fast" reads the PDF's own text layer; hi_res needs a layout model from a hub.
    from unstructured.partition.pdf import partition_pdf

    elements = partition_pdf(file=io.BytesIO(raw), strategy="fast", languages=["eng"])
    layout = _Layout(raw)
    blocks = _headings_apart(_opening_lines_apart(_blocks(elements), layout), layout)
    read, furniture = _pdf_paragraphs(blocks)
    paragraphs = rejoin_hyphenated_words(read)
    spaced = [p for p in paragraphs if letter_spaced(p)]
    # Nothing read: unstructured skips the text layer of a PDF with a page of over 10,000
    # drawing operations (it takes it for a CAD drawing), an illustrated cover is enough.
    if not paragraphs or sum(map(len, spaced)) > sum(map(len, paragraphs)) / 2:
        return _pdf_lines(raw), []  # or the text runs sideways
    return [p for p in paragraphs if not letter_spaced(p)], furniture


class _Box(NamedTuple):
    """Where a text is on its page (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


class _Block(NamedTuple):
    """A PDF's text as laid out: an element unstructured read, or lines of one set apart."""

    text: str
    category: str
    page: int
    box: _Box | None


def _blocks(elements: Any) -> list[_Block]:
    """The elements with text, with their page and place; page furniture is told apart later."""
    return [
        _Block(el.text, el.category, int(el.metadata.page_number or 0), _box(el))
        for el in elements
        if el.text and el.category not in _SKIPPED_CATEGORIES - _MARGINS
    ]


def _pdf_paragraphs(blocks: list[_Block]) -> tuple[list[str], list[str]]:
    """A PDF's paragraphs: lines set close under one another joined, running headers and footers
    dropped, a table's rows read one a line (`_tables_read`), and a sentence that a page break
    cut joined again. unstructured calls any text at a page's top or bottom a header or footer (a
    page that begins mid-paragraph lost it), and misses some (a footer set under a short page's
    text); only text repeated at the edges of other pages is page furniture (`_running`). A
    byline or date line of the document's opening, and a table's row, is a paragraph of its own,
    however close under the line above or over the line below it is set. The page furniture's
    lines are given apart, each once."""
    running = _running([b for b in blocks if b.category in _MARGINS] + _page_edges(blocks))
    header_lines = {id(b) for b in _opening(blocks) if is_header_line(b.text)}
    kept = [block for block in _tables_read(blocks, running) if id(block) not in running]
    apart = header_lines | {id(b) for b in kept if b.category in (_TABLE_ROW, _HEADING)}
    paragraphs: list[str] = []
    previous: _Block | None = None
    for block in kept:
        if (
            previous is not None
            and not {id(previous), id(block)} & apart
            and (
                _next_line(previous, block) or _continues_over_page(previous, paragraphs[-1], block)
            )
        ):
            paragraphs[-1] += " " + block.text
        else:
            paragraphs.append(block.text)
        previous = block
    furniture = [block.text for block in blocks if id(block) in running]
    return paragraphs, list(dict.fromkeys(furniture))


# A table's row read from its cells: a block of its own, its cells apart by " | ".
_TABLE_ROW = "TableRow"
# Words set apart on one line are one line's when no wider apart than this many times the line's
# height: a 15 pt justified title's words stood 11.5 pt apart; a column's gutter after a short
# line (a heading beside the other column's) is wider.
_WORD_SPACE_HEIGHTS = 2
# A table's rows stand no further apart than this many times a row's height (fpdf2's and Word's
# default tables: one height); lines of captions under two figures side by side stand a figure's
# height apart.
_ROW_GAP_HEIGHTS = 2


class _Table(NamedTuple):
    """A table being read: where its columns are (its first row's cells), and that row."""

    columns: list[_Box]
    header: str
    page: int


def _tables_read(blocks: list[_Block], furniture: set[int]) -> list[_Block]:
    """`blocks` with each row of a table one block, "Stroke | 2.0% | 2.2% | 0.91 (0.74-1.12)",
    as DOCX and HTML tables are read (`_table_rows`): pdfminer sets each cell of a table apart,
    and a cell a paragraph said no figure's row or column. A table's rows are read where its
    first cell was (pdfminer may give a table's cells column by column); words set wide apart on
    one line (a justified title's) are read as one line where its first word was. A table's
    cell is never page furniture (the ids in `furniture`): unstructured calls the cells at a
    page's top headers, and "0.97 (0.85-1.10)" is alike "0.91 (0.74-1.12)" ending the page
    before; a line of furniture stays words apart, each dropped."""
    order = {id(block): number for number, block in enumerate(blocks)}
    read_at: dict[int, list[_Block]] = {}  # a block's id: what is read in its place
    text = [block for block in blocks if id(block) not in furniture]
    for members, read in _lines_read(_baseline_lines(blocks), text):
        in_a_table = any(block.category == _TABLE_ROW for block in read)
        if not in_a_table and any(id(member) in furniture for member in members):
            continue
        read_at.update((id(member), []) for member in members)
        read_at[id(min(members, key=lambda member: order[id(member)]))] = read
    return [piece for block in blocks for piece in read_at.get(id(block), [block])]


def _lines_read(
    lines: list[list[_Block]], text: list[_Block]
) -> Iterator[tuple[list[_Block], list[_Block]]]:
    """Each table among `lines`, the cells it is of and its rows read, and each other line whose
    words are set close enough, its words and the line read. A table is a line of two cells or
    more over the next row of the `text` (`_next_row`) whose cells each fall under one of its
    cells (`_cells_under`): words set wide apart on two lines are no table. Its first row,
    repeated where the table goes on over a page, is read once; a line that is no next row, or
    whose cells fall under no column, ends it."""
    number = 0
    while number < len(lines):
        following = lines[number + 1] if number + 1 < len(lines) else []
        adjacent = bool(following) and _next_row(lines[number], following, text)
        table = _table_opened(lines[number], following) if adjacent else None
        if table is None:
            line = lines[number]
            if all(_word_apart(*pair) for pair in itertools.pairwise(line)):
                words = " ".join(block.text for block in line)
                yield line, [line[0]._replace(text=words, box=_around(line))]
            number += 1
            continue
        cells: list[_Block] = []
        rows: list[_Block] = []
        while (
            number < len(lines)
            and (not cells or _next_row(lines[number - 1], lines[number], text))
            and (texts := _cells_under(lines[number], table.columns))
        ):
            line = lines[number]
            row = " | ".join(texts)
            if row != table.header or line[0].page == table.page:  # the header again: once
                rows.append(_Block(row, _TABLE_ROW, line[0].page, _around(line)))
            cells += line
            number += 1
        if not _cell_over_lines(cells, text):
            yield cells, rows


def _cell_over_lines(cells: list[_Block], text: list[_Block]) -> bool:
    """Whether a block of the `text` other than the table's `cells` stands beside a row of them
    or close under it (`_LINE_GAP_HEIGHTS`), within the table: a cell set over lines, which
    the rows of single lines leave out or cut ("Online | Coupang, Gmarket," over "Auction")."""
    span = _around(cells)
    ours = {id(cell) for cell in cells}
    return any(
        block.box
        and cell.box
        and id(block) not in ours
        and block.page == cell.page
        and block.box.bottom > cell.box.top
        and block.box.top < cell.box.bottom + _LINE_GAP_HEIGHTS * cell.box.height
        and _overlap(block.box, span)
        for cell in cells
        for block in text
    )


def _baseline_lines(blocks: list[_Block]) -> list[list[_Block]]:
    """The lines of two single-line blocks or more set on one baseline, side by side (a table's
    row of cells), each from left to right, in the order of pages and heights."""
    single = [block for block in blocks if block.box and _line_count(block.text, block.box) == 1]
    single.sort(key=lambda block: (block.page, block.box.bottom if block.box else 0.0))
    lines: list[list[_Block]] = []
    for block in single:
        if lines and _on_one_baseline(lines[-1][-1], block):
            lines[-1].append(block)
        else:
            lines.append([block])
    for line in lines:
        line.sort(key=lambda block: block.box.left if block.box else 0.0)
    return [
        line
        for line in lines
        if len(line) >= 2 and all(_gap(*pair) >= 0 for pair in itertools.pairwise(line))
    ]


def _on_one_baseline(one: _Block, other: _Block) -> bool:
    """Two blocks of a page whose boxes end at one height, within a fifth of their height (a bold
    cell beside a plain one)."""
    if one.box is None or other.box is None or one.page != other.page:
        return False
    return abs(one.box.bottom - other.box.bottom) < min(one.box.height, other.box.height) / 5


def _gap(left: _Block, right: _Block) -> float:
    """How far right of `left`'s end `right` starts; below 0 where they overlap."""
    return right.box.left - left.box.right if left.box and right.box else -1.0


def _table_opened(line: list[_Block], following: list[_Block]) -> _Table | None:
    """The table whose first row is `line`, when the line `following` it is a row under it."""
    columns = [cell.box for cell in line if cell.box]
    if _cells_under(following, columns) is None:
        return None
    return _Table(columns, " | ".join(cell.text for cell in line), line[0].page)


def _next_row(above: list[_Block], below: list[_Block], text: list[_Block]) -> bool:
    """`below` is the line after `above` in a table: close under it (`_ROW_GAP_HEIGHTS`) with no
    block of the `text` set between them (a cell's text wrapped over lines, another table's
    rows beside them), or the first on the next page when `above` is the last on its page."""
    over, under = _around(above), _around(below)
    page = above[0].page
    if below[0].page == page + 1:
        return not any(
            block.box
            and (
                (block.page == page and block.box.top > over.bottom)
                or (block.page == page + 1 and block.box.bottom < under.top)
            )
            for block in text
        )
    span = _around(above + below)
    between = [
        block
        for block in text
        if block.page == page
        and block.box
        and over.bottom < (block.box.top + block.box.bottom) / 2 < under.top
        and _overlap(block.box, span)
    ]
    gap = under.top - over.bottom
    return below[0].page == page and not between and gap <= _ROW_GAP_HEIGHTS * over.height


def _cells_under(line: list[_Block], columns: list[_Box]) -> list[str] | None:
    """The texts of a row of cells, one a column ("" where a cell is empty), when each of its
    two cells or more overlaps one column alone, each its own, and they fill most columns; None
    for a line of no such row (two tables side by side, whose rows fill half the columns)."""
    if len(line) < 2 or 2 * len(line) <= len(columns):
        return None
    texts = [""] * len(columns)
    for cell in line:
        under = [n for n, column in enumerate(columns) if cell.box and _overlap(cell.box, column)]
        if len(under) != 1 or texts[under[0]]:
            return None
        texts[under[0]] = cell.text
    return texts


def _overlap(one: _Box, other: _Box) -> bool:
    """Two boxes overlap from left to right."""
    return one.left < other.right and other.left < one.right


def _word_apart(left: _Block, right: _Block) -> bool:
    """Two blocks of one line set no further apart than a line's words (`_WORD_SPACE_HEIGHTS`)."""
    return left.box is not None and _gap(left, right) <= _WORD_SPACE_HEIGHTS * left.box.height


def _opening(blocks: list[_Block]) -> list[_Block]:
    """The blocks of the first page above its first paragraph of text (one that ends a
    sentence): where a document sets its title, masthead, byline and date lines."""
    return list(
        itertools.takewhile(lambda block: block.page == 1 and not _is_sentence(block.text), blocks)
    )


def _opening_lines_apart(blocks: list[_Block], layout: _Layout) -> list[_Block]:
    """`blocks` with the lines of each block of the opening set apart where pdfminer grouped a
    title with the lines under it: a title's last line ran into its office line ("… plant in
    Dresden European Commission | Directorate-General for Competition | 2026-11-10"), read as
    neither a title nor a date line. Lines part where their font size changes (a title is set
    larger than its byline) and around a byline or date line; the title's own lines are joined
    again as lines of one paragraph (`_next_line`). unstructured keeps no line of a block: the
    first page is laid out again by pdfminer, only when its opening has a block of lines (text
    set sideways, one letter a line, is no such block: `letter_spaced` drops it whole)."""
    grouped = [
        block
        for block in _opening(blocks)
        if block.box and _line_count(block.text, block.box) > 1 and not letter_spaced(block.text)
    ]
    if not grouped:
        return blocks
    boxes = layout.pages({1}).get(1, [])
    apart = {id(block): _lines_apart(block, boxes) for block in grouped}
    return [piece for block in blocks for piece in apart.get(id(block), [block])]


class _Line(NamedTuple):
    text: str
    size: float  # the font size most of its characters are set in
    box: _Box
    bold: bool = False  # most of its characters are set in a bold face


# A bold face's name: "Helvetica-Bold", "Arial-BoldMT", "SourceSans-Semibold", "Lato-Black".
_BOLD_FONT = re.compile(r"Bold|Black|Heavy|Semi-?bold|Demi", re.I)


class _Layout:
    """The lines of a PDF's pages (`_page_lines`), each page laid out once, when first asked
    for: the opening's blocks and the headings' both need the first page's, and laying a page
    out again costs as much as unstructured's whole reading of it."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._pages: dict[int, list[list[_Line]]] = {}

    def pages(self, numbers: set[int]) -> dict[int, list[list[_Line]]]:
        """The lines of the pages `numbers`, none for a page pdfminer cannot lay out."""
        missing = numbers - self._pages.keys()
        if missing:
            # a page pdfminer cannot lay out is not tried again: it has no lines
            self._pages |= {number: [] for number in missing} | _page_lines(self._raw, missing)
        return {number: self._pages[number] for number in numbers}


def _page_lines(raw: bytes, pages: set[int]) -> dict[int, list[list[_Line]]]:
    """The lines of each block of text of the PDF's `pages` (numbered from 1), as pdfminer lays
    them out for unstructured (with its default parameters); none when pdfminer cannot read the
    pages alone (unstructured repairs such a page first): the blocks then stay as they are."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextBoxHorizontal

    numbers = sorted(pages)
    read: dict[int, list[list[_Line]]] = {}
    try:
        laid_out = extract_pages(
            # the boxes' order (boxes_flow) is of no use here: their place finds them
            io.BytesIO(raw),
            page_numbers=[n - 1 for n in numbers],
            laparams=LAParams(boxes_flow=None),
        )
        for number, page in zip(numbers, laid_out, strict=False):
            boxes = read.setdefault(number, [])
            for box in page:
                if not isinstance(box, LTTextBoxHorizontal):
                    continue
                lines = []
                for line in box:
                    chars = [char for char in line if isinstance(char, LTChar)]
                    # half points: the finest step of the sizes set in word processors' menus
                    sizes = Counter(round(char.size * 2) / 2 for char in chars)
                    bold = sum(bool(_BOLD_FONT.search(char.fontname)) for char in chars)
                    x0, y0, x1, y1 = line.bbox
                    place = _Box(x0, page.height - y1, x1, page.height - y0)
                    size = sizes.most_common(1)[0][0] if sizes else 0.0
                    text = " ".join(line.get_text().split())
                    lines.append(_Line(text, size, place, 2 * bold > len(chars)))
                boxes.append(lines)
    except Exception:
        return {}
    return read


def _block_lines(block: _Block, boxes: list[list[_Line]]) -> list[_Line]:
    """The lines of `block` as pdfminer lays them out, or none when pdfminer's block in its
    place reads otherwise (unstructured drops the doubled letters of fake bold text)."""
    placed = (group for group in boxes if block.box and _same_place(_around(group), block.box))
    lines = next(placed, [])
    return lines if " ".join(block.text.split()) == " ".join(line.text for line in lines) else []


def _lines_apart(block: _Block, boxes: list[list[_Line]]) -> list[_Block]:
    """`block` in runs of its lines (`_opening_lines_apart`), or whole when its lines are not
    known (`_block_lines`)."""
    lines = _block_lines(block, boxes)
    if not lines:
        return [block]
    runs = [[lines[0]]]
    for above, below in itertools.pairwise(lines):
        header = is_header_line(above.text) or is_header_line(below.text)
        if header or above.size != below.size:
            runs.append([below])
        else:
            runs[-1].append(below)
    return [_of_lines(run, block.category, block.page) for run in runs]


# A heading set in the paragraph's own type is a line of a few words (a longer short line is a
# paragraph's last); one set larger or bold, a line or two of a title's length.
_PLAIN_HEADING_WORDS = 8
_SET_HEADING_WORDS = 20
# A heading in the text's own type ends short of the line under it: under this share of its
# width (a paragraph's first line fills the column).
_SHORT_LINE_SHARE = 0.7
# A block whose opening words may hold a heading's end: a word, then a capitalised one
# ("Results The trial …"); no other block's lines are laid out again.
_MAY_OPEN_WITH_HEADING = re.compile(
    rf"^(?:\S+\s+){{0,{_SET_HEADING_WORDS}}}?\S*[\w)?!]\s+[{CAPITALS}]"
)
_HEADING = "Heading"


def _headings_apart(blocks: list[_Block], layout: _Layout) -> list[_Block]:
    """`blocks` with a heading that pdfminer grouped with the paragraph set close under it a
    block of its own: "Results The trial enrolled 412 patients …" was one paragraph, its
    heading read as the sentence's first word. Only the pages of blocks of several lines that
    may open with a heading are laid out again."""
    candidates = [
        block
        for block in blocks
        if block.box
        and _line_count(block.text, block.box) > 1
        and _MAY_OPEN_WITH_HEADING.match(block.text)
    ]
    if not candidates:
        return blocks
    pages = layout.pages({block.page for block in candidates})
    apart = {id(block): _heading_apart(block, pages.get(block.page, [])) for block in candidates}
    return [piece for block in blocks for piece in apart.get(id(block), [block])]


def _heading_apart(block: _Block, boxes: list[list[_Line]]) -> list[_Block]:
    """`block` as its heading and the paragraph under it (`_heading_lines`), or whole."""
    lines = _block_lines(block, boxes)
    heading = _heading_lines(lines)
    if not heading:
        return [block]
    return [
        _of_lines(lines[:heading], _HEADING, block.page),
        _of_lines(lines[heading:], block.category, block.page),
    ]


def _of_lines(lines: list[_Line], category: str, page: int) -> _Block:
    """A block of laid-out lines, read as one paragraph."""
    return _Block(" ".join(line.text for line in lines), category, page, _around(lines))


def _heading_lines(lines: list[_Line]) -> int:
    """How many of a block's first lines are a heading over the paragraph under them: lines set
    larger than its last line, or bold over its plain type, or a short line in its type with no
    final punctuation over a line that opens a sentence; 0 for none."""
    if len(lines) < 2:
        return 0
    body = lines[-1]
    set_apart = [line.size > body.size or (line.bold and not body.bold) for line in lines]
    if set_apart[0]:
        heading = next(n for n, apart in enumerate(set_apart) if not apart)
        words = sum(len(line.text.split()) for line in lines[:heading])
        return heading if words <= _SET_HEADING_WORDS else 0
    head, under = lines[0], lines[1]
    plain = (
        len(head.text.split()) <= _PLAIN_HEADING_WORDS
        and head.text[:1].isupper()
        and under.text[:1].isupper()
        and bool(re.search(r"[\w)]$", head.text))  # no final punctuation
        and head.box.right - head.box.left < _SHORT_LINE_SHARE * (under.box.right - under.box.left)
    )
    return 1 if plain else 0


def _around(placed: Sequence[_Line | _Block]) -> _Box:
    """The box around lines or blocks, each with its box."""
    boxes = [item.box for item in placed if item.box]
    return _Box(
        min(box.left for box in boxes),
        min(box.top for box in boxes),
        max(box.right for box in boxes),
        max(box.bottom for box in boxes),
    )


def _same_place(one: _Box, other: _Box) -> bool:
    """Two boxes of one page at the same place, to a point: no two blocks are that close."""
    return all(abs(a - b) < 1 for a, b in zip(one, other, strict=True))


def _page_edges(blocks: list[_Block]) -> list[_Block]:
    """The first and last block of each page (one block twice on a page of one)."""
    pages: dict[int, list[_Block]] = {}
    for block in blocks:
        pages.setdefault(block.page, []).append(block)
    return [edge for page in pages.values() for edge in (page[0], page[-1])]


def _running(edges: list[_Block]) -> set[int]:
    """The ids of the page edges that are page furniture. One unstructured calls a header or
    footer is when alike on two pages ("Page 2 of 9", "Page 3 of 9"). Any other first or last
    line of a page may be the text's own ("The motion passed 5 to 2." / "… 6 to 1."): it is
    when the same on two pages or alike on three, and a sentence only when the same on three."""
    same: dict[str, set[int]] = {}
    alike: dict[str, set[int]] = {}
    for block in edges:
        same.setdefault(_line_key(block.text), set()).add(block.page)
        alike.setdefault(_furniture_key(block.text), set()).add(block.page)

    def is_furniture(block: _Block) -> bool:
        on_same = len(same[_line_key(block.text)])
        if block.category in _MARGINS:
            return len(alike[_furniture_key(block.text)]) >= 2
        if _is_sentence(block.text) and len(words(block.text)) >= _MIN_SENTENCE_WORDS:
            return on_same >= 3
        return on_same >= 2 or len(alike[_furniture_key(block.text)]) >= 3

    return {id(block) for block in edges if is_furniture(block)}


def _continues_over_page(previous: _Block, paragraph: str, block: _Block) -> bool:
    """`block` opens a page in the middle of `paragraph`'s sentence, which ended the page
    before (`previous`): it ends in no full stop and the text goes on in lower case ("… the
    town" / "had put off the work")."""
    return block.page > previous.page and not _is_sentence(paragraph) and block.text[:1].islower()


def _line_key(text: str) -> str:
    return " ".join(text.lower().split())


def _furniture_key(text: str) -> str:
    """ "Page 2 of 9" and "Page 3 of 9" are the same footer."""
    return re.sub(r"\d+", "#", _line_key(text))


# Lines of one paragraph stand less than this many times a line's height apart (`_next_line`).
_LINE_GAP_HEIGHTS = 0.8


def _next_line(above: _Block, below: _Block) -> bool:
    """`below` continues `above`'s paragraph: two single lines on one page (pdfminer sets a
    block of lines apart from the next where a paragraph ends, or under a heading), of about one
    height, the gap between them under a line's height (pdfminer parts lines further apart than
    half a line's height, where paragraphs are a blank line apart), starting at the same margin
    or left of an indent."""
    top_box, bottom_box = above.box, below.box
    if top_box is None or bottom_box is None or above.page != below.page:
        return False
    if _line_count(above.text, top_box) > 1 or _line_count(below.text, bottom_box) > 1:
        return False
    height = min(top_box.height, bottom_box.height)
    gap = bottom_box.top - top_box.bottom
    return (
        max(top_box.height, bottom_box.height) < 1.5 * height
        and 0 <= gap < _LINE_GAP_HEIGHTS * height
        and -4 * height <= bottom_box.left - top_box.left <= height / 2
    )


def _box(element: Any) -> _Box | None:
    coordinates = element.metadata.coordinates
    if coordinates is None or not coordinates.points:
        return None
    xs = [x for x, _ in coordinates.points]
    ys = [y for _, y in coordinates.points]
    return _Box(min(xs), min(ys), max(xs), max(ys))


def _line_count(text: str, box: _Box) -> int:
    """How many lines an element's text is set in; unstructured keeps no line breaks. A line in
    a font of size s is about s tall and 0.5 s a character wide, so n lines of a column w wide
    hold n * w / (0.5 s) characters in about 1.2 n s of height: len * height / w is 2.4 n².
    Measured: one line gives 0.84-1.18 (times 2.4), two 3.3-5.8, three 10-11."""
    width = max(box.right - box.left, 1.0)
    return max(1, round(math.sqrt(len(text) * box.height / (2.4 * width))))


def letter_spaced(paragraph: str) -> bool:
    """Text set sideways (a rotated page, an arXiv margin stamp) comes out of the layout
    analysis one character per word: "R o t a e d p a g e". It is not readable text."""
    words = paragraph.split()
    return len(words) >= 3 and sum(len(word) == 1 for word in words) > 0.6 * len(words)


def _pdf_lines(raw: bytes) -> list[str]:
    """pypdf reads each page in its own orientation, where pdfminer's layout sees columns of
    single letters; it loses paragraph breaks, so each line becomes a paragraph."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(raw))
    return [
        line.strip()
        for page in reader.pages
        for line in (page.extract_text() or "").splitlines()
        if line.strip()
    ]


def _partition_docx(raw: bytes) -> list[str]:
    from unstructured.partition.docx import partition_docx

    return _paragraphs(partition_docx(file=io.BytesIO(raw), languages=_NO_LANGUAGE_DETECTION))


_PARTITIONERS = {
    "html": html.article_paragraphs,
    "docx": _partition_docx,
}


def _blank_english() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _use_offline_sentence_splitter() -> None:
    """unstructured 0.27 downloads a spaCy model at first use; give it a blank English pipeline.

    Its heuristics (sentence counts, narrative-text checks) run on that pipeline instead; the text
    extracted is the same, only some element categories may differ.
    """
    from unstructured.nlp import tokenize

    if tokenize._load_spacy_model is not _blank_english:
        tokenize._load_spacy_model = _blank_english
        tokenize._get_nlp.cache_clear()
