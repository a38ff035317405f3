"""Fetch an article from a URL: timeouts, a size cap, few redirects, type sniffing, no SSRF.

Every hop of a redirect chain is checked: the host must resolve only to public addresses unless
settings.fetch.allow_hosts names it (the tests serve pages from 127.0.0.1 that way). The connection
then goes to the address that was checked, not to a second lookup, so a DNS server that answers
differently the second time (DNS rebinding) cannot turn a public name into a private address.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.loaders import LoadError, magic_format
from kb.settings import FetchSettings

_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


class FetchError(LoadError):
    """A URL that could not be fetched; the message says why (DNS, HTTP status, timeout...)."""


@dataclass
class Fetched:
    url: str  # after redirects
    content: bytes
    format: str


def is_url(item: str) -> bool:
    return item.lower().startswith(("http://", "https://"))  # a scheme has no case


def fetch(url: str, settings: FetchSettings, max_bytes: int) -> Fetched:
    """The page at `url`; `Fetched.url` is where it was found, as the article's location."""
    url = _without_case(url)
    headers = {"User-Agent": settings.user_agent, "Accept": "text/html,application/pdf,*/*;q=0.5"}
    deadline = time.monotonic() + settings.total_timeout
    with httpx.Client(timeout=settings.timeout, follow_redirects=False, headers=headers) as client:
        for _ in range(settings.max_redirects + 1):
            target, host, server_name = _pinned(url, _check_host(url, settings))
            try:
                with client.stream(
                    "GET", target, headers={"Host": host}, extensions={"sni_hostname": server_name}
                ) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        phrase = response.reason_phrase or "error"
                        raise FetchError(f"HTTP {response.status_code} {phrase}")
                    content = _read_capped(response, max_bytes, deadline, settings.total_timeout)
                    kind = response.headers.get("content-type", "")
                    return Fetched(url=url, content=content, format=sniff(kind, content))
            except httpx.TimeoutException as error:
                raise FetchError(f"timed out after {settings.timeout:g} s") from error
            except httpx.HTTPError as error:
                raise FetchError(
                    f"cannot fetch the page ({error.__class__.__name__}: {error})"
                ) from error
    raise FetchError(f"more than {settings.max_redirects} redirects")


def _without_case(url: str) -> str:
    """A scheme and a host have no case: "HTTPS://Example.com/A" is the location
    "https://example.com/A", the same article as that address in lower case."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    return parts._replace(scheme=parts.scheme.lower(), netloc=userinfo + at + host.lower()).geturl()


def _pinned(url: str, address: str) -> tuple[str, str, str]:
    """The request for `url` sent to `address`: the URL names the address, the Host header and
    the TLS server name (which the certificate is checked against) name the host."""
    parts = urlsplit(url)
    netloc = f"[{address}]" if ":" in address else address
    if parts.port:
        netloc += f":{parts.port}"
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=netloc).geturl(), host, str(parts.hostname)


def _check_host(url: str, settings: FetchSettings) -> str:
    """The address to connect to, once every address the host resolves to is allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve host '{host}' ({error.strerror})") from error
    except (ValueError, UnicodeError) as error:
        raise FetchError(f"invalid URL {url} ({error})") from error
    addresses = [str(info[4][0]) for info in infos]
    if host in settings.allow_hosts:
        return addresses[0]
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not _public(address) and str(address) not in settings.allow_hosts:
            raise FetchError(
                f"refusing to fetch '{host}': it resolves to a private, loopback or link-local "
                f"address ({address}); add it to KB_FETCH_ALLOW_HOSTS to allow it"
            )
    return addresses[0]


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global, and so is any IPv4 address an IPv6 one carries (mapped, 6to4, NAT64)."""
    if not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        return inner is None or inner.is_global
    return True


def _read_capped(
    response: httpx.Response, max_bytes: int, deadline: float, total_timeout: float
) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(_too_large(int(declared), max_bytes))
    body = bytearray()
    for piece in response.iter_bytes():
        if time.monotonic() > deadline:
            raise FetchError(f"the download took longer than {total_timeout:g} s")
        body += piece
        if len(body) > max_bytes:
            raise FetchError(_too_large(len(body), max_bytes, at_least=True))
    return bytes(body)


def _too_large(size: int, max_bytes: int, at_least: bool = False) -> str:
    amount = f"{'over ' if at_least else ''}{size / 1e6:.1f} MB"
    return f"the page is {amount}, over the {max_bytes / 1e6:g} MB limit (KB_MAX_FILE_MB)"


def sniff(content_type: str, content: bytes) -> str:
    """The format from the bytes first (servers mislabel), then the declared type."""
    announced = magic_format(content)
    if announced or b"<body" in content[:1024].lower():
        return announced or "html"
    declared = content_type.split(";")[0].strip().lower()
    if declared in _TYPES:
        return _TYPES[declared]
    if declared.startswith("text/") or not declared:
        return "txt"
    raise FetchError(f"unsupported content type '{declared}'")
