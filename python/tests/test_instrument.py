"""``instrument()`` on the real ``openai`` package (sync and async; chat completions, streamed
chat completions and the responses API) and on a litellm stand-in, against the project's fake
OpenAI-compatible server: the app gets the same objects, and Kaizen gets the trace."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from kaizen_sdk import AsyncCTClient, CTClient, CTConfigError, TraceResult, _registry, instrument
from kaizen_sdk._registry import template_matches

from .litellm_standin import make_litellm
from .servers import KaizenServer, Process, new_key

MESSAGES: Any = [
    {"role": "user", "content": "Classify the intent of this message: my card was charged twice"}
]


@pytest.fixture
def kaizen_client(kaizen: KaizenServer) -> Iterator[CTClient]:
    with CTClient(api_key=kaizen.api_key, base_url=kaizen.url) as client:
        yield client


def traced(client: CTClient, trace_id: str) -> TraceResult:
    """The stored trace, read back through score() (which first delivers queued traces)."""
    return client.score(trace_id, 0.75, scored_by="test")


def test_chat_completions_are_traced_and_returned_unchanged(
    kaizen_client: CTClient, fake_openai: Process
) -> None:
    llm = instrument(
        openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), client=kaizen_client, task="classify"
    )
    response = llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    line = __import__("inspect").currentframe().f_lineno - 1
    assert isinstance(response, openai.types.chat.ChatCompletion)
    assert "ct_trace_id" not in response.model_dump()
    trace = traced(kaizen_client, response.ct_trace_id)  # type: ignore[attr-defined]
    assert trace.response_text == response.choices[0].message.content
    assert trace.prompt_text == MESSAGES[0]["content"]
    assert trace.model == "gpt-4o-mini"
    assert response.usage is not None and trace.tokens == response.usage.total_tokens
    assert trace.source_file == __file__ and trace.source_line == line
    assert trace.latency_ms is not None and trace.latency_ms > 0
    assert trace.score == 0.75 and trace.scored_by == "test"


def test_a_streamed_chat_completion_stays_a_stream(kaizen_client: CTClient, fake_openai: Process) -> None:
    llm = instrument(
        openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), client=kaizen_client, task="classify"
    )
    stream = llm.chat.completions.create(
        model="gpt-4o-mini",
        messages=MESSAGES,
        stream=True,
        stream_options={"include_usage": True},
    )
    assert isinstance(stream, openai.Stream)
    with stream:
        text = "".join((chunk.choices[0].delta.content or "") for chunk in stream if chunk.choices)
    assert text.startswith("answer-")
    trace = traced(kaizen_client, stream.ct_trace_id)  # type: ignore[attr-defined]
    assert trace.response_text == text and trace.tokens is not None and trace.tokens > 0


def test_the_responses_api_is_traced(kaizen_client: CTClient, fake_openai: Process) -> None:
    llm = instrument(
        openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), client=kaizen_client, task="classify"
    )
    response = llm.responses.create(model="gpt-4o-mini", instructions="Classify.", input="refund please")
    trace = traced(kaizen_client, response.ct_trace_id)  # type: ignore[attr-defined]
    assert trace.response_text == response.output_text
    assert trace.prompt_text == "Classify.\nrefund please"


def test_a_streamed_responses_call_stays_a_stream_and_is_traced(
    kaizen_client: CTClient, fake_openai: Process
) -> None:
    llm = instrument(
        openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), client=kaizen_client, task="classify"
    )
    stream = llm.responses.create(model="gpt-4o-mini", input="refund please", stream=True)
    assert isinstance(stream, openai.Stream)
    with stream:
        text = "".join(event.delta for event in stream if event.type == "response.output_text.delta")
    assert text.startswith("answer-")
    trace = traced(kaizen_client, stream.ct_trace_id)  # type: ignore[attr-defined]
    assert trace.response_text == text


async def test_a_streamed_async_responses_call_is_traced(kaizen: KaizenServer, fake_openai: Process) -> None:
    async with AsyncCTClient(api_key=kaizen.api_key, base_url=kaizen.url) as kaizen_client:
        llm = instrument(
            openai.AsyncOpenAI(base_url=fake_openai.url, api_key="sk-fake"),
            client=kaizen_client,
            task="classify",
        )
        stream = await llm.responses.create(model="gpt-4o-mini", input="hello", stream=True)
        assert isinstance(stream, openai.AsyncStream)
        text = "".join([e.delta async for e in stream if e.type == "response.output_text.delta"])
        scored = await kaizen_client.score(stream.ct_trace_id, 0.5)  # type: ignore[attr-defined]
    assert text and scored.response_text == text


async def test_the_async_client_is_traced_plain_and_streamed(
    kaizen: KaizenServer, fake_openai: Process
) -> None:
    async with AsyncCTClient(api_key=kaizen.api_key, base_url=kaizen.url) as kaizen_client:
        llm = instrument(
            openai.AsyncOpenAI(base_url=fake_openai.url, api_key="sk-fake"),
            client=kaizen_client,
            task="classify",
        )
        response = await llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        stream = await llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True)
        assert isinstance(stream, openai.AsyncStream)
        text = "".join([(c.choices[0].delta.content or "") async for c in stream if c.choices])
        answer = await llm.responses.create(model="gpt-4o-mini", input="hello")
        plain = await kaizen_client.score(response.ct_trace_id, 1.0)  # type: ignore[attr-defined]
        streamed = await kaizen_client.score(stream.ct_trace_id, 0.0)  # type: ignore[attr-defined]
        via_responses = await kaizen_client.score(answer.ct_trace_id, 0.5)  # type: ignore[attr-defined]
    assert plain.response_text == response.choices[0].message.content
    assert streamed.response_text == text
    assert via_responses.response_text == answer.output_text


def test_the_task_is_found_from_the_prompt_get_prompt_served(
    kaizen_client: CTClient, fake_openai: Process
) -> None:
    prompt = kaizen_client.get_prompt("summarize_ticket")
    llm = instrument(openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), client=kaizen_client)
    filled = (prompt.prompt_text or "").replace("{{ticket}}", "Login broken")
    response = llm.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": filled}]
    )
    trace = traced(kaizen_client, response.ct_trace_id)  # type: ignore[attr-defined]
    assert str(trace.task_id) == str(prompt.task_id)


def test_a_call_matching_no_task_gets_no_trace_id_and_says_why_once(
    kaizen_client: CTClient,
    fake_openai: Process,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The registry of served prompts is the process's: prompts that earlier tests served (one of
    # them fills this very message) must not make it match.
    monkeypatch.setattr(_registry, "_by_text", OrderedDict())
    monkeypatch.setattr(_registry, "_version_by_text", {})
    llm = instrument(openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), client=kaizen_client)
    first = llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    second = llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    # No id that score() would answer 404 to.
    assert not hasattr(first, "ct_trace_id") and not hasattr(second, "ct_trace_id")
    said = [r.getMessage() for r in caplog.records if "matches no task" in r.getMessage()]
    assert len(said) == 1 and "gets no ct_trace_id" in said[0]


def test_litellm_completion_and_acompletion_are_traced(kaizen_client: CTClient, fake_openai: Process) -> None:
    litellm = instrument(make_litellm(fake_openai.url), client=kaizen_client, task="classify")
    response = litellm.completion(model="gpt-4o-mini", messages=MESSAGES)
    trace = traced(kaizen_client, response.ct_trace_id)
    assert trace.response_text == response.choices[0].message.content

    import asyncio

    async def call() -> object:
        return await litellm.acompletion(model="gpt-4o-mini", messages=MESSAGES)

    later = asyncio.run(call())
    assert traced(kaizen_client, later.ct_trace_id).response_text == later.choices[0].message.content  # type: ignore[attr-defined]


def test_instrumenting_twice_records_once(kaizen_client: CTClient, fake_openai: Process) -> None:
    llm = openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake")
    instrument(instrument(llm, client=kaizen_client, task="classify"), client=kaizen_client, task="classify")
    llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    kaizen_client.flush()
    assert kaizen_client._core.background.traces.stats.sent == 1


def test_a_kaizen_outage_never_fails_the_call(fake_openai: Process) -> None:
    with CTClient(api_key=new_key(), base_url="http://127.0.0.1:9", max_retries=0, close_timeout=0.2) as down:
        llm = instrument(
            openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), client=down, task="classify"
        )
        response = llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        assert response.choices[0].message.content
    assert down._core.background.traces.stats.dropped == 1


def test_an_llm_error_reaches_the_caller_unchanged(kaizen_client: CTClient, fake_openai: Process) -> None:
    wrong_route = f"{fake_openai.url}/nowhere"
    llm = instrument(
        openai.OpenAI(base_url=wrong_route, api_key="sk-fake", max_retries=0), client=kaizen_client
    )
    with pytest.raises(openai.NotFoundError):
        llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)


def test_instrument_refuses_what_it_cannot_trace() -> None:
    with pytest.raises(CTConfigError, match="openai client"):
        instrument(object())


def test_a_template_matches_a_prompt_that_fills_it() -> None:
    assert template_matches("{{ticket}}\n\nSummarize it.", "Login fails\n\nSummarize it.")
    assert template_matches("Classify: {{text}} into {{labels}}.", "Classify: hi there into a, b.")
    assert not template_matches("Classify: {{text}} into {{labels}}.", "into a, b. Classify: hi")
    assert not template_matches("{{only_a_placeholder}}", "anything at all")
