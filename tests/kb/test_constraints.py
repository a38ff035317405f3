"""Sources and dates read from a question, and the filters they become."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from kb.constraints import (
    articles_referred_to,
    asks_for_an_overview,
    event_day,
    label_words,
    name_spellings,
    only_capitalised,
    parse_constraints,
    respelled,
    searched_words,
    unknown_names,
    what_followed,
    with_capitals,
    with_parts_joined,
    without_source_names,
    word_forms,
    written_by,
    written_words,
)
from kb.models import Article, Filters
from kb.text import fold

TODAY = date(2026, 4, 15)  # a Wednesday
ARTICLES = [
    Article(id="a1", title="Levee fails", source="The Millbrook Ledger", date="2026-03-14"),
    Article(id="a2", title="Rebuild vote", source="Regional Wire", date="2026-04-02"),
    Article(id="a3", title="Recall", source="Circuit Business Daily", date="2026-04-08"),
    Article(id="a4", title="Undated", source="Regional Wire"),
]


def parsed(question: str) -> Filters:
    return parse_constraints(question, ARTICLES, {a.source for a in ARTICLES}, TODAY)


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("What did Regional Wire report about the vote?", ["Regional Wire"]),
        ("what did regional wire say?", ["Regional Wire"]),
        ("How did the Millbrook Ledger cover it?", ["The Millbrook Ledger"]),
        (
            "Compare Regional Wire and Circuit Business Daily",
            ["Regional Wire", "Circuit Business Daily"],  # in the order asked
        ),
        ("What did the wire services say?", []),  # only whole source names count
        ("What did The Verge say?", []),  # not a source of this knowledge base
    ],
)
def test_sources_named_in_the_question(question: str, sources: list[str]) -> None:
    assert parsed(question).sources == sources


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("What was reported on 2026-04-02?", "2026-04-02", "2026-04-02"),
        ("What was reported on 2 April 2026?", "2026-04-02", "2026-04-02"),
        ("What was reported on April 8, 2026?", "2026-04-08", "2026-04-08"),
        ("What did the news say in March 2026?", "2026-03-01", "2026-03-31"),
        ("Which stories were published in March?", "2026-03-01", "2026-03-31"),
        ("What did the articles cover in April?", "2026-04-01", "2026-04-30"),  # already begun
        ("What was reported in 2026?", "2026-01-01", "2026-12-31"),
        ("What was reported last week?", "2026-04-06", "2026-04-12"),
        ("What was reported before April 2026?", "", "2026-03-31"),
        ("What was reported after 2026-04-02?", "2026-04-03", ""),
        ("Any coverage since 2026-04-02?", "2026-04-02", ""),
        ("How did the levee fail?", "", ""),
        ("What flooded on 2026-03-14?", "", ""),  # a date of events: no word of coverage
        ("Which film was shot in 1986?", "", ""),
        # Ranges, ordinals, and months or years alone:
        ("What was reported between 2026-03-14 and 2026-04-02?", "2026-03-14", "2026-04-02"),
        ("What was reported from March 14 to April 2, 2026?", "2026-03-14", "2026-04-02"),
        ("What was reported from 2026-03-14 to April 2?", "2026-03-14", "2026-04-02"),
        ("What was reported between March and April?", "2026-03-01", "2026-04-30"),
        ("What was reported on 14th March 2026?", "2026-03-14", "2026-03-14"),
        ("What was reported on the 2nd of April 2026?", "2026-04-02", "2026-04-02"),
        ("What was reported on April 8th, 2026?", "2026-04-08", "2026-04-08"),
        ("What was reported on April 2?", "2026-04-02", "2026-04-02"),  # the latest April
        ("What was reported before April?", "", "2026-03-31"),
        ("What was reported since March?", "2026-03-01", ""),
        ("What was reported after 2025?", "2026-01-01", ""),
        ("What was reported in Sept. 2025?", "", ""),  # read, then dropped: no article then
        ("Which groups were reported to march on the council?", "", ""),  # a verb
        # "after" a first date of two starts the day (or the month) after it:
        ("What was reported after March 14 until April 8?", "2026-03-15", "2026-04-08"),
        ("What was reported after 2026-03-14 until 2026-04-08?", "2026-03-15", "2026-04-08"),
        ("What was reported after March until April?", "2026-04-01", "2026-04-30"),
        ("What was reported from March 14 until April 8?", "2026-03-14", "2026-04-08"),
    ],
)
def test_dates_in_the_question(question: str, since: str, until: str) -> None:
    found = parsed(question)
    assert (found.since, found.until) == (since, until)


def test_a_date_no_article_has_is_about_events_and_is_dropped() -> None:
    assert not parsed("What was the record reported in May 1987?")  # no article of that date
    assert not parsed("What was reported in December?")  # December 2025: no article
    assert not parsed("What was reported on 2026-02-30?")  # no such day


def test_the_users_own_filters_count_when_a_date_is_checked() -> None:
    wire = Filters(sources=["Regional Wire"])
    found = parse_constraints(
        "What was reported on 2026-04-08?", ARTICLES, {"Regional Wire"}, TODAY, wire
    )
    assert not found  # only Circuit Business Daily has that day: with --source, nothing would


def test_a_bare_one_word_source_is_not_named_by_a_common_word() -> None:
    times = [Article(id="t", title="T", source="The Times", date="2026-04-01")]
    assert (
        parse_constraints("How many times did it flood?", times, {"The Times"}, TODAY) == Filters()
    )
    named = parse_constraints("What did The Times say?", times, {"The Times"}, TODAY)
    assert named.sources == ["The Times"]


def test_filters_allow_and_describe() -> None:
    wire_in_april = Filters(sources=["regional wire"], since="2026-04-01", until="2026-04-30")
    assert [a.id for a in ARTICLES if wire_in_april.allows(a)] == ["a2"]  # a4 has no date
    assert [a.id for a in ARTICLES if Filters(article_ids=["a3"]).allows(a)] == ["a3"]
    tagged = Article(id="t", title="t", tags=["Flood", "Millbrook"])
    assert Filters(tags=["flood"]).allows(tagged) and Filters(tags=["MILLBROOK"]).allows(tagged)
    assert not Filters(tags=["recall"]).allows(tagged)
    assert wire_in_april.describe() == "articles from regional wire, dated 2026-04-01 to 2026-04-30"
    assert Filters(since="2026-04-02", until="2026-04-02").describe() == "articles dated 2026-04-02"
    assert not Filters() and Filters().describe() == "all articles"
    merged = Filters(sources=["A"], until="2026-05-01").merged(
        Filters(sources=["B"], since="2026-01-01", until="2026-04-01")
    )
    assert (merged.sources, merged.since, merged.until) == (["A"], "2026-01-01", "2026-04-01")


@pytest.mark.parametrize(
    ("question", "since", "until", "sources"),
    [
        ("What was reported before the Regional Wire article?", "", "2026-04-01", []),
        ("What did others say after Regional Wire's report?", "2026-04-03", "", []),
        # "since" (a reason as often as a time) and an "after" that is not right before the
        # source's name order nothing.
        (
            "What was published since the Millbrook Ledger story?",
            "",
            "",
            ["The Millbrook Ledger"],
        ),
        (
            "What happened after the vote, according to the Regional Wire report?",
            "",
            "",
            ["Regional Wire"],
        ),
        # With a range of its own, both hold.
        (
            "What was reported in April 2026 after the Millbrook Ledger article?",
            "2026-04-01",
            "2026-04-30",
            [],
        ),
        (
            "What was reported in April 2026 after the Regional Wire article?",
            "2026-04-03",
            "2026-04-30",
            [],
        ),
        # The anchor's own source is not a filter; another named source still is.
        (
            "What did Circuit Business Daily report after the Millbrook Ledger article?",
            "2026-03-15",
            "",
            ["Circuit Business Daily"],
        ),
        # Not a source of this knowledge base: no ordering, and "before" alone says nothing.
        ("What was reported before the Verge article?", "", "", []),
    ],
)
def test_before_or_after_a_sources_article(
    question: str, since: str, until: str, sources: list[str]
) -> None:
    found = parsed(question)
    assert (found.since, found.until, found.sources) == (since, until, sources)


def test_the_anchor_is_the_sources_article_the_question_is_about() -> None:
    articles = [
        Article(id="w1", title="Scooter recall", source="Regional Wire", date="2026-03-01",
                text="Voltaic recalled the VX40 scooter."),
        Article(id="w2", title="Levee vote", source="Regional Wire", date="2026-04-10",
                text="The council voted to rebuild the levee."),
        Article(id="l1", title="Levee fails", source="Ledger", date="2026-04-05"),
        Article(id="l2", title="Old news", source="Ledger", date="2026-02-01"),
    ]  # fmt: skip
    sources = {a.source for a in articles}
    about_the_levee = parse_constraints(
        "What did the Ledger report on the levee before the Regional Wire article on the vote?",
        articles,
        sources,
        TODAY,
    )
    assert (about_the_levee.until, about_the_levee.sources) == ("2026-04-09", ["Ledger"])
    about_the_scooter = parse_constraints(
        "What was reported before the Regional Wire story on the scooter recall?",
        articles,
        sources,
        TODAY,
    )
    assert about_the_scooter.until == "2026-02-28"
    nothing_before = parse_constraints(
        "What was reported before the Regional Wire story on the scooter recall?",
        articles[:3],  # no article before 1 March: not filtered into silence
        sources,
        TODAY,
    )
    assert not nothing_before


@pytest.mark.parametrize(
    ("question", "overview"),
    [
        ("What did Regional Wire report?", True),
        ("what did regional wire say", True),
        ("What was published in March 2026?", True),
        ("What happened last week?", True),
        ("Any news on 2026-04-02?", True),
        ("What did Regional Wire report about 5G?", False),
        ("What did Regional Wire report in 1999?", False),  # no article then: 1999 is a subject
        ("What did Regional Wire report in May?", False),  # "may" is no content word
        ("What did Regional Wire report last week?", False),
        ("What did Regional Wire report about the levee?", False),
        ("Who resigned in April?", False),
        ("What happened?", True),  # the news itself: how the latest articles open
        ("What is the latest news?", True),
        ("What is it?", False),  # nothing to give an overview of
        ("What was published yesterday?", False),  # no article then
    ],
)
def test_a_question_asking_only_for_a_sources_or_a_dates_articles(
    question: str, overview: bool
) -> None:
    assert asks_for_an_overview(question, parsed(question)) is overview


def test_the_dates_no_article_has_are_given_when_the_question_asks_only_for_them() -> None:
    from kb.constraints import dates_no_article_has

    for question in ("What was published yesterday?", "What did Regional Wire report yesterday?"):
        missing = dates_no_article_has(question, parsed(question), ARTICLES, TODAY)
        assert missing is not None and (missing.since, missing.until) == (
            "2026-04-14",
            "2026-04-14",
        )
    assert missing is not None and missing.sources == ["Regional Wire"]
    for question in (
        "What flooded yesterday?",
        "What was published in March 2026?",
        "What happened on March 14?",  # articles of that day: not missing
        "What happened in October 2024?",  # no word of coverage: a date of events
    ):
        assert dates_no_article_has(question, parsed(question), ARTICLES, TODAY) is None


def test_an_anchor_without_a_day_is_no_anchor() -> None:
    articles = [
        Article(id="w1", title="Vote", source="Regional Wire", date="2026-04"),
        Article(id="l1", title="Levee", source="Ledger", date="2026-03-14"),
    ]
    found = parse_constraints(
        "What was reported before the Regional Wire article?",
        articles,
        {"Regional Wire", "Ledger"},
        TODAY,
    )
    assert not found.until and not found.since


def test_a_possessive_ending_in_s_apostrophe() -> None:
    articles = [
        Article(id="r", title="Vote", source="Reuters", date="2026-04-02"),
        Article(id="l", title="Levee", source="Ledger", date="2026-04-05"),
    ]
    found = parse_constraints(
        "What was reported after Reuters' report?", articles, {"Reuters", "Ledger"}, TODAY
    )
    assert (found.since, found.sources) == ("2026-04-03", [])


SAMPLE_SOURCES = {
    "The Millbrook Ledger",
    "Regional Wire",
    "The Harlow Courier-Times",
    "Circuit Business Daily",
    "The Independent",
}


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        (
            "How did the Ledger and Regional Wire differ in their coverage of the Millbrook flood?",
            ["The Millbrook Ledger", "Regional Wire"],
        ),
        ("What did the Courier-Times say about the buses?", ["The Harlow Courier-Times"]),
        ("What did the Wire report?", ["Regional Wire"]),
        # A place in a source's name is not its short name.
        ("What did Regional Wire say about the Millbrook flood?", ["Regional Wire"]),
        ("How many boardings did Harlow's Green Line log?", []),
        ("What did the ledger of the council show?", []),  # not capitalised: not a name
    ],
)
def test_a_source_named_by_the_last_word_of_its_name(question: str, sources: list[str]) -> None:
    assert parse_constraints(question, [], SAMPLE_SOURCES, TODAY).sources == sources


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("and what did Consumer Watch say?", ["Consumer Watch Weekly"]),
        ("What did Circuit Business report about the fine?", ["Circuit Business Daily"]),
        ("What was Consumer Watch's count?", ["Consumer Watch Weekly"]),
        # Only as a source speaks: otherwise the words are a place or another name.
        ("How much rain fell on the upper Alder Valley?", []),
        ("What did Alder Valley Electric say?", []),
        ("Is the Consumer Watch list long?", []),
    ],
)
def test_a_source_named_without_how_often_it_appears(question: str, sources: list[str]) -> None:
    known = SAMPLE_SOURCES | {"Consumer Watch Weekly", "Alder Valley Weekly"}
    assert parse_constraints(question, [], known, TODAY).sources == sources


def test_a_source_is_named_only_with_its_capitals() -> None:
    def named(question: str) -> list[str]:
        return parse_constraints(question, [], SAMPLE_SOURCES, TODAY).sources

    assert named("Who ordered the independent levee review?") == []
    assert named("Who ordered the Independent's review?") == ["The Independent"]
    assert named("What did Regional wire say?") == []
    assert named("what did regional wire say?") == ["Regional Wire"]  # no capitals anywhere
    assert named("who ordered the independent levee review?") == []  # one common word


def test_after_a_sources_article_named_by_its_short_name() -> None:
    found = parse_constraints(
        "What was reported after the Ledger article?", ARTICLES, SAMPLE_SOURCES, TODAY
    )
    assert (found.since, found.until, found.sources) == ("2026-03-15", "", [])


@pytest.mark.parametrize(
    ("question", "today", "since", "until"),
    [
        ("What was reported on April 20?", TODAY, "2025-04-20", "2025-04-20"),  # not to come
        ("What was reported from April 1 to April 30?", TODAY, "2026-04-01", "2026-04-30"),
        ("What was reported from December 20 to January 5?", TODAY, "2025-12-20", "2026-01-05"),
        ("What was reported on February 29?", date(2029, 1, 10), "2028-02-29", "2028-02-29"),
    ],
)
def test_a_day_without_a_year_is_the_last_one_that_has_begun(
    question: str, today: date, since: str, until: str
) -> None:
    dated = [Article(id=d, title=d, source="Wire", date=d) for d in (since, until)]
    found = parse_constraints(question, dated, {"Wire"}, today)
    assert (found.since, found.until) == (since, until)


def test_sept_is_september() -> None:
    september = [Article(id="s", title="S", source="Regional Wire", date="2025-09-12")]
    found = parse_constraints(
        "What was reported in Sept. 2025?", september, {"Regional Wire"}, TODAY
    )
    assert (found.since, found.until) == ("2025-09-01", "2025-09-30")


def test_the_other_sources_are_those_the_question_does_not_name() -> None:
    found = parsed("What did the other sources say, besides the Millbrook Ledger?")
    assert found.sources == ["Circuit Business Daily", "Regional Wire"]


def test_the_anchor_matches_stems_of_the_words_describing_it() -> None:
    articles = [
        Article(id="c1", title="Voltaic recalls VX-40 batteries", source="Circuit Business Daily",
                date="2026-03-18", text="Voltaic recalled 86,000 batteries after fires."),
        Article(id="c2", title="Voltaic Fined $14.5 Million Over VX-40 Recall",
                source="Circuit Business Daily", date="2026-04-06",
                text="The recall cost Voltaic a fine."),
        Article(id="w1", title="Recall refunds", source="Regional Wire", date="2026-04-10"),
        Article(id="w2", title="Early news", source="Regional Wire", date="2026-03-01"),
    ]  # fmt: skip
    sources = {a.source for a in articles}

    def read(question: str) -> tuple[str, str]:
        found = parse_constraints(question, articles, sources, TODAY)
        return found.since, found.until

    on_the_fine = (
        "What was reported about the recall after the Circuit Business Daily article on the fine?"
    )
    assert read(on_the_fine) == ("2026-04-07", "")
    # Nothing tells its two articles apart: the least the question could mean is excluded.
    assert read("What was reported after the Circuit Business Daily article?") == ("2026-03-19", "")
    assert read("What was reported before the Circuit Business Daily article?") == (
        "",
        "2026-04-05",
    )


def test_a_date_clashing_with_the_users_dates_is_kept_and_leaves_no_day() -> None:
    until_march = Filters(sources=["Regional Wire"], until="2026-03-31")
    question = "What did Regional Wire report in April?"
    found = parse_constraints(question, ARTICLES, {"Regional Wire"}, TODAY, until_march)
    assert (found.since, found.until) == ("2026-04-01", "2026-04-30")
    both = until_march.merged(found)
    assert not any(both.allows(article) for article in ARTICLES)  # not March's articles


def test_a_range_of_days_chooses_articles_without_a_word_of_coverage() -> None:
    week = "What happened between March 14 and March 21?"
    assert (parsed(week).since, parsed(week).until) == ("2026-03-14", "2026-03-21")
    assert asks_for_an_overview(week, parsed(week))  # the openings of that week's articles
    assert not parsed("What happened on March 14?")  # a day of events, searched as words
    assert not parsed("What flooded between March 1 and March 5, 1990?")  # no article then


@pytest.mark.parametrize("kept_words", [False, True])  # read from the articles, or their words
def test_a_lower_case_source_word_the_articles_never_write_in_lower_case(kept_words: bool) -> None:
    articles = [
        Article(id="l", title="Levee fails", source="The Millbrook Ledger", date="2026-03-14",
                text="The Ledger asked the council why the levee failed."),
        Article(id="i", title="Review", source="The Independent", date="2026-04-02",
                text="The council ordered an independent levee review."),
        Article(id="w", title="Vote", source="Regional Wire", date="2026-04-03",
                text="The council voted."),
    ]  # fmt: skip
    sources = {a.source for a in articles}

    words = written_words(articles)
    capital_only = partial(only_capitalised, words=words) if kept_words else None

    def named(question: str) -> list[str]:
        return parse_constraints(question, articles, sources, TODAY, None, capital_only).sources

    assert named("what did the ledger say about the levee?") == ["The Millbrook Ledger"]
    assert named("Who ordered the independent levee review?") == []  # a common word there
    assert named("what did the Independent say?") == ["The Independent"]
    assert named("Who sent the wire transfer?") == []  # no article writes "wire" at all


def test_only_the_name_that_named_a_source_leaves_the_question() -> None:
    from kb.constraints import without_source_names

    sources = {"The Independent", "Regional Wire", "The Millbrook Ledger"}
    assert (
        without_source_names(
            "What did The Independent say about the independent review?", {"The Independent"}
        )
        == "What did The say about the independent review?"  # "The": a stopword
    )
    assert (
        without_source_names(
            "What did Regional Wire say about regional wire fraud?", {"Regional Wire"}
        )
        == "What did say about regional wire fraud?"
    )
    assert without_source_names("what did the ledger say?", sources) == "what did the say?"


def test_the_verb_a_source_is_the_subject_of_leaves_the_question_with_it() -> None:
    """ "Did Regional Wire and the Ledger report the same death toll?" was searched for "report"
    and answered by the Ledger's "A full report is due in about six weeks."; the Ledger's report
    is still a subject."""
    sources = {"Regional Wire", "The Millbrook Ledger"}
    assert (
        without_source_names(
            "Did Regional Wire and the Ledger report the same death toll?", sources
        )
        == "Did and the the same death toll?"
    )
    assert (
        without_source_names("What did the Ledger's report say about the levee?", sources)
        == "What did the 's report say about the levee?"
    )
    assert without_source_names("What did the Ledger report?", sources) == "What did the report?"


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("What is the population of Tokyo?", ["Tokyo"]),
        ("What did Reuters and Tass report?", ["Reuters", "Tass"]),
        ("What did Reuters and Voltaic report?", []),  # one known name: the search decides
        # A known name that only places what is asked vouches for no other.
        ("Did Governor Hollis recall packs in Voltaic?", ["Governor Hollis"]),
        ("What did Governor Hollis say at the Voltaic plant?", ["Governor Hollis"]),
        ("Did Voltaic recall packs in Tokyo?", []),
        ("Who composed Aschenbrodel?", []),  # the articles' "Aschenbrödel"
        ("Why did the VX-40 packs fail?", []),  # "VX-40" is written whole, not "VX"
        ("What happened in March, 2026?", []),  # no names, only a date
        ("what is the population of tokyo?", []),  # no capitals: nothing reads as a name
        ("Explain the levee failure", []),  # a verb opening the question is no name
        ("Thanks! Summarize the recall.", []),
        ("What is the VX40 recall?", []),  # the articles' "VX-40" joined
        ("What is the VX 40 recall?", []),
        ("Why did Voltaic-made packs fail?", []),  # a part of a hyphenated word
        ("Is Tokyo bigger than Osaka?", ["Tokyo", "Osaka"]),
        ("¿Cuántas hectáreas se inundaron?", []),  # the question word after "¿" is no name
        ("¿Cuántas personas viven en Tokyo?", ["Tokyo"]),
        ("Was sagte Strauß?", []),  # the articles' "Strauss" (ß is ss)
    ],
)
def test_names_no_article_writes(question: str, unknown: list[str]) -> None:
    articles = [
        Article(id="a1", title="Fairy tale ballet", text="Aschenbrödel, a ballet by Strauss."),
        Article(id="a2", title="Recall", source="Voltaic", text="VX-40 packs were recalled."),
    ]
    words = with_parts_joined(
        written_words(articles) | label_words(articles)
    )  # "Voltaic": a source
    assert unknown_names(question, frozenset(map(fold, words))) == unknown


@pytest.mark.parametrize(
    ("question", "text"),
    [
        # an acronym is its name's capitals, a country's letters leading the name or not
        (
            "Is tovarsiran approved by the FDA?",
            "Helix will ask the US Food and Drug Administration.",
        ),
        ("What did OSHA find?", "The Occupational Safety and Health Administration fined it."),
        # a people's name is its country's
        ("How many Spanish patients took part?", "En España participaron 1.100 pacientes."),
        ("Did German doctors take part?", "Doctors in Germany took part."),
    ],
)
def test_a_name_written_another_way_is_known(question: str, text: str) -> None:
    """ "No article mentions FDA", "No article mentions Spanish": the articles wrote "US Food
    and Drug Administration" and "España"."""
    articles = [Article(id="a1", title="Trial", text=text)]
    words = with_parts_joined(written_words(articles) | label_words(articles))
    assert unknown_names(question, frozenset(map(fold, words))) == []


def test_an_acronym_no_name_spells_is_still_unknown() -> None:
    articles = [Article(id="a1", title="Trial", text="The Federal Emergency Management Agency.")]
    words = with_parts_joined(written_words(articles) | label_words(articles))
    assert unknown_names("What did the EMA say?", frozenset(map(fold, words))) == ["EMA"]


@pytest.mark.parametrize(
    ("word", "form"), [("fall", "fell"), ("rose", "rise"), ("rise", "risen"), ("teach", "taught")]
)
def test_a_words_forms_are_its_irregular_ones_too(word: str, form: str) -> None:
    assert form in word_forms(word)


def test_the_anchor_is_named_by_its_subject_not_by_the_words_asking() -> None:
    """ "What happened after the Circuit Business Daily article about the recall?": the recall
    article, though the fine's says "happened"; the subject may stand before the piece ("recall
    article", "the Ledger's levee inspection story")."""
    articles = [
        Article(id="c1", title="Voltaic recalls VX-40 batteries", source="Circuit Business Daily",
                date="2026-03-18", text="Voltaic recalled 86,000 batteries after fires."),
        Article(id="c2", title="Voltaic Fined $14.5 Million Over VX-40 Recall",
                source="Circuit Business Daily", date="2026-04-06",
                text="What happened at Voltaic: the regulator fined it over the recall."),
        Article(id="l1", title="Levee fails", source="The Millbrook Ledger", date="2026-03-14",
                text="The levee failed."),
        Article(id="l2", title="Engineers rated the levee poor", source="The Millbrook Ledger",
                date="2026-03-21", text="A levee inspection in 2024 found it poor."),
    ]  # fmt: skip
    sources = {a.source for a in articles}

    def read(question: str) -> tuple[str, str, list[str]]:
        found = parse_constraints(question, articles, sources, TODAY)
        return found.since, found.until, found.sources

    after_the_recall: tuple[str, str, list[str]] = ("2026-03-19", "", [])
    assert read("What happened after the Circuit Business Daily article about the recall?") == (
        after_the_recall
    )
    assert read("What happened after the Circuit Business Daily recall article?") == (
        after_the_recall
    )
    assert read("What did they say before the Circuit Business Daily's fine report?") == (
        "",
        "2026-04-05",
        [],
    )
    assert read("What happened after the Ledger's levee inspection story?") == (
        "2026-03-22",
        "",
        [],
    )


def test_what_happened_in_a_month_is_in_that_months_articles() -> None:
    """Not a day's events, which later articles report ("What happened on March 14?")."""
    green_line = parsed("What happened with the levee in March 2026?")
    assert (green_line.since, green_line.until) == ("2026-03-01", "2026-03-31")
    assert not parsed("What happened in October 2024?")  # no article then: events, as words


def test_a_named_sources_coverage_of_days_no_article_has_is_missing_whatever_its_subject() -> None:
    from kb.constraints import dates_no_article_has

    for question, sources in (
        ("What did Regional Wire say last week about the vote?", ["Regional Wire"]),
        ("What was reported yesterday about the levee?", []),
        ("What did Regional Wire report about the levee in 1999?", ["Regional Wire"]),
    ):
        missing = dates_no_article_has(question, parsed(question), ARTICLES, TODAY)
        assert missing is not None and missing.sources == sources, question
    for question in ("What did engineers say about the levee in 2024?", "What flooded yesterday?"):
        assert dates_no_article_has(question, parsed(question), ARTICLES, TODAY) is None


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("Millbrook Ledger", "The Millbrook Ledger"),
        ("millbrook ledger", "The Millbrook Ledger"),
        ("the Ledger", "The Millbrook Ledger"),
        ("THE MILLBROOK LEDGER", "The Millbrook Ledger"),
        ("  regional   wire ", "Regional Wire"),
        ("Courier-Times", "The Harlow Courier-Times"),
        ("Reuters", "Reuters"),  # no source of this knowledge base: left as given
        ("The", "The"),
    ],
)
def test_a_source_the_user_names_is_the_one_a_question_would_name(name: str, source: str) -> None:
    from kb.constraints import source_named_by

    assert source_named_by(name, SAMPLE_SOURCES) == source


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("What happened after the VX-40 recall was announced?", "the VX-40 recall was announced"),
        ("what has happened since the levee failed", "the levee failed"),
        ("What happened next after the vote?", "the vote"),
        ("Why did the levee fail after the storm?", ""),
        ("What happened after?", ""),
    ],
)
def test_what_followed_an_event_is_asked(question: str, event: str) -> None:
    assert what_followed(question) == event


def test_a_source_named_in_full_leaves_no_word_of_it_in_the_question() -> None:
    """Its short name ("Circuit Business") starts where the full one does: the longest counts."""
    question = "What did Circuit Business Daily report about the refund?"
    assert without_source_names(question, {"Circuit Business Daily"}) == (
        "What did about the refund?"
    )


@pytest.mark.parametrize(
    ("question", "cased"),
    [
        ("who is helena qureshi", "who is Helena Qureshi"),
        ("who replaced carl brenner as ceo", "who replaced Carl Brenner as CEO"),
        ("what did regulators say", "what did regulators say"),  # only opens sentences
        ("Who is helena qureshi?", "Who is helena qureshi?"),  # the user's own capitals stand
        # Written "HARLOW —" in a dateline too: the name is Harlow, not all capitals
        ("who is the mayor of harlow city", "who is the mayor of Harlow City"),
    ],
)
def test_a_lower_case_question_gets_the_capitals_of_the_names_it_writes(
    question: str, cased: str
) -> None:
    words = {"Helena", "Qureshi", "Carl", "Brenner", "CEO", "Regulators", "replaced", "who"}
    words |= {"HARLOW", "Harlow", "City"}
    assert with_capitals(question, words) == cased


def test_a_date_in_a_clause_about_the_asker_dates_their_life_not_the_articles() -> None:
    """ "my basement flooded last month" with "whether the town has said…": the word of coverage
    is about the answer, and no article of last month is missing for it."""
    from kb.constraints import dates_no_article_has

    about_the_asker = (
        "I live on Fenwick Street and my basement flooded last month during the big storm, so I "
        "would like to know whether the town has said how many households registered interest?",
        "Last week we moved to Millbrook, what did the council report?",
        "My basement flooded on April 2, 2026. What was reported about the grants?",
    )
    for question in about_the_asker:
        found = parsed(question)
        assert not (found.since or found.until), question
        assert dates_no_article_has(question, found, ARTICLES, TODAY) is None, question
    for question in (  # the asker's words, but the date is the articles'
        "I want to know what was reported yesterday",
        "I need the articles from yesterday",
        "What did I miss yesterday in the news?",
    ):
        missing = dates_no_article_has(question, parsed(question), ARTICLES, TODAY)
        assert missing is not None and missing.since == "2026-04-14", question


def test_a_typo_of_a_name_the_articles_write_is_no_unknown_name() -> None:
    """ "Voltiac", "Milbrook": one or two edits from the articles' name, and spelled as theirs
    for the search; a German question's capitalised nouns ("Deich") are no names. A name no
    article writes is still unknown, and a common word is no name's typo ("World" is not
    "would")."""
    articles = [
        Article(id="v", title="Voltaic fined", text="Voltaic Cell Works would pay the fine."),
        Article(id="m", title="Levee fails", text="Millbrook flooded; the New York office shut."),
    ]
    words = written_words(articles)
    folded = frozenset(map(fold, with_parts_joined(words)))
    names = name_spellings(words)

    def unknown(question: str) -> list[str]:
        return unknown_names(respelled(question, folded, names)[0], folded)

    assert respelled("Who was the cheif executive of Voltiac?", folded, names) == (
        "Who was the cheif executive of Voltaic?",
        [("Voltiac", "Voltaic")],
    )
    assert respelled("How manny homes were damged in Milbrooke?", folded, names)[1] == [
        ("Milbrooke", "Millbrook")  # two edits in a long name
    ]
    for question in (
        "Who was the cheif executive of Voltiac?",
        "How manny homes were damged in Milbrook?",
        "Warum ist der Deich gebrochen?",
        "Wie hoch war der Pegel in Milbrook?",
    ):
        assert unknown(question) == [], question
    assert unknown("What is the population of Tokyo?") == ["Tokyo"]
    assert unknown("Who won the World Cup?") == ["World Cup"]
    assert unknown("Who is Vlotaci?") == ["Vlotaci"]  # three edits
    assert respelled("What did the New York Times say?", folded, names)[1] == []  # theirs
    assert unknown_names("Who was the cheif executive of Voltiac?", folded) == ["Voltiac"]


def test_a_name_is_no_typo_of_a_common_word_nor_of_a_short_name() -> None:
    """ "Paris" became "Pairs" when the articles wrote "pairs", "Mali" "Mail": the question
    lost its "No article mentions Paris"."""
    text = "Two pairs of boots, iron gates and mail. Pairs, Mails and Irons. Voltaic said so."
    words = written_words([Article(id="a", title="Shop", text=text)])
    folded, names = frozenset(map(fold, words)), name_spellings(words)
    for question, name in (("What happened in Paris?", "Paris"), ("Who runs Mali?", "Mali")):
        assert respelled(question, folded, names) == (question, [])
        assert unknown_names(question, folded) == [name]


def test_the_one_day_a_question_asks_of() -> None:
    assert event_day("What happened in Millbrook on March 14?", TODAY) == "2026-03-14"
    assert event_day("What happened on 2026-03-14?", TODAY) == "2026-03-14"
    assert event_day("What happened in March?", TODAY) == ""  # a month, not a day
    assert event_day("What happened between March 14 and March 21?", TODAY) == ""
    assert event_day("Why did the levee fail?", TODAY) == ""


def test_an_outlet_compared_with_a_source_held_is_kept_though_none_is_from_it() -> None:
    """ "… differ between the Castlebrook Courier and Regional Wire?", when no article's source is
    the Courier, searched Regional Wire alone and said so, as if the question named only it."""
    assert parsed(
        "How did the Castlebrook Courier and Regional Wire differ on the levee?"
    ).sources == [
        "Castlebrook Courier",
        "Regional Wire",
    ]
    # Alone, it names no source: the question is answered from every article, as before.
    assert parsed("What did the Castlebrook Courier report about the levee?").sources == []
    # A name not shaped as an outlet's is no source ("Mayor Whitfield").
    assert parsed("What did Regional Wire and Mayor Whitfield say?").sources == ["Regional Wire"]


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        (
            "Did the Millbrook Ledger report on the sale of the Harlow Trading Post?",
            ["The Millbrook Ledger"],
        ),
        (
            "What did the Castlebrook Courier and the Millbrook Ledger report?",
            ["Castlebrook Courier", "The Millbrook Ledger"],
        ),
        (
            "Regional Wire versus the Castlebrook Courier on the levee?",
            ["Regional Wire", "Castlebrook Courier"],
        ),
    ],
)
def test_an_outlet_not_held_is_a_source_only_as_a_side_compared(
    question: str, sources: list[str]
) -> None:
    """Any name ending in a masthead's word beside a source held was a source: the Harlow
    Trading Post, a shop the Ledger reported on, and the answer said "No passage found is from
    Harlow Trading Post."."""
    assert parsed(question).sources == sources


KINDS = [
    Article(id="pr", title="Injection cuts heart attacks | News", source="University of Northmoor",
            language="en", text="EMBARGOED UNTIL MONDAY\n\nInjection cuts heart attacks\n\n"
            "Press release · 9 March 2026 · Faculty of Medicine\n\nA twice-yearly injection …"),
    Article(id="col", title="The heart jab headlines got ahead of the evidence",
            source="The Evening Ledger", language="en",
            text="The heart jab headlines got ahead of the evidence\n\nOpinion | Martin Kell | The "
            "Evening Ledger | 11 March 2026\n\nI am wary of the word landmark in a press release."),
    Article(id="live", title="Live: trial results — as it happened", language="en",
            text="Live: trial results\n\nHealthWatch Live · Live blog by Grace Holloway\n\n…"),
    Article(id="es", title="Una inyección reduce los infartos", language="es", text="Un fármaco …"),
    Article(id="cea", title="Independent Evidence Appraisal of Tovarsiran", language="en",
            text="Independent Evidence Appraisal\n\nPublished 20 March 2026\n\nSummary\n\n"
            "This briefing appraises the trial."),
    Article(id="wire", title="Heart jab cuts cardiac events", source="Meridian Wire", language="en",
            text="Heart jab cuts cardiac events\n\nBy Daniel Reyes\n\nAn injection cut the risk."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "ids"),
    [
        ("What did the press release say about funding?", ["pr"]),  # not the column's words
        ("What did the opinion column say?", ["col"]),
        ("What did the column say?", ["col"]),
        ("What did the live blog report?", ["live"]),
        ("What did the Spanish article say?", ["es"]),
        ("What did the report conclude?", ["cea"]),  # "This briefing appraises …"
        ("What did Meridian Wire report?", []),  # a source's report is no kind
        ("What did the editorial say?", ["col"]),
        ("What did the French article say?", []),  # none is in French
    ],
)
def test_an_article_called_by_its_kind_or_language(question: str, ids: list[str]) -> None:
    """ "What did the press release say about funding?" quoted the press release's date line
    and another article's funding; "the Spanish article" was a word no article writes."""
    assert [article.id for article in articles_referred_to(question, KINDS)] == ids


def test_articles_called_by_their_kind_are_compared_as_sources() -> None:
    sources = {a.source for a in KINDS if a.source}
    question = "How did the press release and the opinion column differ on who funded the trial?"
    found = parse_constraints(question, KINDS, sources, TODAY)
    assert found.article_ids == ["col", "pr"]
    assert found.sources == ["The Evening Ledger", "University of Northmoor"]
    # beside a source named, its articles are searched too; a live blog has no source
    found = parse_constraints(
        "How did the live blog and Meridian Wire differ?", KINDS, sources, TODAY
    )
    assert (found.article_ids, found.sources) == (["live", "wire"], [])


def test_a_question_only_about_an_article_of_a_kind_asks_for_an_overview() -> None:
    found = parse_constraints("What did the Spanish article say?", KINDS, set(), TODAY)
    assert asks_for_an_overview("What did the Spanish article say?", found)
    found = parse_constraints(
        "What did the Spanish article say about the price?", KINDS, set(), TODAY
    )
    assert not asks_for_an_overview("What did the Spanish article say about the price?", found)


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        ("What did the mayor say? <script>alert('x')</script> 🙂", "What did the mayor say?"),
        ("<b>Who</b> won? 👍🏽", "Who won?"),
        ("How much did it cost in $? ✅", "How much did it cost in $?"),
        ("What did the press release say about funding?", "What did say about funding?"),
        ("What did the press release say?", "What did the press release say?"),  # nothing else
    ],
)
def test_the_words_searched_are_no_markup_emoji_nor_an_article_called_by_its_kind(
    question: str, searched: str
) -> None:
    """ "What did the mayor say? <script>alert('x')</script> 🙂" abstained where "What did the
    mayor say?" answered."""
    assert searched_words(question) == searched


def test_a_typo_of_a_name_opening_the_question_is_mended() -> None:
    """ "Voltiac recall how many batteries" abstained: the first word of a question is
    capitalised whatever it is, and was no name to mend; an English word there is none."""
    names = {"voltaic": "Voltaic", "explode": "Explode"}
    assert respelled("Voltiac recall how many batteries", {"recall"}, names) == (
        "Voltaic recall how many batteries",
        [("Voltiac", "Voltaic")],
    )
    assert respelled("Explain the recall", {"recall"}, names) == ("Explain the recall", [])


@pytest.mark.parametrize(
    ("text", "author", "by"),
    [
        ("Opinion | Martin Kell | The Evening Ledger | 11 March 2026\n\nI have been …", "", True),
        ("The trial was flawed.\n\nMartin Kell is a science writer and former GP.", "", True),
        ("Critics such as Martin Kell called for scrutiny of the data.", "", False),
        ("The trial was flawed.", "Martin Kell", True),
    ],
)
def test_what_a_person_wrote_is_told_by_its_labels_not_by_naming_them(
    text: str, author: str, by: bool
) -> None:
    article = Article(id="a1", title="Martin Kell on the trial", author=author, text=text)
    assert written_by(article, "Martin Kell") is by


def test_a_source_the_others_write_about_is_a_subject_unless_asked_as_the_teller() -> None:
    articles = [
        Article(id="c", title="Calder Mutual statement on cybersecurity incident",
                source="Calder Mutual", date="2026-10-07",
                text="Calder Mutual has received a demand from the group responsible."),
        Article(id="l", title="A week after the breach", source="The Harrowgate Ledger",
                date="2026-10-15", text="Calder Mutual said it had not paid and would not pay."),
    ]  # fmt: skip
    sources = {a.source for a in articles}

    def named(question: str) -> list[str]:
        return parse_constraints(question, articles, sources, TODAY).sources

    # The insurer every outlet covers, as the subject or object of what happened: a topic word.
    assert named("Did Calder Mutual pay the ransom?") == []
    assert named("What did the regulator order Calder Mutual to do?") == []
    assert named("What fine did the regulator impose on Calder Mutual?") == []
    # As who told it: its own articles.
    assert named("What did Calder Mutual say about the ransom?") == ["Calder Mutual"]
    assert named("According to Calder Mutual, was card data taken?") == ["Calder Mutual"]
    assert named("What is in Calder Mutual's statement?") == ["Calder Mutual"]
    assert named("What did Calder Mutual and the Ledger report?") == [
        "Calder Mutual",
        "The Harrowgate Ledger",
    ]
    # A source no other article writes of is named as before, whatever its verb.
    assert named("What did the Harrowgate Ledger correct?") == ["The Harrowgate Ledger"]
    assert named("Did the Ledger get the date wrong?") == ["The Harrowgate Ledger"]


def test_an_outlet_the_others_cite_is_still_a_filter_wherever_the_question_names_it() -> None:
    """Outlets citing each other ('As ByteWatch first reported') are written of, but only a
    source speaking for itself (its statement) is asked of as the subject of the news."""
    articles = [
        Article(id="g", title="Council systems hit by ransomware", source="Harwick Gazette",
                date="2026-10-08", text="As ByteWatch first reported, the council was affected. "
                "The attackers asked for 45 bitcoin."),
        Article(id="b", title="Inside the council breach", source="ByteWatch", date="2026-10-09",
                text="The Harwick Gazette reported that the ransom was 45 bitcoin."),
        Article(id="c", title="Calder Mutual statement on cybersecurity incident",
                source="Calder Mutual", date="2026-10-07",
                text="Calder Mutual has received a demand from the group responsible."),
        Article(id="w", title="Insurer hit", source="Regional Wire", date="2026-10-08",
                text="Calder Mutual said it had not paid. The Harwick Gazette and ByteWatch "
                "covered the council breach."),
    ]  # fmt: skip
    sources = {a.source for a in articles}

    def named(question: str) -> list[str]:
        return parse_constraints(question, articles, sources, TODAY).sources

    for question in [
        "ByteWatch: how much was the ransom?",
        "How much was the ransom in ByteWatch?",
        "Did ByteWatch get the ransom right?",
    ]:
        assert named(question) == ["ByteWatch"], question
    for question in [
        "In the Harwick Gazette, was the council affected?",
        "Was the council affected, per the Harwick Gazette?",
        "Harwick Gazette on the council",
        "What does the Harwick Gazette have on the council?",
        "Summarise the Gazette's take on the council vote",
    ]:
        assert named(question) == ["Harwick Gazette"], question
    # The insurer speaking for itself is still the news's subject when not asked as its teller.
    assert named("Did Calder Mutual pay the ransom?") == []
    assert named("What fine did the regulator impose on Calder Mutual?") == []
    assert named("Per Calder Mutual, was card data taken?") == ["Calder Mutual"]
    assert named("Calder Mutual: was card data taken?") == ["Calder Mutual"]
    assert named("What is Calder Mutual's take on the breach?") == ["Calder Mutual"]


def test_a_source_whose_telling_another_differs_from_is_a_side_compared() -> None:
    """ "How did Meridian Wire's account differ from the University of Westmere's?" searched
    the Wire alone: the university, a subject of the Wire's news speaking for itself in a
    press release, was a side only when joined by "and", "versus" or "compared with"."""
    articles = [
        Article(id="pr", title="Westmere trial results", source="University of Westmere",
                text="Press release\n\nThe University of Westmere today announced results."),
        Article(id="wire", title="Drug cuts heart attacks", source="Meridian Wire",
                text="The trial was run by the University of Westmere."),
    ]  # fmt: skip
    sources = {article.source for article in articles}
    for question in (
        "How did Meridian Wire's account differ from the University of Westmere's?",
        "How does Meridian Wire's coverage compare with that of the University of Westmere?",
    ):
        found = parse_constraints(question, articles, sources, TODAY)
        assert found.sources == ["Meridian Wire", "University of Westmere"], question
    # Not compared, the university is the Wire's subject: no filter to its own statement.
    found = parse_constraints("What did Meridian Wire say about the University of Westmere?",
                              articles, sources, TODAY)  # fmt: skip
    assert found.sources == ["Meridian Wire"]
    # The sides in the order the question names them, not in alphabetical order.
    for question in (
        "How did the University of Westmere's account differ from Meridian Wire's?",
        "What differs between the University of Westmere and Meridian Wire?",
    ):
        found = parse_constraints(question, articles, sources, TODAY)
        assert found.sources == ["University of Westmere", "Meridian Wire"], question


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        # What someone said on a day: later articles tell it too (a live blog's dated update).
        ("What did Mayor Whitfield say on April 2?", "", ""),
        ("What was said on April 2?", "", ""),
        # A source's saying, or the news's, is its articles' of that day.
        ("What did Regional Wire say on April 2?", "2026-04-02", "2026-04-02"),
        ("What did the news say on April 2?", "2026-04-02", "2026-04-02"),
        ("What did Mayor Whitfield say in the report on April 2?", "2026-04-02", "2026-04-02"),
    ],
)
def test_a_day_someone_said_something_is_no_day_of_articles(
    question: str, since: str, until: str
) -> None:
    """ "What did Halvern say on October 9?" searched only the articles dated October 9, not the
    live blog of October 10 whose "Update, October 9:" told what he said."""
    found = parsed(question)
    assert (found.since, found.until) == (since, until)
