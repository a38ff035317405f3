"""Per-article summaries against reference summaries: kb's offline Abstract next to Lead-k and the
published systems' outputs on the same articles, in one run.

For each article of a FRANK-format file (`article`, `reference`, `system_summaries`): ROUGE-1, -2
and -Lsum F1 (rouge-score, stemmed; Lsum over one sentence per line) of kb's extractive Abstract
(`kb.summarize.extractive_summary`, the summary the product shows offline), of Lead-3 and Lead-1
(the article's first sentences, split by kb's own splitter), and of every system output in the
file; and the time kb takes per summary (embedding included).

Reproduce (from the repo root):

    .venv/bin/python bench/summaries.py [../shared/eval/summ/cnndm.jsonl ../shared/eval/summ/xsum.jsonl]
        [--limit N] [--json out.json]
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

from kb.embed import make_embedder  # noqa: E402
from kb.models import Article  # noqa: E402
from kb.settings import Settings  # noqa: E402
from kb.summarize import extractive_summary  # noqa: E402
from kb.text import sentence_spans  # noqa: E402

EVAL = REPO.parent / "shared" / "eval" / "summ"
DEFAULT_FILES = [EVAL / "cnndm.jsonl", EVAL / "xsum.jsonl"]
METRICS = ("rouge1", "rouge2", "rougeLsum")


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def lead(text: str, count: int) -> str:
    return "\n".join(sentences(text)[:count])


def bench_file(path: Path, limit: int | None) -> list[dict[str, Any]]:
    from rouge_score import rouge_scorer

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = rows[:limit] if limit else rows
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    embedder = make_embedder(Settings())
    embedder.embed(["warm up"])
    scores: dict[str, list[dict[str, float]]] = {}
    seconds: list[float] = []
    for number, row in enumerate(rows):
        text = row["article"]
        start = time.perf_counter()
        summary = extractive_summary(Article(id=f"a{number}", title=""), text, embedder)
        seconds.append(time.perf_counter() - start)
        candidates = {
            "kb offline Abstract": "\n".join(sentences(summary.abstract)),
            "Lead-3": lead(text, 3),
            "Lead-1": lead(text, 1),
            **{
                f"published: {name}": "\n".join(sentences(output))
                for name, output in sorted(row.get("system_summaries", {}).items())
            },
        }
        reference = "\n".join(sentences(row["reference"]))
        for system, candidate in candidates.items():
            got = scorer.score(reference, candidate)
            scores.setdefault(system, []).append({m: 100 * got[m].fmeasure for m in METRICS})
    table = []
    for system, per_article in scores.items():
        entry: dict[str, Any] = {"set": path.stem, "system": system, "articles": len(per_article)}
        entry |= {m: statistics.fmean(s[m] for s in per_article) for m in METRICS}
        if system == "kb offline Abstract":
            entry["ms"] = 1000 * statistics.fmean(seconds)
        table.append(entry)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--limit", type=int, help="first N articles of each file")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    present = [path for path in args.files if path.exists()]
    for path in args.files:
        if not path.exists():
            print(f"skipped: no summary eval data at {path}")
    rows = [row for path in present for row in bench_file(path, args.limit)]
    if not rows:
        return
    print("ROUGE F1 × 100 (rouge-score, stemmed), mean over articles; ms: kb's time per summary.\n")
    print("| set | system | articles | R-1 | R-2 | R-Lsum | ms |\n|---|---|---|---|---|---|---|")
    for row in rows:
        ms = f"{row['ms']:.0f}" if "ms" in row else ""
        print(
            f"| {row['set']} | {row['system']} | {row['articles']} | {row['rouge1']:.2f} "
            f"| {row['rouge2']:.2f} | {row['rougeLsum']:.2f} | {ms} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
