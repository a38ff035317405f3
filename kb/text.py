"""Sentence spans and words: the units that answers and summaries cite, as offsets into the text."""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import NamedTuple

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
# The month names of French, German (Austrian "Jänner" too), Spanish, Italian, Portuguese and
# Dutch, a line of them a month, to its number: dates (ingest.metadata), and words that are no
# unit of a figure (kb.summarize).
FOREIGN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "janvier januar jänner enero gennaio janeiro januari",
            "février fevrier februar febrero febbraio fevereiro februari",
            "mars märz maerz marzo março maart",
            "avril april abril aprile",
            "mai mayo maggio maio mei",
            "juin juni junio giugno junho",
            "juillet juli julio luglio julho",
            "août aout august agosto augustus",
            "septembre september septiembre setiembre settembre setembro",
            "octobre oktober octubre ottobre outubro",
            "novembre november noviembre novembro",
            "décembre dezember diciembre dicembre dezembro december",
        ],
        1,
    )
    for name in names.split()
}

# A sentence ends at . ! ? (with any closing quotes/brackets) before a space, or at a line break
# (headings, list items and paragraphs end there too), or at a full-width 。！？ (Chinese and
# Japanese put no space after them).
_BOUNDARY = re.compile(
    r"""(?P<stop>[.!?]["'”’)\]]*)[ \t]+|(?P<stop2>[.!?]["'”’)\]]*)?\s*\n\s*"""
    r"""|(?P<stop3>[。！？]["'”’)\]」』]*+)(?![とっ])\s*"""  # not 「…。」と言った
    # Paragraphs joined with no space: "some 375 sq km.By the late 2000s", "to win."I think"
    r"""|(?<=[a-z]{2})(?P<glued>[.!?]["'”’)\]]*)(?=["“‘]?(?:[A-Z][a-z]|[AI]\s))"""
)
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "vs", "etc", "inc", "ltd", "co",
    "corp", "gov", "sen", "rep", "gen", "lt", "col", "u.s", "e.g", "i.e", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
}  # fmt: skip
# Any script's letters and marks ("Aschenbrödel", "हिंदी" are one word each), not underscores.
_WORD = re.compile(r"[^\W_](?:[^\W_]|['’-]|[\u0300-\u036f\u0900-\u0dff\u0e00-\u0e7f])*")
# "MILLBROOK, March 14 (Regional Wire) — ", "HARLOW - ", "(CNN)": where and from whom, not news.
# A dash after a bare place needs a space on each side: "US-China talks" and "UK—EU" are news.
CAPITALS = "A-ZÀ-ÖØ-Þ"  # for a character class: capitals, accented ones too ("Élodie")
# For a character class: Japanese kana and the CJK ideographs, scripts written with no spaces
# between words (ingest.clean counts each as a word; kb.lexical indexes their pairs).
CJK_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_DATELINE = re.compile(
    rf"^(?:[{CAPITALS}][{CAPITALS}.'’-]+(?:\s+[{CAPITALS}][{CAPITALS}.'’-]+)*"  # the place, in capitals
    r"(?:(?:,\s*[\w.]+(?:\s+[\w.]+){0,3}?)?\s*\([A-Z][^()\n]{0,40}\)\s*[—–-]{1,2}\s*"  # ", 12 March (Reuters) -"
    r"|,\s*[\w.]+(?:,?\s+[\w.]+){0,3}?\s+[—–-]{1,2}\s+"  # ", March 14 — ", ", Oct. 17, 2025 — "
    r"|\s+[—–-]{1,2}\s+)"  # " — "
    r"|\([A-Z][^()\n]{0,40}\)\s*(?:[—–-]{1,2}\s*)?"  # "(CNN) --", "(Reuters)"
    # "Boston (CNN)Guilty…", "New York (Reuters) - …": a place in mixed case, then the outlet
    rf"|[{CAPITALS}][\w.'’-]*(?:\s+[{CAPITALS}][\w.'’-]*){{0,3}},?\s*\([A-Z][^()\n]{{0,40}}\)"
    r"(?:\s*[—–-]{1,2}\s*)?)"
    r"(?=[\"“‘'A-Z])"
)
# "Cost: $1.32 billion", "Saturday, March 21: 18,600 boardings": a fact box's line (label, figure).
FACT_LINE = re.compile(r"[A-Z][\w'’ ,-]{0,40}:\s+.*\d.*")
YEAR = re.compile(r"(?:1[89]|20)\d\d")  # "1987", "2026": a year, not a count
# Verbs that give words as someone's ("said", "insists", "told"): a claim and its speaker, in
# answers (kb.answer) and the digest (kb.digest) alike, each adding verbs of its own.
SAYING = r"says?|said|tells?|told|insist(?:s|ed)?|maintain(?:s|ed)?|believe[sd]?"
# Fewer words than this and a sentence is read with the next in its paragraph, in answers and
# summaries alike: "The week was not trouble-free." says what went wrong only after it.
SHORT_SENTENCE_WORDS = 8
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out
    over own said same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself says say one two new did
    according its it's many much may might must shall week year years""".split()
)


def _ends_with_abbreviation(text: str, following: str) -> bool:
    # A whole word: "m³/s." is none, nor the "s." of "McDonald's."
    match = re.search(r"(?<![\w/'’])([A-Za-z.]+)\.$", text)
    if not match:
        return False
    word = match.group(1).lower()
    if word == "no":  # "No. 10", but "he said no."
        return following.isdigit()
    return word in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", word))  # "B.B."


_DAY_BEFORE_MONTH = re.compile(r"(?:^|\s)\d{1,2}\.$")
# Months also English ("by 10. April was…") only with a year after them.
_GERMAN_MONTH = re.compile(
    r"(?:Januar|Jänner|Februar|März|Mai|Juni|Juli|Oktober|Dezember)\b"
    r"|(?:April|August|September|November)\s+\d{4}\b"
)


def _is_day_before_month(text: str, following: str) -> bool:
    """ "am 13. März 2026": a German date's day ends in a full stop, and no sentence."""
    return bool(_DAY_BEFORE_MONTH.search(text) and _GERMAN_MONTH.match(following))


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, shifted by `offset`, without surrounding blanks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        stop = next(filter(None, boundary.group("stop", "stop2", "stop3", "glued")), "")
        glued = boundary.group("glued")
        if (
            glued
            and glued[1:2] in ('"', "'")
            and _open_quotations(text[start : boundary.start()]) <= 0
        ):
            stop = glued[0]  # `win."I think`: the mark opens the next paragraph's quotation
        end = boundary.start() + len(stop)
        after = end if glued else boundary.end()
        following = text[after : after + 1]
        if (boundary.group("stop") or glued) and (
            following.islower()
            or _ends_with_abbreviation(text[start:end], following)
            or _is_day_before_month(text[start:end], text[after : after + 15])
            or _inside_quotation(text, start, end)
        ):
            continue
        _add_trimmed(text, start, end, spans)
        start = after
    _add_trimmed(text, start, len(text), spans)
    return [(s + offset, e + offset) for s, e in spans]


_MAX_QUOTATION_CHARS = 400
_OPENING_QUOTE = re.compile(r"""(?:^|(?<=[\s(\[—–-]))["“]""")  # at the start of a word
_CLOSING_QUOTE = re.compile(r"""(?<=\S)["”]""")  # after one (an inch mark too: 12")


def _inside_quotation(text: str, start: int, end: int) -> bool:
    """A stop inside a quotation that closes soon after on the same line ("“The recall is
    manageable. The question is what they knew,” said Qureshi."): the quotation is one sentence
    with its attribution, not a half-quote each side. Never past 400 characters in all."""
    rest = text[end : start + _MAX_QUOTATION_CHARS].split("\n", 1)[0]
    closing = _CLOSING_QUOTE.search(rest)
    if _open_quotations(text[start:end]) <= 0 or not closing:
        return False
    # A quotation opened before the next closing mark: the first one was never closed
    return not _OPENING_QUOTE.search(rest, 0, closing.start())


def _open_quotations(sentence: str) -> int:
    return len(_OPENING_QUOTE.findall(sentence)) - len(_CLOSING_QUOTE.findall(sentence))


def _add_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((start + lead, start + lead + len(stripped)))


# "By …" opening a line, before a name ("By . Daily Mail Reporter", "By May Chen" too): not
# "By comparison,", "By 2060,", "By Friday,", "By May 2026", "By Christmas Eve, all 40 families…";
# a sentence of more words than _BYLINE_WORDS is none either.
_BYLINE = re.compile(
    rf"^\W*(?:by|BY|By)\s+(?![a-z\d])"
    rf"(?!(?i:{'|'.join(WEEKDAYS + MONTH_NAMES)})\b(?:\W*$|,|\s+\d))"
    r"(?![^,]{1,40},\s+(?:the|a|an|all|most|many|some|it|its|they|their|he|she|we|officials)\b)"
    r"\S"
)
_BYLINE_WORDS = 12
# The staff credits a wire story ends with: "(Reporting by Rafael Montoya; editing by Claire
# Dunmore)", "Additional reporting by …".
_CREDITS = re.compile(
    r"^\W*(?:(?:additional\s+)?reporting|writing|editing|compiled|produced)\s+by\b", re.I
)
# Another language's "By", before a person's name ("Par Élodie Marchand", "Door Jan de Vries";
# "Von den Einwohnern…" is a sentence), with the languages (CLD2's codes) it is "by" in: for the
# metadata reader too (ingest.metadata). In capitals only when of three letters or more ("PAR").
FOREIGN_BY_LANGUAGES = {
    "par": {"fr"},
    "von": {"de"},
    "por": {"es", "pt"},
    "di": {"it"},
    "door": {"nl"},
    "av": {"sv", "no", "nn"},
    "af": {"da", "no", "nn", "sv"},
}
FOREIGN_BY = "(?:{})".format(
    "|".join(
        f"{word.capitalize()}|{word.upper()}" if len(word) >= 3 else word.capitalize()
        for word in FOREIGN_BY_LANGUAGES
    )
)
PERSON_NAME_START = (
    rf"[{CAPITALS}][\w'’-]*\.?\s+"
    rf"(?:(?:de|van|von|da|di|del|la|le|du|der|den|ten|ter|dos|das|do)\s+)*[{CAPITALS}]"
)
_FOREIGN_BYLINE = re.compile(rf"^\W*{FOREIGN_BY}\s+{PERSON_NAME_START}")
_FOREIGN_BYLINE_WORDS = 4  # "Von Anna Köhler, Karlsruhe.", not "Von Miller Foundation donated $1m."
_BYLINES = (
    (_BYLINE, _BYLINE_WORDS),
    (_CREDITS, _BYLINE_WORDS),
    (_FOREIGN_BYLINE, _FOREIGN_BYLINE_WORDS),
)


# Words that end a publication's name, not a person's: "By Staff Reporter, Coastal Gazette"; not
# "Radio Host", whose last word is a job. How ingest.metadata tells an outlet in a byline, and
# kb.constraints one named in a question ("the Castlebrook Courier").
OUTLET_NAME = re.compile(
    r"\b(?:Gazette|Times|News|Post|Journal|Herald|Tribune|Daily|Weekly|Monthly|Wire|Press|"
    r"Magazine|Ledger|Chronicle|Courier|Observer|Telegraph|Guardian|Review|Bulletin|Examiner|"
    r"Inquirer|Dispatch|Monitor|Reuters|AP|AFP|Bloomberg|Agency|Radio|Television|TV|Newswire|"
    # newspapers' names' last words too ("Orlando Sentinel"); not "Advocate", "Citizen" or
    # "Recorder", a byline's job or description as often
    r"Register|Sentinel|Record|Star|Independent|Mirror|Standard|Globe|Enquirer|Courant|"
    r"Advertiser|Argus|Beacon|"
    # a blog's or a newsletter's: "Priya Raman, semiconductor analyst, Siliconomics blog"; a
    # live blog's ("Harwick Live, updated 28 September 2026")
    r"[Bb]log|Newsletter|Live|"
    # German and Dutch newspapers' names end with it: "Rheinblick Zeitung", "Noord Dagblad"
    r"Zeitung|Rundschau|Anzeiger|Tagblatt|Tageblatt|Kurier|Nachrichten|Dagblad|Nieuwsblad|Krant|"
    # "Harbour News Service"; not "Ferry Service", a service of no outlet
    r"(?:News|Wire|Press) Service)$"
    # Spanish, Portuguese, Italian and French newspapers' names open with it, after their article
    # maybe: "Diario Salud Hoy", "Folha de S.Paulo", "Corriere della Sera", "Le Courrier du Val"
    r"|^(?:(?:Le|La|L['’]|Il|El|O)\s*)?(?:Diario|Diário|Periódico|Gaceta|Gazeta|Gazzetta|"
    r"Giornale|Corriere|Jornal|Folha|Correio|Correo|Heraldo|Noticias|Notícias|Revista|Courrier|"
    r"Dépêche|Quotidien)\b"
)


def is_title_or_byline(sentence: str, title: str) -> bool:
    """The article's own headline line (possibly run together with a masthead and byline, as in
    PDF text), a "By ..." line or another line of its header ("HealthWatch Live · Updated 12
    March 2026, 16:40 GMT · Live blog by …", `is_header_line`): not content to quote or
    summarise."""
    line = sentence.strip("# ").strip()
    title = title.strip()
    if title and (line == title or (len(line) >= 12 and line in title)):
        return True
    if is_header_line(line):
        return True
    # A byline is no sentence, or a short one ("By Ana Ruiz."): a long one is the story's
    if any(
        pattern.match(line) and (not ends_a_sentence(line) or len(line.split()) <= most_words)
        for pattern, most_words in _BYLINES
    ):
        return True
    if not (title and len(title) >= 20 and title in line and len(line) < len(title) + 120):
        return False
    # "Sergio Tolento Hernández (born 1959) is a Mexican politician." is a sentence about the
    # title; "Voltaic recalls VX-40 packs Circuit Business Daily By …" is the headline line.
    after = line[line.index(title) + len(title) :].lstrip(" ;:|—–-")
    return not ends_a_sentence(line) or not any(map(str.isalnum, after)) or after[0].isupper()


# The dates, bylines and header lines of an article's opening: how ingest.metadata reads its
# author, date and source, and how answers and summaries tell its header from its text.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_OTHER_MONTH = "|".join(sorted(FOREIGN_MONTHS, key=len, reverse=True))
# ISO, month first ("March 14, 2026") or day first ("11 February 2026", "14 mars 2026", "13. März
# 2026", "15 de marzo de 2026", "1er avril 2026"), day first with dots ("22.03.2026"), with slashes
# when only one order makes a date ("22/03/2026", "03/22/2026"), or Chinese, Japanese and Korean
# ("2026年3月14日"); a bare year ("© 2019") is no article's date.
_DATE = re.compile(
    r"(?<!\d)(?P<iso>\d{4}-\d{2}-\d{2})(?!\d)"
    rf"|\b(?P<month>{_MONTH})\.? (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})\b"
    rf"|\b(?P<day_first>\d{{1,2}}) (?P<month_second>{_MONTH})\.?,? (?P<year_last>\d{{4}})\b"
    rf"|(?<![\d.])(?P<named_day>\d{{1,2}})(?:\.|er|º)?\s+(?:de\s+)?"
    rf"(?P<named_month>(?i:{_OTHER_MONTH}))\.?,?\s+(?:de\s+|del\s+)?(?P<named_year>\d{{4}})\b"
    r"|(?<![\d.])(?P<dotted>\d{1,2}\.\d{1,2}\.\d{4})(?![\d]|\.\d)"
    r"|(?<![\d/])(?P<slashed>\d{1,2}/\d{1,2}/\d{4})(?![\d/])"
    r"|(?<!\d)(?P<cjk>\d{4})\s*[年년]\s*(?P<cjk_month>\d{1,2})\s*[月월]\s*(?P<cjk_day>\d{1,2})\s*[日일]"
)
# What sets a byline's pieces apart: "By A | Outlet", "By A · Outlet", "By A — Outlet", and a hyphen
# or en dash between spaces ("By A - Outlet - 2026-01-05"); not the hyphen of "Jean-Luc".
LINE_SEPARATOR = r"[|·•—]|(?<=\s)[-–](?=\s)"
# "By" in French, German, Spanish and Portuguese, Italian, Dutch and the Nordic languages; only a
# person's name after it makes a byline: "Von den Einwohnern…", "Por la mañana…" are sentences.
_BYLINE_LINE = re.compile(
    rf"^\s*(?:(?:(?:Posted|Written|Reported|Words)\s+)?(?:By|BY|by)\s+"
    rf"|(?P<foreign>{FOREIGN_BY})\s+(?={PERSON_NAME_START}))"
    rf"(?P<author>(?:(?!{LINE_SEPARATOR})[^\n])+?)\s*(?:$|(?:{LINE_SEPARATOR})\s*(?P<rest>.*)$)"
)
# A byline inside a longer paragraph (PDF text often runs masthead, title and byline together);
# only the English "By": "Leonardo Di Caprio Wins Oscar", "Von Braun Center" hold no byline.
_BYLINE_INLINE = re.compile(
    rf"\bBy\s+(?P<author>[{CAPITALS}][\w.'’-]+(?:\s+[{CAPITALS}][\w.'’-]+){{0,3}})\s*(?:{LINE_SEPARATOR})"
    r"\s*(?P<rest>[^\n]*)"
)
# The name of a byline run into other text: two capitalised words or more, as a person's ("By
# Maria Okafor - Valley Gazette"); a title's "By Me - …", "By Data – …", "By The Bell - …" names no one.
_INLINE_AUTHOR = re.compile(rf"(?!The\s)[{CAPITALS}]\S+(?:\s+[{CAPITALS}]\S+)+")
LINE_PIECES = re.compile(LINE_SEPARATOR)
# Chinese and Japanese run a sentence's words together: a space sets a line's pieces apart
# ("2026年3月14日 共同通信 パリ支局").
_CJK_PIECE_SEPARATOR = re.compile(rf"{LINE_SEPARATOR}|\s")


@lru_cache(maxsize=65536)
def word_kinds(word: str) -> frozenset[str]:
    """The parts of speech English has `word` as ("NOUN", "VERB", "ADJ", "ADV"...), from the
    lexicon lemminflect ships; empty for a word it does not know: a name, a coinage, a typo.
    Imported here: lemminflect imports spaCy, whose thinc imports torch (6 s) unless
    ingest.loaders has stopped it, and reading a file imports this module first."""
    import lemminflect

    return frozenset(lemminflect.getAllLemmas(word.lower()))


def iso_day(text: str) -> date | None:
    """The day a stored date is of ("2026-03-14T09:00:00"); None when it has none ("2026-04", a
    typo, undated)."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def byline_match(line: str, first: bool, language: str = "") -> re.Match[str] | None:
    """A byline: "By" and a name, capitalised and no date; not a story sentence that starts with
    "By" ("By November 5, 2000, the club had…", "By the end of the season, …"). The first line
    is the title: only a byline run into it counts (a PDF's masthead, title and byline). Another
    language's "By" counts only in an article whose `language` is unknown or that language:
    "Von Braun Center | Huntsville" in an English article names a place."""
    own_line = None if first or running_sentence(line) else _BYLINE_LINE.match(line)
    byline = own_line or _BYLINE_INLINE.search(line) or (None if first else _dated_byline(line))
    if byline is None:
        return None
    author = byline.group("author")
    dated = find_date(author)
    if not author[:1].isupper() or (dated and dated[1] == 0) or not before_date(author):
        return None  # "By Friday | Coastal Gazette": a day, no one's name
    if own_line is None and not _INLINE_AUTHOR.fullmatch(author):
        return None  # "Stand By Me - The Musical Returns", "Driven By Data – How Cities Plan"
    foreign = byline.groupdict().get("foreign")
    if not foreign:
        return byline
    in_its_language = not language or language in FOREIGN_BY_LANGUAGES[foreign.lower()]
    return byline if in_its_language and _dated_or_sourced(line, byline["rest"]) else None


# A date line that ends with its byline: "Posted October 22, 2025 by Jonah Preston", "March 3,
# 2026 — By Ana Ruiz"; the date line before "by" is the byline's `rest`.
_DATED_BYLINE = re.compile(
    rf"^(?P<rest>.*?\d.*?)\s*(?:{LINE_SEPARATOR})?\s*\b(?:By|BY|by)\s+"
    rf"(?P<author>[{CAPITALS}](?:(?!{LINE_SEPARATOR})[^\n])*?)\s*$"
)


def _dated_byline(line: str) -> re.Match[str] | None:
    """A byline after the date it was posted on; not a sentence that gives a date and someone
    ("The bill was signed March 3, 2026 by Governor Ruiz.": "signed" is no date line's word)."""
    if len(line) > HEADER_LINE_CHARS or running_sentence(line):
        return None
    byline = _DATED_BYLINE.match(line)
    return byline if byline and dateline_date(byline["rest"]) else None


def _dated_or_sourced(line: str, rest: str | None) -> bool:
    """Another language's "By" starts a byline only on a line that also gives a date or, after a
    separator, an outlet: "Par Élodie Marchand | Le Courrier d'Alsace", not "Par Five Holes"."""
    pieces = LINE_PIECES.split(rest or "")
    return bool(find_date(line)) or any(map(before_date, pieces))


def running_sentence(line: str) -> bool:
    """A line, or a piece of it between separators, that reads as a sentence of the story."""
    for piece in LINE_PIECES.split(line):
        words = len(piece.split())
        if words > 16 or (words >= 5 and re.search(r"[.!?][\s*_\"'”’)]*$", piece)):
            return True
    return False


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
        dates = {date(*reading) for reading in _readings(match) if _valid(*reading)}
        if len(dates) == 1:  # "03/04/2026" is March 4 or April 3: no date beats a wrong one
            return dates.pop().isoformat(), match
    return None


def _readings(match: re.Match[str]) -> list[tuple[int, int, int]]:
    """(year, month, day) of each way to read a matched date: two for "22/03/2026"."""
    if match["iso"]:
        year, month, day = map(int, match["iso"].split("-"))
        return [(year, month, day)]
    if match["named_month"]:
        month = FOREIGN_MONTHS[match["named_month"].lower()]
        return [(int(match["named_year"]), month, int(match["named_day"]))]
    if match["dotted"] or match["slashed"]:
        first, second, year = map(int, re.split(r"[./]", match["dotted"] or match["slashed"]))
        return [(year, second, first), (year, first, second)]
    if match["cjk"]:
        return [(int(match["cjk"]), int(match["cjk_month"]), int(match["cjk_day"]))]
    name = (match["month"] or match["month_second"]).lower()
    # "Feb", "Sept" and "February" name their month; "Mayor" names none (month 0)
    month = next((n for n, full in enumerate(MONTH_NAMES, 1) if full.startswith(name)), 0)
    day = int(match["day"] or match["day_first"])
    return [(int(match["year"] or match["year_last"]), month, day)]


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def before_date(piece: str) -> str:
    """What a piece of a byline says before its date, without the words that only introduce the
    date: "Le Courrier d'Alsace" of "Le Courrier d'Alsace, 14 mars 2026", "Lucas Ferrière" of
    "Lucas Ferrière, publié le 21 mars 2026", nothing of "Updated Monday, March 3, 2026"."""
    dated = find_date(piece)
    parts = [part.strip() for part in (piece[: dated[1]] if dated else piece).split(",")]
    while parts and set(re.findall(r"[^\W\d_]+", parts[-1].lower())) <= _DATE_LINE_WORDS:
        parts.pop()
    return ", ".join(parts)


# Words that stamp a date as the article's publication's: "Harwick Live, updated 28 September
# 2026", "Publication date: March 3, 2026", and in French, German, Spanish, Italian, Portuguese
# and Dutch ("Publié le 14 mars 2026", "Veröffentlicht am Freitag, 13. März 2026").
_PUBLICATION_WORDS = frozenset(
    "published updated posted filed created originally publication dated modified "
    "publié publiée mis jour veröffentlicht aktualisiert publicado actualizado pubblicato "
    "aggiornato atualizado gepubliceerd bijgewerkt".split()
)
# Words that may stand beside the date in its piece of a line giving the article's date:
# "Published: Monday, March 3, 2026 10:30 GMT", "Publication date: March 3, 2026".
_DATE_LINE_WORDS = _PUBLICATION_WORDS.union(
    "date first last on at gmt utc bst cet et est edt pt pst pdt "
    "mon tue tues wed thu thur thurs fri sat sun "
    "à le lundi mardi mercredi jeudi vendredi samedi dimanche "
    "am um uhr montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "el lunes martes miércoles jueves viernes sábado domingo "
    "il alle lunedì martedì mercoledì giovedì venerdì sabato domenica "
    "em segunda terça quarta quinta sexta feira "
    "op maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split(),
    WEEKDAYS,
)
# "10:30", "7:45 p.m.", "7 pm"
_CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2}(?:\s*[ap]\.?m\b\.?)?|\s*[ap]\.?m\b\.?)", re.I)
# A news dateline: the place in capitals, the date, the agency maybe, a dash
# ("LONDON, March 3, 2026 (Reuters) -", "BILLINGS, Mont., May 2, 2017 —").
_DATELINE_PLACE = re.compile(
    r"[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)*)?,? ?"
)
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?[-–—]")


def dateline_date(line: str) -> str:
    """The date of a line that gives the article's date: a byline, a dateline, or a short line
    one of whose pieces ("Dana Whitfield | Coastal Gazette | March 3, 2026", "Published March 4,
    2026 · 5 min read") is the date. A date in a running sentence ("no victory since November
    5, 2000") or a photo caption is a date the story mentions: no date beats a wrong one."""
    found = _date_match(line)
    if found is None:
        return ""
    day, match = found
    before, after = line[: match.start()], line[match.end() :]
    if byline_match(line, first=False):
        return day
    if _DATELINE_PLACE.fullmatch(before) and _DATELINE_AFTER.match(after):
        return day
    return day if _dated_piece(line, match) else ""


def is_header_line(line: str) -> bool:
    """A line of a document's header, not of its text: a byline, or a line of names, labels and
    the article's date (`read_header_line`). Not quoted nor summarised (`is_title_or_byline`),
    never joined to the lines around it in a PDF's opening (ingest.loaders)."""
    if len(line) > HEADER_LINE_CHARS:
        return False
    return bool(byline_match(line, first=False) or read_header_line(line))


# A header line is short: "HealthWatch Live · Updated 12 March 2026, 16:40 GMT · Live blog by
# Grace Holloway and Omar Siddiqui" is 100 characters. A longer line is text, and reading it as
# one would take the byline and date patterns time growing with its length squared (a 5,000-
# character table row took 3.4 s).
HEADER_LINE_CHARS = 300


class HeaderLine(NamedTuple):
    """What a header line names: its writers (after a "by", or before a credit line's
    affiliation) and the other names in it, in order (outlets, organisations, people)."""

    writers: str
    names: list[str]


# Words of the labels a header line gives an article's kind by ("Opinion", "Live blog", "Press
# release", "Analysis") and of the credits before a "by" ("Words by", "Photos by").
_LABEL_WORDS = frozenset(
    "opinion analysis comment commentary column editorial explainer feature interview review "
    "obituary letters letter live blog press release news briefing report update updates "
    "breaking exclusive special sponsored words text photos photographs pictures video "
    "reporting written posted compiled edited produced".split()
)
_READING_TIME = re.compile(r"\d+\s*(?:min|mins|minutes?)(?:\s+read)?", re.I)
# Small words an organisation's or a person's name holds uncapitalised: "Bank of England",
# "Directorate-General for Competition", "Diario del Ebro", "Jan van der Berg".
NAME_JOINERS = frozenset("of and & the for de du des la le del di da y e von van der den".split())
# Organisations' names run to eight words ("U.S. Department of Health and Human Services").
_NAME_WORDS = 8
_HONORIFIC = r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame|Rev)\.?"
# A person's name, two to four words: "Grace Holloway", "Dr Samuel Adeyemi", "Jan de Vries".
_PERSON_NAME = (
    rf"(?!(?i:by)\s)(?:{_HONORIFIC}\s+)?"
    rf"{PERSON_NAME_START}[\w'’-]*(?:\s+[{CAPITALS}][\w'’-]*){{0,2}}"
)
_PEOPLE = rf"{_PERSON_NAME}(?:(?:,\s+|\s+(?:and|&)\s+){_PERSON_NAME})*"
# "Live blog by Grace Holloway and Omar Siddiqui", "by Ana Ruiz": a piece of a line crediting
# its writers.
_CREDIT = re.compile(rf"(?P<label>(?:[\w-]+\s+){{0,2}}?)(?i:by)\s+(?P<writers>{_PEOPLE})")
# "Dr Hannah Brooks and Dr Samuel Adeyemi, Centre for Evidence Appraisal": a report's writers
# and, after them, whom they write for.
_CREDIT_LINE = re.compile(rf"(?P<writers>{_PEOPLE}),\s+(?P<affiliation>[^,]+)")


def read_header_line(line: str) -> HeaderLine | None:
    """A line of an article's header that no "By" opens: pieces apart by separators, each the
    article's date ("Updated 12 March 2026, 16:40 GMT"), a label ("Opinion", "Live blog"), a
    credit ("Live blog by Grace Holloway and Omar Siddiqui") or a name ("The Evening Ledger"),
    one of them a date or a credit ("Opinion | Martin Kell | The Evening Ledger | 11 March
    2026"); or a credit line ("Dr Hannah Brooks and Dr Samuel Adeyemi, Centre for Evidence
    Appraisal"). None for a line of text: a dateline opening a sentence ("LONDON, March 3,
    2026 — The council …"), or a live blog's entry, whose news is no name ("12 March 2026,
    16:40 GMT — Helix Thera sets filing date")."""
    line = line.strip()
    if not line or len(line) > HEADER_LINE_CHARS or running_sentence(line):
        return None
    credit_line = _CREDIT_LINE.fullmatch(line)
    # "Harwick Gazette, 4 October 2026": a name and the date, read below, no writer's credit
    if credit_line and _is_name(credit_line["affiliation"]) and not find_date(line):
        return HeaderLine(credit_line["writers"], [credit_line["affiliation"]])
    found = _date_match(line)
    separator = _CJK_PIECE_SEPARATOR if found and found[1]["cjk"] else LINE_PIECES
    writers, names, dated = "", [], False
    for piece in filter(None, map(str.strip, separator.split(line))):
        credit = _CREDIT.fullmatch(piece)
        named, after_names = _names_before_date(piece)
        if _date_piece(after_names):
            dated = True
            names += named
        elif credit and not writers and labels_a_kind(credit["label"]):
            writers = credit["writers"]
        elif _is_name(piece):
            names.append(piece)
        elif not labels_a_kind(piece):
            return None
    return HeaderLine(writers, names) if dated or writers else None


def labels_a_kind(piece: str) -> bool:
    """Words that label an article's kind ("Opinion", "Press release", "5 min read"), or none."""
    words = {word.lower() for word in _WORD.findall(piece)}
    return words <= _LABEL_WORDS or bool(_READING_TIME.fullmatch(piece))


def _is_name(piece: str) -> bool:
    """A name of up to eight words, each capitalised or a small word of a name ("Faculty of
    Medicine", "HealthWatch Live", "Lucía Moreno"); a label is none ("Opinion", "Live")."""
    words = piece.split()
    return (
        0 < len(words) <= _NAME_WORDS
        and not words[0][:1].islower()
        and all(not word[:1].islower() or word in NAME_JOINERS for word in words)
        and any(char.isalpha() for char in piece)
        and not labels_a_kind(piece)
    )


def _date_piece(piece: str) -> bool:
    """A piece of a line that is a date with only the words that introduce it."""
    found = _date_match(piece)
    if found is None:
        return False
    match = found[1]
    return _introduces_a_date(piece[: match.start()] + " " + piece[match.end() :])


def _dated_piece(line: str, match: re.Match[str]) -> bool:
    """Whether the piece of a line the date `match` is in holds the date alone, or with words
    that introduce it ("Published", a weekday, a time); not in a running sentence."""
    if running_sentence(line):
        return False
    before, after = line[: match.start()], line[match.end() :]
    separator = _CJK_PIECE_SEPARATOR if match["cjk"] else LINE_PIECES
    piece = separator.split(before)[-1] + match[0] + separator.split(after)[0]
    _, after_names = _names_before_date(piece)  # "Harwick Gazette, 4 October 2026"
    return _introduces_a_date(after_names.replace(match[0], " ", 1))


def _names_before_date(piece: str) -> tuple[list[str], str]:
    """The names commas set before the rest of a header line's piece, and that rest: "Harwick
    Gazette, 4 October 2026", "Harwick Live, updated 28 September 2026", a place's "Lindenau, 5.
    Oktober 2026", with labels of the article's kind among them ("Press release, Harwick
    Transport Workers Union (HTWU), 1 September 2026"); none ([], `piece`) when what is before
    the first comma is no name or label: words that introduce the date ("Updated Monday, March 3,
    2026") or a sentence's ("Officials said, March 3, 2026"), or when the names head an event's
    line (`_head_a_header`)."""
    found = _date_match(piece)
    if found is None:
        return [], piece
    parts = piece[: found[1].start()].split(",")[:-1]  # the last is no name's
    named = list(itertools.takewhile(_names_or_labels, parts))
    rest = piece[len(",".join(named)) + 1 :]
    if not named or not _head_a_header(named, rest, found[1]):
        return [], piece
    return [part.strip() for part in named if _is_name(part.strip())], rest


def _head_a_header(named: list[str], rest: str, date: re.Match[str]) -> bool:
    """Whether the names and labels a comma sets before a date make a header line, not an
    event's line ("Harwick Council Meeting, 4 October 2026, 7pm", "Kickoff, 4 October 2026",
    "Final Score, Harwick United 2, Brent 1, 4 October 2026"): a label of the article's kind
    ("Press release, …"), an outlet ("Harwick Gazette, …"), a place in a dateline's shape (in
    capitals, "HARWICK, …", or alone before another language's date, "Lindenau, 5. Oktober
    2026", where datelines are written so), or a date stamped as the publication's ("…, updated
    28 September 2026")."""
    names = [part.strip() for part in named if _is_name(part.strip())]
    stamp = set(re.findall(r"[^\W\d_]+", rest.lower())) & _PUBLICATION_WORDS
    return (
        len(names) < len(named)  # the others are labels
        or any(OUTLET_NAME.search(name) for name in names)
        or bool(_DATELINE_PLACE.fullmatch(",".join(named).strip()))
        or (len(named) == 1 and bool(date["named_month"]))
        or bool(stamp)
    )


def _names_or_labels(part: str) -> bool:
    """A part of a header line that is a name ("Harwick Gazette") or a label ("Press release"),
    not words that only introduce the date ("Updated Monday")."""
    return (_is_name(part.strip()) or labels_a_kind(part)) and not _introduces_a_date(part)


def _introduces_a_date(beside: str) -> bool:
    """The words beside a date in its piece only introduce it: "Published", a weekday, a time."""
    beside = _CLOCK_TIME.sub(" ", beside).lower()
    if re.search(r"\d", beside):
        return False
    return set(re.findall(r"[^\W\d_]+", beside)) <= _DATE_LINE_WORDS


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning (no stopwords, but those ending a name: the "May"
    of "Theresa May"; no single letters)."""
    words = list(_WORD.finditer(text))
    return [
        w for i, w in enumerate(_without_possessive(m.group().lower()) for m in words)
        if len(w) > 1 and (w not in STOPWORDS or _ends_a_name(text, words, i))
    ]  # fmt: skip


def _ends_a_name(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether the stopword `words[i]` ends a name: capitalised, right after a capitalised word
    that is no stopword, and not before another capitalised word ("Theresa May said", "Edward
    Said"; not "in May", nor a headline's "Million Over VX-40 Recall")."""
    if i == 0 or not _capitalised(words[i].group()):
        return False
    before, word = words[i - 1], words[i]
    after = words[i + 1] if i + 1 < len(words) else None
    in_title_case = after is not None and _next_to(text, word, after) and after.group()[0].isupper()
    return (
        _next_to(text, before, word)
        and _capitalised(before.group())
        and before.group().lower() not in STOPWORDS
        and not in_title_case
    )


def _next_to(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    return text[first.end() : second.start()] == " "


def _capitalised(word: str) -> bool:
    """ "May", not "may" nor "MAY" (a headline or an acronym in capitals)."""
    return word[0].isupper() and not word.isupper()


def _without_possessive(word: str) -> str:
    """ "Gisvi's" is the word "gisvi": a question's possessive must match the article's name."""
    word = word.replace("’", "'").strip("'")
    return word[:-2] if word.endswith("'s") else word


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without accents: "Aschenbrödel" is matched by "Aschenbrodel". Cached: the
    link graph and the BM25 index fold every word of the corpus, and words repeat."""
    return text.lower() if text.isascii() else without_accents(text.lower())


def without_accents(text: str) -> str:
    """ "Élodie Weiß" as "Elodie Weiss": how a name is typed on a keyboard without them."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    # Only the Latin, Greek and Cyrillic accents: a kana's voicing mark tells パン from ハン.
    kept = "".join(char for char in decomposed if not "\u0300" <= char <= "\u036f")
    return unicodedata.normalize("NFC", kept)


# A count written in words, each at its value less two: "three" is 3. ("one" is left out: "one
# of the", "no one".)
NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()


def number_in_words(word: str) -> int:
    """The count a word of NUMBER_WORDS writes: "Three" is 3."""
    return NUMBER_WORDS.index(word.lower()) + 2


# "555-0142", "1-800-555-0199", "(212) 555-0142": a telephone number, no figure of anything.
PHONE_NUMBER = re.compile(r"(?:\(\d{3}\)\s*|\b\d{1,2}-)?\b(?:\d{3}-){1,2}\d{4}\b")


_DOUBLED = re.compile(r"([bcdfghjkmnprtvwx])\1$")  # not "ll", "ss", "zz": "called", "passed"


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Enough stemming to match "approved" with "approve", "reserves" with "reserve",
    "studied" with "study" and "injured" or "recovered" with "injuries" or "recovery". A
    "y" after any other consonant stays: "county" is no count, "story" no store."""
    for suffix in ("ies", "ied", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            # "cutting" is "cut", "planned" "plan": a consonant doubled before the ending
            if suffix in ("ing", "ed") and _DOUBLED.search(word) and len(word) >= 4:
                word = word[:-1]
            break
    # "injury" is "injur" as "injured" is, and "recovery" (or "delivery", "discovery") "recover";
    # other words in "-ery" keep the "y": "every" is no "ever", "battery" no "batter".
    if (word.endswith("ury") and len(word) > 4) or (
        word.endswith("very") and len(word) > len("every")
    ):
        return word[:-1]
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def stems(text: str) -> set[str]:
    """The stems of the content words: "covers" and "cover" are one word to a question."""
    return {_stem(fold(word)) for word in content_words(text)}


# "…, and what/who/when…" or a second sentence after "?" or ";" starts another question.
_SECOND_QUESTION = re.compile(
    r",?\s+(?:and|but)\s+(?=(?:what|who|whom|whose|when|where|why|how|which)\b)|[?;]\s+(?=\w)",
    re.IGNORECASE,
)
_PART_WORDS = 2  # content words a part needs to be searched on its own


def question_parts(question: str) -> list[str]:
    """The questions a compound question asks, in order ("What did X cover and what did Y
    say?" asks two); just the question when it asks one thing, or when a part would not stand
    alone ("…, and when was it released?")."""
    parts = [part.strip(" ,") for part in _SECOND_QUESTION.split(question) if part.strip(" ,")]
    if len(parts) < 2 or any(len(content_words(part)) < _PART_WORDS for part in parts):
        return [question]
    return parts


def ends_a_sentence(text: str) -> bool:
    """Whether `text` ends as a sentence does, a closing quote or bracket after its stop."""
    return text.rstrip("\"'”’)").endswith((".", "!", "?"))


def dateline_length(sentence: str) -> int:
    """How much of `sentence` a leading dateline takes ("MILLBROOK, March 14 (Regional Wire) — "):
    quoted or summarised, the news starts after it."""
    dateline = _DATELINE.match(sentence)
    return dateline.end() if dateline else 0


def plural(count: int, noun: str) -> str:
    """ "1 chunk", "3 chunks": what the CLI, the app and progress lines write."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def in_quotation_marks(quote: str) -> str:
    """The quote in quotation marks, unless it opens with one itself (not "““For seventy…”")."""
    return quote if quote[:1] in "“\"‘'" else f"“{quote}”"


# bm25s ships stopword lists for these languages (ISO 639-1 codes, as Article.language).
_STOPWORD_LISTS = {
    "da": "STOPWORDS_DANISH", "de": "STOPWORDS_GERMAN", "es": "STOPWORDS_SPANISH",
    "fr": "STOPWORDS_FRENCH", "it": "STOPWORDS_ITALIAN", "nb": "STOPWORDS_NORWEGIAN",
    "nl": "STOPWORDS_DUTCH", "no": "STOPWORDS_NORWEGIAN", "pt": "STOPWORDS_PORTUGUESE",
    "ru": "STOPWORDS_RUSSIAN", "sv": "STOPWORDS_SWEDISH", "tr": "STOPWORDS_TURKISH",
}  # fmt: skip


@lru_cache(maxsize=32)
def function_words(language: str) -> frozenset[str]:
    """Another language's function words ("de", "la", "und"), lower case, by its ISO 639-1
    code; none for English (see STOPWORDS) or a language without a list."""
    import bm25s.stopwords  # a dependency already: its BM25 is kb.lexical's

    return frozenset(getattr(bm25s.stopwords, _STOPWORD_LISTS.get(language[:2].lower(), ""), ()))


def language_by_function_words(text: str) -> str:
    """The language (ISO 639-1) whose function words `text` uses most, English unless another
    has two more: a question is too short for a language detector, but "Et combien
    coûterait-il ?" is French by "et" and "il", while "war in Ukraine" stays English though
    "war" and "in" are German words too."""
    words = [part for word in _WORD.findall(text.lower()) for part in word.split("-")]
    counts = {
        language: sum(word in function_words(language) for word in words)
        for language in _STOPWORD_LISTS
    }
    english = sum(word in STOPWORDS for word in words)
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= english + 2 else "en"


def topic_words(text: str, written_in: str = "") -> list[str]:
    """`text`'s content words without the function words of the language it (or the text
    `written_in`, when given) is written in: "crue" and "lauter" of "crue de la Lauter"."""
    language = language_by_function_words(written_in or text)
    return [word for word in content_words(text) if word not in function_words(language)]


_CELL_BREAK = " | "  # between a table's cells, as ingestion writes a row (ingest.html.table_rows)


def table_cells(line: str) -> int:
    """How many cells `line` holds as a table's row; 0 for a line of prose."""
    return line.count(_CELL_BREAK) + 1 if _CELL_BREAK in line else 0


class TableStart(NamedTuple):
    """Where a table starts in a text: its first row (`header` to `header_end`), and the line
    before it that introduces it (`introduced`; the header's own start at the article's)."""

    introduced: int
    header: int
    header_end: int


def table_start(text: str, at: int, opens_article: bool) -> TableStart | None:
    """The start of the table whose row is the line at offset `at` of `text`: the first of the
    rows of as many cells before it, when `text` shows a line before them that is no such row
    (a caption, a paragraph), or is the article's opening (`opens_article`). None when the line
    at `at` is no row, or `text` starts inside its table. Rows are lines, blank lines between
    them or not."""
    lines = _non_blank_lines(text)
    at_line = next((i for i, (start, end) in enumerate(lines) if start <= at < end), None)
    if at_line is None or not (cells := table_cells(text[slice(*lines[at_line])])):
        return None
    first = at_line
    while first and table_cells(text[slice(*lines[first - 1])]) == cells:
        first -= 1
    if first:
        return TableStart(lines[first - 1][0], *lines[first])
    return TableStart(lines[0][0], *lines[0]) if opens_article else None


def _non_blank_lines(text: str) -> list[tuple[int, int]]:
    """Where each line that is not blank starts and ends (a pattern for it took time growing
    with the square of a blank line's length: 20,000 spaces, 6 s)."""
    lines, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((start, start + len(line)))
        start += len(line) + 1
    return lines
