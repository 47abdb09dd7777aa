"""Every example of seed 002 (AsyncCTClient), as written, run for real against ``kaizen
serve``. The only changes: the seeds' placeholders hold real values."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import openai
import pytest

from kaizen_sdk import AsyncCTClient, Job, Task, instrument

from .seed_support import new_task
from .servers import KaizenServer, Process


async def test_002_intro(kaizen_env: KaizenServer) -> None:
    async with AsyncCTClient(api_key=kaizen_env.api_key) as client:
        prompt = await client.get_prompt("summarize_ticket")
        print(prompt.prompt_text)
    assert prompt.prompt_text and "{{ticket}}" in prompt.prompt_text


def test_002_constructor(kaizen_env: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    async def main() -> None:
        async with AsyncCTClient() as client:
            tasks = await client.list_tasks()
            print(tasks)

    asyncio.run(main())
    assert "name='classify'" in capsys.readouterr().out


async def test_002_log_feedback(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    async with AsyncCTClient() as client:
        result = await client.log_feedback(
            task_id=task_id,
            inputs={"user_message": "Summarize this ticket"},
            output="The ticket is about a login issue.",
            score=0.9,
        )
        print(result.id)
    assert str(result.task_id) == task_id and result.score == 0.9


async def test_002_get_prompt(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    async with AsyncCTClient() as client:
        prompt = await client.get_prompt(task_id)
        print(prompt.prompt_text)
    assert prompt.prompt_text == "Summarize this ticket: {{ticket}}"


async def test_002_activate_prompt(kaizen_env: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    task_id = new_task(kaizen_env)
    async with AsyncCTClient() as lookup:
        version_id = str((await lookup.list_prompts(task_id))[0].id)
    async with AsyncCTClient() as client:
        prompt = await client.activate_prompt(
            task_id=task_id,
            version_id=version_id,
        )
        print(f"Activated version {prompt.version_number}")
    assert "Activated version 1" in capsys.readouterr().out


async def test_002_trigger_optimization(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    async with AsyncCTClient() as client:
        result = await client.trigger_optimization(task_id)
        print(f"Job ID: {result.job.id}")
        print(f"Estimated cost: ${result.cost_estimate.estimated_cost_usd:.4f}")
    assert result.job.status == "PENDING"


async def test_002_get_job(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    async with AsyncCTClient() as client:
        result = await client.trigger_optimization(task_id)
        job_id = str(result.job.id)
        while True:
            job = await client.get_job(job_id)
            print(f"Status: {job.status}{job.progress_step}")
            if job.status in ("SUCCESS", "FAILURE", "PR_FAILED"):
                break
            await asyncio.sleep(10)
        if job.status == "SUCCESS":
            print(f"PR: {job.pr_url}")
    assert isinstance(job, Job) and job.is_terminal


async def test_002_list_tasks(kaizen_env: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    async with AsyncCTClient() as client:
        tasks = await client.list_tasks()
        for task in tasks:
            print(f"{task.id}: {task.name}")
    assert any(line.endswith(": summarize_ticket") for line in capsys.readouterr().out.splitlines())


async def test_002_create_task(kaizen_env: KaizenServer) -> None:
    async with AsyncCTClient() as client:
        task = await client.create_task(
            name="classify_intent",
            description="Classifies customer intent from support messages.",
            feedback_threshold=75,
        )
        print(f"Created: {task.id}")
    assert isinstance(task, Task) and task.threshold_progress == "0/75"


async def test_002_score(kaizen_env: KaizenServer, fake_openai: Process) -> None:
    llm = instrument(openai.AsyncOpenAI(base_url=fake_openai.url, api_key="sk-fake"), task="summarize_ticket")
    response: Any = await llm.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Printer on fire"}]
    )
    async with AsyncCTClient() as client:
        trace = await client.score(
            trace_id=response.ct_trace_id,
            score=0.85,
            scored_by="human-review",
        )
    assert trace.score == 0.85 and trace.response_text == response.choices[0].message.content


async def test_002_close(kaizen_env: KaizenServer) -> None:
    client = AsyncCTClient()
    try:
        tasks = await client.list_tasks()
    finally:
        await client.close()
    assert tasks


async def test_wait_for_job_follows_the_job_to_its_end(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    seen: list[str] = []
    async with AsyncCTClient() as client:
        result = await client.trigger_optimization(task_id)
        job = await client.wait_for_job(
            str(result.job.id), interval=0.2, timeout=120, on_progress=lambda j: seen.append(str(j.status))
        )
    # Each change was reported once, the last one being the end.
    assert job.is_terminal and seen[-1] == str(job.status)
    assert all(a != b for a, b in itertools.pairwise(seen))
