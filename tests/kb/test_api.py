"""KnowledgeBase, the API the CLI and UI share: listing, reading, asking with exact citations,
deleting without leftovers, crash leftovers, and a second process reading the same home."""

from __future__ import annotations

import fcntl
import json
import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from fakes.openai_server import FakeOpenAIServer
from kb_helpers import (
    DATA_DIR,
    FEW_ARTICLES,
    assert_citations_exact,
    closed_port_url,
    llm_settings,
    markers,
    run_python,
)

import kb.api as kb_api
from kb.answer import extractive_answer
from kb.api import KnowledgeBase
from kb.conversation import Conversation, Turn
from kb.llm import LLMError
from kb.models import Answer, ArticleNotFound, Filters, MetadataEdit
from kb.prompts import NOT_ENOUGH
from kb.settings import LLMSettings, SavedLLM, Settings
from kb.summarize import EXTRACTIVE_VERSION

# Questions the sample corpus answers, and the file holding the answer.
ANSWERABLE = {
    "How many homes were damaged in the Millbrook flood?": (
        "millbrook-flood-regional-wire.html",
        "312 homes",
    ),
    "Who resigned as chief executive of Voltaic Cell Works?": (
        "voltaic-fine-ceo-resigns.docx",
        "Carl Brenner resigned",
    ),
    "How did Castellan Engineering rate the Fenwick Street levee in 2024?": (
        "millbrook-levee-inspection-followup.pdf",
        "poor",
    ),
    "How many boardings did the Green Line record in its first week?": (
        "harlow-green-line-first-week-ridership.txt",
        "148,600 boardings",
    ),
    "How many VX-40 battery packs were recalled?": (
        "voltaic-vx40-recall-announced.html",
        "86,000 VX-40",
    ),
}
UNANSWERABLE = [
    "What is the recipe for banana bread?",
    "Who won the 2018 World Cup?",
    "asdf qwerty zxcv",
]


@pytest.fixture(scope="module")
def answers(sample_kb: KnowledgeBase) -> dict[str, Answer]:
    return {question: sample_kb.ask(question) for question in [*ANSWERABLE, *UNANSWERABLE]}


# --- reading ------------------------------------------------------------------------------------
def test_articles_are_listed_with_metadata(sample_kb: KnowledgeBase, sample_corpus) -> None:
    articles = sample_kb.articles()
    assert len(articles) == 10
    assert [(a.date, a.title.lower()) for a in articles] == sorted(
        (a.date, a.title.lower()) for a in articles
    )
    assert {a.id for a in articles} == set(sample_corpus.ids.values())
    for article in articles:
        assert article.text is None  # listing never carries the text
        assert article.title and article.source and article.author
        assert len(article.date) == 10
        assert Path(article.location).is_absolute() and Path(article.location).is_file()
        assert article.format == Path(article.location).suffix.lstrip(".")
        assert article.chunks == len(sample_kb.store.chunks(article.id)) > 0
        assert article.summary == "missing"
        assert article.ingested_at


def test_article_text(sample_kb: KnowledgeBase, sample_corpus) -> None:
    article_id = sample_corpus.ids["millbrook-council-rebuild-vote.txt"]
    article = sample_kb.article(article_id)
    assert article.text is not None
    assert article.text.startswith("Millbrook council approves $18.6 million flood rebuild")
    assert article.chars == len(article.text)
    assert article.content_hash.startswith(article_id)


def test_unknown_article(sample_kb: KnowledgeBase) -> None:
    with pytest.raises(ArticleNotFound) as error:
        sample_kb.article("000000000000")
    assert str(error.value) == "no article with id '000000000000' (see `kb list`)"
    assert isinstance(error.value, LookupError)


def test_search(sample_kb: KnowledgeBase, sample_texts: dict[str, str]) -> None:
    hits = sample_kb.search("levee inspection report", k=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(-1.0 <= h.score <= 1.0 for h in hits)
    titles = {a.id: a for a in sample_kb.articles()}
    for hit in hits:
        assert sample_texts[hit.article_id][hit.start : hit.end] == hit.text
        assert hit.title == titles[hit.article_id].title
        assert hit.source == titles[hit.article_id].source
    assert len(sample_kb.search("levee inspection report")) == sample_kb.settings.answer.k
    cap = sample_kb.settings.retrieve.max_chunks_per_article
    assert len({h.chunk_id for h in sample_kb.search("flood", k=60)}) == sum(
        min(a.chunks, cap) for a in sample_kb.articles()
    )
    assert sample_kb.search("   ") == []


# --- asking -------------------------------------------------------------------------------------
@pytest.mark.parametrize("question", list(ANSWERABLE))
def test_answer_citations_quote_the_article_exactly(
    question: str, answers: dict[str, Answer], sample_kb: KnowledgeBase, sample_texts
) -> None:
    answer = answers[question]
    assert answer.question == question
    assert (answer.mode, answer.model, answer.notice) == ("extractive", "", "")
    assert answer.citations
    assert_citations_exact(answer, sample_texts)
    chunks = {c.id: c for a in sample_kb.articles() for c in sample_kb.store.chunks(a.id)}
    titles = {a.id: a.title for a in sample_kb.articles()}
    for citation in answer.citations:
        chunk = chunks[citation.chunk_id]
        assert chunk.start <= citation.start < citation.end <= chunk.end
        assert citation.title == titles[citation.article_id]
        assert f"{citation.quote} [{citation.n}]" in answer.answer


@pytest.mark.parametrize("question", list(ANSWERABLE))
def test_answer_comes_from_the_right_article(
    question: str, answers: dict[str, Answer], sample_corpus
) -> None:
    name, fact = ANSWERABLE[question]
    answer = answers[question]
    first = answer.citations[0]
    assert first.article_id == sample_corpus.ids[name]
    # Its sentences are quoted in reading order: the fact need not be in the first.
    quoted = [c.quote.lower() for c in answer.citations if c.article_id == first.article_id]
    assert any(fact.lower() in quote for quote in quoted)
    assert len(markers(answer.answer)) == len(answer.citations) <= 4


def test_a_question_naming_only_a_source_gets_how_its_articles_open(
    sample_kb: KnowledgeBase, sample_texts: dict[str, str]
) -> None:
    answer = sample_kb.ask("What did Circuit Business Daily report?")
    theirs = sorted(
        (a for a in sample_kb.articles() if a.source == "Circuit Business Daily"),
        key=lambda a: a.date,
    )
    assert [c.article_id for c in answer.citations] == [a.id for a in theirs]  # oldest first
    assert_citations_exact(answer, sample_texts)
    for citation in answer.citations:
        assert len(citation.quote.split()) >= 8  # a sentence, not the "Companies · ..." kicker
        assert citation.start < 400  # from the opening
    assert "An overview: how each article in scope opens." in answer.notice
    assert "Searched articles from Circuit Business Daily." in answer.notice


def test_an_overview_of_more_articles_than_k_shows_the_latest(sample_kb: KnowledgeBase) -> None:
    answer = sample_kb.ask("What was published in March 2026?", k=3)
    march = sorted(a.date for a in sample_kb.articles() if a.date.startswith("2026-03"))
    dates = {a.id: a.date for a in sample_kb.articles()}
    assert [dates[c.article_id] for c in answer.citations] == march[-3:]
    assert f"the latest 3 of the {len(march)} articles in scope" in answer.notice
    # A subject of its own: answered from the passages, not an overview.
    about = sample_kb.ask("What did Circuit Business Daily report about the fine?")
    assert "overview" not in about.notice and about.citations


def test_a_question_asking_two_things_is_answered_on_both(
    sample_kb: KnowledgeBase, sample_texts: dict[str, str]
) -> None:
    question = (
        "How many boardings did the Green Line record in its first week "
        "and what did the Millbrook council approve?"
    )
    answer = sample_kb.ask(question)
    assert_citations_exact(answer, sample_texts)
    quoted = " ".join(c.quote for c in answer.citations)
    assert "148,600 boardings" in quoted and "$18.6 million rebuild budget" in quoted
    searched = {hit.article_id for hit in sample_kb.search(question)}  # each part's passages
    assert {c.article_id for c in answer.citations} <= searched
    assert len({c.article_id for c in answer.citations}) >= 2


def test_the_sentence_that_answers_beats_those_that_restate_the_question(
    sample_kb: KnowledgeBase,
) -> None:
    """Every passage speaks of "the recall"; only one says what it covers."""
    answer = sample_kb.ask("What did the recall cover?")
    assert any("covers 48-volt" in c.quote for c in answer.citations), answer.answer


def test_a_question_naming_its_source_is_answered_from_it(sample_kb: KnowledgeBase) -> None:
    """Its dateline, "MILLBROOK, April 2 (Regional Wire) - …", shares the source's name with the
    question and outscored every sentence about the levee, but is far from the question's
    meaning: the answer abstained."""
    answer = sample_kb.ask("What did Regional Wire say about the levee?")
    assert answer.answer != NOT_ENOUGH
    assert answer.searched == Filters(sources=["Regional Wire"])
    assert {c.source for c in answer.citations} == {"Regional Wire"}
    assert all("levee" in c.quote for c in answer.citations[:2]), answer.answer


def test_a_question_asking_only_for_a_name_is_answered_by_a_sentence_naming_it(
    sample_kb: KnowledgeBase,
) -> None:
    answer = sample_kb.ask("Who is Helena Qureshi?")
    assert "analyst Helena Qureshi" in answer.citations[0].quote, answer.answer
    assert sample_kb.ask("Who is Wilhelmina Zarkovic?").answer == NOT_ENOUGH


def test_a_question_in_lower_case_has_the_capitals_the_articles_give_its_names(
    sample_kb: KnowledgeBase,
) -> None:
    """It abstained: "helena qureshi" read as no name, so as a question about nothing."""
    answer = sample_kb.ask("who is helena qureshi")
    assert "analyst Helena Qureshi" in answer.citations[0].quote, answer.answer
    replaced = sample_kb.ask("who replaced carl brenner as ceo")
    assert any("Aisha Rahman" in citation.quote for citation in replaced.citations)
    # A word the articles capitalise only to open a sentence is no name.
    assert sample_kb.ask("what did regulators say about the fines").answer != NOT_ENOUGH
    assert sample_kb.constraints("what did consumer watch say about the ceo").sources == [
        "Consumer Watch Weekly"
    ]


def test_a_source_word_no_article_writes_in_lower_case_names_it_in_lower_case(
    sample_kb: KnowledgeBase,
) -> None:
    """Read from the store's words, kept per state of the store, not from every article again."""
    assert sample_kb.constraints("what did the ledger say about the levee?").sources == [
        "The Millbrook Ledger"
    ]


def test_a_source_named_in_the_question_is_a_filter_not_words_to_look_for(
    sample_kb: KnowledgeBase,
) -> None:
    """The Courier-Times' name is in one sentence only, the line about the analysis' writer, which
    the answer quoted; the name says where to look, not what."""
    answer = sample_kb.ask("What did the Courier-Times say about the ceremony?")
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Courier-Times" not in quotes and "celebration" in quotes, answer.answer
    assert {c.source for c in answer.citations} == {"The Harlow Courier-Times"}
    hits = sample_kb.search("What did the Courier-Times say about the ceremony?", k=3)
    assert not any("writes about transport" in hit.text[:200] for hit in hits[:1])


def test_a_short_sentence_is_quoted_with_the_one_after_it(sample_kb: KnowledgeBase) -> None:
    answer = sample_kb.ask("What did Circuit Business Daily report about the refund?")
    quotes = [c.quote for c in answer.citations]
    assert (
        "The company also raised its refund. Owners can now receive the full purchase price, "
        "up to $549, instead of the $420 originally offered."
    ) in quotes, answer.answer


def test_a_date_the_filters_rule_out_is_explained(sample_kb: KnowledgeBase) -> None:
    answer = sample_kb.ask(
        "What did Regional Wire report in April 2026?", filters=Filters(until="2026-03-31")
    )
    assert answer.answer == NOT_ENOUGH
    assert answer.notice == (
        "The question asks for articles dated 2026-04-01 to 2026-04-30, the filters for articles "
        "dated 2026-03-31 or earlier: no day is both."
    )


def test_a_source_the_filters_rule_out_is_explained(sample_kb: KnowledgeBase) -> None:
    """With the sidebar's source Consumer Watch Weekly, the question about Circuit Business
    Daily was answered from Consumer Watch Weekly's articles."""
    answer = sample_kb.ask(
        "What did Circuit Business Daily report about the fine?",
        filters=Filters(sources=["Consumer Watch Weekly"]),
    )
    assert answer.answer == NOT_ENOUGH and answer.citations == []
    assert answer.notice == (
        "The question asks for articles from Circuit Business Daily, the filters for articles "
        "from Consumer Watch Weekly: no article is both."
    )


def test_a_source_carried_from_the_turn_before_gives_way_to_the_filters(
    sample_kb: KnowledgeBase,
) -> None:
    """The carried Regional Wire was called a clash with the sidebar's Ledger, as if the
    follow-up had asked for it."""
    conversation = Conversation()
    sample_kb.ask("What did Regional Wire report about the flood?", conversation=conversation)
    answer = sample_kb.ask(
        "And what about the cost?",
        filters=Filters(sources=["The Millbrook Ledger"]),
        conversation=conversation,
    )
    assert answer.answer != NOT_ENOUGH, answer.notice
    assert {c.source for c in answer.citations} == {"The Millbrook Ledger"}


def test_filters_no_article_passes_are_named_as_the_reason(sample_kb: KnowledgeBase) -> None:
    """It said "does not contain enough information", as if the articles lacked the answer."""
    answer = sample_kb.ask(
        "How many fires were reported?",
        filters=Filters(sources=["Consumer Watch Weekly"], since="2026-04-01"),
    )
    assert answer.answer == NOT_ENOUGH and answer.nearest == []
    assert answer.notice == (
        "No article matches the filters (articles from Consumer Watch Weekly, dated 2026-04-01 "
        "or later)."
    )


@pytest.mark.parametrize(
    "question", ["What is the population of Tokyo?", "What did the mayor of Tokyo say on Monday?"]
)
def test_a_question_about_names_no_article_mentions_abstains(
    sample_kb: KnowledgeBase, sample_texts: dict[str, str], question: str
) -> None:
    """ "What is the population of Tokyo?" quoted sentences about Harlow, as an answer."""
    answer = sample_kb.ask(question)
    assert answer.answer == NOT_ENOUGH and answer.citations == []
    assert answer.notice == "No article mentions Tokyo."
    assert answer.nearest  # the passages nearest it all the same, for the user to judge
    for citation in answer.nearest:
        assert sample_texts[citation.article_id][citation.start : citation.end] == citation.quote
        # sentences, not passages with their bylines and headings run together
        assert "\n" not in citation.quote and len(citation.quote) < 400, citation.quote
    # A name the articles write, however split ("VX-40"), or one known among unknown ones
    assert sample_kb.ask("Why did the VX-40 packs catch fire?").answer != NOT_ENOUGH
    assert "mentions" not in sample_kb.ask("What did Reuters and Voltaic say?").notice


def test_asking_for_articles_of_days_none_has_says_so(sample_kb: KnowledgeBase) -> None:
    answer = sample_kb.ask("What was published on 2030-01-05?")
    assert answer.answer == NOT_ENOUGH
    assert answer.notice == "The knowledge base has no articles dated 2030-01-05."
    for events in ("What happened on March 14, 2026?", "What happened in October 2024?"):
        assert sample_kb.ask(events).answer != NOT_ENOUGH, events
    news = sample_kb.ask("What is the latest news?", k=3)  # the whole knowledge base's
    latest = sorted(a.date for a in sample_kb.articles())[-3:]
    dates = {a.id: a.date for a in sample_kb.articles()}
    assert [dates[c.article_id] for c in news.citations] == latest
    assert "the latest 3 of the 10 articles in scope" in news.notice


def test_a_sentence_that_answers_everything_asked_leads_nowhere_else(
    sample_kb: KnowledgeBase, sample_texts: dict[str, str]
) -> None:
    """The lead answers every word of the question; its dateline ("MILLBROOK, March 14 (Regional
    Wire) — ") is not quoted, and no sentence merely sharing a name with it ("Cash donations can
    be made to the Alder Valley Community Fund.") follows it."""
    answer = sample_kb.ask("Who was killed in the Millbrook flood?")
    assert_citations_exact(answer, sample_texts)
    quotes = [c.quote for c in answer.citations]
    assert any(quote.startswith("Walter Brandt, 71") for quote in quotes), answer.answer
    assert not any("MILLBROOK" in quote or "Cash donations" in quote for quote in quotes)


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unanswerable_question_abstains(
    question: str, answers: dict[str, Answer], sample_texts: dict[str, str]
) -> None:
    answer = answers[question]
    assert answer.answer == NOT_ENOUGH
    assert answer.citations == []
    # The closest sentences are listed all the same, for the user to judge.
    assert [c.n for c in answer.nearest] == [1, 2, 3]
    for citation in answer.nearest:
        assert sample_texts[citation.article_id][citation.start : citation.end] == citation.quote
    assert answer.mode == "extractive"
    assert markers(answer.answer) == []


def test_reference_marks_inside_quotes_are_not_taken_for_citations(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "paper.txt"
    path.write_text(
        "Layout detection in scanned documents\n\n"
        "Deep learning models detect layout regions such as titles and tables in scans [12]. "
        "The LayoutParser toolkit wraps several detection models behind one interface [3].\n\n"
        "Earlier systems relied on hand-written rules for each document type [7]."
    )
    kb.ingest([path])
    answer = kb.ask("What does the LayoutParser toolkit do?")
    assert answer.citations
    assert set(markers(answer.answer)) == {c.n for c in answer.citations}, answer.answer


def test_fullwidth_questions_are_read_as_plain_ones(sample_kb: KnowledgeBase) -> None:
    plain = sample_kb.ask("Why did the levee fail?", k=4)
    fullwidth = sample_kb.ask("Ｗｈｙ ｄｉｄ ｔｈｅ ｌｅｖｅｅ ｆａｉｌ？", k=4)
    assert fullwidth.answer == plain.answer != NOT_ENOUGH
    assert [hit.chunk_id for hit in sample_kb.search("ｌｅｖｅｅ ｆａｉｌｅｄ", k=3)] == [
        hit.chunk_id for hit in sample_kb.search("levee failed", k=3)
    ]


def test_the_sentence_giving_what_is_asked_for_opens_the_answer(sample_kb: KnowledgeBase) -> None:
    """ "What time…" is answered by a time ("time for questions about the levee" gives none),
    and that sentence opens the answer though its article says something else first."""
    answer = sample_kb.ask("What time did the levee collapse?")
    assert "3:15 a.m." in answer.citations[0].quote, answer.answer
    assert answer.answer.split(": ", 1)[1].startswith("As the river rose")


def test_what_happened_after_an_event_is_what_the_later_articles_on_it_say(
    sample_kb: KnowledgeBase,
) -> None:
    """It quoted the recall itself; now each later article on it, oldest first."""
    answer = sample_kb.ask("What happened after the VX-40 recall was announced?")
    dates = [sample_kb.article(c.article_id).date for c in answer.citations]
    assert dates and all(day > "2026-03-18" for day in dates) and dates == sorted(dates)
    assert any("Carl Brenner resigned" in c.quote for c in answer.citations), answer.answer
    assert answer.notice.startswith("What followed “the VX-40 recall was announced”")
    # An event only one article is on is answered as any question.
    named = sample_kb.ask("What happened after Aisha Rahman was named interim CEO?")
    assert "What followed" not in named.notice


def test_what_happened_after_an_event_is_told_from_the_article_saying_it(
    sample_kb: KnowledgeBase, sample_texts: dict[str, str]
) -> None:
    """After "Carl Brenner resigned" it dated the event by the earlier recall article, which
    only names him, and quoted the resignation itself: now the resignation's article, and what
    it says after it."""
    answer = sample_kb.ask("What happened after Carl Brenner resigned?")
    assert "Voltaic Cell Works recalls" not in answer.notice
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Aisha Rahman was named interim CEO" in quotes, answer.answer
    assert "resigned" not in quotes.lower()
    assert_citations_exact(answer, sample_texts)


def test_what_happened_after_an_event_follows_its_first_report_not_a_later_release(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """After "the Veltra fire" it followed the company's press release of three days later
    (its name in every line made it the closest article) and left the release out: now the
    first report is the event's article and the release one of what followed."""
    reports = {
        "first.txt": ("2026-05-05", "North Wire", "One worker killed in Eastfield blaze",
                      "One worker died when a fire broke out at the Halden plant in Eastfield "
                      "early on Tuesday, officials said. Crews fought the flames for six hours."),
        "release.txt": ("2026-05-08", "Halden Works", "Halden Works announces a fund after the "
                        "Halden fire", "Halden Works today announced a $200,000 fund for the "
                        "families after the Halden fire. Halden Works will pay all Halden "
                        "employees during the shutdown."),
        "later.txt": ("2026-05-12", "South Ledger", "Council suspends Eastfield permit",
                      "The city council suspended the permit of the Halden plant a week after "
                      "the fire, pending the state's report."),
    }  # fmt: skip
    for name, (day, source, title, body) in reports.items():
        (tmp_path / name).write_text(f"{title}\n\n{body}\n")
        kb.ingest([tmp_path / name], edit=MetadataEdit(date=day, source=source, title=title))
    answer = kb.ask("What happened after the Halden fire?")
    assert "after One worker killed in Eastfield blaze (2026-05-05)" in answer.notice, answer
    assert {c.source for c in answer.citations} >= {"Halden Works", "South Ledger"}, answer


def test_a_source_the_user_gives_is_read_as_a_question_would_name_it(
    sample_kb: KnowledgeBase,
) -> None:
    """`--source "Millbrook Ledger"` was no source: the articles' is "The Millbrook Ledger"."""
    assert sample_kb.filter_problems(Filters(sources=["Millbrook Ledger"])) == []
    answer = sample_kb.ask("What caused the levee failure?", filters=Filters(sources=["ledger"]))
    assert {c.source for c in answer.citations} == {"The Millbrook Ledger"}, answer.answer


def test_the_other_source_after_a_question_naming_none_is_not_the_one_answered_from(
    sample_kb: KnowledgeBase,
) -> None:
    conversation = Conversation()
    first = sample_kb.ask(
        "How many reports of overheating did Voltaic count?", conversation=conversation
    )
    assert conversation.turns[-1].cited == [first.citations[0].source]
    other = sample_kb.ask("and what did the other source say?", conversation=conversation)
    assert other.citations and first.citations[0].source not in {c.source for c in other.citations}


def test_filters_naming_what_no_article_has_are_reported(sample_kb: KnowledgeBase) -> None:
    assert sample_kb.filter_problems(Filters(sources=["regional wire"], tags=[])) == []
    problems = sample_kb.filter_problems(
        Filters(sources=["Nonexistent Paper"], tags=["nope"], article_ids=["deadbeef0000"])
    )
    sources = ", ".join(sorted({a.source for a in sample_kb.articles()}))
    assert problems == [
        "unknown article id deadbeef0000 (see `kb list`)",
        f"no article from source 'Nonexistent Paper' (sources: {sources})",
        "no article tagged 'nope' (tags: none)",
    ]


def test_ask_stream_offline_yields_only_the_answer(sample_kb: KnowledgeBase) -> None:
    events = list(sample_kb.ask_stream("What caused the levee to fail?", k=4))
    assert len(events) == 1 and isinstance(events[0], Answer)
    assert sample_kb.mode == "extractive"


def test_empty_knowledge_base_abstains(kb: KnowledgeBase) -> None:
    assert kb.articles() == []
    assert kb.search("flood") == []
    answer = kb.ask("How many homes were damaged?")
    assert answer.answer == NOT_ENOUGH and answer.citations == answer.nearest == []


# --- deleting -----------------------------------------------------------------------------------
def rows(knowledge_base: KnowledgeBase, article_id: str) -> dict[str, int]:
    store = knowledge_base.store
    return {
        "article": len(store.article_rows.get(ids=[article_id], include=[])["ids"]),
        "chunks": len(store.chunk_rows.get(where={"article_id": article_id}, include=[])["ids"]),
        "summary": len(store.summary_rows.get(ids=[article_id], include=[])["ids"]),
    }


def test_delete_leaves_nothing_behind(kb: KnowledgeBase) -> None:
    report = kb.ingest([DATA_DIR / name for name in FEW_ARTICLES[:2]])
    gone, kept = (r.article_id for r in report.results)
    kb.summary(gone)
    kb.summary(kept)
    assert rows(kb, gone) == {"article": 1, "chunks": report.results[0].chunks, "summary": 1}
    kept_rows = rows(kb, kept)

    kb.delete(gone)
    assert rows(kb, gone) == {"article": 0, "chunks": 0, "summary": 0}
    assert rows(kb, kept) == kept_rows
    assert [a.id for a in kb.articles()] == [kept]
    with pytest.raises(ArticleNotFound):
        kb.article(gone)
    with pytest.raises(ArticleNotFound):
        kb.summary(gone)
    with pytest.raises(ArticleNotFound):
        kb.delete(gone)
    hits = kb.search("Alder River levee flood Fenwick Street", k=20)
    assert hits and {h.article_id for h in hits} == {kept}
    assert kb.store.sweep() == 0


def test_deleted_article_can_be_ingested_again(kb: KnowledgeBase) -> None:
    path = DATA_DIR / FEW_ARTICLES[0]
    [first] = kb.ingest([path]).results
    kb.delete(first.article_id)
    [again] = kb.ingest([path]).results
    assert (again.status, again.article_id, again.chunks) == (
        "ingested",
        first.article_id,
        first.chunks,
    )
    assert rows(kb, first.article_id)["chunks"] == first.chunks


# --- crash leftovers ----------------------------------------------------------------------------
def plant_orphans(knowledge_base: KnowledgeBase, question: str) -> str:
    """What a crash between writing chunks and writing the article record leaves behind."""
    orphan = "deadbeef0000"
    vector = knowledge_base.embedder.embed([question])[0]
    knowledge_base.store.chunk_rows.upsert(
        ids=[f"{orphan}:0000", f"{orphan}:0001"],
        embeddings=np.stack([vector, vector]),
        documents=[question, question + " Again."],
        metadatas=[
            {"article_id": orphan, "index": i, "start": 0, "end": len(question)} for i in (0, 1)
        ],
    )
    knowledge_base.store.summary_rows.upsert(
        ids=[orphan], embeddings=[vector], documents=["{}"], metadatas=[{"mode": "extractive"}]
    )
    return orphan


def test_half_written_article_is_invisible_and_swept(kb: KnowledgeBase) -> None:
    [result] = kb.ingest([DATA_DIR / FEW_ARTICLES[0]]).results
    question = "How will the Millbrook rebuild be paid for?"
    orphan = plant_orphans(kb, question)

    hits = kb.search(question, k=3)
    assert len(hits) == 3 and orphan not in {h.article_id for h in hits}
    answer = kb.ask(question)
    assert answer.citations and orphan not in {c.article_id for c in answer.citations}
    assert [a.id for a in kb.articles()] == [result.article_id]
    with pytest.raises(ArticleNotFound):
        kb.article(orphan)

    assert kb.store.sweep() == 3  # two chunks and a summary
    assert kb.store.chunk_rows.get(where={"article_id": orphan}, include=[])["ids"] == []
    assert kb.store.summary_rows.get(ids=[orphan], include=[])["ids"] == []
    assert kb.store.chunk_rows.count() == result.chunks
    assert kb.store.sweep() == 0


def test_next_ingest_sweeps_crash_leftovers(kb: KnowledgeBase) -> None:
    path = DATA_DIR / FEW_ARTICLES[0]
    [first] = kb.ingest([path]).results
    orphan = plant_orphans(kb, "Anything at all")
    [second] = kb.ingest([path]).results  # even a batch with nothing new cleans up
    assert second.status == "unchanged"
    assert kb.store.chunk_rows.get(where={"article_id": orphan}, include=[])["ids"] == []
    assert kb.store.summary_rows.get(ids=[orphan], include=[])["ids"] == []
    assert kb.store.chunk_rows.count() == first.chunks


# --- a second process ---------------------------------------------------------------------------
def test_second_process_sees_what_the_first_stored(kb: KnowledgeBase) -> None:
    report = kb.ingest([DATA_DIR / name for name in FEW_ARTICLES[:2]])
    target = report.results[1].article_id
    question = "How many homes were damaged on Fenwick Street?"
    code = f"""
import json
from kb.api import KnowledgeBase
from kb.conversation import Conversation, Turn
kb = KnowledgeBase()
articles = kb.articles()
hits = kb.search({question!r}, k=3)
print(json.dumps({{
    "home": str(kb.settings.home),
    "articles": [a.model_dump() for a in articles],
    "texts": {{a.id: kb.article(a.id).text for a in articles}},
    "chunks": {{a.id: [c.model_dump() for c in kb.store.chunks(a.id)] for a in articles}},
    "hits": [h.model_dump() for h in hits],
}}))
"""
    done = run_python(code, {"KB_HOME": str(kb.settings.home)})
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["home"] == str(kb.settings.home)
    assert seen["articles"] == [a.model_dump() for a in kb.articles()]
    for article in kb.articles():
        assert seen["texts"][article.id] == kb.article(article.id).text
        assert seen["chunks"][article.id] == [c.model_dump() for c in kb.store.chunks(article.id)]
    here = kb.search(question, k=3)
    assert [h["chunk_id"] for h in seen["hits"]] == [h.chunk_id for h in here]
    assert target in {hit["article_id"] for hit in seen["hits"]}


def test_brackets_in_a_source_name_are_not_citation_markers(
    kb: KnowledgeBase, data_dir: Path
) -> None:
    [result] = kb.ingest([data_dir / "millbrook-flood-regional-wire.html"]).results
    kb.edit(result.article_id, MetadataEdit(source="Regional Wire [2024]"))
    answer = kb.ask("How many homes did the flash flood damage in Millbrook?")
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations} and markers


def test_edits_show_in_summaries_and_short_titles_hide_nothing(
    kb: KnowledgeBase, data_dir: Path
) -> None:
    [result] = kb.ingest([data_dir / "millbrook-flood-ledger.md"]).results
    before = kb.summary(result.article_id)
    kb.edit(result.article_id, MetadataEdit(title="Millbrook"))
    assert kb.summary(result.article_id).title == "Millbrook"
    again = kb.summary(result.article_id, regenerate=True)
    assert len(again.sections) == len(before.sections)
    assert kb.ask("Who rescued Tom Reyes from his garage roof?").citations


def test_an_unknown_tag_lists_the_known_ones_once_however_cased(
    kb: KnowledgeBase, data_dir: Path
) -> None:
    kb.ingest([data_dir / "millbrook-flood-ledger.md"], edit=MetadataEdit(tags=["Levee"]))
    kb.ingest([data_dir / "millbrook-flood-regional-wire.html"], edit=MetadataEdit(tags=["levee"]))
    [problem] = kb.filter_problems(Filters(tags=["nope"]))
    listed = problem.split("(tags: ", 1)[1].rstrip(")").split(", ")
    assert [tag.casefold() for tag in listed].count("levee") == 1, problem


def test_an_edit_marks_the_fields_it_changes_as_the_users(
    kb: KnowledgeBase, data_dir: Path
) -> None:
    [result] = kb.ingest([data_dir / "millbrook-flood-ledger.md"]).results
    article = kb.article(result.article_id)
    unchanged = MetadataEdit(title=article.title, source=article.source, tags=["flood"])
    assert kb.edit(article.id, unchanged).edited == []  # a form sending every field back
    kb.edit(article.id, MetadataEdit(date="2026-04-03"))
    kb.edit(article.id, MetadataEdit(title="Millbrook", source=article.source))
    reopened = KnowledgeBase(kb.settings.home, kb.settings)
    assert reopened.article(article.id).edited == ["date", "title"]


def test_an_llm_that_does_not_answer_never_replaces_a_summary_and_says_so(
    kb: KnowledgeBase, data_dir: Path
) -> None:
    [result] = kb.ingest([data_dir / "millbrook-flood-ledger.md"]).results
    article_id = result.article_id
    offline = kb.summary(article_id)
    earlier = offline.model_copy(update={"mode": "llm", "model": "earlier-model"})
    kb.store.put_summary(earlier, kb.embedder.embed([earlier.abstract])[0])
    down = KnowledgeBase(kb.settings.home, llm_settings(closed_port_url(), max_retries=0))

    kept = down.summary_outcome(article_id, regenerate=True)
    assert kept.unavailable and kept.summary.model == "earlier-model"
    assert (
        kept.notice.startswith("LLM unavailable (")
        and "stored summary (llm) is kept" in kept.notice
    )
    [batch_result] = down.summarize([article_id], regenerate=True).results
    assert batch_result.status == "failed" and batch_result.reason.startswith("LLM unavailable")
    stored = down.store.summary(article_id)
    assert stored is not None and stored.model == "earlier-model"

    down.store.summary_rows.delete(ids=[article_id])
    shown = down.summary_outcome(article_id)
    assert shown.unavailable and shown.summary.mode == "extractive"
    assert "not stored" in shown.notice
    assert down.store.summary(article_id) is None  # `kb summarize` tries the LLM again
    assert kb.summary_outcome(article_id).notice == ""  # offline: extractive is what was asked


def test_an_offline_summary_of_an_earlier_summarizer_is_made_again_offline_when_read(
    kb: KnowledgeBase, data_dir: Path
) -> None:
    """A summary stored before the offline summarizer changed was shown as it was, for good."""
    [result] = kb.ingest([data_dir / "millbrook-flood-ledger.md"]).results
    current = kb.summary(result.article_id)
    assert current.prompt_version == EXTRACTIVE_VERSION
    earlier = current.model_copy(
        update={"prompt_version": "", "abstract": "An earlier abstract.", "sections": []}
    )
    kb.store.put_summary(earlier, kb.embedder.embed([earlier.abstract])[0])
    # An LLM configured since is not asked (this one would not answer): the remake is offline.
    down = KnowledgeBase(kb.settings.home, llm_settings(closed_port_url(), max_retries=0))
    remade = down.summary_outcome(result.article_id)
    assert not remade.unavailable and remade.notice == ""
    assert remade.summary.abstract == current.abstract and remade.summary.sections
    stored = down.store.summary(result.article_id)
    assert stored is not None and stored.prompt_version == EXTRACTIVE_VERSION
    # A stored LLM summary is never remade unasked.
    by_llm = current.model_copy(update={"mode": "llm", "model": "m", "prompt_version": "old"})
    kb.store.put_summary(by_llm, kb.embedder.embed([by_llm.abstract])[0])
    assert down.summary(result.article_id).model == "m"


def test_a_local_path_typed_as_a_web_address_is_refused(kb: KnowledgeBase, data_dir: Path) -> None:
    report = kb.ingest_uploads([], urls=[str(data_dir), "file:///etc/passwd"])
    assert [(r.status, r.reason) for r in report.results] == [
        ("failed", "not an http(s) address"),
        ("failed", "not an http(s) address"),
    ]
    assert kb.articles() == []


def test_ingest_in_background_reports_as_it_goes_then_summarises(
    kb: KnowledgeBase, data_dir: Path
) -> None:
    files = [
        ("vote.txt", (data_dir / "millbrook-council-rebuild-vote.txt").read_bytes()),
        ("broken.pdf", b"%PDF-1.4 not really"),
        ("ledger.md", (data_dir / "millbrook-flood-ledger.md").read_bytes()),
    ]
    job = kb.ingest_in_background(files, edit=MetadataEdit(tags=["mine"]))
    assert job.total == 3
    deadline = time.monotonic() + 300
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.finished and not job.error
    assert job.report is not None
    assert [r.status for r in job.report.results] == ["ingested", "failed", "ingested"]
    assert sorted(r.path for r in job.results) == sorted(r.path for r in job.report.results)
    assert job.last is not None and job.last.done == 3
    assert job.summaries is not None and job.summaries.total == 2
    assert [r.status for r in job.summaries.results] == ["summarised"] * 2
    assert {(a.summary, tuple(a.tags)) for a in kb.articles()} == {("ready", ("mine",))}


def test_a_background_ingest_counts_the_addresses_it_refuses(
    kb: KnowledgeBase, data_dir: Path
) -> None:
    """Done at once and counted with the rest: the UI said "Ingesting 8 items…" above a bar
    saying "4/7 files"."""
    vote = (data_dir / "millbrook-council-rebuild-vote.txt").read_bytes()
    job = kb.ingest_in_background([("vote.txt", vote)], urls=["not an address"])
    assert job.total == 2 and [r.path for r in job.results] == ["not an address"]
    deadline = time.monotonic() + 300
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.finished and job.last is not None and job.report is not None
    assert (job.last.done, job.last.total) == (2, 2)
    assert [r.status for r in job.report.results] == ["failed", "ingested"]
    assert [r.path for r in job.results] == [r.path for r in job.report.results]


def test_a_background_ingest_that_stops_says_why(kb: KnowledgeBase) -> None:
    kb.settings.home.mkdir(parents=True, exist_ok=True)
    (kb.settings.home / "uploads").write_text("a file where the uploads folder goes")
    job = kb.ingest_in_background([("vote.txt", b"Some text of an article.")])
    deadline = time.monotonic() + 60
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.1)
    assert job.finished and job.error and job.report is None and job.summaries is None


def test_find_and_the_first_line_of_the_abstract(kb: KnowledgeBase, data_dir: Path) -> None:
    kb.ingest([data_dir / "millbrook-flood-ledger.md", data_dir / "voltaic-fine-ceo-resigns.docx"])
    [docx] = kb.find(formats=["docx"])
    assert kb.find(matching="no such words") == []
    assert next(a.id for a in kb.find(sort="newest")) == docx.id  # April after March
    assert kb.abstract_line(docx.id) == ""
    abstract = kb.summary(docx.id).abstract
    line = kb.abstract_line(docx.id)
    assert line and abstract.startswith(line) and len(line) < len(abstract)


def test_the_llm_endpoint_saved_from_the_ui(
    kb: KnowledgeBase, openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    choice = SavedLLM(base_url=openai_server.url, api_key="k", model="fake-model")
    assert kb.check_llm(choice).strip() and kb.mode == "extractive"  # a check changes nothing
    with pytest.raises(LLMError, match="no endpoint and no API key"):
        kb.check_llm(SavedLLM())
    assert not kb.settings.has_saved_llm
    kb.settings = kb.settings.model_copy(  # as `kb ui` leaves it with the local model
        update={"llm": LLMSettings(base_url="http://127.0.0.1:9/v1", json_schema=True, timeout=600)}
    )
    kb.use_llm(choice)
    assert kb.mode == "llm" and kb.llm is not None and kb.llm.name == "fake-model"
    assert kb.settings.has_saved_llm  # `kb ui` then does not start the local model
    tuned = kb.settings.llm
    assert (tuned.json_schema, tuned.timeout) == (False, LLMSettings().timeout)
    assert KnowledgeBase(kb.settings.home, Settings()).mode == "llm"  # kept for the next start
    kb.use_llm(SavedLLM(), save=False)
    assert kb.mode == "extractive"
    assert KnowledgeBase(kb.settings.home, Settings()).mode == "llm"  # not saved this time
    monkeypatch.setenv("KB_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert KnowledgeBase(kb.settings.home, Settings()).settings.llm.base_url.endswith(":9/v1")
    assert kb.llm_from_environment


def test_index_info(sample_kb: KnowledgeBase) -> None:
    info = sample_kb.index_info()
    articles = sample_kb.articles()
    assert (info.articles, info.chunks) == (len(articles), sum(a.chunks for a in articles))
    assert info.disk_bytes > 100_000 and info.embedder == "minilm"
    assert info.store == "embedded Chroma in the home folder"


def test_a_writer_that_waits_for_another_says_so(
    kb: KnowledgeBase, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A second `kb ingest` beside a long one printed nothing for minutes, then ran."""
    note = tmp_path / "note.txt"
    note.write_text("Ferry fares\n\nThe harbour ferry fare rises to $3 in May, the council said.")
    [result] = kb.ingest([note]).results
    kb.settings.home.mkdir(parents=True, exist_ok=True)
    with open(kb.settings.home / ".writer.lock", "a") as held:  # another writer, holding it
        fcntl.flock(held, fcntl.LOCK_EX)
        editing = threading.Thread(
            target=kb.edit, args=(result.article_id, MetadataEdit(tags=["ferry"]))
        )
        editing.start()
        deadline = time.monotonic() + 30
        while "waiting for it" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        assert kb.article(result.article_id).tags == []  # it waits
    editing.join(timeout=30)
    assert f"another kb process is writing to {kb.settings.home}; waiting for it" in caplog.text
    assert kb.article(result.article_id).tags == ["ferry"]


@pytest.mark.parametrize("hung", [False, True])
def test_an_endpoint_that_failed_is_not_asked_again_for_that_question(
    llm_kb: KnowledgeBase, openai_server: FakeOpenAIServer, hung: bool
) -> None:
    """A follow-up with an LLM asks for its rewrite, a search step and the answer: a dead or hung
    endpoint was waited on for each (29 s where offline took 14 s)."""
    settings = llm_settings(openai_server, llm_steps=1, max_retries=0, timeout=1.0)
    knowledge_base = KnowledgeBase(llm_kb.settings.home, settings)  # read only, as llm_kb
    if hung:
        openai_server.reply = lambda messages: time.sleep(3) or "Too late [1]."
    else:
        openai_server.fail = True
    first = "How much will the Millbrook rebuild cost?"
    conversation = Conversation(turns=[Turn(question=first, standalone=first, answer="A lot.")])
    answer = knowledge_base.ask("And how is it paid for?", conversation=conversation)
    assert len(openai_server.chat_requests()) == 1
    assert answer.mode == "extractive" and answer.citations
    assert answer.notice.count("LLM unavailable") == 1
    assert "not asked again for this question" in answer.notice
    assert answer.read_as.startswith("And how is it paid for? (")  # read offline


def test_a_question_comparing_two_sources_quotes_each(sample_kb: KnowledgeBase) -> None:
    """ "How did the Ledger and Regional Wire differ…?" quoted Regional Wire twice and the
    Ledger, whose articles were among the passages found, not at all."""
    answer = sample_kb.ask(
        "How did the Ledger and Regional Wire differ in their coverage of the Millbrook flood?"
    )
    assert {citation.source for citation in answer.citations} == {
        "Regional Wire",
        "The Millbrook Ledger",
    }, answer.answer


def test_a_misspelt_name_is_searched_as_the_articles_spell_it(sample_kb: KnowledgeBase) -> None:
    """ "Who was the cheif executive of Voltiac?" abstained: "No article mentions Voltiac."."""
    answer = sample_kb.ask("Who was the cheif executive of Voltiac?")
    assert "Searched for Voltaic (you wrote Voltiac)." in answer.notice
    assert answer.question == "Who was the cheif executive of Voltiac?"  # as the user wrote it
    assert any("Carl Brenner" in citation.quote for citation in answer.citations)


def test_a_day_asked_of_brings_that_day_s_articles_in(sample_kb: KnowledgeBase) -> None:
    """ "What happened in Millbrook on March 14?" quoted the articles of 03-15, 03-21 and 04-02
    only, none of the two reporting the flood that day. The day is still no filter: later
    articles tell of it too."""
    answer = sample_kb.ask("What happened in Millbrook on March 14?")
    assert "Also searched the articles dated 2026-03-14." in answer.notice
    days = {citation.date[:10] for citation in answer.citations}
    assert "2026-03-14" in days and days != {"2026-03-14"}


def test_a_misspelt_follow_up_says_both_how_it_was_spelt_and_read(
    sample_kb: KnowledgeBase,
) -> None:
    """The "Read as: …" of a follow-up replaced "Searched for Voltaic (you wrote Voltiac).": the
    user was not told the name they wrote was searched as another."""
    conversation = Conversation()
    sample_kb.ask("How many VX-40 battery packs were recalled?", conversation=conversation)
    answer = sample_kb.ask("and what did Voltiac say?", conversation=conversation)
    assert "Searched for Voltaic (you wrote Voltiac)." in answer.notice
    assert 'Read as: "and what did Voltaic say? (about: ' in answer.notice


def test_an_abstaining_question_is_answered_from_its_passages_once(
    sample_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no answer before to leave out, the same passages were tried twice, each try
    embedding their sentences again. The real answer is counted, not replaced."""
    answered: list[str] = []

    def counted(question: str, *args: object, **kwargs: object) -> Answer:
        answered.append(question)
        return extractive_answer(question, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kb_api, "extractive_answer", counted)
    assert sample_kb.ask("What is the recipe for banana bread?").answer == NOT_ENOUGH
    assert answered == ["What is the recipe for banana bread?"]


def test_a_digest_says_how_many_undated_articles_its_dates_left_out(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    dated = tmp_path / "dated.txt"
    dated.write_text(
        "Harbour ferry strike ends\n\nBy Ana Ruiz\nMarch 14, 2026\n\n"
        "Ferry crews returned to work on Saturday after a five-day strike over pay.",
        encoding="utf-8",
    )
    undated = tmp_path / "undated.txt"
    undated.write_text(
        "Ferry strike: what passengers should know\n\n"
        "Ferry crews ended a five-day strike over pay, and timetables are back to normal.",
        encoding="utf-8",
    )
    kb.ingest([dated, undated])
    assert sorted(bool(a.date) for a in kb.articles()) == [False, True]

    since = kb.digest(Filters(since="2026-03-01"))
    assert since.notice.endswith("1 undated article left out by the dates.")
    assert "undated" not in kb.digest().notice  # no dates asked for, nothing left out
