"""KnowledgeBase: the one entry point the CLI and the UI share. Thin wiring of the stages."""

from __future__ import annotations

import fcntl
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from ingest.chunk import chunk_id
from ingest.fetch import is_url
from ingest.pipeline import ingest_files, save_uploads
from kb.answer import (
    abstain,
    extractive_answer,
    giving_reasons,
    is_about,
    left_to_quote,
    llm_answer,
    names_all,
    naming_a_speaker,
    nearest_sentences,
    overview_answer,
    sentence_saying,
    stream_llm_answer,
    unsupported,
    what_followed_answer,
)
from kb.catalog import Sort, select
from kb.constraints import (
    asks_for_an_overview,
    dates_no_article_has,
    event_day,
    label_words,
    name_spellings,
    only_capitalised,
    parse_constraints,
    respelled,
    source_named_by,
    unknown_names,
    what_followed,
    with_capitals,
    with_parts_joined,
    without_source_names,
    written_words,
)
from kb.conversation import (
    QUOTATION_MARKS,
    SESSION_NAME,
    Conversation,
    Quoted,
    Rewrite,
    Turn,
    load,
    save,
)
from kb.decompose import StepFailed, search_in_steps, search_parts
from kb.digest import empty_digest, extractive_digest, llm_digest
from kb.embed import Embedder, make_embedder
from kb.lexical import LexicalIndex
from kb.links import Links
from kb.llm import ChatModel, LLMError, UntilItFails, UnusableReply, check_endpoint, make_llm
from kb.models import (
    Answer,
    Article,
    ArticleNotFound,
    BatchProgress,
    Digest,
    FileResult,
    Filters,
    Hit,
    IndexInfo,
    IngestJob,
    IngestReport,
    MetadataEdit,
    Progress,
    Summary,
    SummaryBatch,
    SummaryResult,
    unique_tags,
)
from kb.retrieve import Retriever, fuse
from kb.settings import SavedLLM, Settings, apply_offline_env
from kb.store import Store, open_store
from kb.summarize import EXTRACTIVE_VERSION, extractive_summary, llm_summary
from kb.text import fold, sentence_spans

log = logging.getLogger(__name__)


class SummaryOutcome(NamedTuple):
    """A summary and what the user should know about how it was made (the CLI prints `notice`,
    the UI can show it). `unavailable`: the LLM did not answer, so nothing new was stored: the
    stored summary is kept, or, with none, an offline one is shown but not stored, so that the
    next request (or `kb summarize`) asks the LLM again."""

    summary: Summary
    notice: str = ""
    unavailable: bool = False


def normalized_question(question: str) -> str:
    """Fullwidth and other compatibility forms ("Ｗｈｙ", "ﬁ") as the plain characters that the
    index and the question parsers know."""
    return unicodedata.normalize("NFKC", question)


def _folder_bytes(folder: Path) -> int:
    """Bytes of the files under `folder`; files removed while it counts are skipped."""
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            continue
    return total


class KnowledgeBase:
    """Articles, their summaries, and questions across them, stored under one home folder."""

    def __init__(self, home: str | Path | None = None, settings: Settings | None = None) -> None:
        apply_offline_env()
        settings = settings or Settings()
        if home is not None:
            settings = settings.model_copy(update={"home": Path(home)})
        self.settings = settings.with_saved_llm()
        self.store: Store = open_store(settings)
        self.llm: ChatModel | None = make_llm(self.settings.llm)
        self._writing = threading.Lock()

    @cached_property
    def embedder(self) -> Embedder:
        """Loaded on first use, so listing and reading never wait for the model."""
        return make_embedder(self.settings)

    @cached_property
    def lexical(self) -> LexicalIndex:
        return LexicalIndex(self.store)

    @cached_property
    def links(self) -> Links:
        return Links(self.store)

    @property
    def mode(self) -> str:
        """What produces answers and summaries: "llm" with an endpoint configured, else extractive."""
        return "llm" if self.llm else "extractive"

    @property
    def mode_label(self) -> str:
        if self.llm:
            return f"LLM: {self.llm.name} at {self.settings.llm.base_url or 'OpenAI'}"
        return "Offline extractive (no LLM configured)"

    def use_llm(self, choice: SavedLLM, save: bool = True) -> None:
        """Answer and summarise through this endpoint from now on (none: extractive), in every
        session of this process; saved, it is used at the next start too (unless the
        environment names another)."""
        settings = self.settings.model_copy(update={"llm": choice.applied_to(self.settings.llm)})
        llm = make_llm(settings.llm)
        self.settings, self.llm = settings, llm  # built first: readers never see half a switch
        if save:
            self.settings.save_llm(choice)

    def check_llm(self, choice: SavedLLM) -> str:
        """The reply of `choice`'s endpoint to a tiny request; LLMError says why there is none."""
        settings = choice.applied_to(self.settings.llm)
        if not settings.configured:
            raise LLMError("no endpoint and no API key: answers and summaries are extractive")
        return check_endpoint(settings)

    @property
    def llm_from_environment(self) -> bool:
        """Whether KB_LLM_* variables or KB_CONFIG name an endpoint: they win at every start."""
        return Settings().llm.configured

    def index_info(self) -> IndexInfo:
        articles = self.articles()
        return IndexInfo(
            articles=len(articles),
            chunks=sum(article.chunks for article in articles),
            summaries=sum(article.summary == "ready" for article in articles),
            disk_bytes=_folder_bytes(self.settings.home),
            home=str(self.settings.home.resolve()),
            store=(
                f"Chroma server at {self.settings.store.host}:{self.settings.store.port}"
                if self.settings.store.host
                else "embedded Chroma in the home folder"
            ),
            embedder=self.settings.embed.backend,
        )

    # --- articles -----------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: Progress | None = None,
        edit: MetadataEdit | None = None,
    ) -> IngestReport:
        """Files, folders and URLs; `edit` sets title/source/date/tags on what they become.
        One batch at a time per home (see _writer)."""
        with self._writer():
            return ingest_files(
                paths, self.store, lambda: self.embedder, self.settings, progress, edit
            )

    @contextmanager
    def _writer(self) -> Iterator[None]:
        """One writer per home at a time: threads of this process (UI sessions) and other
        processes (a `kb ingest` beside the UI) queue here, so a batch's sweep of unfinished
        writes never deletes another batch's write in progress."""
        self.settings.home.mkdir(parents=True, exist_ok=True)
        with self._writing, open(self.settings.home / ".writer.lock", "a") as lock:
            try:  # released when the file closes, or the process dies
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # a `kb ingest` of 200 files can take minutes: say so
                log.warning(
                    "another kb process is writing to %s; waiting for it", self.settings.home
                )
                fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def edit(self, article_id: str, edit: MetadataEdit) -> Article:
        with self._writer():
            article = edit.apply(self.article(article_id))
            self.store.update_article(article)
        return article.model_copy(update={"text": None})

    def ingest_uploads(
        self,
        uploads: Sequence[tuple[str, bytes]],
        progress: Progress | None = None,
        urls: Sequence[str] = (),
        edit: MetadataEdit | None = None,
    ) -> IngestReport:
        """Files given as (name, content), e.g. from the UI, kept in KB_HOME/uploads, and URLs.
        Only http(s) addresses are taken as URLs: a local path typed there is refused, so that a
        UI user can never make the server read its own files."""
        paths = save_uploads(self.settings.home / "uploads", uploads)
        try:
            report = self.ingest([*paths, *(u for u in urls if is_url(u))], progress, edit)
        finally:  # a batch stopped whole leaves no article of its files either
            self._remove_unused(paths)
        report.results[:0] = _refused(urls)  # done first: nothing was tried
        return report

    def _remove_unused(self, uploads: Iterable[Path]) -> None:
        """The uploaded files no article came from (refused, broken, too large, or the batch
        stopped): kept in KB_HOME/uploads, each stayed on disk for good. An article's file stays,
        for its original and for telling a new upload of it unchanged."""
        used = {place for a in self.articles() for place in [a.location, *a.also_at]}
        for path in uploads:
            if str(path.resolve()) not in used:
                path.unlink(missing_ok=True)

    def ingest_in_background(
        self,
        uploads: Sequence[tuple[str, bytes]],
        urls: Sequence[str] = (),
        edit: MetadataEdit | None = None,
    ) -> IngestJob:
        """`ingest_uploads`, then `summarize` of the new articles, on a thread of its own: the
        UI stays responsive and polls the job."""
        refused = _refused(urls)
        # The addresses refused are done at once, and counted with the rest: the line saying
        # "Ingesting 8 items…" had a bar under it saying "4/7 files".
        job = IngestJob(total=len(uploads) + len(urls), results=refused)

        def progress(state: BatchProgress) -> None:
            job.results.append(state.result)
            job.last = state.model_copy(
                update={
                    "done": len(job.results),
                    "total": job.total,
                    "first_done": state.first_done + len(refused),
                }
            )

        def work() -> None:
            try:
                report = self.ingest_uploads(uploads, progress, urls, edit)
            except Exception as error:  # per-file failures are in the report; this is the rest
                job.error = str(error) or type(error).__name__
                return
            new = [result.article_id for result in report.results if result.status == "ingested"]
            if new:
                job.summaries = SummaryBatch(total=len(new))
            job.report = report
            if job.summaries is not None:
                self.summarize(new, batch=job.summaries)

        threading.Thread(target=work, daemon=True).start()
        return job

    def articles(self) -> list[Article]:
        return self.store.articles()

    def find(
        self,
        filters: Filters | None = None,
        formats: Sequence[str] = (),
        matching: str = "",
        sort: Sort = "added",
    ) -> list[Article]:
        """The library as a user narrows it down (kb.catalog.select)."""
        return select(self.articles(), self._as_named(filters), formats, matching, sort)

    def abstract_line(self, article_id: str) -> str:
        """The first sentence of the stored summary's Abstract; "" before one is made."""
        summary = self.store.summary(article_id)
        if summary is None:
            return ""
        spans = sentence_spans(summary.abstract)
        return summary.abstract[spans[0][0] : spans[0][1]] if spans else summary.abstract

    def article(self, article_id: str) -> Article:
        """The article with its clean `text`, the text every citation offset points into."""
        article = self.store.article(article_id, with_text=True)
        if article is None:
            raise ArticleNotFound(article_id)
        return article

    def delete(self, article_id: str) -> None:
        with self._writer():
            if not self.store.delete_article(article_id):
                raise ArticleNotFound(article_id)

    # --- summaries ----------------------------------------------------------------------------
    def summary(self, article_id: str, regenerate: bool = False) -> Summary:
        """The stored summary, generated (and stored) first if missing or asked to regenerate;
        `summary_outcome` also says when the LLM could not make it."""
        return self.summary_outcome(article_id, regenerate).summary

    def summary_outcome(
        self,
        article_id: str,
        regenerate: bool = False,
        on_step: Callable[[str], None] | None = None,
    ) -> SummaryOutcome:
        """The summary (see `summary`) with a notice when it is not what was asked for. An LLM
        that does not answer never has its stored summary replaced by an offline fallback.
        `on_step`: the steps of a long article's LLM summary (kb.summarize.llm_summary)."""
        stored = self.store.summary(article_id)
        # An offline summary made by an earlier version of the summarizer is made again, offline:
        # not through an LLM configured since, which the user did not ask for here.
        outdated = (
            stored is not None
            and stored.mode == "extractive"
            and stored.prompt_version != EXTRACTIVE_VERSION
        )
        if stored is not None and not regenerate and not outdated:
            title = self.store.article(article_id)
            return SummaryOutcome(
                stored.model_copy(update={"title": title.title}) if title else stored
            )
        article = self.article(article_id)
        text = article.text or ""
        notice = ""
        summary = None
        if self.llm and (regenerate or not outdated):
            try:
                summary = llm_summary(
                    article, text, self.llm, self.embedder, self.settings.llm.part_chars, on_step
                )
            except UnusableReply as error:  # the model answered, unusably: asking again won't help
                notice = f"The LLM gave no usable summary ({error}); an offline extractive one."
            except LLMError as error:
                return self._summary_without_llm(article, error, stored)
        if summary is None:
            summary = extractive_summary(article, text, self.embedder)
        self.store.put_summary(summary, self.embedder.embed([summary.abstract])[0])
        return SummaryOutcome(summary, notice)

    def _summary_without_llm(
        self, article: Article, error: LLMError, stored: Summary | None
    ) -> SummaryOutcome:
        unavailable = f"LLM unavailable ({error})"
        if stored is not None:
            notice = (
                f"{unavailable}; the stored summary ({stored.mode}) is kept: regenerate it once "
                "the LLM answers."
            )
            return SummaryOutcome(stored.model_copy(update={"title": article.title}), notice, True)
        summary = extractive_summary(article, article.text or "", self.embedder)
        notice = (
            f"{unavailable}; an offline extractive summary, not stored: regenerating it (or "
            "`kb summary`, `kb summarize`) asks the LLM again."
        )
        return SummaryOutcome(summary, notice, True)

    def summarize(
        self,
        article_ids: Sequence[str] | None = None,
        regenerate: bool = False,
        batch: SummaryBatch | None = None,
        progress: Callable[[SummaryBatch], None] | None = None,
    ) -> SummaryBatch:
        """Summaries for many articles (by default every article that has none), recorded in
        `batch` one by one so a screen can poll it (or told to `progress` after each); one
        article failing never stops the rest."""
        if article_ids is None:
            article_ids = [a.id for a in self.articles() if regenerate or a.summary == "missing"]
        batch = batch or SummaryBatch(total=len(article_ids))
        try:
            for article_id in article_ids:
                try:
                    outcome = self.summary_outcome(article_id, regenerate=regenerate)
                except Exception as error:  # reported per article, like a broken file in an ingest
                    result = SummaryResult(
                        article_id=article_id, status="failed", reason=str(error)
                    )
                else:
                    result = SummaryResult(
                        article_id=article_id,
                        title=outcome.summary.title,
                        status="failed" if outcome.unavailable else "summarised",
                        mode=outcome.summary.mode,
                        faithfulness=outcome.summary.faithfulness,
                        reason=outcome.notice,
                    )
                batch.results.append(result)
                if progress:
                    progress(batch)
        finally:
            batch.finished = True  # even on an error no article explains: a screen stops polling
        return batch

    # --- questions ----------------------------------------------------------------------------
    # --- digests ------------------------------------------------------------------------------
    def digest(
        self, filters: Filters | None = None, query: str = "", max_articles: int = 12
    ) -> Digest:
        """Several articles read together: those `filters` allow, or with a `query` the ones
        search finds for it (best first), at most `max_articles` (the latest, without a query).
        Its notice says how many undated articles a date filter left out, since a reader who
        sees "Only one article is in scope" would otherwise not know why the others are not."""
        filters = self._as_named(filters)
        listed = self.articles()
        digest = self._digest(listed, filters, query, max_articles)
        if filters.since or filters.until:
            undated = filters.model_copy(update={"since": "", "until": ""})
            left_out = sum(1 for a in listed if not a.date and undated.allows(a))
            if left_out:
                note = f"{left_out} undated article{'s' * (left_out > 1)} left out by the dates."
                digest.notice = " ".join(filter(None, [digest.notice, note]))
        return digest

    def _digest(
        self, listed: list[Article], filters: Filters, query: str, max_articles: int
    ) -> Digest:
        if query:
            hits = self._search(query, 4 * max_articles, filters)
            ids = list(dict.fromkeys(hit.article_id for hit in hits))[: 2 * max_articles]
        else:
            allowed = sorted((a for a in listed if filters.allows(a)), key=lambda a: a.date)
            ids = [a.id for a in allowed[-max_articles:]]
        scope = filters.describe() + (f", about “{query}”" if query else "")
        if not ids:
            return empty_digest(scope, "No article is in scope.")
        articles = sorted((self.article(i) for i in ids), key=lambda a: (a.date, a.title))
        if self.llm:
            try:
                return llm_digest(
                    articles, self._abstract_for_digest, self.embedder, self.llm, scope, query, max_articles,
                    self.settings.llm.part_chars,
                )  # fmt: skip
            except LLMError as error:
                digest = extractive_digest(articles, self.embedder, scope, query, max_articles)
                digest.notice = " ".join(
                    filter(None, [f"The LLM failed ({error}); an offline digest.", digest.notice])
                )
                return digest
        return extractive_digest(articles, self.embedder, scope, query, max_articles)

    def _abstract_for_digest(self, article: Article) -> str:
        """The stored summary's abstract, or an offline one made now (not stored): a digest
        must not wait for a slow model to summarise every article first."""
        stored = self.store.summary(article.id)
        if stored is not None:
            return stored.abstract
        return extractive_summary(article, article.text or "", self.embedder).abstract

    def session(self, name: str) -> Conversation:
        """The conversation saved under `name` (`kb ask --session NAME`), or a new one."""
        return load(self._session_path(name))

    def save_session(self, name: str, conversation: Conversation) -> None:
        save(conversation, self._session_path(name))

    def _session_path(self, name: str) -> Path:
        if not SESSION_NAME.fullmatch(name):
            raise ValueError(f"a session name is letters, digits, '.', '_' or '-': {name!r}")
        return self.settings.home / "sessions" / f"{name}.json"

    def filter_problems(self, filters: Filters) -> list[str]:
        """What `filters` name that no article has (an id, a source, a tag): a search narrowed
        by it finds nothing, and the user should hear why rather than "no passages found"."""
        filters = self._as_named(filters)
        articles = self.store.committed()
        ids = {article.id for article in articles}
        problems = [
            f"unknown article id {i} (see `kb list`)" for i in filters.article_ids if i not in ids
        ]
        for kind, plural, wanted, known in (
            ("from source", "sources", filters.sources, self.store.sources()),
            ("tagged", "tags", filters.tags, {tag for article in articles for tag in article.tags}),
        ):
            folded = {name.casefold() for name in known}
            listed = ", ".join(unique_tags(sorted(known))) or "none"
            problems += [
                f"no article {kind} {name!r} ({plural}: {listed})"
                for name in wanted
                if name.casefold() not in folded
            ]
        return problems

    def _as_named(self, filters: Filters | None) -> Filters:
        """`filters` with each source the user gave as the articles write it: "Millbrook
        Ledger" and "the ledger" are The Millbrook Ledger, as in a question."""
        filters = filters or Filters()
        sources = self.store.sources()
        named = [source_named_by(name, sources) for name in filters.sources]
        return filters.model_copy(update={"sources": named}) if filters.sources else filters

    def constraints(self, question: str, filters: Filters | None = None) -> Filters:
        """`filters` and what the question itself says of sources and dates (kb.constraints)."""
        stated = self._as_named(filters)
        return stated.merged(self._said_in(question, stated))

    def _said_in(self, question: str, stated: Filters) -> Filters:
        return parse_constraints(
            question,
            self.store.committed(),
            self.store.sources(),
            date.today(),
            stated,
            self._only_capitalised,
        )

    def _with_capitals(self, question: str) -> str:
        """kb.constraints.with_capitals; the articles' words are read only for a question in
        lower case."""
        return with_capitals(question, self._written_words()) if question.islower() else question

    def _only_capitalised(self, word: str) -> bool:
        """Whether the articles write `word` only with its capital: "the ledger" names The
        Millbrook Ledger then. Their words are read once per state of the store, when asked."""
        return only_capitalised(word, self._written_words())

    def _folded_words(self, articles: Sequence[Article]) -> frozenset[str]:
        return self.store.cached(
            "folded-words",
            lambda: frozenset(
                map(fold, with_parts_joined(self._written_words() | label_words(articles)))
            ),
        )

    def _name_spellings(self) -> dict[str, str]:
        return self.store.cached("name-spellings", lambda: name_spellings(self._written_words()))

    def _written_words(self) -> frozenset[str]:
        return self.store.cached("written-words", lambda: written_words(self.store.committed()))

    def search(
        self, question: str, k: int | None = None, filters: Filters | None = None
    ) -> list[Hit]:
        asked = normalized_question(question)
        question = self._with_capitals(asked)
        found = self.constraints(asked, filters)  # sources named in lower case are read so
        return self._search_parts(_searched(question, found), k, found)

    def _search_parts(self, question: str, k: int | None, found: Filters) -> list[Hit]:
        """Each part of a compound question searched too (kb.decompose.search_parts)."""
        k = k or self.settings.answer.k
        return search_parts(question, k, found, self._search, self.settings.retrieve)

    def _search(self, question: str, k: int | None, found: Filters) -> list[Hit]:
        retriever = Retriever(
            self.store, self.embedder, self.lexical, self.links, self.settings.retrieve
        )
        return retriever.search(question, k or self.settings.answer.k, found)

    def ask(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        conversation: Conversation | None = None,
    ) -> Answer:
        answer = None
        for event in self.ask_stream(question, k, filters, conversation):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def ask_stream(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        conversation: Conversation | None = None,
    ) -> Iterator[str | Answer]:
        """Text deltas while an LLM writes, then the final Answer (the only event offline).

        If the LLM endpoint fails, the answer falls back to extractive and says why in `notice`,
        which also names the filters the search used. In a `conversation`, a follow-up is
        searched as a standalone question (kb.conversation), with the sources and dates earlier
        questions named (not the `filters` given with them: those are each turn's own), and the
        turn is added to it.
        """
        asked = normalized_question(question)
        question = self._with_capitals(asked)
        # "Voltiac" is searched as the articles' "Voltaic"
        articles = self.store.committed()
        spelled, typos = respelled(question, self._folded_words(articles), self._name_spellings())
        llm = UntilItFails(self.llm) if self.llm else None
        stated = self._as_named(filters)
        said = self._said_in(asked, stated)  # sources named in lower case are read so
        rewrite = Rewrite(spelled)
        if conversation is not None:
            own = said
            said = conversation.filters(spelled, said, stated, naming=self._sources_naming)
            rewrite = conversation.rewrite(spelled, llm, own.sources)
        standalone = rewrite.question
        respelling = ", ".join(f"{theirs} (you wrote {written})" for written, theirs in typos)
        found = stated.merged(said)
        rewrite = self._with_quote_in_scope(rewrite, found.article_ids)
        if rewrite.around:  # "who said that?": in the article quoted
            found = found.model_copy(update={"article_ids": [rewrite.around.article_id]})
        unanswerable = self._why_none_can_answer(standalone, said, stated)
        answers = (
            iter([self._abstention(standalone, unanswerable, found)])
            if unanswerable
            else self._answer(standalone, k, found, llm, rewrite)
        )
        for event in answers:
            if isinstance(event, Answer):
                event = event.model_copy(update={"question": question, "searched": found})
                searched_for = f"Searched for {respelling}." if respelling else ""
                read_as = ""
                if standalone != spelled:
                    event.read_as = standalone
                    read_as = f'Read as: "{standalone}".'
                notices = [searched_for, read_as, rewrite.notice, event.notice]
                event.notice = " ".join(filter(None, notices))
                if conversation is not None:
                    conversation.add(
                        Turn(
                            question=question,
                            standalone=standalone,
                            filters=said,
                            answer=event.answer,
                            cited=[c.source for c in event.citations[:1] if c.source],
                            quoted=[
                                Quoted(
                                    article_id=c.article_id, start=c.start, end=c.end, quote=c.quote
                                )
                                for c in event.citations
                            ],
                        )
                    )
            yield event

    def _with_quote_in_scope(self, rewrite: Rewrite, article_ids: list[str]) -> Rewrite:
        """`rewrite` asked as any question, not beside the quote it asks of, when the quote's
        article was deleted since (a saved session) or is not one of the `article_ids` the user
        chose: their filter stands."""
        around = rewrite.around
        if around and (
            (article_ids and around.article_id not in article_ids)
            or self.store.article(around.article_id) is None
        ):
            return rewrite._replace(around=None)
        return rewrite

    def _sources_naming(self, names: list[str], sources: list[str]) -> set[str]:
        """Of `sources`, those with a passage found for `names` that names every one of them."""
        hits = self._search(" ".join(names), None, Filters(sources=sources))
        return {hit.source for hit in hits if names_all(hit.text, names)}

    def _around(self, quoted: Quoted) -> list[Hit]:
        """The paragraph holding `quoted`, where a speaker is named; with the paragraph before
        when nothing comes before the quote in its own (a quote standing as a paragraph)."""
        article = self.article(quoted.article_id)
        text = article.text or ""
        start = text.rfind("\n", 0, quoted.start) + 1
        if not text[start : quoted.start].strip(QUOTATION_MARKS):
            start = text.rfind("\n", 0, len(text[:start].rstrip())) + 1
        end = text.find("\n", quoted.end)
        return self._passage(article, start, len(text) if end < 0 else end)

    def _passage(self, article: Article, start: int, end: int) -> list[Hit]:
        """`article`'s text from `start` to `end` as a passage of the chunk it starts in."""
        text = article.text or ""
        chunks = self.store.hits([chunk_id(article.id, n) for n in range(article.chunks)])
        return [
            chunk.model_copy(update={"start": start, "end": end, "text": text[start:end]})
            for chunk in chunks
            if chunk.start <= start < chunk.end
        ][:1]

    def _why_none_can_answer(self, question: str, said: Filters, stated: Filters) -> str:
        """Why no article can answer, if none can, rather than answer from other articles (or
        search none): "What was published last week?" with none that week; "in April", or "what
        did Circuit Business Daily report?", with filters that rule it out; filters no article
        passes; a question whose names no article mentions ("What is the population of
        Tokyo?" quoted sentences about another city)."""
        articles = self.store.committed()
        missing = dates_no_article_has(question, said, articles, date.today())
        if missing:
            return f"The knowledge base has no {missing.describe()}."
        found = stated.merged(said)
        if found.since and found.until and found.since > found.until:
            spoken = Filters(since=said.since, until=said.until).describe()
            allowed = Filters(since=stated.since, until=stated.until).describe()
            return f"The question asks for {spoken}, the filters for {allowed}: no day is both."
        if (
            said.sources
            and stated.sources
            and not _casefolded(said.sources) & _casefolded(stated.sources)
        ):
            return (
                f"The question asks for {Filters(sources=said.sources).describe()}, the filters "
                f"for {Filters(sources=stated.sources).describe()}: no article is both."
            )
        if articles and not any(found.allows(article) for article in articles):
            return f"No article matches the filters ({found.describe()})."
        unknown = unknown_names(question, self._folded_words(articles))
        return f"No article mentions {' or '.join(unknown)}." if unknown else ""

    def _abstention(self, question: str, why: str, found: Filters) -> Answer:
        """The answer when no article can answer, with the passages nearest the question."""
        hits = self._search(_searched(question, found), None, found)
        return abstain(
            question, notice=why, nearest=nearest_sentences(question, hits, self.embedder)
        )

    def _answer(
        self,
        question: str,
        k: int | None,
        found: Filters,
        llm: ChatModel | None,
        rewrite: Rewrite | None = None,
    ) -> Iterator[str | Answer]:
        scope = f"Searched {found.describe()}." if found else ""
        searched = _searched(question, found)
        # Offline, an overview or what followed an event need no search for the question itself.
        if not llm and asks_for_an_overview(question, found):
            yield _noted(self._overview(question, k, found), scope)
            return
        speaker = (
            naming_a_speaker(self._around(rewrite.around), rewrite.around)
            if (rewrite and rewrite.around and not llm)
            else []
        )
        if speaker:  # "who said that?": the sentence beside the quote that names who
            notice = "Who said the quote the answer before opened with: the sentence naming them."
            yield _noted(overview_answer(question, speaker, notice), scope)
            return
        after = what_followed(searched) if not llm else ""
        followed = self._what_followed(question, after, k, found) if after else None
        if followed:
            yield _noted(followed, scope)
            return
        rejected: list[str] = []
        try:
            hits, queries = self._gather(searched, k, found, llm, rejected)
        except StepFailed as error:  # the endpoint is down: do not wait on it twice
            yield _noted(self._extractive_after(error, searched, error.hits), scope)
            return
        day = event_day(searched, date.today()) if not (found.since or found.until) else ""
        that_day = found.model_copy(update={"since": day, "until": day})
        first = self._search(searched, k, that_day) if day else []
        if first:  # "What happened on March 14?": that day's reports first
            hits = fuse([first, hits], k or self.settings.answer.k, self.settings.retrieve)
            scope = f"{scope} Also searched the articles dated {day}.".strip()
        if queries:
            asked = "; ".join(f'"{query}"' for query in queries)
            scope = f"{scope} Also searched, as the LLM asked: {asked}.".strip()
        if rejected:
            steps = "; ".join(f'"{step}"' for step in rejected)
            scope = f"{scope} Not searched (a statement, not search words): the LLM's step {steps}."
            scope = scope.strip()
        if llm and hits:
            try:
                for event in (
                    stream_llm_answer(question, hits, llm, self.embedder)
                    if self.settings.llm.stream
                    else [llm_answer(question, hits, llm, self.embedder)]
                ):
                    if isinstance(event, Answer) and unsupported(event, hits, self.embedder):
                        event = extractive_answer(
                            searched, hits, self.embedder, self.settings.answer, UNSUPPORTED
                        )
                    yield _noted(event, scope)
                return
            except LLMError as error:
                yield _noted(self._extractive_after(error, searched, hits), scope)
                return
        left = left_to_quote(hits, rewrite.unquoted) if rewrite else hits
        reasons = giving_reasons(left, searched) if rewrite and rewrite.reasons else []
        if reasons:  # "why?": no sentence is much like the question; these say why
            notice = "Why: the sentences about it that give a reason (because, after a…)."
            yield _noted(overview_answer(question, reasons, notice), scope)
            return
        # What the answers before did not quote, else any passage: the same ones are not
        # answered from twice (each try embeds them) when the answers quoted none of them.
        for passages in [left, hits] if left and left != hits else [hits]:
            answer = extractive_answer(
                searched, passages, self.embedder, self.settings.answer, compared=found.sources
            )
            if answer.citations:
                break
        yield _noted(answer, scope)

    def _gather(
        self,
        question: str,
        k: int | None,
        found: Filters,
        llm: ChatModel | None,
        rejected: list[str],
    ) -> tuple[list[Hit], list[str]]:
        """The passages, and the further searches an LLM asked for (kb.decompose); the steps
        it named that were no search words are added to `rejected`."""
        if llm and self.settings.retrieve.llm_steps:
            return search_in_steps(
                question, k or self.settings.answer.k, found, self._search, llm,
                self.settings.retrieve, rejected,
            )  # fmt: skip
        return self._search_parts(question, k, found), []

    def _extractive_after(self, error: LLMError, question: str, hits: list[Hit]) -> Answer:
        notice = (
            f"LLM unavailable ({error}); not asked again for this question: this answer is "
            "extractive."
        )
        return extractive_answer(question, hits, self.embedder, self.settings.answer, notice)

    def _what_followed(
        self, question: str, event: str, k: int | None, found: Filters
    ) -> Answer | None:
        """What the articles on `event` dated after the event's own article say, oldest first;
        with none, what that article goes on to say after it. None when fewer than two articles
        are on it (the question is answered as any other). The event's article is the earliest
        of those as close to it in meaning (their mean vectors) as the closest that says it in
        one sentence holding all its words, or of those saying it so: "Carl Brenner resigned" is
        the resignation's article, not the earlier recall's that only names him; the Ledger's
        first report is the Millbrook flood's, though it never writes "flood"; the Veltra fire's
        is the first report of it, not the company's later press release that is closer in
        meaning (its name in every line) and says it too."""
        hits = self._search(event, k, found)
        on_it = [
            article
            for article in map(self.article, dict.fromkeys(hit.article_id for hit in hits))
            if article.date and is_about(article.text or "", event)
        ]
        if len(on_it) < 2:
            return None
        by_id = {article.id: article for article in on_it}
        closest = self.store.closest_articles(self.embedder.embed([event])[0], set(by_id))
        saying_it = [
            n for n, a in enumerate(closest) if sentence_saying(by_id[a].text or "", event)
        ]
        candidates = (
            [by_id[a] for n, a in enumerate(closest) if n <= min(saying_it) or n in saying_it]
            if saying_it
            else on_it
        )
        first = min(candidates, key=lambda article: article.date[:10])
        later = sorted(
            (article for article in on_it if article.date[:10] > first.date[:10]),
            key=lambda article: (article.date, article.title),
        )
        if not later:
            return self._what_followed_in(question, event, first)
        notice = f"What followed “{event}”: the later articles on it, after {first.title} ({first.date[:10]})."
        openings = self.store.hits([chunk_id(article.id, 0) for article in later])
        passages = [
            [hit for hit in [*openings, *hits] if hit.article_id == article.id] for article in later
        ]
        return what_followed_answer(question, event, passages, self.embedder, notice)

    def _what_followed_in(self, question: str, event: str, article: Article) -> Answer:
        """What `article` says after its sentence saying `event`: its sentence closest to the
        event after that one, and the sentences after it ("Brenner, 57, … said in a letter to
        staff …", "The board said he will receive no severance.", "Chief financial officer
        Aisha Rahman was named interim CEO …"), each a passage of its own to quote."""
        text = article.text or ""
        said = sentence_saying(text, event)
        spans = [
            (start, end)
            for start, end in sentence_spans(text)
            if said and start >= said[1] and not sentence_saying(text[start:end], event)
        ]  # not the headline's and the lead's retelling it
        if not spans:
            return abstain(
                question, notice=f"No article on “{event}” is dated after {article.date[:10]}."
            )
        vectors = self.embedder.embed([text[start:end] for start, end in spans])
        closest = int((vectors @ self.embedder.embed([event])[0]).argmax())
        passages = [
            self._passage(article, start, end)
            for start, end in spans[closest : closest + _CONTINUING_SENTENCES]
        ]
        notice = (
            f"What followed “{event}”: no later article is on it; what {article.title} "
            f"({article.date[:10]}) says after it."
        )
        return what_followed_answer(question, event, passages, self.embedder, notice)

    def _overview(self, question: str, k: int | None, found: Filters) -> Answer:
        """How the articles in scope open, oldest first (the latest `k` when there are more)."""
        articles = sorted(
            (a for a in self.store.committed() if found.allows(a)), key=lambda a: (a.date, a.title)
        )
        shown = articles[-(k or self.settings.answer.k) :]
        openings = self.store.hits([chunk_id(article.id, 0) for article in shown])
        notice = (
            "An overview: how each article in scope opens."
            if len(shown) == len(articles)
            else f"An overview: how the latest {len(shown)} of the {len(articles)} articles in "
            "scope open."
        )
        return overview_answer(question, openings, notice)


_CONTINUING_SENTENCES = 3  # of what an event's own article says after it


def _refused(urls: Iterable[str]) -> list[FileResult]:
    """Of the addresses given, those that are no http(s) address: never read, not even as a
    path on this machine."""
    return [
        FileResult(path=url, status="failed", reason="not an http(s) address")
        for url in urls
        if not is_url(url)
    ]


def _casefolded(names: Iterable[str]) -> set[str]:
    return {name.casefold() for name in names}


def _searched(question: str, found: Filters) -> str:
    """What to look for: the question without the sources it names once they are a filter
    ("What did Regional Wire say about the levee?"): every passage searched is theirs, and the
    name would only find the datelines and bylines that carry it."""
    return without_source_names(question, set(found.sources)) if found.sources else question


UNSUPPORTED = (
    "The LLM's answer cited no passage, and none of the passages supports it (an article's text "
    "may have tried to instruct it): this answer is extractive, from the same passages."
)


def _noted(event: str | Answer, scope: str) -> str | Answer:
    if isinstance(event, str) or not scope:
        return event
    return event.model_copy(update={"notice": " ".join(filter(None, (scope, event.notice)))})
