"""Settings come from KB_* environment variables and the TOML file named by KB_CONFIG."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from kb.api import KnowledgeBase
from kb.llm import make_llm
from kb.settings import InvalidSettings, LLMSettings, SavedLLM, Settings, read_settings


def test_defaults_work_offline_with_nothing_configured() -> None:
    settings = Settings()
    assert settings.home == Path(".kb")
    assert settings.llm.base_url is None and settings.llm.api_key is None
    assert not settings.llm.configured
    assert make_llm(settings.llm) is None
    assert settings.chunk.overlap < settings.chunk.size
    assert settings.max_file_mb > 0


def test_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KB_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("KB_LLM_MODEL", "llama3.2")
    monkeypatch.setenv("KB_LLM_API_KEY", "sk-test")
    monkeypatch.setenv("KB_LLM_STREAM", "false")
    monkeypatch.setenv("KB_MAX_FILE_MB", "2.5")
    monkeypatch.setenv("KB_CHUNK_SIZE", "400")
    monkeypatch.setenv("KB_ANSWER_MIN_RELEVANCE", "0.2")
    settings = Settings()
    assert settings.home == tmp_path / "home"
    assert settings.llm.base_url == "http://127.0.0.1:9/v1"
    assert settings.llm.model == "llama3.2"
    assert settings.llm.api_key == "sk-test"
    assert settings.llm.stream is False
    assert settings.llm.configured
    assert settings.max_file_mb == 2.5
    assert settings.chunk.size == 400 and settings.chunk.overlap == 150
    assert settings.answer.min_relevance == 0.2


@pytest.mark.parametrize(
    ("value", "hosts"),
    [
        ("127.0.0.1", ["127.0.0.1"]),
        ("127.0.0.1, intranet.local", ["127.0.0.1", "intranet.local"]),
        ('["127.0.0.1"]', ["127.0.0.1"]),
    ],
)
def test_fetch_allow_hosts_as_the_refusal_names_them(
    monkeypatch: pytest.MonkeyPatch, value: str, hosts: list[str]
) -> None:
    """A refused private address says "add it to KB_FETCH_ALLOW_HOSTS": `=127.0.0.1` then made
    every command (and `kb ui`, with a traceback) fail, as only a JSON list was read."""
    monkeypatch.setenv("KB_FETCH_ALLOW_HOSTS", value)
    assert Settings().fetch.allow_hosts == hosts


def test_api_key_alone_configures_the_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_LLM_API_KEY", "sk-test")
    settings = Settings()
    assert settings.llm.configured and settings.llm.base_url is None


def test_knowledge_base_reads_home_and_llm_from_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KB_HOME", str(tmp_path / "env-home"))
    monkeypatch.setenv("KB_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("KB_LLM_MODEL", "env-model")
    knowledge_base = KnowledgeBase()
    assert knowledge_base.settings.home == tmp_path / "env-home"
    assert (tmp_path / "env-home" / "chroma").is_dir()
    assert knowledge_base.mode == "llm"
    assert "env-model" in knowledge_base.mode_label
    assert "http://127.0.0.1:9/v1" in knowledge_base.mode_label


def test_explicit_home_wins_over_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KB_HOME", str(tmp_path / "env-home"))
    knowledge_base = KnowledgeBase(tmp_path / "given")
    assert knowledge_base.settings.home == tmp_path / "given"
    assert knowledge_base.mode == "extractive"
    assert knowledge_base.mode_label.startswith("Offline extractive")
    assert not (tmp_path / "env-home").exists()


def test_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "kb.toml"
    config.write_text(
        f"""
home = "{tmp_path / "toml-home"}"
max_file_mb = 3

[llm]
base_url = "http://toml.invalid/v1"
model = "toml-model"
stream = false

[chunk]
size = 500
overlap = 50

[answer]
k = 5
"""
    )
    monkeypatch.setenv("KB_CONFIG", str(config))
    settings = Settings()
    assert settings.home == tmp_path / "toml-home"
    assert settings.max_file_mb == 3
    assert settings.llm == LLMSettings(
        base_url="http://toml.invalid/v1", model="toml-model", stream=False
    )
    assert (settings.chunk.size, settings.chunk.overlap) == (500, 50)
    assert settings.answer.k == 5


def test_env_overrides_config_file_field_by_field(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "kb.toml"
    config.write_text('[llm]\nbase_url = "http://toml.invalid/v1"\nmodel = "toml-model"\n')
    monkeypatch.setenv("KB_CONFIG", str(config))
    monkeypatch.setenv("KB_LLM_MODEL", "env-model")
    settings = Settings()
    assert settings.llm.model == "env-model"
    assert settings.llm.base_url == "http://toml.invalid/v1"


def test_init_arguments_override_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_MAX_FILE_MB", "9")
    assert Settings(max_file_mb=1).max_file_mb == 1


def test_no_kb_variables_leak_into_tests() -> None:
    import os

    # Only the folder of the tests' own copies of the model (tests/conftest.py).
    assert [name for name in os.environ if name.startswith("KB_")] == ["KB_EMBED_CACHE"]
    assert os.environ["KB_EMBED_CACHE"].endswith("build/test-models")
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_saving_the_same_server_keeps_its_tuning_across_a_restart(tmp_path: Path) -> None:
    """Saving the local model's address unchanged on the Settings page cut its timeout from
    600 s to 120 s (its answers take minutes), turned schema-bound JSON off and retries on."""
    local = LLMSettings(
        base_url="http://127.0.0.1:8012/v1", model="qwen", timeout=600, max_retries=0,
        json_schema=True,
    )  # fmt: skip
    same = SavedLLM(base_url="http://127.0.0.1:8012/v1", model="qwen")
    applied = same.applied_to(local)
    assert (applied.timeout, applied.max_retries, applied.json_schema) == (600, 0, True)
    other = SavedLLM(base_url="https://api.example.com/v1", api_key="sk", model="gpt")
    defaults = LLMSettings()
    switched = other.applied_to(local)
    assert (switched.timeout, switched.max_retries, switched.json_schema) == (
        defaults.timeout, defaults.max_retries, defaults.json_schema,
    )  # fmt: skip
    # Saved, the tuning comes back at the next start, when nothing else names the server.
    Settings(home=tmp_path, llm=applied).save_llm(same)
    restarted = Settings(home=tmp_path).with_saved_llm().llm
    assert (restarted.base_url, restarted.timeout, restarted.max_retries) == (
        "http://127.0.0.1:8012/v1", 600, 0,
    )  # fmt: skip


@pytest.mark.parametrize("address", ["not a url", "ftp://host/v1", "127.0.0.1:8012"])
def test_a_saved_endpoint_is_an_http_url(address: str) -> None:
    with pytest.raises(ValidationError, match="is not a valid http\\(s\\) URL"):
        SavedLLM(base_url=address)
    assert SavedLLM(base_url="").base_url == ""  # none: extractive


def test_invalid_settings_are_named_as_they_were_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pydantic's message named `max_file_mb`, a name set nowhere, with a link to its site."""
    config = tmp_path / "kb.toml"
    config.write_text('max_file_mb = "big"\n[chunk]\nsize = 10\n')
    monkeypatch.setenv("KB_CONFIG", str(config))
    monkeypatch.setenv("KB_LLM_STREAM", "maybe")
    monkeypatch.setenv("KB_EMBED_BACKEND", "other")
    with pytest.raises(InvalidSettings) as refused:
        read_settings()
    assert sorted(refused.value.problems) == [
        "KB_EMBED_BACKEND: must be 'minilm' or 'minilm-int8' (got 'other')",
        "KB_LLM_STREAM: must be true or false (got 'maybe')",
        f"chunk.size in {config}: must be greater than 50 (got 10)",
        f"max_file_mb in {config}: must be a number (got 'big')",
    ]
    config.write_text("size = = 1\n")
    with pytest.raises(InvalidSettings) as unreadable:
        read_settings()
    assert unreadable.value.problems == [
        f"KB_CONFIG: {config}: Invalid value (at line 1, column 8)"
    ]


def test_a_config_file_that_is_not_there_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A misspelt KB_CONFIG path was read as an empty file: every setting in it silently lost."""
    missing = tmp_path / "kb.tmol"
    monkeypatch.setenv("KB_CONFIG", str(missing))
    with pytest.raises(InvalidSettings) as refused:
        read_settings()
    assert refused.value.problems == [f"KB_CONFIG: {missing}: no such file"]
    monkeypatch.setenv("KB_CONFIG", str(tmp_path))  # a folder is no settings file either
    with pytest.raises(InvalidSettings):
        read_settings()
