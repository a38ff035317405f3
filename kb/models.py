"""Typed records shared by every stage; their JSON forms are the CLI's `--json` contracts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from kb.text import in_quotation_marks, plural

Mode = Literal["extractive", "llm"]
FileStatus = Literal["ingested", "unchanged", "duplicate", "failed"]


class ArticleNotFound(LookupError):
    def __str__(self) -> str:
        return f"no article with id {self.args[0]!r} (see `kb list`)"


class Article(BaseModel):
    """An article's metadata; `text` (the clean text every offset points into) only when asked."""

    id: str
    title: str
    source: str = ""
    author: str = ""
    date: str = ""
    location: str = Field(default="", description="the file path or URL the article came from")
    also_at: list[str] = Field(default=[], description="other paths/URLs with the same text")
    tags: list[str] = []
    edited: list[str] = Field(
        default=[],
        description="the metadata fields (title, source, date) the user set, which a new version "
        "of the file keeps",
    )
    near_duplicates: list[str] = Field(
        default=[], description="ids of articles with nearly the same text (syndicated copies)"
    )
    language: str = Field(default="", description="ISO 639-1 code, declared or detected")
    canonical_url: str = Field(default="", description="the address a web page declares")
    format: str = ""
    content_hash: str = ""
    bytes_hash: str = Field(
        default="", description="of the bytes read at `location` (ingest.loaders.bytes_hash)"
    )
    chunks: int = 0
    chars: int = 0
    summary: Literal["ready", "missing"] = "missing"
    ingested_at: str = ""
    text: str | None = None


class Chunk(BaseModel):
    """A slice of an article: `text == article_text[start:end]`, always."""

    id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str


def chunk_owner(chunk_id: str) -> str:
    """The id of the article a chunk belongs to (chunk ids are "<article id>:<index>")."""
    return chunk_id.rpartition(":")[0]


class Hit(BaseModel):
    """A retrieved passage, as handed to the answerer."""

    article_id: str
    title: str
    source: str = ""
    date: str = ""
    chunk_id: str
    start: int
    end: int
    score: float
    text: str


class Citation(BaseModel):
    n: int
    article_id: str
    title: str
    source: str = ""
    date: str = ""
    chunk_id: str = Field(
        default="", description="the passage quoted; none for a summary's, which cite the article"
    )
    start: int
    end: int
    quote: str


class Answer(BaseModel):
    question: str
    answer: str
    mode: Mode
    model: str = ""
    notice: str = Field(
        default="", description="what the user should know about how this was produced"
    )
    citations: list[Citation] = []
    read_as: str = Field(default="", description="the question as searched, if a follow-up")
    searched: Filters = Field(
        default_factory=lambda: Filters(),
        description="the filters the search used: the user's, and those the question named",
    )
    nearest: list[Citation] = Field(
        default=[],
        description="with the 'not enough information' answer: the closest passages found, "
        "so the user can judge for themselves; no [n] of the answer points at them",
    )
    hedged: bool = Field(
        default=False,
        description="the answer opens with what no passage found says: its citations are "
        "the nearest passages, which may not answer the question",
    )

    @property
    def sources_heading(self) -> str:
        """What the CLI and the UI head the citations with: below a hedge, not plain sources."""
        return "Sources (the nearest found; they may not answer it)" if self.hedged else "Sources"


class Span(BaseModel):
    start: int
    end: int


class Bullet(BaseModel):
    text: str
    citations: list[Span]


class QA(BaseModel):
    question: str
    answers: list[Bullet]


class Section(BaseModel):
    title: str
    qa: list[QA]


class Summary(BaseModel):
    article_id: str
    title: str
    mode: Mode
    model: str = ""
    prompt_version: str = Field(
        default="",
        description="of kb.prompts for an LLM summary; of the offline summarizer "
        "(kb.summarize.EXTRACTIVE_VERSION) for an extractive one",
    )
    created_at: str = ""
    abstract: str
    sections: list[Section]
    faithfulness: float | None = Field(
        default=None,
        description="LLM summaries: the share of the model's statements (bullets, checked "
        "against the sentences they cite; abstract sentences, against the article) that the "
        "article supports; the others were dropped",
    )

    def provenance(self) -> str:
        """How it was made, as the CLI and the UI state it under the summary."""
        if self.mode != "llm":
            made = "offline extractive (sentences of the article)"
        else:
            made = f"LLM: {self.model}, prompts {self.prompt_version or 'unversioned'}"
            if self.faithfulness is not None:
                made += (
                    f"; {self.faithfulness:.0%} of the model's statements rest on the article"
                    + (" (the others were dropped)" if self.faithfulness < 1 else "")
                )
        return f"Summary: {made}; made {when_made(self.created_at)}"

    def markdown(self, article: Article | None = None, notice: str = "") -> str:
        """The seed "Abstract + Q&A" reading shape, shared by the CLI and the UI; with the
        article (its text), each source quotes what it cites, so the export reads on its own;
        with the `notice` shown beside it (how it was made, when not as asked), under its title."""
        lines = [f"# {one_line(self.title)}", ""]
        lines += [f"*{one_line(notice)}*", ""] if notice else []
        lines += ["## Abstract", "", self.abstract, ""]
        lines += ["## Q&A", ""] if self.sections else []  # a short note: its Abstract is all
        numbers = self._numbers()
        for number, section in enumerate(self.sections, start=1):
            lines += [f"### [{number:02d}] {one_line(section.title)}", ""]
            for q_number, qa in enumerate(section.qa, start=1):
                lines.append(f"{q_number}. {one_line(qa.question)}")
                for bullet in qa.answers:
                    cites = [numbers[(span.start, span.end)] for span in bullet.citations]
                    lines.append(f"    - {with_marks(one_line(bullet.text), cites)}")
            lines.append("")
        if article is None:
            lines += _sources(
                _source_line(n, self.title, self.article_id, start, end)
                for (start, end), n in numbers.items()
            )
        else:
            lines += _sources(_cited_line(citation) for citation in self.citations(article))
        lines += ["---", "", f"*{self.provenance()}*"]
        return "\n".join(lines).rstrip() + "\n"

    def citations(self, article: Article) -> list[Citation]:
        """The spans the bullets cite, numbered as the Markdown numbers them, with the words
        they quote from `article` (with its text) and its source and date."""
        text = article.text or ""
        return [
            Citation(
                n=n,
                article_id=self.article_id,
                title=self.title,
                source=article.source,
                date=article.date,
                start=start,
                end=end,
                quote=text[start:end].strip(),
            )
            for (start, end), n in self._numbers().items()
        ]

    def exported(self, article: Article, notice: str = "") -> dict[str, Any]:
        """The JSON export (CLI and UI): the summary with the citations quoting `article`, and
        the `notice` shown beside it ("" when none)."""
        citations = [citation.model_dump() for citation in self.citations(article)]
        return {**self.model_dump(), "citations": citations, "notice": notice}

    def _numbers(self) -> dict[tuple[int, int], int]:
        """Each cited span once, numbered as first cited."""
        numbers: dict[tuple[int, int], int] = {}
        for section in self.sections:
            for qa in section.qa:
                for bullet in qa.answers:
                    for span in bullet.citations:
                        numbers.setdefault((span.start, span.end), len(numbers) + 1)
        return numbers


class DigestPoint(BaseModel):
    """One statement of a digest and the numbers of the citations it rests on."""

    text: str
    cites: list[int] = Field(description="numbers of the digest's citations")
    source: str = Field(default="", description="whose view, for a difference between sources")
    date: str = Field(
        default="",
        description="YYYY-MM-DD: a timeline event's; for a difference, its article's",
    )
    latest: bool = Field(
        default=False, description="a difference giving the latest of a thing's figures"
    )
    about: str = Field(
        default="", description="for a difference, what its figures count, e.g. 'drivers'"
    )

    def whose(self) -> str:
        """A difference's source and date as a reader sees them: "Circuit Business Daily,
        2026-04-06 (latest)" (the record keeps them apart, for JSON readers)."""
        said = ", ".join(filter(None, [self.source, self.date]))
        return f"{said} (latest)" if self.latest else said

    def counting(self) -> str:
        """What a difference's figures count, shown after whose they are ("(drivers)"): the
        sentences alone left a reader to work out which figure differs."""
        return f"({self.about})" if self.about else ""


class Digest(BaseModel):
    """Several articles on one story or topic, read together; every statement cited."""

    scope: str = Field(description="which articles, in words")
    mode: Mode
    model: str = ""
    prompt_version: str = ""
    created_at: str = ""
    article_ids: list[str] = []
    overview: list[DigestPoint] = []
    agreed: list[DigestPoint] = Field(default=[], description="what several articles all say")
    differences: list[DigestPoint] = Field(
        default=[],
        description="where the sources differ: offline, one thing's figures side by side, each "
        "with its source and date, the latest marked; from an LLM, what one source alone says",
    )
    timeline: list[DigestPoint] = Field(default=[], description="dated events, oldest first")
    citations: list[Citation] = []
    notice: str = ""
    faithfulness: float | None = None

    def markdown(self) -> str:
        """What the CLI prints and the UI exports: statements with [n] marks, then the sources."""

        def line(point: DigestPoint) -> str:
            return with_marks(one_line(point.text), point.cites)

        lines = [f"# Digest: {one_line(self.scope)}", ""]
        if self.notice:
            lines += [f"*{one_line(self.notice)}*", ""]
        if self.overview:
            lines += ["## Overview", "", " ".join(line(p) for p in self.overview), ""]
        if self.agreed:
            lines += ["## What the sources agree on", ""]
            lines += [f"- {line(p)}" for p in self.agreed] + [""]
        if self.differences:
            lines += ["## Where they differ", ""]
            for p in self.differences:
                lead = " ".join(filter(None, [f"**{p.whose()}**", p.counting()]))
                lines.append(f"- {lead}: {line(p)}")
            lines.append("")
        if self.timeline:
            lines += ["## Timeline", ""]
            lines += [f"- **{p.date}**: {line(p)}" for p in self.timeline] + [""]
        lines += _sources(_cited_line(citation) for citation in self.citations)
        lines += ["---", "", f"*{self.provenance()}*"]
        return "\n".join(lines) + "\n"

    def provenance(self) -> str:
        """How it was made, as the CLI and the UI state it under the digest."""
        if self.mode != "llm":
            made = "offline extractive (sentences of the articles)"
        else:
            made = f"LLM: {self.model}, prompts {self.prompt_version}"
            if self.faithfulness is not None:
                made += (
                    f"; {self.faithfulness:.0%} of the model's statements rest on what they cite"
                )
        return f"Digest: {made}; made {when_made(self.created_at)}"


def when_made(created_at: str) -> str:
    """A stored timestamp in this machine's time, to the minute ("2026-11-30 23:55"), as a
    reader wants it under a summary, not "2026-11-30T23:55:59+00:00"."""
    try:
        return datetime.fromisoformat(created_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:  # none, or not a timestamp: as it is
        return created_at or "earlier"


def one_line(text: str) -> str:
    """`text` with its line breaks as spaces: a blank line inside a list item, a heading or an
    emphasised line ("…quarter.\n\nThe company…") ended it, the rest read as text of its own."""
    return " ".join(text.split())


def with_marks(text: str, cites: Iterable[int]) -> str:
    """A statement (of a Markdown export, or shown) and the [n] marks of the sources it rests on."""
    return " ".join(filter(None, [text, "".join(f"[{n}]" for n in cites)]))


def _source_line(n: int, title: str, article_id: str, start: int, end: int) -> str:
    """Where source [n] stands: a reader finds the very characters in `kb show ID`."""
    return f"[{n}] {title} (chars {start}-{end} of {article_id})"


def _cited_line(citation: Citation) -> str:
    """Source [n] with the words it quotes, and whose and when they are: a Markdown export
    read on its own."""
    where = _source_line(
        citation.n, citation.title, citation.article_id, citation.start, citation.end
    )
    said = ", ".join(filter(None, [citation.source, citation.date[:10]]))
    quoted = f"{where}: {in_quotation_marks(citation.quote)}"
    return f"{quoted} — {said}" if said else quoted


def _sources(source_lines: Iterable[str]) -> list[str]:
    """The Sources section of a Markdown export; none when nothing is cited."""
    listed = list(source_lines)
    return ["## Sources", "", *listed, ""] if listed else []


class SummaryResult(BaseModel):
    """One line of a batch summarisation report."""

    article_id: str
    title: str = ""
    status: Literal["summarised", "failed"]
    mode: Mode | None = None
    faithfulness: float | None = None
    reason: str = ""


class SummaryBatch(BaseModel):
    """A batch summarisation as it goes: what a screen polls while the work runs elsewhere."""

    total: int
    results: list[SummaryResult] = []
    finished: bool = False

    @property
    def done(self) -> int:
        return len(self.results)

    def describe(self) -> str:
        failed = sum(result.status == "failed" for result in self.results)
        state = "Summaries done" if self.finished else "Summarising"
        return f"{state}: {self.done}/{self.total}" + (f" ({failed} failed)" if failed else "")


class IngestJob(BaseModel):
    """An upload ingested on a thread of its own, then its new articles summarised: what a
    screen polls while the work runs elsewhere."""

    total: int
    results: list[FileResult] = Field(default=[], description="files done so far, in order done")
    last: BatchProgress | None = None
    report: IngestReport | None = None
    error: str = Field(default="", description="why the whole batch stopped, if it did")
    summaries: SummaryBatch | None = None

    @property
    def ingested(self) -> bool:
        return self.report is not None or bool(self.error)

    @property
    def finished(self) -> bool:
        return self.ingested and (self.summaries is None or self.summaries.finished)

    @property
    def awaiting_summary(self) -> set[str]:
        """The articles this upload has added whose summaries it is still to make: a list of
        articles shown meanwhile says theirs is coming, not that none was made."""
        if self.finished:  # stopped before summarising, or done: no summary is coming
            return set()
        added = {result.article_id for result in self.results if result.status == "ingested"}
        made = {result.article_id for result in self.summaries.results} if self.summaries else set()
        return added - made


def unique_tags(tags: Iterable[str]) -> list[str]:
    """One tag however cased ("Flood", "flood"), spelled as given first, sorted; no empty one."""
    spelled = {tag.strip().casefold(): tag.strip() for tag in reversed(list(tags))}
    return sorted(tag for tag in spelled.values() if tag)


class MetadataEdit(BaseModel):
    """What a user sets at ingest (`--tag`, `--source`...) or later (`kb edit`); None keeps."""

    title: str | None = None
    source: str | None = None
    date: str | None = None
    tags: list[str] | None = None

    def apply(self, article: Article) -> Article:
        """The article with these values, marked as the user's where they change it (a form
        that sends every field back unchanged does not take a field from its file)."""
        changes = {k: v for k, v in self.model_dump().items() if v is not None}
        if "tags" in changes:
            changes["tags"] = unique_tags(changes["tags"])
        changed = {k for k, v in changes.items() if k != "tags" and v != getattr(article, k)}
        return article.model_copy(update=changes | {"edited": sorted({*article.edited, *changed})})


class Filters(BaseModel):
    """Which articles a question is about: set by the user (CLI/UI) or read from the question
    ("what did Regional Wire report in April?"). Empty fields do not filter; dates are ISO
    (YYYY-MM-DD) and inclusive; an article without a date passes no date filter."""

    sources: list[str] = []
    tags: list[str] = []
    article_ids: list[str] = []
    since: str = ""
    until: str = ""

    @field_validator("sources", "tags", "article_ids")
    @classmethod
    def _each_once(cls, names: list[str]) -> list[str]:
        """A name given twice (`--article X --article X`) is still one article, source or tag."""
        return list(dict.fromkeys(names))

    def __bool__(self) -> bool:
        return any(self.model_dump().values())

    def allows(self, article: Article) -> bool:
        if self.sources and article.source.casefold() not in {s.casefold() for s in self.sources}:
            return False
        if self.tags and not {t.casefold() for t in self.tags} & {
            t.casefold() for t in article.tags
        }:
            return False
        if self.article_ids and article.id not in self.article_ids:
            return False
        if (self.since or self.until) and not article.date:
            return False
        day = article.date[:10]
        return not (self.since and day < self.since) and not (self.until and day > self.until)

    def merged(self, other: Filters) -> Filters:
        """Both at once: lists from either, the narrower date range."""
        return Filters(
            sources=self.sources or other.sources,
            tags=self.tags or other.tags,
            article_ids=self.article_ids or other.article_ids,
            since=max(self.since, other.since),
            until=min(filter(None, (self.until, other.until)), default=""),
        )

    def describe(self) -> str:
        parts = []
        if self.sources:
            parts.append("from " + " or ".join(self.sources))
        if self.tags:
            parts.append("tagged " + " or ".join(self.tags))
        if self.article_ids:
            parts.append(f"among {plural(len(self.article_ids), 'chosen article')}")
        if self.since and self.since == self.until:
            parts.append(f"dated {self.since}")
        elif self.since and self.until:
            parts.append(f"dated {self.since} to {self.until}")
        elif self.since or self.until:
            parts.append(
                f"dated {self.since} or later" if self.since else f"dated {self.until} or earlier"
            )
        if self.article_ids and len(parts) == 1:  # "2 chosen articles", not "articles among 2 …"
            return plural(len(self.article_ids), "chosen article")
        return "articles " + ", ".join(parts) if parts else "all articles"


class IndexInfo(BaseModel):
    """What the knowledge base holds and where: the UI's Settings page."""

    articles: int
    chunks: int
    summaries: int
    disk_bytes: int
    home: str
    store: str
    embedder: str


class FileResult(BaseModel):
    """One line of an ingest report; `duplicate` means the same text is already stored from
    another location (recorded on that article as an extra location)."""

    path: str
    status: FileStatus
    article_id: str = ""
    title: str = ""
    chunks: int = 0
    reason: str = ""


class IngestReport(BaseModel):
    results: list[FileResult] = []
    skipped: list[str] = Field(default=[], description="files of folders not read, with why")

    def count(self, status: FileStatus) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def ok(self) -> bool:
        """True when at least one file is now in the knowledge base."""
        return any(result.status != "failed" for result in self.results)


class BatchProgress(BaseModel):
    """Where an ingest batch is, after each file: what the CLI's and the UI's progress bars show."""

    done: int
    total: int
    chunks: int = Field(description="chunks embedded and stored so far in this batch")
    elapsed: float = Field(description="seconds since the batch started")
    result: FileResult
    first_done: int = Field(default=0, description="files done when the first result came")
    first_elapsed: float = Field(default=0.0, description="seconds to the first result")

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Time left at the file rate since the first result (`time_left`)."""
        return time_left(self.done, self.total, self.elapsed, self.first_done, self.first_elapsed)

    def describe(self) -> str:
        eta = self.eta_seconds
        left = f" · about {clock(eta)} left" if eta is not None and self.done < self.total else ""
        # No rate before a chunk is stored: "0 chunks · 0 chunks/s" read as stalled.
        rate = f" · {self.chunks_per_second:.0f} chunks/s" if self.chunks else ""
        return f"{self.done}/{self.total} files · {plural(self.chunks, 'chunk')}{rate}{left}"


def time_left(
    done: int, total: int, elapsed: float, first_done: int, first_elapsed: float
) -> float | None:
    """Seconds left at the rate since the first result (`first_done` items at `first_elapsed`
    seconds); None until there is a rate. From the first result, not the start: loading the
    embedding model is no item's time, and counted in, it told a 150-file upload it had an hour
    left."""
    measured = done - first_done
    if measured <= 0 or elapsed <= first_elapsed:
        return None
    return (total - done) * (elapsed - first_elapsed) / measured


def clock(seconds: float) -> str:
    """Seconds as a progress line reads them: 3:07, or 1:02:09 past an hour."""
    minutes, secs = divmod(round(seconds), 60)
    return (
        f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
        if minutes >= 60
        else f"{minutes}:{secs:02d}"
    )


Progress = Callable[[BatchProgress], None]
