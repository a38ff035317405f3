"""One settings tree for the whole product.

Everything configurable lives here, read from `KB_*` environment variables (nested with a single
underscore: `KB_LLM_BASE_URL` sets `llm.base_url`) or from a TOML file named by `KB_CONFIG`.
Defaults work offline with nothing configured.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

# Libraries we use would otherwise phone home or try the model hub; we run offline.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "DO_NOT_TRACK": "true",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def _user_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kb"


def apply_offline_env() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class LLMSettings(BaseModel):
    """An OpenAI-compatible endpoint; with no base_url and no api_key the product runs extractive."""

    base_url: str | None = None
    api_key: str | None = None
    model: str = "gpt-4o-mini"
    timeout: float = 120.0
    max_retries: int = 1
    temperature: float = 0.0
    max_tokens: int = 700
    stream: bool = True
    json_schema: bool = Field(
        default=False,
        description="send the expected JSON schema with JSON requests; llama.cpp's server then "
        "constrains the model's output to it (the local model is served with this on)",
    )
    models: Path = Field(
        default_factory=lambda: _user_cache() / "llm",
        description="where `kb llm assemble` puts local GGUF models (verified by sha256)",
    )
    part_chars: int = Field(
        default=8000,
        ge=500,
        description="article text per summary call; a longer article is summarised in parts, "
        "then merged (keep it well inside the model's context window)",
    )

    @property
    def configured(self) -> bool:
        return bool(self.base_url or self.api_key)


SAVED_LLM = "llm.json"


class SavedLLM(BaseModel):
    """The endpoint a user chose on the UI's Settings page; empty fields mean "none"."""

    base_url: str | None = None
    api_key: str | None = None
    model: str = "gpt-4o-mini"
    # How the server was tuned when this was saved (None: the defaults); kept with it so that
    # the local model's long timeout, no retries and schema-bound JSON outlast a restart.
    timeout: float | None = None
    max_retries: int | None = None
    json_schema: bool | None = None

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        """Checked before any request: "cannot reach not a url" would blame the network."""
        if not value:
            return value
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"“{value}” is not a valid http(s) URL: write the whole address, "
                "e.g. http://127.0.0.1:11434/v1."
            )
        return value.strip()

    def applied_to(self, llm: LLMSettings) -> LLMSettings:
        """`llm` pointed at this endpoint. What was tuned for the server is kept when it is the
        same one (saving the local model's address unchanged must not cut its 600 s timeout to
        120 s), and goes back to the defaults for another server, unless saved with it."""
        tuned = llm if self.base_url == llm.base_url else LLMSettings()
        kept = {name: getattr(tuned, name) for name in _TUNING}
        saved = {name: value for name in _TUNING if (value := getattr(self, name)) is not None}
        return llm.model_copy(
            update={
                "base_url": self.base_url,
                "api_key": self.api_key,
                "model": self.model,
                **kept,
                **saved,
            }
        )

    def tuned_as(self, llm: LLMSettings) -> SavedLLM:
        """This choice with `llm`'s tuning, if `llm` is its server: what to save."""
        if not self.base_url or self.base_url != llm.base_url:  # none, or another server
            return self
        return self.model_copy(update={name: getattr(llm, name) for name in _TUNING})


_TUNING = ("timeout", "max_retries", "json_schema")


class ChunkSettings(BaseModel):
    size: int = Field(default=900, gt=50, description="target chunk length in characters")
    overlap: int = Field(default=150, ge=0, description="characters shared by neighbouring chunks")

    @model_validator(mode="after")
    def _overlap_below_size(self) -> ChunkSettings:
        if self.overlap >= self.size:
            raise ValueError(
                f"chunk overlap ({self.overlap}) must be below chunk size ({self.size})"
            )
        return self


class EmbedSettings(BaseModel):
    """`minilm-int8` is the faster int8 ONNX copy of the same model (kb.embed); a knowledge base
    keeps the backend it was built with."""

    backend: Literal["minilm", "minilm-int8"] = "minilm"
    batch_size: int = Field(default=16, gt=0, description="texts per forward pass")
    cache: Path = Field(
        default_factory=lambda: _user_cache() / "models",
        description="ONNX copies of the model, built from the installed weights on first use",
    )


class IngestSettings(BaseModel):
    workers: int = Field(
        default=1,
        ge=0,
        description="processes reading and chunking files while the main one embeds (0: inline)",
    )
    embed_batch: int = Field(
        default=256,
        gt=0,
        description="chunks gathered across articles before embedding them (progress comes per group)",
    )


class FetchSettings(BaseModel):
    """Fetching articles from URLs. Private, loopback and link-local addresses are refused
    (SSRF) unless named here, e.g. KB_FETCH_ALLOW_HOSTS=127.0.0.1,intranet.local (or a JSON
    list)."""

    timeout: float = 20.0  # per connect/read
    total_timeout: float = 60.0  # for the whole download, however slowly the bytes come
    max_redirects: int = 5
    allow_hosts: Annotated[list[str], NoDecode] = []
    user_agent: str = "kb/0.1 (offline-first article knowledge base)"

    @field_validator("allow_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: Any) -> Any:
        """A JSON list or, as a refusal's message suggests, plain names separated by commas."""
        if not isinstance(value, str):
            return value
        if value.strip().startswith("["):
            return json.loads(value)
        return [host.strip() for host in value.split(",") if host.strip()]


class StoreSettings(BaseModel):
    """Embedded Chroma under `home` unless `host` names a Chroma server."""

    host: str | None = None
    port: int = 8000
    prefix: str = "kb"


class RetrieveSettings(BaseModel):
    hybrid: bool = Field(default=True, description="fuse BM25 with dense search (else dense only)")
    pool: int = Field(default=40, gt=0, description="candidates taken from each ranking")
    rrf_k: int = Field(default=60, gt=0, description="reciprocal rank fusion's damping constant")
    max_chunks_per_article: int = Field(
        default=3, gt=0, description="passages one article may contribute to an answer's context"
    )
    hops: int = Field(
        default=2, ge=0, description="times to follow the articles that the best ones name (0: off)"
    )
    hop_seeds: int = Field(default=5, gt=0, description="best articles whose links are followed")
    follow_ups: bool = Field(
        default=True,
        description="search again with the names the best articles add to the question",
    )
    hop_decay: float = Field(
        default=0.9, gt=0, le=1, description="a named article's score against its namer's"
    )
    llm_steps: int = Field(
        default=1,
        ge=0,
        description="with an LLM: searches for a missing fact it names after reading (0: off)",
    )


class AnswerSettings(BaseModel):
    k: int = 8
    max_sentences: int = 4
    max_sentences_per_article: int = 2
    min_relevance: float = Field(
        default=0.35, description="below this question/sentence relevance the answer abstains"
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KB_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
    )

    home: Path = Path(".kb")
    user_cache: Path = Field(
        default_factory=lambda: _user_cache(),
        description="this user's own files: the key that signs the saved derived indexes",
    )
    llm: LLMSettings = LLMSettings()
    chunk: ChunkSettings = ChunkSettings()
    embed: EmbedSettings = EmbedSettings()
    ingest: IngestSettings = IngestSettings()
    store: StoreSettings = StoreSettings()
    fetch: FetchSettings = FetchSettings()
    retrieve: RetrieveSettings = RetrieveSettings()
    answer: AnswerSettings = AnswerSettings()
    max_file_mb: float = 50.0

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
        config_file = os.environ.get("KB_CONFIG")
        if config_file:
            if not Path(config_file).is_file():  # the TOML source reads it as empty, silently
                raise FileNotFoundError("no such file")
            sources += (TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)),)
        return sources

    def with_saved_llm(self) -> Settings:
        """With the endpoint saved on the UI's Settings page (`home/llm.json`), unless the
        environment or KB_CONFIG names one: what is set explicitly at start-up wins."""
        saved = self.home / SAVED_LLM
        if self.llm.configured or not saved.is_file():
            return self
        try:
            choice = SavedLLM.model_validate_json(saved.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(
                f"{saved} is not a saved LLM endpoint (fix or delete it): {error}"
            ) from error
        return self.model_copy(update={"llm": choice.applied_to(self.llm)})

    @property
    def has_saved_llm(self) -> bool:
        """A choice was saved, "none" included: `kb ui` then does not start the local model."""
        return (self.home / SAVED_LLM).is_file()

    def save_llm(self, choice: SavedLLM) -> None:
        """Kept for the next start; readable by this user only, since it may hold an API key."""
        self.home.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=self.home, prefix=f".{SAVED_LLM}.")  # 0600
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            chosen = choice.tuned_as(self.llm)
            untuned = {name for name in _TUNING if getattr(chosen, name) is None}
            file.write(chosen.model_dump_json(indent=1, exclude=untuned))
        os.replace(partial, self.home / SAVED_LLM)


class InvalidSettings(Exception):
    """Settings that cannot be read, one problem a line, each named as the user set it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


_EXPECTED = {  # what pydantic's parsing errors ask for, in the words of a setting
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
}


def read_settings() -> Settings:
    """Settings(), or InvalidSettings: pydantic's own message ran to a paragraph with a link to
    errors.pydantic.dev, where `KB_MAX_FILE_MB=abc` needs "KB_MAX_FILE_MB: must be a number"."""
    try:
        return Settings()
    except ValidationError as error:
        raise InvalidSettings([_problem(detail) for detail in error.errors()]) from None
    except (OSError, ValueError) as error:  # KB_CONFIG's file: missing, unreadable, not TOML
        raise InvalidSettings([f"KB_CONFIG: {os.environ.get('KB_CONFIG')}: {error}"]) from None


def _problem(detail: ErrorDetails) -> str:
    said = detail["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
    if isinstance(detail["input"], dict):  # a check across a section's settings (chunk overlap)
        return said
    expected = _EXPECTED.get(detail["type"], said)
    return f"{_setting_name(detail['loc'])}: {expected} (got {detail['input']!r})"


def _setting_name(location: tuple[int | str, ...]) -> str:
    """KB_CHUNK_SIZE as set in the environment; chunk.size in KB_CONFIG's file otherwise."""
    variable = "KB_" + "_".join(map(str, location)).upper()
    config = os.environ.get("KB_CONFIG")
    if not config or variable in {name.upper() for name in os.environ}:
        return variable
    return f"{'.'.join(map(str, location))} in {config}"
