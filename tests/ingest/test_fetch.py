"""URL ingestion against a real HTTP server on 127.0.0.1: types, redirects, limits, SSRF."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest

from ingest.fetch import FetchError, fetch, is_url, sniff
from kb import KnowledgeBase
from kb.settings import FetchSettings, Settings

DATA = Path(__file__).resolve().parents[2] / "data"
ARTICLE = (DATA / "millbrook-flood-regional-wire.html").read_bytes()
PDF = (DATA / "millbrook-levee-inspection-followup.pdf").read_bytes()


class _Pages(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {
        "/article.html": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
        "/report": (200, {"Content-Type": "application/octet-stream"}, PDF),
        "/notes.txt": (200, {"Content-Type": "text/plain"}, b"Plain notes.\n\nAbout ferries."),
        "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        "/moved": (302, {"Location": "/article.html"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-private": (302, {"Location": "http://10.0.0.1/secret"}, b""),
        "/big": (200, {"Content-Type": "text/plain"}, b"x" * 30_000),
    }

    def do_GET(self) -> None:
        if self.path == "/trickle":  # each read is quick, the whole download is not
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(8):
                self.wfile.write(b"word " * 2000)
                self.wfile.flush()
                time.sleep(0.3)
            return
        if self.path == "/slow":
            time.sleep(2)
        status, headers, body = self.routes.get(self.path, (404, {}, b"not here"))
        if self.path == "/host":  # which name the request was for
            status, headers, body = (
                200,
                {"Content-Type": "text/plain"},
                self.headers["Host"].encode(),
            )
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


ALLOWED = FetchSettings(allow_hosts=["127.0.0.1"], timeout=5)


def test_html_page_is_fetched_and_sniffed(site: str) -> None:
    page = fetch(f"{site}/article.html", ALLOWED, max_bytes=1_000_000)
    assert (page.format, page.content) == ("html", ARTICLE)


def test_the_address_checked_is_the_address_connected_to(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a name that resolves to an allowed address when checked, and to something
    else on a second lookup, is fetched from the checked address (there is no second lookup)."""
    port = urlsplit(site).port
    lookups: list[str] = []
    real_lookup = socket.getaddrinfo

    def rebinding_dns(host: str, *args: Any, **kwargs: Any) -> Any:
        if host != "news.rebind.test":
            return real_lookup(host, *args, **kwargs)
        lookups.append(host)
        if len(lookups) > 1:
            raise socket.gaierror(socket.EAI_NONAME, "rebinding: now pointing elsewhere")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    page = fetch(f"http://news.rebind.test:{port}/host", ALLOWED, max_bytes=1_000_000)
    assert page.content == f"news.rebind.test:{port}".encode()  # the Host header names the host
    assert page.url == f"http://news.rebind.test:{port}/host"
    assert lookups == ["news.rebind.test"]


def test_mislabelled_pdf_is_recognised_by_its_bytes(site: str) -> None:
    assert fetch(f"{site}/report", ALLOWED, max_bytes=1_000_000).format == "pdf"


def test_redirect_is_followed_and_final_url_kept(site: str) -> None:
    assert fetch(f"{site}/moved", ALLOWED, max_bytes=1_000_000).url == f"{site}/article.html"


def test_the_location_of_a_page_has_its_scheme_in_lower_case(site: str) -> None:
    shouted = site.replace("http://", "HTTP://")
    assert fetch(f"{shouted}/article.html", ALLOWED, 1_000_000).url == f"{site}/article.html"


@pytest.mark.parametrize(
    ("path", "settings", "max_bytes", "reason"),
    [
        ("/missing", ALLOWED, 1_000_000, "HTTP 404 Not Found"),
        (
            "/loop",
            ALLOWED.model_copy(update={"max_redirects": 3}),
            1_000_000,
            "more than 3 redirects",
        ),
        ("/big", ALLOWED, 10_000, "over the 0.01 MB limit"),
        ("/image.png", ALLOWED, 1_000_000, "unsupported content type 'image/png'"),
        ("/slow", ALLOWED.model_copy(update={"timeout": 0.5}), 1_000_000, "timed out after 0.5 s"),
        (
            "/trickle",
            ALLOWED.model_copy(update={"total_timeout": 1.0}),
            1_000_000,
            "the download took longer than 1 s",
        ),
        ("/article.html", FetchSettings(), 1_000_000, "refusing to fetch '127.0.0.1'"),
        ("/to-private", ALLOWED, 1_000_000, "private, loopback or link-local address (10.0.0.1)"),
    ],
)
def test_each_failure_has_a_specific_reason(
    site: str, path: str, settings: FetchSettings, max_bytes: int, reason: str
) -> None:
    with pytest.raises(FetchError) as failure:
        fetch(f"{site}{path}", settings, max_bytes)
    assert reason in str(failure.value)


def test_unknown_host_and_bad_scheme() -> None:
    with pytest.raises(FetchError, match=r"cannot resolve host 'no-such-host\.invalid'"):
        fetch("http://no-such-host.invalid/x", ALLOWED, 1000)
    with pytest.raises(FetchError, match="not an http"):
        fetch("http:///nohost", ALLOWED, 1000)
    with pytest.raises(FetchError, match=r"cannot resolve host 'no-such-host\.invalid'"):
        fetch("HTTPS://no-such-host.invalid/x", ALLOWED, 1000)  # a scheme in capitals is one
    assert is_url("Http://example.com/x") and not is_url("ftp://example.com/x")


@pytest.mark.parametrize(
    ("content_type", "content", "expected"),
    [
        ("text/html", b"<!DOCTYPE html><html></html>", "html"),
        ("", b"  <html><body>hi</body></html>", "html"),
        ("text/plain", b"%PDF-1.7 ...", "pdf"),
        ("application/octet-stream", b"PK\x03\x04..word/document.xml..", "docx"),
        ("text/markdown; charset=utf-8", b"# Title", "md"),
        ("text/csv", b"a,b", "txt"),
    ],
)
def test_sniff(content_type: str, content: bytes, expected: str) -> None:
    assert sniff(content_type, content) == expected


def test_urls_ingest_alongside_files_and_fail_alone(site: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", fetch=ALLOWED)
    kb = KnowledgeBase(settings=settings)
    report = kb.ingest([f"{site}/moved", f"{site}/missing", f"{site}/notes.txt"])
    assert [r.status for r in report.results] == ["ingested", "failed", "ingested"]
    assert report.results[1].reason == "HTTP 404 Not Found"
    article = kb.article(report.results[0].article_id)
    assert article.location == f"{site}/article.html"
    assert article.title.startswith("Flash flood damages 312 homes")
    assert article.source == "Regional Wire"
    again = kb.ingest([f"{site}/article.html"]).results
    assert [r.status for r in again] == ["unchanged"]


def test_ipv6_forms_of_private_addresses_are_refused() -> None:
    for address in ("::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:c0a8:101::1", "::1"):
        with pytest.raises(FetchError, match="refusing to fetch"):
            fetch(f"http://[{address}]/x", FetchSettings(), 1000)


def test_malformed_urls_get_a_clear_reason() -> None:
    with pytest.raises(FetchError, match="invalid URL"):
        fetch("http://example.com:99999/", ALLOWED, 1000)
