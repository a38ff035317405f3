"""A tiny, deterministic OpenAI-compatible chat-completions server for tests.

It speaks just enough of the protocol for the `openai` client: `POST /v1/chat/completions`
(JSON, or Server-Sent Events with `stream: true`) and `GET /v1/models`. What it answers is set by
the test: `reply` is a string, or a function from the request's messages (and the whole request
body, if it takes two arguments) to the reply text. `fail` makes every request fail with an HTTP
error (`fail_status`, 500 by default); `drop_stream_after` cuts a streamed reply off mid-way, as
a crashing server would. Every request received is recorded in `requests`.
"""

from __future__ import annotations

import inspect
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = str | Callable[..., str]


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    def content(self, role: str) -> str:
        """All message contents with this role, joined by blank lines."""
        return "\n\n".join(str(m.get("content", "")) for m in self.messages if m["role"] == role)


class FakeOpenAIServer:
    """Start with `.start()` (or as a context manager); `.url` is the base_url, ending in /v1."""

    def __init__(self, reply: Reply = "OK [1].", model: str = "fake-model") -> None:
        self.reply: Reply = reply
        self.model = model
        self.fail = False
        self.fail_status = 500
        self.chunk_size = 7  # characters per streamed delta
        self.drop_stream_after: int | None = None  # cut a stream after this many deltas
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> FakeOpenAIServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- behaviour ----------------------------------------------------------------------------
    def set_replies(self, replies: Iterable[str]) -> None:
        """Answer successive requests with these texts, then repeat the last one."""
        queue = list(replies)
        assert queue, "give at least one reply"

        def next_reply(messages: list[dict[str, Any]]) -> str:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.reply = next_reply

    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _reply_text(self, body: dict[str, Any]) -> str:
        reply = self.reply
        if isinstance(reply, str):
            return reply
        messages = body.get("messages", [])
        if len(inspect.signature(reply).parameters) >= 2:
            return reply(messages, body)
        return reply(messages)

    def _record(self, request: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(request)
            self._counter += 1
            return self._counter


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAIServer
    server_version = "FakeOpenAI/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # --- routes -------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self.fake._record(RecordedRequest("GET", self.path, self._headers()))
        if self.path.rstrip("/").endswith("/models"):
            self._json(
                200,
                {
                    "object": "list",
                    "data": [{"id": self.fake.model, "object": "model", "owned_by": "tests"}],
                },
            )
        else:
            self._error(404, f"no route GET {self.path}", "not_found_error")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        number = self.fake._record(RecordedRequest("POST", self.path, self._headers(), body))
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._error(404, f"no route POST {self.path}", "not_found_error")
            return
        if self.fake.fail:
            self._error(self.fake.fail_status, "the fake server was told to fail", "server_error")
            return
        text = self.fake._reply_text(body)
        completion_id = f"chatcmpl-fake{number:04d}"
        model = str(body.get("model") or self.fake.model)
        if body.get("stream"):
            self._stream(completion_id, model, text)
        else:
            self._json(200, _completion(completion_id, model, text, body))

    def _headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    # --- responses ----------------------------------------------------------------------------
    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, kind: str) -> None:
        self._json(status, {"error": {"message": message, "type": kind, "code": None}})

    def _stream(self, completion_id: str, model: str, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        drop = self.fake.drop_stream_after
        if drop is not None:  # promise more than is sent: the client sees a broken stream
            self.send_header("Content-Length", str(10**7))
        self.end_headers()  # HTTP/1.0: the body ends when the connection closes
        size = max(1, self.fake.chunk_size)
        deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
        deltas += [{"content": text[i : i + size]} for i in range(0, len(text), size)]
        for number, delta in enumerate(deltas):
            if drop is not None and number > drop:
                return
            self._event(_chunk(completion_id, model, delta, None))
        self._event(_chunk(completion_id, model, {}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, payload: dict[str, Any]) -> None:
        self.wfile.write(b"data: " + json.dumps(payload).encode("utf-8") + b"\n\n")
        self.wfile.flush()


def _completion(completion_id: str, model: str, text: str, body: dict[str, Any]) -> dict[str, Any]:
    prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion_tokens = len(text.split())
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": "fp_fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _chunk(
    completion_id: str, model: str, delta: dict[str, Any], finish_reason: str | None
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }
