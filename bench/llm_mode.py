"""LLM mode against offline mode, in one run: summaries on CNN/DM and multi-hop answers on HotpotQA,
with the model's raw speed beside them.

The LLM is the endpoint KB_LLM_* names or, with none configured, the local model (`make llm`),
which this script serves itself on 127.0.0.1 for the run. Reported:
- raw speed: one request of about 900 prompt tokens and up to 150 answer tokens, streamed:
  prefill tokens/s (prompt tokens over the time to the first token) and decode tokens/s;
- summaries (first N CNN/DM articles): ROUGE-1/2/Lsum F1 of the LLM Abstract, the offline
  Abstract, Lead-3 and the file's BART output against the reference highlights; for the LLM, the
  mean faithfulness (share of the model's bullets that its cited sentences, or the closest ones,
  support: kb.support.grounding), how often it fell back (no usable summary), and seconds per
  summary;
- answers (first N HotpotQA questions, over the 994-passage corpus), scored by kb.evaluate (what
  `kb eval` reports): SQuAD exact match and token F1 of the answers the LLM wrote, the share whose
  gold answer is inside the cited quotes and inside the passages retrieved, abstentions, answers
  citing nothing, extractive answers (in LLM mode: fallbacks), and seconds per answer, for LLM
  mode and offline mode (no endpoint, whatever KB_LLM_* says) on the same index.

Reproduce (from the repo root; the defaults, 5 summaries and 10 questions, take about 17 minutes
with the 1.5B model on 2 cores, about 12 with the 0.5B):

    .venv/bin/python bench/llm_mode.py [../shared/eval] [--summaries N] [--questions N]
        [--keep DIR] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.retrieval import load_set, open_corpus  # noqa: E402
from bench.summaries import METRICS, sentences  # noqa: E402
from kb import local_model  # noqa: E402
from kb.api import KnowledgeBase  # noqa: E402
from kb.embed import make_embedder  # noqa: E402
from kb.evaluate import EvalItem, evaluate  # noqa: E402
from kb.llm import LLMError, OpenAIChat  # noqa: E402
from kb.models import Article  # noqa: E402
from kb.settings import LLMSettings, Settings  # noqa: E402
from kb.summarize import extractive_summary, llm_summary  # noqa: E402

DEFAULT_EVAL = REPO.parent / "shared" / "eval"


def endpoint() -> tuple[LLMSettings, Any]:
    """The configured endpoint, or the local model served for this run (with its process)."""
    settings = Settings().llm
    if settings.configured:
        return settings, None
    found = local_model.installed_model(settings.models)
    if not found or not local_model.runtime_version():
        raise SystemExit("skipped: no LLM (set KB_LLM_BASE_URL, or run `make llm`)")
    spec, path = found
    alias = spec.file_name.removesuffix(".gguf")
    server, base_url = local_model.start_server(path, alias)
    served = settings.model_copy(
        update={
            "base_url": base_url,
            "model": alias,
            "json_schema": True,
            "timeout": 600.0,
            "max_retries": 0,
        }
    )
    return served, server


def raw_speed(settings: LLMSettings, text: str) -> dict[str, float]:
    from openai import OpenAI

    client = OpenAI(base_url=settings.base_url, api_key=settings.api_key or "not-needed")
    prompt = " ".join(text.split()[:650])
    start = time.perf_counter()
    first = 0.0
    pieces = 0
    usage = None
    for event in client.chat.completions.create(
        model=settings.model,
        messages=[{"role": "user", "content": f"Summarise in five sentences:\n\n{prompt}"}],
        max_tokens=150,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    ):
        if event.choices and event.choices[0].delta.content:
            first = first or time.perf_counter() - start
            pieces += 1
        usage = event.usage or usage
    total = time.perf_counter() - start
    prompt_tokens = usage.prompt_tokens if usage else len(prompt.split()) * 4 // 3
    completion_tokens = usage.completion_tokens if usage else pieces
    return {
        "prompt tokens": prompt_tokens,
        "answer tokens": completion_tokens,
        "prefill tokens/s": prompt_tokens / first if first else 0.0,
        "decode tokens/s": completion_tokens / (total - first) if total > first else 0.0,
        "seconds": total,
    }


def summaries(settings: LLMSettings, path: Path, count: int) -> list[dict[str, Any]]:
    from rouge_score import rouge_scorer

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    embedder = make_embedder(Settings())
    chat = OpenAIChat(settings)

    def lines(text: str) -> str:
        return "\n".join(sentences(text))

    scores: dict[str, list[dict[str, float]]] = {}
    llm_seconds: list[float] = []
    faithfulness: list[float] = []
    failed = 0
    for number, row in enumerate(rows[:count]):
        article = Article(id=f"a{number}", title="")
        text = row["article"]
        candidates = {
            "offline Abstract": extractive_summary(article, text, embedder).abstract,
            "Lead-3": " ".join(sentences(text)[:3]),
            "published: bart": row["system_summaries"].get("bart", ""),
        }
        start = time.perf_counter()
        try:
            made = llm_summary(article, text, chat, embedder)
            candidates["LLM Abstract"] = made.abstract
            faithfulness.append(made.faithfulness or 0.0)
        except LLMError as error:
            failed += 1
            print(f"  summary {number}: {error}", file=sys.stderr)
        llm_seconds.append(time.perf_counter() - start)
        for system, candidate in candidates.items():
            got = scorer.score(lines(row["reference"]), lines(candidate))
            scores.setdefault(system, []).append({m: 100 * got[m].fmeasure for m in METRICS})
    table = []
    for system in ("LLM Abstract", "offline Abstract", "Lead-3", "published: bart"):
        per_article = scores.get(system, [])
        entry: dict[str, Any] = {"system": system, "articles": len(per_article)}
        entry |= {m: statistics.fmean(s[m] for s in per_article) for m in METRICS if per_article}
        if system == "LLM Abstract":
            entry["faithfulness"] = statistics.fmean(faithfulness) if faithfulness else 0.0
            entry["fell back"] = failed
            entry["seconds"] = statistics.fmean(llm_seconds)
        table.append(entry)
    return table


def answers(settings: LLMSettings, folder: Path, count: int, keep: Path) -> list[dict[str, Any]]:
    questions, corpus = load_set(folder, "hotpotqa")
    home = open_corpus(corpus, keep / "hotpotqa")[0].settings.home
    # Offline means no endpoint, whatever KB_LLM_* the run measures.
    offline = KnowledgeBase(settings=Settings(home=home, llm=LLMSettings()))
    if offline.llm is not None:  # an endpoint saved in the home (llm.json) applies to every KB
        raise SystemExit(
            f"{home}: remove the saved LLM endpoint (llm.json) to compare with offline"
        )
    with_llm = KnowledgeBase(settings=Settings(home=home, llm=settings))
    items = [EvalItem(question=q["question"], answers=q["answers"]) for q in questions[:count]]
    # kb eval's scores; EM and F1 only for the answers the LLM wrote.
    return [
        {"system": name} | evaluate(knowledge_base, items)
        for name, knowledge_base in (("LLM mode", with_llm), ("offline mode", offline))
    ]


def _score(row: dict[str, Any], key: str) -> str:
    """EM and F1 are measured only on answers an LLM wrote."""
    return f"{row[key]:.2f}" if key in row else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--summaries", type=int, default=5, help="CNN/DM articles")
    parser.add_argument("--questions", type=int, default=10, help="HotpotQA questions")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the HotpotQA index here")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.folder.exists():
        print(f"skipped: no eval data at {args.folder}")
        return
    settings, server = endpoint()
    try:
        cnndm = args.folder / "summ" / "cnndm.jsonl"
        speed = raw_speed(settings, json.loads(cnndm.read_text().splitlines()[0])["article"])
        print(f"LLM: {settings.model} at {settings.base_url or 'OpenAI'}, {os.cpu_count()} cores\n")
        print("| prompt tokens | answer tokens | prefill tokens/s | decode tokens/s | seconds |")
        print("|---|---|---|---|---|")
        print("| " + " | ".join(f"{speed[k]:.0f}" for k in speed) + " |\n")
        summary_rows = summaries(settings, cnndm, args.summaries)
        print("| summary | articles | R-1 | R-2 | R-Lsum | faithfulness | fell back | s each |")
        print("|---|---|---|---|---|---|---|---|")
        for row in summary_rows:
            extra = (
                f"{row['faithfulness']:.2f} | {row['fell back']} | {row['seconds']:.1f}"
                if "seconds" in row
                else " | | "
            )
            print(
                f"| {row['system']} | {row['articles']} | {row.get('rouge1', 0):.2f} "
                f"| {row.get('rouge2', 0):.2f} | {row.get('rougeLsum', 0):.2f} | {extra} |"
            )
        keep = args.keep or Path(tempfile.mkdtemp(prefix="kb-llm-bench-"))
        answer_rows = answers(settings, args.folder / "multihop", args.questions, keep)
        print("\n| answers (HotpotQA) | questions | EM | F1 | gold in quotes | gold in passages "
              "| abstained | uncited | extractive | s each |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|---|")
        for row in answer_rows:
            print(
                f"| {row['system']} | {row['questions']:.0f} | {_score(row, 'EM')} "
                f"| {_score(row, 'F1')} | {row['gold in quotes']:.2f} "
                f"| {row['gold in passages']:.2f} | {row['abstained']:.2f} "
                f"| {row['uncited']:.2f} | {row['extractive']:.2f} | {row['seconds']:.1f} |"
            )
        if args.json:
            result = {"speed": speed, "summaries": summary_rows, "answers": answer_rows}
            args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    finally:
        if server is not None:
            local_model.stop_server(server)


if __name__ == "__main__":
    main()
