"""The one KnowledgeBase of the app process, shared by every page, session and rerun."""

from __future__ import annotations

import streamlit as st

from kb import KnowledgeBase


@st.cache_resource(show_spinner="Opening the knowledge base…")
def get_kb() -> KnowledgeBase:
    """Created once per process (home from KB_HOME), so reruns never reload the embedding model."""
    return KnowledgeBase()
