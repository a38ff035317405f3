"""The day a sentence tells of (kb.dates.days_named): written dates, weekdays, "yesterday",
read against the article's date, with tense, clause and span taken into account; and the days
the sample corpus's sentences name, as the digest and the answers read them."""

from __future__ import annotations

from datetime import date

import pytest

from kb.api import KnowledgeBase
from kb.dates import dated_entry, days_named, tells_an_event
from kb.summarize import article_sentences

SAT_MAR_14 = date(2026, 3, 14)  # a Saturday
WED_MAR_18 = date(2026, 3, 18)
MON_APR_6 = date(2026, 4, 6)
SAT_MAR_21 = date(2026, 3, 21)
FRI_APR_10 = date(2026, 4, 10)


@pytest.mark.parametrize(
    ("sentence", "published", "day"),
    [
        ("The regulator was told on 2026-02-10.", WED_MAR_18, "2026-02-10"),
        ("The regulator was told on 2026-02-10.", None, "2026-02-10"),
        ("The levee failed on March 14.", MON_APR_6, "2026-03-14"),
        ("The levee failed on Mar. 14th, officials said.", MON_APR_6, "2026-03-14"),
        ("The levee failed on 14 March.", MON_APR_6, "2026-03-14"),
        ("The levee failed on 14 March 2026.", None, "2026-03-14"),
        ("The first report came on August 3, 2025.", MON_APR_6, "2025-08-03"),
        # without a year: the article's year, or the year before when that would be its future
        ("The pack was sold on December 5.", WED_MAR_18, "2025-12-05"),
        ("The hearing is on March 24.", WED_MAR_18, "2026-03-24"),
        # weekdays: the latest on or before the article's date...
        ("The river rose on Saturday.", WED_MAR_18, "2026-03-14"),
        ("The chief executive resigned on Monday.", MON_APR_6, "2026-04-06"),
        ("On Tuesday, a door fault halted service.", date(2026, 3, 23), "2026-03-17"),
        # ...or the next one, after "will", "would", "expected", "next"...
        ("A centre will open in Millbrook on Monday.", SAT_MAR_14, "2026-03-16"),
        ("The agency said it would open a centre on Monday.", SAT_MAR_14, "2026-03-16"),
        ("Forecasters expected the river to drop by Monday morning.", SAT_MAR_14, "2026-03-16"),
        # ...but not a forecast joined to a past event: the day is the forecast's, not the event's
        (
            "The rain ended by 9 a.m., and forecasters expected the river to drop by Monday.",
            SAT_MAR_14,
            "",
        ),
        ("The board meets next Friday.", WED_MAR_18, "2026-03-20"),
        ("The mayor spoke yesterday.", SAT_MAR_14, "2026-03-13"),
        ("The mayor speaks today.", SAT_MAR_14, "2026-03-14"),
        # invalid dates are ignored, and without the article's date nothing relative resolves
        ("The vote was set for February 30.", WED_MAR_18, ""),
        ("The vote was set for 2026-02-30.", WED_MAR_18, ""),
        ("The river rose on Saturday.", None, ""),
        ("The mayor spoke yesterday.", None, ""),
        ("The levee failed on March 14.", None, ""),
        ("The river crested at 6.8 metres in April 1987.", MON_APR_6, ""),
        ("Trains run every ten minutes.", MON_APR_6, ""),
        # tense and clause:
        # to come: a modal or "from" anywhere in the clause before the day, however far
        (
            "HRT's plan would cut Route 7 to one bus every 20 minutes in the evenings on June 1.",
            FRI_APR_10,
            "2026-06-01",
        ),
        ("Fares rise to $3 from June 1.", FRI_APR_10, "2026-06-01"),
        (
            "She will present a rebuild budget at a special council meeting on April 1.",
            SAT_MAR_21,
            "2026-04-01",
        ),
        (
            "The agency said it would open a disaster assistance centre in Millbrook on Monday.",
            SAT_MAR_14,
            "2026-03-16",
        ),
        (
            "The Ledger will publish shelters, road closures and more in Monday's edition.",
            SAT_MAR_14,
            "2026-03-16",
        ),
        ("On Monday, the agency will open a centre in Millbrook.", SAT_MAR_14, "2026-03-16"),
        # a present statement is the article's day, not that of the figure it is compared with
        ("Voltaic now counts 41 reports, up from 27 reports on March 18.", MON_APR_6, "2026-04-06"),
        # the day of the sentence's own clause, not one in a clause about something else
        (
            "HRT's plan, presented on Tuesday, would cut Route 7 to one bus in 20 minutes from June 1.",
            FRI_APR_10,
            "2026-06-01",
        ),
        (
            "The council voted late Wednesday to review the levee that failed on March 14.",
            date(2026, 4, 2),
            "2026-04-01",
        ),
        # the dateline only when nothing else is named
        (
            "MILLBROOK, April 2 (Regional Wire) - The council voted 5-2 late Wednesday.",
            date(2026, 4, 2),
            "2026-04-01",
        ),
        # a day named as a point of reference or a span's end is not the sentence's day
        (
            "On Thursday, engineers delivered an assessment of the March 14 failure.",
            SAT_MAR_21,
            "2026-03-19",
        ),
        ("Buckets raised $46,200 for households after the March 14 flood.", date(2026, 3, 23), ""),
        (
            "The line has settled at 19,400 a day, according to figures for March 23 to April 3.",
            FRI_APR_10,
            "",
        ),
        ("Rescuers worked through Saturday, March 21.", date(2026, 3, 23), ""),
        # nor is a period's end: the period is reported, no event of its last day
        ("Revenue for the three months to 30 September rose 4%.", date(2026, 10, 29), ""),
        ("Norvane's revenue in the quarter ended September 30 rose 4%.", date(2026, 10, 29), ""),
        ("Sales in the six weeks to Sunday fell 3%.", date(2026, 10, 29), ""),
        ("Profit for the year ending 31 March fell, the company said on Thursday.",
         date(2026, 5, 22), "2026-05-21"),
        # a weekday of no particular week names no day
        ("The trains are reliable, apart from a bad Tuesday in opening week.", FRI_APR_10, ""),
        ("The market opens every Saturday.", FRI_APR_10, ""),
        ("On Tuesday last week, the trains stopped.", FRI_APR_10, ""),
        ("Trains ran late on a rainy Tuesday.", FRI_APR_10, ""),
        ("The market opens every other Saturday.", FRI_APR_10, ""),
        # but a thing done on a day is dated by it
        ("The company issued a statement Tuesday.", FRI_APR_10, "2026-04-07"),
        ("The plant will close in June, said an official Monday.", FRI_APR_10, "2026-04-06"),
        ("The board held a hearing Wednesday.", FRI_APR_10, "2026-04-08"),
        # a time counted from the day named is of that many days after it
        ("Ten days after the fire, the chief sat down to talk about the night of March 31.",
         FRI_APR_10, "2026-04-10"),
        ("A week after the flood of April 1, the council met.", FRI_APR_10, "2026-04-08"),
        ("On April 3, two days after the flood, the council met.", FRI_APR_10, "2026-04-03"),
        # but a day said to be the one the count leads to is that day
        ("Three days after the flood, on March 17, the council voted to rebuild the levee.",
         date(2026, 3, 20), "2026-03-17"),
        ("A week after the fire, on October 21, the plant reopened.", date(2025, 10, 22),
         "2025-10-21"),
        ("Two weeks after the storm, on Monday, March 30, crews finished repairs.",
         date(2026, 4, 1), "2026-03-30"),
    ],
)  # fmt: skip
def test_days_named(sentence: str, published: date | None, day: str) -> None:
    assert days_named(sentence, published) == day


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        # results reported for a period are an event of the report's day
        ("Revenue for the three months to 30 September rose 4% to $3.41bn.", True),
        ("Profit for the year ended March 31 fell 12%.", True),
        # a state that has lasted is none
        ("Tom Reyes has lived on Fenwick Street for thirty-one years.", False),
        ("The plant had been idle for three months before the fire.", False),
    ],
)
def test_an_opening_reporting_a_period_tells_an_event(sentence: str, event: bool) -> None:
    assert tells_an_event(sentence) is event


def test_leap_day_in_the_future_does_not_crash() -> None:
    assert days_named("Filings are due on February 29.", date(2024, 2, 1)) in {"", "2024-02-29"}


def test_the_first_day_named_wins() -> None:
    sentence = "The levee failed on 14 March and the council voted on April 2."
    assert days_named(sentence, MON_APR_6) == "2026-03-14"


def test_an_invalid_date_does_not_hide_a_valid_one() -> None:
    sentence = "The vote was first set for February 30, then held on March 3."
    assert days_named(sentence, MON_APR_6) == "2026-03-03"


def test_only_the_words_just_before_a_day_say_it_is_to_come() -> None:
    assert days_named("Figures from the agency released on Tuesday showed", date(2026, 4, 9)) == (
        "2026-04-07"
    )
    assert days_named("Officials from the city said on December 28 that", date(2026, 1, 3)) == (
        "2025-12-28"
    )
    assert days_named("Protesters will march 5 miles to the hall.", date(2026, 4, 2)) == ""
    assert days_named("The council will vote on April 20.", date(2026, 4, 2)) == "2026-04-20"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("28 September 2026, 09:40 — Maria Okafor arrived.", ("28 September 2026", 27)),
        ("September 28: Operators log in.", ("September 28", 14)),
        ("2026-10-05 - The server is taken offline.", ("2026-10-05", 13)),
        ("Oct. 5th, 9.40: Data copied.", ("Oct. 5th", 16)),
        ("March 14 was the wettest day.", None),  # a sentence, not an entry
        ("On March 14: rain.", None),  # the date does not open it
        ("12:40 — Result: accepted.", None),  # a time alone is not dated
    ],
)
def test_dated_entry_is_a_date_opening_a_line_then_a_stamp(
    text: str, entry: tuple[str, int] | None
) -> None:
    assert dated_entry(text) == entry


def test_days_named_in_every_sample_article(sample_kb: KnowledgeBase) -> None:
    """Sentences of data/ whose day takes the tense, the clause or the week into account, read
    the way the digest reads them."""
    expected = {
        "in Monday's print edition": "2026-03-16",
        "would open a disaster assistance centre": "2026-03-16",
        "drop below flood stage by Monday": "",  # the forecast's day, after "The rain ended"
        "who toured the shelter on Saturday": "2026-03-14",
        "much of Saturday rescuing residents": "2026-03-14",
        "would be fixed by Monday morning": "2026-03-16",
        "delivered a preliminary assessment of the March 14": "2026-03-19",
        "She will present a rebuild budget": "2026-04-01",
        "which opened on Sunday, March 15": "2026-03-15",
        "from March 20, e-bikes": "2026-03-20",
        "raised $46,200": "",
        "voted 5-2 late Wednesday": "2026-04-01",
        "approved by Governor Ruth Calloway on March 27": "2026-03-27",
        "now counts 41 reports": "2026-04-06",
        "figures for March 23 to April 3": "",
        "a bad Tuesday in opening week": "",
        "would cut Route 7": "2026-06-01",
    }
    found: dict[str, str] = {}
    for listed in sample_kb.articles():
        article = sample_kb.article(listed.id)
        text, published = article.text or "", date.fromisoformat(article.date[:10])
        for start, end in article_sentences(article, text)[0]:
            for words in expected:
                if words in text[start:end]:
                    found[words] = days_named(text[start:end], published)
    assert found == expected
