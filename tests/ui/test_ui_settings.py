"""Settings: the LLM endpoint (tested against the local OpenAI-protocol server, then saved and
used) and the index figures."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from _ui_helpers import assert_no_exception, open_app, rendered_text, visible_text
from fakes.openai_server import FakeOpenAIServer
from streamlit.testing.v1 import AppTest

from kb import KnowledgeBase


def _fill(at: AppTest, base_url: str, model: str, key: str) -> None:
    form = at.get("form")[0]
    fields = {field.label: field for field in form.text_input}
    fields["Endpoint (OpenAI-compatible base URL)"].input(base_url)
    fields["Model"].input(model)
    next(f for label, f in fields.items() if label.startswith("API key")).input(key)


def _press(at: AppTest, label: str) -> None:
    [button] = [b for b in at.get("form")[0].button if b.label == label]
    button.click()
    at.run()
    assert_no_exception(at)


def test_test_connection_reports_success_and_failure(
    ui_home: Path, openai_server: FakeOpenAIServer
) -> None:
    at = open_app("settings.py")
    assert "Offline extractive" in visible_text(at)
    key_field = next(f for f in at.get("form")[0].text_input if f.label == "API key")
    assert key_field.proto.type == key_field.proto.PASSWORD  # masked

    _fill(at, openai_server.url, "fake-model", "secret-key")
    _press(at, "Test connection")
    assert any("Connected: fake-model answered" in rendered_text(s.value) for s in at.success), (
        visible_text(at)
    )
    assert openai_server.chat_requests()  # it really asked
    assert "Offline extractive" in rendered_text(
        at.sidebar.markdown[0].value
    )  # a test changes nothing

    openai_server.fail = True
    _press(at, "Test connection")
    assert any(rendered_text(e.value).startswith("No answer: ") for e in at.error)

    _fill(at, "", "fake-model", "")
    _press(at, "Test connection")
    assert any("no endpoint and no API key" in rendered_text(e.value) for e in at.error)
    assert not (ui_home / "llm.json").exists()


def test_save_and_use_switches_mode_now_and_at_the_next_start(
    ui_home: Path, openai_server: FakeOpenAIServer
) -> None:
    at = open_app("settings.py")
    _fill(at, openai_server.url, "fake-model", "secret-key")
    _press(at, "Save and use")
    assert "LLM: fake-model" in rendered_text(at.sidebar.markdown[0].value)
    assert any("Saved" in rendered_text(s.value) for s in at.success)

    saved = ui_home / "llm.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert json.loads(saved.read_text())["api_key"] == "secret-key"
    again = KnowledgeBase()  # a new process reads the saved choice
    assert again.mode == "llm" and again.settings.llm.base_url == openai_server.url

    # The key never goes back to the browser; an empty field keeps it.
    [key_field] = [f for f in at.get("form")[0].text_input if f.label.startswith("API key")]
    assert key_field.value == "" and "one is set" in key_field.label
    assert "secret-key" not in str(at.get("form")[0].proto)

    _fill(at, "", "fake-model", "")
    at.get("form")[0].checkbox[0].check()  # "Remove the key"
    _press(at, "Save and use")
    assert "Offline extractive" in rendered_text(at.sidebar.markdown[0].value)
    assert KnowledgeBase().mode == "extractive"
    assert json.loads(saved.read_text()) == {
        "base_url": None,
        "api_key": None,
        "model": "fake-model",
    }


def test_the_environment_wins_over_the_saved_endpoint(
    ui_home: Path, openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ui_home.mkdir(parents=True)
    (ui_home / "llm.json").write_text(json.dumps({"base_url": "http://127.0.0.1:9/v1"}))
    assert KnowledgeBase().settings.llm.base_url == "http://127.0.0.1:9/v1"
    monkeypatch.setenv("KB_LLM_BASE_URL", openai_server.url)
    assert KnowledgeBase().settings.llm.base_url == openai_server.url
    at = open_app("settings.py")
    assert "KB_LLM_BASE_URL or KB_LLM_API_KEY" in visible_text(at)
    _fill(at, openai_server.url, "other-model", "")
    _press(at, "Save and use")  # for this run only: the environment's key never goes to disk
    assert "other-model" in rendered_text(at.sidebar.markdown[0].value)
    assert json.loads((ui_home / "llm.json").read_text())["base_url"] == "http://127.0.0.1:9/v1"


def test_a_broken_saved_endpoint_file_is_named(ui_home: Path) -> None:
    ui_home.mkdir(parents=True)
    (ui_home / "llm.json").write_text("{not json")
    at = AppTest.from_file(str(Path(__file__).parents[2] / "ui" / "app.py"), default_timeout=120)
    at.run()
    assert any("llm.json is not a saved LLM endpoint" in rendered_text(e.value) for e in at.error)


def test_index_figures(ui_kb: KnowledgeBase) -> None:
    at = open_app("settings.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "3"
    assert metrics["Chunks"] == str(sum(a.chunks for a in ui_kb.articles()))
    assert metrics["Summaries"] == "0"
    assert float(metrics["On disk"].split()[0]) > 0
    assert "embedded Chroma" in visible_text(at)


def test_an_address_that_is_no_url_is_named_before_any_request(ui_home: Path) -> None:
    at = open_app("settings.py")
    for button in ("Test connection", "Save and use"):
        _fill(at, "not a url", "fake-model", "")
        _press(at, button)
        assert [rendered_text(e.value).strip() for e in at.error] == [
            "“not a url” is not a valid http(s) URL: write the whole address, "
            "e.g. http://127.0.0.1:11434/v1."
        ]
    assert not (ui_home / "llm.json").exists()  # nothing saved
    assert "Offline extractive" in rendered_text(at.sidebar.markdown[0].value)


def test_save_and_use_tests_the_endpoint_and_warns_when_it_does_not_answer(
    ui_home: Path, openai_server: FakeOpenAIServer
) -> None:
    at = open_app("settings.py")
    openai_server.fail = True
    _fill(at, openai_server.url, "fake-model", "")
    _press(at, "Save and use")
    [warning] = [rendered_text(w.value).strip() for w in at.warning]
    assert warning.startswith(f"Saved. Mode: LLM: fake-model at {openai_server.url}.")
    assert "did not answer a test request, though: No answer: " in warning
    assert openai_server.chat_requests()  # it really asked
    assert json.loads((ui_home / "llm.json").read_text())["base_url"] == openai_server.url

    openai_server.fail = False
    _press(at, "Save and use")  # the form keeps what was typed
    assert not at.warning
    assert any(rendered_text(s.value).startswith("Saved. Mode: LLM") for s in at.success)
