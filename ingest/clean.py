"""Bytes to text, and parsed paragraphs to the canonical clean text every stored offset points into."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kb.text import CJK_LETTERS

# C0 and C1 controls (U+009B is a terminal's CSI: it would reach the terminal as a command; the
# language detector, CLD2, refuses them too).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_HYPHENATED_BREAK = re.compile(r"(\w)-\n(\w)")
_LIGATURES = re.compile("[\ufb00-\ufb06]")  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ: a PDF font's glyphs, not letters
# A line-end hyphen whose line break became a space ("us- ing"); "pre- and post-war" is meant.
# The third group is a hyphen going on after the tail ("state- of-the-art").
_HYPHEN_BEFORE_SPACE = re.compile(r"(?<![\w-])([^\W\d_]+)- (?!(?:and|or|nor|to)\b)([a-z]+)\b(-?)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# What decoding binary data gives and text never holds: controls, undecodable bytes (U+FFFD),
# surrogates, private-use and unassigned code points.
_NOT_TEXT_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
# Private use that text does hold: PDFs map Symbol and Wingdings glyphs here (the bullet U+F0B7).
_SYMBOL_FONT_PRIVATE_USE = range(0xF000, 0xF100)
_TEXT_CONTROLS = frozenset("\t\n\r\f\x85")
_TEXT_SAMPLE = 65536
# CJK scripts have no spaces between words: there one character counts as one word.
_WORD_OR_IDEOGRAPH = re.compile(rf"[{CJK_LETTERS}]|[^\W{CJK_LETTERS}]+")


def clean_paragraph(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x85", "\n")  # NEL, a line break
    text = without_controls(text)
    text = _without_ligatures(text)
    text = _HYPHENATED_BREAK.sub(r"\1\2", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return " ".join(line for line in lines if line)


def words(text: str) -> list[str]:
    return _WORD_OR_IDEOGRAPH.findall(text)


def without_controls(text: str) -> str:
    """Control characters are never text, and lxml refuses a page that holds one."""
    return _CONTROL.sub("", text)


def _without_ligatures(text: str) -> str:
    return _LIGATURES.sub(lambda ligature: unicodedata.normalize("NFKC", ligature[0]), text)


def rejoin_hyphenated_words(paragraphs: list[str]) -> list[str]:
    """PDF text loses its line breaks, not the hyphens that split words across them. "imple-
    mented" is joined, as is a split whose joined form the document writes elsewhere. A compound
    keeps its hyphen: one the document writes hyphenated ("dual-encoder"), one going on with a
    hyphen ("state-of-the-art"), one after a single letter ("e-bikes": hyphenation leaves two)
    and one of two words the document uses alone ("long-term")."""
    paragraphs = [_without_ligatures(paragraph) for paragraph in paragraphs]  # "efﬁ- cient"
    words = {  # the document's words, the split ones left out
        word.lower()
        for paragraph in paragraphs
        for word in _WORD.findall(_HYPHEN_BEFORE_SPACE.sub(" ", paragraph))
    }

    def rejoin(split: re.Match[str]) -> str:
        head, tail, going_on = split[1], split[2], split[3]
        joined = f"{head}{tail}".lower()
        compound = bool(going_on) or (
            joined not in words
            and (
                f"{head}-{tail}".lower() in words
                or len(head) == 1
                or (head.lower() in words and tail.lower() in words)
            )
        )
        return f"{head}-{tail}{going_on}" if compound else f"{head}{tail}{going_on}"

    return [_HYPHEN_BEFORE_SPACE.sub(rejoin, paragraph) for paragraph in paragraphs]


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


def looks_like_text(text: str) -> bool:
    """Whether decoded bytes are text: at most 5% of the characters are what binary data decodes
    to (`_decodes_from_binary`): 20% of an executable read as UTF-16, 23% of random bytes read as
    Latin-1, none of a real article in any language. NULs are left out: zeros padding a text
    file, or an ASCII text in UTF-16 read as UTF-8, do not make it binary."""
    sample = text[:_TEXT_SAMPLE].replace("\x00", "")
    odd = sum(1 for char in sample if _decodes_from_binary(char))
    return odd <= 0.05 * max(len(sample), 1)


def _decodes_from_binary(char: str) -> bool:
    """Unassigned code points past U+FFFF are left out: emoji newer than this Python's Unicode
    tables ("🫨" U+1FAE8 is unassigned in Python 3.11) are there, and UTF-16 gives them only from
    a valid surrogate pair, which bytes of a binary rarely are."""
    if char == "\ufffd":
        return True
    category = unicodedata.category(char)
    if category == "Cn":
        return ord(char) < 0x10000
    if category == "Co":
        return ord(char) not in _SYMBOL_FONT_PRIVATE_USE
    return category in _NOT_TEXT_CATEGORIES and char not in _TEXT_CONTROLS
