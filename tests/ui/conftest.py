"""Fixtures for the UI tests: a fresh KB_HOME per test, filled through the real KnowledgeBase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from _ui_helpers import DATA, SAMPLE_FILES, HeldLLM
from fakes.openai_server import FakeOpenAIServer

from kb import KnowledgeBase


@pytest.fixture
def ui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty, offline, extractive knowledge base home; the app's cached KB is reset."""
    home = tmp_path / "kb-home"
    monkeypatch.setenv("KB_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    for name in ("KB_CONFIG", "KB_LLM_BASE_URL", "KB_LLM_API_KEY", "KB_STORE_HOST"):
        monkeypatch.delenv(name, raising=False)
    st.cache_resource.clear()  # process-global: the app must open this test's KB_HOME
    yield home
    st.cache_resource.clear()


@pytest.fixture
def ui_kb(ui_home: Path) -> KnowledgeBase:
    """The knowledge base in `ui_home` with three sample articles ingested."""
    knowledge_base = KnowledgeBase()
    assert knowledge_base.settings.home == ui_home
    report = knowledge_base.ingest([DATA / name for name in SAMPLE_FILES])
    assert [result.status for result in report.results] == ["ingested"] * 3, report
    return knowledge_base


@pytest.fixture
def held_llm(
    ui_home: Path, openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HeldLLM]:
    """The app's LLM is the local fake, holding each summary back until released (at the test's
    end at the latest, so no upload's thread waits on into the next test)."""
    held = HeldLLM()
    openai_server.reply = held.reply
    monkeypatch.setenv("KB_LLM_BASE_URL", openai_server.url)
    monkeypatch.setenv("KB_LLM_MAX_RETRIES", "0")
    yield held
    held.release()
