"""Time to interactive of the app: from `kb ui` starting to the first page showing in headless
Chromium, on a home holding the sample corpus (ingested and summarised, as `make run` leaves it).

Baseline, in the same run and the same browser: a one-line Streamlit app ("Hello") started the
same way, i.e. what Streamlit itself costs on this machine. The first start of each may read
files from disk; the later ones are warm starts. Also timed: a second visit (new page, new
session) to the running server, which is what a user waits for once the app is up.

Reproduce (from the repo root, about a minute):

    .venv/bin/python bench/ui_startup.py [--runs 4] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb.api import KnowledgeBase  # noqa: E402
from kb.local_model import answers_within, free_port  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser

Command = Callable[[int], list[str]]  # the command line that serves on this port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]  # fmt: skip


def _launch(command: Command, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str, float]:
    """The server process, its URL, and when it was started."""
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        command(port),
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    return process, f"http://127.0.0.1:{port}", started


def measure(
    browser: Browser, command: Command, env: dict[str, str], shows: str
) -> tuple[float, float, float]:
    """Seconds from launch to the server answering and to `shows` being visible in a page, and
    then for a second visit (a new page, a new session) to show it on the running server."""
    process, url, started = _launch(command, env)
    try:
        if not answers_within(f"{url}/_stcore/health", process, 120, poll=0.05):
            raise TimeoutError(f"{url} did not come up")
        up = time.monotonic() - started
        seconds = []
        for _ in range(2):
            page = browser.new_page()
            page.goto(url)
            page.get_by_text(shows).first.wait_for(timeout=120_000)
            seconds.append(time.monotonic() - started)
            page.close()
            started = time.monotonic()
        return up, seconds[0], seconds[1]
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "kb-home"
        knowledge_base = KnowledgeBase(home)
        report = knowledge_base.ingest([REPO / "data"])
        knowledge_base.summarize()
        articles = report.count("ingested")
        hello = Path(scratch) / "hello.py"
        hello.write_text('import streamlit as st\n\nst.title("Hello")\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")} | {
            "KB_HOME": str(home)
        }
        apps: dict[str, tuple[Command, str]] = {
            "kb ui (sample corpus)": (
                lambda port: [sys.executable, "-m", "kb.cli", "ui", "--no-local-llm",
                              "--port", str(port)],
                f"{articles} articles",
            ),
            "make run (corpus ingested)": (
                lambda port: ["make", "--no-print-directory", "run", f"PORT={port}",
                              "UI_OPTIONS=--no-local-llm"],
                f"{articles} articles",
            ),
            "baseline: Streamlit hello": (
                lambda port: [sys.executable, "-m", "streamlit", "run", str(hello),
                              "--server.headless", "true", "--browser.gatherUsageStats", "false",
                              "--server.port", str(port)],
                "Hello",
            ),
        }  # fmt: skip
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in apps}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                for name, (command, shows) in apps.items():
                    results[name].append(measure(browser, command, env, shows))
            browser.close()

    print(f"{'app':<28} {'server up':>10} {'first page, 1st start':>22} "
          f"{'first page, later starts':>25} {'new visit, running':>19}")  # fmt: skip
    later_starts: dict[str, float] = {}  # median first page of the starts after the first
    for name, runs in results.items():
        later = [page for _, page, _ in runs[1:]] or [runs[0][1]]
        later_starts[name] = statistics.median(later)
        print(
            f"{name:<28} {statistics.median(r[0] for r in runs):>9.2f}s {runs[0][1]:>21.2f}s "
            f"{later_starts[name]:>18.2f}s (max {max(later):.2f}) "
            f"{statistics.median(r[2] for r in runs):>18.2f}s"
        )
    baseline = later_starts.pop("baseline: Streamlit hello")
    print()
    for name, seconds in later_starts.items():
        print(f"From launch, {name}: first page in {seconds / baseline:.2f}x Streamlit's own.")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
