"""What `kb ui` runs instead of `streamlit run ui/app.py`: the same server, but the knowledge base
opens (importing Chroma, reading its catalog) while the browser is still loading Streamlit's front
end, rather than after the first page asks for it. First page from launch on the sample corpus:
2.68 s with `streamlit run ui/app.py`, 2.46 s this way (docs/BENCHMARKS.md, app start-up)."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

APP = Path(__file__).with_name("app.py")
THREAD = "open-kb"


def open_knowledge_base() -> None:
    """Fills the process's cache (ui.state.get_kb) that the first page reads."""
    try:
        from ui.state import get_kb

        get_kb()
    except Exception:  # the first page opens it again (waiting as long again) and says why
        return


def _not_from_this_thread(record: logging.LogRecord) -> bool:
    """Streamlit warns that a thread outside any page run has no page to show its spinner on."""
    return record.threadName != THREAD


def main(options: list[str]) -> None:
    # Streamlit first, whole: two threads importing one package at once can see it half made.
    from streamlit.runtime.scriptrunner_utils import script_run_context
    from streamlit.web import cli

    logging.getLogger(script_run_context.__name__).addFilter(_not_from_this_thread)
    threading.Thread(target=open_knowledge_base, name=THREAD, daemon=True).start()

    sys.argv = ["streamlit", "run", str(APP), *options]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
