"""Main content and metadata of web pages (ingest.html)."""

from __future__ import annotations

import json

import lxml.html
import pytest

from ingest import html
from ingest.html import article_paragraphs, decode_html, from_meta_tags, metadata
from ingest.loaders import LoadError, parse

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
    # Less the site's name: the <h1> is the rest of the <title>, the footer names the site.
    assert metadata(page()).title == "Ferry back in service"


def test_declared_charset_is_honoured() -> None:
    raw = (
        '<html><head><meta charset="windows-1252"></head><body><p>Café – “naïve”</p></body></html>'
    )
    assert article_paragraphs(raw.encode("cp1252")) == ["Café – “naïve”"]


def _sentence(place: str) -> str:
    return (
        f"The harbor ferry returned to service at {place} after three weeks of repairs, and"
        " commuters, who had taken a bus around the bay, were glad of it, the authority said."
    )


STORY = f"""<html><head><title>Ferry back</title></head><body><nav><a href="/">Home</a></nav>
<div class="main"><article><h1>Ferry back</h1>
<p>{_sentence("the north pier")}</p>
<div class="media"><figure><img src="a.jpg">
<figcaption>The ferry at the north pier on Monday morning.</figcaption></figure></div>
<p>{_sentence("the south pier")}</p>
<h2>What you will need</h2>
<ul><li>Warm coat</li><li>Umbrella</li><li><a href="/t">Ticket office</a></li></ul>
<p>{_sentence("the east pier")}</p>
<div class="sharedaddy"><h3>Share this:</h3><a href="#">Facebook</a></div>
<div style="display: none"><p>Hidden text a browser never shows to the reader at all.</p></div>
<p>{_sentence("the west pier")}</p>
<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3>
<p>Bridge closes for the winter, and other news of the week from the harbor town.</p></div>
<div class="tags"><ul><li>Harbor news</li><li>Ferries and boats</li></ul></div>
</article></div><footer>(c) 2026</footer></body></html>"""


def test_blocks_readability_drops_inside_the_article_come_back_in_place() -> None:
    paragraphs = article_paragraphs(STORY.encode())
    # readability-lxml drops the figure (an image) and the short list (more <li>s than <p>s).
    caption = paragraphs.index("The ferry at the north pier on Monday morning.")
    assert _sentence("the north pier") == paragraphs[caption - 1]
    assert paragraphs.index("Warm coat") == paragraphs.index("What you will need") + 1
    assert "Umbrella" in paragraphs
    assert "Ticket office" not in paragraphs  # a block that is all link stays out
    # Nothing after the article's last paragraph is put back (bios, tags, calls to action).
    assert "Ferries and boats" not in paragraphs


def test_share_related_and_hidden_blocks_are_dropped_by_class_and_style() -> None:
    text = "\n".join(article_paragraphs(STORY.encode()))
    for furniture in ("Share this", "Facebook", "Bridge closes", "Hidden text"):
        assert furniture not in text
    assert _sentence("the west pier") in text


def test_a_heading_slug_id_is_not_taken_for_furniture() -> None:
    raw = f"""<html><body><article>
    <div class="section" id="sharing-with-a-single-developer"><h2>Sharing with one developer</h2>
    <p>{_sentence("the dock")}</p><p>{_sentence("the quay")}</p></div>
    <div class="comments-area"><p>First! Great post, thanks for writing it up.</p></div>
    </article></body></html>"""
    paragraphs = article_paragraphs(raw.encode())
    assert _sentence("the quay") in paragraphs
    assert not any("First!" in p for p in paragraphs)


def test_trafilatura_wins_only_when_readability_found_a_strict_part_or_almost_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ours = [_sentence(p) for p in ("the north pier", "the south pier", "the bay", "the dock")]
    more = [*ours, *(_sentence(p) for p in ("the east pier", "the west pier", "the quay"))]
    other = ["A list of unrelated teasers from elsewhere on the site. " * 40]

    def use(found: list[str]) -> None:
        monkeypatch.setattr(html, "_trafilatura_paragraphs", lambda page: found)

    tree = lxml.html.document_fromstring("<html><body><p>x</p></body></html>")
    use(more)  # holds all of readability's words and 1.5 times more: a strict superset
    assert html._prefer_trafilatura(ours, tree) == more
    use(other)  # longer, but other words, and readability's text is not tiny
    assert html._prefer_trafilatura(ours, tree) == ours
    use(other)  # readability found under 100 words, trafilatura 3 times as many
    assert html._prefer_trafilatura(["Just a teaser."], tree) == other
    use([])
    assert html._prefer_trafilatura(ours, tree) == ours


def test_language_and_canonical_address_are_read_from_the_page() -> None:
    page = (
        '<html lang="en-US"><head><link rel="canonical" href="https://news.example/a/1">'
        "<title>T</title></head><body><p>x</p></body></html>"
    )
    found = from_meta_tags(page)
    assert (found.language, found.canonical_url) == ("en", "https://news.example/a/1")
    fallback = from_meta_tags(
        '<html><head><meta property="og:locale" content="de_DE">'
        '<meta property="og:url" content="https://zeitung.example/b"></head><body></body></html>'
    )
    assert (fallback.language, fallback.canonical_url) == ("de", "https://zeitung.example/b")
    assert from_meta_tags('<html lang="not a code"><body></body></html>').language == ""


def test_ads_are_dropped_by_class_and_by_their_own_label() -> None:
    places = [f"pier {number}" for number in range(12)]
    story = "".join(f"<p>{_sentence(place)}</p>" for place in places)
    # A whole page inside a wrapper named like an ad slot is no ad.
    raw = f"""<html><body><div id="ad-portal"><nav><a href="/">Home</a></nav>
    <div class="ad">ADVERTISEMENT: Buy the new SuperPhone X today! Limited offer.</div>
    <div>Sponsored: Cheap flights to the coast</div>
    <article><h1>Ferry back</h1>{story}
    <p>Sponsored by the harbor board, the new timetable starts in June, the authority said.</p>
    <div class="ads-slot">Buy a boat</div></article></div></body></html>"""
    text = "\n".join(article_paragraphs(raw.encode()))
    for ad in ("SuperPhone", "Cheap flights", "Buy a boat"):
        assert ad not in text
    assert all(_sentence(place) in text for place in places)
    assert "Sponsored by the harbor board" in text  # a sentence, not an ad's label


def test_a_link_calling_to_read_elsewhere_is_no_article_text() -> None:
    """ "Read more: Tram plans through the years" closed the article's text."""
    places = [f"stop {number}" for number in range(8)]
    story = "".join(f"<p>{_sentence(place)}</p>" for place in places)
    raw = f"""<html><body><article><h1>Tram line gets green light</h1>{story}
    <p class="readmore"><a href="/more">Read more: Tram plans through the years</a></p>
    <p>Read more about the route in <a href="/r">our guide</a>, the council said on Monday,
    since the plans were first shown to residents in the spring.</p></article></body></html>"""
    text = "\n".join(article_paragraphs(raw.encode()))
    assert "Tram plans through the years" not in text
    assert all(_sentence(place) in text for place in places)
    assert "Read more about the route in our guide" in text  # mostly words, not a link


def test_a_line_break_separates_words_and_a_table_row_is_one_line() -> None:
    raw = f"""<html><body><article><h1>Tram line gets green light</h1>
    <p>The city council voted<br>31 to 9 on Wednesday.</p><p>{_sentence("the depot")}</p>
    <table><tr><th>Year</th><th>Cost (m€)</th></tr><tr><td>2026</td><td>40</td></tr>
    <tr><td>2027</td><td></td><td>90</td></tr></table>
    <p>{_sentence("the canal")}</p></article></body></html>"""
    paragraphs = article_paragraphs(raw.encode())
    assert "The city council voted 31 to 9 on Wednesday." in paragraphs
    rows = paragraphs.index("Year | Cost (m€)")
    assert paragraphs[rows + 1 : rows + 3] == ["2026 | 40", "2027 | | 90"]
    # A table laying out the page (its cells hold paragraphs) is no row of data.
    layout = f"""<html><body><table><tr><td><a href="/">Home</a></td>
    <td><p>{_sentence("the dock")}</p><p>{_sentence("the quay")}</p></td></tr></table>
    </body></html>"""
    assert not any(" | " in p for p in article_paragraphs(layout.encode()))


def test_a_row_of_empty_cells_is_no_line_and_a_cell_spanning_rows_is_in_each() -> None:
    raw = f"""<html><body><article><h1>Ferry fares rise</h1><p>{_sentence("the ferry")}</p>
    <table><tr><th>Year</th><th>Fare</th></tr><tr><td></td><td> </td></tr>
    <tr><td rowspan=2>2026</td><td>$3</td></tr><tr><td>$4</td></tr>
    <tr><td colspan=2>Source: council</td></tr></table>
    <p>{_sentence("the pass")}</p></article></body></html>"""
    paragraphs = article_paragraphs(raw.encode())
    rows = paragraphs.index("Year | Fare")
    assert paragraphs[rows + 1 : rows + 4] == ["2026 | $3", "2026 | $4", "Source: council"]
    assert "|" not in paragraphs


def test_trafilatura_tables_read_as_rows() -> None:
    page = f"""<html><body><article><p>{_sentence("the dock")}</p>
    <table><tr><th>Year</th><th>Cost</th></tr><tr><td>2026</td><td>40</td></tr></table>
    </article></body></html>"""
    paragraphs = html._trafilatura_paragraphs(page)
    assert paragraphs[-2:] == ["Year | Cost", "2026 | 40"]


def test_a_page_of_only_navigation_and_footer_has_no_article_text() -> None:
    raw = b"<html><body><nav>Home</nav><header>Harbor Weekly</header><footer>c 2026</footer>"
    assert article_paragraphs(raw + b"</body></html>") == []
    # An article's own footer is the article's.
    assert article_paragraphs(
        b"<html><body><article><footer>Filed from the harbor.</footer></article></body></html>"
    ) == ["Filed from the harbor."]


def test_a_page_of_only_navigation_and_footer_fails_to_load() -> None:
    raw = b"<html><body><nav>Home</nav><footer>c 2026</footer></body></html>"
    with pytest.raises(LoadError, match="no text could be extracted from this HTML file"):
        parse(raw, "html", fallback_title="nav only")


SITE_PAGE = """<html><head><title>Ferry fares to rise in May {separator} Port Aldine Times</title>
{head}</head><body><nav>Home | Local</nav><article><h1>{headline}</h1>
<p>The Port Aldine ferry company will raise fares by 15 percent from May 1.</p></article>
<footer>Copyright © 2019 Port Aldine Times. Site updated 2024.</footer></body></html>"""


@pytest.mark.parametrize("separator", ["-", "|", "—"])
def test_the_site_name_leaves_the_title_and_becomes_the_source(separator: str) -> None:
    raw = SITE_PAGE.format(separator=separator, head="", headline="Ferry fares to rise in May")
    found = metadata(raw.encode())
    assert (found.title, found.source) == ("Ferry fares to rise in May", "Port Aldine Times")


def test_the_title_loses_only_the_name_of_the_site_the_page_declares() -> None:
    def found_for(head: str, headline: str = "Ferry fares to rise in May") -> tuple[str, str]:
        found = metadata(SITE_PAGE.format(separator="|", head=head, headline=headline).encode())
        return found.title, found.source

    declared = '<meta property="og:site_name" content="Port Aldine Times">'
    assert found_for(declared) == ("Ferry fares to rise in May", "Port Aldine Times")
    other = '<meta property="og:site_name" content="Harbor Weekly">'
    # Another site's name stays in the <title>; the article's own <h1> is the title it gives.
    assert found_for(other) == ("Ferry fares to rise in May", "Harbor Weekly")
    # Undeclared, and the <h1> is the whole title: the last part is the headline's.
    headline = "Ferry fares to rise in May | Port Aldine Times"
    assert found_for("", headline) == (headline, "")


def test_a_footer_copyright_year_is_not_the_article_date() -> None:
    raw = SITE_PAGE.format(separator="-", head="", headline="Ferry fares to rise in May")
    assert metadata(raw.encode()).date == ""
    declared = '<meta property="article:published_time" content="2026-01-01T08:00:00Z">'
    raw = SITE_PAGE.format(separator="-", head=declared, headline="Ferry fares to rise in May")
    assert metadata(raw.encode()).date == "2026-01-01"


@pytest.mark.parametrize("separator", ["|", "-"])
def test_an_undeclared_site_name_shaped_like_a_publication_leaves_the_title(
    separator: str,
) -> None:
    """The <h1> is the rest of the <title>, and the last part reads as a publication's name,
    though the body never names it."""
    story = "Tras la riada, la Ribera Baja exige ayudas"
    raw = (
        f"<html><head><title>{story} {separator} Diario del Ebro</title></head><body>"
        f"<h1>{story}</h1><p>Diez días después de la crecida extraordinaria del Ebro, el Consejo"
        " de Ministros aprobó la declaración de zona afectada.</p></body></html>"
    )
    found = metadata(raw.encode())
    assert (found.title, found.source) == (story, "Diario del Ebro")
    # A last part that is no publication's name stays in the headline.
    headline = f"{story} {separator} what farmers will be paid"
    raw = raw.replace(f"{story} {separator} Diario del Ebro", headline)
    kept = metadata(raw.encode())
    assert (kept.title, kept.source) == (headline, "")


@pytest.mark.parametrize(
    "title",
    [
        "Ferry fares to rise in May – Analysis",
        "Jane Goodall - Obituary",
        "Storm hits coast | Video",
        "Brexit | What It Means",
        "Ferry fares to rise in May | Ferries",
    ],
)
def test_a_section_label_or_a_single_word_after_the_headline_is_no_site_name(title: str) -> None:
    headline = title.split(" ")[0] if title.startswith("Brexit") else title.rsplit(" ", 2)[0]
    raw = (
        f"<html><head><title>{title}</title></head><body><h1>{headline}</h1>"
        "<p>The ferry company said on Monday that its fares would rise.</p></body></html>"
    )
    found = metadata(raw.encode())
    assert (found.title, found.source) == (title, "")


def test_a_long_run_of_accented_capitalised_words_is_read_quickly() -> None:
    """Accented capitals taken for particles made this backtrack for seconds."""
    title = "Ferry fares to rise | " + "Éco " * 300 + "x"
    raw = (
        f"<html><head><title>{title}</title></head><body><h1>Ferry fares to rise</h1></body></html>"
    )
    assert from_meta_tags(raw).source == ""


def test_a_page_with_a_stray_control_character_is_read_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """lxml refused the whole page ("All strings must be XML compatible"), and readability
    printed its traceback on stderr beside the file's own line."""
    raw = (
        b"<html><head><title>Ferry back</title></head><body><div><p>The harbour ferry returned"
        b" to service on Friday.</p><script>var a = 1;</script>\x01 Repairs took three weeks."
        b"</div></body></html>"
    )
    text = parse(raw, "html", fallback_title="ferry").text
    assert "returned to service on Friday" in text and "Repairs took three weeks" in text
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    ("title", "site"),
    [
        ("{story} | News | University of Northmoor", "University of Northmoor"),
        ("{story} - Local News - Port Aldine Times", ""),
        ("{story} | Business » World News", ""),
    ],
)
def test_a_section_after_the_headline_in_the_title_leaves_it(title: str, site: str) -> None:
    """The <title> was the <h1> and a section's name once the site's was gone: "… in landmark
    ORBIT-Lp trial | News" was the press release's title."""
    story = "Twice-yearly injection cuts heart attacks and strokes by 14% in landmark trial"
    declared = f'<meta property="og:site_name" content="{site}">' if site else ""
    raw = (
        f"<html><head><title>{title.format(story=story)}</title>{declared}</head><body>"
        f"<h1>{story}</h1><p>A twice-yearly injection reduced heart attacks and strokes by 14%"
        " in people with established heart disease.</p></body></html>"
    )
    assert metadata(raw.encode()).title == story


MERIDIAN_PAGE = """<html><head><title>Drug trial results | Meridian Wire - Latest news</title>
</head><body><nav>Home | Health</nav>{article}</body></html>"""
MERIDIAN_TEXT = (
    "<p>A twice-daily tablet halved the rate of relapse in people with multiple sclerosis, the"
    " trial's investigators reported on Monday.</p>"
)


def test_the_articles_own_h1_is_its_title_over_the_pages_title() -> None:
    """A page with no declared title was listed by its <title>, "Drug trial results | Meridian
    Wire - Latest news", though its article sets its headline in an <h1>."""
    article = f"<article><h1>Westmere drug halves relapse rate</h1>{MERIDIAN_TEXT}</article>"
    found = metadata(MERIDIAN_PAGE.format(article=article).encode())
    assert (found.title, found.source) == ("Westmere drug halves relapse rate", "Meridian Wire")


def test_a_title_that_is_all_there_is_loses_its_site_name_and_section() -> None:
    found = metadata(MERIDIAN_PAGE.format(article=f"<article>{MERIDIAN_TEXT}</article>").encode())
    assert (found.title, found.source) == ("Drug trial results", "Meridian Wire")


def test_a_declared_title_stays_over_the_articles_h1() -> None:
    head = '<meta property="og:title" content="Westmere drug halves MS relapse rate in trial">'
    article = f"<article><h1>Westmere drug halves relapse rate</h1>{MERIDIAN_TEXT}</article>"
    raw = MERIDIAN_PAGE.format(article=article).replace("</head>", f"{head}</head>")
    assert metadata(raw.encode()).title == "Westmere drug halves MS relapse rate in trial"


@pytest.mark.parametrize(
    "masthead",
    [
        '<div class="masthead">The Null Hypothesis — a blog about statistics in medicine</div>',
        '<p class="site-title"><a href="/">The Null Hypothesis</a></p>'
        '<p class="site-description">A blog about statistics in medicine</p>',
    ],
)
def test_a_blogs_masthead_naming_and_describing_it_is_the_source(masthead: str) -> None:
    """A blog's masthead ("The Null Hypothesis — a blog about statistics in medicine") is
    dropped from the text as furniture: the post named no source."""
    raw = (
        f"<html><head><title>Why a p-value of 0.04 proves less</title></head><body>"
        f"<header>{masthead}<nav><a href='/'>Home</a></nav></header><main><article>"
        "<h1>Why a p-value of 0.04 proves less</h1><p>A p-value says how surprising the data"
        " would be if the drug did nothing at all.</p></article></main></body></html>"
    )
    assert metadata(raw.encode()).source == "The Null Hypothesis"
