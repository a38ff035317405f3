"""The check that a generated statement rests on the text it cites."""

from __future__ import annotations

from kb.embed import make_embedder
from kb.settings import Settings
from kb.support import grounding, supported

CITED = (
    "The Millbrook town council voted 5-2 late Wednesday to approve an $18.6 million rebuild "
    "budget for the areas hit by last month's flash flood."
)


def test_statements_against_a_cited_sentence() -> None:
    cases = {
        "The council voted 5-2 to approve the rebuild budget.": True,  # same words, inflected
        "An $18.6 million budget was approved.": True,
        "Millbrook councillors endorsed money for flood reconstruction.": True,  # a paraphrase
        "The council approved a $20 million budget.": False,  # a changed figure
        "The council voted 6-1.": False,
        "The mayor resigned after the scandal.": False,
        "The council did not approve the rebuild budget.": False,  # a negation it lacks
        "The council rejected the $18.6 million rebuild budget.": False,  # the opposite
        "": False,
    }
    verdicts = supported([(s, CITED) for s in cases], make_embedder(Settings()))
    assert dict(zip(cases, verdicts)) == cases


def test_nothing_cited_supports_nothing() -> None:
    assert supported([("The council voted 5-2.", "  ")], make_embedder(Settings())) == [False]


def test_reversals_are_contradictions_whatever_the_words_shared() -> None:
    pairs = {
        ("Sales fell 40%.", "Sales rose 40% last year."): False,
        (
            "Acme denied the recall was linked to fires.",
            "Acme said the recall was linked to fires.",
        ): False,
        ("Sales rose 40%.", "Sales rose 40% last year, up from 10%."): True,
        ("No one was hurt.", "The levee failed on Monday, and no one was hurt."): True,
    }
    assert supported(list(pairs), make_embedder(Settings())) == list(pairs.values())


def test_closely_asks_more_of_a_text_found_rather_than_cited() -> None:
    embedder = make_embedder(Settings())
    spoke = "Mayor Dana Whitfield spoke to residents after the vote."
    pairs = [
        ("The mayor resigned after the vote.", spoke),  # two of three words: chance
        ("Millbrook councillors endorsed money for flood reconstruction.", CITED),  # paraphrase
        ("The council voted 5-2 to approve the rebuild budget.", CITED),
    ]
    assert supported(pairs, embedder) == [True, True, True]
    assert supported(pairs, embedder, closely=True) == [False, False, True]


def test_grounding_finds_the_source_or_two_that_support_a_statement() -> None:
    sources = [
        "The mayor, Dana Whitfield, spoke after the vote.",
        CITED,
        "A state grant of $7.0 million covers part of the cost.",
    ]
    statements = [
        "The council voted 5-2 to approve the rebuild budget.",
        "Whitfield spoke after the vote on the $7.0 million state grant.",
        "The mayor resigned.",
    ]
    assert grounding(statements, sources, make_embedder(Settings())) == [[1], [0, 2], None]
    assert grounding(statements, [], make_embedder(Settings())) == [None, None, None]
