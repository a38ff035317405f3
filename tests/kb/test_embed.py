"""The MiniLM embedder, loaded offline from its installed package, once per process."""

from __future__ import annotations

import numpy as np
import pytest

from kb.embed import MiniLMEmbedder, make_embedder
from kb.settings import EmbedSettings, Settings


def test_unit_vectors_and_meaningful_similarity() -> None:
    embedder = make_embedder(Settings())
    assert isinstance(embedder, MiniLMEmbedder)
    assert make_embedder(Settings()) is embedder  # loaded once per process
    vectors = embedder.embed(
        ["The levee failed during the flood.", "Floodwater broke through the dike.", "Bananas."]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert np.array_equal(embedder.embed(["same"]), embedder.embed(["same"]))
    assert embedder.embed([]).shape == (0, 384)


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown embedding backend 'nope'"):
        make_embedder(Settings(embed=EmbedSettings(backend="nope")))
