"""Title, author, date and source of an article, from the file's own metadata or its first lines."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from kb.text import (
    CAPITALS,
    FOREIGN_BY,
    LINE_PIECES,
    LINE_SEPARATOR,
    NAME_JOINERS,
    OUTLET_NAME,
    before_date,
    byline_match,
    dateline_date,
    is_header_line,
    labels_a_kind,
    parse_date,
    read_header_line,
    running_sentence,
)


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


# The opening paragraphs that may hold an article's title, byline, date and outlet.
_HEADER_PARAGRAPHS = 6
_BLANK_LINE = re.compile(r"\n\s*\n")


def header_lines_apart(paragraphs: list[str], text: str) -> list[str]:
    """`paragraphs` read from `text` with the lines of an opening block that are its outlet,
    byline and date each a paragraph again: unstructured runs a block's lines into one paragraph
    unless each is under 5 words, and "Castlebrook Courier By Dana Whitfield, Staff Reporter
    October 14, 2025" reads as neither byline, date nor outlet. The text's first block may start
    with its title ("Title / By Ana Ruiz / March 3, 2026"); any other line makes a block text."""
    blocks = _BLANK_LINE.split(text.strip())[:_HEADER_PARAGRAPHS]
    lines_of = {" ".join(block.split()): block.splitlines() for block in blocks}
    apart: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        lines = [line.strip() for line in lines_of.get(" ".join(paragraph.split()), [])]
        header = lines[1:] if number == 0 else lines
        if number < _HEADER_PARAGRAPHS and len(lines) > 1 and _is_header(header):
            apart.extend(lines)
        else:
            apart.append(paragraph)
    return apart


def _is_header(lines: list[str]) -> bool:
    """Lines that are each a byline, a date line, an outlet's name, a "Source:" line or a label
    of the article's kind ("Opinion"), one of them at least a byline or a date line."""
    dated = [
        line
        for number, line in enumerate(lines)
        if _byline(lines, number, first=False) or dateline_date(line)
    ]
    named = [line for line in lines if _names_an_outlet(line) or _SOURCE_LABEL.match(line)]
    labels = [line for line in lines if labels_a_kind(line)]
    prose = any(map(running_sentence, lines))
    return bool(dated) and not prose and set(lines) <= set(dated + named + labels)


def _byline(lines: list[str], number: int, first: bool, language: str = "") -> re.Match[str] | None:
    """The byline line `number` of an opening is, if any (`byline_match`). Another language's "By"
    and a name alone on their line ("Par Camille Rousseau", "Von Katrin Vogel") are one over the
    outlet's or the date's line: they read as one line ("Par Camille Rousseau | Le Courrier du
    Val — 12 octobre 2026"). Over a line of the story they may be a heading's words."""
    line = lines[number]
    byline = byline_match(line, first=first, language=language)
    below = lines[number + 1] if number + 1 < len(lines) else ""
    if byline or not re.match(rf"\W*{FOREIGN_BY}\s", line):
        return byline
    if not (_names_an_outlet(below) or dateline_date(below)):
        return None
    return byline_match(f"{line} | {below}", first=first, language=language)


def from_leading_lines(paragraphs: list[str], titled: bool = False) -> Metadata:
    """Title from the first line with a word; byline ("By A | Outlet | date"), date and outlet
    ("Valley Gazette — 2026-05-14") from the next few.
    `titled`: the first line is the document's own title (a Markdown H1), kept whole; cut, it
    would no longer be known as the heading line and would be quoted as text."""
    found = Metadata()
    lines = [p.strip() for p in paragraphs[:_HEADER_PARAGRAPHS] if p.strip()]
    heading = 0 if titled else next((n for n, line in enumerate(lines) if _titles(line)), None)
    if heading is not None:
        lines = lines[heading:]  # page numbers ("1 2") or a JSON brace over the title
        described = described_outlet(lines[0]) if len(lines) > 1 else ""
        if not titled and described:
            found.source, lines = described, lines[1:]
        elif not titled and _masthead_over_title(lines, _elsewhere(paragraphs, lines[0])):
            found.source, lines = lines[0], lines[1:]
        first = lines[0].lstrip("#").strip()
        if not titled and first.endswith(",") and lines[1:] and lines[1][:1].islower():
            first = f"{first} {lines[1]}"  # a PDF's title over two lines: "A guide for people…,"
        found.title = first if titled else _title(_before_byline(first))
    opening = "\n\n".join(paragraphs[:30])[:2000]
    # "A title" and a sentence are too few words to tell a byline's language by
    language = detect_language(opening) if len(opening) >= _LANGUAGE_SAMPLE_CHARS else ""
    bylined_at = 0  # the byline's line: an outlet's own line above it names no co-author
    for number, line in enumerate(lines):
        byline = _byline(lines, number, first=not number, language=language)
        if not (byline or found.author or number == 0):
            found.author, source = _credited(line, _elsewhere(paragraphs, line))
            found.source = found.source or source
            bylined_at = number if found.author else bylined_at
        elif byline and not found.author:
            bylined_at = number
            # "By Dana Whitfield, March 14, 2026"
            found.date = found.date or parse_date(byline.group("author"))
            found.author, outlet = _author_and_outlet(
                before_date(byline.group("author")), _elsewhere(paragraphs, line)
            )
            pieces = LINE_PIECES.split(byline.group("rest") or "")
            names = list(filter(None, map(before_date, pieces)))
            # "By John Smith, Times Staff Writer | Los Angeles Times": the named outlet wins
            found.source = found.source or (names[0] if names else outlet)
            found.date = found.date or parse_date(byline.group("rest") or "")
    found.date = found.date or next(filter(None, map(dateline_date, lines[1:])), "")
    for line in lines[1:]:
        outlet = _dated_outlet(line, _elsewhere(paragraphs, line)) or described_outlet(line)
        found.source = found.source or outlet or _issuer(line)
    found.source = found.source or _outlet_line(lines[1:bylined_at], lines[1:], paragraphs)
    return found


# The last paragraphs of an article, where a press release or a statement says who issued it.
_CLOSING_PARAGRAPHS = 3


def from_closing_lines(paragraphs: list[str]) -> Metadata:
    """The source a statement's or press release's closing line names as its issuer ("Issued by
    the communications team, St Aldric's Hospital"), below its text where no opening line
    looks."""
    closing = reversed(paragraphs[-_CLOSING_PARAGRAPHS:])
    return Metadata(source=next(filter(None, map(_issuer, closing)), ""))


# "Issued by the communications team, St Aldric's Hospital", "Published on behalf of the
# Harbour Authority": a line saying who issued the text, the organisation last.
_ISSUED_BY = re.compile(
    r"(?:Issued|Published|Released|Distributed|Produced)\s+(?:by|on\s+behalf\s+of)\s+"
    r"(?P<issuer>.+?)\.?",
    re.I,
)


def _issuer(line: str) -> str:
    """The organisation or outlet a line naming the text's issuer ends with; a team or a
    person is no source, nor is a sentence ("Issued by the council in 2019, the permit …")."""
    issued = _ISSUED_BY.fullmatch(line.strip())
    if issued is None or running_sentence(line):
        return ""
    name = re.sub(r"^the\s+", "", issued["issuer"].split(",")[-1].strip(), flags=re.I)
    return name if _names_a_publisher(name) and not _is_person(name) else ""


# "The Null Hypothesis — a blog about statistics in medicine": a masthead's name, then what the
# outlet is.
_DESCRIBED_OUTLET = re.compile(
    rf"(?P<name>.+?)\s*(?:{LINE_SEPARATOR}|:)\s*(?:an?|the|your)\s+(?:[\w'’-]+\s+){{0,3}}?"
    r"(?:blog|newsletter|magazine|podcast|journal|newspaper|web\s*site|site|zine|digest)\b.*",
    re.I,
)


def described_outlet(line: str) -> str:
    """The name of a masthead that says what its outlet is, a capitalised name of up to five
    words ("The Null Hypothesis — a blog about statistics in medicine"); a person's name is no
    outlet's ("Ana Ruiz — a blog of her travels" is a byline's)."""
    described = _DESCRIBED_OUTLET.fullmatch(line.strip())
    name = described["name"].strip() if described else ""
    capitalised = _capitalised_name(name, _outlet_name_words(name)) and not labels_a_section(name)
    return name if capitalised and not _is_person(name) else ""


def from_running_heads(lines: list[str]) -> Metadata:
    """The date and outlet a PDF's running head or foot names ("Harwick Gazette — 4 October
    2026", "Journal of Clinical Practice · 12 October 2026" atop each page): page furniture, kept
    out of the text, but the issue the article was printed in when its opening names neither."""
    found = Metadata()
    for line in lines:
        found.date = found.date or dateline_date(line)
        outlet = _dated_outlet(line, "") or (line if _names_an_outlet(line) else "")
        found.source = found.source or outlet
    return found


def _masthead_over_title(lines: list[str], elsewhere: str) -> bool:
    """An outlet's name alone over the title, the byline or the date under that: a wire story's
    "Regional Wire Service" over its headline and "By Tomas Okafor". With no byline or date
    line under it, the line under the name may be the story's first, and the name its title."""
    if len(lines) < 3 or not _names_an_outlet(lines[0]) or _may_be_a_person(lines[0], elsewhere):
        return False
    headline = lines[1]
    return (
        _titles(headline)
        and not (running_sentence(headline) or is_header_line(headline))
        and not _names_an_outlet(headline)
        and bool(_byline(lines, 2, first=False) or dateline_date(lines[2]))
    )


def _credited(line: str, elsewhere: str) -> tuple[str, str]:
    """The writers, and the outlet or organisation they write for, of a header line no "By"
    opens: "Live blog by Grace Holloway and Omar Siddiqui" beside "HealthWatch Live", a credit
    line ("Dr Hannah Brooks and Dr Samuel Adeyemi, Centre for Evidence Appraisal"), a writer's
    name beside a publisher's and the date ("Opinion | Martin Kell | The Evening Ledger | 11 March
    2026"). A name beside the date alone may be a place's ("New York — March 3, 2026"), and one
    shaped as a person's beside the writers' a co-writer's: neither is read."""
    header = read_header_line(line)
    if header is None:
        return "", ""
    publishers = [name for name in header.names if _names_a_publisher(name)]
    if header.writers:
        others = [name for name in header.names if name in publishers or not _is_person(name)]
        return header.writers, next(iter(others), "")
    people = [name for name in header.names if _is_person(name) and name not in publishers]
    outlets = [name for name in publishers if not _may_be_a_person(name, elsewhere)]
    return (people[0], outlets[0]) if len(people) == 1 and outlets else ("", "")


# "Source: Regional Wire": the label of a line that says where the article comes from.
_SOURCE_LABEL = re.compile(r"^Source\s*:\s*", re.I)
# Outlets' names run to five words ("The Sydney Morning Herald", "St. Louis Post-Dispatch News
# Service"); a longer capitalised line is a title-case headline.
_OUTLET_NAME_WORDS = 5
# A newspaper's section labels, and the outlet words they end with: "Local News", "Breaking News",
# "Sunday Review", "World News" name no outlet; "Harbour News Service" and "Regional Wire" do.
_SECTION_WORDS = frozenset(
    "local breaking world national international top latest good fake business sports sport "
    "opinion politics health science tech technology entertainment weather travel arts culture "
    "lifestyle money economy education environment climate city community today more related "
    "recent trending popular featured weekend morning evening sunday daily weekly monthly news "
    "live review reviews bulletin magazine radio tv television press wire us uk".split()
)
# A headline's question words and verbs, no outlet's: "Why Nobody Trusts The News", "Town Is
# Reading The Ledger" (and the verbs after a person's name: "Hannah Post Says …").
_HEADLINE_WORDS = frozenset(
    "why how what who when where which whether is are was were will has have had does did".split()
)
# "The" after a line's first word, as a headline's object: "Nobody Trusts The News"; an outlet's
# name has it first ("The Millbrook Ledger") or in lower case ("Voice of the Times").
_INNER_ARTICLE = re.compile(r"(?<=\S)\s+(?:The|A|An)\b")


def _outlet_line(masthead: list[str], lines: list[str], paragraphs: list[str]) -> str:
    """The outlet a line of its own names above the story, when no byline or dated line does: a
    plain text's "Harbour News Service" between its title and date, or "Source: …". Below the
    story's first sentence a short line is a heading; a byline or a person's name is no outlet,
    but a name in the `masthead`, the lines above the byline ("Castlebrook Courier" over "By
    Dana Whitfield"), is no writer's: they are named in the byline or under it."""
    for line in itertools.takewhile(lambda line: not running_sentence(line), lines):
        labelled = _SOURCE_LABEL.match(line)
        # "Source: Regional Wire | 2026-04-12": the name before the date; a name, capitalised,
        # not a description ("Source: the operator's annual report")
        named = before_date(LINE_PIECES.split(line[labelled.end() :])[0]) if labelled else ""
        if named[:1].isupper():
            return named
        person = line not in masthead and _may_be_a_person(line, _elsewhere(paragraphs, line))
        if _names_an_outlet(line) and not person:
            return line
    return ""


def _names_an_outlet(line: str) -> bool:
    """A line that is an outlet's name alone, each word capitalised ("The Millbrook Ledger"); not
    running text that ends with one ("Fares stay the same at the Harbour News"), a title-case
    headline ("Why Nobody Trusts The News"), a section's label ("Local News") or a byline."""
    return (
        _capitalised_name(line, _outlet_name_words(line))
        and not labels_a_section(line)
        and not _reads_as_headline(line)
        and _is_outlet(line)
        and not byline_match(line, first=False)
    )


def _outlet_name_words(name: str) -> int:
    """The most words an outlet's name runs to: a journal's as many as an organisation's ("The
    New England Journal of Medicine", "Journal of the American Medical Association")."""
    return _ORGANISATION_NAME_WORDS if _JOURNAL_NAME.match(name) else _OUTLET_NAME_WORDS


def _capitalised_name(line: str, most_words: int) -> bool:
    """A line of no more than `most_words` words, each capitalised or a small word of a name."""
    words = line.split()
    capitalised = all(word[:1].isupper() or word in NAME_JOINERS for word in words)
    return capitalised and len(words) <= most_words


# Organisations' names run longer than outlets' ("U.S. Department of Health and Human Services",
# "Ministry of Housing, Communities and Local Government").
_ORGANISATION_NAME_WORDS = 8
# Words that make a name an institution's or a company's, not a person's or a place's:
# "European Commission", "Ministry of Health", "Norvane Semiconductor N.V.", "Acme Inc.".
_ORGANISATION_WORD = re.compile(
    r"\b(?:Commission|Ministry|Department|Directorate(?:-General)?|Council|Parliament|Government|"
    r"Office|Authority|Agency|Bureau|Board|Committee|Court|Bank|Fund|Institute|University|"
    r"College|Academy|Cent(?:re|er)|Foundation|Association|Society|Federation|Union|"
    r"Organi[sz]ation|Trust|Corporation|Company|Group|Holdings|Laborator(?:y|ies)|Secretariat|"
    r"Hospitals?|Clinic|Infirmary|School|Museum|Library|Police|Charity|Partnership|Network|"
    r"Inc|Ltd|LLC|[Pp]lc|PLC|GmbH|AG|SE|SA|NV|BV|N\.V|S\.A|B\.V|Corp|Co)\b"
)


def _names_an_organisation(name: str) -> bool:
    """An institution's or a company's name, each word capitalised ("European Commission",
    "Directorate-General for Competition"); not a person's ("Dana Whitfield"), a place's
    ("Eindhoven"), a job's ("Director of Communications, Ministry of Health") or a headline."""
    return (
        _capitalised_name(name, _ORGANISATION_NAME_WORDS)
        and bool(_ORGANISATION_WORD.search(name))
        and not _JOB_WORD.search(name)
        and not _reads_as_headline(name)
    )


def _names_a_publisher(name: str) -> bool:
    """An outlet's name ("Valley Gazette", not a section's "Local News") or an organisation's."""
    return (_is_outlet(name) and not labels_a_section(name)) or _names_an_organisation(name)


def labels_a_section(name: str) -> bool:
    """A section's label ("Local News", "World News"): words, none of which names an outlet."""
    words = {word.lower() for word in name.split()}
    return bool(words) and not words - _SECTION_WORDS - NAME_JOINERS


def _reads_as_headline(line: str) -> bool:
    """A capitalised line that is a title-case headline, not an outlet's name."""
    words = {word.lower() for word in re.findall(r"[\w'’]+", line)}
    return bool(
        words & _HEADLINE_WORDS
        or _INNER_ARTICLE.search(line)
        or re.search(rf"\b{_PERSON_VERB}", line, re.I)
    )


def _elsewhere(paragraphs: list[str], line: str) -> str:
    """The article's opening without `line`: where it may name an outlet a byline names."""
    return "\n".join(p for p in paragraphs[:30] if p.strip() != line)


_LANGUAGE_SAMPLE_CHARS = 200
# A line of JSON ('{"name": …', '"name": "John Doe",', '"age": 30,'): data, no title; not a
# headline quoting someone ('"We will rebuild": Town vows to restore levee').
_JSON_MEMBER = re.compile(
    r'\s*(?:[{\[]\s*(?:["{\[\d-]|$)|"[^"\n]*"\s*:\s*(?:["{\[\d-]|(?:true|false|null)\b))'
)


# What a press release's first line labels it ("PRESS RELEASE", "EUROPEAN COMMISSION - PRESS
# RELEASE", "For immediate release"): the kind of document over its title, not the title.
_RELEASE_LABEL = re.compile(
    rf"^(?:[^|·•—\n]*?(?:{LINE_SEPARATOR})\s*)?(?:for immediate release|(?:press|news|media) release)"
    r"\W*$",
    re.I,
)


def _titles(line: str) -> bool:
    """A line that can be a title: one with a word (two letters or more), not page numbers ("1
    2"), a brace ("{"), a line of JSON, a press release's label or a kind's label over the
    headline ("Opinion", "Live blog")."""
    return (
        bool(re.search(r"[^\W\d_]{2}", line))
        and not _JSON_MEMBER.match(line)
        and not _RELEASE_LABEL.match(line)
        and not labels_a_kind(line.lstrip("#").strip())
    )


def _before_byline(first_line: str) -> str:
    """A title line without the byline a PDF runs into it: "Council approves plan By Maria Okafor
    - Valley Gazette - 2026-01-05"."""
    byline = byline_match(first_line, first=True)
    return first_line[: byline.start()].rstrip() if byline and byline.start() else first_line


def _dated_outlet(line: str, elsewhere: str) -> str:
    """The outlet or organisation a line of names and the article's date names first: "Valley
    Gazette — 2026-05-14" (below "By Maria Okafor"), a report's or press release's office line
    under its title ("European Commission | Directorate-General for Competition | 2026-11-10");
    not a place ("LONDON — …", "Eindhoven | 29 October 2026") or a person."""
    header = read_header_line(line)
    if header is None or not dateline_date(line):
        return ""
    # "Source: Regional Wire | 2026-04-12": the outlet without its label
    names = [_SOURCE_LABEL.sub("", name, count=1) for name in header.names]
    publishers = (name for name in names if _names_a_publisher(name))
    return next((name for name in publishers if not _may_be_a_person(name, elsewhere)), "")


# Words of a job title, not a name: "By Maria Lopez, Herald Staff".
_JOB_WORD = re.compile(
    r"\b(?:Writers?|Reporters?|Editors?|Staff|Correspondents?|Columnists?|Contributors?|"
    r"Producers?|Journalists?|Hosts?|Directors?|Secretar(?:y|ies)|Critics?|Anchors?|Presenters?|"
    r"Analysts?|Journalist(?:in|en)|journaliste?s?|periodistas?|giornalist[ai]|"
    r"jornalistas?|correspondant(?:e|es|s)?|corresponsal(?:es)?|corrispondent[ei]|"
    r"correspondentes?|Korrespondent(?:in|en)?|envoyée?s? spéciale?s?|rédact(?:eur|rice)s?|"
    r"Redakteur(?:in|e)?|redactor(?:a|es)?|redatt(?:ore|rice)|redacteur|verslaggever)\b",
    re.I,
)
# "Alice Walker": a part shaped like a person's name.
_PERSON = re.compile(
    rf"[{CAPITALS}](?:[^\W\d_{CAPITALS}]|['’-])+ [{CAPITALS}](?:[^\W\d_{CAPITALS}]|['’-])+"
)
# Outlet words that are surnames too: "Hannah Post", "Tom Daily" may be a co-author, "Coastal
# Gazette" is none.
_SURNAME_OUTLET_WORD = re.compile(r"\b(?:Post|Press|Courier|Herald|Review|Daily|Star|Beacon)$")
# "Hannah Cole The Northern Post": the byline's line and the outlet's line under it run together.
_RUN_ON_OUTLET = re.compile(r"(?P<person>.+?)\s+(?P<outlet>The(?:\s+[A-Z][\w'’-]*)+)")


def _author_and_outlet(byline: str, elsewhere: str) -> tuple[str, str]:
    """A byline's names without their job titles, and its last comma part when that names a
    publication. "Jane Doe, Coastal Gazette" and "Jonah Pike, ByteWatch" name one, as no person is
    called Gazette or ByteWatch; "Jane Doe, Hannah Post" names a co-author unless the article
    names "Hannah Post" `elsewhere` too, and after a job title alone ("Staff Reporter, Tom Post")
    "Tom Post" is the outlet."""
    parts = [part.strip() for part in byline.split(",") if part.strip()]
    run_on = _RUN_ON_OUTLET.fullmatch(parts[-1])
    if run_on and _is_outlet(run_on["outlet"]):
        parts[-1:] = [run_on["person"], run_on["outlet"]]
    *names, last = parts
    co_author = _may_be_a_person(last, elsewhere) and any(map(_is_person, names))
    if names and (_is_outlet(last) or _BRAND.fullmatch(last)) and not co_author:
        return _without_job_titles(names), last
    return _without_job_titles(parts), ""


# One word with capitals inside, a brand's ("ByteWatch", "TechCrunch"): after a byline's name
# it is the outlet, not a person or a place ("By Jonah Pike, ByteWatch"); "McAllen", "DeKalb",
# "LaSalle" are names' prefixes.
_BRAND = re.compile(r"(?!(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von)[A-Z])[A-Z][a-z]+(?:[A-Z][a-z]+)+")


# A journal's name opens with its kind: "Journal of Clinical Practice", "Annals of Surgery",
# "The New England Journal of Medicine", "Proceedings of the Royal Society", "Journal of the
# American Medical Association".
_JOURNAL_NAME = re.compile(
    r"^(?:The\s+)?(?:[A-Z][\w'’-]*\s+){0,3}(?:Journal|Annals|Proceedings|Bulletin|Transactions)"
    r"\s+(?:of|for|on)\s+(?:the\s+)?[A-Z]"
)


def _is_outlet(part: str) -> bool:
    """A publication's name ("Coastal Gazette", "Journal of Clinical Practice"), not a job
    ("Radio Host", "Herald Staff")."""
    named = OUTLET_NAME.search(part) or _JOURNAL_NAME.match(part)
    return bool(named) and not _JOB_WORD.search(part)


# What follows a person's name, not an outlet's: "Hannah Post contributed reporting".
_PERSON_VERB = r"(?:said|says|contributed|reported|wrote|writes|added|told)\b"


def _may_be_a_person(part: str, elsewhere: str) -> bool:
    """A name shaped like a person's whose surname is an outlet word: "Hannah Post", "Metro Daily".
    An outlet only when the article names it `elsewhere` too ("A report from Metro Daily…"), not
    as a person who speaks or writes ("Hannah Post contributed reporting"); no list of first
    names tells "Metro" from "Hannah"."""
    if part.startswith("The ") or not _is_person(part) or not _SURNAME_OUTLET_WORD.search(part):
        return False
    return not re.search(rf"\b{re.escape(part)}\b(?!\s+{_PERSON_VERB})", elsewhere)


def _is_person(part: str) -> bool:
    return bool(_PERSON.fullmatch(part)) and not _JOB_WORD.search(part)


def _without_job_titles(parts: list[str]) -> str:
    """The names in "Maria Lopez, Herald Staff"; a job title alone ("Staff Reporter") is kept."""
    return ", ".join([part for part in parts if not _JOB_WORD.search(part)] or parts)


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
    """A first line too long for a title (a PDF's first paragraph) cut after a word, marked; a
    comma, semicolon or colon at its end belongs to a line that goes on."""
    if len(first_line) <= _TITLE_CHARS:
        return first_line.rstrip(" ,;:")  # a title ends in no comma
    return first_line[: _TITLE_CHARS + 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


# What python-docx's template and generators, and Word's default account, leave in a document's
# properties: no one's title or name ("Microsoft Office User" names no office either).
_PLACEHOLDERS = frozenset({"python-docx", "word document", "microsoft office user"})


def from_docx(file: IO[bytes]) -> Metadata:
    import docx

    # Creation dates in document properties are when the file was made, not the article's date.
    properties = docx.Document(file).core_properties
    return Metadata(title=_property(properties.title), author=_property(properties.author))


def _property(value: object) -> str:
    text = str(value or "").strip()
    return "" if text.lower() in _PLACEHOLDERS else text


def from_pdf(file: IO[bytes]) -> Metadata:
    """Title and author from the PDF's document information, and as its source the outlet or
    organisation its subject or author names ("European Commission"); never its producer or
    creator, which name the software that wrote it ("PyFPDF", "Microsoft® Word")."""
    import pypdf

    info: Any = pypdf.PdfReader(file).metadata or {}
    title, author, subject = (_property(info.get(key)) for key in ("/Title", "/Author", "/Subject"))
    publishers = [subject] * _heads_a_name(subject) + [author]
    source = next((name for name in publishers if _names_a_publisher(name)), "")
    return Metadata(title=title, author=author, source=source)


def _heads_a_name(subject: str) -> bool:
    """Whether a PDF's subject is a name, not a description holding one: its first part (before
    "of" or "for") ends in an outlet's or an organisation's word ("European Commission",
    "Ministry of Health", "The Millbrook Ledger"), not "Minutes of the Council Meeting" nor
    "Quarterly Update for the Board"."""
    head = re.split(r"\s+(?:of|for)\s+", subject.strip().rstrip("."), maxsplit=1)[0]
    return bool(re.search(rf"(?:{_ORGANISATION_WORD.pattern}|{OUTLET_NAME.pattern})$", head))


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
