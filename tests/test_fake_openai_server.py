"""The fake endpoint must look like OpenAI to the real `openai` client, or LLM tests prove nothing."""

from __future__ import annotations

import json
import urllib.request

import openai
import pytest
from fakes.openai_server import FakeOpenAIServer


def client(server: FakeOpenAIServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url, api_key="test-key", max_retries=0, timeout=10)


def test_url_is_a_v1_base_url_on_localhost(openai_server: FakeOpenAIServer) -> None:
    assert openai_server.url.startswith("http://127.0.0.1:")
    assert openai_server.url.endswith("/v1")
    assert openai_server.port > 0


def test_non_streaming_completion_has_the_openai_shape(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply = lambda messages: "echo: " + messages[-1]["content"]
    request = urllib.request.Request(
        openai_server.url + "/chat/completions",
        data=json.dumps({"model": "m1", "messages": [{"role": "user", "content": "hi"}]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    assert set(body) >= {"id", "object", "created", "model", "choices", "usage"}
    assert body["object"] == "chat.completion"
    assert body["model"] == "m1"
    assert body["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "echo: hi"},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ]
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_openai_client_reads_reply_and_server_records_request(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.reply = "Hello there."
    response = client(openai_server).chat.completions.create(
        model="fake-model",
        messages=[{"role": "system", "content": "S"}, {"role": "user", "content": "U"}],
        temperature=0,
    )
    assert response.choices[0].message.content == "Hello there."
    assert response.choices[0].finish_reason == "stop"
    [recorded] = openai_server.chat_requests()
    assert recorded.headers.get("authorization") == "Bearer test-key"
    assert recorded.body["model"] == "fake-model"
    assert recorded.content("system") == "S"
    assert recorded.content("user") == "U"


def test_streaming_sends_sse_chunks_ending_with_done(openai_server: FakeOpenAIServer) -> None:
    text = "A streamed answer, in several small pieces [1]."
    openai_server.reply = text
    openai_server.chunk_size = 5
    events = client(openai_server).chat.completions.create(
        model="fake-model", messages=[{"role": "user", "content": "q"}], stream=True
    )
    deltas = [
        e.choices[0].delta.content for e in events if e.choices and e.choices[0].delta.content
    ]
    assert len(deltas) == -(-len(text) // 5)
    assert "".join(deltas) == text

    request = urllib.request.Request(
        openai_server.url + "/chat/completions",
        data=json.dumps({"messages": [], "stream": True}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        lines = [line for line in response.read().decode().splitlines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line[6:]) for line in lines[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_dropped_stream_breaks_the_client(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply = "0123456789" * 5
    openai_server.chunk_size = 10
    openai_server.drop_stream_after = 2
    received = []
    with pytest.raises(openai.APIConnectionError):
        for event in client(openai_server).chat.completions.create(
            model="x", messages=[], stream=True
        ):
            received.append(event.choices[0].delta.content)
    assert received == ["", "0123456789", "0123456789"]


def test_fail_mode_returns_http_errors(openai_server: FakeOpenAIServer) -> None:
    openai_server.fail = True
    with pytest.raises(openai.InternalServerError) as error:
        client(openai_server).chat.completions.create(model="x", messages=[])
    assert error.value.status_code == 500
    openai_server.fail_status = 503
    with pytest.raises(openai.APIStatusError) as error:
        client(openai_server).chat.completions.create(model="x", messages=[])
    assert error.value.status_code == 503
    assert len(openai_server.chat_requests()) == 2


def test_reply_sequence_and_two_argument_replies(openai_server: FakeOpenAIServer) -> None:
    openai_server.set_replies(["first", "second"])
    c = client(openai_server)

    def ask() -> str | None:
        return c.chat.completions.create(model="x", messages=[]).choices[0].message.content

    assert [ask(), ask(), ask()] == ["first", "second", "second"]
    openai_server.reply = lambda messages, body: f"model={body['model']}"
    assert ask() == "model=x"


def test_models_route(openai_server: FakeOpenAIServer) -> None:
    models = client(openai_server).models.list()
    assert [m.id for m in models] == ["fake-model"]
