"""Follow-ups: rewritten into standalone questions (offline, and by an LLM), filters carried."""

from __future__ import annotations

import multiprocessing
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fakes.openai_server import FakeOpenAIServer

from kb.api import KnowledgeBase
from kb.cli import main
from kb.conversation import (
    Conversation,
    Quoted,
    Turn,
    carried_subject,
    is_follow_up,
    load,
    reads_as_rewrite,
    save,
)
from kb.llm import LLMError, Message
from kb.models import Filters
from kb.prompts import NOT_ENOUGH, REWRITE_SYSTEM


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("And what did the other source say?", True),
        ("What about the buses?", True),
        ("Why did they vote against it?", True),
        ("Why?", True),
        ("Who ordered the independent levee review?", False),
        ("How many VX-40 batteries did Voltaic recall?", False),
        ("Und was sagte Schäfer dazu?", True),  # "and" in German, French, Spanish…
        ("Et combien coûterait-il ?", True),
        ("¿Y qué dijo la alcaldesa?", True),
    ],
)
def test_what_reads_as_a_follow_up(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


def conversation_after(question: str, filters: Filters, answer: str = "") -> Conversation:
    """A conversation whose one turn asked `question`, searched as it is, with `filters`."""
    return Conversation(
        turns=[Turn(question=question, standalone=question, filters=filters, answer=answer)]
    )


def conversation_about_the_levee() -> Conversation:
    return conversation_after(
        "Who ordered the independent levee review?",
        Filters(sources=["Regional Wire"], since="2026-04-01"),
        "The council [1].",
    )


def test_offline_a_follow_up_carries_the_previous_subject_and_filters() -> None:
    conversation = conversation_about_the_levee()
    assert conversation.rewrite("And what did they say about it?").question == (
        "And what did they say about it? (about: independent, levee, review)"
    )
    assert conversation.rewrite("How many VX-40 batteries were recalled?").question == (
        "How many VX-40 batteries were recalled?"  # stands alone: left as it is
    )
    assert Conversation().rewrite("And it?").question == "And it?"  # nothing before it
    carried = conversation.filters("And what did they say?", Filters())
    assert (carried.sources, carried.since) == (["Regional Wire"], "2026-04-01")
    own = conversation.filters("And the Ledger?", Filters(sources=["The Millbrook Ledger"]))
    assert (own.sources, own.since) == (["The Millbrook Ledger"], "2026-04-01")
    assert conversation.filters("How many VX-40 batteries were recalled?", Filters()) == Filters()
    given = conversation.filters("And what did they say?", Filters(), Filters(since="2026-05-01"))
    assert (given.sources, given.since, given.until) == (["Regional Wire"], "", "")
    # Sources given with the follow-up (the sidebar's) replace the carried ones: kb.api then
    # searched those and called the carried one a clash ("the question asks for Regional Wire").
    ledger = Filters(sources=["The Millbrook Ledger"])
    assert conversation.filters("And what did they say?", Filters(), ledger).sources == []


class RewritingLLM:
    name = "rewriter"

    def __init__(self, reply: str | None) -> None:
        self.reply = reply
        self.sent: list[list[Message]] = []

    def complete(
        self,
        messages: list[Message],
        json_mode: bool = False,
        max_tokens: int | None = None,
        schema: dict[str, Any] | None = None,
    ) -> str:
        self.sent.append(messages)
        if self.reply is None:
            raise LLMError("endpoint down")
        return self.reply

    def stream(self, messages: list[Message]):  # type: ignore[no-untyped-def]
        raise AssertionError("not used")


def test_an_llm_rewrites_the_follow_up_and_the_offline_rewrite_stands_in() -> None:
    conversation = conversation_about_the_levee()
    llm = RewritingLLM("What did Regional Wire say about the independent levee review?")
    assert conversation.rewrite("And what did they say?", llm).question == llm.reply
    sent = llm.sent[0][1]["content"]
    assert "User: Who ordered the independent levee review?" in sent
    assert sent.endswith("Last question: And what did they say?")
    down = RewritingLLM(None)
    assert conversation.rewrite("And what did they say?", down).question.endswith(
        "(about: independent, levee, review)"
    )


def test_a_session_round_trip_and_its_name(kb: KnowledgeBase, tmp_path: Path) -> None:
    conversation = conversation_about_the_levee()
    save(conversation, tmp_path / "s" / "one.json")
    assert load(tmp_path / "s" / "one.json") == conversation
    assert load(tmp_path / "missing.json") == Conversation()
    kb.save_session("levee-1", conversation)
    assert kb.session("levee-1") == conversation
    with pytest.raises(ValueError, match="session name"):
        kb.session("../escape")


def test_asking_in_a_conversation(sample_kb: KnowledgeBase) -> None:
    conversation = Conversation()
    first = sample_kb.ask(
        "How many e-bike batteries did Voltaic recall?", conversation=conversation
    )
    assert first.citations and len(conversation.turns) == 1
    follow = sample_kb.ask("And what fine did they pay?", conversation=conversation)
    assert follow.question == "And what fine did they pay?"
    assert follow.notice.startswith('Read as: "And what fine did they pay? (')
    assert "Voltaic" in conversation.turns[1].standalone == follow.read_as
    assert first.read_as == ""
    assert any("14.5 million" in c.quote for c in follow.citations)


def test_a_follow_up_carries_the_sources_a_question_named_not_the_filters_set_with_it(
    sample_kb: KnowledgeBase,
) -> None:
    """A filter set in the UI's sidebar (or a CLI flag) belongs to its turn: cleared, it is gone."""
    conversation = Conversation()
    sample_kb.ask(
        "What happened to the levee?",
        filters=Filters(sources=["The Millbrook Ledger"]),
        conversation=conversation,
    )
    follow = sample_kb.ask("And what did they say about it?", conversation=conversation)
    assert "The Millbrook Ledger" not in follow.notice
    assert conversation.turns[0].filters == Filters()

    named = Conversation()
    sample_kb.ask("What did Regional Wire report about the levee?", conversation=named)
    follow = sample_kb.ask("And what did they say about the council?", conversation=named)
    assert "from Regional Wire" in follow.notice
    assert follow.citations and {c.source for c in follow.citations} == {"Regional Wire"}


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("Which company recalled e-bike batteries that caught fire?", False),
        ("How much did the levee that failed cost to repair?", False),
        ("Why did Voltaic recall its VX-40 batteries then?", True),  # "then" ends it
        ("What did the council say about it?", True),
        ("What did the Ledger say about its cause?", True),  # little of its own
        ("Was that report published?", True),
    ],
)
def test_a_relative_that_is_no_reference_to_the_turn_before(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


def test_a_standalone_question_keeps_none_of_the_previous_filters() -> None:
    conversation = conversation_about_the_levee()
    question = "Which company recalled e-bike batteries that caught fire?"
    assert conversation.filters(question, Filters()) == Filters()
    assert conversation.rewrite(question).question == question


def test_the_other_source_is_every_source_but_the_previous_ones() -> None:
    conversation = conversation_about_the_levee()  # about Regional Wire's articles
    question = "And what did the other source say?"
    said = Filters(sources=["Regional Wire", "The Millbrook Ledger"])  # kb.constraints' others
    others = conversation.filters(question, said)
    assert (others.sources, others.since) == (["The Millbrook Ledger"], "2026-04-01")
    assert "regional" not in conversation.rewrite(question).question


def test_the_other_source_and_a_short_source_name_in_a_conversation(
    sample_kb: KnowledgeBase,
) -> None:
    conversation = Conversation()
    sample_kb.ask("What did Regional Wire report about the flood?", conversation=conversation)
    other = sample_kb.ask("And what did the other source say?", conversation=conversation)
    assert "Regional Wire" not in other.notice
    assert other.citations and "Regional Wire" not in {c.source for c in other.citations}

    ledger = Conversation()
    sample_kb.ask("Who ordered the independent levee review?", conversation=ledger)
    follow = sample_kb.ask("And what did the Ledger say about it?", conversation=ledger)
    assert "Searched articles from The Millbrook Ledger." in follow.notice
    assert follow.citations and {c.source for c in follow.citations} == {"The Millbrook Ledger"}


def _ask_in_turn(path: Path, worker: int) -> None:
    for n in range(6):
        conversation = load(path)
        conversation.add(Turn(question=f"q{worker}-{n}", standalone="x" * 5000 * worker))
        save(conversation, path)


def test_concurrent_askers_in_one_session_all_keep_their_turns(tmp_path: Path) -> None:
    path = tmp_path / "sessions" / "s.json"
    fork = multiprocessing.get_context("fork")
    workers = [fork.Process(target=_ask_in_turn, args=(path, w)) for w in range(1, 4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    asked = sorted(turn.question for turn in load(path).turns)
    assert asked == sorted(f"q{w}-{n}" for w in range(1, 4) for n in range(6))
    assert sorted(p.name for p in path.parent.iterdir()) == ["s.json", "s.json.lock"]


def test_a_corrupt_session_file_is_reported_and_kept(
    kb_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = kb_home / "sessions" / "flood.json"
    path.parent.mkdir(parents=True)
    path.write_text("garbage\n")
    monkeypatch.setenv("KB_HOME", str(kb_home))
    assert main(["ask", "What happened?", "--session", "flood"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"kb: the session file {path} is not a saved conversation")
    assert "delete it" in error and "Traceback" not in error
    assert path.read_text() == "garbage\n"


def test_a_follow_up_naming_its_own_month_replaces_the_carried_one() -> None:
    conversation = conversation_after(
        "What did Regional Wire report about Millbrook in March?",
        Filters(sources=["Regional Wire"], since="2026-03-01", until="2026-03-31"),
    )
    april = conversation.filters("and in April?", Filters(), today=date(2026, 4, 15))
    assert (april.sources, april.since, april.until) == (
        ["Regional Wire"],
        "2026-04-01",
        "2026-04-30",
    )
    assert "march" not in conversation.rewrite("and in April?").question
    warned = conversation.filters(
        "and what did engineers warn in 2024?", Filters(), today=date(2026, 4, 15)
    )
    assert (warned.since, warned.until) == ("", "")  # a date of events: the search is not narrowed
    undated = Conversation(turns=[Turn(question="Why?", standalone="Why did the levee fail?")])
    assert not undated.filters("and in April?", Filters(), today=date(2026, 4, 15))


def test_a_follow_up_carries_the_subject_not_the_words_of_coverage_or_of_sources() -> None:
    refund = "What did Circuit Business Daily report about the refund?"
    conversation = conversation_after(refund, Filters(sources=["Circuit Business Daily"]))
    other = "and what did the other source say?"
    assert conversation.rewrite(other).question == f"{other} (about: refund)"
    others = ["Consumer Watch Weekly", "Regional Wire"]
    conversation.add(
        Turn(question=other, standalone=f"{other} (about: refund)", filters=Filters(sources=others))
    )
    assert conversation.filters("why?", Filters()).sources == others  # still the others
    new_subject = conversation.filters("what about the fine?", Filters())
    assert new_subject.sources == []  # the fine in every source, Circuit Business Daily's too
    # Its words are added all the same: "what about the cost?" after a question on the levee
    # asks for the levee's cost (the answer quotes the fine's sentences first: they say "fine").
    assert (
        conversation.rewrite("what about the fine?").question
        == "what about the fine? (about: refund)"
    )

    # The source's name is not the subject, in whatever case it is written.
    for ledger in (
        "What did the Ledger report about the levee?",
        "what did the ledger say about the levee?",
    ):
        about_the_levee = conversation_after(ledger, Filters(sources=["The Millbrook Ledger"]))
        assert about_the_levee.rewrite("why?").question == "why? (about: levee)"


@pytest.mark.parametrize(
    ("rewritten", "kept"),
    [
        ("What did Regional Wire say about the levee?", True),
        ("what did the Millbrook Ledger report about the levee", True),  # opens as a question
        (
            "The other source said that the levee was $18.6 million, while Regional Wire's "
            "covered $92,400.",
            False,  # an answer, not the question
        ),
        ("What did Regional Wire say about the flood?", False),  # the levee is lost
        ("The levee failed. What did Regional Wire say about the levee?", False),  # a claim too
        ("What did Regional Wire say about the levee? " + "More words. " * 40, False),
        ("", False),
    ],
)
def test_an_llm_rewrite_must_read_as_the_follow_up_made_standalone(
    rewritten: str, kept: bool
) -> None:
    assert reads_as_rewrite(rewritten, "and what did the other source say about the levee?") is kept


FLOOD = "How did the Millbrook Ledger's coverage of the flood differ from Regional Wire's?"
THE_OTHER = "and what did the other source say about the levee?"


def test_an_llm_rewrite_that_answers_instead_is_not_searched(
    llm_kb: KnowledgeBase, openai_server: FakeOpenAIServer
) -> None:
    invented = (
        "The other source said that the levee was $18.6 million, while Regional Wire's covered "
        "$92,400."
    )

    def reply(messages: list[dict[str, str]]) -> str:
        return invented if messages[0]["content"] == REWRITE_SYSTEM else "The levee failed [1]."

    openai_server.reply = reply
    conversation = conversation_after(FLOOD, Filters(), "They differed [1].")
    answer = llm_kb.ask(THE_OTHER, conversation=conversation)
    assert answer.read_as.startswith(THE_OTHER) and "$" not in answer.read_as
    assert conversation.turns[-1].standalone == answer.read_as
    assert "rewrite of the follow-up" in answer.notice and "read without the LLM" in answer.notice
    assert answer.mode == "llm"


def test_the_other_source_after_two_named_keeps_both_after_one_names_the_rest() -> None:
    everyone = ["Circuit Business Daily", "Regional Wire", "The Millbrook Ledger"]
    compared = conversation_after(FLOOD, Filters(sources=["The Millbrook Ledger", "Regional Wire"]))
    assert compared.filters(THE_OTHER, Filters(sources=everyone)).sources == [
        "The Millbrook Ledger",
        "Regional Wire",
    ]
    one = conversation_after(
        "What did Regional Wire report about the flood?", Filters(sources=["Regional Wire"])
    )
    assert one.filters(THE_OTHER, Filters(sources=everyone)).sources == [
        "Circuit Business Daily",
        "The Millbrook Ledger",
    ]


def test_the_other_source_after_a_comparison_of_two_is_answered_from_them(
    sample_kb: KnowledgeBase,
) -> None:
    """The README's example: offline, "the other source" searched every source but those two."""
    conversation = Conversation()
    sample_kb.ask(FLOOD, conversation=conversation)
    compared = ["Regional Wire", "The Millbrook Ledger"]
    assert sorted(conversation.turns[0].filters.sources) == compared
    follow = sample_kb.ask(THE_OTHER, conversation=conversation)
    assert sorted(follow.searched.sources) == compared
    assert follow.citations and {c.source for c in follow.citations} <= set(compared)
    assert any("levee" in c.quote.lower() for c in follow.citations)


def test_the_other_source_after_a_question_naming_none_is_not_the_one_cited() -> None:
    question = "How many reports of overheating did Voltaic count?"
    cited = ["Circuit Business Daily"]
    conversation = Conversation(turns=[Turn(question=question, standalone=question, cited=cited)])
    every = ["Circuit Business Daily", "Consumer Watch Weekly", "Regional Wire"]
    other = "and what did the other source say?"
    found = conversation.filters(other, Filters(sources=every))  # what the question names
    assert found.sources == ["Consumer Watch Weekly", "Regional Wire"]
    assert "overheating" in conversation.rewrite(other).question  # on the same subject
    answered_by_none = Conversation(turns=[Turn(question=question, standalone=question)])
    assert answered_by_none.filters(other, Filters(sources=every)).sources == every


def test_a_follow_up_carries_the_names_and_nouns_not_the_verbs_asked_with() -> None:
    """Not "happened", carried from a turn before, nor "count", nor "announced"."""
    conversation = conversation_after(
        "How many reports of overheating did Voltaic count?", Filters()
    )
    announced = "and what happened after the recall was announced?"
    conversation.add(Turn(question=announced, standalone=conversation.rewrite(announced).question))
    assert conversation.rewrite("who was the CEO then?").question == (
        "who was the CEO then? (about: recall, overheating, Voltaic)"
    )


@pytest.mark.parametrize(
    ("question", "carried"),
    [
        ("How many homes were flooded?", "homes, flooded"),
        ("How many people were injured or displaced?", "people, injured, displaced"),
        (
            "Which company recalled batteries that caught fire?",
            "company, recalled, batteries, caught, fire",
        ),
        ("How many hundred homes were flooded?", "hundred, homes, flooded"),
        (
            "How many complaints of overheating did Voltaic receive?",
            "complaints, overheating, Voltaic",
        ),
        ("What did the city council approve?", "city, council"),
    ],
)
def test_a_follow_up_carries_the_words_of_what_was_asked_about(question: str, carried: str) -> None:
    """Every lower-case word in "-ed" was dropped as a verb asked with ("flooded", "injured",
    even "hundred"), while "receive" of "did Voltaic receive" was carried: only the verb the
    question asks with after its auxiliary and subject is dropped."""
    conversation = conversation_after(question, Filters())
    assert conversation.rewrite("who was the CEO then?").question == (
        f"who was the CEO then? (about: {carried})"
    )


def test_a_follow_up_carries_no_function_words_of_another_language() -> None:
    """After "Et combien coûterait la digue de Wissembourg ?", a follow-up was read as
    "… (about: et, combien, coûterait, la, digue, de, wissembourg)"."""
    conversation = conversation_after("Et combien coûterait la digue de Wissembourg ?", Filters())
    assert conversation.rewrite("What did Klaus Dietrich say about it?").question == (
        "What did Klaus Dietrich say about it? (about: combien, coûterait, digue, Wissembourg)"
    )


def test_a_follow_up_carries_no_months_or_weekdays_and_the_noun_after_what() -> None:
    """ "(about: April, March, levee)": months and weekdays date a question, they are no
    subject; "refund" of "What refund did Voltaic offer?" was read as the verb asked with."""
    march = conversation_after(
        "What did the Millbrook Ledger report in March about the levee?",
        Filters(sources=["The Millbrook Ledger"], since="2026-03-01", until="2026-03-31"),
    )
    assert march.rewrite("what about the Regional Wire?").question.endswith("(about: levee)")
    saturday = conversation_after("What happened to the levee on Saturday?", Filters())
    assert "Saturday" not in saturday.rewrite("and what did the mayor say?").question
    refund = conversation_after("What refund did Voltaic offer?", Filters())
    assert "refund" in refund.rewrite("what about the replacement wait times?").question


def test_a_follow_up_naming_only_a_source_carries_the_verb_asked_with(
    sample_kb: KnowledgeBase,
) -> None:
    """ "and what did the Regional Wire say?" after "How many people did the Harlow team
    rescue?" searched "people, Harlow, team" and quoted Harlow's $92,400 donation."""
    rescued = "How many people did the Harlow team rescue?"
    conversation = conversation_after(rescued, Filters())
    assert conversation.rewrite(
        "and what did the Regional Wire say?", named=["Regional Wire"]
    ).question.endswith("(about: people, Harlow, team, rescue)")
    asked = Conversation()
    sample_kb.ask(rescued, conversation=asked)
    follow = sample_kb.ask("and what did the Regional Wire say?", conversation=asked)
    assert follow.citations and "92,400" not in follow.answer
    assert any("rescue" in c.quote for c in follow.citations)


def test_the_other_source_is_one_with_an_article_on_the_conversations_names(
    sample_kb: KnowledgeBase,
) -> None:
    """After Circuit Business Daily on Voltaic's refund, "the other source" searched every
    other source, the Millbrook Ledger's flood articles too."""
    conversation = Conversation()
    sample_kb.ask(
        "What refund did Voltaic offer according to Circuit Business Daily?",
        conversation=conversation,
    )
    other = sample_kb.ask("and what did the other source say?", conversation=conversation)
    assert "Consumer Watch Weekly" in other.searched.sources
    assert not {"The Millbrook Ledger", "Circuit Business Daily"} & set(other.searched.sources)


def _ledger_quote(sample_kb: KnowledgeBase, quote: str) -> Quoted:
    article = next(a for a in sample_kb.articles() if a.title.startswith("Engineers Rated"))
    start = (sample_kb.article(article.id).text or "").index(quote)
    return Quoted(article_id=article.id, start=start, end=start + len(quote), quote=quote)


STORM = "A storm of this size would have tested any levee."


def test_who_said_that_is_answered_by_the_sentence_naming_the_speaker(
    sample_kb: KnowledgeBase,
) -> None:
    """It was read as "who said that? (about: levee, review)" and quoted other sentences."""
    asked = "And what did the Ledger say about it?"
    turn = Turn(
        question=asked,
        standalone=f"{asked} (about: levee, review)",
        filters=Filters(sources=["The Millbrook Ledger"]),
        quoted=[_ledger_quote(sample_kb, STORM)],
    )
    answer = sample_kb.ask("who said that?", conversation=Conversation(turns=[turn]))
    assert answer.citations and "said Priya Natarajan" in answer.citations[0].quote
    assert STORM not in answer.answer


def test_why_quotes_the_reasons_not_the_answer_before(sample_kb: KnowledgeBase) -> None:
    """ "why?" answered with the very sentences of the answer before."""
    asked = "What did the Ledger say about the levee?"
    turn = Turn(
        question=asked,
        standalone=asked,
        filters=Filters(sources=["The Millbrook Ledger"]),
        quoted=[_ledger_quote(sample_kb, STORM)],
    )
    answer = sample_kb.ask("why?", conversation=Conversation(turns=[turn]))
    assert answer.citations and STORM not in answer.answer
    assert all(
        re.search(r"\b(because|due to|so that|after|since|caused)\b", c.quote)
        for c in answer.citations
    ), answer.answer


def test_the_other_source_searches_for_the_conversations_names_once() -> None:
    """`naming`, a search, ran once for each of the other sources."""
    conversation = conversation_after(
        "What refund did Voltaic offer?", Filters(sources=["Circuit Business Daily"])
    )
    others = ["Consumer Watch Weekly", "Regional Wire", "The Millbrook Ledger"]
    searched: list[list[str]] = []

    def naming(names: list[str], sources: list[str]) -> set[str]:
        searched.append(names)
        return {"Consumer Watch Weekly"}

    question = "and what did the other source say?"
    said = Filters(sources=["Circuit Business Daily", *others])
    assert conversation.filters(question, said, naming=naming).sources == [others[0]]
    assert searched == [["Voltaic"]]


def test_who_said_that_of_a_deleted_article_is_asked_as_any_question(
    sample_kb: KnowledgeBase,
) -> None:
    """In a saved session whose quoted article was deleted since, it raised ArticleNotFound."""
    gone = _ledger_quote(sample_kb, STORM).model_copy(update={"article_id": "0" * 12})
    turn = Turn(question="What did the Ledger say?", standalone="levee", quoted=[gone])
    answer = sample_kb.ask("who said that?", conversation=Conversation(turns=[turn]))
    assert answer.searched.article_ids == [] and answer.citations


def test_who_said_that_keeps_the_articles_the_user_chose(sample_kb: KnowledgeBase) -> None:
    """The quoted article replaced the `article_ids` filter given: it searched an article the
    user had left out."""
    quoted = _ledger_quote(sample_kb, STORM)
    turn = Turn(question="What did the Ledger say?", standalone="levee", quoted=[quoted])
    chosen = next(a.id for a in sample_kb.articles() if a.id != quoted.article_id)
    for article_ids, searched in (
        ([chosen], [chosen]),
        ([chosen, quoted.article_id], [quoted.article_id]),
    ):
        answer = sample_kb.ask(
            "who said that?",
            filters=Filters(article_ids=article_ids),
            conversation=Conversation(turns=[turn]),
        )
        assert answer.searched.article_ids == searched
        assert {citation.article_id for citation in answer.citations} <= set(searched)


@pytest.mark.parametrize(
    ("question", "carried"),
    [
        ("How many joined the march?", "(about: joined, march)"),
        ("How many joined the march on the levee?", "(about: joined, march, levee)"),
        ("What happened to the levee in March?", "(about: levee)"),
        ("What did the council decide in May about the levee?", "(about: council, levee)"),
    ],
)
def test_a_month_word_is_dropped_only_when_written_as_a_date(question: str, carried: str) -> None:
    """ "march" of "How many joined the march?" was dropped as a month: the follow-up lost
    its subject."""
    conversation = conversation_after(question, Filters())
    assert conversation.rewrite("and the Ledger?").question.endswith(carried)


def test_the_subject_a_rewrite_carried_is_read_back() -> None:
    """What an answer reads as the subject of "about it": what the rewrite carried."""
    lawsuit = "Who filed the wrongful-death lawsuit and against whom?"
    follow_up = conversation_after(lawsuit, Filters()).rewrite(
        "And what did the company say about it?"
    )
    assert carried_subject(follow_up.question) == ["wrongful-death", "lawsuit"]
    assert carried_subject(lawsuit) == []
    assert carried_subject("What did they say (about the levee)?") == []


def test_a_follow_up_asking_another_what_they_said_carries_the_subject_not_the_speaker() -> None:
    """ "And what did the press release say about it?" was read "(about: Martin, Kell, funding,
    trial)": the press release's words on Kell."""
    before = conversation_after(
        "What did Martin Kell say about the funding of the trial?", Filters()
    )
    rewritten = before.rewrite("And what did the press release say about it?").question
    assert carried_subject(rewritten) == ["funding", "trial"], rewritten


def test_a_follow_up_carries_no_article_kind_named_before() -> None:
    """ "and what did it say about the price? (about: Spanish)": the Spanish article is a filter."""
    before = conversation_after("What did the Spanish article say about the trial?", Filters())
    rewritten = before.rewrite("and what did it say about the price?").question
    assert carried_subject(rewritten) == ["trial"], rewritten


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # a question whose words no passage wrote, whose answer said so
        ("Tell me about the zorblax", "No passage found mentions “zorblax”. The nearest…"),
        ("What about the zorblax?", NOT_ENOUGH),
        ("x" * 5000, "The Millbrook Ledger: …"),  # no word at all
    ],
)
def test_a_follow_up_carries_nothing_of_a_turn_that_found_nothing(
    question: str, answer: str
) -> None:
    """After a 5,000-character "xxxx…" question, "levee" was answered "No passage found
    mentions “xxxx…”", read "(about: xxxx…, like, …)"."""
    before = conversation_after(question, Filters(), answer)
    assert before.rewrite("levee").question == "levee"


def test_a_follow_up_after_a_german_question_carries_its_nouns_not_its_verb() -> None:
    """After "Wie viel Geld sammelte der Partnerschaftsverein?", "And what did the council say
    about it?" was read "(about: Geld, sammelte, Partnerschaftsverein)": German capitalises its
    nouns, and "sammelte" (collected) is the verb asked with."""
    conversation = conversation_after("Wie viel Geld sammelte der Partnerschaftsverein?", Filters())
    assert conversation.rewrite("And what did the council say about it?").question == (
        "And what did the council say about it? (about: Geld, Partnerschaftsverein)"
    )
