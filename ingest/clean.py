"""Bytes to text, and parsed paragraphs to the canonical clean text every stored offset points into."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_HYPHENATED_BREAK = re.compile(r"(\w)-\n(\w)")


def clean_paragraph(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _HYPHENATED_BREAK.sub(r"\1\2", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return " ".join(line for line in lines if line)


def clean_text(paragraphs: Iterable[str]) -> str:
    """Paragraphs separated by one blank line; runs of identical paragraphs kept once."""
    kept: list[str] = []
    for paragraph in paragraphs:
        cleaned = clean_paragraph(paragraph)
        if cleaned and (not kept or kept[-1] != cleaned):
            kept.append(cleaned)
    return "\n\n".join(kept)


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
