"""The prompt cache (a second get_prompt makes no request; activate_prompt invalidates;
stale-while-revalidate; one request for concurrent misses; the fallback) and background
feedback (never waits, delivered by close(), dropped with a count when Kaizen is down)."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from kaizen_sdk import AsyncCTClient, AuthenticationError, CTClient, NotFoundError

from .servers import KaizenServer, new_key, wait_until


def feedback_ids(server: KaizenServer, task: str) -> set[str]:
    listed = httpx.get(
        f"{server.url}/api/v1/tasks/{task}/feedback?limit=200", headers={"x-api-key": server.api_key}
    ).json()
    return {entry["id"] for entry in listed}


def test_a_second_get_prompt_makes_no_request(kaizen: KaizenServer) -> None:
    with CTClient(api_key=kaizen.api_key, base_url=kaizen.url) as client:
        first = client.get_prompt("summarize_ticket")
        before = kaizen.prompt_requests()
        second = client.get_prompt("summarize_ticket")
        assert kaizen.prompt_requests() == before
    assert second == first
    assert "{{ticket}}" in (second.prompt_text or "")


async def test_a_second_async_get_prompt_makes_no_request(kaizen: KaizenServer) -> None:
    async with AsyncCTClient(api_key=kaizen.api_key, base_url=kaizen.url) as client:
        first = await client.get_prompt("summarize_ticket")
        before = kaizen.prompt_requests()
        assert await client.get_prompt("summarize_ticket") == first
        assert kaizen.prompt_requests() == before


def test_activate_prompt_invalidates_the_cache(kaizen: KaizenServer) -> None:
    with CTClient(api_key=kaizen.api_key, base_url=kaizen.url) as client:
        prompt = client.get_prompt("classify")
        activated = client.activate_prompt("classify", str(prompt.id))
        assert activated.status == "active"
        before = kaizen.prompt_requests()
        client.get_prompt("classify")
        assert kaizen.prompt_requests() == before + 1


def test_an_expired_prompt_is_served_at_once_and_revalidated_behind(kaizen: KaizenServer) -> None:
    with CTClient(api_key=kaizen.api_key, base_url=kaizen.url, cache_ttl=0.05) as client:
        first = client.get_prompt("summarize_ticket")
        time.sleep(0.1)
        before = kaizen.prompt_requests()
        assert client.get_prompt("summarize_ticket") == first  # stale, served without waiting
        wait_until(lambda: kaizen.prompt_requests() == before + 1)
        wait_until(lambda: not client._flights)  # the refresh has stored its answer
        # The revalidated entry is fresh again: the next call within the TTL asks nothing.
        client._core.cache_ttl = 60
        client.get_prompt("summarize_ticket")
        assert kaizen.prompt_requests() == before + 1


def test_concurrent_misses_make_one_request(kaizen: KaizenServer) -> None:
    with CTClient(api_key=kaizen.api_key, base_url=kaizen.url) as client:
        before = kaizen.prompt_requests()
        with ThreadPoolExecutor(8) as pool:
            prompts = list(pool.map(lambda _: client.get_prompt("classify"), range(8)))
        assert kaizen.prompt_requests() == before + 1
    assert len({p.id for p in prompts}) == 1


async def test_concurrent_async_misses_make_one_request(kaizen: KaizenServer) -> None:
    async with AsyncCTClient(api_key=kaizen.api_key, base_url=kaizen.url) as client:
        before = kaizen.prompt_requests()
        prompts = await asyncio.gather(*(client.get_prompt("classify") for _ in range(8)))
        assert kaizen.prompt_requests() == before + 1
    assert len({p.id for p in prompts}) == 1


def test_the_fallback_is_served_when_kaizen_is_down(caplog: pytest.LogCaptureFixture) -> None:
    with CTClient(api_key=new_key(), base_url="http://127.0.0.1:9", max_retries=0) as client:
        prompt = client.get_prompt("summarize_ticket", fallback="Summarize: {{ticket}}")
    assert prompt.prompt_text == "Summarize: {{ticket}}" and prompt.version_number == 0
    assert "fallback" in caplog.text


def test_the_fallback_never_hides_a_bad_key(kaizen: KaizenServer) -> None:
    with CTClient(api_key=new_key(), base_url=kaizen.url) as client, pytest.raises(AuthenticationError):
        client.get_prompt("summarize_ticket", fallback="x")


def test_a_missing_prompt_without_fallback_raises(kaizen: KaizenServer) -> None:
    with CTClient(api_key=kaizen.api_key, base_url=kaizen.url) as client, pytest.raises(NotFoundError):
        client.get_prompt("no_such_task")


def test_background_feedback_is_delivered_on_close(kaizen: KaizenServer) -> None:
    client = CTClient(api_key=kaizen.api_key, base_url=kaizen.url, flush_interval=60)
    ids = []
    for i in range(5):
        result = client.log_feedback(
            task_id="classify", inputs={"text": f"m{i}"}, output="billing", score=0.8, background=True
        )
        ids.append(str(result.id))
    assert not set(ids) & feedback_ids(kaizen, "classify")  # nothing sent yet: the interval is 60 s
    client.close()
    assert set(ids) <= feedback_ids(kaizen, "classify")


async def test_async_background_feedback_is_delivered_on_close(kaizen: KaizenServer) -> None:
    client = AsyncCTClient(api_key=kaizen.api_key, base_url=kaizen.url, background=True, flush_interval=60)
    result = await client.log_feedback(
        task_id="classify", inputs={"text": "async"}, output="other", score=0.4
    )
    await client.close()
    assert str(result.id) in feedback_ids(kaizen, "classify")


def test_background_feedback_is_sent_in_batches_without_close(kaizen: KaizenServer) -> None:
    with CTClient(
        api_key=kaizen.api_key, base_url=kaizen.url, background=True, flush_interval=0.05
    ) as client:
        result = client.log_feedback(task_id="classify", output="soon", score=1.0)
        wait_until(lambda: str(result.id) in feedback_ids(kaizen, "classify"), timeout=20)
        # The server may commit before the sender thread has read its answer.
        wait_until(lambda: client._core.background.feedback.stats.sent >= 1)


def test_background_feedback_never_fails_the_caller_when_kaizen_is_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = CTClient(api_key=new_key(), base_url="http://127.0.0.1:9", max_retries=0, close_timeout=0.5)
    client.log_feedback(task_id="classify", output="lost", background=True)
    client.close()
    stats = client._core.background.feedback.stats
    assert stats.dropped == 1 and stats.sent == 0
    assert "dropped 1 feedback entries" in caplog.text


def test_one_refused_entry_is_dropped_and_the_rest_of_its_batch_delivered(
    kaizen: KaizenServer, caplog: pytest.LogCaptureFixture
) -> None:
    client = CTClient(api_key=kaizen.api_key, base_url=kaizen.url, flush_interval=60)
    good = [
        str(client.log_feedback(task_id="classify", output=f"ok {i}", score=0.5, background=True).id)
        for i in range(3)
    ]
    bad = client.log_feedback(task_id="classify", output="bad", score=5, background=True)  # over 1
    client.close()
    stored = feedback_ids(kaizen, "classify")
    assert set(good) <= stored and str(bad.id) not in stored
    stats = client._core.background.feedback.stats
    assert (stats.sent, stats.dropped) == (3, 1)
    assert "dropped 1 feedback entries the server refused" in caplog.text


def test_a_revoked_key_drops_the_batch_at_once(kaizen: KaizenServer) -> None:
    client = CTClient(api_key=new_key(), base_url=kaizen.url, flush_interval=60)
    for i in range(3):
        client.log_feedback(task_id="classify", output=f"x{i}", background=True)
    client.close()
    stats = client._core.background.feedback.stats
    assert (stats.sent, stats.dropped, stats.failures) == (0, 3, 0)
