"""The chat endpoint as a person waits on it: a connection test says why it failed, soon."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from kb.llm import LLMError, check_endpoint
from kb.settings import LLMSettings


@pytest.fixture
def silent_endpoint() -> Iterator[socket.socket]:
    """A local port that takes every connection (the kernel completes the handshake for the
    listening socket) and never answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=8) as server:
        yield server


def connections_taken(server: socket.socket) -> int:
    """The connections waiting to be accepted: all the client made, since none was accepted."""
    server.setblocking(False)
    taken = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return taken
        connection.close()
        taken += 1


def test_a_connection_test_waits_once_and_says_how_long(silent_endpoint: socket.socket) -> None:
    """Settings' "Test connection" against an endpoint that never replied held the page 240.9 s
    (the chat's 120 s timeout, then a retry) and said 'did not answer within 120 s'."""
    url = f"http://127.0.0.1:{silent_endpoint.getsockname()[1]}/v1"
    settings = LLMSettings(base_url=url, model="m", timeout=0.5, max_retries=3)
    with pytest.raises(LLMError) as raised:
        check_endpoint(settings)
    assert str(raised.value) == f"the LLM endpoint {url} did not answer within 0.5 s"
    assert connections_taken(silent_endpoint) == 1  # asked once: no retry
