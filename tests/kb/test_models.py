"""The shared records' own behaviour: what they say of themselves (describe, markdown)."""

from __future__ import annotations

from datetime import datetime

from kb.models import (
    QA,
    Article,
    BatchProgress,
    Bullet,
    Digest,
    DigestPoint,
    FileResult,
    Filters,
    IngestJob,
    IngestReport,
    Section,
    Span,
    Summary,
    SummaryBatch,
    SummaryResult,
)


def test_filters_count_a_name_given_twice_once() -> None:
    filters = Filters(sources=["Ledger", "Ledger"], tags=["flood"] * 2, article_ids=["a1", "a1"])
    assert filters.describe() == "articles from Ledger, tagged flood, among 1 chosen article"
    assert Filters(article_ids=["a", "b"]).describe() == "2 chosen articles"


def test_summary_markdown_cites_each_bullets_spans_like_a_digest() -> None:
    def bullet(text: str, *spans: tuple[int, int]) -> Bullet:
        return Bullet(text=text, citations=[Span(start=s, end=e) for s, e in spans])

    qa = QA(
        question="What happened?",
        answers=[
            bullet("The levee failed.", (128, 433)),
            bullet("Crews and the levee.", (500, 560), (128, 433)),
            bullet("Nothing cited."),
        ],
    )
    summary = Summary(
        article_id="3f19b038539d",
        title="Flood",
        mode="llm",
        model="m",
        abstract="A flood.",
        sections=[Section(title="Events", qa=[qa])],
    )
    lines = summary.markdown().splitlines()
    assert "    - The levee failed. [1]" in lines
    assert "    - Crews and the levee. [2][1]" in lines
    assert "    - Nothing cited." in lines
    sources = lines[lines.index("## Sources") + 2 :][:2]
    assert sources == [
        "[1] Flood (chars 128-433 of 3f19b038539d)",
        "[2] Flood (chars 500-560 of 3f19b038539d)",
    ]


def test_an_export_says_when_it_was_made_as_a_reader_reads_a_time() -> None:
    """The Markdown export ended "made 2026-12-01T00:46:46+00:00"; the app already read it."""
    made = "2026-12-01T00:46:46+00:00"
    note = Summary(article_id="a1", title="T", mode="extractive", abstract="A.", sections=[])
    local = datetime.fromisoformat(made).astimezone()
    shown = note.model_copy(update={"created_at": made}).markdown().rstrip().splitlines()[-1]
    assert shown.endswith(f"; made {local:%Y-%m-%d %H:%M}*"), shown
    assert note.markdown().rstrip().endswith("; made earlier*")


def test_a_summary_without_sections_has_no_empty_q_and_a_heading() -> None:
    note = Summary(
        article_id="a1", title="Short note", mode="extractive", abstract="It closed.", sections=[]
    )
    text = note.markdown()
    assert "## Abstract\n\nIt closed.\n" in text and "## Q&A" not in text


def flood_summary(bullet: Bullet) -> Summary:
    """A summary of article 3f19b038539d, "Flood", whose one bullet is `bullet`."""
    return Summary(
        article_id="3f19b038539d",
        title="Flood",
        mode="extractive",
        abstract="A flood.",
        sections=[Section(title="Events", qa=[QA(question="What?", answers=[bullet])])],
    )


def test_summary_sources_quote_the_article_with_its_source_and_date() -> None:
    """An exported summary listed "[1] Flood (chars 4-21 of …)": no words, source or date to
    read it by without the knowledge base."""
    text = "Now the levee failed overnight."
    summary = flood_summary(Bullet(text="It failed.", citations=[Span(start=4, end=31)]))
    article = Article(
        id="3f19b038539d", title="Flood", source="Ledger", date="2026-04-06T10:00", text=text
    )
    [citation] = summary.citations(article)
    assert (citation.n, citation.quote, citation.source) == (
        1,
        "the levee failed overnight.",
        "Ledger",
    )
    assert (
        "[1] Flood (chars 4-31 of 3f19b038539d): “the levee failed overnight.” — Ledger, 2026-04-06"
        in summary.markdown(article).splitlines()
    )


def test_digest_markdown_shows_each_differences_source_date_and_latest() -> None:
    """A difference's record keeps its source, date and whether it is the latest apart; the
    Markdown shows them as one reads them, and a bare source (an LLM's) alone."""
    digest = Digest(
        scope="all",
        mode="extractive",
        differences=[
            DigestPoint(text="A refund of $420.", cites=[1], source="Ledger", date="2026-03-18"),
            DigestPoint(
                text="Up to $549.", cites=[2], source="Wire", date="2026-04-06", latest=True
            ),
            DigestPoint(text="Only the Post says so.", cites=[3], source="Post"),
            # Sentences across a paragraph break: the blank line ended the bullet
            DigestPoint(text="Record quarter.\n\nThe company grew.", cites=[4], source="Wire"),
        ],
    )
    lines = digest.markdown().splitlines()
    assert "- **Wire**: Record quarter. The company grew. [4]" in lines
    assert "- **Ledger, 2026-03-18**: A refund of $420. [1]" in lines
    assert "- **Wire, 2026-04-06 (latest)**: Up to $549. [2]" in lines
    assert "- **Post**: Only the Post says so. [3]" in lines


def test_the_time_left_counts_from_the_first_result_not_the_start() -> None:
    """A batch that spent 60 s loading the model before its first file, then 1 s a file, has
    about 8 s left after 2 of 10 files, not 4 minutes."""
    result = FileResult(path="a.txt", status="ingested", chunks=1)
    first = BatchProgress(
        done=1, total=10, chunks=1, elapsed=60.0, result=result, first_done=1, first_elapsed=60.0
    )
    assert first.eta_seconds is None and "left" not in first.describe()
    second = first.model_copy(update={"done": 2, "elapsed": 61.0})
    assert second.eta_seconds == 8.0
    assert second.describe() == "2/10 files · 1 chunk · 0 chunks/s · about 0:08 left"
    # No rate while no chunk is stored: "0 chunks · 0 chunks/s" read as stalled.
    assert first.model_copy(update={"chunks": 0}).describe() == "1/10 files · 0 chunks"


def test_a_quote_opening_with_a_quotation_mark_is_exported_without_a_second() -> None:
    """Exports wrote "[1] Flood (…): ““The levee held,” she said.”": the CLI printed such a quote
    once, the Markdown twice."""
    text = "“The levee held,” she said."
    summary = flood_summary(Bullet(text=text, citations=[Span(start=0, end=27)]))
    article = Article(
        id="3f19b038539d", title="Flood", source="Ledger", date="2026-04-06", text=text
    )
    assert (
        "[1] Flood (chars 0-27 of 3f19b038539d): “The levee held,” she said. — Ledger, 2026-04-06"
        in summary.markdown(article).splitlines()
    )


def test_an_upload_awaits_the_summaries_of_the_articles_it_added_until_it_finishes() -> None:
    """What a Library open meanwhile says "Summary being made now" of: the articles added (not
    those failed or already there) and not summarised yet; none once the upload is over,
    summarised or stopped."""
    vote = FileResult(path="vote.txt", status="ingested", article_id="vote", chunks=2)
    ledger = FileResult(path="ledger.md", status="ingested", article_id="ledger", chunks=3)
    again = FileResult(path="again.md", status="unchanged", article_id="old")
    broken = FileResult(path="broken.docx", status="failed", reason="not a docx")
    job = IngestJob(total=4, results=[vote, again])
    assert job.awaiting_summary == {"vote"}  # still ingesting: its summary comes after
    job.results += [ledger, broken]
    job.summaries = SummaryBatch(total=2)
    job.report = IngestReport(results=job.results)
    job.summaries.results.append(SummaryResult(article_id="vote", status="summarised"))
    assert job.awaiting_summary == {"ledger"}
    job.summaries.results.append(SummaryResult(article_id="ledger", status="failed"))
    job.summaries.finished = True
    assert job.awaiting_summary == set()
    stopped = IngestJob(total=2, results=[vote], error="disk full")
    assert stopped.finished and stopped.awaiting_summary == set()  # no summary is coming


def test_a_bullet_of_two_paragraphs_stays_one_item_of_its_question() -> None:
    """A bullet (or a question) holding a blank line ended its list item: the second paragraph
    stood outside the numbered list, which then started again at 1."""
    summary = Summary(
        article_id="3f19b038539d",
        title="Flood",
        mode="llm",
        abstract="A flood.",
        sections=[
            Section(
                title="Events\nand aftermath",
                qa=[
                    QA(
                        question="What\n\nhappened?",
                        answers=[
                            Bullet(
                                text="The levee failed.\n\nCrews came.",
                                citations=[Span(start=0, end=9)],
                            )
                        ],
                    ),
                    QA(question="Who?", answers=[Bullet(text="Crews.", citations=[])]),
                ],
            )
        ],
    )
    lines = summary.markdown().splitlines()
    qa_lines = lines[lines.index("### [01] Events and aftermath") + 2 :][:4]
    assert qa_lines == [
        "1. What happened?",
        "    - The levee failed. Crews came. [1]",
        "2. Who?",
        "    - Crews.",
    ], qa_lines
