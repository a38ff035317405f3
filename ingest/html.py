"""The article inside a web page, and its metadata.

Chosen by `bench/extraction.py` on 80 real pages (docs/BENCHMARKS.md): readability-lxml gives the
best word-level F1 for the body, once furniture is stripped first, the blocks its cleaning drops
from inside the article are put back, and trafilatura's text is taken where readability's is
implausibly short (see `article_paragraphs`); title and source come from the page's own meta
tags, and trafilatura fills the author and date where those are missing.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections import Counter
from typing import Any

from ingest.clean import decode, without_controls, words
from ingest.metadata import Metadata, described_outlet, labels_a_section, parse_date
from kb.text import CAPITALS

# readability logs a traceback to stderr for a page it cannot score ("error getting summary"),
# beside the one line the file gets; such a page is read without it (`article_paragraphs`).
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)

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


def _parseable(raw: bytes) -> str:
    """The page as lxml and readability take it: one stray control character made lxml refuse
    the whole page, and readability print a traceback."""
    return without_controls(decode_html(raw))


def article_paragraphs(raw: bytes) -> list[str]:
    """The main content's paragraphs, in order; the whole body's if no article is found.

    The page is first stripped of non-text elements and of furniture (`_drop_furniture`), then
    readability-lxml picks the article; blocks it dropped from inside the article's own
    container are put back (`_restore`), and trafilatura's text replaces readability's when
    readability's is implausibly short next to it (`_prefer_trafilatura`). Each step is measured
    on the 80 pages of `bench/extraction.py` (docs/BENCHMARKS.md)."""
    import lxml.etree
    import lxml.html

    page = _parseable(raw)
    if not page.strip():
        return []
    try:
        tree = lxml.html.document_fromstring(page)
    except (lxml.etree.ParserError, ValueError):  # e.g. a page of only comments
        return []
    _drop_furniture(tree)
    for line_break in tree.iter("br"):  # "voted<br>31" is two words, not "voted31"
        line_break.tail = "\n" + (line_break.tail or "")
    blocks = _block_elements(tree)
    found = _readability_paragraphs(lxml.html.tostring(tree, encoding="unicode"))
    if not found:
        return [text for element, text in blocks if not _in_page_frame(element)]
    return _prefer_trafilatura(_restore(found, blocks), tree)


def _in_page_frame(element: Any) -> bool:
    """Inside the page's own <header> or <footer>, not an article's. Why: a page with no
    article must give no text (and fail to load), not its "(c) 2026" line."""
    chain = [element.tag, *(node.tag for node in element.iterancestors())]
    return any(tag in ("header", "footer") for tag in chain) and not any(
        tag in ("article", "main") for tag in chain
    )


def _readability_paragraphs(page: str) -> list[str]:
    import lxml.html
    import readability

    try:
        content = readability.Document(page).summary(html_partial=True)
    except Exception:  # readability raises on pages it cannot score
        return []
    if not content.strip():
        return []
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    _drop_furniture(root)
    return [text for _, text in _block_elements(root)]


# Class or id words of page furniture that readability sometimes leaves inside the article:
# share buttons, "Like this", related-post lists, newsletter and cookie boxes, ads, comments.
# Matched against one part of a class name ("jp-relatedposts", "share_bar"), not inside a word
# ("commented" is a state, not a comment box).
_FURNITURE = re.compile(
    r"(?:^|[-_])(?:related\w*|share|sharing|sharedaddy|social|newsletters?|subscri\w*|signup|"
    r"cookies?|consent|promo|promoted|advert\w*|sponsor\w*|outbrain|taboola|comments?|disqus|"
    r"popup|modal|paywall)(?:$|[-_])",
    re.IGNORECASE,
)
# An ad slot's name ("ad", "ads-top", "adsbygoogle"). Some sites name the whole page's wrapper
# "ad-portal", so only a small box (under 2,000 characters) is taken for an ad.
_AD_SLOT = re.compile(r"(?:^|[-_])(?:ads?|adslot|adsbygoogle)(?:$|[-_])", re.IGNORECASE)
# Whole short blocks that are calls to action rather than article text.
_CALL_TO_ACTION = re.compile(
    r"^(share|tweet|email|print|like) this\b|^(share|follow us|subscribe|sign up|advertisement|"
    r"related( articles| posts| stories)?|read more|see also|more from|you may also like)\b|"
    r"newsletter|all rights reserved|accept (all )?cookies|we use cookies",
    re.IGNORECASE,
)


def _is_furniture(element: Any, stop: Any = None) -> bool:
    """Whether the element or an ancestor (up to `stop`) is page furniture by its class or id,
    or is hidden. Why: readability keeps e.g. WordPress's "Like this:" and related-posts boxes
    when they sit inside the article's container, and reads text a browser would not show;
    class names say what a block is on any site, where its text would not."""
    for node in (element, *element.iterancestors()):
        if node is stop or not isinstance(node.tag, str):
            break
        # An id like "sharing-with-a-developer" is a heading's slug, not a component name.
        ident = node.get("id", "")
        words = f"{node.get('class', '')} {ident if ident.count('-') < 2 else ''}".split()
        if any(_FURNITURE.search(w) for w in words) or node.get("hidden") is not None:
            return True
        if any(_AD_SLOT.search(w) for w in words) and len(node.text_content()) < 2000:
            return True
        if node.get("aria-hidden") == "true" or re.search(
            r"display:\s*none|visibility:\s*hidden", node.get("style", "")
        ):
            return True
    return False


# The label an ad carries in its own text: "ADVERTISEMENT: Buy ...", "Sponsored", "Paid content -".
_AD_LABEL = re.compile(
    r"^\s*(?:advertisement|advertising|sponsored(?: content| post| story| links?)?|"
    r"paid (?:content|post|partnership)|promoted(?: content)?)\s*(?:$|[:|–—-])",
    re.IGNORECASE,
)


def _is_labelled_ad(element: Any) -> bool:
    """A short block whose own text opens with an ad label. Why: an ad box without a telling
    class is the first block of a short page, and readability then keeps it with the article.
    "Sponsored by the council, the fair..." is article text: the label must stand alone."""
    return bool(_AD_LABEL.match(element.text or "")) and len(element.text_content()) < 300


def _is_link_out(element: Any) -> bool:
    """A short block that is a link calling to read elsewhere: "Read more: Tram plans through
    the years". Why: readability keeps it, at the end of the article's own container."""
    if element.tag not in ("p", "li", "div"):  # before its text: a wrapper holds the article
        return False
    text = " ".join(element.text_content().split())
    if len(text) > 200 or not _CALL_TO_ACTION.search(text):
        return False
    return _link_chars(element) >= 0.5 * len(text)


def _link_chars(element: Any) -> int:
    """How much of the element's text is the text of its links."""
    return sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))


def _drop_furniture(root: Any) -> None:
    """Removes non-text elements (`_NOISE`), furniture (`_is_furniture`), labelled ads and
    links out (`_is_link_out`) in place."""
    for element in list(root.iter()):
        if (
            isinstance(element.tag, str)
            and element.tag not in ("html", "body", "main")  # some sites class these "popup"
            and element.getparent() is not None
            and (
                element.tag in _NOISE
                or _is_furniture(element, stop=element.getparent())
                or _is_labelled_ad(element)
                or _is_link_out(element)
            )
        ):
            element.drop_tree()


def _block_elements(root: Any) -> list[tuple[Any, str]]:
    """The outermost block elements (and loose text in <div>s) with their text, in order; a
    table row of plain cells is one block, "2026 | 40", so that a row reads (and is cited) as
    one line rather than as a paragraph a cell."""
    found = []
    row_lines: dict[Any, str] = {}
    pending = [root]
    while pending:
        element = pending.pop()
        if element.tag in _BLOCKS:
            found.append((element, element.text_content()))
            continue
        if element.tag == "tr" and _is_data_row(element):
            if element not in row_lines:
                row_lines.update(table_rows(_table_of(element)))
            found.append((element, row_lines[element]))
            continue
        if (element.text or "").strip():
            found.append((element, element.text))  # loose text directly inside a <div>
        pending.extend(reversed([child for child in element if isinstance(child.tag, str)]))
    return [(e, " ".join(t.split())) for e, t in found if t.strip()]


# Inside a table cell, these make the table a page layout rather than data.
_LAYOUT = frozenset("table p div ul ol dl h1 h2 h3 h4 h5 h6 blockquote pre section article".split())


def _cells(row: Any) -> list[Any]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _table_of(row: Any) -> Any:
    return next(row.iterancestors("table"), row.getparent())


def table_rows(table: Any) -> list[tuple[Any, str]]:
    """Each row of `table` (not of a table inside it) as one line, its cells apart by " | ":
    "2026 | $4". A cell spanning rows (rowspan) is in each of them, as a reader sees it; a row of
    empty cells is an empty line."""
    # column: a spanning cell's text (None past its first column), rows it still spans
    spanned: dict[int, tuple[str | None, int]] = {}
    lines = []
    for row in (row for row in table.iter("tr") if _table_of(row) is table):
        cells = list(reversed(_cells(row)))
        texts: list[str] = []
        column = 0
        while cells or any(taken >= column for taken in spanned):
            if column in spanned:
                text, rows_left = spanned.pop(column)
                if rows_left > 1:
                    spanned[column] = (text, rows_left - 1)
                texts += [text] if text is not None else []
                column += 1
            elif cells:
                cell = cells.pop()
                text = " ".join(cell.text_content().split())
                texts.append(text)
                width, height = _span(cell, "colspan", 1000), _span(cell, "rowspan", 65534)
                for offset in range(width if height > 1 else 0):
                    spanned[column + offset] = (None if offset else text, height - 1)
                column += width
            else:
                column += 1
        lines.append((row, " | ".join(texts) if any(texts) else ""))
    return lines


def _span(cell: Any, attribute: str, limit: int) -> int:
    """A cell's colspan or rowspan, as browsers read it: 1 unless a number from 1 to `limit`."""
    value = (cell.get(attribute) or "").strip()
    return min(int(value), limit) if value.isdigit() and int(value) >= 1 else 1


def _is_data_row(row: Any) -> bool:
    """A row of cells holding only inline text; a layout table's cells hold paragraphs."""
    cells = _cells(row)
    return bool(cells) and not any(
        node.tag in _LAYOUT for cell in cells for node in cell.iterdescendants()
    )


# Blocks readability drops that are worth putting back when they sit inside the article.
_RESTORABLE = frozenset((_BLOCKS - {"h1", "address"}) | {"tr"})


def _restore(found: list[str], blocks: list[tuple[Any, str]]) -> list[str]:
    """readability's paragraphs, plus the blocks it dropped from inside the article's container.

    Why: readability-lxml's cleaning removes whole <ul>s, <figure>s and <div>s by link density
    and length, losing figure captions, ingredient and step lists, nested bullet lists and
    standfirsts that are plainly part of the article. The container is the smallest element of
    the original page holding nearly all of readability's text; inside it, a dropped block comes
    back unless it is furniture, mostly links, or a call to action. readability's own paragraphs
    are all kept, in their order; restored blocks go where they stood on the page."""
    joined = "\n".join(found)
    starts = []
    offset = 0
    for text in found:
        starts.append(offset)
        offset += len(text) + 1
    container = _container([(e, t) for e, t in blocks if len(t) >= 20 and t in joined])
    if container is None:
        return found
    inside = [(e, t) for e, t in blocks if e is container or container in e.iterancestors()]
    inserts: dict[int, list[str]] = {}
    position, added = 0, 0
    for element, text in inside:
        at = _locate(text, joined, starts[position - 1] if position else 0)
        if at >= 0:
            position = max(position, bisect.bisect_right(starts, at))
        elif position < len(found) and _worth_restoring(element, text, container):
            inserts.setdefault(position, []).append(text)
            added += len(text)
    if added > 2 * len(joined):  # not a few dropped blocks but another page region: leave it
        return found
    result = []
    for index, text in enumerate(found):
        result.extend(inserts.get(index, []))
        result.append(text)
    result.extend(inserts.get(len(found), []))
    return result


def _container(matched: list[tuple[Any, str]]) -> Any:
    """The deepest element holding at least 90% of the matched blocks' text, not <body>."""
    weight: dict[Any, int] = {}
    depth: dict[Any, int] = {}
    for element, text in matched:
        ancestors = [element, *element.iterancestors()]
        for level, node in enumerate(reversed(ancestors)):
            weight[node] = weight.get(node, 0) + len(text)
            depth[node] = level
    total = sum(len(t) for _, t in matched)
    heavy = [n for n, w in weight.items() if total and w >= 0.9 * total]
    if not heavy:
        return None
    best = max(heavy, key=lambda n: depth[n])
    return None if best.tag in ("body", "html") else best


def _locate(text: str, joined: str, start: int) -> int:
    """Where a block's text, or most of it, already is in readability's text; -1 if not."""
    at = joined.find(text, start)
    if at < 0:
        at = joined.find(text)
    if at >= 0:
        return at
    pieces = [p for p in re.split(r"(?<=[.!?:;])\s+", text) if len(p) >= 10]
    spots = [joined.find(p) for p in pieces]
    if pieces and sum(len(p) for p, s in zip(pieces, spots) if s >= 0) >= 0.5 * len(text):
        return min(s for s in spots if s >= 0)
    return -1


def _worth_restoring(element: Any, text: str, container: Any) -> bool:
    if element.tag not in _RESTORABLE or not re.search(r"\w", text):
        return False
    if _is_furniture(element, stop=container) or _CALL_TO_ACTION.search(text[:200]):
        return False
    return _link_chars(element) <= 0.5 * len(text)


def _words(paragraphs: list[str]) -> Counter[str]:
    return Counter(words(" ".join(paragraphs).lower()))


def _prefer_trafilatura(found: list[str], cleaned: Any) -> list[str]:
    """trafilatura's paragraphs instead of readability's when readability's are implausible.

    Why: readability bets on one block and sometimes picks the wrong one (a teaser, one table
    of a list page, a short intro box) while the page holds far more article text. trafilatura
    reads the page differently, so its text is the check: it wins when readability's is tiny
    (under 100 words) and trafilatura's at least 3 times longer, or when trafilatura's is at
    least 1.5 times longer *and* holds nearly all (98%) of readability's words, i.e. readability
    found a strict part of the same article. trafilatura sees the page with hidden and
    furniture blocks already removed (`cleaned`), since it would otherwise read hidden text."""
    import lxml.html

    ours = _words(found)
    size = sum(ours.values())
    try:
        other = _trafilatura_paragraphs(lxml.html.tostring(cleaned, encoding="unicode"))
    except Exception:  # best effort: readability's text stands
        return found
    theirs = _words(other)
    longer = sum(theirs.values())
    shared = sum((ours & theirs).values())
    tiny = size < 100 and longer >= 3 * size
    contained = longer >= 1.5 * size and shared >= 0.98 * size
    return other if tiny or contained else found


def _trafilatura_paragraphs(page: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(page, include_comments=False, include_tables=True) or ""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # Its tables are Markdown: a row "| 2026 | 40 |" reads as our rows do, "2026 | 40", and the
    # "|---|---|" rule under the header row is no text.
    rows = [line[1:-1].strip() if re.fullmatch(r"\|.*\|", line) else line for line in lines]
    return [row for row in rows if re.search(r"[^|:\s-]", row)]


def metadata(raw: bytes) -> Metadata:
    found = from_meta_tags(_parseable(raw))
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

    declared = linked.title or first(
        "dc:title", "dcterm:title", "og:title", "weibo:article:title", "title", "twitter:title"
    )
    page_title = _without_trailing_sections(
        " ".join(" ".join(tree.xpath("//title//text()")).split())
    )
    title, source = _without_site_name(
        declared or page_title, first("og:site_name", "application-name") or linked.source, tree
    )
    title = _without_section(title, tree)
    if not declared:  # the page's <title> is the site's label for it; the article's <h1> its own
        title = _article_headline(tree) or title
    times = tree.xpath("//time/@datetime")
    date = linked.date or first("article:published_time", "datepublished", "date", "pubdate")
    return Metadata(
        title=title[:200],
        author=linked.author
        or first(
            "dc:creator", "dcterm:creator", "author", "parsely-author", "article:author", "byl"
        ),
        date=parse_date(date or (str(times[0]) if times else "")),
        source=source or _masthead_outlet(tree),
        language=_language_code(
            str(next(iter(tree.xpath("/html/@lang")), "")) or first("og:locale", "language")
        ),
        canonical_url=str(next(iter(tree.xpath("//link[@rel='canonical']/@href")), ""))
        or first("og:url"),
    )


# "Story - Site", "Story | Site", "Story — Site": the last part after a spaced separator.
_SITE_SUFFIX = re.compile(r"(?P<story>.+)\s+[-|–—]\s+(?P<site>.+)")
# Shaped like a publication's name: two to six words, the first and last capitalised, short
# articles and particles between ("Diario del Ebro", "Le Courrier d'Alsace", "News of the World").
_NAME_WORD = rf"(?:[{CAPITALS}]|[dl]['’][{CAPITALS}])[^\W\d_]*(?:['’&.-][^\W\d_]+)*\.?"
# A particle is in lower case: one that took "Éco" too left "Éco Éco … x" to backtrack for seconds.
_PUBLICATION_NAME = re.compile(
    rf"{_NAME_WORD}(?:\s+(?:[^\W\d_{CAPITALS}]{{1,4}}\s+)*{_NAME_WORD}){{1,5}}"
)
# What a title's last part names when it is the story's kind or a subheading, not a site's name:
# "Ferry fares to rise in May – Analysis", "Brexit | What It Means".
_NO_SITE_NAME = re.compile(
    r"(?:Analysis|Opinion|Video|Videos|Live|Obituary|Review|Photos|Pictures|Gallery|Explainer|"
    r"Podcast|Editorial|Comment|Interview|Feature|Watch|Listen|Updates?|Q&A)"
    r"|(?:What|Why|How|Who|When|Where|Which)\b.*",
    re.I,
)


def _without_site_name(title: str, source: str, tree: Any) -> tuple[str, str]:
    """The title without a trailing site name, and the source (the site), from a title like
    "Ferry fares to rise in May - Port Aldine Times". The last part is the site's name when the
    page declares that site (og:site_name), or when, undeclared, it is shaped like a
    publication's name ("Diario del Ebro"), or the page's own headline (an <h1>) is the rest of
    the title, but for a section's name (`_without_section`: "… - Local News - Port Aldine
    Times"), and its body names the site ("Copyright © Port Aldine Times"); never when an <h1>
    is the whole title. Why: a title that keeps the site's name is no article's title, and the
    source was empty; a <title> is all some pages have ("Drug trial results | Meridian Wire")."""
    split = _SITE_SUFFIX.fullmatch(title)
    if split is None:
        return title, source
    story, site = _without_section(split.group("story"), tree), split.group("site")
    if source:
        return (story, source) if site.casefold() == source.casefold() else (title, source)
    if _NO_SITE_NAME.fullmatch(site):
        return title, source
    headlines = {" ".join(h.text_content().split()).casefold() for h in tree.iter("h1")}
    if title.casefold() in headlines:  # the site's name is the headline's own last words
        return title, source
    body = " ".join(" ".join(tree.xpath("//body//text()")).split()).casefold()
    named = bool(_PUBLICATION_NAME.fullmatch(site)) or (
        story.casefold() in headlines and site.casefold() in body
    )
    return (story, site) if named else (title, source)


def _without_trailing_sections(title: str) -> str:
    """A <title> without the section labels after its site's name: "Drug trial results |
    Meridian Wire - Latest news" ends with its site's name once "Latest news" is gone. A label
    right after the story stays for `_without_section`, which checks it against the <h1>."""
    while (split := _SITE_SUFFIX.fullmatch(title)) and (
        _SITE_SUFFIX.fullmatch(split["story"]) and labels_a_section(split["site"])
    ):
        title = split["story"]
    return title


def _article_headline(tree: Any) -> str:
    """The headline the article sets itself: the one <h1> inside its <article> or <main>."""
    headings = tree.xpath("//article//h1 | //main//h1")
    return " ".join(headings[0].text_content().split()) if len(headings) == 1 else ""


# What sets a title's parts apart: "Story | News", "Story - Business » World".
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—:·»/]+\s+")


def _without_section(title: str, tree: Any) -> str:
    """The page's own headline (an <h1>) when the title is it and a section's name ("… in
    landmark ORBIT-Lp trial | News", its site's name already gone): a section's label is no
    story's words. Another suffix stays ("… · V8", "… - John C. Welch"): Readability keeps it."""
    for heading in tree.iter("h1"):
        headline = " ".join(heading.text_content().split())
        parts = _TITLE_SEPARATOR.split(title[len(headline) :]) if headline else []
        sections = len(parts) > 1 and not parts[0] and all(map(labels_a_section, parts[1:]))
        if sections and title.casefold().startswith(headline.casefold()):
            return title[: len(headline)]
    return title


def _masthead_outlet(tree: Any) -> str:
    """The outlet a page's masthead, outside its article, names and says what it is: "The Null
    Hypothesis — a blog about statistics in medicine" on one line, or a blog's title over its
    tagline ("A blog about statistics in medicine"), both dropped from the text as furniture."""
    for header in tree.xpath("//header[not(ancestor::article)] | //*[@role='banner']"):
        lines = [line for _, line in _block_elements(header)]
        pairs = [f"{name} — {about}" for name, about in itertools.pairwise(lines)]
        found = next(filter(None, map(described_outlet, lines + pairs)), "")
        if found:
            return found
    return ""


def _language_code(declared: str) -> str:
    """ "en-US", "en_GB", "EN" -> "en"."""
    code = re.split(r"[-_]", declared.strip())[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else ""


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
        if found is None:
            return Metadata()
        date = parse_date(found.date or "")
        if date.endswith("-01-01"):
            # The extensive search's last resort: a year alone on the page, often the footer's
            # "Copyright © 2019", taken as January 1. Only a date the markup declares is kept.
            declared = trafilatura.extract_metadata(raw, extensive=False)
            date = parse_date(declared.date or "") if declared else ""
    except Exception:  # best effort: the text is what matters
        return Metadata()
    return Metadata(
        title=found.title or "",
        author=found.author or "",
        date=date,
        source=found.sitename or "",
    )
