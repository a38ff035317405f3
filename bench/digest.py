"""Cross-article digests against human multi-document summaries: kb's offline digest overview next
to Lead-3 of the first article and Lead-3 of every article, in one run.

For each Multi-News cluster (`documents`: 2-10 news articles on one story, `summary`: a human
summary): ROUGE-1, -2 and -Lsum F1 (rouge-score, stemmed; Lsum over one sentence per line) of the
overview of `kb.digest.extractive_digest` (what `kb digest` shows first with no LLM), of Lead-3 of
the first article, and of the first three sentences of each article, concatenated; plus the mean
length in words of each, and kb's time per digest (embedding included).

Reproduce (from the repo root):

    .venv/bin/python bench/digest.py [../shared/eval/multinews/multinews.jsonl] [--limit N] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.summaries import METRICS, sentences  # noqa: E402
from kb.digest import extractive_digest  # noqa: E402
from kb.embed import make_embedder  # noqa: E402
from kb.models import Article  # noqa: E402
from kb.settings import Settings  # noqa: E402

DEFAULT = REPO.parent / "shared" / "eval" / "multinews" / "multinews.jsonl"


def bench(path: Path, limit: int | None) -> list[dict[str, Any]]:
    from rouge_score import rouge_scorer

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = rows[:limit] if limit else rows
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    embedder = make_embedder(Settings())
    embedder.embed(["warm up"])
    scores: dict[str, list[dict[str, float]]] = {}
    words: dict[str, list[int]] = {}
    seconds: list[float] = []
    for row in rows:
        documents = [d for d in row["documents"] if d.strip()]
        articles = [
            Article(id=f"{row['id']}-{n}", title="", source=f"document {n}", text=text)
            for n, text in enumerate(documents, start=1)
        ]
        start = time.perf_counter()
        digest = extractive_digest(articles, embedder, scope=row["id"])
        seconds.append(time.perf_counter() - start)
        candidates = {
            "kb offline digest (overview)": [point.text for point in digest.overview],
            "Lead-3 of the first article": sentences(documents[0])[:3],
            "Lead-3 of every article": [s for d in documents for s in sentences(d)[:3]],
        }
        reference = "\n".join(sentences(row["summary"]))
        for system, chosen in candidates.items():
            got = scorer.score(reference, "\n".join(chosen))
            scores.setdefault(system, []).append({m: 100 * got[m].fmeasure for m in METRICS})
            words.setdefault(system, []).append(sum(len(s.split()) for s in chosen))
    words["human summary"] = [len(row["summary"].split()) for row in rows]
    table = []
    for system, per_cluster in scores.items():
        entry: dict[str, Any] = {"system": system, "clusters": len(per_cluster)}
        entry |= {m: statistics.fmean(s[m] for s in per_cluster) for m in METRICS}
        entry["words"] = statistics.fmean(words[system])
        if system.startswith("kb"):
            entry["ms"] = 1000 * statistics.fmean(seconds)
        table.append(entry)
    table.append({"system": "human summary", "words": statistics.fmean(words["human summary"])})
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, help="first N clusters")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.file.exists():
        print(f"skipped: no Multi-News data at {args.file}")
        return
    rows = bench(args.file, args.limit)
    print("ROUGE F1 × 100 (rouge-score, stemmed), mean over clusters; words: mean length;")
    print("ms: kb's time per digest.\n")
    print("| system | clusters | R-1 | R-2 | R-Lsum | words | ms |\n|---|---|---|---|---|---|---|")
    for row in rows:
        if "rouge1" not in row:
            print(f"| {row['system']} | | | | | {row['words']:.0f} | |")
            continue
        ms = f"{row['ms']:.0f}" if "ms" in row else ""
        print(
            f"| {row['system']} | {row['clusters']} | {row['rouge1']:.2f} | {row['rouge2']:.2f} "
            f"| {row['rougeLsum']:.2f} | {row['words']:.0f} | {ms} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
