"""The Streamlit UI of kb: `streamlit run ui/app.py` (or `kb ui`). It only calls `KnowledgeBase`."""
