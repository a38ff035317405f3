"""Chat models behind one Protocol, spoken to over the OpenAI protocol (OpenAI, Ollama, vLLM, llama.cpp)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypedDict, TypeVar

from kb.settings import LLMSettings

T = TypeVar("T")


class Message(TypedDict):
    role: str
    content: str


class LLMError(RuntimeError):
    """The endpoint could not give an answer; the message says why in words a user can act on."""


class NoText(LLMError):
    """The endpoint answered, with no text (a reasoning model cut off by max_tokens, say)."""


class UnusableReply(LLMError):
    """The endpoint answered, but not with what was asked for (after one retry)."""


class ChatModel(Protocol):
    name: str

    def complete(
        self,
        messages: list[Message],
        json_mode: bool = False,
        max_tokens: int | None = None,
        schema: dict[str, Any] | None = None,
    ) -> str:
        """`json_mode`: a JSON object is wanted; `schema`: its JSON schema, which a server that
        can (llama.cpp's) is asked to enforce when the settings say so."""
        ...

    def stream(self, messages: list[Message]) -> Iterator[str]: ...


class OpenAIChat:
    def __init__(self, settings: LLMSettings) -> None:
        from openai import OpenAI

        self.settings = settings
        self.name = settings.model
        self.client = OpenAI(
            base_url=settings.base_url,
            # Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
            api_key=settings.api_key or "not-needed",
            timeout=settings.timeout,
            max_retries=settings.max_retries,
        )

    def complete(
        self,
        messages: list[Message],
        json_mode: bool = False,
        max_tokens: int | None = None,
        schema: dict[str, Any] | None = None,
    ) -> str:
        import openai

        extra: dict[str, Any] = {}
        if json_mode:
            extra["response_format"] = {"type": "json_object"}
            if schema and self.settings.json_schema:
                extra["response_format"]["schema"] = schema
        if max_tokens is not None:
            extra["max_tokens"] = max_tokens
        try:
            response = self._create(messages, stream=False, **extra)
        except openai.OpenAIError as error:
            raise LLMError(self._describe(error)) from error
        if not response.choices or response.choices[0].message.content is None:
            raise NoText(f"the LLM endpoint returned no text (model {self.name})")
        return response.choices[0].message.content

    def stream(self, messages: list[Message]) -> Iterator[str]:
        import openai

        try:
            events = self._create(messages, stream=True)
            for event in events:
                if event.choices and event.choices[0].delta.content:
                    yield event.choices[0].delta.content
        except openai.OpenAIError as error:
            raise LLMError(self._describe(error)) from error

    def _create(self, messages: list[Message], **options: Any) -> Any:
        return self.client.chat.completions.create(
            model=self.settings.model,
            messages=messages,  # type: ignore[arg-type]
            **{
                "temperature": self.settings.temperature,
                "max_tokens": self.settings.max_tokens,
                **options,
            },
        )

    def _describe(self, error: Exception) -> str:
        import openai

        where = self.settings.base_url or "the OpenAI API"
        if isinstance(error, openai.APITimeoutError):
            return f"the LLM endpoint {where} did not answer within {self.settings.timeout:g} s"
        if isinstance(error, openai.APIConnectionError):
            return f"cannot reach the LLM endpoint {where}"
        if isinstance(error, openai.APIStatusError):
            detail = str(error.message)[:200]
            return f"the LLM endpoint {where} answered HTTP {error.status_code}: {detail}"
        return f"the LLM endpoint {where} failed: {error}"


# Seconds a person waits on a connection test or a model listing (Settings' "Test connection",
# `kb llm`): an endpoint that is up says OK or lists its models well within it.
_QUICK_TIMEOUT = 10.0


def _quick(settings: LLMSettings) -> LLMSettings:
    """For a request a person waits on: a short timeout, and no retry to wait it out twice."""
    return settings.model_copy(
        update={"timeout": min(settings.timeout, _QUICK_TIMEOUT), "max_retries": 0}
    )


def check_endpoint(settings: LLMSettings) -> str:
    """The endpoint's reply to a two-token request, or LLMError saying why there is none. Not
    with the chat's timeout and retry: an endpoint that took the connection and never answered
    held Settings' page 240.9 s, then said 'did not answer within 120 s'."""
    quick = OpenAIChat(_quick(settings))
    return quick.complete([{"role": "user", "content": "Say OK."}], max_tokens=2)


def listed_models(settings: LLMSettings) -> list[str] | None:
    """The model names the endpoint lists (GET /models), or None where it lists none."""
    import openai

    client = OpenAIChat(_quick(settings)).client
    try:
        return [model.id for model in client.models.list()]
    except openai.OpenAIError:
        return None


def make_llm(settings: LLMSettings) -> ChatModel | None:
    """The configured chat model, or None: then answers and summaries are extractive."""
    return OpenAIChat(settings) if settings.configured else None


def complete_json(
    llm: ChatModel,
    messages: list[Message],
    schema: dict[str, Any],
    parse: Callable[[dict[str, Any]], T],
    what: str,
    max_tokens: int | None = None,
) -> T:
    """The model's JSON object, as `parse` reads it (raising ValueError, KeyError, TypeError or
    AttributeError at anything else); asked once more, saying what was wrong, then UnusableReply.
    Small models put code fences around JSON, or drift from the shape asked for."""
    problem = ""
    for _ in range(2):
        if problem:
            retry = f"That was not usable ({problem}). Return only the JSON object."
            messages = [*messages, {"role": "user", "content": retry}]
        raw = llm.complete(messages, json_mode=True, max_tokens=max_tokens, schema=schema)
        try:
            data = json.loads(re.sub(r"^```(?:json)?|```$", "", raw.strip()).strip())
            if not isinstance(data, dict):
                raise TypeError(f"a JSON {type(data).__name__}, not an object")
            return parse(data)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            problem = str(error)[:200]
    raise UnusableReply(f"the model gave no usable {what} ({problem})")


class UntilItFails:
    """The LLM for one question: once its endpoint has failed, it is not called again for that
    question (the rewrite of a follow-up, the search step and the answer would each wait out the
    timeout or the retries again); the first failure is raised instead, for the answer to tell
    once. A reply with no text is no failure of the endpoint."""

    def __init__(self, llm: ChatModel) -> None:
        self.llm = llm
        self.name = llm.name
        self.failure: LLMError | None = None

    def complete(
        self,
        messages: list[Message],
        json_mode: bool = False,
        max_tokens: int | None = None,
        schema: dict[str, Any] | None = None,
    ) -> str:
        with self._watched():
            return self.llm.complete(messages, json_mode, max_tokens, schema)

    def stream(self, messages: list[Message]) -> Iterator[str]:
        with self._watched():
            yield from self.llm.stream(messages)

    @contextmanager
    def _watched(self) -> Iterator[None]:
        if self.failure is not None:
            raise LLMError(str(self.failure))
        try:
            yield
        except NoText:
            raise
        except LLMError as error:
            self.failure = error
            raise
