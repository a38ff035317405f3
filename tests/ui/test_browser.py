"""End to end in a real browser: `kb ui` (Streamlit) on a free local port with an empty KB_HOME,
driven by Playwright in Debian's headless Chromium (/usr/bin/chromium; `playwright install` is
never needed). Upload, Library, a cited bullet, Ask with sources, Delete, and hostile markup in an
article staying text. Screenshots of every step go to tests/artifacts/browser/.

Skipped only when /usr/bin/chromium or the playwright package is missing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fakes.openai_server import FakeOpenAIServer

from kb.local_model import answers_within, free_port
from ui.render import file_stem

try:
    from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
except ImportError:  # the dev extra is not installed: the `chromium` fixture skips
    PLAYWRIGHT_IMPORTED = False
else:
    PLAYWRIGHT_IMPORTED = True

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
ARTIFACTS = REPO / "tests" / "artifacts" / "browser"
# Debian's, or another build's binary named by CHROMIUM_PATH (never one Playwright downloads).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
RECALL_FILE = "voltaic-vx40-recall-announced.html"
SAFETY_FILE = "voltaic-vx40-consumer-safety.md"
RECALL_TITLE = "Voltaic Cell Works recalls 86,000 VX-40 e-bike batteries after fires"
SAFETY_TITLE = "Own a VX-40 E-Bike Battery? Stop Charging It Today"
QUESTION = "What did the recall cover and what did the safety regulator say?"
SERVER_START_S = 120.0  # `kb ui` until /_stcore/health answers
LOCAL_HOSTS = ("127.0.0.1", "localhost")
WAIT_MS = 120_000  # any one wait in the page: the first run loads the embedding model
# A .txt keeps its tags as literal text (a .md or .html file goes through an HTML parser).
HOSTILE_TITLE = "Hostile markup sample"
SCRIPT_TAG = "<script>window.__pwned = 1</script>"
IMG_TAG = '<img src=x onerror="window.__pwned=1">'
MD_IMAGE = "![pwned](x)"  # Markdown: Streamlit renders no raw HTML, but it does render Markdown
MD_LINK = "[click me](javascript:window.__pwned=1)"
HOSTILE_TEXT = f"""{HOSTILE_TITLE}

Plain words come first in this sample. The tag {SCRIPT_TAG} must show as text. An image tag \
{IMG_TAG} must show as text as well. Plain words come last in this sample article.

A Markdown image {MD_IMAGE} and a Markdown link {MD_LINK} must show as text in the article too.
"""

pytestmark = pytest.mark.timeout(420)  # each test; setup included (server, model)


# --- the app and the browser ---------------------------------------------------------------------


def _stop(server: subprocess.Popen[bytes]) -> None:
    """The whole process group: `kb ui` and the Streamlit server it started."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not PLAYWRIGHT_IMPORTED:
        pytest.skip("browser test: the playwright package is not installed (pip install -e .[dev])")
    if not CHROMIUM.is_file():
        pytest.skip(f"browser test: no Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def app_url(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kb ui` (the offline, extractive app) on a free 127.0.0.1 port, with an empty KB_HOME."""
    home = tmp_path_factory.mktemp("browser") / "kb-home"
    log_path = home.parent / "kb-ui.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {name: value for name, value in os.environ.items() if not name.startswith("KB_")}
    env |= {"KB_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env["KB_EMBED_CACHE"] = os.environ["KB_EMBED_CACHE"]  # the tests' copies of the model
    command = [
        sys.executable, "-m", "kb.cli", "ui",
        "--host", "127.0.0.1", "--port", str(port), "--no-local-llm",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        # Polling the health endpoint, not waiting for the page.
        if not answers_within(f"{url}/_stcore/health", server, SERVER_START_S):
            log_text = log_path.read_text(errors="replace")[-4000:]
            pytest.fail(f"`kb ui` did not come up on {url} (exit {server.poll()}):\n{log_text}")
        yield url
    finally:
        _stop(server)
        print(f"--- the end of {log_path}:\n{log_path.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
            expect.set_options(timeout=5_000)


def leaves_the_machine(url: str) -> bool:
    """Whether the browser asked another machine for `url`: the app is offline-first, so
    everything it shows comes from its own server (data: and blob: URLs are no request)."""
    parts = urlsplit(url)
    return parts.scheme not in ("data", "blob") and parts.hostname not in LOCAL_HOSTS


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    """A fresh browser context (so a fresh Streamlit session) on the app's first page, which
    must not raise a single uncaught script error, show a Streamlit exception, or make a single
    request to anywhere but the app's own server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(app_url)
    expect(main(opened).get_by_role("heading", name="Upload", exact=True)).to_be_visible()
    try:
        yield opened
        assert errors == [], f"uncaught errors in the page: {errors}"
        remote = [url for url in requested if leaves_the_machine(url)]
        assert remote == [], f"requests to other machines: {remote}"
    finally:
        context.close()


# --- helpers ---------------------------------------------------------------------------------------


def main(page: Page) -> Locator:
    """The page's main pane (its test id changes on pages with a chat input; its role does not)."""
    return page.get_by_role("main")


def settled(page: Page) -> None:
    """Until the app's script run is over: Streamlit draws a page bit by bit while it runs."""
    state = page.get_by_test_id("stApp")
    expect(state).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def screenshot(page: Page, name: str) -> None:
    """The whole page. Streamlit scrolls inside its main pane, so a full-page screenshot alone
    would stop at the window's height: the window grows to the content for the shot."""
    settled(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1280, "height": 900}
    height = page.evaluate(
        """() => Math.max(...['main', '[data-testid="stSidebarContent"]'].map(
            selector => document.querySelector(selector)?.scrollHeight ?? 0))"""
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    try:
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    finally:
        page.set_viewport_size(size)


def go_to(page: Page, title: str) -> None:
    """A page of the app, through the sidebar's navigation."""
    page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    expect(main(page).get_by_role("heading", name=title, exact=True)).to_be_visible()
    settled(page)


def article_count(page: Page) -> int:
    """The count in the sidebar ("3 articles")."""
    caption = page.get_by_test_id("stSidebar").get_by_text(re.compile(r"\d+ articles?\b"))
    expect(caption).to_be_visible()
    found = re.search(r"(\d+) articles?\b", caption.inner_text())
    assert found, caption.inner_text()
    return int(found.group(1))


def upload(page: Page, files: list[Path], screenshot_name: str) -> None:
    """Choose the files in the uploader, press Ingest, wait for all of them to be ingested and
    for their summaries, which the page makes in the background, to be done."""
    go_to(page, "Upload")
    page.locator("input[type=file]").set_input_files(files)
    for file in files:  # the uploader shortens long names; its remove buttons have them whole
        expect(main(page).get_by_role("button", name=f"Remove {file.name}")).to_be_visible()
    main(page).get_by_role("button", name="Ingest", exact=True).click()
    n = len(files)
    done = f"Done: {n} ingested · Summaries done: {n}/{n} (details below)"
    expect(main(page).get_by_text(done, exact=True)).to_be_visible()
    results = main(page).get_by_test_id("stTable")
    for file in files:
        expect(results).to_contain_text(file.name)
    settled(page)
    expect(main(page).get_by_text("Summaries done")).to_have_count(1)  # said once
    screenshot(page, screenshot_name)


def card(page: Page, title: str) -> Locator:
    """The Library's card for `title`: the innermost block holding both the title and an "Open"
    button (a button of its own: the Sort selectbox's dropdown toggle is named "Open" too)."""
    open_button = page.get_by_test_id("stButton").get_by_role("button", name="Open", exact=True)
    blocks = main(page).get_by_test_id("stVerticalBlock")
    return blocks.filter(has=page.get_by_text(title, exact=True)).filter(has=open_button).last


def open_article(page: Page, title: str) -> None:
    """Open an article's summary from its card's "Open" button, on the Library page."""
    go_to(page, "Library")  # the list, even with an article open (it has a page of its own)
    card(page, title).get_by_role("button", name="Open", exact=True).click()
    expect(main(page).get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(main(page).get_by_role("heading", name="Abstract", exact=True)).to_be_visible()
    settled(page)


@contextmanager
def reloaded(page: Page) -> Iterator[Page]:
    """`page`'s address opened in a new tab: a new session, as after a reload."""
    again = page.context.new_page()
    try:
        again.goto(page.url)
        settled(again)
        yield again
    finally:
        again.close()


def use_endpoint(page: Page, url: str) -> None:
    """Answers and summaries by the LLM at `url` from now on; with "", offline again."""
    go_to(page, "Settings")
    main(page).get_by_label("Endpoint (OpenAI-compatible base URL)").fill(url)
    main(page).get_by_role("button", name="Save and use", exact=True).click()
    expect(main(page).get_by_text(re.compile(r"^Saved\. Mode: "))).to_be_visible()
    settled(page)


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- the tests -------------------------------------------------------------------------------------


def test_upload_read_cite_ask_delete(page: Page) -> None:
    # 1. Upload two articles.
    upload(page, [DATA / RECALL_FILE, DATA / SAFETY_FILE], "01-upload")

    # 2. The Library lists both, a card each.
    go_to(page, "Library")
    for title in (RECALL_TITLE, SAFETY_TITLE):
        expect(card(page, title)).to_be_visible()
    screenshot(page, "02-library")

    # 3. One article's summary: the abstract and numbered Q&A sections.
    open_article(page, RECALL_TITLE)
    abstract = main(page).get_by_role("heading", name="Abstract", exact=True)
    expect(abstract.locator("xpath=following::p[1]")).to_contain_text("86,000")
    expect(main(page).get_by_role("heading", name=re.compile(r"^\[01\] \S"))).to_be_visible()
    # For a reader: the uploaded file's own name, no chunk count or id (those are in a tooltip),
    # and the export named after the title.
    expect(main(page).get_by_text(f"From: {RECALL_FILE}", exact=True)).to_be_visible()
    expect(main(page).get_by_text(re.compile(r"\bchunks?\b"))).to_have_count(0)
    with page.expect_download() as download:
        main(page).get_by_role("button", name="Download summary (Markdown)").click()
    assert download.value.suggested_filename == f"{file_stem(RECALL_TITLE, '')}-summary.md"
    screenshot(page, "03-summary")

    # 4. A bullet's citation: the cited sentence, highlighted within the article's text.
    row = (
        main(page)
        .get_by_test_id("stHorizontalBlock")
        .filter(has=page.get_by_role("button", name="source", exact=True))
    )
    bullet = squeeze(row.first.get_by_role("listitem").inner_text())
    assert len(bullet) > 20, bullet
    citation = page.get_by_role("dialog", name="source")
    expect(citation).to_be_hidden()
    row.first.get_by_role("button", name="source", exact=True).click()
    expect(citation).to_be_visible()
    highlighted = citation.locator(".stMarkdownColoredBackground")
    expect(highlighted.first).to_be_visible()
    assert bullet in squeeze(" ".join(highlighted.all_inner_texts()))
    # Character offsets are in a tooltip, not in the reader's way.
    expect(citation.get_by_text(re.compile(r"\bchars \d+"))).to_have_count(0)
    # Text around the cited sentence is shown too, not highlighted.
    assert len(squeeze(citation.inner_text())) > len(bullet) + 40
    screenshot(page, "04-citation")
    page.keyboard.press("Escape")
    expect(citation).to_be_hidden()

    # 4b. Library in the menu, with the article open: the list again.
    go_to(page, "Library")
    expect(card(page, SAFETY_TITLE)).to_be_visible()
    expect(main(page).get_by_role("button", name="Back to the library")).to_have_count(0)

    # 5. Ask across both articles: an answer with numbered sources; [1] opens on its quote.
    go_to(page, "Ask")
    chat = page.get_by_placeholder("Ask a question about your articles")
    chat.fill(QUESTION)
    chat.press("Enter")
    messages = main(page).get_by_test_id("stChatMessage")
    expect(messages).to_have_count(2)
    expect(messages.first).to_contain_text(QUESTION)
    reply = messages.last
    expect(reply.get_by_text("Sources", exact=True)).to_be_visible()
    settled(page)
    # An expander's label, without the text of its chevron icon.
    label = page.locator("summary [data-testid=stMarkdownContainer]")
    expanders = reply.get_by_test_id("stExpander")
    for title in (RECALL_TITLE, SAFETY_TITLE):  # a cross-article question cites both
        expect(expanders.filter(has=label.filter(has_text=title)).first).to_be_visible()
    first = expanders.filter(has=label.filter(has_text=re.compile(r"^\[1\] ")))
    expect(first).to_have_count(1)
    quote = first.get_by_test_id("stExpanderDetails").get_by_test_id("stMarkdownContainer").first
    where = first.get_by_text(
        re.compile(r"^\S.* · \d{4}-\d{2}-\d{2}")
    )  # source · date (help icon after)
    expect(where).to_be_hidden()
    first.locator("summary").click()
    expect(where).to_be_visible()
    expect(quote).to_be_visible()
    expect(first.get_by_text(re.compile(r"\bchars \d+|of article \w+"))).to_have_count(0)
    quoted = squeeze(quote.inner_text())
    assert len(quoted) > 20, quoted
    # Offline, an answer is made of the quoted sentences themselves, each followed by its mark.
    expect(reply.get_by_text("offline extractive", exact=True)).to_be_visible()
    answer = squeeze(reply.get_by_test_id("stMarkdownContainer").first.inner_text())
    assert f"{quoted} [1]" in answer, (quoted, answer)
    screenshot(page, "05-ask")

    # 5a. A [n] in the answer is a link to source n's box, which it brings into view, outlined,
    # and opens (it took a second click); a click on the box's own label closes it again.
    second = expanders.filter(has=label.filter(has_text=re.compile(r"^\[2\] ")))
    outline = "el => getComputedStyle(el.querySelector('details')).outlineStyle"
    assert second.evaluate(outline) == "none"
    second_quote = second.get_by_test_id("stExpanderDetails")
    expect(second_quote).to_be_hidden()
    mark = reply.get_by_test_id("stMarkdownContainer").first.get_by_role("link", name="[2]").first
    mark.click()
    expect(page).to_have_url(re.compile(r"#ask_0-source-2$"))
    expect(second).to_be_in_viewport()
    expect(second_quote).to_be_visible()
    assert second.evaluate(outline) == "solid"
    assert first.evaluate(outline) == "none"
    mark.click()  # again: it stays open
    expect(second_quote).to_be_visible()
    second.locator("summary").click()
    expect(second_quote).to_be_hidden()

    # 5b. A reload keeps the conversation: the address names it. (Reloaded in a tab of its
    # own, as a reload is a new session: this one's last upload is looked at below.)
    expect(page).to_have_url(re.compile(r"/ask\?chat=\w+"))
    with reloaded(page) as again:
        messages_again = main(again).get_by_test_id("stChatMessage")
        expect(messages_again).to_have_count(2)
        expect(messages_again.first).to_contain_text(QUESTION)
        shown = messages_again.last.get_by_test_id("stMarkdownContainer").first
        assert squeeze(shown.inner_text()) == answer

    # 5c. "Open in article": the Library shows that article with the quoted passage highlighted.
    first.get_by_role("button", name="Open in article").click()
    passage = main(page).get_by_text("The cited passage, where it stands in the article")
    expect(passage).to_be_visible()
    settled(page)
    highlighted = main(page).locator(".stMarkdownColoredBackground")
    expect(highlighted.first).to_be_visible()
    assert quoted in squeeze(" ".join(highlighted.all_inner_texts())), quoted
    screenshot(page, "05b-open-in-article")
    # Its address names it: a reload (or a bookmark) opens it again.
    expect(page).to_have_url(re.compile(r"/article\?id=\w+$"))
    with reloaded(page) as again:
        expect(main(again).get_by_role("heading", name="Abstract", exact=True)).to_be_visible()
        expect(main(again).get_by_text("No article is open")).to_have_count(0)

    # 6. Delete an article: confirmed, reported, and gone from the library and the count.
    go_to(page, "Library")
    before = article_count(page)
    open_article(page, SAFETY_TITLE)
    main(page).get_by_role("button", name="Delete", exact=True).click()
    expect(main(page).get_by_role("button", name="Yes, delete", exact=True)).to_be_visible()
    settled(page)  # the summary stays in view while the question is asked
    expect(main(page).get_by_role("heading", name="Abstract", exact=True)).to_be_visible()
    screenshot(page, "06-delete-question")
    main(page).get_by_role("button", name="Yes, delete", exact=True).click()
    expect(main(page).get_by_text(f"Deleted “{SAFETY_TITLE}”.", exact=True)).to_be_visible()
    expect(card(page, RECALL_TITLE)).to_be_visible()
    expect(main(page).get_by_text(SAFETY_TITLE, exact=True)).to_have_count(0)
    assert article_count(page) == before - 1
    screenshot(page, "06-deleted")
    go_to(page, "Upload")  # and back: the notice is gone, and so is the article
    # The last upload offers to open the article that is left, not the deleted one.
    expect(main(page).get_by_role("button", name="Open in Library")).to_have_count(1)
    expect(main(page).get_by_text("Deleted from the knowledge base since.")).to_be_visible()
    go_to(page, "Library")
    expect(card(page, RECALL_TITLE)).to_be_visible()
    expect(main(page)).not_to_contain_text(SAFETY_TITLE)


def test_markup_in_an_article_stays_text(page: Page, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile-markup.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    upload(page, [hostile], "07-hostile-upload")

    go_to(page, "Library")
    open_article(page, HOSTILE_TITLE)
    abstract = main(page).get_by_role("heading", name="Abstract", exact=True)
    abstract_text = abstract.locator("xpath=following::p[1]")
    for tag in (SCRIPT_TAG, IMG_TAG):
        expect(abstract_text).to_contain_text(tag)
    main(page).get_by_text("Show full text", exact=True).click()
    full_text = main(page).get_by_test_id("stExpanderDetails")
    for markup in (SCRIPT_TAG, IMG_TAG, MD_IMAGE, MD_LINK):
        expect(full_text.get_by_text(markup)).to_be_visible()
    expect(page.locator("img[src='x'], img[onerror]")).to_have_count(0)
    expect(page.locator("a[href^='javascript']")).to_have_count(0)
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "08-hostile-article")


def test_every_page_is_served_by_the_app_alone(page: Page) -> None:
    """Offline, a request to another machine fails (a console error, a missing icon) and online
    it tells that machine the app is in use: the `page` fixture fails on any such request."""
    for title in ("Library", "Ask", "Digest", "Settings", "Upload"):
        go_to(page, title)
    favicon = page.locator("link[rel='shortcut icon']")
    expect(favicon).to_have_attribute("href", re.compile(r"^data:"))  # the page icon, inline


def test_testing_the_connection_says_it_is_waiting(page: Page) -> None:
    """An endpoint slow to answer holds the page until it answers or times out: a spinner says
    what is awaited. The fake endpoint answers only once the spinner has been seen."""
    answer = threading.Event()

    def held_reply(messages: list[dict[str, Any]]) -> str:
        answer.wait(timeout=WAIT_MS / 1000)
        return "OK"

    with FakeOpenAIServer(reply=held_reply) as endpoint:
        go_to(page, "Settings")
        main(page).get_by_label("Endpoint (OpenAI-compatible base URL)").fill(endpoint.url)
        main(page).get_by_role("button", name="Test connection", exact=True).click()
        try:
            expect(main(page).get_by_text("Testing the connection…")).to_be_visible()
        finally:
            answer.set()
        expect(main(page).get_by_text(re.compile("^Connected: "))).to_be_visible()
        expect(main(page).get_by_text("Testing the connection…")).to_have_count(0)


def test_a_new_page_of_cards_is_shown_from_its_top(page: Page, tmp_path: Path) -> None:
    """The pager is under the cards: "Next" left the next page scrolled to its bottom."""
    notes = []
    for number in range(11):  # with the articles of the tests before: more than a page
        note = tmp_path / f"pager-note-{number:02d}.txt"
        note.write_text(f"Pager note {number:02d}\n\nThe board of town {number} met on roads.")
        notes.append(note)
    upload(page, notes, "09-pager-upload")
    go_to(page, "Library")
    # Short enough that the last page's few cards, too, are more than a window.
    page.set_viewport_size({"width": 1280, "height": 320})
    heading = main(page).get_by_role("heading", name="Library", exact=True)
    forward = main(page).get_by_role("button", name="Next", exact=True)
    forward.scroll_into_view_if_needed()
    expect(heading).not_to_be_in_viewport()
    forward.click()
    expect(main(page).get_by_text(re.compile(r"^Page 2 of \d+$"))).to_be_visible()
    settled(page)
    expect(heading).to_be_in_viewport()


def test_the_upload_results_fit_a_narrow_window(page: Page, tmp_path: Path) -> None:
    """At 420 px the table was wider than the page and its Reason column cut off at the right
    edge ("the file i…"), to be scrolled to."""
    empty = tmp_path / "an-empty-file-with-a-rather-long-name-of-notes.txt"
    empty.write_text("")
    page.set_viewport_size({"width": 420, "height": 900})
    page.locator("input[type=file]").set_input_files([empty])
    expect(main(page).get_by_role("button", name=f"Remove {empty.name}")).to_be_visible()
    typed = "https://example.invalid/a-story-that-cannot-be-fetched-as-there-is-no-such-host"
    main(page).get_by_label("Or web addresses, one per line").fill(f"{typed}\nnot an address")
    page.keyboard.press("Tab")
    settled(page)
    main(page).get_by_role("button", name="Ingest", exact=True).click()
    # The failed files named at the top: the table saying so may be below the window's bottom.
    done = f"Done: 3 failed: not an address, {empty.name}, {typed} (details below)"
    expect(main(page).get_by_text(done, exact=True)).to_be_visible()
    settled(page)
    table = main(page).get_by_test_id("stTable")
    expect(table).to_contain_text("the file is empty")
    # And on a phone, where the five columns, however wrapped, were wider than the page (at
    # 360 px the Reason column was cut off again): a list, each row's cells under their names.
    for width in (420, 360, 320):
        page.set_viewport_size({"width": width, "height": 900})
        outside = table.evaluate(
            "table => [table, ...table.querySelectorAll('*')].filter(e => "
            "e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth)"
            ".map(e => e.tagName)"
        )
        assert outside == [], (width, outside)
        screenshot(page, f"10-upload-narrow-{width}")


def test_the_article_count_counts_new_articles_before_their_summaries(
    page: Page, tmp_path: Path
) -> None:
    """The sidebar, drawn outside the parts of the page that follow an upload, counted the new
    articles only once their summaries were made. An LLM holds the summary back meanwhile."""
    note = tmp_path / "pier-lighting-note.txt"
    note.write_text("Pier lighting note\n\nThe harbour board voted to light the Zephyrine pier.")
    summarising = threading.Event()
    go_on = threading.Event()

    def held_summary(messages: list[dict[str, Any]]) -> str:
        if "Zephyrine" not in json.dumps(messages):
            return "OK"  # the connection test on saving
        summarising.set()
        go_on.wait(timeout=WAIT_MS / 1000)
        return "not a summary"

    before = article_count(page)
    with FakeOpenAIServer(reply=held_summary) as endpoint:
        use_endpoint(page, endpoint.url)
        try:
            go_to(page, "Upload")
            page.locator("input[type=file]").set_input_files([note])
            main(page).get_by_role("button", name="Ingest", exact=True).click()
            expect(main(page).get_by_text(re.compile(r"^Files done: 1 ingested"))).to_be_visible()
            assert summarising.is_set()
            sidebar = page.get_by_test_id("stSidebar")
            counted = re.compile(rf"\b{before + 1} articles?$")
            expect(sidebar.get_by_text(counted)).to_be_visible()
        finally:
            go_on.set()
            expect(main(page).get_by_text(re.compile(r"^Done: 1 ingested"))).to_be_visible()
            use_endpoint(page, "")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Offline extractive")


def test_regenerate_says_at_once_that_it_regenerates(page: Page, tmp_path: Path) -> None:
    """Streamlit's spinner shows only after half a second: a regeneration of a second or two
    showed nothing at all. An LLM holds the summary back until the page has said so; the badge
    under the title keeps naming the summary shown meanwhile (it was blank until the end)."""
    note = tmp_path / "ferry-timetable-note.txt"
    note.write_text("Ferry timetable note\n\nThe Quillon ferry runs twice an hour from May.")
    upload(page, [note], "11-regenerate-upload")
    go_on = threading.Event()

    def held_summary(messages: list[dict[str, Any]]) -> str:
        if "Quillon" in json.dumps(messages):
            go_on.wait(timeout=WAIT_MS / 1000)
        return "OK"  # no summary: the offline one is shown, and a notice says why

    with FakeOpenAIServer(reply=held_summary) as endpoint:
        use_endpoint(page, endpoint.url)
        try:
            open_article(page, "Ferry timetable note")
            main(page).get_by_role("button", name="Regenerate summary").click()
            running = (
                main(page).get_by_test_id("stExpander").filter(has_text="Regenerating the summary…")
            )
            expect(running).to_be_visible()
            expect(main(page).get_by_text("offline extractive", exact=True)).to_be_visible()
            page.screenshot(path=ARTIFACTS / "11-regenerating.png")  # while it runs
        finally:
            go_on.set()
        settled(page)
        expect(running).to_have_count(0)
        expect(main(page).get_by_role("heading", name="Abstract", exact=True)).to_be_visible()
        use_endpoint(page, "")


def test_a_card_shows_its_summary_once_made_without_a_reload(page: Page, tmp_path: Path) -> None:
    """The Library said "Summary being made now" until the reader reloaded the page. An LLM
    holds the summary back until the card has said so; nothing is clicked after."""
    note = tmp_path / "tram-depot-note.txt"
    note.write_text("Tram depot note\n\nThe Vellacourt tram depot will close for repairs in June.")
    go_on = threading.Event()

    def held_summary(messages: list[dict[str, Any]]) -> str:
        if "Vellacourt" in json.dumps(messages):
            go_on.wait(timeout=WAIT_MS / 1000)
        return "not a summary"  # unusable: the offline summary is stored instead

    with FakeOpenAIServer(reply=held_summary) as endpoint:
        use_endpoint(page, endpoint.url)
        try:
            go_to(page, "Upload")
            page.locator("input[type=file]").set_input_files([note])
            main(page).get_by_role("button", name="Ingest", exact=True).click()
            expect(main(page).get_by_text(re.compile(r"^Files done: 1 ingested"))).to_be_visible()
            go_to(page, "Library")
            # Its card alone: with the other tests' articles, it may be on another page of cards.
            main(page).get_by_label("Search").fill("Tram depot note")
            page.keyboard.press("Enter")
            being_made = card(page, "Tram depot note").get_by_text("Summary being made now")
            expect(being_made).to_be_visible()
            screenshot(page, "12-library-awaiting")
            go_on.set()
            made = card(page, "Tram depot note").get_by_text(re.compile("Vellacourt tram depot"))
            expect(made).to_be_visible(timeout=30_000)
            expect(being_made).to_have_count(0)
            screenshot(page, "13-library-summary-arrived")
        finally:
            go_on.set()
            use_endpoint(page, "")


def test_digest_citations_sit_beside_their_statements_on_a_phone(page: Page) -> None:
    """At 390 px each statement's [n] marks, in columns that stacked, took a line of their
    own under it, doubling the digest's length: they stay on its right, as on a desktop."""
    upload(
        page,
        [DATA / "millbrook-flood-ledger.md", DATA / "millbrook-flood-regional-wire.html"],
        "14-digest-upload",
    )
    go_to(page, "Digest")  # then a phone's width: its sidebar is folded away
    page.set_viewport_size({"width": 390, "height": 844})
    main(page).get_by_label("Story or topic").fill("Millbrook flood")
    page.keyboard.press("Tab")
    main(page).get_by_role("button", name="Make digest", exact=True).click()
    expect(main(page).get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    settled(page)
    marks = main(page).get_by_test_id("stPopover")
    expect(marks.first).to_be_visible()
    beside = marks.evaluate_all(
        """marks => marks.map(mark => {
            let row = mark.parentElement;
            while (!row.querySelector('[data-testid=stMarkdown]')) row = row.parentElement;
            const text = row.querySelector('[data-testid=stMarkdown]').getBoundingClientRect();
            const chip = mark.getBoundingClientRect();
            return chip.top < text.bottom && chip.left >= text.right - 1;
        })"""
    )
    assert beside and all(beside), beside
    screenshot(page, "15-digest-phone")
