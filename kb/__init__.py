"""kb: an offline-first knowledge base for articles. `from kb import KnowledgeBase` is the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.api import KnowledgeBase

__all__ = ["KnowledgeBase"]


def __getattr__(name: str) -> Any:
    # Lazy, so `kb --help` and light imports (settings, models) do not load the whole pipeline.
    if name == "KnowledgeBase":
        from kb.api import KnowledgeBase

        return KnowledgeBase
    raise AttributeError(name)
