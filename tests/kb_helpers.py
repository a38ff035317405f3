"""Helpers shared by the test modules (conftest.py holds the fixtures)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from fakes.openai_server import FakeOpenAIServer

from kb.models import Answer
from kb.settings import LLMSettings, RetrieveSettings, Settings

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parent
DATA_DIR = REPO / "data"
EVAL_DOCS = REPO.parent / "shared" / "eval" / "docs"

# Small articles (fast to parse) for knowledge bases that tests write to.
FEW_ARTICLES = (
    "millbrook-council-rebuild-vote.txt",
    "millbrook-flood-ledger.md",
    "voltaic-vx40-consumer-safety.md",
)

MARKER = re.compile(r"\[(\d+)\]")


def llm_settings(server: FakeOpenAIServer | str, llm_steps: int = 0, **llm: object) -> Settings:
    """Settings answering through an OpenAI-compatible endpoint (a fake server or a URL). The
    search in steps (one more request per question) is off unless asked for: the tests of the
    answer itself count and read its one request; tests/kb/test_decompose.py tests the steps."""
    url = server if isinstance(server, str) else server.url
    options: dict[str, object] = {"base_url": url, "model": "fake-model", "timeout": 30.0}
    options.update(llm)
    return Settings(
        llm=LLMSettings(**options),  # type: ignore[arg-type]
        retrieve=RetrieveSettings(llm_steps=llm_steps),
    )


def closed_port_url() -> str:
    """A base_url on 127.0.0.1 where nothing listens (the port was just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def run_python(code: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -c code` in a fresh process, from the repo root."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def markers(text: str) -> list[int]:
    """The [n] citation markers of an answer, in order."""
    return [int(n) for n in MARKER.findall(text)]


def assert_citations_exact(answer: Answer, texts: dict[str, str]) -> None:
    """Every citation quotes its article exactly at its offsets; markers and citations match."""
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert set(markers(answer.answer)) == {c.n for c in answer.citations}
    for citation in answer.citations:
        text = texts[citation.article_id]
        assert 0 <= citation.start < citation.end <= len(text)
        assert text[citation.start : citation.end] == citation.quote
        assert citation.chunk_id.startswith(citation.article_id + ":")
