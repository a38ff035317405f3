"""Main content and metadata of web pages (ingest.html)."""

from __future__ import annotations

import json

from ingest.html import article_paragraphs, decode_html, from_meta_tags, metadata

ARTICLE = """<html><head><title>Ferry back in service | Harbor Weekly</title>{head}</head><body>
<nav><a href="/">Home</a><a href="/news">News</a></nav>
<div class="share">Share on X | Facebook</div>
<article><h1>Ferry back in service</h1>
<p>The <b>harbor ferry</b> returned to service on Monday after three weeks of repairs to its
engine, the port authority said.</p>
<p>Commuters had taken a bus around the bay, adding forty minutes to the trip each way.</p>
<p>The authority said a second boat would join the route in June.</p></article>
<aside><h3>Related</h3><a href="/x">Bridge closes for the winter</a></aside>
<footer>(c) 2026 Harbor Weekly</footer></body></html>
<!-- cached page, generated in 0.2 s -->"""


def page(head: str = "") -> bytes:
    return ARTICLE.format(head=head).encode()


def test_article_paragraphs_keep_the_article_and_drop_the_furniture() -> None:
    paragraphs = article_paragraphs(page())
    text = "\n".join(paragraphs)
    assert "The harbor ferry returned to service on Monday" in text  # inline tags joined
    assert "a second boat would join the route in June." in text
    for furniture in ("Home", "Share on X", "Bridge closes", "(c) 2026"):
        assert furniture not in text


def test_a_page_with_no_article_still_gives_its_text() -> None:
    assert article_paragraphs(b"<html><body><div>Just one line here.</div></body></html>") == [
        "Just one line here."
    ]
    assert article_paragraphs(b"   ") == []


def test_json_ld_comes_first_and_cdata_is_unwrapped() -> None:
    linked = {
        "@type": "NewsArticle",
        "name": "Harbor Weekly",
        "headline": "Ferry back in service",
        "author": [{"@type": "Person", "name": "Ann Lee"}, {"name": "Bo Chen"}],
        "datePublished": "2026-05-04T08:00:00Z",
        "publisher": {"@type": "Organization", "name": "Harbor Weekly"},
    }
    head = (
        '<meta property="og:title" content="Ferry is back!">'
        f'<script type="application/ld+json"><![CDATA[{json.dumps(linked)}]]></script>'
    )
    found = from_meta_tags(decode_html(page(head)))
    # "name" is the site's own name here; "headline" resembles <title>, so it wins.
    assert (found.title, found.author, found.date, found.source) == (
        "Ferry back in service",
        "Ann Lee, Bo Chen",
        "2026-05-04",
        "Harbor Weekly",
    )


def test_space_separated_meta_properties_and_dublin_core_order() -> None:
    head = (
        '<meta property="og:title twitter:title" content="A title">'
        '<meta property="x:title dc:title" content="Preferred title">'
        '<meta name="dc:creator" content="Creator Name">'
        '<meta property="og:site_name" content="Harbor Weekly">'
    )
    found = from_meta_tags(decode_html(page(head)))
    assert (found.title, found.author, found.source) == (
        "Preferred title",
        "Creator Name",
        "Harbor Weekly",
    )


def test_title_falls_back_to_the_title_element() -> None:
    assert metadata(page()).title == "Ferry back in service | Harbor Weekly"


def test_declared_charset_is_honoured() -> None:
    raw = (
        '<html><head><meta charset="windows-1252"></head><body><p>Café – “naïve”</p></body></html>'
    )
    assert article_paragraphs(raw.encode("cp1252")) == ["Café – “naïve”"]
