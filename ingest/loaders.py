"""Read a file into paragraphs and metadata with unstructured; every failure is a LoadError in words."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest import metadata
from ingest.clean import clean_text
from kb.settings import apply_offline_env

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
_SKIPPED_CATEGORIES = {"Header", "Footer", "PageNumber", "PageBreak", "Image"}


class LoadError(Exception):
    """A file that cannot become an article; the message is shown to the user as the reason."""


@dataclass
class LoadedDocument:
    text: str
    format: str
    meta: metadata.Metadata


def format_of(name: str) -> str:
    """The format for a file name, or a LoadError naming what is supported."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        supported = " ".join(sorted(set(FORMATS)))
        raise LoadError(f"unsupported file type '{suffix or name}' (supported: {supported})")
    return FORMATS[suffix]


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise LoadError(
            f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit (KB_MAX_FILE_MB)"
        )


def load(path: Path, max_bytes: int) -> LoadedDocument:
    fmt = format_of(path.name)
    try:
        check_size(path.stat().st_size, max_bytes)  # before reading: a huge file is never read
        raw = path.read_bytes()
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror or error}") from error
    return parse(raw, fmt, fallback_title=path.stem.replace("-", " ").replace("_", " "))


def parse(raw: bytes, fmt: str, fallback_title: str) -> LoadedDocument:
    """Bytes of a file in `fmt` to clean text and metadata."""
    if not raw:
        raise LoadError("the file is empty")
    text = clean_text(_partition(raw, fmt))
    if not text.strip():
        raise LoadError(f"no text could be extracted from this {fmt.upper()} file")
    found = _file_metadata(raw, fmt)
    found.fill_from(metadata.from_leading_lines(text.split("\n\n")))
    found.title = found.title or fallback_title
    return LoadedDocument(text=text, format=fmt, meta=found)


def _partition(raw: bytes, fmt: str) -> list[str]:
    apply_offline_env()
    _use_offline_sentence_splitter()
    if fmt == "pdf":
        _check_pdf_opens(raw)
    try:
        elements = _PARTITIONERS[fmt](raw)
    except LoadError:
        raise
    except UnicodeError as error:
        raise LoadError(f"cannot decode the text ({error.__class__.__name__})") from error
    except Exception as error:  # parsers raise anything on broken input; the batch must go on
        detail = str(error).strip().splitlines()[0][:160] if str(error).strip() else ""
        raise LoadError(
            f"could not parse this {fmt.upper()} file ({error.__class__.__name__}"
            + (f": {detail})" if detail else ")")
        ) from error
    return [el.text for el in elements if el.category not in _SKIPPED_CATEGORIES and el.text]


def _file_metadata(raw: bytes, fmt: str) -> metadata.Metadata:
    try:
        if fmt == "html":
            return metadata.from_html(_html_text(raw))
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


def decode(raw: bytes) -> str:
    """Bytes to text: a BOM wins, then UTF-8, UTF-16 without a BOM, then Windows-1252 (a superset
    of Latin-1 for printable text); libraries' guessing reads Western text as Central European."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if raw.count(0) > len(raw) // 4:  # every other byte NUL: UTF-16 without a BOM
        odd_nuls = raw[1::2].count(0) > raw[0::2].count(0)
        return raw.decode("utf-16-le" if odd_nuls else "utf-16-be", errors="replace")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _partition_text(raw: bytes) -> list[Any]:
    from unstructured.partition.text import partition_text

    return list(partition_text(text=decode(raw)))


def _partition_md(raw: bytes) -> list[Any]:
    from unstructured.partition.md import partition_md

    return list(partition_md(text=decode(raw)))


def _partition_html(raw: bytes) -> list[Any]:
    from unstructured.partition.html import partition_html

    return list(partition_html(text=main_content_html(raw)))


# Page furniture around an article: navigation, sidebars, share bars, cookie and subscribe boxes.
_FURNITURE_TAGS = ("script", "style", "noscript", "nav", "aside", "form", "iframe", "svg", "button")
_FURNITURE_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
_FURNITURE_WORDS = re.compile(
    r"\b(share|social|cookie|consent|newsletter|subscribe|related|comments?|advert|ads?|promo|"
    r"sidebar|breadcrumbs?|menu|masthead|site-header|site-footer|footer)\b",
    re.IGNORECASE,
)


def _html_text(raw: bytes) -> str:
    """HTML bytes to text, honouring a declared <meta charset>; no XML declaration (lxml refuses
    one in a str)."""
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.IGNORECASE)
    try:
        text = raw.decode(declared.group(1).decode()) if declared else decode(raw)
    except (LookupError, UnicodeDecodeError):
        text = decode(raw)
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def main_content_html(raw: bytes) -> str:
    """The page's <article> (or <main>, or <body>) without furniture, as HTML text.

    A first cut; main-content extraction measured on real pages is the ingestion issue's job.
    """
    import lxml.html

    text = _html_text(raw)
    if not text.strip():
        return text
    tree = lxml.html.document_fromstring(text)
    for element in tree.xpath("//comment()"):
        element.drop_tree()
    containers = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    root = max(containers, key=lambda e: len(e.text_content())) if containers else tree
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if (
            element.tag in _FURNITURE_TAGS
            or element.get("role") in _FURNITURE_ROLES
            or (element.tag in ("header", "footer") and root.tag == "body")
            or (element.tag != "p" and _FURNITURE_WORDS.search(marks))
        ):
            element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def _partition_pdf(raw: bytes) -> list[Any]:
    # "fast" reads the PDF's own text layer; hi_res needs a layout model from a hub.
    from unstructured.partition.pdf import partition_pdf

    return list(partition_pdf(file=io.BytesIO(raw), strategy="fast", languages=["eng"]))


def _partition_docx(raw: bytes) -> list[Any]:
    from unstructured.partition.docx import partition_docx

    return list(partition_docx(file=io.BytesIO(raw)))


_PARTITIONERS = {
    "txt": _partition_text,
    "md": _partition_md,
    "html": _partition_html,
    "pdf": _partition_pdf,
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
