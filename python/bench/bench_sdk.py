"""Figures of the Python SDK, each beside its baseline, as ``name: value`` lines.

Run from python/ (it starts a real ``kaizen serve`` and the fake OpenAI-compatible server):

    .venv/bin/python -m bench.bench_sdk
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from kaizen_sdk import CTClient, instrument
from tests.servers import make_repo, start_fake_openai, start_serve

MESSAGES: Any = [{"role": "user", "content": "Classify the intent of this message: refund please"}]


def per_second(call: Callable[[], object], seconds: float = 2.0) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(1000):
            call()
        count += 1000
    return count / (time.perf_counter() - started)


def median_ms(call: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def stub_llm() -> Any:
    """An openai-shaped client answering from memory: what instrument() itself costs, no network."""
    answer = ChatCompletion.model_validate(
        {
            "id": "c",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    )
    completions = SimpleNamespace(create=lambda **_: answer)
    return SimpleNamespace(chat=SimpleNamespace(completions=completions))


def main() -> None:
    # The flood of traces below overflows the queue on purpose; its warnings are not figures.
    logging.getLogger("kaizen_sdk").setLevel(logging.ERROR)
    fake = start_fake_openai()
    server = start_serve(make_repo(Path(tempfile.mkdtemp()) / "repo"), fake.url)
    try:
        with CTClient(api_key=server.api_key, base_url=server.url) as kaizen:
            kaizen.get_prompt("classify")
            print(f"get_prompt_cached_per_s: {per_second(lambda: kaizen.get_prompt('classify')):.0f}")
        with CTClient(api_key=server.api_key, base_url=server.url) as uncached:

            def one_request() -> object:
                uncached.invalidate("classify")
                return uncached.get_prompt("classify")

            one_request()
            print(f"get_prompt_uncached_ms (baseline, one request): {median_ms(one_request, 100):.2f}")

        with CTClient(api_key=server.api_key, base_url=server.url, flush_interval=60) as kaizen:
            sync_ms = median_ms(lambda: kaizen.log_feedback(task_id="classify", output="x", score=0.5), 20)
            queued_us = 1000 * median_ms(
                lambda: kaizen.log_feedback(task_id="classify", output="x", score=0.5, background=True), 1000
            )
            print(f"log_feedback_committed_ms (baseline, waits for the commit): {sync_ms:.2f}")
            print(f"log_feedback_background_us: {queued_us:.1f}")
        with CTClient(api_key=server.api_key, base_url=server.url, flush_interval=60) as kaizen:
            plain = stub_llm()
            traced = instrument(stub_llm(), client=kaizen, task="classify")
            create_plain = plain.chat.completions.create
            create_traced = traced.chat.completions.create
            base_us = 1e6 / per_second(lambda: create_plain(model="m", messages=MESSAGES), 1.0)
            traced_us = 1e6 / per_second(lambda: create_traced(model="m", messages=MESSAGES), 1.0)
            print(f"in_memory_call_us (baseline, not instrumented): {base_us:.2f}")
            print(f"in_memory_call_instrumented_us: {traced_us:.2f}")
            print(f"instrument_overhead_us: {traced_us - base_us:.2f}")

        with CTClient(api_key=server.api_key, base_url=server.url) as kaizen:
            llm = openai.OpenAI(base_url=fake.url, api_key="sk-fake")
            traced_llm = instrument(
                openai.OpenAI(base_url=fake.url, api_key="sk-fake"), client=kaizen, task="classify"
            )
            for client in (llm, traced_llm):
                client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
            plain_ms, traced_ms = [], []
            for _ in range(100):  # interleaved, so both see the same machine load
                plain_ms.append(
                    median_ms(lambda: llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES), 1)
                )
                traced_ms.append(
                    median_ms(
                        lambda: traced_llm.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES), 1
                    )
                )
            print(f"fake_model_call_ms (baseline, openai package): {statistics.median(plain_ms):.2f}")
            print(f"fake_model_call_instrumented_ms: {statistics.median(traced_ms):.2f}")

    finally:
        server.process.stop()
        fake.stop()


if __name__ == "__main__":
    main()
