"""Find the passages that answer a question: dense vector search over all chunks (for now)."""

from __future__ import annotations

from kb.embed import Embedder
from kb.models import Hit
from kb.store import Store


class Retriever:
    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder

    def search(self, question: str, k: int) -> list[Hit]:
        if not question.strip():
            return []
        return self.store.query(self.embedder.embed([question])[0], k)
