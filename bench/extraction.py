"""Main-content extraction from HTML pages: word P/R/F1, title and byline accuracy, per extractor.

Each page of the eval folder holds source.html (the real page), expected.html (the article Mozilla
Readability's test suite expects) and expected-metadata.json. Every system turns the page's bytes
into (text, title, byline); all systems run side by side on the same pages in one run.

Reproduce (from the repo root; needs `.venv/bin/pip install trafilatura readability-lxml`):

    .venv/bin/python bench/extraction.py [../shared/eval/html] [--limit N] [--json out.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parents[1]
# Run as a script, Python puts bench/ first on sys.path, where bench/ingest.py would shadow the
# ingest package: look in the repo root first.
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))

from ingest.html import decode_html  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "eval" / "html"
# CJK scripts have no spaces between words: one character is one token there; \w+ elsewhere.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


class Extraction(NamedTuple):
    text: str | None  # None: the extractor gave up on the page (a failure)
    title: str
    byline: str


@dataclass
class System:
    name: str
    run: Callable[[bytes], Extraction]
    titles: bool = True
    bylines: bool = True


@dataclass
class PageScore:
    page: str
    p: float
    r: float
    f1: float
    title_ok: bool | None  # None: not scored (no expected title, or the system has none)
    byline_ok: bool | None
    failed: bool
    error: str
    seconds: float
    title: str
    byline: str
    expected_title: str
    real: bool  # a real site's page (source over 10 kB), not one of the suite's small fixtures


# --- decoding and text --------------------------------------------------------------------------


def html_text(html: str) -> str:
    import lxml.html

    return str(lxml.html.fromstring(html).text_content()) if html.strip() else ""


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def prf(got: Counter[str], expected: Counter[str]) -> tuple[float, float, float]:
    overlap = sum((got & expected).values())
    p = overlap / sum(got.values()) if got else float(not expected)
    r = overlap / sum(expected.values()) if expected else float(not got)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def norm(text: str) -> str:
    """Casefolded, whitespace collapsed, non-word characters stripped at both ends."""
    return re.sub(r"^[\W_]+|[\W_]+$", "", " ".join(text.casefold().split()))


def title_ok(expected: str, got: str) -> bool:
    e, g = norm(expected), norm(got)
    short, long = sorted((e, g), key=len)
    return e == g or (bool(short) and short in long and len(short) >= 0.6 * len(long))


def byline_ok(expected: str, got: str) -> bool:
    e, g = norm(expected), norm(got)
    return bool(g) and (e in g or g in e)


# --- systems ------------------------------------------------------------------------------------


def plain(raw: bytes) -> Extraction:
    import lxml.html

    tree = lxml.html.document_fromstring(decode_html(raw))
    return Extraction(tree.body.text_content(), tree.findtext(".//title") or "", "")


def _partition(html: str) -> str:
    from unstructured.partition.html import partition_html

    return "\n\n".join(el.text for el in partition_html(text=html) if el.text)


def unstructured(raw: bytes) -> Extraction:
    return Extraction(_partition(decode_html(raw)), "", "")


def _kb_meta(raw: bytes) -> tuple[str, str]:
    """kb's own meta tags only (og:title, <title>, author)."""
    from ingest.html import from_meta_tags

    found = from_meta_tags(decode_html(raw))
    return found.title, found.author


def kb(raw: bytes) -> Extraction:
    """What kb ingests: ingest.html's paragraphs and metadata."""
    from ingest.html import article_paragraphs, metadata

    found = metadata(raw)
    return Extraction("\n\n".join(article_paragraphs(raw)), found.title, found.author)


def _trafilatura_text(raw: bytes, precision: bool = False, recall: bool = False) -> str | None:
    import trafilatura

    return trafilatura.extract(
        raw,
        include_comments=False,
        include_tables=True,
        favor_precision=precision,
        favor_recall=recall,
        output_format="txt",
    )


def _trafilatura_meta(raw: bytes) -> tuple[str, str]:
    import trafilatura

    found = trafilatura.extract_metadata(raw)
    return (found.title or "", found.author or "") if found else ("", "")


def trafilatura_with(
    precision: bool = False, recall: bool = False
) -> Callable[[bytes], Extraction]:
    return lambda raw: Extraction(
        _trafilatura_text(raw, precision, recall), *_trafilatura_meta(raw)
    )


def _readability(raw: bytes) -> tuple[str, str]:
    import readability

    document = readability.Document(raw)
    return html_text(document.summary()), document.short_title()


def readability_lxml(raw: bytes) -> Extraction:
    return Extraction(*_readability(raw), "")


def _meta(raw: bytes) -> tuple[str, str]:
    """Title and byline from kb's meta tags; trafilatura's where they have none."""
    (title, author), (t_title, t_author) = _kb_meta(raw), _trafilatura_meta(raw)
    return title or t_title, author or t_author


def trafilatura_meta(raw: bytes) -> Extraction:
    return Extraction(_trafilatura_text(raw), *_meta(raw))


def readability_meta(raw: bytes) -> Extraction:
    return Extraction(_readability(raw)[0], *_meta(raw))


def readability_or_trafilatura(raw: bytes) -> Extraction:
    """readability's text, or trafilatura's when that has over twice as many words."""
    text, other = _readability(raw)[0], _trafilatura_text(raw) or ""
    longer = len(_TOKEN.findall(other)) > 2 * len(_TOKEN.findall(text))
    return Extraction(other if longer else text, *_meta(raw))


SYSTEMS = [
    System("plain <body>", plain, bylines=False),
    System("unstructured", unstructured, titles=False, bylines=False),
    System("kb (ingest.html)", kb),
    System("trafilatura", trafilatura_with()),
    System("trafilatura recall", trafilatura_with(recall=True)),
    System("trafilatura precision", trafilatura_with(precision=True)),
    System("readability-lxml", readability_lxml, bylines=False),
    # Combinations; "meta" is kb's meta-tag title/byline, falling back to trafilatura's.
    System("trafilatura + meta", trafilatura_meta),
    System("readability + meta", readability_meta),
    System("readability, trafilatura if 2x longer, + meta", readability_or_trafilatura),
]


# --- running and reporting ----------------------------------------------------------------------


def score(system: System, page: Path) -> PageScore:
    raw = (page / "source.html").read_bytes()
    expected_meta: dict[str, Any] = json.loads((page / "expected-metadata.json").read_text())
    expected = tokens(html_text((page / "expected.html").read_text(encoding="utf-8")))
    error = ""
    start = time.perf_counter()
    try:
        got = system.run(raw)
    except Exception as exc:  # a library failing on a page is a result, not a crash
        where = traceback.extract_tb(exc.__traceback__)[-1]
        error = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}: {exc}"[:200]
        got = Extraction(None, "", "")
    seconds = time.perf_counter() - start
    p, r, f1 = prf(tokens(got.text or ""), expected)
    want_title, want_byline = expected_meta.get("title") or "", expected_meta.get("byline") or ""
    return PageScore(
        page=page.name,
        p=p,
        r=r,
        f1=f1,
        title_ok=title_ok(want_title, got.title) if system.titles and want_title else None,
        byline_ok=byline_ok(want_byline, got.byline) if system.bylines and want_byline else None,
        failed=got.text is None,
        error=error or ("" if got.text is not None else "returned None"),
        seconds=seconds,
        title=got.title,
        byline=got.byline,
        expected_title=want_title,
        real=len(raw) > 10_000,
    )


def accuracy(flags: list[bool | None]) -> float | None:
    scored = [flag for flag in flags if flag is not None]
    return sum(scored) / len(scored) if scored else None


def share(flags: list[bool | None]) -> str:
    value = accuracy(flags)
    return "n/a" if value is None else f"{value:.3f} ({sum(f is not None for f in flags)})"


def _or_minus(value: float | None) -> float:
    return -1.0 if value is None else value


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def report(results: dict[str, list[PageScore]], pages: list[Path]) -> None:
    print(f"\n{len(pages)} pages. Word P/R/F1: bag-of-words overlap of lowercased \\w+ tokens")
    print("(CJK: one token per character) with the text of expected.html, macro-averaged.")
    print(
        "Title/byline: casefolded, whitespace collapsed, non-word characters stripped at the ends."
    )
    print("Title correct if equal, or one contains the other and the shorter is >= 60% of the")
    print("longer's length; byline correct if the extracted author is non-empty and one contains")
    print("the other. (n) = pages scored: those with a non-empty expected title/byline.")
    print(
        "F1 real: mean F1 over real sites' pages (source.html > 10 kB), not the small fixtures.\n"
    )
    print(
        "| system | mean P | mean R | mean F1 | F1 real (n) | title acc (n) | byline acc (n) "
        "| failures | seconds total |\n|---|---|---|---|---|---|---|---|---|"
    )
    for name, rows in results.items():
        real = [s.f1 for s in rows if s.real]
        print(
            f"| {name} | {mean([s.p for s in rows]):.3f} | {mean([s.r for s in rows]):.3f} "
            f"| {mean([s.f1 for s in rows]):.3f} | {mean(real):.3f} ({len(real)}) "
            f"| {share([s.title_ok for s in rows])} "
            f"| {share([s.byline_ok for s in rows])} | {sum(s.failed for s in rows)} "
            f"| {sum(s.seconds for s in rows):.1f} |"
        )

    def rank(name: str) -> tuple[float, float, float]:  # F1 to 3 places, then title, byline
        rows = results[name]
        title, byline = accuracy([s.title_ok for s in rows]), accuracy([s.byline_ok for s in rows])
        return round(mean([s.f1 for s in rows]), 3), _or_minus(title), _or_minus(byline)

    best = max(results, key=rank)
    rows = results[best]
    print(f"\nBest by F1 (ties: by title, then byline accuracy): {best}. Its 10 worst pages:\n")
    print("| page | F1 | P | R | error |\n|---|---|---|---|---|")
    for s in sorted(rows, key=lambda s: s.f1)[:10]:
        print(f"| {s.page} | {s.f1:.3f} | {s.p:.3f} | {s.r:.3f} | {s.error} |")
    wrong = [s for s in rows if s.title_ok is False]
    scored = sum(s.title_ok is not None for s in rows)
    print(f"\n{best}: {len(wrong)} of {scored} titles wrong (expected -> got):\n")
    for s in wrong:
        print(f"- {s.page}: {s.expected_title!r} -> {s.title!r}")
    extractors = list(results)[1:]  # not the plain <body> baseline
    top = {
        page.name: max((results[name][i].f1, name) for name in extractors)
        for i, page in enumerate(pages)
    }
    print("\nHardest pages (the best F1 any extractor reached there, and which one):\n")
    for page, (f1, name) in sorted(top.items(), key=lambda item: item[1])[:5]:
        print(f"- {page}: {f1:.3f} ({name})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted by name)")
    parser.add_argument("--json", type=Path, help="write per-page numbers to this file")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"No eval pages at {args.folder}; nothing to measure (pass the folder).")
        return 0
    pages = sorted(p for p in args.folder.iterdir() if (p / "source.html").is_file())[: args.limit]
    for key, value in (
        ("HF_HUB_OFFLINE", "1"),
        ("DO_NOT_TRACK", "true"),
        ("UNSTRUCTURED_DISABLE_NOTICE", "1"),
    ):
        os.environ.setdefault(key, value)
    logging.disable(logging.WARNING)  # libraries log per-page warnings; the table says it all
    from ingest.loaders import _use_offline_sentence_splitter

    _use_offline_sentence_splitter()
    warm_up = (pages[0] / "source.html").read_bytes() if pages else b""
    for system in SYSTEMS:  # imports, model and cache loads stay out of the timings
        with contextlib.suppress(Exception):
            system.run(warm_up)
    for page in pages:  # trafilatura's date parser loads each language's data at first sight
        with contextlib.suppress(Exception):
            _trafilatura_meta((page / "source.html").read_bytes())
    results: dict[str, list[PageScore]] = {}
    for system in SYSTEMS:
        results[system.name] = [score(system, page) for page in pages]
        print(f"{system.name}: done", file=sys.stderr)
    report(results, pages)
    if args.json:
        per_page = {name: [asdict(s) for s in rows] for name, rows in results.items()}
        args.json.write_text(json.dumps(per_page, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
