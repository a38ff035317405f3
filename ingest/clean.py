"""Bytes to text, and parsed paragraphs to the canonical clean text every stored offset points into."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kb.text import CJK_LETTERS, ends_a_sentence

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
    """Paragraphs separated by one blank line; runs of identical paragraphs kept once, a press
    release's closing furniture left out."""
    kept: list[str] = []
    for paragraph in paragraphs:
        cleaned = clean_paragraph(paragraph)
        if cleaned and (not kept or kept[-1] != cleaned):
            kept.append(cleaned)
    return "\n\n".join(without_release_furniture(kept))


# A press release's end mark: "###", "# # #" (Markdown reads it as a heading "#"), "-30-".
_END_MARK = re.compile(r"(?:#\s*)+|[-–—]\s*30\s*[-–—]")
# The label of a release's contact block, alone or before a colon: "Media contact:", "Contacts".
_CONTACT_LABEL = re.compile(
    r"(?:(?:media|press|investor|news)\s+(?:contacts?|inquiries|enquiries|relations)|contacts?)"
    r"\s*(?::|$)",
    re.I,
)
# A release's forward-looking statements (safe harbour) disclaimer: its heading, alone or before
# a colon ("Forward-Looking Statements"), not a sentence ("Forward-looking statements aside, the
# company…"), or its own opening words.
_DISCLAIMER = re.compile(
    r"(?:cautionary\s+(?:note|statement)s?\s+(?:regarding|on|about|concerning)\s+)?"
    r"(?:forward[- ]looking\s+statements?|safe\s+harbou?r(?:\s+statements?)?)\s*(?::|$)"
    r"|this\s+(?:press\s+|news\s+)?release\s+(?:contains|includes)\s+forward[- ]looking\b",
    re.I,
)
# The company's boilerplate a release closes with, headed by its name: "About Veltra Recycling",
# "About the Company"; not a section of the story ("About the Quarry Road facility").
_ABOUT_HEADING = re.compile(
    r"About(?:\s+(?:(?:the|of|and|for|&)\s+)*[A-Z0-9][\w.,&'’-]*)+\s*(?::|$)"
)
# A bound, not a fit: a release's boilerplate runs a paragraph or two (the company's, its
# parent's), its disclaimer a few; more under one such heading is a section of the story.
_FURNITURE_PARAGRAPHS = 6
_IMMEDIATE_RELEASE = re.compile(r"for\s+immediate\s+release\b", re.I)


def without_release_furniture(paragraphs: list[str]) -> list[str]:
    """A press release's paragraphs without what closes it: its end mark ("###", "-30-") and,
    after the story's last section, its media contact, forward-looking statements disclaimer
    and "About <company>" boilerplate, which are no news and were summarised and quoted as the
    story's. Only a release's: one whose furniture holds an end mark, a contact or a disclaimer,
    or that says "For immediate release" above its story. An article's own closing section (a
    heading over its text), story text under an end mark or a contact label, and anything up to
    the first sentence stay."""
    lead = next((n for n, text in enumerate(paragraphs) if ends_a_sentence(text)), len(paragraphs))
    start = len(paragraphs)
    for index in range(len(paragraphs) - 1, lead, -1):
        paragraph, section = paragraphs[index], paragraphs[index + 1 : start]
        if _END_MARK.fullmatch(paragraph) or _CONTACT_LABEL.match(paragraph):
            if any(map(ends_a_sentence, section)):  # a name, a phone number: no sentence
                break
        elif _DISCLAIMER.match(paragraph) or _ABOUT_HEADING.match(paragraph):
            if len(section) > _FURNITURE_PARAGRAPHS:
                break
        elif _heads_a_section(paragraphs, index):
            break
        else:
            continue  # a paragraph of the section whose heading is above
        start = index
    release = any(map(_closes_a_release, paragraphs[start:])) or any(
        _IMMEDIATE_RELEASE.match(paragraph) for paragraph in paragraphs[: lead + 1]
    )
    return paragraphs[:start] if release else paragraphs


def _closes_a_release(paragraph: str) -> bool:
    """What only a press release closes with: an end mark, a contact block, a disclaimer."""
    return bool(
        _END_MARK.fullmatch(paragraph)
        or _CONTACT_LABEL.match(paragraph)
        or _DISCLAIMER.match(paragraph)
    )


def _heads_a_section(paragraphs: list[str], index: int) -> bool:
    """A heading: a paragraph that ends no sentence over one that does ("Community support"); a
    contact block's lines ("Corinne Wallace" over "Director of Communications") end none."""
    following = paragraphs[index + 1 : index + 2]
    return (
        not ends_a_sentence(paragraphs[index]) and bool(following) and ends_a_sentence(following[0])
    )


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
