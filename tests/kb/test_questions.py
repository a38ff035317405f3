import pytest

from kb.questions import question_answered_by

# The words the articles below write in lower case (`kb.summarize._words_not_names`)
COMMON = frozenset(
    {"shares", "revenue", "inventory", "police", "work", "judge", "capital", "home", "public"}
    | {"heart", "report", "tickets", "immigrants"}
)


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        # a count as the subject: the rest of the clause asked as it is
        (
            "About 400 people spent Saturday in the gymnasium of Millbrook High School, where "
            "volunteers handed out blankets.",
            "How many people spent Saturday in the gymnasium of Millbrook High School?",
        ),
        # who reports it goes: "Chief Moreau said", "X estimated that", ", Norvane said"
        (
            "Chief Moreau said at least 250 homes had taken on water, a figure he expected to "
            "rise once crews could reach the streets closest to the river.",
            "How many homes had taken on water?",
        ),
        (
            "Harlow Regional Transit (HRT) estimated that about 31,000 boardings were recorded "
            "on the opening day.",
            "How many boardings were recorded on the opening day?",
        ),
        (
            "The plant is expected to create 1,200 permanent jobs and to begin volume production "
            "in the second half of 2028, Norvane said.",
            "How many permanent jobs is the plant expected to create?",
        ),
        # the subject's date set off by commas is no part of it; the verb's tense asks "did"
        (
            "The first day with fares, Sunday, March 22, drew 17,300 boardings at the standard "
            "$2.50 fare.",
            "How many boardings did the first day with fares draw?",
        ),
        # an opening clause and "According to …" go; a modal is put first
        (
            "Before any construction contract is signed, the council will pay Brightwater "
            "Geotechnical about $180,000 to review Castellan's 2024 inspection report.",
            "How much will the council pay Brightwater Geotechnical?",
        ),
        (
            "According to documents seen by Rhine Business Wire, public support for the project "
            "could reach €1.1 billion, of which Saxony would provide around €250 million.",
            "How much could public support for the project reach?",
        ),
        (
            "Two weeks after announcing a €4.2 billion chip plant in Dresden, Norvane "
            "Semiconductor said on Thursday that the site would initially employ 1,000 people "
            "rather than the 1,200 it had promised.",
            "How many people would the site initially employ?",
        ),
        # a share, a comparative, a place after it
        (
            "Shares of Norvane rose 7.4% in Amsterdam trading after the results were published.",
            "How much did shares of Norvane rise in Amsterdam trading?",
        ),
        (
            "Norvane's shares closed 6.9 percent higher in Amsterdam on Wednesday.",
            "How much higher did Norvane's shares close?",
        ),
        # "revenue of $3.41bn": the revenue is asked of
        (
            "Norvane Semiconductor reported record third-quarter revenue of $3.41bn on "
            "Wednesday, up 18% from a year earlier.",
            "How much record third-quarter revenue did Norvane Semiconductor report?",
        ),
        (
            "The fine was $14.5 million, the largest in the agency's history.",
            "How much was the fine?",
        ),
        (
            "The company was fined $14.5 million by the Consumer Product Safety Commission.",
            "How much was the company fined?",
        ),
        ("Police arrested 12 people on Saturday.", "How many people did police arrest?"),
        (
            "Voltaic Cell Works recalled 86,000 VX-40 e-bike batteries after 14 fires.",
            "How many VX-40 e-bike batteries did Voltaic Cell Works recall?",
        ),
        # a date: "When"
        (
            "Norvane executives told local officials that the first wafers would leave the plant "
            "in early 2029, later than the 2028 date the company gave investors.",
            "When would the first wafers leave the plant?",
        ),
        (
            "Home repair grants of up to $25,000 per household will open on April 15.",
            "When will home repair grants of up to $25,000 per household open?",
        ),
        (
            "Whitfield said work on the levee would begin in July and was scheduled to be "
            "finished by the end of March 2027.",
            "When would work on the levee begin?",
        ),
        (
            "Alshammari was arrested in March, nearly a month later.",
            "When was Alshammari arrested?",
        ),
        # a share as the subject; a place after a count; "percentage points"; "fell by"
        (
            "After a median of 3.2 years, 9.8 percent of patients on the drug had a major "
            "cardiovascular event, compared with 11.0 percent of those on placebo.",
            "What share of patients on the drug had a major cardiovascular event?",
        ),
        (
            "Heartline estimates that about 8 million adults in the UK have raised Lp(a).",
            "How many adults in the UK have raised Lp(a)?",
        ),
        (
            "The absolute risk reduction was 1.2 percentage points, corresponding to a number "
            "needed to treat of about 83.",
            "How much was the absolute risk reduction?",
        ),
        (
            "Looking at individual outcomes, heart attacks fell by 21% in the tovarsiran group.",
            "How much did heart attacks fall in the tovarsiran group?",
        ),
        (  # "an average of" qualifies the figure
            "HRT's 31 bus routes carried an average of 94,000 boardings per weekday in 2025.",
            "How many boardings did HRT's 31 bus routes carry?",
        ),
        # money named after its amount; a share of something
        ("The ministry paid 3 million euros to the contractor.", "How much did the ministry pay?"),
        (
            "Immigrants will account for 82 per cent of the nation's population growth.",
            "What share of the nation's population growth will immigrants account for?",
        ),
        # something done to the subject that a story reports as an event
        (
            "The fireworks display over the harbor was cancelled, and a civic band concert was "
            "moved to April.",
            "What happened to the fireworks display over the harbor?",
        ),
        ("Ahmed was indicted on charges of lying to the FBI.", "What happened to Ahmed?"),
        # a name's title stays capitalised; an adverb in the subject goes
        (
            "Judge Stephen Kramer QC today ordered Allen to pay back £491,000 as the proceeds of "
            "crime.",
            "How much did Judge Stephen Kramer QC order Allen to pay back?",
        ),
    ],
)
def test_a_sentence_is_asked_what_it_answers(sentence: str, question: str) -> None:
    assert question_answered_by(sentence, COMMON) == question


@pytest.mark.parametrize(
    "sentence",
    [
        # what reads badly or wrongly asked is not asked at all
        "He paid $300 for the pack.",  # who is "he"?
        "For the fourth quarter it expects revenue of about $3.6bn.",
        '"We paid $2 million for it," Hale said.',  # a quotation is its speaker's to ask of
        "‘The benefit was £185,000,’ said the prosecutor.",
        "The council voted 5-2 on Monday to approve the $18.6 million rebuild.",  # inside a phrase
        "The company raised its forecast to between $12.8bn and $13.0bn.",
        "Michelle Obama's Twitter audience is 25 per cent fake, according to StatusPeople.",
        "Spain are second on 12 points, three ahead of Ukraine.",  # "be" and no participle
        "His last fight was a win over Gene Pukall in Germany in 2008.",
        "Promise has 2.8 million subscribers.",
        "Afghan security forces estimated in March that 6,500 fighters were active.",
        "The couple say they have found 102 arrows so far.",  # "say" is no part of a subject
        "Treasury analysis shows the changes will benefit 14 million working households.",
        "Currently there are approximately 12million undocumented immigrants in the country.",
        "TRIBUTE TO PHILLIP HUGHES Benaud narrated the tribute in November 2014.",  # a caption
        "Michael Schumacher pictured during testing at the Jerez circuit in December 2007.",
        "Bale is at 100 per cent.",
        "The court was told that Adeli had thought he was chatting to a schoolgirl.",  # no event
        "It was cancelled.",
        # which date is asked of? what is asked of is more than its subject says
        "The report filed by the state on March 20 was approved in April.",
        "A planned rendezvous with the ISS six hours later was initially postponed to Thursday.",
        # past or present? what the verb does with the figure comes after it
        "Tickets cost $5 each.",
        "The firm put 300 staff on leave.",
        # a year is no count, its comma no digit: not "How many Al-Douri was confirmed?"
        "Following the execution on 30 December, 2006, Al-Douri was confirmed as the leader.",
        "The $1.32 billion line, built over seven years, is Harlow's first rail transit.",
    ],
)
def test_a_sentence_of_another_shape_is_not_asked(sentence: str) -> None:
    assert question_answered_by(sentence, COMMON) == ""


def test_an_opening_word_is_a_word_only_when_the_article_writes_it_so() -> None:
    """ "Revenue reached…": "How much did revenue reach?" when the article writes "revenue";
    an article that never does may be naming a person or a place, and is not asked."""
    sentence = "Revenue reached $3.41 billion, 18% more than a year ago."
    assert question_answered_by(sentence, COMMON) == "How much did revenue reach?"
    assert question_answered_by(sentence, frozenset()) == ""
