"""The ingestion batch: load -> clean -> chunk -> embed -> store, one file at a time, never stopping.

Each file or URL ends as one result line (ingested / unchanged / duplicate / failed: reason),
see kb.models.FileResult. An article becomes
visible only once all its chunks are stored (see kb.store), and a changed file at the same path
replaces the old version: the new one is committed first, then the old one removed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from ingest.chunk import chunk_text
from ingest.dedup import NearDuplicates, signature
from ingest.fetch import fetch, is_url
from ingest.loaders import FORMATS, LoadedDocument, LoadError, load, parse
from kb.embed import Embedder
from kb.models import Article, FileResult, FileStatus, IngestReport, MetadataEdit
from kb.settings import Settings
from kb.store import Store

Progress = Callable[[int, int, FileResult], None]
_MAX_NAME_BYTES = 200
_ID_CHARS = 12


def expand(items: Iterable[str | Path]) -> list[str | Path]:
    """URLs as given; files named directly (whatever their type, so a wrong one gets a clear
    error); the supported files found recursively in folders (hidden ones skipped), sorted."""
    found: list[str | Path] = []
    for item in items:
        if isinstance(item, str) and is_url(item):
            found.append(item)
            continue
        given = Path(item)
        if given.is_dir():
            found += sorted(
                p
                for p in given.rglob("*")
                if p.is_file()
                and p.suffix.lower() in FORMATS
                and not any(part.startswith(".") for part in p.relative_to(given).parts)
            )
        else:
            found.append(given)
    return found


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
    """Keep uploaded files under their own names, so that uploading an edited file again replaces
    the article it was (same location) and the original stays available to the user."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for number, (name, data) in enumerate(uploads):
        path = folder / safe_name(name, number)
        if path in paths:  # two uploads with one name in a batch: keep both
            path = path.with_name(f"{path.stem}-{number}{path.suffix}")
        path.write_bytes(data)
        paths.append(path)
    return paths


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id_for(text: str) -> str:
    """Derived from the clean text, so the same content is the same article wherever it came from."""
    return content_hash(text)[:_ID_CHARS]


def ingest_files(
    paths: Iterable[str | Path],
    store: Store,
    embedder: Callable[[], Embedder],
    settings: Settings,
    progress: Progress | None = None,
    edit: MetadataEdit | None = None,
) -> IngestReport:
    """`embedder` is called only when a file needs embedding: a batch of failures or unchanged
    files never waits for the model to load."""
    items = expand(paths)
    report = IngestReport()
    store.sweep()
    _finish_replacements(store)
    near = NearDuplicates(store.signatures())
    for number, item in enumerate(items, start=1):
        try:
            result = _ingest_one(item, store, embedder, settings, edit, near)
        except Exception as error:  # one file never stops the batch; sweep() cleans any remnant
            reason = f"internal error while storing ({error.__class__.__name__}: {error})"
            result = FileResult(path=str(item), status="failed", reason=reason)
        report.results.append(result)
        if progress:
            progress(number, len(items), result)
    return report


def _with_edit(article: Article, edit: MetadataEdit | None) -> Article:
    """Title, source and date given at ingest replace; tags given at ingest add."""
    if edit is None:
        return article
    if edit.tags:
        edit = edit.model_copy(update={"tags": [*article.tags, *edit.tags]})
    return edit.apply(article)


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
    if rest:
        store.update_article(old.model_copy(update={"location": rest[0], "also_at": rest[1:]}))
    else:
        store.delete_article(old.id)


def _without(items: list[str], item: str) -> list[str]:
    return [i for i in items if i != item]


def _read(item: str | Path, settings: Settings) -> tuple[LoadedDocument, str]:
    """The document and where it came from (an absolute path or the final URL)."""
    max_bytes = int(settings.max_file_mb * 1_000_000)
    if isinstance(item, str):
        fetched = fetch(item, settings.fetch, max_bytes)
        name = (
            urlsplit(fetched.url).path.rstrip("/").rsplit("/", 1)[-1]
            or urlsplit(fetched.url).hostname
        )
        return parse(fetched.content, fetched.format, fallback_title=str(name)), fetched.url
    if not item.exists():
        raise LoadError("no such file or folder")
    return load(item, max_bytes), str(item.resolve())


def _ingest_one(
    item: str | Path,
    store: Store,
    embedder: Callable[[], Embedder],
    settings: Settings,
    edit: MetadataEdit | None,
    near: NearDuplicates,
) -> FileResult:
    shown = str(item)
    try:
        document, location = _read(item, settings)
    except LoadError as error:
        return FileResult(path=shown, status="failed", reason=str(error))
    digest = content_hash(document.text)
    article_id = digest[:_ID_CHARS]  # article_id_for, without hashing the text twice
    previous = [old for old in store.articles(where={"location": location}) if old.id != article_id]
    for other in store.articles(where={"also_at": {"$contains": location}}):
        if other.id != article_id:  # this copy was edited: it no longer has the other's text
            store.update_article(
                other.model_copy(update={"also_at": _without(other.also_at, location)})
            )
    existing = store.article(article_id)
    if existing is not None:
        for old in previous:  # this file was edited to match an article we already have
            _retire(store, old, location)
            near.signatures.pop(old.id, None)
        status: FileStatus = "unchanged"
        if location != existing.location and location not in existing.also_at:
            existing.also_at = [*existing.also_at, location]
            status = "duplicate"
        updated = _with_edit(existing, edit)
        if updated != existing or status == "duplicate":
            store.update_article(updated)
        return FileResult(
            path=shown,
            status=status,
            article_id=existing.id,
            title=updated.title,
            chunks=existing.chunks,
            reason=f"same text as {existing.location}" if status == "duplicate" else "",
        )
    chunks = chunk_text(article_id, document.text, settings.chunk)
    article = Article(
        id=article_id,
        title=document.meta.title,
        source=document.meta.source,
        author=document.meta.author,
        date=document.meta.date,
        location=location,
        format=document.format,
        content_hash=digest,
        chunks=len(chunks),
        chars=len(document.text),
        ingested_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
    )
    article.tags = sorted({tag for old in previous for tag in old.tags})  # a new version keeps them
    article = _with_edit(article, edit)
    sig = signature(document.text)
    replaced = {old.id for old in previous}
    similar = [(i, score) for i, score in near.matches(article_id, sig) if i not in replaced]
    article.near_duplicates = [i for i, _ in similar]
    vectors = embedder().embed([chunk.text for chunk in chunks])
    store.put_article(article, document.text, chunks, vectors, sig)
    near.add(article_id, sig)
    for linked_id, _ in similar:  # link both ways
        linked = store.article(linked_id)
        if linked is not None and article_id not in linked.near_duplicates:
            store.update_article(
                linked.model_copy(update={"near_duplicates": [*linked.near_duplicates, article_id]})
            )
    for old in previous:
        _retire(store, old, location)
        near.signatures.pop(old.id, None)
    reason = ""
    if similar:
        other_id, score = similar[0]
        reason = f"near-duplicate of {other_id} ({score:.0%} similar)"
    return FileResult(
        path=shown,
        status="ingested",
        article_id=article_id,
        title=article.title,
        chunks=len(chunks),
        reason=reason,
    )
