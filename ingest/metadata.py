"""Title, author, date and source of an article, from the file's own metadata or its first lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from kb.text import MONTH_NAMES, WEEKDAYS

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
# ISO, month first ("March 14, 2026") or day first ("11 February 2026"); a bare year ("© 2019")
# is no article's date.
_DATE = re.compile(
    r"(?<!\d)(?P<iso>\d{4}-\d{2}-\d{2})(?!\d)"
    rf"|\b(?P<month>{_MONTH})\.? (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})\b"
    rf"|\b(?P<day_first>\d{{1,2}}) (?P<month_second>{_MONTH})\.?,? (?P<year_last>\d{{4}})\b"
)
_BYLINE_LINE = re.compile(
    r"^\s*(?:By|BY|by)\s+(?P<author>[^|\n·•—]+?)\s*(?:$|[|·•—]\s*(?P<rest>.*)$)"
)
# A byline inside a longer paragraph (PDF text often runs masthead, title and byline together).
_BYLINE_INLINE = re.compile(
    r"\bBy\s+(?P<author>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*[|·•—]\s*(?P<rest>[^\n]*)"
)
_PIECE_SEPARATOR = re.compile(r"[|·•—]")


def _byline(line: str, first: bool) -> re.Match[str] | None:
    """A byline: "By" and a name, capitalised and no date; not a story sentence that starts with
    "By" ("By November 5, 2000, the club had…", "By the end of the season, …"). The first line
    is the title: only a byline run into it counts (a PDF's masthead, title and byline)."""
    own_line = None if first or _running_sentence(line) else _BYLINE_LINE.match(line)
    byline = own_line or _BYLINE_INLINE.search(line)
    if byline is None:
        return None
    author = byline.group("author")
    dated = find_date(author)
    return byline if author[:1].isupper() and not (dated and dated[1] == 0) else None


def _running_sentence(line: str) -> bool:
    """A line, or a piece of it between separators, that reads as a sentence of the story."""
    for piece in _PIECE_SEPARATOR.split(line):
        words = len(piece.split())
        if words > 16 or (words >= 5 and re.search(r"[.!?][\s*_\"'”’)]*$", piece)):
            return True
    return False


@dataclass
class Metadata:
    title: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    language: str = ""  # an ISO 639-1 code, e.g. "en"
    canonical_url: str = ""  # the address a web page declares as its own
    tags: list[str] = field(default_factory=list)  # a Markdown file's front matter can list them

    def fill_from(self, other: Metadata) -> None:
        """Keep what is known; take the rest from `other`."""
        for name in ("title", "author", "date", "source", "language", "canonical_url", "tags"):
            if not getattr(self, name):
                setattr(self, name, getattr(other, name))


def parse_date(text: str) -> str:
    """The first date in `text` as YYYY-MM-DD, or ''."""
    found = find_date(text)
    return found[0] if found else ""


def find_date(text: str) -> tuple[str, int] | None:
    """The first real date in `text` as YYYY-MM-DD, and where it starts."""
    found = _date_match(text)
    return (found[0], found[1].start()) if found else None


def _date_match(text: str) -> tuple[str, re.Match[str]] | None:
    for match in _DATE.finditer(text):
        if match["iso"]:
            year, month, day = map(int, match["iso"].split("-"))
        else:
            name = (match["month"] or match["month_second"]).lower()
            # "Feb", "Sept" and "February" name their month; "Mayor" names none (month 0)
            month = next((n for n, full in enumerate(MONTH_NAMES, 1) if full.startswith(name)), 0)
            day = int(match["day"] or match["day_first"])
            year = int(match["year"] or match["year_last"])
        try:
            return date(year, month, day).isoformat(), match
        except ValueError:
            continue
    return None


def from_leading_lines(paragraphs: list[str], titled: bool = False) -> Metadata:
    """Title from the first line; byline ("By A | Outlet | date") and date from the next few.
    `titled`: the first line is the document's own title (a Markdown H1), kept whole; cut, it
    would no longer be known as the heading line and would be quoted as text."""
    found = Metadata()
    lines = [p.strip() for p in paragraphs[:6] if p.strip()]
    if lines:
        first = lines[0].lstrip("#").strip()
        found.title = first if titled else _title(first)
    for number, line in enumerate(lines):
        byline = _byline(line, first=not number)
        if byline and not found.author:
            author = byline.group("author").strip()
            dated = find_date(author)  # "By Dana Whitfield, March 14, 2026"
            if dated:
                author, found.date = author[: dated[1]], found.date or dated[0]
            found.author, outlet = _author_and_outlet(author.strip().rstrip(",;").strip())
            parts = [p.strip() for p in _PIECE_SEPARATOR.split(byline.group("rest") or "")]
            names = [p for p in parts if p and not parse_date(p)]
            # "By John Smith, Times Staff Writer | Los Angeles Times": the named outlet wins
            found.source = found.source or (names[0] if names else outlet)
            found.date = found.date or parse_date(byline.group("rest") or "")
    found.date = found.date or next(filter(None, map(_dateline_date, lines[1:])), "")
    return found


# Words that name a publication, not a person: "By Staff Reporter, Coastal Gazette".
_OUTLET_WORD = re.compile(
    r"\b(?:Gazette|Times|News|Post|Journal|Herald|Tribune|Daily|Weekly|Monthly|Wire|Press|"
    r"Magazine|Ledger|Chronicle|Courier|Observer|Telegraph|Guardian|Review|Bulletin|Examiner|"
    r"Inquirer|Dispatch|Reuters|AP|AFP|Bloomberg|Agency|Radio|Television|TV)\b"
)


# Words of a job title, not a name: "By Maria Lopez, Herald Staff".
_JOB_WORD = re.compile(
    r"\b(?:Writers?|Reporters?|Editors?|Staff|Correspondents?|Columnists?|Contributors?|"
    r"Producers?)\b",
    re.I,
)
# "Alice Walker": a part shaped like a person's name.
_PERSON = re.compile(r"[A-Z][a-z'-]+ [A-Z][a-z'-]+")
# Outlet words that are surnames too: "Tom Post" may be a co-author, "Coastal Gazette" is none.
_SURNAME_OUTLET_WORD = re.compile(r"\b(?:Post|Press|Courier|Herald|Review)$")


def _author_and_outlet(byline: str) -> tuple[str, str]:
    """A byline's names without their job titles, and its last comma part when that names a
    publication. A two-word "Tom Post" after a person's name is a co-author: only after a job
    title alone ("Staff Reporter, Coastal Gazette") is it taken for an outlet; "Jane Doe, Coastal
    Gazette" names one, as no person is called Gazette."""
    parts = [part.strip() for part in byline.split(",") if part.strip()]
    *names, last = parts
    co_author = (
        _is_person(last) and bool(_SURNAME_OUTLET_WORD.search(last)) and any(map(_is_person, names))
    )
    if names and _OUTLET_WORD.search(last) and not _JOB_WORD.search(last) and not co_author:
        return _without_job_titles(names), last
    return _without_job_titles(parts), ""


def _is_person(part: str) -> bool:
    return bool(_PERSON.fullmatch(part)) and not _JOB_WORD.search(part)


def _without_job_titles(parts: list[str]) -> str:
    """The names in "Maria Lopez, Herald Staff"; a job title alone ("Staff Reporter") is kept."""
    return ", ".join([part for part in parts if not _JOB_WORD.search(part)] or parts)


# Words that may stand beside the date in its piece of a line giving the article's date:
# "Published: Monday, March 3, 2026 10:30 GMT", "Publication date: March 3, 2026".
_DATE_LINE_WORDS = frozenset(
    "published updated posted filed created originally publication date dated first last "
    "modified on at gmt utc bst cet et est edt pt pst pdt "
    "mon tue tues wed thu thur thurs fri sat sun".split()
).union(WEEKDAYS)
# "10:30", "7:45 p.m.", "7 pm"
_CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2}(?:\s*[ap]\.?m\b\.?)?|\s*[ap]\.?m\b\.?)", re.I)
# A news dateline: the place in capitals, the date, the agency maybe, a dash
# ("LONDON, March 3, 2026 (Reuters) -", "BILLINGS, Mont., May 2, 2017 —").
_DATELINE_PLACE = re.compile(
    r"[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)*)?,? ?"
)
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?[-–—]")


def _dateline_date(line: str) -> str:
    """The date of a line that gives the article's date: a byline, a dateline, or a short line
    one of whose pieces ("Dana Whitfield | Coastal Gazette | March 3, 2026", "Published March 4,
    2026 · 5 min read") is the date. A date in a running sentence ("no victory since November
    5, 2000") or a photo caption is a date the story mentions: no date beats a wrong one."""
    found = _date_match(line)
    if found is None:
        return ""
    day, match = found
    before, after = line[: match.start()], line[match.end() :]
    if _byline(line, first=False):
        return day
    if _DATELINE_PLACE.fullmatch(before) and _DATELINE_AFTER.match(after):
        return day
    if _running_sentence(line):
        return ""
    piece = _PIECE_SEPARATOR.split(before)[-1] + " " + _PIECE_SEPARATOR.split(after)[0]
    beside = _CLOCK_TIME.sub(" ", piece).lower()
    if re.search(r"\d", beside):
        return ""
    return day if set(re.findall(r"[^\W\d_]+", beside)) <= _DATE_LINE_WORDS else ""


# A leading YAML block closed by a rule ("---", or YAML's own "...").
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?:(?P<yaml>.*?)\r?\n)??(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
_FRONT_MATTER_KEYS = frozenset({"title", "date", "author", "authors", "tags", "source"})


def split_front_matter(text: str) -> tuple[Metadata, str]:
    """A Markdown file's leading YAML block (Jekyll, Hugo, Obsidian) as metadata, and the text
    after it. Only a closed block at the very start that is empty or names a field we read is
    front matter: "---\nNote: this story was updated…\n---" is a note between two rules."""
    import yaml

    block = _FRONT_MATTER.match(text)
    if not block:
        return Metadata(), text
    try:
        fields = yaml.safe_load(block.group("yaml") or "") or {}
    except yaml.YAMLError:
        return Metadata(), text
    if not isinstance(fields, dict):
        return Metadata(), text
    fields = {str(key).lower(): value for key, value in fields.items()}
    if fields and not _FRONT_MATTER_KEYS & set(fields):
        return Metadata(), text
    found = Metadata(
        title=_yaml_text(fields.get("title")),
        author=_yaml_text(fields.get("author") or fields.get("authors")),
        date=_yaml_date(fields.get("date")),
        source=_yaml_text(fields.get("source")),
        tags=_yaml_tags(fields.get("tags")),
    )
    return found, text[block.end() :]


# An ATX ("# Title") or Setext ("Title" over "===") first-level heading.
_MARKDOWN_H1 = re.compile(r"\A\s*(?:#[ \t]+\S|[^\n]*\S[^\n]*\n=+[ \t]*(?:\n|\Z))")


def opens_with_heading(body: str) -> bool:
    """A Markdown text (its front matter taken off) whose first line is a first-level heading."""
    return bool(_MARKDOWN_H1.match(body))


def _yaml_text(value: Any) -> str:
    """YAML reads `title: 2024-01-01` as a date and `title: 1984` as a number: both are text."""
    if isinstance(value, list):
        return ", ".join(filter(None, map(_yaml_text, value)))
    return " ".join(str(value).split()) if isinstance(value, str | int | float | date) else ""


def _yaml_date(value: Any) -> str:
    """YAML reads an unquoted 2025-11-02 as a date; a quoted or written one is parsed."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    return parse_date(_yaml_text(value))


def _yaml_tags(value: Any) -> list[str]:
    """A list (`[rust, engineering]`) or one comma-separated string."""
    items = value if isinstance(value, list) else _yaml_text(value).split(",")
    return list(dict.fromkeys(tag for tag in map(_yaml_text, items) if tag))


_TITLE_CHARS = 120


def _title(first_line: str) -> str:
    """A first line too long for a title (a PDF's first paragraph) cut after a word, marked."""
    if len(first_line) <= _TITLE_CHARS:
        return first_line
    return first_line[: _TITLE_CHARS + 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


# What python-docx's template and generators leave in a document's properties: no one's title
# or name.
_DOCX_PLACEHOLDERS = frozenset({"python-docx", "word document"})


def from_docx(file: IO[bytes]) -> Metadata:
    import docx

    # Creation dates in document properties are when the file was made, not the article's date.
    properties = docx.Document(file).core_properties
    return Metadata(
        title=_docx_property(properties.title), author=_docx_property(properties.author)
    )


def _docx_property(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value.lower() in _DOCX_PLACEHOLDERS else value


def from_pdf(file: IO[bytes]) -> Metadata:
    import pypdf

    info: Any = pypdf.PdfReader(file).metadata or {}
    return Metadata(title=str(info.get("/Title") or ""), author=str(info.get("/Author") or ""))


_RENAMED = {"iw": "he", "jw": "jv", "in": "id"}  # CLD2's older ISO 639-1 codes


def detect_language(clean: str) -> str:
    """The language of a clean text's first 2,000 characters (CLD2: deterministic, 0.1 ms a file
    where langdetect took 5 ms on 500; it also told Latin and Chinese apart where langdetect said
    Catalan and Korean), or '' when it cannot tell ("Test"). CLD2 refuses control characters:
    ingest.clean has taken them out."""
    import pycld2

    sample = clean[:2000].encode("utf-8", "replace")
    try:
        code = pycld2.detect(sample)[2][0][1]
    except pycld2.error:
        return ""
    code = _RENAMED.get(code, code.split("-")[0])
    return "" if code in ("un", "xx") else code
