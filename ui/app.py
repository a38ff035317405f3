"""The kb app: `streamlit run ui/app.py` (or `kb ui`). Pages: Upload, Library, Ask, Digest, Settings."""

from __future__ import annotations

import streamlit as st

from ui.render import escape_markdown, notice_markdown
from ui.state import get_kb


def main() -> None:
    # An emoji, drawn by the browser itself: a ":material/…:" page icon is fetched from
    # fonts.gstatic.com (the other Material icons come from a font Streamlit serves).
    st.set_page_config(page_title="kb", page_icon="📚", layout="wide")

    try:
        knowledge_base = get_kb()
        article_count = len(knowledge_base.articles())
    except Exception as error:  # e.g. an unreadable home folder or an unreachable Chroma server
        st.error(f"Could not open the knowledge base: {escape_markdown(str(error))}")
        st.stop()

    with st.sidebar:
        st.markdown(f"**Mode:** {notice_markdown(knowledge_base.mode_label)}")
        st.caption(
            f"Home: {escape_markdown(str(knowledge_base.settings.home.resolve()))}  \n"
            f"{article_count} article{'' if article_count == 1 else 's'}"
        )

    page = st.navigation(
        [
            st.Page("upload.py", title="Upload", icon=":material/upload_file:", default=True),
            st.Page("library.py", title="Library", icon=":material/library_books:"),
            # Its own address, so that Library in the menu always shows the list.
            st.Page("article.py", title="Article", url_path="article", visibility="hidden"),
            st.Page("ask.py", title="Ask", icon=":material/chat:"),
            st.Page("digest.py", title="Digest", icon=":material/compare:"),
            st.Page("settings.py", title="Settings", icon=":material/settings:"),
        ]
    )
    page.run()


# Streamlit runs this file as the module __main__ (sys.modules["__main__"], whose __file__ it
# is), and a "spawn" process, such as each of ingest's workers, first runs the __main__ module's
# file again under the name __mp_main__: the app drawn outside any page run filled the log with
# "missing ScriptRunContext" and "use streamlit run" warnings at every upload.
if __name__ == "__main__":
    main()
