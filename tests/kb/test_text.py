"""Sentence spans (the unit answers and summaries cite) and content words."""

from __future__ import annotations

import itertools

import pytest
from kb_helpers import run_python

from kb.text import (
    OUTLET_NAME,
    PHONE_NUMBER,
    content_words,
    dateline_date,
    dateline_length,
    fold,
    in_quotation_marks,
    is_header_line,
    is_title_or_byline,
    iso_day,
    language_by_function_words,
    plural,
    read_header_line,
    sentence_spans,
    stems,
    table_start,
    word_kinds,
)


def sentences(text: str, offset: int = 0) -> list[str]:
    spans = sentence_spans(text, offset)
    for start, end in spans:
        piece = text[start - offset : end - offset]
        assert piece and piece == piece.strip(), (start, end)
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)
    assert all(e1 <= s2 for (_, e1), (s2, _) in itertools.pairwise(spans))
    return [text[start - offset : end - offset] for start, end in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in the U.S. capital. They talked.",
            ["Mr. Smith met Dr. Jones in the U.S. capital.", "They talked."],
        ),
        (
            "Mrs. Reyes and Prof. Natarajan spoke at St. Brendan's Church. It rained.",
            ["Mrs. Reyes and Prof. Natarajan spoke at St. Brendan's Church.", "It rained."],
        ),
        (
            "Gov. Calloway signed it on Mar. 27, e.g. before the vote. Then she left.",
            ["Gov. Calloway signed it on Mar. 27, e.g. before the vote.", "Then she left."],
        ),
        ("J. R. Tolkien wrote books. He died.", ["J. R. Tolkien wrote books.", "He died."]),
        (
            "The river rose 112.5 cm to 6.8 metres. The old record was 6.4 m.",
            ["The river rose 112.5 cm to 6.8 metres.", "The old record was 6.4 m."],
        ),
        ("It cost $2.50. Next came 3.14159.", ["It cost $2.50.", "Next came 3.14159."]),
        (
            '"We always expected a drop." Salas said so. "Ask me in June," he said.',
            ['"We always expected a drop."', "Salas said so.", '"Ask me in June," he said.'],
        ),
        (
            "“It wasn’t rising, it was arriving.” Reyes, 68, watched it come.",
            ["“It wasn’t rising, it was arriving.”", "Reyes, 68, watched it come."],
        ),
        (
            "“The recall is manageable. The question is what they knew,” said Qureshi. Next.",
            ["“The recall is manageable. The question is what they knew,” said Qureshi.", "Next."],
        ),
        (
            'He said "Go. Now." Then left. "Unclosed. Quote\nNew line. Here.',
            ['He said "Go. Now."', "Then left.", '"Unclosed.', "Quote", "New line.", "Here."],
        ),
        (  # an inch mark opens no quotation
            'The 12" pipe burst. Officials said it was old. Crews said "it will be fixed."',
            ['The 12" pipe burst.', "Officials said it was old.", 'Crews said "it will be fixed."'],
        ),
        (  # a curly quotation closed by a straight mark
            '“It is done. We won," she said. Next one.',
            ['“It is done. We won," she said.', "Next one."],
        ),
        ("Prices rose (again.) Then fell!", ["Prices rose (again.)", "Then fell!"]),
        ("Wait... What? Really!", ["Wait...", "What?", "Really!"]),
        (
            "# Why the levee failed\n\n- seepage at the base\n- voids near the culvert\nPlain line",
            [
                "# Why the levee failed",
                "- seepage at the base",
                "- voids near the culvert",
                "Plain line",
            ],
        ),
        (
            "Heading without a stop\n\nA paragraph. Another one.",
            ["Heading without a stop", "A paragraph.", "Another one."],
        ),
        ("Line one\r\nLine two", ["Line one", "Line two"]),
        (  # the "s" of a possessive, the "t" of "haven't" are no initials
            "He worked at McDonald's. I haven’t. I understand.",
            ["He worked at McDonald's.", "I haven’t.", "I understand."],
        ),
        (  # paragraphs joined with no space, the quotation mark opening or closing one
            'Some 375 sq km.By 2000 it grew to win."I think so," he said. It was "over."He left.',
            [
                "Some 375 sq km.",
                "By 2000 it grew to win.",
                '"I think so," he said.',
                'It was "over."',
                "He left.",
            ],
        ),
        ("See e.g.The end. Mr.Smith left.", ["See e.g.The end.", "Mr.Smith left."]),
        (  # a quotation never closed ends at the stop before the next one opens
            'His slogan was "Green Christmas, a holiday. In 1958, he made "More Honesty" a hit.',
            [
                'His slogan was "Green Christmas, a holiday.',
                'In 1958, he made "More Honesty" a hit.',
            ],
        ),
        ("   padded sentence.   \n\n  ", ["padded sentence."]),
        ("No stop at the end", ["No stop at the end"]),
        ("", []),
        (" \n\n\t ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_offsets_are_shifted_and_exact() -> None:
    article = "Title\n\nBy A. Writer | Wire | 2026-01-02\n\nFirst sentence. Second one, 1.5 m high."
    chunk_start = article.index("First")
    chunk = article[chunk_start:]
    spans = sentence_spans(chunk, offset=chunk_start)
    assert [article[s:e] for s, e in spans] == ["First sentence.", "Second one, 1.5 m high."]
    assert [chunk[s - chunk_start : e - chunk_start] for s, e in spans] == [
        article[s:e] for s, e in spans
    ]


def test_spans_cover_every_word_of_sample_articles(sample_texts: dict[str, str]) -> None:
    for text in sample_texts.values():
        spans = sentence_spans(text)
        assert len(spans) > 10
        covered = bytearray(len(text))
        for start, end in spans:
            covered[start:end] = b"\x01" * (end - start)
        assert all(covered[i] or char.isspace() for i, char in enumerate(text))
        assert all("\n" not in text[s:e] for s, e in spans)


def test_quoted_question_followed_by_lowercase_is_one_sentence() -> None:
    assert sentences('"Did it work?" she asked. Yes.') == ['"Did it work?" she asked.', "Yes."]


def test_content_words() -> None:
    words = content_words("The Mayor said the levee's repair would cost $2.4 million, they said.")
    assert words == ["mayor", "levee", "repair", "cost", "million"]
    assert content_words("it is a the of") == []
    assert content_words("Harlow’s Green Line") == ["harlow", "green", "line"]
    assert content_words("the players' union, O’Brien") == ["players", "union", "o'brien"]


def test_a_possessive_is_the_word_it_owns() -> None:
    """ "Gisvi's city of birth" asks about the article that says "Gisvi"."""
    assert stems("Gisvi's city") == stems("Gisvi city") == {"gisvi", "city"}


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("injured", "injuries"),
        ("cutting", "cuts"),
        ("planned", "plan"),
        ("injury", "injuries"),
        ("recovered", "recovery"),
        ("studied", "study"),
        ("supplied", "supply"),
        ("delivered", "deliveries"),
        ("discovered", "discovery"),
    ],
)
def test_a_word_and_its_y_forms_share_a_stem(asked: str, written: str) -> None:
    """ "How many people were injured?" missed "six injuries": "injur" against "injury"."""
    assert stems(asked) == stems(written)


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("county", "count"),
        ("story", "store"),
        ("every", "ever"),
        ("battery", "batter"),
        ("called", "cal"),
        ("passed", "pas"),
    ],
)
def test_other_words_in_y_keep_it(word: str, other: str) -> None:
    """ "every" was "ever" and "battery" "batter": only "-ury" and "-very" lose the "y"."""
    assert stems(word) != stems(other)


def test_a_phone_number_is_found_in_its_usual_shapes_and_a_year_range_is_none() -> None:
    """One pattern for kb.summarize's contact lines and kb.answer's figures (it was two)."""
    text = "Call 555-0142, (212) 555-0142 or 1-800-555-0199; the 2025-2026 season, unit 12-4."
    assert PHONE_NUMBER.findall(text) == ["555-0142", "(212) 555-0142", "1-800-555-0199"]


def test_words_of_any_script_are_whole_and_match_without_accents() -> None:
    assert content_words("Aschenbrödel by Tekezé, 東京") == ["aschenbrödel", "tekezé", "東京"]
    assert stems("Aschenbrodel") == stems("Aschenbrödel")
    assert fold("Élodie KREŽMA") == "elodie krezma"


@pytest.mark.parametrize(
    ("sentence", "news"),
    [
        ("MILLBROOK, March 14 (Regional Wire) — A flash flood tore", "A flash flood tore"),
        ("HARLOW, March 23 (Regional Wire) - Harlow's new line", "Harlow's new line"),
        ("HARLOW — After seven years", "After seven years"),
        # A press release's: its date has a year after a comma
        ("CASTLEBROOK, Oct. 17, 2025 — Veltra Recycling LLC", "Veltra Recycling LLC"),
        ("SEATTLE, WA, June 3, 2025 -- Acme today announced", "Acme today announced"),
        ("(CNN) -- The man said", "The man said"),
        ("NASA said it would", "NASA said it would"),
        ("US officials said", "US officials said"),
        ("US-China talks resumed in Geneva.", "US-China talks resumed in Geneva."),
        ("UK—EU deal agreed.", "UK—EU deal agreed."),
        ("LONDON, 12 March (Reuters) - Prices rose.", "Prices rose."),
        ("PARIS, 12 mars (AFP) — Les prix", "Les prix"),
        ("SÃO PAULO (Reuters) - Brazil's", "Brazil's"),
        ("WASHINGTON (Reuters) -The Senate", "The Senate"),
        ("(Reporting by Rafael Montoya)", "(Reporting by Rafael Montoya)"),
        ("Boston (CNN)Guilty across the board.", "Guilty across the board."),
        ("New York (Reuters) - Stocks fell.", "Stocks fell."),
        ("Apple (AAPL) shares rose.", "Apple (AAPL) shares rose."),
        ("Washington (CNN) The house voted.", "Washington (CNN) The house voted."),
    ],
)
def test_a_leading_dateline_is_measured(sentence: str, news: str) -> None:
    assert sentence[dateline_length(sentence) :] == news


def test_plural() -> None:
    assert [plural(n, "chunk") for n in (0, 1, 2)] == ["0 chunks", "1 chunk", "2 chunks"]


def test_a_german_date_s_day_ends_no_sentence() -> None:
    text = "Der Pegel stieg am Freitag, dem 20. März 2026, auf 96 m³/s. Er sank am 21. wieder."
    assert sentences(text) == [
        "Der Pegel stieg am Freitag, dem 20. März 2026, auf 96 m³/s.",
        "Er sank am 21. wieder.",
    ]
    assert len(sentences("Es war der 20. Das Wasser stieg.")) == 2
    assert sentences("Sales fell by 10. April was better.") == [  # April is English too
        "Sales fell by 10.",
        "April was better.",
    ]
    assert len(sentences("Am 13. April 2026 stieg der Pegel.")) == 1


def test_an_abbreviation_after_a_quote_or_a_dash_ends_no_sentence() -> None:
    assert sentences("‘Dr. Smith is here,’ she said. The trip—St. Louis was fun.") == [
        "‘Dr. Smith is here,’ she said.",
        "The trip—St. Louis was fun.",
    ]
    assert sentences("It flowed at 96 m³/s. Then it fell.") == [
        "It flowed at 96 m³/s.",
        "Then it fell.",
    ]


def test_bylines_in_other_languages_are_no_content() -> None:
    for line in [
        "Von Anna Köhler | Pfälzer Rundschau | 13. März 2026",
        "Par Élodie Marchand-Roux, correspondante — Le Courrier d'Alsace",
        "Por Carmen Peña | Diario del Ebro",
        "Door Jan de Vries",
    ]:
        assert is_title_or_byline(line, "Hochwasser an der Lauter"), line
    for sentence in [
        "Von den 300 Einwohnern blieben 12.",
        "Por la tarde llovió.",
        "Di notte.",
        "DI John Smith said the investigation was ongoing.",  # English sentences, not bylines
        "Door County Sheriff Tammy Sternard said the road was closed.",
        "Par Pacific Holdings said profits rose.",
        "Von Miller Foundation donated $1m.",
    ]:
        assert not is_title_or_byline(sentence, "Hochwasser an der Lauter"), sentence


def test_sharp_s_folds_to_ss_and_only_accents_go() -> None:
    assert fold("Weiß") == fold("Weiss") == "weiss"
    assert (
        fold("パン") != fold("ハン") and fold("한국어") == "한국어"
    )  # no voicing mark nor jamo lost
    assert content_words("_important_ हिंदी समाचार") == ["important", "हिंदी", "समाचार"]


def test_chinese_and_japanese_sentences_end_at_full_width_stops() -> None:
    text = "ラウター川が氾濫した。住民三百人が避難した！「大丈夫か」と市長は言った。\n次の段落。"
    assert sentences(text) == [
        "ラウター川が氾濫した。",
        "住民三百人が避難した！",
        "「大丈夫か」と市長は言った。",
        "次の段落。",
    ]
    assert sentences("「避難しました。」と彼は言った。次です。") == [
        "「避難しました。」と彼は言った。",
        "次です。",
    ]


def test_a_sentence_about_the_title_is_no_headline_line() -> None:
    """A passage opening "Sergio Tolento Hernández (born 1959) is a Mexican politician…" had
    its only sentence taken for the headline, so nothing in it was quoted or followed."""
    title = "Sergio Tolento Hernández"
    assert not is_title_or_byline(
        "Sergio Tolento Hernández (born 22 December 1959) is a Mexican politician.", title
    )
    assert not is_title_or_byline(
        "Voltaic recalls VX-40 packs, the company said on Monday.", "Voltaic recalls VX-40 packs"
    )
    assert not is_title_or_byline(
        "Sergio Tolento Hernández, PAN politician, was born in 1959.", title
    )
    assert is_title_or_byline(
        "Circuit Business Daily Voltaic recalls VX-40 packs.", "Voltaic recalls VX-40 packs"
    )
    for line in [
        "Voltaic recalls VX-40 packs Circuit Business Daily By Jane Doe March 3, 2026.",
        "Voltaic recalls VX-40 packs Circuit Business Daily",
        "Circuit Business Daily | Voltaic recalls VX-40 packs",
    ]:
        assert is_title_or_byline(line, "Voltaic recalls VX-40 packs"), line


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Et combien coûterait-il ?", "fr"),
        ("Und was sagte Schäfer dazu?", "de"),
        ("war in Ukraine", "en"),  # "war" and "in" are German words too
        ("Jane Doe lawsuit", "en"),
    ],
)
def test_the_language_a_question_s_function_words_say(text: str, language: str) -> None:
    assert language_by_function_words(text) == language


def test_a_quote_that_opens_a_quotation_gets_no_second_mark() -> None:
    """An abstention's nearest passage printed as "““For seventy years…"."""
    assert (
        in_quotation_marks("“For seventy years,” Brandt said.")
        == "“For seventy years,” Brandt said."
    )
    assert in_quotation_marks("The levee failed.") == "“The levee failed.”"


@pytest.mark.parametrize(
    "line",
    [
        "By comparison, only 13 per cent agreed.",
        "By 2060, immigrants will make up a fifth of the population.",
        "By Friday, the council had voted.",
        "By Christmas Eve, all 40 families had been rehoused.",
        "By May 2026 the line was running.",
        "By the midpoint of the century the town had doubled.",
        "By Order of the Court the hearing was moved to a larger room on the second floor.",
    ],
)
def test_a_sentence_opening_with_by_is_no_byline(line: str) -> None:
    """Every sentence opening "By" was a byline, never quoted nor summarised."""
    assert not is_title_or_byline(line, "")


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe, Coastal Gazette",
        "By . Daily Mail Reporter",
        "BY JANE DOE",
        "By Ana Ruiz.",
        "(Reporting by Rafael Montoya; editing by Claire Dunmore)",  # was quoted in answers
        "Additional reporting by Ana Ruiz.",
        "By April Nguyen",  # a month's name that is a first name
        "By May Chen, staff writer",
    ],
)
def test_bylines_are_no_content(line: str) -> None:
    assert is_title_or_byline(line, "")


@pytest.mark.parametrize(
    "line",
    [
        "By Lena Okafor, Senior Analyst",
        "Published 20 March 2026",
        "European Commission | Directorate-General for Competition | 2026-11-10",
        "Opinion | Martin Kell | The Evening Ledger | 11 March 2026",
        "HealthWatch Live · Updated 12 March 2026, 16:40 GMT · Live blog by Grace Holloway and"
        " Omar Siddiqui",
        "Lucía Moreno | Diario Salud Hoy | 10 de marzo de 2026",
        "Dr Hannah Brooks and Dr Samuel Adeyemi, Centre for Evidence Appraisal",
        "Dr Ana Ruiz, Castellan Engineering",
        "Press release · 9 March 2026 · Faculty of Medicine",
        "Published March 4, 2026 · 5 min read",
        "Posted October 22, 2025 by Jonah Preston",
    ],
)
def test_a_header_line_is_a_byline_or_a_line_of_names_labels_and_a_date(line: str) -> None:
    """Header lines with no "By" were quoted as answers and as a digest's timeline entries:
    "HealthWatch Live · Updated …" [1], "Dr Hannah Brooks … Centre for Evidence Appraisal" [1]."""
    assert is_header_line(line)
    assert is_title_or_byline(line, "Live: ORBIT-Lp heart drug trial results")


@pytest.mark.parametrize(
    "line",
    [
        # a dateline opens the story's first sentence; a sentence names a date it tells of
        "LONDON, March 3, 2026 — The council voted",
        "The vote — set for March 3, 2026 — was delayed.",
        # a live blog's entry: its heading tells the news
        "12 March 2026, 16:40 GMT — Helix Thera sets filing date",
        "Jane Doe, who lives in Leeds, said the levee held.",
        "Dr Ana Ruiz, an engineer at Castellan, said the levee held.",
        "Opinion polls | 11 March 2026 | a lead of four points",
    ],
)
def test_a_line_of_text_is_no_header_line(line: str) -> None:
    assert not is_header_line(line)
    assert not is_title_or_byline(line, "Live: ORBIT-Lp heart drug trial results")


@pytest.mark.parametrize(
    ("line", "writers", "names"),
    [
        (
            "Opinion | Martin Kell | The Evening Ledger | 11 March 2026",
            "",
            ["Martin Kell", "The Evening Ledger"],
        ),
        (
            "HealthWatch Live · Updated 12 March 2026, 16:40 GMT · Live blog by Grace Holloway and"
            " Omar Siddiqui",
            "Grace Holloway and Omar Siddiqui",
            ["HealthWatch Live"],
        ),
        (
            "Dr Hannah Brooks and Dr Samuel Adeyemi, Centre for Evidence Appraisal",
            "Dr Hannah Brooks and Dr Samuel Adeyemi",
            ["Centre for Evidence Appraisal"],
        ),
        ("Published 20 March 2026", "", []),
    ],
)
def test_a_header_line_names_its_writers_apart_from_the_other_names(
    line: str, writers: str, names: list[str]
) -> None:
    """The section's label ("Opinion", "Live blog") is no name; the names after "by", or before
    a credit line's affiliation, are the writers'."""
    assert read_header_line(line) == (writers, names)


@pytest.mark.parametrize(
    ("line", "name", "day"),
    [
        ("Harwick Gazette, 4 October 2026", "Harwick Gazette", "2026-10-04"),
        ("Harwick Live, updated 28 September 2026", "Harwick Live", "2026-09-28"),
        ("Lindenau, 5. Oktober 2026", "Lindenau", "2026-10-05"),
        ("HARWICK, 15 September 2026", "HARWICK", "2026-09-15"),
        ("Valley Record, publié le 14 mars 2026", "Valley Record", "2026-03-14"),
        (
            "Press release, Harwick Transport Workers Union (HTWU), 1 September 2026",
            "Harwick Transport Workers Union (HTWU)",
            "2026-09-01",
        ),
        # an organisation's name before a date stamped as the publication's
        ("Harwick Council, updated 4 October 2026", "Harwick Council", "2026-10-04"),
    ],
)
def test_a_name_a_comma_sets_before_the_date_is_a_header_line(
    line: str, name: str, day: str
) -> None:
    """An outlet's or a place's line with its date after a comma was text, its date unread: a
    live blog's "*Harwick Live, updated 28 September 2026*" was quoted as the blog's text."""
    assert read_header_line(line) == ("", [name])
    assert dateline_date(line) == day
    assert is_title_or_byline(line, "Live: Harwick bus strike")


@pytest.mark.parametrize(
    ("line", "header_line"),
    [
        ("Updated Monday, March 3, 2026", True),  # words that introduce the date are no name
        ("Officials said, March 3, 2026", False),
        ("Paris, 5 October 2026, was the day the strike began.", False),
        ("Council meeting, March 3, 2026, in the town hall", False),
        # an event's line: its names before the date are no outlet, dateline place or stamp
        ("Harwick Council Meeting, 4 October 2026, 7pm", False),
        ("Kickoff, 4 October 2026", False),
        ("Final Score, Harwick United 2, Brent 1, 4 October 2026", False),
        ("Kickoff, Saturday 4 October 2026", False),
    ],
)
def test_what_is_no_name_before_a_comma_and_the_date_is_none(line: str, header_line: bool) -> None:
    """Events' lines read as an outlet's and its date ("Kickoff, 4 October 2026") were header
    lines, left out of summaries and answers."""
    assert is_header_line(line) is header_line
    assert is_title_or_byline(line, "Harwick bus strike") is header_line
    header = read_header_line(line)
    assert header is None or header.names == []


@pytest.mark.parametrize(
    "outlet",
    [
        "Rheinblick Zeitung",
        "Le Courrier du Val",
        "La Dépêche du Midi",
        "Noord Dagblad",
        "Harwick Live",
    ],
)
def test_other_languages_and_live_blogs_outlet_words_name_an_outlet(outlet: str) -> None:
    assert OUTLET_NAME.search(outlet)


@pytest.mark.parametrize(
    "line", ["'1' * 100_000", "'Stroke | 2.0% | 2.2% | 0.91 (0.74-1.12) | ' * 2_500"]
)
def test_a_long_line_is_no_header_line_and_is_read_in_linear_time(line: str) -> None:
    """Every sentence quoted or summarised is asked whether it is a header line: a 5,000-character
    table row took 3.4 s, a line of 10,000 digits 12 s (the byline patterns' time grew with the
    line's length squared). In a subprocess, so that a regular expression can be stopped."""
    code = (
        "from kb.text import is_header_line, is_title_or_byline; "
        f"line = {line}; print(is_header_line(line) or is_title_or_byline(line, ''))"
    )
    done = run_python(code, {}, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


TABLE_TEXT = "\n\n".join(
    [
        "Dear shareholders, the quarter was our best.",
        "Financial highlights",
        "Metric | Q3 2026 | Q3 2025",
        *[f"Segment {n} revenue | ${n * 10}m | ${n * 9}m" for n in range(1, 12)],
        "We will report again in February.",
    ]
)


@pytest.mark.parametrize(
    ("at", "opens_article", "found"),
    [
        ("Segment 3", False, ("Financial highlights", "Metric | Q3 2026 | Q3 2025")),
        ("Metric", False, ("Financial highlights", "Metric | Q3 2026 | Q3 2025")),
        ("Financial", False, None),  # no row
    ],
)
def test_table_start(at: str, opens_article: bool, found: tuple[str, str] | None) -> None:
    table = table_start(TABLE_TEXT, TABLE_TEXT.index(at), opens_article)
    if found is None:
        assert table is None
    else:
        assert table is not None
        introduced, header = found
        assert TABLE_TEXT[table.introduced :].startswith(introduced)
        assert TABLE_TEXT[table.header : table.header_end] == header


def test_a_table_start_is_known_only_where_the_text_shows_it() -> None:
    inside = TABLE_TEXT[TABLE_TEXT.index("Segment 5") :]
    assert table_start(inside, inside.index("Segment 9"), opens_article=False) is None
    table = table_start(inside, inside.index("Segment 9"), opens_article=True)
    assert table == (0, 0, inside.index("\n"))  # the article's first line is its header


def test_a_long_blank_line_is_read_in_linear_time() -> None:
    """The lines of a passage were found by a pattern whose time grew with the square of a blank
    line's length (20,000 spaces: 6 s). In a subprocess, so that it can be stopped."""
    code = (
        "from kb.text import table_start; "
        "text = 'Caption\\n' + ' ' * 2_000_000 + '\\nA | B\\n1 | 2'; "
        "print(table_start(text, len(text) - 2, opens_article=False))"
    )
    done = run_python(code, {}, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "TableStart(introduced=0, header=2000009, header_end=2000014)"


def test_word_kinds_come_from_the_lexicon_whatever_the_case() -> None:
    assert word_kinds("Receive") == word_kinds("receive") == {"VERB"}
    assert {"NOUN", "VERB"} <= word_kinds("plans")
    assert word_kinds("tovarsiran") == frozenset()  # unknown: a name or a coinage


def test_iso_day_of_stored_dates() -> None:
    assert str(iso_day("2026-03-14T09:00:00")) == "2026-03-14"
    assert iso_day("2026-04") is None
    assert iso_day("") is None
