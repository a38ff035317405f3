"""Hybrid retrieval: rank fusion, the per-article cap, and BM25 kept in step with the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.api import KnowledgeBase
from kb.models import Filters, Hit
from kb.retrieve import (
    Retriever,
    cap_per_article,
    giving_reasons_for,
    holding_the_question,
    naming_the_question,
    promote_linked,
    reciprocal_rank_fusion,
)
from kb.settings import RetrieveSettings, Settings

FILLER = (
    "The regional council met on Tuesday to discuss the budget for road repairs, school buses and "
    "the library's new opening hours, and residents asked questions about parking fees. "
)


def hit(article_id: str, index: int) -> Hit:
    return Hit(
        article_id=article_id,
        title="t",
        chunk_id=f"{article_id}:{index}",
        start=0,
        end=1,
        score=0.0,
        text="x",
    )


def test_fusion_adds_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60)
    assert list(fused) == ["a", "c", "b"]
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["b"] == pytest.approx(1 / 62)
    assert reciprocal_rank_fusion([[], []], k=60) == {}


def test_cap_keeps_the_best_few_of_each_article_in_order() -> None:
    hits = [hit("x", 0), hit("x", 1), hit("x", 2), hit("y", 0), hit("x", 3), hit("y", 1)]
    kept = cap_per_article(hits, 2)
    assert [h.chunk_id for h in kept] == ["x:0", "x:1", "y:0", "y:1"]


def scored(article_id: str, index: int, score: float) -> Hit:
    return hit(article_id, index).model_copy(update={"score": score})


def test_links_lift_an_article_right_after_its_namer_and_move_nothing_else() -> None:
    ranked = [scored("a", 0, 0.9), scored("a", 1, 0.8), scored("b", 0, 0.7), scored("c", 0, 0.6)]
    by_article: dict[str, list[Hit]] = {"a": ranked[:2], "b": [ranked[2]], "c": [ranked[3]]}
    by_article["d"] = [hit("d", 3)]  # found only through a link from "a"
    by_article["q"] = [hit("q", 0)]  # named in the question
    score = {"a": 1.0, "b": 0.5, "c": 0.4, "d": 0.9, "q": 1.5}  # c: 1/3 raised to 0.4
    promoted = promote_linked(ranked, by_article, score)
    assert [h.chunk_id for h in promoted] == ["q:0", "a:0", "d:3", "a:1", "b:0", "c:0"]
    assert [h.score for h in promoted] == [0.9, 0.9, 0.9, 0.8, 0.7, 0.7]  # as the one above
    # Nothing linked: the fused order and scores stand.
    assert promote_linked(ranked, by_article, {"a": 1.0, "b": 0.5, "c": 1 / 3}) == ranked


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_exact_rare_word_is_found_and_the_index_follows_ingest_and_delete(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    others = [
        write(folder, f"council-{n}.txt", f"Council notes {n}\n\n" + FILLER * 3) for n in range(4)
    ]
    kb.ingest(others)
    assert kb.lexical.search("Zorblax", 5) == []  # no chunk has the word yet
    coded = write(
        folder, "filter.txt", "Water notice\n\n" + FILLER + "Replace the ZORBLAX-7 filter now. "
    )
    article_id = kb.ingest([coded]).results[0].article_id

    found = kb.lexical.search("zorblax-7 filter", 5)  # the index was rebuilt for the new article
    assert found and found[0][0].startswith(article_id + ":")
    assert kb.search("Zorblax-7", k=1)[0].article_id == article_id
    assert kb.lexical.search("the of and", 5) == []  # only stopwords: nothing to match

    other_process = KnowledgeBase(kb.settings.home, Settings())  # e.g. the UI beside the CLI
    assert other_process.lexical.search("zorblax", 1)[0][0].startswith(article_id + ":")
    kb.delete(article_id)
    assert other_process.lexical.search("zorblax", 5) == []


def test_dense_only_setting_and_the_cap(kb: KnowledgeBase, data_dir: Path) -> None:
    kb.ingest(
        [data_dir / "millbrook-flood-ledger.md", data_dir / "voltaic-vx40-recall-announced.html"]
    )
    question = "How many homes were damaged when the levee failed?"
    dense_only = RetrieveSettings(hybrid=False, max_chunks_per_article=1, hops=0)
    retriever = Retriever(kb.store, kb.embedder, kb.lexical, kb.links, dense_only)
    hits = retriever.search(question, k=5)
    assert len(hits) == 2 and len({h.article_id for h in hits}) == 2  # one per article
    vector = kb.embedder.embed([question])[0]
    assert hits[0].chunk_id == kb.store.query(vector, 1)[0].chunk_id
    hybrid = Retriever(
        kb.store,
        kb.embedder,
        kb.lexical,
        kb.links,
        RetrieveSettings(max_chunks_per_article=2, hops=0),
    )
    fused = hybrid.search(question, k=10)
    per_article = {
        h.article_id: sum(1 for g in fused if g.article_id == h.article_id) for h in fused
    }
    assert max(per_article.values()) == 2
    assert [h.score for h in fused] == sorted((h.score for h in fused), reverse=True)
    assert retriever.search("   ", k=3) == [] and hybrid.search("levee", k=0) == []


def test_filters_keep_every_passage_within_them(sample_kb: KnowledgeBase) -> None:
    question = "What happened to the levee and the batteries?"
    wire = Filters(sources=["Regional Wire"])
    hits = sample_kb.search(question, k=8, filters=wire)
    assert hits and {h.source for h in hits} == {"Regional Wire"}
    april = Filters(since="2026-04-01", until="2026-04-30")
    assert {h.date[:7] for h in sample_kb.search(question, k=8, filters=april)} == {"2026-04"}
    chosen = sample_kb.search(question, k=1)[0].article_id
    only = sample_kb.search(question, k=8, filters=Filters(article_ids=[chosen]))
    assert only and {h.article_id for h in only} == {chosen}
    assert sample_kb.search(question, k=8, filters=Filters(sources=["Nobody"])) == []


def test_a_source_named_in_the_question_filters_the_search(sample_kb: KnowledgeBase) -> None:
    unfiltered = sample_kb.search("What did they report about the levee?", k=8)
    assert len({h.source for h in unfiltered}) > 1
    hits = sample_kb.search("What did the Millbrook Ledger report about the levee?", k=8)
    assert hits and {h.source for h in hits} == {"The Millbrook Ledger"}
    answer = sample_kb.ask("What did the Millbrook Ledger report about the levee?")
    assert "Searched articles from The Millbrook Ledger." in answer.notice
    assert {c.article_id for c in answer.citations} <= {h.article_id for h in hits}


def test_before_a_sources_article_searches_the_articles_dated_before_it(
    sample_kb: KnowledgeBase,
) -> None:
    question = "What was reported about the levee before the Regional Wire article on the vote?"
    hits = sample_kb.search(question, k=8)
    dates = {a.id: a.date for a in sample_kb.articles()}
    assert hits and all(dates[h.article_id] <= "2026-04-01" for h in hits)
    assert {h.source for h in hits} > {"Regional Wire"}  # its earlier flood story counts too
    answer = sample_kb.ask(question)
    assert "dated 2026-04-01 or earlier" in answer.notice
    assert answer.citations and all(dates[c.article_id] <= "2026-04-01" for c in answer.citations)


# A chip maker's follow-up story, in four chunks: why it cuts jobs is in the second, below every
# chunk telling of the cuts in meaning and in words.
CUTS = "\n\n".join(
    [
        "Brussels clears Norvane aid, but chip maker trims Dresden hiring plan and cuts "
        "400 jobs in Nijmegen",
        "By Helen Okafor\nTech Ledger Daily\nNovember 12, 2026",
        "Two weeks after announcing a €4.2 billion chip plant in Dresden, Norvane "
        "Semiconductor said on Thursday that the site would initially employ 1,000 people "
        "rather than the 1,200 it had promised, and that it would cut about 400 jobs at "
        "its Nijmegen plant in the Netherlands over the next 18 months.",
        "The announcement came two days after the European Commission approved €900 "
        "million of German state aid for the project, clearing the last obstacle to "
        "construction. Norvane said ground would be broken in Dresden in February 2027, "
        "slightly earlier than the first-quarter date it gave in October.",
        "## Why the plan changed",
        "Chief operating officer Daniel Osei said a higher level of automation at the new "
        'plant meant fewer operators would be needed. "The Dresden fab will be the most '
        "automated we have ever built. We would rather hire 1,000 people with long "
        'careers ahead of them than make promises we cannot keep," Osei said.',
        "The Nijmegen cuts, he said, were a separate decision, caused by the end of "
        "production of older 200-millimetre wafers for the automotive market, where "
        "revenue fell 6% in the third quarter. Most of the affected workers would be "
        "offered roles elsewhere in the company or retraining, Norvane said, and it "
        "expected severance costs of $85m to $95m.",
        'The Dutch union FNV called the cuts "a slap in the face" for workers who helped '
        'deliver record profits. "Norvane made $612 million in one quarter and now it '
        'tells 400 families in Nijmegen to look elsewhere," said FNV negotiator Sanne '
        "Bakker.",
        "## Reaction in Saxony and the markets",
        "Saxony's economy minister, Jens Hallbach, said the state remained fully behind "
        'the project. "A thousand jobs is still a thousand jobs, and the supplier network '
        'will bring many more," he said.',
        "The Commission's approval requires Norvane to report employment at the site "
        "every year, and a spokesperson for the German economy ministry said the aid "
        "contract would include job targets, without giving the number.",
        "Norvane shares fell 3.2% in Amsterdam on Thursday. Kestrel Research, which had "
        "warned about rising inventory after the October results, said the revised plan "
        'was "more realistic" and raised its rating to neutral.',
        "Analyst Priya Raman, who had kept a hold rating, wrote that the Commission's "
        'conditions were "lighter than I feared" but that she would still wait for a '
        "long-term customer agreement before changing her view.",
        "Norvane still expects fourth-quarter revenue of about $3.6bn.",
    ]
)


def test_a_why_question_finds_the_passage_giving_the_reason(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """The reason was not among the passages (three of an article at most), and the answer
    quoted "Kestrel Research, which had warned … after the October results" for it."""
    kb.ingest([write(tmp_path, "cuts.txt", CUTS)])
    reason = "caused by the end of production of older 200-millimetre wafers"
    assert any(reason in hit.text for hit in kb.search("Why is Norvane cutting jobs?", k=8))
    answer = kb.ask("Why is Norvane cutting jobs?")
    assert answer.citations and reason in answer.citations[0].quote, answer.answer
    assert not any("Kestrel" in citation.quote for citation in answer.citations), answer.answer


def test_only_a_why_question_ranks_the_passages_giving_a_reason_for_what_it_asks() -> None:
    passages = [
        hit("cuts", 0).model_copy(update={"text": "Norvane shares fell after the results."}),
        hit("cuts", 1).model_copy(update={"text": "The cuts were caused by lower demand."}),
        hit("cuts", 2).model_copy(update={"text": "Norvane is cutting 400 jobs."}),
    ]
    # "after the results" is a reason, but for the shares: "Norvane" is in every passage on it
    assert giving_reasons_for("Why is Norvane cutting jobs?", passages) == ["cuts:1"]
    assert giving_reasons_for("How many jobs is Norvane cutting?", passages) == []


def test_a_passage_giving_a_reason_ranks_before_one_telling_a_fault() -> None:
    """The passage giving the main cause of the breach in so many words fell out of the first
    eight below passages telling of the levee's faults ("rated … 'poor'")."""
    passages = [
        hit("wire", 0).model_copy(update={"text": "Castellan rated the levee 'poor' in 2024."}),
        hit("wire", 1).model_copy(
            update={"text": "Piping was the main cause of the levee breach."}
        ),
    ]
    question = "Why did the levee fail?"
    assert giving_reasons_for(question, passages) == ["wire:1", "wire:0"]


def test_the_passages_writing_every_word_asked_in_some_form_are_ranked() -> None:
    """ "The trial enrolled 14,212 patients." was ranked by neither meaning nor BM25 (three
    terms to "ORBIT-Lp") among the first eight, and the answer said no passage wrote
    "enrolled"; "fell" is a form of "fall" the stems do not join."""
    passages = [
        hit("live", 0).model_copy(update={"text": "The ORBIT-Lp trial followed 14,000 patients."}),
        hit("live", 1).model_copy(update={"text": "The trial enrolled 14,212 patients."}),
        hit("news", 0).model_copy(update={"text": "Heart attacks fell by 19%."}),
    ]
    question = "How many patients were enrolled in the ORBIT-Lp trial?"
    assert holding_the_question(question, passages) == []  # none writes "ORBIT-Lp" and "enrolled"
    titled = [p.model_copy(update={"title": "ORBIT-Lp trial results"}) for p in passages]
    assert holding_the_question(question, titled) == ["live:1"]
    assert holding_the_question("By how much did heart attacks fall?", passages) == ["news:0"]
    assert holding_the_question("What did the trial find?", passages) == []  # one word asked


def test_the_passages_naming_every_name_asked_in_another_form_are_ranked() -> None:
    """ "How many Spanish patients took part?" did not find the Spanish article's "En España
    participaron 1.100 pacientes", nor "Is tovarsiran approved by the FDA?" the passage on the
    "US Food and Drug Administration". One writing the names as asked is the word ranking's:
    ranked here too, it crowded out a multi-hop question's next hop."""
    passages = [
        hit("es", 0).model_copy(update={"text": "En España participaron 1.100 pacientes."}),
        hit("en", 0).model_copy(
            update={"text": "Helix will file with the US Food and Drug Administration."}
        ),
        hit("en", 1).model_copy(update={"text": "Spanish and French doctors took part."}),
    ]
    assert naming_the_question("How many Spanish patients took part?", passages) == ["es:0"]
    assert naming_the_question("Is tovarsiran approved by the FDA?", passages) == ["en:0"]
    assert naming_the_question("How many patients took part?", passages) == []
    assert naming_the_question("Did Spanish and French doctors take part?", passages) == []


def test_why_someone_takes_a_stance_searches_all_of_their_own_writing(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """ "Why is Martin Kell skeptical of the trial?" found his column's first and last passages,
    which name him, not the one between, which gives his reasons: every passage of his own
    writing is ranked, those arguing most first."""
    reasons = "I worked it out: you would need to treat about 83 people to prevent one event. "
    column = (
        "The heart jab headlines got ahead of the evidence\n\n"
        "Opinion | Martin Kell | The Evening Ledger | 11 March 2026\n\n"
        + "\n\n".join([FILLER * 6, reasons + FILLER * 5, FILLER * 6])
        + "\n\nMartin Kell is a science writer and former GP."
    )
    news = "Critics such as Martin Kell called for scrutiny of the trial. " + FILLER * 3
    kb.ingest([write(tmp_path, "column.txt", column), write(tmp_path, "news.txt", news)])
    retriever = Retriever(kb.store, kb.embedder, kb.lexical, kb.links, RetrieveSettings())
    passages = kb.search("Martin Kell", k=8)
    question = "Why is Martin Kell skeptical of the trial?"
    ranked = retriever._written_by_those_asked(question, passages)
    texts = {chunk.id: chunk.text for a in kb.articles() for chunk in kb.store.chunks(a.id)}
    assert "83 people" in texts[ranked[0]]
    column_id = next(a.id for a in kb.articles() if a.title.startswith("The heart jab"))
    assert sorted(ranked) == sorted(chunk.id for chunk in kb.store.chunks(column_id))
    assert retriever._written_by_those_asked("What did Martin Kell write?", passages) == []
    assert any("83 people" in hit.text for hit in kb.search(question, k=8))


LETTER = "\n\n".join(
    [
        "Quarterly letter",
        *[
            f"In week {n} of the quarter our plants shipped more wafers than ever."
            for n in range(6)
        ],
        "Financial highlights",
        "Metric | Q3 2026 | Q3 2025",
        *[f"Segment {n} revenue | ${n * 10}m | ${n * 9}m" for n in range(1, 25)],
        "Zorblax licence share | 12% | 9%",
        "We will report again in February.",
    ]
)


def test_a_passage_opening_inside_a_table_starts_at_the_table(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """The passage holding "Zorblax licence share | 12% | 9%" started at a row in the middle of
    the table, and the answer quoted the row without the header saying which year is which."""
    article_id = kb.ingest([write(tmp_path, "letter.txt", LETTER)]).results[0].article_id
    question = "What was the Zorblax licence share?"
    found = next(hit for hit in kb.search(question, k=3) if "Zorblax" in hit.text)
    assert found.text.startswith("Financial highlights\n\nMetric | Q3 2026 | Q3 2025\n\n")
    assert (kb.article(article_id).text or "")[found.start : found.end] == found.text
    assert not any(chunk.text.startswith("Financial") for chunk in kb.store.chunks(article_id))
    quotes = [citation.quote for citation in kb.ask(question).citations]
    assert quotes[:2] == ["Metric | Q3 2026 | Q3 2025", "Zorblax licence share | 12% | 9%"]
