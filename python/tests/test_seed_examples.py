"""Every example of the seeds for the synchronous client (seed 000, the models; seed 001,
CTClient), as written, run for real against ``kaizen serve``. The only changes: the seeds'
placeholders ("3b4e1f2a-...", "sk-...", SUMMARIZE_TICKET) hold real values."""

from __future__ import annotations

import sys
import time
import uuid
from typing import Any

import openai
import pytest

from kaizen_sdk import CTClient, FeedbackResult, Job, OptimizeResult, Prompt, Task, TraceResult, instrument

from .litellm_standin import make_litellm
from .seed_support import empty_server, new_task
from .servers import KaizenServer, Process

__all__ = ["empty_server"]


# ---- seed 000: the models ---------------------------------------------------------------------


def test_000_task(empty_server: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    with CTClient() as client:
        task = client.create_task(name="summarize_ticket", feedback_threshold=100)
        print(task.id)  # uuid.UUID
        print(task.threshold_progress)  # "0/100"
    assert isinstance(task, Task) and isinstance(task.id, uuid.UUID)
    assert capsys.readouterr().out.splitlines()[1] == "0/100"


def test_000_feedback_result(kaizen_env: KaizenServer) -> None:
    with CTClient() as lookup:
        task = lookup.get_task("summarize_ticket")
    with CTClient() as client:
        result = client.log_feedback(
            task_id=str(task.id),
            inputs={"ticket": "Login broken"},
            output="User cannot log in.",
            score=0.95,
        )
        print(result.id)  # uuid.UUID
        print(result.created_at)
    assert isinstance(result, FeedbackResult) and result.score == 0.95 and result.task_id == task.id


def test_000_prompt(kaizen_env: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    with CTClient() as lookup:
        task = lookup.get_task("summarize_ticket")
    with CTClient() as client:
        prompt = client.get_prompt(str(task.id))
        print(prompt.prompt_text)
        print(f"v{prompt.version_number} — score: {prompt.eval_score}")
    assert isinstance(prompt, Prompt) and "v1 — score: None" in capsys.readouterr().out


def test_000_optimize_result_and_job(kaizen_env: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    task_id = new_task(kaizen_env)
    with CTClient() as client:
        result = client.trigger_optimization(task_id)
        print(f"Job: {result.job.id}, Status: {result.job.status}")
        print(f"Cost: ${result.cost_estimate.estimated_cost_usd:.4f}")
        if result.budget_warning:
            print(f"⚠ {result.budget_warning}")
    optimize_result = result
    with CTClient() as client:
        job = client.get_job(str(optimize_result.job.id))
        print(f"{job.status}: {job.progress_step}")
        if job.status == "SUCCESS":
            print(f"PR: {job.pr_url}")
        elif job.status in ("FAILURE", "PR_FAILED"):
            print(f"Error: {job.error_message}")
    assert isinstance(optimize_result, OptimizeResult) and isinstance(job, Job)
    assert f"Job: {optimize_result.job.id}, Status: PENDING" in capsys.readouterr().out


def test_000_trace_result(kaizen_env: KaizenServer, fake_openai: Process) -> None:
    llm = instrument(openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), task="summarize_ticket")
    response: Any = llm.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Login broken"}]
    )
    # TraceResult is returned by CTClient.score()
    with CTClient() as client:
        trace = client.score(
            trace_id=response.ct_trace_id,
            score=0.9,
            scored_by="human",
        )
        print(f"Trace {trace.id}: score={trace.score}, latency={trace.latency_ms}ms")
    assert isinstance(trace, TraceResult) and trace.score == 0.9 and trace.scored_by == "human"


# ---- seed 001: CTClient ------------------------------------------------------------------------


def test_001_intro(kaizen_env: KaizenServer) -> None:
    with CTClient(api_key=kaizen_env.api_key) as client:
        prompt = client.get_prompt("summarize_ticket")
        print(prompt.prompt_text)
    assert prompt.prompt_text and "{{ticket}}" in prompt.prompt_text


def test_001_constructor(kaizen_env: KaizenServer) -> None:
    # From environment variables (KAIZEN_API_KEY, KAIZEN_BASE_URL)
    client = CTClient()

    # Explicit configuration
    client = CTClient(
        api_key="sk-my-key",
        base_url="https://ct.my-company.com",
        cache_ttl=600.0,
        timeout=60.0,
    )
    assert client._core.base_url == "https://ct.my-company.com" and client._core.cache_ttl == 600.0
    client.close()


def test_001_log_feedback(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    with CTClient() as client:
        result = client.log_feedback(
            task_id=task_id,
            inputs={"user_message": "Summarize this ticket"},
            output="The ticket is about a login issue.",
            score=0.9,
            metadata={"session_id": "abc123"},
        )
        print(result.id)  # UUID of the created feedback record
    assert result.metadata == {"session_id": "abc123"} and result.source == "sdk"


def test_001_get_prompt(kaizen_env: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    task_id = new_task(kaizen_env)
    with CTClient() as client:
        prompt = client.get_prompt(task_id)
        print(prompt.prompt_text)
        print(f"Version: {prompt.version_number}, Score: {prompt.eval_score}")
    assert "Version: 1, Score: None" in capsys.readouterr().out


def test_001_activate_prompt(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    with CTClient() as lookup:
        version_id = str(lookup.list_prompts(task_id)[0].id)
    with CTClient() as client:
        # Activate a specific version
        prompt = client.activate_prompt(
            task_id=task_id,
            version_id=version_id,
        )
        print(f"Activated version {prompt.version_number}")
    assert prompt.status == "active"


def test_001_trigger_optimization(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    with CTClient() as client:
        result = client.trigger_optimization(task_id)
        print(f"Job ID: {result.job.id}")
        print(f"Estimated cost: ${result.cost_estimate.estimated_cost_usd:.4f}")
        if result.budget_warning:
            print(f"Warning: {result.budget_warning}")
    assert result.job.triggered_by == "api_on_demand" and result.cost_estimate.estimated_llm_calls > 0


def test_001_get_job(kaizen_env: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    task_id = new_task(kaizen_env)
    with CTClient() as client:
        result = client.trigger_optimization(task_id)
        job_id = str(result.job.id)

        # Poll until done
        while True:
            job = client.get_job(job_id)
            print(f"Status: {job.status}{job.progress_step}")
            if job.status in ("SUCCESS", "FAILURE", "PR_FAILED"):
                break
            time.sleep(10)

        if job.status == "SUCCESS":
            print(f"PR: {job.pr_url}")
    assert job.is_terminal


def test_001_list_tasks(kaizen_env: KaizenServer, capsys: pytest.CaptureFixture[str]) -> None:
    with CTClient() as client:
        tasks = client.list_tasks()
        for task in tasks:
            print(f"{task.id}: {task.name} ({task.feedback_count} feedback entries)")
    assert any(line.split(": ")[1].startswith("classify (") for line in capsys.readouterr().out.splitlines())


def test_001_create_task(empty_server: KaizenServer) -> None:
    with CTClient() as client:
        task = client.create_task(
            name="summarize_ticket",
            description="Summarizes customer support tickets into one sentence.",
            feedback_threshold=100,
            teacher_model="gpt-4o",
            judge_model="gpt-4o-mini",
        )
        print(f"Created task: {task.id}")
    assert (task.teacher_model, task.judge_model, task.feedback_threshold) == ("gpt-4o", "gpt-4o-mini", 100)
    # No prompt was given: the task's baseline is made from its description (the seeds' next
    # steps, get_prompt and activate_prompt, find version 1) and committed to prompts/<name>.md.
    assert task.prompt_path == "prompts/summarize_ticket.md"
    with CTClient() as client:
        prompt = client.get_prompt(str(task.id))
    assert (prompt.version_number, prompt.prompt_text) == (
        1,
        "Summarizes customer support tickets into one sentence.\n\ninput:\n{{input}}\n",
    )


def test_001_score(kaizen_env: KaizenServer, fake_openai: Process, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "litellm", make_litellm(fake_openai.url))
    with CTClient() as setup:
        SUMMARIZE_TICKET = setup.get_prompt("summarize_ticket").prompt_text

    import litellm  # type: ignore[import-not-found]

    from kaizen_sdk import CTClient as SeedClient
    from kaizen_sdk import instrument as seed_instrument

    seed_instrument(litellm)
    response = litellm.completion(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": SUMMARIZE_TICKET}],
    )

    # Score the captured trace
    with SeedClient() as client:
        trace = client.score(
            trace_id=response.ct_trace_id,
            score=0.85,
            scored_by="human-review",
        )
        print(f"Scored trace {trace.id}: {trace.score}")
    assert trace.score == 0.85 and trace.response_text == response.choices[0].message.content


def test_001_close(kaizen_env: KaizenServer) -> None:
    client = CTClient()
    try:
        tasks = client.list_tasks()
    finally:
        client.close()
    assert {t.name for t in tasks} >= {"summarize_ticket", "classify"}


def test_wait_for_job_replaces_the_polling_loop(kaizen_env: KaizenServer) -> None:
    task_id = new_task(kaizen_env)
    with CTClient() as client:
        result = client.trigger_optimization(task_id)
        job = client.wait_for_job(str(result.job.id), interval=0.2, timeout=120)
    assert job.is_terminal and job.completed_at is not None
