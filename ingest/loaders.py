"""Read a file into paragraphs and metadata with unstructured; every failure is a LoadError in words."""

from __future__ import annotations

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


def load(path: Path, max_bytes: int) -> LoadedDocument:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        supported = " ".join(sorted(set(FORMATS)))
        raise LoadError(
            f"unsupported file type '{path.suffix or path.name}' (supported: {supported})"
        )
    try:
        size = path.stat().st_size
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror or error}") from error
    if size == 0:
        raise LoadError("the file is empty")
    if size > max_bytes:
        raise LoadError(
            f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (KB_MAX_FILE_MB)"
        )
    paragraphs = _partition(path, fmt)
    text = clean_text(paragraphs)
    if not text.strip():
        raise LoadError(f"no text could be extracted from this {fmt.upper()} file")
    found = _file_metadata(path, fmt)
    found.fill_from(metadata.from_leading_lines(text.split("\n\n")))
    found.title = found.title or path.stem.replace("-", " ").replace("_", " ")
    return LoadedDocument(text=text, format=fmt, meta=found)


def _partition(path: Path, fmt: str) -> list[str]:
    apply_offline_env()
    _use_offline_sentence_splitter()
    if fmt == "pdf":
        _check_pdf_opens(path)
    try:
        elements = _PARTITIONERS[fmt](path)
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


def _file_metadata(path: Path, fmt: str) -> metadata.Metadata:
    try:
        if fmt == "html":
            return metadata.from_html(path.read_text(encoding="utf-8", errors="replace"))
        if fmt == "docx":
            return metadata.from_docx(str(path))
        if fmt == "pdf":
            return metadata.from_pdf(str(path))
    except Exception:  # metadata is best effort; the text already loaded
        pass
    return metadata.Metadata()


def _check_pdf_opens(path: Path) -> None:
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("the PDF is password-protected")
    except LoadError:
        raise
    except Exception as error:
        raise LoadError(f"the PDF is damaged or not a PDF ({error.__class__.__name__})") from error


def _partition_text(path: Path) -> list[Any]:
    from unstructured.partition.text import partition_text

    return list(partition_text(filename=str(path)))


def _partition_md(path: Path) -> list[Any]:
    from unstructured.partition.md import partition_md

    return list(partition_md(filename=str(path)))


def _partition_html(path: Path) -> list[Any]:
    from unstructured.partition.html import partition_html

    return list(partition_html(filename=str(path)))


def _partition_pdf(path: Path) -> list[Any]:
    # "fast" reads the PDF's own text layer; hi_res needs a layout model from a hub.
    from unstructured.partition.pdf import partition_pdf

    return list(partition_pdf(filename=str(path), strategy="fast", languages=["eng"]))


def _partition_docx(path: Path) -> list[Any]:
    from unstructured.partition.docx import partition_docx

    return list(partition_docx(filename=str(path)))


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
