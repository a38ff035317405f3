"""What is derived from the stored articles (the registry, BM25, the link graph), kept under the
store's generation token it was built at.

In memory for this process, and as a file, so that the next process (every `kb ask` is one)
loads it instead of building it again: at 100k chunks the three take 88 s to build and 3 s to
load. The files are pickles this program writes into the user's own KB home, trusted like the
Chroma files beside them; a file written by other code (another version of kb) is never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """Changes with kb's code and Python's version: a pickle only fits the classes it came from."""
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


class DerivedCache:
    def __init__(self, folder: Path | None, prefix: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self._held: dict[str, tuple[str, Any]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, name: str, generation: str, build: Callable[[], T]) -> T:
        """`build()`'s value for this generation: held, loaded, or built (and then saved)."""
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:  # one lock per name: building BM25 reads the registry
            held = self._held.get(name)
            if held is not None and held[0] == generation:
                return held[1]  # type: ignore[no-any-return]
            value = self._load(name, generation)
            if value is None:
                value = build()
                self._save(name, generation, value)
            self._held[name] = (generation, value)
            return value  # type: ignore[no-any-return]

    def _file(self, name: str, generation: str) -> Path | None:
        if self.folder is None or not generation:
            return None
        return self.folder / f"{self.prefix}-{name}-{code_stamp()}-{generation}.pickle"

    def _load(self, name: str, generation: str) -> Any:
        path = self._file(name, generation)
        if path is None:
            return None
        try:
            with open(path, "rb") as file:
                return pickle.load(file)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except Exception as error:  # truncated by a full disk, say: build it again
            log.warning("rebuilding %s: its saved copy could not be read (%s)", name, error)
            return None

    def _save(self, name: str, generation: str, value: object) -> None:
        """Written whole under a temporary name and renamed; copies of older generations (or
        code) go. A home that cannot be written to only costs the next process a rebuild."""
        path = self._file(name, generation)
        if path is None:
            return
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
            stem = f"{self.prefix}-{name}-"
            for old in [*path.parent.glob(stem + "*"), *path.parent.glob(f".{stem}*")]:
                if old != path:  # a writer killed mid-way left its temporary file too
                    old.unlink(missing_ok=True)
        except OSError as error:
            log.warning("%s not saved for the next process (%s)", name, error)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
