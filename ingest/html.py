"""The article inside a web page, and its metadata.

Chosen by `bench/extraction.py` on 80 real pages (docs/BENCHMARKS.md): readability-lxml gives the
best word-level F1 for the body; title and source come from the page's own meta tags, and
trafilatura fills the author and date where those are missing.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.clean import decode
from ingest.metadata import Metadata, parse_date

# Elements whose text is one paragraph of the article.
_BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li pre blockquote td th dt dd figcaption caption address".split()
)
# Never article text, even when readability keeps them.
_NOISE = frozenset("script style noscript nav aside form button svg iframe template".split())


def decode_html(raw: bytes) -> str:
    """HTML bytes to text, honouring a declared charset; no XML declaration (lxml refuses one
    in a str)."""
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.IGNORECASE)
    try:
        text = raw.decode(declared.group(1).decode()) if declared else decode(raw)
    except (LookupError, UnicodeDecodeError):
        text = decode(raw)
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def article_paragraphs(raw: bytes) -> list[str]:
    """The main content's paragraphs, in order; the whole body's if no article is found."""
    import lxml.html
    import readability

    page = decode_html(raw)
    if not page.strip():
        return []
    try:
        content = readability.Document(page).summary(html_partial=True)
    except Exception:  # readability raises on pages it cannot score; fall back to the body
        content = ""
    paragraphs = (
        _blocks(lxml.html.fragment_fromstring(content, create_parent="div"))
        if content.strip()
        else []
    )
    if not paragraphs:
        paragraphs = _blocks(lxml.html.document_fromstring(page))
    return paragraphs


def _blocks(root: Any) -> list[str]:
    for element in list(root.iter()):
        if (
            isinstance(element.tag, str)
            and element.tag in _NOISE
            and element.getparent() is not None
        ):
            element.drop_tree()
    paragraphs = []
    for element in root.iter():
        if not isinstance(element.tag, str) or any(
            a.tag in _BLOCKS for a in element.iterancestors()
        ):
            continue
        if element.tag in _BLOCKS:
            paragraphs.append(element.text_content())
        elif (element.text or "").strip():
            paragraphs.append(element.text)  # loose text directly inside a <div>
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


def metadata(raw: bytes) -> Metadata:
    found = from_meta_tags(decode_html(raw))
    if not (found.author and found.date and found.source):
        found.fill_from(_trafilatura_metadata(raw))
    return found


def from_meta_tags(page: str) -> Metadata:
    """The page's own declarations, in the order Mozilla Readability trusts them: JSON-LD, then
    Dublin Core, Open Graph and plain meta names (a property may hold several names), then
    <title>."""
    import lxml.html

    tree = lxml.html.fromstring(page)
    metas: dict[str, str] = {}
    for element in tree.xpath("//meta[@content]"):
        content = " ".join(str(element.get("content")).split())
        names = (
            f"{element.get('property', '')} {element.get('name', '')} {element.get('itemprop', '')}"
        )
        for name in names.lower().split():
            if content:
                metas.setdefault(name, content)
    linked = _json_ld(tree)

    def first(*keys: str) -> str:
        return next((metas[key] for key in keys if metas.get(key)), "")

    title = linked.title or first(
        "dc:title", "dcterm:title", "og:title", "weibo:article:title", "title", "twitter:title"
    )
    times = tree.xpath("//time/@datetime")
    date = linked.date or first("article:published_time", "datepublished", "date", "pubdate")
    return Metadata(
        title=(title or " ".join(" ".join(tree.xpath("//title//text()")).split()))[:200],
        author=linked.author
        or first(
            "dc:creator", "dcterm:creator", "author", "parsely-author", "article:author", "byl"
        ),
        date=parse_date(date or (str(times[0]) if times else "")),
        source=first("og:site_name", "application-name") or linked.source,
    )


_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|WebPage|NewsArticle", re.IGNORECASE)


def _json_ld(tree: Any) -> Metadata:
    """Headline, author, date and publisher from the first article object in JSON-LD."""
    import json

    page_title = " ".join(" ".join(tree.xpath("//title//text()")).split())
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(re.sub(r"^\s*<!\[CDATA\[|\]\]>\s*$", "", script))
        except ValueError:
            continue
        items = (
            data
            if isinstance(data, list)
            else [data, *data.get("@graph", [])]
            if isinstance(data, dict)
            else []
        )
        for item in items:
            kind = item.get("@type", "") if isinstance(item, dict) else ""
            if not _ARTICLE_TYPES.search(" ".join(kind) if isinstance(kind, list) else str(kind)):
                continue
            return Metadata(
                title=_pick_title(_name(item.get("name")), _name(item.get("headline")), page_title),
                author=_name(item.get("author")),
                date=str(item.get("datePublished") or ""),
                source=_name(item.get("publisher")),
            )
    return Metadata()


def _pick_title(name: str, headline: str, page_title: str) -> str:
    """Some sites put their own name in "name" and the title in "headline": prefer the one that
    resembles the page's <title>, else "name" (Readability's rule)."""
    if name and headline and name != headline:
        # Compare with the <title> without its site part ("Story | Site"): its longest piece.
        story = max(re.split(r"\s+[|\-–—/:»]+\s+", page_title), key=len)
        return headline if _similar(headline, story) and not _similar(name, story) else name
    return name or headline


def _similar(a: str, b: str) -> bool:
    """Readability's text similarity: the share of b's words that also occur in a, by length."""
    words_a = set(re.findall(r"\w+", a.lower()))
    words_b = re.findall(r"\w+", b.lower())
    if not words_b:
        return False
    unique = " ".join(w for w in words_b if w not in words_a)
    return 1 - len(unique) / len(" ".join(words_b)) > 0.75


def _name(value: Any) -> str:
    """A JSON-LD value as text: a string, an object's name, or a list of those joined."""
    if isinstance(value, list):
        return ", ".join(filter(None, (_name(v) for v in value)))
    if isinstance(value, dict):
        value = value.get("name", "")
    return " ".join(str(value or "").split())


def _trafilatura_metadata(raw: bytes) -> Metadata:
    import trafilatura

    try:
        found = trafilatura.extract_metadata(raw)
    except Exception:  # best effort: the text is what matters
        return Metadata()
    if found is None:
        return Metadata()
    return Metadata(
        title=found.title or "",
        author=found.author or "",
        date=parse_date(found.date or ""),
        source=found.sitename or "",
    )
