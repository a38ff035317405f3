"""Shared fixtures: real parts only (embedded Chroma on disk, the MiniLM model, a local HTTP
server speaking the OpenAI protocol). The embedder loads once per process; the sample corpus is
ingested once per session into `sample_kb`, which tests must only read."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

_TESTS_DIR = Path(__file__).resolve().parent

# Offline before anything imports transformers or chromadb.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["DO_NOT_TRACK"] = "true"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
# The developer's own configuration must not leak into the tests (nor into CLI subprocesses).
for _name in [name for name in os.environ if name.startswith("KB_")]:
    del os.environ[_name]
# The ONNX copies of the model that the tests build (90 MB each) stay in the repo's build folder,
# out of the user's cache.
_MODEL_CACHE = str(_TESTS_DIR.parent / "build" / "test-models")
os.environ["KB_EMBED_CACHE"] = _MODEL_CACHE

# tests/kb and tests/ingest mirror the packages; make sure `import kb` finds the product (the repo
# root) and never the test folder of the same name, whatever directory pytest is started from.
for _path in (str(_TESTS_DIR), str(_TESTS_DIR.parent)):
    if _path in sys.path:
        sys.path.remove(_path)
    sys.path.insert(0, _path)

from fakes.openai_server import FakeOpenAIServer  # noqa: E402
from kb_helpers import DATA_DIR, FEW_ARTICLES, llm_settings  # noqa: E402

from kb.api import KnowledgeBase  # noqa: E402
from kb.models import IngestReport  # noqa: E402
from kb.settings import Settings  # noqa: E402


@pytest.fixture(autouse=True)
def _no_kb_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("KB_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("KB_EMBED_CACHE", _MODEL_CACHE)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    assert DATA_DIR.is_dir(), f"sample corpus missing at {DATA_DIR}"
    return DATA_DIR


@pytest.fixture(scope="session")
def data_files(data_dir: Path) -> list[Path]:
    files = sorted(p for p in data_dir.iterdir() if p.is_file())
    assert len(files) == 10, files
    return files


@pytest.fixture
def kb_home(tmp_path: Path) -> Path:
    return tmp_path / "kb-home"


@pytest.fixture
def kb(kb_home: Path) -> KnowledgeBase:
    """An empty knowledge base of its own (offline, extractive)."""
    return KnowledgeBase(kb_home, Settings())


@dataclass
class SampleCorpus:
    kb: KnowledgeBase
    report: IngestReport
    ids: dict[str, str]  # file name -> article id


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> SampleCorpus:
    knowledge_base = KnowledgeBase(tmp_path_factory.mktemp("sample-kb"), Settings())
    report = knowledge_base.ingest([data_dir])
    failed = [(r.path, r.reason) for r in report.results if r.status != "ingested"]
    assert not failed, failed
    ids = {Path(r.path).name: r.article_id for r in report.results}
    return SampleCorpus(knowledge_base, report, ids)


@pytest.fixture(scope="session")
def sample_kb(sample_corpus: SampleCorpus) -> KnowledgeBase:
    """Every file of data/ ingested once per session. Read only: do not ingest, delete or
    summarise through it (summaries are stored)."""
    return sample_corpus.kb


@pytest.fixture(scope="session")
def sample_texts(sample_kb: KnowledgeBase) -> dict[str, str]:
    """Article id -> the clean text every offset points into."""
    return {a.id: sample_kb.article(a.id).text or "" for a in sample_kb.articles()}


@pytest.fixture(scope="session")
def _shared_openai_server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(model="fake-model") as server:
        yield server


@pytest.fixture
def openai_server(_shared_openai_server: FakeOpenAIServer) -> FakeOpenAIServer:
    """The local OpenAI-compatible server (one per session), reset for each test: default reply,
    not failing, no recorded requests."""
    server = _shared_openai_server
    server.reply = "OK [1]."
    server.fail = False
    server.fail_status = 500
    server.chunk_size = 7
    server.drop_stream_after = None
    server.requests.clear()
    return server


@pytest.fixture(scope="session")
def _shared_llm_kb(
    _shared_openai_server: FakeOpenAIServer, tmp_path_factory: pytest.TempPathFactory
) -> KnowledgeBase:
    knowledge_base = KnowledgeBase(
        tmp_path_factory.mktemp("llm-kb"), llm_settings(_shared_openai_server, max_retries=0)
    )
    before = len(_shared_openai_server.requests)
    report = knowledge_base.ingest([DATA_DIR / name for name in FEW_ARTICLES])
    assert [r.status for r in report.results] == ["ingested"] * len(FEW_ARTICLES), report
    assert len(_shared_openai_server.requests) == before, "ingesting must not call the LLM"
    return knowledge_base


@pytest.fixture
def llm_kb(
    openai_server: FakeOpenAIServer, _shared_llm_kb: KnowledgeBase
) -> Iterator[KnowledgeBase]:
    """A knowledge base answering through the fake OpenAI server, holding three small articles.

    Shared by the tests that use it (ingesting takes seconds): tests may ask, summarise and
    change `settings.llm`; stored summaries and LLM settings are reset afterwards. Do not ingest
    or delete through it. Retries are off so failure tests stay quick."""
    knowledge_base = _shared_llm_kb
    llm = knowledge_base.settings.llm.model_copy()
    yield knowledge_base
    for field in type(llm).model_fields:
        setattr(knowledge_base.settings.llm, field, getattr(llm, field))
    summaries = knowledge_base.store.summary_rows.get(include=[])["ids"]
    if summaries:
        knowledge_base.store.summary_rows.delete(ids=summaries)


@pytest.fixture(scope="session")
def page_server(data_dir: Path) -> Iterator[str]:
    """The sample corpus served over HTTP on 127.0.0.1 (URL ingestion needs the allow-list)."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(data_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
