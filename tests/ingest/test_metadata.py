"""Metadata read from the text itself (ingest.metadata)."""

from __future__ import annotations

import pytest

from ingest.metadata import (
    Metadata,
    detect_language,
    from_leading_lines,
    from_running_heads,
    header_lines_apart,
    opens_with_heading,
    parse_date,
    split_front_matter,
)


def test_language_detection_names_the_language_or_says_it_cannot_tell() -> None:
    assert detect_language("The council approved the budget after a long night of debate.") == "en"
    lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor "
    assert detect_language(lorem * 3) == "la"  # langdetect said Catalan
    assert (
        detect_language("一波波接續性低溫寒流報到，已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣。")
        == "zh"
    )
    assert (
        detect_language("שלום עולם, זה טקסט בעברית שנכתב כדי לבדוק את זיהוי השפה.") == "he"
    )  # not "iw"
    assert detect_language("Test") == ""  # too little to tell
    assert detect_language("") == ""
    assert detect_language("A lone \ud800 surrogate, and then plain English words.") == "en"


def test_front_matter_fields_are_read_and_the_block_dropped() -> None:
    found, body = split_front_matter(
        "---\nTitle: Notes\nauthors: [Ann Lee, Bo Chen]\ndate: 'March 3, 2026'\n"
        "tags: budget, council\n---\nBody text.\n"
    )
    assert body == "Body text.\n"
    assert (found.title, found.author, found.date) == ("Notes", "Ann Lee, Bo Chen", "2026-03-03")
    assert found.tags == ["budget", "council"]


def test_a_leading_rule_pair_that_is_no_mapping_is_left_in_the_text() -> None:
    text = "---\nJust a line between two rules.\n---\nBody.\n"
    assert split_front_matter(text) == (Metadata(), text)


def test_only_a_closed_leading_block_naming_a_known_field_is_front_matter() -> None:
    for text in [
        "---\nNote: this story was updated on 2 March 2026 to correct the levee height.\n---\nBody.\n",
        "---\ntitle: Hello\ndate: 2025-11-02\n\n# Real Title\n\nBody.\n",  # never closed
        "---\n- a\n- b\n---\nBody.\n",
        "Intro.\n\n---\ntitle: Hello\n---\nBody.\n",  # not at the start
    ]:
        assert split_front_matter(text) == (Metadata(), text)


def test_an_empty_front_matter_block_is_dropped_and_yaml_values_are_text() -> None:
    assert split_front_matter("---\n---\n# Title here\n") == (Metadata(), "# Title here\n")
    found, body = split_front_matter(
        "---\ntitle: 2024-01-01\ndate: 2025-11-02 10:30:00\ntags: [2024, x]\n...\nBody.\n"
    )
    assert (found.title, found.date, found.tags, body) == (
        "2024-01-01",
        "2025-11-02",
        ["2024", "x"],
        "Body.\n",
    )
    assert split_front_matter("---\nTags: a, b\n---\n")[0].tags == ["a", "b"]


def test_day_first_dates_and_a_date_after_the_bylines_name() -> None:
    assert parse_date("By Jane Doe | Metro Daily | 11 February 2026") == "2026-02-11"
    assert parse_date("Sept. 3 2025") == "2025-09-03"
    assert parse_date("Copyright © 2019 Port Aldine Times") == ""  # a bare year is no date
    found = from_leading_lines(["Water main bursts", "By Dana Whitfield, March 14, 2026", "Body."])
    assert (found.author, found.date) == ("Dana Whitfield", "2026-03-14")


def test_a_first_paragraph_too_long_for_a_title_is_cut_after_a_word() -> None:
    first = "The committee heard testimony from witness number one about the harbour " * 4
    title = from_leading_lines([first, "More."]).title
    assert title.endswith("…") and len(title) <= 121
    assert first.startswith(title.removesuffix("…")) and first[len(title) - 1] == " "


def test_only_a_dateline_byline_or_line_of_its_own_gives_the_articles_date() -> None:
    story = [
        "Is Stevie Johnson a secret agent?",
        "The receiver ruffled a few feathers on Wednesday night.",
        "That place? Foxboro, where the Bills haven't recorded a victory since November 5, 2000.",
    ]
    caption = [
        "Police fired warning shots to disperse protesters.",
        "An Afghan man cries outside a mosque in Kabul, Afghanistan, Wednesday, Sept. 15, 2010. "
        "The protest... (Associated Press)",
    ]
    assert from_leading_lines(story).date == ""
    assert from_leading_lines(caption).date == ""  # a date the story mentions is no date
    for line, expected in [
        ("Published March 3, 2026", "2026-03-03"),
        ("Updated: Monday, 6 April 2026 10:30 GMT", "2026-04-06"),
        ("2026-04-06", "2026-04-06"),
        ("By Sam Whitcombe | Regional Wire | 2026-03-23", "2026-03-23"),
        ("LONDON, March 3, 2026 (Reuters) - The bank raised rates.", "2026-03-03"),
        ("BILLINGS, Mont., May 2, 2017 — A judge ruled on Tuesday.", "2017-05-02"),
    ]:
        assert from_leading_lines(["A title", "A first sentence.", line]).date == expected, line


def test_a_first_level_markdown_heading_after_the_front_matter_is_known() -> None:
    assert opens_with_heading(split_front_matter("---\ntitle: x\n---\n\n# Heading\n\nBody.")[1])
    assert opens_with_heading("Heading\n=======\n\nBody.")
    assert not opens_with_heading("## Section\n\nBody.")
    assert not opens_with_heading("#hashtag and text")


def test_a_publication_after_the_bylines_name_is_the_source() -> None:
    found = from_leading_lines(["Title", "By Staff Reporter, Coastal Gazette — 2017-01-03"])
    assert (found.author, found.source, found.date) == (
        "Staff Reporter",
        "Coastal Gazette",
        "2017-01-03",
    )
    people = from_leading_lines(["Title", "By Ann Lee, Bo Chen | Metro Daily"])
    assert (people.author, people.source) == ("Ann Lee, Bo Chen", "Metro Daily")


def test_a_short_line_with_a_date_among_its_pieces_gives_the_date() -> None:
    for line, expected in [
        ("Dana Whitfield | Coastal Gazette | March 3, 2026", "2026-03-03"),
        ("*Published March 4, 2026 · 5 min read*", "2026-03-04"),
        ("Coastal Gazette — March 3, 2026", "2026-03-03"),
        ("Publication date: March 3, 2026", "2026-03-03"),
        ("Originally published March 3, 2026", "2026-03-03"),
        ("Created: 2026-03-03", "2026-03-03"),
        ("Filed March 3, 2026", "2026-03-03"),
        ("March 5, 2026, 7:45 p.m. ET", "2026-03-05"),
        ("March 5, 2026 7 pm", "2026-03-05"),
    ]:
        assert from_leading_lines(["A title", line, "A first sentence."]).date == expected, line
    for sentence in [
        "The vote — set for March 3, 2026 — was delayed.",
        "Foxboro, where the Bills haven't recorded a victory since November 5, 2000.",
    ]:
        assert from_leading_lines(["A title", sentence]).date == "", sentence


def test_a_job_title_or_co_author_after_the_bylines_name_is_no_source() -> None:
    staff = from_leading_lines(
        ["Title", "By John Smith, Times Staff Writer | Los Angeles Times | March 6, 2026"]
    )
    assert (staff.author, staff.source, staff.date) == (
        "John Smith",
        "Los Angeles Times",
        "2026-03-06",
    )
    herald = from_leading_lines(["Title", "By Maria Lopez, Herald Staff", "Body."])
    assert (herald.author, herald.source) == ("Maria Lopez", "")
    pair = from_leading_lines(["Title", "By Alice Walker, Tom Post", "Body."])
    assert (pair.author, pair.source) == ("Alice Walker, Tom Post", "")
    wire = from_leading_lines(["Title", "By Jane Doe, Reuters", "Body."])
    assert (wire.author, wire.source) == ("Jane Doe", "Reuters")
    gazette = from_leading_lines(["Title", "By Jane Doe, Coastal Gazette", "Body."])
    assert (gazette.author, gazette.source) == ("Jane Doe", "Coastal Gazette")


def test_a_story_sentence_starting_with_by_is_no_byline() -> None:
    for sentence in [
        "By November 5, 2000, the club had gone 30 games without a win.",
        "By the end of the season, attendance had doubled since March 3, 2019.",
    ]:
        found = from_leading_lines(["Rovers end long drought", sentence, "Fans stayed."])
        assert (found.author, found.date) == ("", ""), sentence


def test_dates_in_other_languages_and_numeric_european_and_cjk_dates() -> None:
    for text, expected in [
        ("14 mars 2026", "2026-03-14"),
        ("1er avril 2026", "2026-04-01"),
        ("13. März 2026", "2026-03-13"),
        ("5 Jänner 2026", "2026-01-05"),
        ("15 de marzo de 2026", "2026-03-15"),
        ("15 de março de 2026", "2026-03-15"),
        ("3 maart 2026", "2026-03-03"),
        ("22.03.2026", "2026-03-22"),
        ("22/03/2026", "2026-03-22"),  # only one order makes a date
        ("03/04/2026", ""),  # March 4 or April 3: no date beats a wrong one
        ("2026年3月14日", "2026-03-14"),
        ("2026년 3월 14일", "2026-03-14"),
        ("version 1.2.2026.1", ""),
    ]:
        assert parse_date(text) == expected, text


def test_bylines_in_other_languages_give_author_source_and_date() -> None:
    for line, expected in [
        (
            "Par Élodie Marchand | Le Courrier d'Alsace | 14 mars 2026",
            ("Élodie Marchand", "Le Courrier d'Alsace", "2026-03-14"),
        ),
        (
            "Par Élodie Roux | Le Courrier d'Alsace | 2026-03-14",
            ("Élodie Roux", "Le Courrier d'Alsace", "2026-03-14"),
        ),
        (
            "Von Anna Köhler | Pfälzer Rundschau | 13. März 2026",
            ("Anna Köhler", "Pfälzer Rundschau", "2026-03-13"),
        ),
        (
            "Por Carmen Peña | Diario del Ebro | 15 de marzo de 2026",
            ("Carmen Peña", "Diario del Ebro", "2026-03-15"),
        ),
        (
            "Di Marco Rossi | Gazzetta di Parma | 2 aprile 2026",
            ("Marco Rossi", "Gazzetta di Parma", "2026-04-02"),
        ),
        (
            "Door Jan de Vries | Het Dagblad | 3 maart 2026",
            ("Jan de Vries", "Het Dagblad", "2026-03-03"),
        ),
        (
            "Par Élodie Marchand-Roux, correspondante — Le Courrier d'Alsace, 14 mars 2026",
            ("Élodie Marchand-Roux", "Le Courrier d'Alsace", "2026-03-14"),
        ),
        ("Par Lucas Ferrière, publié le 21 mars 2026", ("Lucas Ferrière", "", "2026-03-21")),
        (
            "By Jane Doe | Coastal Gazette, March 3, 2026",
            ("Jane Doe", "Coastal Gazette", "2026-03-03"),
        ),
        ("By Jane Doe | Updated Monday, March 3, 2026", ("Jane Doe", "", "2026-03-03")),
    ]:
        found = from_leading_lines(["A title", line, "A first sentence."])
        assert (found.author, found.source, found.date) == expected, line


def test_a_date_line_in_another_language_gives_the_date_a_story_sentence_does_not() -> None:
    for line, expected in [
        ("22.03.2026", "2026-03-22"),
        ("Publié le 14 mars 2026", "2026-03-14"),
        ("Veröffentlicht am Freitag, 13. März 2026", "2026-03-13"),
        ("2026年3月14日 共同通信 パリ支局 田中 美咲", "2026-03-14"),
        ("Die Lauter trat am 13. März 2026 über die Ufer.", ""),
        ("El río Ebro alcanzó el sábado 14 de marzo de 2026 un caudal récord en Zaragoza.", ""),
        ("政府は2026年3月14日に発表した。", ""),
    ]:
        assert from_leading_lines(["A title", line, "A first sentence."]).date == expected, line
    for sentence in [
        "Von den Einwohnern wurden 300 evakuiert",
        "Por la mañana llegó la crecida",
        "Di Maio ha detto",
    ]:
        found = from_leading_lines(["A title", sentence, "More."])
        assert (found.author, found.source) == ("", ""), sentence


def test_a_title_ends_in_no_comma_and_a_first_line_that_goes_on_is_joined() -> None:
    """A PDF's title set over two lines ("A guide for people with cancer," / "their families…")."""
    two_lines = ["A guide for people with cancer,", "their families and friends", "Cancer"]
    assert from_leading_lines(two_lines).title == (
        "A guide for people with cancer, their families and friends"
    )
    assert from_leading_lines(["Flood report;", "Saint-Aubin", "Body."]).title == "Flood report"
    # A Markdown heading is the document's own title, kept whole.
    assert from_leading_lines(["# Notes:", "more notes", "Body."], titled=True).title == "Notes:"


def test_a_by_before_a_day_alone_is_no_byline_and_no_crash() -> None:
    for line in [
        "Taxes Due By Friday | Coastal Gazette",
        "By Tuesday | Coastal Gazette",
        "BY FRIDAY",
        "By Thursday, May 7, 2026",
    ]:
        for lines in ([line, "A first sentence."], ["A title", line, "A first sentence."]):
            assert from_leading_lines(lines).author == "", line


def test_another_languages_by_in_an_english_name_is_no_byline() -> None:
    for line in [
        "Leonardo Di Caprio Wins Oscar | Film Weekly",
        "Von Braun Center | Huntsville",
        "Par Five Holes — A Guide",
        "Door Three Opens | Friday",
    ]:
        assert from_leading_lines([line, "A first sentence."]).author == "", line
    # On a later line, only with a date or an outlet after a separator.
    for line in ["Door Three Opens | Friday", "Par Five Holes", "Von Braun Center"]:
        assert from_leading_lines(["A title", line, "A first sentence."]).author == "", line


def test_a_job_title_after_the_name_is_no_source() -> None:
    for line in [
        "By Jane Doe, Radio Host",
        "By Jane Doe, News Director",
        "By Jane Doe, Press Secretary",
        "By Jane Doe, Tom Daily",
    ]:
        assert from_leading_lines(["A title", line, "A first sentence."]).source == "", line
    found = from_leading_lines(["A title", "By Jane Doe, Coastal Gazette", "A first sentence."])
    assert (found.author, found.source) == ("Jane Doe", "Coastal Gazette")


def test_a_dotted_date_that_reads_two_ways_is_no_date() -> None:
    assert parse_date("1.2.2026") == ""
    assert parse_date("22.03.2026") == "2026-03-22"


def test_a_pdf_byline_run_into_the_title_with_any_separator_gives_author_source_and_date() -> None:
    """PDF text loses the line break between the title and "By Maria Okafor - Valley Gazette - …"."""
    for separator in [" - ", " | ", " — ", " · "]:
        byline = separator.join(["By Maria Okafor", "Valley Gazette", "2026-01-05"])
        glued = from_leading_lines([f"Ashford council delays plant plan {byline}", "Body."])
        assert (glued.title, glued.author, glued.source, glued.date) == (
            "Ashford council delays plant plan",
            "Maria Okafor",
            "Valley Gazette",
            "2026-01-05",
        ), separator
        own_line = from_leading_lines(["Ashford council delays plant plan", byline, "Body."])
        assert (own_line.author, own_line.source, own_line.date) == (
            "Maria Okafor",
            "Valley Gazette",
            "2026-01-05",
        ), separator
    hyphenated = from_leading_lines(["Title", "By Jean-Luc Marchand - Valley Gazette", "Body."])
    assert (hyphenated.author, hyphenated.source) == ("Jean-Luc Marchand", "Valley Gazette")


def test_an_outlet_and_date_line_under_the_byline_names_the_source() -> None:
    found = from_leading_lines(["Title", "By Maria Okafor", "Valley Gazette — 2026-05-14", "Body."])
    assert (found.author, found.source, found.date) == (
        "Maria Okafor",
        "Valley Gazette",
        "2026-05-14",
    )
    # The two lines run together: "The Northern Post" is no part of the name.
    run_on = from_leading_lines(["Title", "By Hannah Cole The Northern Post — 2026-08-15", "Body."])
    assert (run_on.author, run_on.source) == ("Hannah Cole", "The Northern Post")
    # A place or a person beside the date is no outlet.
    for line in ["LONDON — 2026-05-14", "Hannah Cole — 2026-05-14", "Tom Post — 2026-05-14"]:
        assert from_leading_lines(["Title", line, "Body."]).source == "", line


@pytest.mark.parametrize(
    ("line", "source"),
    [
        (
            "European Commission | Directorate-General for Competition | 2026-11-10",
            "European Commission",
        ),
        ("Harbour Authority — 14 May 2026", "Harbour Authority"),
        ("Norvane Semiconductor N.V. | Eindhoven | 29 October 2026", "Norvane Semiconductor N.V."),
        ("Office for National Statistics · 3 March 2026", "Office for National Statistics"),
        ("Dana Whitfield | Coastal Gazette | March 3, 2026", "Coastal Gazette"),
        # a place, a person or a job beside the date is no organisation
        ("Eindhoven | 29 October 2026", ""),
        ("Dana Whitfield | March 3, 2026", ""),
        ("Director of Communications | March 3, 2026", ""),
    ],
)
def test_a_report_or_press_releases_office_line_names_its_organisation(
    line: str, source: str
) -> None:
    """An "Organisation | Department | Date" line under a report's or press release's title:
    only an outlet's name beside the date alone was a source."""
    found = from_leading_lines(["A title", line, "The council met on Monday."])
    assert (found.source, bool(found.date)) == (source, True)


@pytest.mark.parametrize(
    ("line", "author", "source"),
    [
        (
            "Opinion | Martin Kell | The Evening Ledger | 11 March 2026",
            "Martin Kell",
            "The Evening Ledger",
        ),
        (
            "HealthWatch Live · Updated 12 March 2026, 16:40 GMT · Live blog by Grace Holloway and"
            " Omar Siddiqui",
            "Grace Holloway and Omar Siddiqui",
            "HealthWatch Live",
        ),
        (
            "Lucía Moreno | Diario Salud Hoy | 10 de marzo de 2026",
            "Lucía Moreno",
            "Diario Salud Hoy",
        ),
        ("Dana Whitfield | Coastal Gazette | March 3, 2026", "Dana Whitfield", "Coastal Gazette"),
        (
            "Dr Hannah Brooks and Dr Samuel Adeyemi, Centre for Evidence Appraisal",
            "Dr Hannah Brooks and Dr Samuel Adeyemi",
            "Centre for Evidence Appraisal",
        ),
        # a name shaped as a person's after the writers' may be a co-writer's: no source
        ("Dr Ana Ruiz, Castellan Engineering", "Dr Ana Ruiz", ""),
        # a name beside the date alone may be a place's; two organisations name no writer
        ("New York | 3 March 2026", "", ""),
        ("Harbour Authority — 14 May 2026", "", "Harbour Authority"),
        (
            "European Commission | Directorate-General for Competition | 2026-11-10",
            "",
            "European Commission",
        ),
    ],
)
def test_a_header_line_no_by_opens_names_its_writers_and_their_outlet(
    line: str, author: str, source: str
) -> None:
    """A column's, a live blog's, a Spanish article's and a report's header lines gave no author
    and no source: only a line opening with "By" named writers."""
    found = from_leading_lines(["A title", line, "The council met on Monday to vote."])
    assert (found.author, found.source) == (author, source)


def test_a_byline_names_the_writers_before_a_header_line_under_it() -> None:
    """The header line's writers are read only when no byline names them."""
    found = from_leading_lines(
        ["A title", "By Jane Doe", "Opinion | Martin Kell | The Evening Ledger | 11 March 2026"]
    )
    assert (found.author, found.date) == ("Jane Doe", "2026-03-11")


@pytest.mark.parametrize(
    "label", ["PRESS RELEASE", "EUROPEAN COMMISSION - PRESS RELEASE", "For immediate release"]
)
def test_a_press_releases_label_over_its_title_is_no_title(label: str) -> None:
    found = from_leading_lines([label, "Commission approves German measure", "It was approved."])
    assert found.title == "Commission approves German measure"


def test_a_title_about_a_press_release_is_a_title() -> None:
    title = "Council issues press release on the levee budget"
    assert from_leading_lines([title, "The council met on Monday."]).title == title


def test_a_two_word_outlet_that_is_a_name_too_is_a_co_author_unless_named_elsewhere() -> None:
    """No list of first names: "Hannah Post" is a person, "Harbor Herald" an outlet only when the
    article names it as one elsewhere."""
    for lines, expected in [
        (["Title", "By Jane Doe, Hannah Post", "Body."], ("Jane Doe, Hannah Post", "")),
        (["Title", "By Alice Walker, Tom Daily", "Body."], ("Alice Walker, Tom Daily", "")),
        (["Title", "By Jane Doe, The Post", "Body."], ("Jane Doe", "The Post")),
        (["Title", "By Jane Doe, Coastal Gazette", "Body."], ("Jane Doe", "Coastal Gazette")),
        (
            [
                "Title",
                "By Diego Ferreira, Harbor Herald, 2026-05-10",
                "A report from Harbor Herald.",
            ],
            ("Diego Ferreira", "Harbor Herald"),
        ),
        (
            ["Title", "By Jane Doe, Hannah Post", "Body.", "Hannah Post contributed reporting."],
            ("Jane Doe, Hannah Post", ""),
        ),
    ]:
        found = from_leading_lines(lines)
        assert (found.author, found.source) == expected, lines
    dated = ["Title", "By Elena Petrova", "Metro Daily — 2026-02-27", "Body."]
    assert from_leading_lines(dated).source == ""
    assert from_leading_lines([*dated, "Metro Daily asked the mayor."]).source == "Metro Daily"


def test_a_title_needs_a_word_page_numbers_or_a_brace_are_none() -> None:
    paper = from_leading_lines(["1 2", "]", "LayoutParser: A Unified Toolkit", "Zejiang Shen"])
    assert paper.title == "LayoutParser: A Unified Toolkit"
    json_lines = ["{", '"name": "John Doe",', '"age": 30,', '"city": "New York"', "}"]
    assert from_leading_lines(json_lines).title == ""  # the loader then takes the file name


def test_another_languages_by_counts_only_in_an_article_in_that_language() -> None:
    body = (
        "The space museum will reopen its doors on Friday after a two-year renovation that cost "
        "more than twelve million dollars, officials said on Tuesday. Visitors will see the "
        "restored rockets and a new exhibit about the first crewed landing on the Moon."
    )
    english = from_leading_lines(["Rocket park reopens", body, "Von Braun Center | Huntsville"])
    assert english.author == ""
    german = (
        "Der Gemeinderat hat am Dienstag den Haushalt für das kommende Jahr beschlossen. Die "
        "Stadt will mehr Geld für Schulen, Straßen und den öffentlichen Nahverkehr ausgeben."
    )
    found = from_leading_lines(
        ["Haushalt beschlossen", "Von Anna Köhler | Badische Zeitung", german]
    )
    assert (found.author, found.source) == ("Anna Köhler", "Badische Zeitung")


def test_a_title_is_cut_at_by_only_before_a_persons_name() -> None:
    """A spaced hyphen separates a byline's pieces: "By Me - The Musical…" is still no byline."""
    for line in [
        "Stand By Me - The Musical Returns to Broadway",
        "Driven By Data – How Cities Plan",
        "Saved By The Bell - A Look Back",
    ]:
        found = from_leading_lines([line, "A first sentence of the story."])
        assert (found.title, found.author, found.source) == (line, "", ""), line
    glued = from_leading_lines(["Levee plan stalls By Maria Okafor - Valley Gazette", "Body."])
    assert (glued.title, glued.author) == ("Levee plan stalls", "Maria Okafor")


def test_a_headline_opening_with_a_quote_and_a_colon_is_a_title_json_is_not() -> None:
    headline = '"We will rebuild": Town vows to restore levee'
    assert from_leading_lines([headline, "Body."]).title == headline
    for json_line in ['{"title": "x"}', '"title": "x",', '"count": 3,', '"open": true']:
        assert from_leading_lines([json_line]).title == "", json_line


def test_an_outlet_on_a_line_of_its_own_above_the_story_is_the_source() -> None:
    """A plain text's title, outlet and date each on a line of their own ("Harbour News Service"
    between the title and the date), or a "Source:" line; no sentence, byline or person is one."""
    body = "The harbour ferry will resume its crossing on May 4 after a six-month refit."
    for outlet in ["Harbour News Service", "Regional Wire", "The Millbrook Ledger"]:
        found = from_leading_lines(["Ferry to resume service", outlet, "2026-04-12", body])
        assert (found.source, found.date) == (outlet, "2026-04-12"), outlet
    bylined = from_leading_lines(["Title", "By Sam Whitcombe", "Regional Wire", body])
    assert (bylined.author, bylined.source) == ("Sam Whitcombe", "Regional Wire")
    for line in ["Source: Harlow City Council, 2026-04-12", "Source: Harlow City Council | 2026"]:
        assert from_leading_lines(["Title", line, body]).source == "Harlow City Council", line
    for line in [
        "The Millbrook Ledger reported the levee failed on Saturday morning.",
        "By Sam Whitcombe",
        "Tom Post",  # a person's name, no outlet the article names
        "Fares stay the same at the Harbour News",  # a line of running text, not a name
        "# Regional Wire",  # a heading
    ]:
        assert from_leading_lines(["Title", line, "2026-04-12", body]).source == "", line
    # Below the story's first sentence a short line is a heading ("Background"), not its source.
    assert from_leading_lines(["Title", body, "Regional Wire", body]).source == ""


_FERRY_STORY = "The harbour ferry will resume its crossing on May 4 after a six-month refit."


def test_a_section_label_above_the_story_is_no_source() -> None:
    """ "Local News" between the title and the date is the page's section, not an outlet: every
    word of it is a section's; "Harbour News Service" and "Regional Wire" name one."""
    for label in ["Local News", "Breaking News", "Good News", "Fake News", "World News", "Live"]:
        for date_line in ["March 14, 2026", f"{label} | March 14, 2026"]:
            lines = ["Ferry fares rise", label, date_line, _FERRY_STORY]
            assert from_leading_lines(lines).source == "", (label, date_line)
    for outlet in ["Harbour News Service", "Millbrook Ledger", "Regional Wire", "The Times"]:
        lines = ["Ferry fares rise", outlet, "March 14, 2026", _FERRY_STORY]
        assert from_leading_lines(lines).source == outlet, outlet


def test_a_title_case_headline_ending_in_an_outlet_word_is_no_source() -> None:
    """A second headline in title case ("Why Nobody Trusts The News") ends with an outlet word
    but asks a question or has a verb; nor is a line of more words than an outlet's name one."""
    for headline in [
        "Why Nobody Trusts The News",
        "Nobody Trusts The News",
        "Town Is Reading The Ledger",
        "Ten Things To Know About Ferry Fares From Harbour Press",
    ]:
        lines = ["Ferry fares rise", headline, "March 14, 2026", _FERRY_STORY]
        assert from_leading_lines(lines).source == "", headline


def test_a_source_line_with_a_date_gives_the_name_without_its_label() -> None:
    """ "Source: Regional Wire | 2026-04-12" names "Regional Wire", not "Source: Regional Wire"."""
    lines = ["Ferry fares rise", "Source: Regional Wire | 2026-04-12", _FERRY_STORY]
    found = from_leading_lines(lines)
    assert (found.source, found.date) == ("Regional Wire", "2026-04-12")


def test_a_source_line_describing_the_source_in_lower_case_names_no_outlet() -> None:
    """ "Source: the operator's annual report" says where the figures come from, not an outlet."""
    lines = ["Ferry fares rise", "Source: the operator's annual report", _FERRY_STORY]
    assert from_leading_lines(lines).source == ""


def test_an_outlets_line_above_the_byline_is_the_source_though_shaped_like_a_name() -> None:
    """ "Castlebrook Courier" over "By Dana Whitfield" is the masthead: no co-author is named above
    the byline. Under it, "Hannah Post" may still be one."""
    lines = ["Title", "Castlebrook Courier", "By Dana Whitfield, Staff Reporter"]
    found = from_leading_lines([*lines, "October 14, 2025", _FERRY_STORY])
    assert (found.author, found.date) == ("Dana Whitfield", "2025-10-14")
    assert found.source == "Castlebrook Courier"
    unbylined = from_leading_lines(["Title", "Castlebrook Courier", "2025-10-14", _FERRY_STORY])
    assert unbylined.source == ""
    assert (
        from_leading_lines(["Title", "By Dana Whitfield", "Hannah Post", _FERRY_STORY]).source == ""
    )


def test_newspapers_name_words_end_an_outlets_name() -> None:
    for outlet in ["Orlando Sentinel", "Des Moines Register", "Boston Globe", "Hartford Courant"]:
        lines = ["Ferry fares rise", outlet, "March 14, 2026", _FERRY_STORY]
        assert from_leading_lines(lines).source == outlet, outlet
    bylined = from_leading_lines(["Title", "By Ana Ruiz, Valley Record", _FERRY_STORY])
    assert (bylined.author, bylined.source) == ("Ana Ruiz", "Valley Record")


def test_a_posted_by_line_gives_the_author_the_blog_and_the_date() -> None:
    """ "Posted by Priya Raman, semiconductor analyst, Siliconomics blog — 31 October 2026" gave
    the date only: a byline opened with "By"."""
    line = "Posted by Priya Raman, semiconductor analyst, Siliconomics blog — 31 October 2026"
    found = from_leading_lines(["Title", line, _FERRY_STORY])
    assert (found.author, found.source, found.date) == (
        "Priya Raman",
        "Siliconomics blog",
        "2026-10-31",
    )
    written = from_leading_lines(["Title", "Written by Ana Ruiz | March 3, 2026", _FERRY_STORY])
    assert (written.author, written.date) == ("Ana Ruiz", "2026-03-03")


def test_a_date_line_that_ends_in_its_byline_gives_the_date_and_author() -> None:
    """A blog's "Posted October 22, 2025 by Jonah Preston" gave neither."""
    for line in [
        "Posted October 22, 2025 by Jonah Preston",
        "October 22, 2025 — By Jonah Preston",
        "Published Oct. 22, 2025 · By Jonah Preston, Staff Writer",
    ]:
        found = from_leading_lines(["Title", line, _FERRY_STORY])
        assert (found.author, found.date) == ("Jonah Preston", "2025-10-22"), line
    for line in [
        "The bill was signed March 3, 2026 by Governor Jane Smith.",
        "Posted on 2025-10-22 by the editors",
    ]:
        assert from_leading_lines(["Title", line, _FERRY_STORY]).author == "", line


def test_a_blocks_outlet_byline_and_date_lines_are_paragraphs_again() -> None:
    """unstructured runs a block's lines into one paragraph when one has 5 words or more."""
    header = "Castlebrook Courier\nBy Dana Whitfield, Staff Reporter\nOctober 14, 2025"
    text = f"Three dead in plant fire\n\n{header}\n\n{_FERRY_STORY}\n"
    paragraphs = ["Three dead in plant fire", " ".join(header.split("\n")), _FERRY_STORY]
    assert header_lines_apart(paragraphs, text) == [
        "Three dead in plant fire",
        *header.split("\n"),
        _FERRY_STORY,
    ]
    titled = f"Three dead in plant fire\n{header}\n\n{_FERRY_STORY}\n"
    assert header_lines_apart(
        [" ".join(titled.split("\n\n")[0].split("\n")), _FERRY_STORY], titled
    ) == [
        "Three dead in plant fire",
        *header.split("\n"),
        _FERRY_STORY,
    ]
    # a wrapped paragraph whose line opens with "By" and a name is text
    wrapped = (
        "The report on the flood was written\nBy John Smith and colleagues at the\nuniversity."
    )
    joined = " ".join(wrapped.split("\n"))
    assert header_lines_apart(["Title", joined], f"Title\n\n{wrapped}\n") == ["Title", joined]


_STRIKE_STORY = (
    "The strike by the city's bus drivers entered its third week on Monday with no sign of a "
    "settlement, as talks broke up after six hours without agreement."
)


@pytest.mark.parametrize(
    ("line", "source", "day"),
    [
        ("Harwick Live, updated 28 September 2026", "Harwick Live", "2026-09-28"),
        ("Valley Gazette, 3 March 2026", "Valley Gazette", "2026-03-03"),
        ("Lindenau, 5. Oktober 2026", "", "2026-10-05"),  # a place's name
    ],
)
def test_an_outlet_or_place_and_a_date_after_a_comma_give_the_date_and_source(
    line: str, source: str, day: str
) -> None:
    """A live blog's "*Harwick Live, updated 28 September 2026*" under its title gave no date and
    no source."""
    found = from_leading_lines(["Live: Harwick bus strike", line, _STRIKE_STORY], titled=True)
    assert (found.source, found.date) == (source, day)


def test_a_label_byline_and_outlet_line_block_is_read_line_by_line() -> None:
    """An opinion column's "Opinion / By Daniel Fairweather / Harwick Gazette, 4 October 2026"
    was one paragraph: no author, source nor date."""
    header = "Opinion\nBy Daniel Fairweather\nHarwick Gazette, 4 October 2026"
    text = f"The bus strike showed us what Harwick forgets\n\n{header}\n\n{_STRIKE_STORY}\n"
    paragraphs = header_lines_apart(
        ["The bus strike showed us what Harwick forgets", " ".join(header.split()), _STRIKE_STORY],
        text,
    )
    assert paragraphs[1:4] == header.split("\n")
    found = from_leading_lines(paragraphs)
    assert (found.author, found.source, found.date) == (
        "Daniel Fairweather",
        "Harwick Gazette",
        "2026-10-04",
    )


def test_an_outlet_line_between_byline_and_dateline_is_the_source() -> None:
    """ "The Harwick Gazette" between "By Helen Marsh, Transport Correspondent" and "HARWICK, 15
    September 2026" was run into one paragraph with them, and no source was read."""
    header = (
        "By Helen Marsh, Transport Correspondent\nThe Harwick Gazette\nHARWICK, 15 September 2026"
    )
    title = "Harwick bus strike enters third week as talks stall"
    text = f"{title}\n\n{header}\n\n{_STRIKE_STORY}\n"
    paragraphs = header_lines_apart([title, " ".join(header.split()), _STRIKE_STORY], text)
    found = from_leading_lines(paragraphs)
    assert (found.author, found.source, found.date) == (
        "Helen Marsh",
        "The Harwick Gazette",
        "2026-09-15",
    )


_GERMAN_STORY = (
    "Vier Wochen lang fuhr in Harwick, der englischen Partnerstadt von Lindenau, kein einziger "
    "Linienbus. Am 1. September 2026 legten die Busfahrer der städtischen Verkehrsgesellschaft die "
    "Arbeit nieder. Erst am 3. Oktober rollten die Busse wieder."
)
_FRENCH_STORY = (
    "L'assureur santé Calder Mutual, qui couvre une grande partie de la vallée du Tarn, a reconnu "
    "la semaine dernière avoir été victime d'une cyberattaque d'ampleur. Selon l'entreprise, les "
    "données personnelles d'environ 1,2 million d'adhérents ont été copiées par des pirates."
)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["Von Katrin Vogel", "Rheinblick Zeitung", "Lindenau, 5. Oktober 2026", _GERMAN_STORY],
            ("Katrin Vogel", "Rheinblick Zeitung", "2026-10-05"),
        ),
        (
            ["Par Camille Rousseau", "Le Courrier du Val — 12 octobre 2026", _FRENCH_STORY],
            ("Camille Rousseau", "Le Courrier du Val", "2026-10-12"),
        ),
    ],
)
def test_another_languages_byline_alone_over_its_outlet_or_date_line_is_read(
    lines: list[str], expected: tuple[str, str, str]
) -> None:
    """ "Von Katrin Vogel" over "Rheinblick Zeitung", "Par Camille Rousseau" over "Le Courrier du
    Val — 12 octobre 2026": another language's "By" counted only with an outlet or date on its own
    line, and neither the writer nor the outlet was read."""
    found = from_leading_lines(["Title", *lines])
    assert (found.author, found.source, found.date) == expected


def test_another_languages_by_alone_over_no_header_line_is_no_byline() -> None:
    """Over a line of the story, "Von Kopf Bis Fuß" may be a heading."""
    assert from_leading_lines(["Title", "Von Katrin Vogel", _GERMAN_STORY]).author == ""
    english = from_leading_lines(["Title", "Par Five Holes", "March 3, 2026", _STRIKE_STORY * 2])
    assert english.author == ""


def test_an_outlets_name_over_the_headline_and_byline_is_the_source_not_the_title() -> None:
    """A wire story opening "Regional Wire Service" over its headline and "By Tomas Okafor" was
    titled "Regional Wire Service", with no source."""
    headline = "Health insurer hit by data breach affecting 1.4 million people"
    for under in ["By Tomas Okafor", "October 8, 2026"]:
        found = from_leading_lines(["Regional Wire Service", headline, under, _STRIKE_STORY])
        assert (found.title, found.source) == (headline, "Regional Wire Service"), under
    # no byline or date under it: the line under the outlet's name may be the story's first
    untitled = from_leading_lines(["Regional Wire Service", headline, _STRIKE_STORY])
    assert untitled.title == "Regional Wire Service"


def test_a_brand_after_the_bylines_name_is_the_outlet() -> None:
    """ "By Jonah Pike, ByteWatch — October 9, 2026" gave the author "Jonah Pike, ByteWatch"."""
    line = "By Jonah Pike, ByteWatch — October 9, 2026"
    found = from_leading_lines(["Title", line, _STRIKE_STORY])
    assert (found.author, found.source, found.date) == ("Jonah Pike", "ByteWatch", "2026-10-09")
    # a name's capital inside is no brand's
    assert from_leading_lines(["Title", "By Ana Ruiz, McAllen", _STRIKE_STORY]).source == ""


@pytest.mark.parametrize(
    ("heads", "source", "date"),
    [
        (["Harwick Gazette — 4 October 2026"], "Harwick Gazette", "2026-10-04"),
        (
            ["Page 2 of 9", "Journal of Clinical Practice · 12 October 2026"],
            "Journal of Clinical Practice",
            "2026-10-12",
        ),
        (["Page 2 of 9", "Draft 2"], "", ""),
        # a journal's name alone, longer than other outlets'
        (
            ["The New England Journal of Medicine", "Page 3"],
            "The New England Journal of Medicine",
            "",
        ),
        (
            ["Journal of the American Medical Association", "Page 3"],
            "Journal of the American Medical Association",
            "",
        ),
        # a title-case headline of as many words is none
        (["Why Nobody Reads The Local Paper Anymore"], "", ""),
        # a person's or a place's name beside the date is no outlet
        (["Marcus Feld · 12 October 2026"], "", "2026-10-12"),
        (["Eindhoven | 29 October 2026"], "", "2026-10-29"),
        (["Downloaded from example.org on 5 May 2027"], "", ""),
    ],
)
def test_a_running_heads_outlet_and_date_are_read(heads: list[str], source: str, date: str) -> None:
    found = from_running_heads(heads)
    assert (found.source, found.date) == (source, date)
