"""Split clean text into overlapping, sentence-aware chunks that keep exact offsets into the text."""

from __future__ import annotations

from kb.models import Chunk
from kb.settings import ChunkSettings

# Paragraphs first, then lines, then sentence ends, then clauses: a chunk breaks at the
# largest natural boundary that keeps it under the size.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


def chunk_id(article_id: str, index: int) -> str:
    return f"{article_id}:{index:04d}"


def chunk_text(article_id: str, text: str, settings: ChunkSettings) -> list[Chunk]:
    # Imported here: it costs half a second, which the app's first page should not wait for.
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=settings.size,
        chunk_overlap=settings.overlap,
        separators=_SEPARATORS,
        keep_separator="end",
        add_start_index=True,
        strip_whitespace=True,
    )
    chunks: list[Chunk] = []
    for document in splitter.create_documents([text]):
        piece = document.page_content
        start = int(document.metadata["start_index"])
        # The splitter locates chunks with str.find, which can land on an earlier copy of the same
        # words; a chunk must start after the previous one and reach past its end.
        earliest = max(chunks[-1].start + 1, chunks[-1].end - len(piece) + 1) if chunks else 0
        if start < earliest or text[start : start + len(piece)] != piece:
            start = text.index(piece, earliest)
        chunks.append(
            Chunk(
                id=chunk_id(article_id, len(chunks)),
                article_id=article_id,
                index=len(chunks),
                start=start,
                end=start + len(piece),
                text=piece,
            )
        )
    return chunks
