"""The ingestion batch: load -> clean -> chunk -> embed -> store, never stopping at a bad file.

Worker processes read, clean and chunk files ahead (`prepare`) while the main process embeds the
chunks of several articles in one go and stores them: the model is the bottleneck, so it should
never wait for a parser. Each file or URL ends as one result line (ingested / unchanged /
duplicate / failed: reason), see kb.models.FileResult. An article becomes visible only once all
its chunks are stored (see kb.store), and a changed file at the same path replaces the old
version: the new one is committed first, then the old one removed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from ingest.chunk import chunk_text
from ingest.dedup import NearDuplicates, signature
from ingest.fetch import fetch, is_url
from ingest.loaders import (
    FORMATS,
    LoadedDocument,
    LoadError,
    bytes_hash,
    check_size,
    load,
    parse,
)
from ingest.metadata import Metadata
from kb.embed import Embedder
from kb.models import (
    Article,
    BatchProgress,
    Chunk,
    FileResult,
    FileStatus,
    IngestReport,
    MetadataEdit,
    Progress,
    unique_tags,
)
from kb.settings import Settings, apply_offline_env
from kb.store import NewArticle, Store

_MIN_FILES_FOR_WORKERS = 8  # below this, starting a worker process costs more than it saves
# Enough prepared files to fill an embedding group (settings.ingest.embed_batch; news articles
# have about six chunks) while the last one embeds: with fewer, the main process waits for the
# worker after every group (8 s of a 67 s batch of 300 articles, measured with groups of 32).
_FILES_AHEAD_PER_WORKER = 64
# The first group of chunks embedded: the first articles are stored (searchable, reported) within
# a second or two; later groups double up to settings.ingest.embed_batch, where every Chroma write's
# fixed cost and the padding of short chunks weigh less (int8, 2,000 articles: groups of 32 ran at
# 50 chunks/s, of 128 and 512 at 65 and 67).
_FIRST_GROUP = 32
_WORKER_DIED = (
    "the process reading this file stopped twice while reading it (out of memory, or a parser "
    "crash); the rest of the batch went on"
)
_MAX_NAME_BYTES = 200
_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_ID_CHARS = 12


class Expanded(NamedTuple):
    found: list[str | Path]
    skipped: list[str]  # files of folders that are not read, each with why


def expand(items: Iterable[str | Path]) -> Expanded:
    """URLs as given; files named directly (whatever their type, so a wrong one gets a clear
    error); the supported files found recursively in folders (hidden ones skipped), sorted.
    The folders' other files are listed as skipped, so that none goes missing unsaid."""
    found: list[str | Path] = []
    skipped: list[str] = []
    for item in items:
        if isinstance(item, str) and _ADDRESS.match(item):  # checked when read: ftp://...
            found.append(item)
            continue
        given = Path(item)
        if not given.is_dir():
            found.append(given)
            continue
        for path in sorted(given.rglob("*")):
            hidden = [n for n, part in enumerate(path.relative_to(given).parts) if part[0] == "."]
            if hidden:  # said once, of the hidden file or folder, not of what a .git holds
                if hidden[0] == len(path.relative_to(given).parts) - 1:
                    skipped.append(f"{path} (hidden)")
                continue
            if path.is_file() and path.suffix.lower() in FORMATS:
                found.append(path)
            elif path.is_file():
                skipped.append(f"{path} (not a supported type)")
            elif path.is_symlink() and not path.exists():
                skipped.append(f"{path} (a link to a missing file)")
    return Expanded(found, skipped)


def safe_name(name: str, number: int) -> str:
    """The basename of an uploaded file's name: no folders, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(char for char in base if char.isprintable()).strip()
    if not base.strip("."):
        return f"upload-{number}"
    stem, dot, suffix = base.rpartition(".") if "." in base[1:] else (base, "", "")
    while len((stem + dot + suffix).encode("utf-8")) > _MAX_NAME_BYTES:  # file systems: 255
        stem = stem[:-1]
    return stem + dot + suffix


def save_uploads(folder: Path, uploads: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Keep uploaded files under their own names, the original available to the user. A name
    already holding other bytes (another article, or another version of one) gets a number:
    an upload never replaces an article; the same bytes again reuse their file (unchanged)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        _save_upload(folder / safe_name(name, number), data)
        for number, (name, data) in enumerate(uploads)
    ]


def _save_upload(wanted: Path, data: bytes) -> Path:
    """Created exclusively, so that two sessions uploading at once never write one file."""
    path, number = wanted, 1
    while True:
        try:
            with path.open("xb") as file:
                file.write(data)
            return path
        except FileExistsError:
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                return path
        number += 1
        path = wanted.with_name(f"{wanted.stem}-{number}{wanted.suffix}")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id_for(text: str) -> str:
    """Derived from the clean text, so the same content is the same article wherever it came from."""
    return content_hash(text)[:_ID_CHARS]


@dataclass
class PreparedFile:
    """One file read, cleaned and chunked: all of its ingestion that needs no store or model."""

    shown: str
    location: str
    text: str
    format: str
    meta: Metadata
    digest: str
    bytes_hash: str
    chunks: list[Chunk]
    signature: list[int]

    @property
    def article_id(self) -> str:
        return self.digest[:_ID_CHARS]  # article_id_for, without hashing the text twice


def prepare(item: str | Path, settings: Settings) -> PreparedFile | FileResult:
    """Runs in a worker process; never raises, so one file cannot stop the batch."""
    shown = str(item)
    try:
        document, location = _read(item, settings)
        digest = content_hash(document.text)
        chunks = chunk_text(digest[:_ID_CHARS], document.text, settings.chunk)
        sig = signature(document.text)
    except LoadError as error:
        return FileResult(path=shown, status="failed", reason=str(error))
    except Exception as error:
        reason = f"internal error while reading ({error.__class__.__name__}: {error})"
        return FileResult(path=shown, status="failed", reason=reason)
    return PreparedFile(
        shown,
        location,
        document.text,
        document.format,
        document.meta,
        digest,
        document.bytes_hash,
        chunks,
        sig,
    )


def ingest_files(
    paths: Iterable[str | Path],
    store: Store,
    embedder: Callable[[], Embedder],
    settings: Settings,
    progress: Progress | None = None,
    edit: MetadataEdit | None = None,
) -> IngestReport:
    """`embedder` starts loading on a thread as soon as a file needs reading, so the model loads
    while the worker starts and reads (`kb ingest data` on a new home: 13.3 s -> 10.0 s); a
    batch of unchanged files never loads it, and a failed load fails the files that need it."""
    items, skipped = expand(paths)
    store.sweep()
    _finish_replacements(store)
    batch = _Batch(store, embedder, settings, edit, progress, len(items))
    changed = [(n, item) for n, item in enumerate(items) if not batch.take_unchanged(n, item)]
    loader = threading.Thread(target=_load, args=(embedder,), name="load-model", daemon=True)
    if changed:
        loader.start()
    try:
        outcomes = _prepared([item for _, item in changed], settings)
        for (number, item), (_, outcome) in zip(changed, outcomes, strict=True):
            batch.take(number, item, outcome)
        batch.finish()
    finally:  # a process exiting while onnxruntime loads on the thread aborts (exit 134)
        if loader.is_alive():
            loader.join()
    return IngestReport(
        results=[batch.results[number] for number in sorted(batch.results)], skipped=skipped
    )


def _load(embedder: Callable[[], Embedder]) -> None:
    try:
        embedder()
    except Exception:  # the batch asks again when it needs the model, and reports why
        return


def _prepared(
    items: list[str | Path], settings: Settings
) -> Iterator[tuple[str | Path, PreparedFile | FileResult]]:
    """`prepare` for each item, in order; in worker processes that keep a few files ahead.

    When a worker dies (a parser crash, out of memory), the files it may have been reading are
    read again one at a time: the one that kills its worker alone is the one to blame, not a
    slow file read beside it."""
    workers = settings.ingest.workers
    if workers == 0 or len(items) < _MIN_FILES_FOR_WORKERS:
        yield from ((item, prepare(item, settings)) for item in items)
        return
    todo = deque(items)
    ahead: deque[tuple[str | Path, Future[PreparedFile | FileResult]]] = deque()
    # Read before anything else, in order: a result kept from before a worker died, or None
    # for a file to read alone.
    again: deque[tuple[str | Path, PreparedFile | FileResult | None]] = deque()
    pool = _worker_pool(workers)
    try:
        while todo or ahead or again:
            if again:
                item, outcome = again.popleft()
                if outcome is None:
                    try:
                        outcome = pool.submit(prepare, item, settings).result()
                    except BrokenProcessPool:  # it died reading this file alone
                        pool = _restart(pool, workers)
                        outcome = FileResult(path=str(item), status="failed", reason=_WORKER_DIED)
                yield item, outcome
                continue
            try:
                while todo and len(ahead) < _FILES_AHEAD_PER_WORKER * workers:
                    ahead.append((todo[0], pool.submit(prepare, todo[0], settings)))
                    todo.popleft()
                outcome = ahead[0][1].result()
            except BrokenProcessPool:
                pool = _restart(pool, workers)
                again = _after_crash(ahead, workers)
                todo.extendleft(reversed([item for item, _ in list(ahead)[len(again) :]]))
                ahead.clear()
                continue
            yield ahead.popleft()[0], outcome
    finally:  # not waiting for the worker to exit (over a second): it stops by itself
        pool.shutdown(wait=False, cancel_futures=True)


def _restart(pool: ProcessPoolExecutor, workers: int) -> ProcessPoolExecutor:
    pool.shutdown(wait=False, cancel_futures=True)
    return _worker_pool(workers)


def _after_crash(
    ahead: deque[tuple[str | Path, Future[PreparedFile | FileResult]]], workers: int
) -> deque[tuple[str | Path, PreparedFile | FileResult | None]]:
    """The files ahead up to the last one a dead worker may have been reading, with the results
    read before it died. The pool hands files out in order, one to each worker and `workers + 1`
    queued: the file being read when a worker died is among the first unfinished ones."""
    again: deque[tuple[str | Path, PreparedFile | FileResult | None]] = deque()
    suspects = 0
    for item, future in ahead:
        if future.done() and not future.cancelled() and future.exception() is None:
            again.append((item, future.result()))
        elif suspects < 2 * workers + 1:
            again.append((item, None))
            suspects += 1
        else:
            break
    return again


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: the main process may hold the model's threads, which a fork would copy
    # mid-flight.
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


def _start_worker(parent: int) -> None:
    os.environ["OMP_NUM_THREADS"] = "1"  # the cores belong to the embedder
    # No torch either: ingest.loaders keeps it from spaCy's thinc.
    apply_offline_env()
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """A worker whose batch was killed (kill -9 leaves it no time to stop us) stops too."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


@dataclass
class _Pending:
    """An article waiting for its chunks to be embedded with those of the next few files."""

    number: int
    file: PreparedFile
    article: Article
    previous: list[Article]
    similar: list[tuple[str, float]]
    copies: list[_Copy] = field(default_factory=list)


@dataclass
class _Copy:
    """A later file of the batch with the same text as a waiting article: it is settled when
    that article is stored (its location's old versions retired then, not before)."""

    number: int
    result: FileResult
    location: str
    previous: list[Article]


class _Batch:
    """The store-side half of a batch: dedup, replacement, embedding in groups, storing."""

    def __init__(
        self,
        store: Store,
        embedder: Callable[[], Embedder],
        settings: Settings,
        edit: MetadataEdit | None,
        progress: Progress | None,
        total: int,
    ) -> None:
        self.store, self.embedder, self.settings = store, embedder, settings
        self.edit, self.progress, self.total = edit, progress, total
        self.near = NearDuplicates(store.signatures())
        self.pending: dict[str, _Pending] = {}
        # An article of more chunks than a whole group, embedded once the batch's other files
        # are stored (or the next such one comes; one at a time, the memory of one big file): a
        # small file queued after a 5 MB one waited the minutes it took to embed.
        self.held: str | None = None
        self.results: dict[int, FileResult] = {}
        self.chunks = 0
        self.started = time.perf_counter()
        self.first: tuple[int, float] | None = None  # (files done, seconds) at the first result
        self.group = min(_FIRST_GROUP, settings.ingest.embed_batch)

    def take(self, number: int, item: str | Path, outcome: PreparedFile | FileResult) -> None:
        """A file that would overfill the group is embedded after the waiting ones are stored:
        three small files and a 5 MB one stored nothing for the 11 minutes it took to embed. One
        that fills a whole group alone is held back (`_hold`), so the files after it go first."""
        chunks = len(outcome.chunks) if isinstance(outcome, PreparedFile) else 0
        big = chunks > self.settings.ingest.embed_batch
        waiting = self._waiting_chunks()
        if chunks and not big and waiting and waiting + chunks > self.group:
            self._flush_group()
        try:
            if isinstance(outcome, FileResult):
                self._finish(number, outcome)
            else:
                self._register(number, outcome)
                registered = self.pending.get(outcome.article_id)
                if big and registered is not None and registered.number == number:
                    self._hold(outcome.article_id)
        except Exception as error:  # one file never stops the batch; sweep() cleans any remnant
            self._finish(number, _internal_error(item, error))
        if self._waiting_chunks() >= self.group:
            self._flush_group()

    def _waiting_chunks(self) -> int:
        """The chunks of the articles waiting for the next group (held ones are not)."""
        return sum(len(p.file.chunks) for i, p in self.pending.items() if i != self.held)

    def _flush_group(self) -> None:
        self.flush()
        self.group = min(2 * self.group, self.settings.ingest.embed_batch)

    def take_unchanged(self, number: int, item: str | Path) -> bool:
        """A file with the very bytes its article was read from is done without being read again
        (`kb ingest data` a second time: 8.0 s -> 1.05 s, the parsers' start-up saved)."""
        if not isinstance(item, Path):
            return False
        try:
            hashed = [
                article
                for article in self.store.articles(where={"location": str(item.resolve())})
                if article.bytes_hash
            ]
            if not hashed:  # a new file is read once, by the worker
                return False
            check_size(item.stat().st_size, self.settings.max_file_bytes)
            digest = bytes_hash(item.read_bytes())
        except Exception:  # reading it the usual way reports what is wrong
            return False
        same = next((article for article in hashed if article.bytes_hash == digest), None)
        if same is None:
            return False
        try:
            self._known(number, str(item), "unchanged", same, own_file=True)
        except Exception as error:  # one file never stops the batch
            self._finish(number, _internal_error(item, error))
        return True

    def _known(
        self,
        number: int,
        shown: str,
        status: FileStatus,
        article: Article,
        *,
        own_file: bool,
        changed: bool = False,
    ) -> None:
        """A file whose text is stored already: the batch's metadata goes onto the stored article
        as far as `_onto_stored` lets it, and the result says what became of it."""
        updated, notes = _onto_stored(article, self.edit, own_file)
        if changed or updated != article:
            self.store.update_article(updated)
        result = _same_text_result(shown, status, updated)
        # Said beside "same text as …" too: a batch's source replaced a stored one unsaid.
        result.reason = "; ".join(filter(None, [result.reason, *notes]))
        self._finish(number, result)

    def _register(self, number: int, file: PreparedFile) -> None:
        article_id, location = file.article_id, file.location
        at_location = self.store.articles(
            where={"$or": [{"location": location}, {"also_at": {"$contains": location}}]}
        )
        previous = [a for a in at_location if a.location == location and a.id != article_id]
        for other in at_location:  # a copy edited since: it no longer has the other's text
            if location in other.also_at and other.id != article_id:
                self.store.update_article(
                    other.model_copy(update={"also_at": _without(other.also_at, location)})
                )
        waiting = self.pending.get(article_id)
        if waiting is not None:  # the same text earlier in this batch, not stored yet
            status = self._add_location(waiting.article, location)
            result = _same_text_result(file.shown, status, waiting.article)
            waiting.copies.append(_Copy(number, result, location, previous))
            return
        existing = self.store.article(article_id)
        if existing is not None:
            for old in previous:  # this file was edited to match an article we already have
                self._retire(old, location)
            status = self._add_location(existing, location)
            own_file = location == existing.location
            hashed = existing  # the bytes now at its location, for take_unchanged next time
            if own_file:
                hashed = existing.model_copy(update={"bytes_hash": file.bytes_hash})
            changed = status == "duplicate" or hashed != existing
            self._known(number, file.shown, status, hashed, own_file=own_file, changed=changed)
            return
        article = Article(
            id=article_id,
            title=file.meta.title,
            source=file.meta.source,
            author=file.meta.author,
            date=file.meta.date,
            language=file.meta.language,
            canonical_url=file.meta.canonical_url,
            location=location,
            format=file.format,
            content_hash=file.digest,
            bytes_hash=file.bytes_hash,
            chunks=len(file.chunks),
            chars=len(file.text),
            ingested_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            # A new version keeps its article's tags (a tag the user removed stays removed); a
            # new article takes the file's own (Markdown front matter), one however cased.
            tags=sorted({tag for old in previous for tag in old.tags})
            if previous
            else unique_tags(file.meta.tags),
        )
        for old in sorted(previous, key=lambda a: a.ingested_at):
            article = _with_edits_of(old, article)
        article = _with_edit(article, self.edit)
        replaced = {old.id for old in previous}
        similar = [
            (i, score)
            for i, score in self.near.matches(article_id, file.signature)
            if i not in replaced
        ]
        article.near_duplicates = [i for i, _ in similar]
        self.near.add(article_id, file.signature)
        self.pending[article_id] = _Pending(number, file, article, previous, similar)

    @staticmethod
    def _add_location(article: Article, location: str) -> FileStatus:
        if location == article.location or location in article.also_at:
            return "unchanged"
        article.also_at = [*article.also_at, location]
        return "duplicate"

    def flush(self) -> None:
        """Embed the waiting articles' chunks in one call, then store them together; the held one
        waits on."""
        self._store_all_but(self.held)

    def finish(self) -> None:
        """The batch's end: the waiting articles stored, then the held one."""
        self._hold(None)
        self.flush()

    def _hold(self, article_id: str | None) -> None:
        """Hold this article back; the one held before is stored now, after those waiting. It is
        still pending while they are stored, so a near-copy among them links to it (`_settle`)."""
        earlier, self.held = self.held, article_id
        if earlier is not None:
            self._store_all_but(earlier, article_id)
            self._store([self.pending.pop(earlier)])

    def _store_all_but(self, *kept: str | None) -> None:
        """Embed and store the pending articles but the `kept` ones."""
        self._store([self.pending.pop(i) for i in list(self.pending) if i not in kept])

    def _store(self, waiting: list[_Pending]) -> None:
        if not waiting:
            return
        try:
            vectors = self.embedder().embed([c.text for p in waiting for c in p.file.chunks])
        except Exception as error:
            for entry in waiting:
                self._fail(entry, error)
            return
        new, first = [], 0
        for entry in waiting:
            count = len(entry.file.chunks)
            file = entry.file
            new.append(
                NewArticle(
                    entry.article,
                    file.text,
                    file.chunks,
                    vectors[first : first + count],
                    file.signature,
                )
            )
            first += count
        try:
            self.store.put_articles(new)
        except Exception as error:
            for entry in waiting:
                self._fail(entry, error)
            return
        for entry in waiting:
            try:
                self._settle(entry)
            except Exception as error:
                self._fail(entry, error)

    def _settle(self, entry: _Pending) -> None:
        """After an article is stored: link its near-duplicates, retire its old versions."""
        article, file = entry.article, entry.file
        for linked_id, _ in entry.similar:  # link both ways
            unstored = self.pending.get(linked_id)  # held back: its own list predates this one
            if unstored is not None:
                if article.id not in unstored.article.near_duplicates:
                    unstored.article.near_duplicates.append(article.id)
                continue
            linked = self.store.article(linked_id)
            if linked is not None and article.id not in linked.near_duplicates:
                self.store.update_article(
                    linked.model_copy(
                        update={"near_duplicates": [*linked.near_duplicates, article.id]}
                    )
                )
        for old in entry.previous:
            self._retire(old, article.location)
        notes: list[str] = []
        if entry.previous:  # its id changed: a user holding the old one should know
            old_ids = ", ".join(old.id for old in entry.previous)
            notes.append(f"replaced the old article {old_ids} → {article.id}")
        if entry.similar:
            other_id, score = entry.similar[0]
            notes.append(f"near-duplicate of {other_id} ({score:.0%} similar)")
        self._finish(
            entry.number,
            FileResult(
                path=file.shown,
                status="ingested",
                article_id=article.id,
                title=article.title,
                chunks=len(file.chunks),
                reason="; ".join(notes),
            ),
        )
        for copy in entry.copies:
            for old in copy.previous:
                self._retire(old, copy.location)
            self._finish(copy.number, copy.result)

    def _fail(self, entry: _Pending, error: Exception) -> None:
        self.near.remove(entry.article.id)
        self._finish(entry.number, _internal_error(entry.file.shown, error))
        for copy in entry.copies:
            self._finish(copy.number, _internal_error(copy.result.path, error))

    def _retire(self, old: Article, location: str) -> None:
        current = self.store.article(old.id)  # as it is now: the batch may have changed it since
        if current is not None:
            _retire(self.store, current, location)
        self.near.remove(old.id)

    def _finish(self, number: int, result: FileResult) -> None:
        self.results[number] = result
        if result.status == "ingested":
            self.chunks += result.chunks
        if self.progress:
            elapsed = time.perf_counter() - self.started
            self.first = self.first or (len(self.results), elapsed)
            self.progress(
                BatchProgress(
                    done=len(self.results),
                    total=self.total,
                    chunks=self.chunks,
                    elapsed=elapsed,
                    result=result,
                    first_done=self.first[0],
                    first_elapsed=self.first[1],
                )
            )


def _same_text_result(shown: str, status: FileStatus, article: Article) -> FileResult:
    return FileResult(
        path=shown,
        status=status,
        article_id=article.id,
        title=article.title,
        chunks=article.chunks,
        reason=f"same text as {article.location}" if status == "duplicate" else "",
    )


def _internal_error(item: str | Path, error: Exception) -> FileResult:
    reason = f"internal error while storing ({error.__class__.__name__}: {error})"
    return FileResult(path=str(item), status="failed", reason=reason)


def _with_edit(article: Article, edit: MetadataEdit | None) -> Article:
    """Title, source and date given at ingest replace (a new article's or version's, and what
    `_onto_stored` lets through); tags given at ingest add."""
    if edit is None:
        return article
    if edit.tags:
        edit = edit.model_copy(update={"tags": [*article.tags, *edit.tags]})
    return edit.apply(article)


def _onto_stored(
    article: Article, edit: MetadataEdit | None, own_file: bool
) -> tuple[Article, list[str]]:
    """A stored article with the batch's metadata, and notes saying what became of it. Tags
    given add. A title, source or date given fills an empty field, and replaces one read from
    the article's own file given again (`kb ingest --source X ferry.txt` corrects it); it never
    replaces one the user set (`kb edit`, or an earlier ingest) nor, from a copy of the text
    under another name, one the article has: an upload of copies renamed the library's
    articles' sources, and 'The Millbrook Ledger' left every source filter."""
    if edit is None:
        return article, []
    taken: dict[str, str] = {}
    kept: list[str] = []
    for name in ("title", "source", "date"):
        wanted, current = getattr(edit, name), getattr(article, name)
        if wanted is None or wanted == current:
            continue
        if not current or (own_file and name not in article.edited):
            taken[name] = wanted
        else:
            kept.append(f"{name} kept as {current} (not {wanted or 'cleared'})")
    updated = _with_edit(article, MetadataEdit(tags=edit.tags, **taken))
    notes = [f"{', '.join(taken)} updated"] if taken else []
    if set(updated.tags) - set(article.tags):
        notes.append("tags added")
    return updated, [*notes, *kept]


def _with_edits_of(old: Article, article: Article) -> Article:
    """A new version of a file keeps the title, source and date the user set on the old one
    (`kb edit`, or at ingest), still marked as the user's; tags are carried over on their own."""
    kept = {field: getattr(old, field) for field in old.edited}
    return article.model_copy(update=kept | {"edited": sorted({*article.edited, *old.edited})})


def _finish_replacements(store: Store) -> None:
    """A crash between storing a file's new version and retiring its old one leaves two articles
    claiming one location: the newer one wins."""
    claims: dict[str, list[Article]] = {}
    for article in store.articles():
        claims.setdefault(article.location, []).append(article)
    for location, articles in claims.items():
        for old in sorted(articles, key=lambda a: a.ingested_at)[:-1]:
            _retire(store, old, location)


def _retire(store: Store, old: Article, location: str) -> None:
    """`location` no longer holds `old`'s text: delete it, unless other copies still hold it."""
    rest = _without([old.location, *old.also_at], location)
    if rest:  # the bytes at the new location were not hashed: it is read on its next ingest
        moved = {"location": rest[0], "also_at": rest[1:], "bytes_hash": ""}
        store.update_article(old.model_copy(update=moved))
    else:
        store.delete_article(old.id)


def _without(items: list[str], item: str) -> list[str]:
    return [i for i in items if i != item]


def _read(item: str | Path, settings: Settings) -> tuple[LoadedDocument, str]:
    """The document and where it came from (an absolute path or the final URL)."""
    if isinstance(item, str):
        if not is_url(item):
            scheme = item.partition(":")[0]
            raise LoadError(f"{scheme}:// addresses are not supported (only http:// and https://)")
        fetched = fetch(item, settings.fetch, settings.max_file_bytes)
        name = (
            urlsplit(fetched.url).path.rstrip("/").rsplit("/", 1)[-1]
            or urlsplit(fetched.url).hostname
        )
        return parse(fetched.content, fetched.format, fallback_title=str(name)), fetched.url
    if not item.exists():
        raise LoadError("no such file or folder")
    return load(item, settings.max_file_bytes), str(item.resolve())
