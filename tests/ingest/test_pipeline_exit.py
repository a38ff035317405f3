"""`kb ingest` run as a user runs it: a batch that fails at once still exits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from kb_helpers import REPO


@pytest.mark.parametrize("address", ["https://example.invalid/story.html", "https://"])
def test_a_batch_of_failing_urls_exits_1_while_the_model_loads(
    tmp_path: Path, address: str
) -> None:
    """The batch fails before the model has loaded on its thread: the process must wait for the
    thread, not exit while onnxruntime is loading (it aborted, exit 134)."""
    done = subprocess.run(
        [sys.executable, "-m", "kb.cli", "ingest", address],
        cwd=REPO,
        env={**os.environ, "KB_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "failed" in done.stdout + done.stderr
    assert "terminate called" not in done.stderr
