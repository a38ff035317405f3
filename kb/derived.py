"""What is derived from the stored articles (the registry, BM25, the link graph), kept under the
store's generation token it was built at.

In memory for this process, and as a file, so that the next process (every `kb ask` is one)
loads it instead of building it again: at 100k chunks the three take 88 s to build and 3 s to
load. The files are pickles, and a pickle runs code when loaded, so each file is signed with a
key that only this user holds (HMAC-SHA256, the key in the user's cache folder, mode 0600): a
`.kb` folder copied from elsewhere is rebuilt, never loaded. A file also records the code that
wrote it (kb and the libraries its objects come from) and the store's row counts, so a file of
other code, or one left valid by a writer killed before it could change the token, is not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import pickle
import secrets
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)
_DIGEST = hashlib.sha256().digest_size
_KEY_BYTES = 32


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """Changes with kb's code, Python's version and those of the libraries whose objects are
    pickled: a pickle only fits the classes it came from."""
    digest = hashlib.sha256(sys.version.encode())
    for library in ("bm25s", "numpy", "pydantic", "scipy"):
        digest.update(f"{library}={version(library)}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def signing_key(folder: Path) -> bytes | None:
    """This user's key, made on first use. None (no file cache then) when it cannot be made, or
    when the one there is not 32 bytes that only this user can read and write."""
    path = folder / "derived.key"
    try:
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            temporary = folder / f".derived.key.{os.getpid()}.{threading.get_ident()}"
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(_KEY_BYTES))
            try:
                os.link(temporary, path)  # whole or not at all; the first process wins
            except FileExistsError:
                pass
            finally:
                temporary.unlink(missing_ok=True)
        status = path.stat()
        key = path.read_bytes()
    except OSError as error:
        log.warning("derived indexes are not saved: no signing key (%s)", error)
        return None
    if len(key) != _KEY_BYTES or status.st_uid != os.getuid() or status.st_mode & 0o077:
        log.warning(
            "derived indexes are not saved: %s must be %d bytes, this user's, mode 0600",
            path,
            _KEY_BYTES,
        )
        return None
    return key


class DerivedCache:
    def __init__(
        self,
        folder: Path | None,
        prefix: str,
        current: Callable[[], str],
        state: Callable[[], str],
        key: bytes | None,
    ) -> None:
        """`current()` reads the store's token now (never a pinned one); `state()` its row
        counts, checked when a file is loaded."""
        self.folder = folder if key else None
        self.prefix = prefix
        self.current = current
        self.state = state
        self.key = key or b""
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
            state = self.state()  # the store's row counts, before anything is read
            value = self._load(name, generation, state)
            if value is not None:
                if self.current() == generation:  # not a search pinned to an older token
                    self._held[name] = (generation, value)
                return value  # type: ignore[no-any-return]
            value = build()
            # A search pinned to an older token, or a write during the build: this value is
            # right for its caller, but must not replace (or delete) what the newest is.
            if generation and self.current() == generation:
                self._save(name, generation, (state, value))
                self._held[name] = (generation, value)
            return value

    def _file(self, name: str, generation: str) -> Path | None:
        if self.folder is None or not generation:
            return None
        return self.folder / f"{self.prefix}-{name}-{code_stamp()}-{generation}.pickle"

    def _load(self, name: str, generation: str, state: str) -> Any:
        path = self._file(name, generation)
        if path is None:
            return None
        try:
            signed = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            log.warning("rebuilding %s: its saved copy could not be read (%s)", name, error)
            return None
        signature, data = signed[:_DIGEST], signed[_DIGEST:]
        if not hmac.compare_digest(signature, self._signature(path, data)):
            log.warning("rebuilding %s: %s is not signed by this user", name, path)
            return None
        try:
            saved_state, value = pickle.loads(data)
        except Exception as error:  # signed, so ours: a library changed under it, say
            log.warning("rebuilding %s: its saved copy could not be read (%s)", name, error)
            return None
        return value if saved_state == state else None

    def _signature(self, path: Path, data: bytes) -> bytes:
        """Over the name too: a file of one generation, renamed, is no file of another."""
        return hmac.digest(self.key, path.name.encode() + b"\0" + data, "sha256")

    def _save(self, name: str, generation: str, value: object) -> None:
        """Written whole under a temporary name and renamed; copies of older generations (or
        code) go. A home that cannot be written to only costs the next process a rebuild."""
        path = self._file(name, generation)
        if path is None:
            return
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as file:
                file.write(self._signature(path, data))
                file.write(data)
            os.replace(temporary, path)
            stem = f"{self.prefix}-{name}-"
            for old in [*path.parent.glob(stem + "*"), *path.parent.glob(f".{stem}*")]:
                if old != path:  # a writer killed mid-way left its temporary file too
                    old.unlink(missing_ok=True)
        except OSError as error:
            log.warning("%s not saved for the next process (%s)", name, error)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
