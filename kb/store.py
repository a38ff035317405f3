"""Where articles, chunks, vectors and summaries live: Chroma, embedded on disk or a server.

Three collections: chunks (vectors for retrieval, and where each chunk sits in its article's
text), articles (the registry: metadata, clean text, the mean vector of its chunks) and summaries.
A chunk's text is the slice of its article's text, not stored twice: Chroma's cost per written row
grows with its document (about 1.5 ms per 900-character chunk here, most of a chunk's write). An
article record is the commit marker: it is written only after all its chunks, removed before them,
and search ignores chunks without one, so a crash at any point never shows half an article.
`sweep()` removes what such a crash left behind.

Every write ends by setting a new `generation` token on the chunks collection. What a process
derives from the store (the committed articles' metadata and text, which every search needs to
turn chunks into passages; the BM25 index; the link graph) is kept in memory under the token it
was read with, so a search reads one small value instead of the whole registry, and any process
sharing the store (a `kb ingest` beside the UI, clients of one Chroma server) sees a change at its
next search. The token is set after the data and read before it, so a reader is never left with
data older than its token. An embedded store's client is opened anew when the token changes
without this process having written (`EmbeddedChroma`): Chroma's embedded client would never see
the vectors another process adds.
"""

from __future__ import annotations

import fcntl
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

import numpy as np

from kb.derived import DerivedCache, signing_key
from kb.models import Article, Chunk, Hit, Summary
from kb.settings import Settings, apply_offline_env

T = TypeVar("T")

Metadata = dict[str, Any]
_ARTICLE_FIELDS = (
    "title",
    "source",
    "author",
    "date",
    "language",
    "canonical_url",
    "location",
    "format",
    "content_hash",
    "bytes_hash",
)


@dataclass
class NewArticle:
    """An article to store with everything it is stored with; `signature` is the text's MinHash
    (ingest.dedup), kept to find near-duplicates."""

    article: Article
    text: str
    chunks: Sequence[Chunk]
    vectors: np.ndarray
    signature: list[int]


class Store(Protocol):
    def put_articles(self, new: Sequence[NewArticle]) -> None: ...

    def signatures(self) -> dict[str, list[int]]: ...

    def update_article(self, article: Article) -> None: ...

    def delete_article(self, article_id: str) -> bool: ...

    def article(self, article_id: str, with_text: bool = False) -> Article | None: ...

    def articles(self, where: Metadata | None = None) -> list[Article]: ...

    def chunks(self, article_id: str) -> list[Chunk]: ...

    def query(
        self, vector: np.ndarray, k: int, article_ids: set[str] | None = None
    ) -> list[Hit]: ...

    def best_chunks(self, vector: np.ndarray, article_ids: Sequence[str]) -> list[Hit]: ...

    def closest_articles(self, vector: np.ndarray, article_ids: set[str]) -> list[str]: ...

    def hits(self, chunk_ids: Sequence[str]) -> list[Hit]: ...

    def chunk_texts(self) -> tuple[list[str], list[str]]: ...

    def committed(self) -> list[Article]: ...

    def sources(self) -> set[str]: ...

    def generation(self) -> str: ...

    def pinned(self) -> AbstractContextManager[None]: ...

    def cached(self, name: str, build: Callable[[], T]) -> T: ...

    def put_summary(self, summary: Summary, vector: np.ndarray) -> None: ...

    def summary(self, article_id: str) -> Summary | None: ...

    def sweep(self) -> int: ...


class _Registry:
    """The committed articles as read at one generation: metadata, text and chunk spans to turn
    chunks into passages, mean vectors to rank linked articles. Never modified once built."""

    def __init__(
        self,
        articles: Sequence[Article],
        vectors: np.ndarray,  # each article's mean chunk vector; no columns if unreadable
        spans: dict[str, tuple[str, int, int]],  # chunk: article, start, end
    ) -> None:
        self.articles = {article.id: article for article in articles}
        self.ids = [article.id for article in articles]
        self.rows = {article_id: row for row, article_id in enumerate(self.ids)}
        self.vectors = vectors
        self.spans = spans
        self.chunks_of: dict[str, list[str]] = {}
        for chunk_id, (article_id, _, _) in self.spans.items():
            self.chunks_of.setdefault(article_id, []).append(chunk_id)
        self.sources = {article.source for article in articles if article.source}


class StoreMismatch(Exception):
    """The knowledge base holds vectors of another embedding backend than the one configured."""


class EmbeddedChroma:
    """This process's client of a Chroma folder on disk, shared by every store opened on it.

    Chroma's embedded client keeps a collection's vector index in memory once searched and never
    sees the vectors another process adds afterwards (a `kb ingest` beside the UI): dense search
    would miss them for good. So when a store reads a generation token the client is not known to
    hold, the folder is opened anew (20-40 ms; the next search then reloads the index from disk,
    0.2 s at 20k chunks). Not after this process's own writes, which went through the client.
    Writes and reopening take turns (`lock`), so no write is split between two clients; an old
    client stays usable by the searches still holding it, and goes with the last of them."""

    _opened: ClassVar[dict[str, EmbeddedChroma]] = {}
    _opening: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.lock = threading.RLock()
        # Per store prefix, the token up to which the client holds everything written.
        self._holds: dict[str, str] = {}
        self.client = self._fresh_client()

    @classmethod
    def at(cls, folder: Path) -> EmbeddedChroma:
        path = str(folder.resolve())
        with cls._opening:
            if path not in cls._opened:
                cls._opened[path] = cls(path)
            return cls._opened[path]

    def _fresh_client(self) -> Any:
        import chromadb
        from chromadb.api.shared_system_client import SharedSystemClient

        # Chroma hands out one cached client per folder (the stale one too): drop it first.
        SharedSystemClient._identifier_to_system.pop(self.folder, None)
        return chromadb.PersistentClient(
            path=self.folder, settings=chromadb.Settings(anonymized_telemetry=False)
        )

    def catch_up(self, prefix: str, token: str) -> None:
        """Opens the folder anew if the client may lack what was written up to `token` (read
        just before). A store's first token needs none: Chroma reads an index at its first
        search, after that."""
        if self._holds.get(prefix) != token:
            with self.lock:
                if self._holds.get(prefix, token) != token:
                    self.client = self._fresh_client()
                self._holds[prefix] = token

    def wrote(self, prefix: str, before: str, after: str) -> None:
        """This process replaced the token `before` by `after`, its write having gone through
        the client: current up to `before`, the client is current up to `after` too."""
        with self.lock:
            if self._holds.get(prefix) == before:
                self._holds[prefix] = after


class ChromaStore:
    def __init__(
        self,
        chroma: Any,
        prefix: str,
        embed_backend: str = "minilm",
        derived_folder: Path | None = None,
        signing_key: bytes | None = None,
    ) -> None:
        """`chroma`: a client of a Chroma server (always current), or an `EmbeddedChroma`."""
        self.prefix = prefix
        self._embedded = chroma if isinstance(chroma, EmbeddedChroma) else None
        self._attach(chroma.client if self._embedded else chroma)
        self._token()  # before any search: the token the embedded client is current up to
        self._check_backend(embed_backend)
        self._pinned = threading.local()
        self._derived = DerivedCache(
            derived_folder, prefix, self._token, self._row_counts, signing_key
        )
        if not self.generation():  # a store written before the token existed
            with self._writing():
                self._changed()

    def _attach(self, client: Any) -> None:
        # We always pass vectors ourselves; embedding_function=None keeps Chroma from ever
        # reaching for its default model, which would try to download weights.
        def collection(name: str) -> Any:
            return client.get_or_create_collection(
                f"{self.prefix}_{name}",
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
            )

        self.chunk_rows = collection("chunks")
        self.article_rows = collection("articles")
        self.summary_rows = collection("summaries")
        self.client = client  # last: a thread that sees the new client sees its collections

    def _follow(self, embedded: EmbeddedChroma) -> None:
        """Onto the folder's newest client, if it was opened anew (by any store or thread)."""
        if embedded.client is not self.client:
            with embedded.lock:
                if embedded.client is not self.client:
                    self._attach(embedded.client)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around a write that ends with a new token: the embedded folder is not opened anew
        meanwhile, so the write and its token go through the client searches will use."""
        if self._embedded is None:
            yield
            return
        with self._embedded.lock:
            self._follow(self._embedded)
            yield

    def _check_backend(self, backend: str) -> None:
        """Vectors from two backends must never meet in one index: a query embedded by one would
        be compared with chunks embedded by the other. Stores made before the choice existed hold
        `minilm` vectors; an empty store takes whichever backend opens it."""
        built_with = (self.chunk_rows.metadata or {}).get("embed_backend")
        empty = self.chunk_rows.count() == 0
        if built_with is None or (empty and built_with != backend):  # an empty store may switch
            built_with = backend if empty else "minilm"
            self.chunk_rows.modify(metadata={"embed_backend": built_with})
        if built_with != backend:
            raise StoreMismatch(
                f"this knowledge base was built with the embedding backend '{built_with}', not "
                f"'{backend}': set KB_EMBED_BACKEND={built_with}, or use another KB_HOME "
                "(or KB_STORE_PREFIX) for the other backend"
            )

    # --- writes -------------------------------------------------------------------------------
    def put_articles(self, new: Sequence[NewArticle]) -> None:
        """All their chunks first, then their article records: a few articles per call, since
        every Chroma write has a fixed cost (its log, its index) whatever its size."""
        if not new:
            return
        chunks = [chunk for item in new for chunk in item.chunks]
        vectors = np.concatenate([item.vectors for item in new])
        means = [item.vectors.mean(axis=0) for item in new]
        with self._writing():
            for first in range(0, len(chunks), 1000):
                batch = chunks[first : first + 1000]
                self.chunk_rows.upsert(
                    ids=[chunk.id for chunk in batch],
                    embeddings=vectors[first : first + len(batch)],
                    metadatas=[
                        {
                            "article_id": c.article_id,
                            "index": c.index,
                            "start": c.start,
                            "end": c.end,
                        }
                        for c in batch
                    ],
                )
            self.article_rows.upsert(
                ids=[item.article.id for item in new],
                embeddings=[mean / (np.linalg.norm(mean) or 1.0) for mean in means],
                documents=[item.text for item in new],
                metadatas=[
                    {k: v for k, v in _article_metadata(item.article).items() if v is not None}
                    | {"signature": _packed(item.signature)}
                    for item in new
                ],
            )
            self._changed()

    def update_article(self, article: Article) -> None:
        """Metadata only; the text, chunks and vectors stay."""
        with self._writing():
            self.article_rows.update(ids=[article.id], metadatas=[_article_metadata(article)])
            self._changed()

    def delete_article(self, article_id: str) -> bool:
        with self._writing():
            existed = bool(self.article_rows.get(ids=[article_id], include=[])["ids"])
            self.article_rows.delete(ids=[article_id])
            self._changed()  # gone from search now, even if the process dies before the rest
            for other in self.articles(where={"near_duplicates": {"$contains": article_id}}):
                kept = [i for i in other.near_duplicates if i != article_id]
                self.update_article(other.model_copy(update={"near_duplicates": kept}))
            self.summary_rows.delete(ids=[article_id])
            self.chunk_rows.delete(where={"article_id": article_id})
            self._changed()
        return existed

    def put_summary(self, summary: Summary, vector: np.ndarray) -> None:
        self.summary_rows.upsert(
            ids=[summary.article_id],
            embeddings=[vector],
            documents=[summary.model_dump_json()],
            metadatas=[{"mode": summary.mode, "created_at": summary.created_at}],
        )

    def sweep(self) -> int:
        """Delete chunks and summaries whose article record is missing (left by a crash)."""
        with self._writing():
            live = set(_every(self.article_rows, [])["ids"])
            orphans = 0
            for rows, key in ((self.chunk_rows, "article_id"), (self.summary_rows, None)):
                got = _every(rows, ["metadatas"] if key else [])
                dead = [
                    row_id
                    for row_id, meta in zip(
                        got["ids"], got.get("metadatas") or [{}] * len(got["ids"])
                    )
                    if (meta[key] if key else row_id) not in live
                ]
                if dead:
                    rows.delete(ids=dead)
                orphans += len(dead)
            self._changed()  # also covers a crash between a write and its token
        return orphans

    def generation(self) -> str:
        """Changes with every write to the articles: the key of what is derived from them."""
        pinned = getattr(self._pinned, "generation", None)
        return self._token() if pinned is None else str(pinned)

    def _token(self) -> str:
        """The token now; an embedded client that may lack what it stands for is opened anew."""
        current = self.client.get_collection(self.chunk_rows.name).metadata or {}
        token = str(current.get("generation", ""))
        if self._embedded is not None:
            self._embedded.catch_up(self.prefix, token)
            self._follow(self._embedded)
        return token

    def _row_counts(self) -> str:
        """Checked when a saved index is loaded: a writer killed between its write and its new
        token left the token as it was, but not the counts."""
        return f"{self.article_rows.count()}/{self.chunk_rows.count()}"

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Within, this thread reads the generation once: a search makes several reads of what
        derives from it, and each read of the token is a round trip to Chroma."""
        self._pinned.generation = None
        self._pinned.generation = self.generation()
        try:
            yield
        finally:
            self._pinned.generation = None

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """What `build` derives from the articles, built once per generation (kb.derived)."""
        return self._derived.get(name, self.generation(), build)

    def _changed(self) -> None:
        current = self.client.get_collection(self.chunk_rows.name).metadata or {}
        token = uuid.uuid4().hex
        self.chunk_rows.modify(metadata=current | {"generation": token})
        if self._embedded is not None:
            self._embedded.wrote(self.prefix, str(current.get("generation", "")), token)

    # --- reads --------------------------------------------------------------------------------
    def article(self, article_id: str, with_text: bool = False) -> Article | None:
        found = self._committed({article_id}, with_text)
        return found[0] if found else None

    def articles(self, where: Metadata | None = None) -> list[Article]:
        got = _every(self.article_rows, ["metadatas"], where)
        articles = self._articles(got["ids"], got["metadatas"])
        return sorted(articles, key=lambda a: (a.date or "9999", a.title.lower()))

    def signatures(self) -> dict[str, list[int]]:
        got = _every(self.article_rows, ["metadatas"])
        return {
            i: _unpacked(meta["signature"]) if "signature" in meta else list(meta["minhash"])
            for i, meta in zip(got["ids"], got["metadatas"])
            if meta.get("signature") or meta.get("minhash")  # "minhash": stores before 11-29
        }

    def chunks(self, article_id: str) -> list[Chunk]:
        article = self.article(article_id, with_text=True)
        if article is None or article.text is None:
            return []
        text = article.text
        got = self.chunk_rows.get(where={"article_id": article_id}, include=["metadatas"])
        chunks = [
            Chunk(id=i, text=text[meta["start"] : meta["end"]], **meta)
            for i, meta in zip(got["ids"], got["metadatas"])
        ]
        return sorted(chunks, key=lambda c: c.index)

    def query(self, vector: np.ndarray, k: int, article_ids: set[str] | None = None) -> list[Hit]:
        """The `k` chunks nearest `vector`, of the articles `article_ids` if given."""
        # Committed chunks (no more can be asked for); all chunks if the registry has none yet
        # (its first writer died before setting the generation).
        total = len(self._current().spans) or self.chunk_rows.count()
        if total == 0 or k <= 0 or article_ids == set():
            return []
        from chromadb.errors import InternalError

        where = {"article_id": {"$in": sorted(article_ids)}} if article_ids is not None else None
        wanted = min(total, k * 2)  # slack for orphan chunks of an unfinished write
        if article_ids is not None and len(article_ids) > _MAX_IN:
            where, wanted = None, min(total, k * 20)  # too many ids for one filter: filter here

        def nearest(n_results: int, where: Metadata | None) -> Any:
            return self.chunk_rows.query(
                query_embeddings=[vector],
                n_results=n_results,
                where=where,
                include=["metadatas", "distances"],
            )

        try:
            got = nearest(wanted, where)
        except InternalError:  # a filtered search can fail so after a kill -9: filter here
            if where is None:
                raise
            got = nearest(min(total, k * 20), None)
        kept = [
            i
            for i, meta in enumerate(got["metadatas"][0])
            if article_ids is None or (meta or {}).get("article_id") in article_ids
        ]
        ids, metas, distances = (got[key][0] for key in ("ids", "metadatas", "distances"))
        scores = [round(1.0 - float(distances[i]), 4) for i in kept]
        return self._hits([ids[i] for i in kept], [metas[i] for i in kept], scores)[:k]

    def best_chunks(self, vector: np.ndarray, article_ids: Sequence[str]) -> list[Hit]:
        """Each article's chunk nearest to `vector`, nearest first: exact, from the stored
        vectors (Chroma's filtered vector search failed with "Error finding id" after a kill -9,
        and these are a few articles). Nothing while another process is writing them: reading
        vectors then can fail the same way, and the caller can do without."""
        from chromadb.errors import InternalError

        if not article_ids:
            return []
        chunks_of = self._current().chunks_of
        known = [chunk for a in article_ids for chunk in chunks_of.get(a, ())]
        unknown = [a for a in article_ids if a not in chunks_of]  # see _committed_cached
        reads: list[dict[str, Any]] = [{"ids": known}] if known else []  # by id: 10x faster...
        reads += [{"where": {"article_id": {"$in": unknown}}}] if unknown else []  # ...than where
        got: dict[str, list[Any]] = {"ids": [], "metadatas": [], "embeddings": []}
        try:
            for read in reads:
                found = self.chunk_rows.get(**read, include=["metadatas", "embeddings"])
                for key in got:
                    got[key] += list(found[key])
        except InternalError:  # "Error finding id": another process is writing those rows
            return []
        best: dict[str, tuple[float, str, Any]] = {}
        for chunk_id, meta, row in zip(got["ids"], got["metadatas"], got["embeddings"]):
            similarity = float(np.dot(row, vector))  # unit vectors: the cosine
            if meta and similarity > best.get(meta["article_id"], (-2.0,))[0]:
                best[meta["article_id"]] = (similarity, chunk_id, meta)
        ranked = sorted(best.values(), key=lambda item: -item[0])
        return self._hits(
            [chunk_id for _, chunk_id, _ in ranked],
            [meta for _, _, meta in ranked],
            [round(similarity, 4) for similarity, _, _ in ranked],
        )

    def closest_articles(self, vector: np.ndarray, article_ids: set[str]) -> list[str]:
        """The committed ones of `article_ids`, closest to `vector` first, by the mean vector of
        each article's chunks (from memory: this ranks hundreds of linked articles per search)."""
        registry = self._current()
        rows = [registry.rows[i] for i in sorted(article_ids) if i in registry.rows]  # ties: by id
        if not rows:
            return []
        if registry.vectors.shape[1] != len(vector):  # vectors unreadable (see _current)
            return [registry.ids[row] for row in rows]
        order = np.argsort(-(registry.vectors[rows] @ vector), kind="stable")
        return [registry.ids[rows[i]] for i in order]

    def hits(self, chunk_ids: Sequence[str]) -> list[Hit]:
        """The committed chunks among `chunk_ids`, in that order (score 0: not a vector match)."""
        if not chunk_ids:
            return []
        spans = self._current().spans
        found: dict[str, Any] = {
            i: dict(zip(("article_id", "start", "end"), spans[i])) for i in chunk_ids if i in spans
        }
        if unknown := [i for i in chunk_ids if i not in found]:  # see _committed_cached
            got = self.chunk_rows.get(ids=unknown, include=["metadatas"])
            found |= dict(zip(got["ids"], got["metadatas"]))
        ids = [chunk_id for chunk_id in chunk_ids if chunk_id in found]
        return self._hits(ids, [found[chunk_id] for chunk_id in ids], [0.0] * len(ids))

    def _hits(self, ids: list[str], metas: list[Any], scores: list[float]) -> list[Hit]:
        # After a kill -9, the embedded index can still return rows deleted just before (with no
        # metadata or text): skip them like orphans.
        metas = [meta or {"article_id": None} for meta in metas]
        owners = self._committed_cached({m["article_id"] for m in metas} - {None})
        return [
            Hit(
                article_id=meta["article_id"],
                title=owners[meta["article_id"]].title,
                source=owners[meta["article_id"]].source,
                date=owners[meta["article_id"]].date,
                chunk_id=chunk_id,
                start=meta["start"],
                end=meta["end"],
                score=score,
                text=(owners[meta["article_id"]].text or "")[meta["start"] : meta["end"]],
            )
            for chunk_id, meta, score in zip(ids, metas, scores)
            if meta["article_id"] in owners
        ]

    def chunk_texts(self) -> tuple[list[str], list[str]]:
        """Ids and texts of every chunk of a committed article."""
        registry = self._current()
        return list(registry.spans), [
            (registry.articles[article_id].text or "")[start:end]
            for article_id, start, end in registry.spans.values()
        ]

    def committed(self) -> list[Article]:
        """Every committed article with its text, as of the current generation (do not modify)."""
        return list(self._current().articles.values())

    def sources(self) -> set[str]:
        return self._current().sources

    def summary(self, article_id: str) -> Summary | None:
        got = self.summary_rows.get(ids=[article_id], include=["documents"])
        return Summary.model_validate_json(got["documents"][0]) if got["ids"] else None

    def _committed(self, article_ids: set[str], with_text: bool = False) -> list[Article]:
        if not article_ids:
            return []
        got = self.article_rows.get(
            ids=sorted(article_ids),
            include=["metadatas", "documents"] if with_text else ["metadatas"],
        )
        return self._articles(got["ids"], got["metadatas"], got["documents"])

    def _committed_cached(self, article_ids: set[str]) -> dict[str, Article]:
        """The committed articles among `article_ids`, with text, from the registry; any the
        registry lacks are read (an article committed by a writer that died before its token)."""
        registry = self._current().articles
        found = {i: registry[i] for i in article_ids if i in registry}
        missing = article_ids - found.keys()
        return found | {a.id: a for a in self._committed(missing, with_text=True)}

    def _current(self) -> _Registry:
        return self.cached("registry", self._read_registry)

    def _read_registry(self) -> _Registry:
        from chromadb.errors import InternalError

        try:
            got = _every(self.article_rows, ["metadatas", "documents", "embeddings"])
        except InternalError:  # "Error finding id": vectors unreadable after a kill -9
            got = _every(self.article_rows, ["metadatas", "documents"])
            got["embeddings"] = []  # linked articles then go unranked (by id)
        chunks = _every(self.chunk_rows, ["metadatas"])
        committed = set(got["ids"])
        spans = {
            chunk_id: (meta["article_id"], meta["start"], meta["end"])
            for chunk_id, meta in zip(chunks["ids"], chunks["metadatas"])
            if meta and meta.get("article_id") in committed
        }
        articles = self._articles(got["ids"], got["metadatas"], got["documents"])
        return _Registry(
            articles,
            np.asarray(got["embeddings"], dtype=np.float32).reshape(len(articles), -1)
            if got["embeddings"]
            else np.zeros((len(articles), 0), dtype=np.float32),
            spans,
        )

    def _articles(
        self, ids: list[str], metadatas: list[Any], texts: list[str | None] | None = None
    ) -> list[Article]:
        """Articles from their rows; with their `texts` when those were read."""
        if len(ids) > _PAGE:  # one id per SQL variable: read them all instead
            summarized = set(_every(self.summary_rows, [])["ids"])
        else:
            summarized = (
                set(self.summary_rows.get(ids=list(ids), include=[])["ids"]) if ids else set()
            )
        return [
            Article(id=i, summary="ready" if i in summarized else "missing", text=text, **meta)
            for i, meta, text in zip(ids, metadatas, texts or [None] * len(ids), strict=True)
        ]


_PAGE = 5000
_MAX_IN = 20_000  # ids in one "$in" filter: SQLite allows about 32k variables per statement


def _every(rows: Any, include: list[str], where: Metadata | None = None) -> dict[str, list[Any]]:
    """All rows of a collection (matching `where`), read page by page: Chroma 1.5.9 fails on one
    get of about 100k rows ("too many SQL variables")."""
    every: dict[str, list[Any]] = {"ids": []} | {key: [] for key in include}
    offset = 0
    while True:
        got = rows.get(where=where or None, include=include, limit=_PAGE, offset=offset)
        every["ids"] += got["ids"]
        for key in include:
            every[key] += list(got[key])
        if len(got["ids"]) < _PAGE:
            return every
        offset += _PAGE


def _packed(signature: list[int]) -> str:
    """A MinHash signature as one string: Chroma reads list metadata about 8x slower, for every
    listing of the articles."""
    return np.asarray(signature, dtype="<u8").tobytes().hex()  # little-endian on any machine


def _unpacked(packed: str) -> list[int]:
    return [int(value) for value in np.frombuffer(bytes.fromhex(packed), dtype="<u8")]


def _article_metadata(article: Article) -> dict[str, Any]:
    meta: dict[str, Any] = {field: getattr(article, field) for field in _ARTICLE_FIELDS}
    meta.update(chunks=article.chunks, chars=article.chars, ingested_at=article.ingested_at)
    # Chroma takes lists (filterable with $contains) but not empty ones: None removes the key.
    meta.update(
        tags=article.tags or None,
        edited=article.edited or None,
        also_at=article.also_at or None,
        near_duplicates=article.near_duplicates or None,
    )
    return meta


def open_store(settings: Settings) -> ChromaStore:
    """Embedded Chroma under the KB home, or the Chroma server named in settings.store.host."""
    apply_offline_env()
    import chromadb

    derived = settings.home / "derived"
    key = signing_key(settings.user_cache)
    if settings.store.host:
        client = chromadb.HttpClient(
            host=settings.store.host,
            port=settings.store.port,
            settings=chromadb.Settings(anonymized_telemetry=False),
        )
        return ChromaStore(client, settings.store.prefix, settings.embed.backend, derived, key)
    settings.home.mkdir(parents=True, exist_ok=True)
    # Two processes creating a new home at once both create Chroma's tables, and one fails
    # ("table collections already exists"): they open it one after the other.
    with open(settings.home / ".open.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        chroma = EmbeddedChroma.at(settings.home / "chroma")
        return ChromaStore(chroma, settings.store.prefix, settings.embed.backend, derived, key)
