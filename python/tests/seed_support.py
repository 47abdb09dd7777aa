"""What the seeds' examples take for granted: a task with an id, a fresh server for the
examples that create "summarize_ticket", and the placeholders' real values."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kaizen_sdk import CTClient

from .servers import KaizenServer, Process, make_repo, start_serve

#: The fewest usable feedback entries (a score, inputs, an output) a job is started for.
MIN_USABLE = 30


def new_task(server: KaizenServer, prefix: str = "seed") -> str:
    """A task of its own (one job in flight per task), with a prompt and enough usable feedback
    for an optimization to start (fewer is refused with 422 before a job exists); returns its id."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with CTClient(api_key=server.api_key, base_url=server.url) as client:
        task = client.create_task(
            name=name, prompt_path=f"prompts/{name}.md", prompt="Summarize this ticket: {{ticket}}"
        )
    log_usable_feedback(server, name)
    return str(task.id)


def log_usable_feedback(server: KaizenServer, task: str, count: int = MIN_USABLE) -> None:
    """``count`` scored entries with inputs and outputs, in one batch."""
    entries = [
        {"task_id": task, "inputs": {"ticket": f"ticket {i}"}, "output": f"summary {i}", "score": i % 2}
        for i in range(count)
    ]
    answer = httpx.post(
        f"{server.url}/api/v1/feedback/batch", headers={"x-api-key": server.api_key}, json=entries, timeout=60
    )
    answer.raise_for_status()


@pytest.fixture
def empty_server(
    tmp_path: Path, fake_openai: Process, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KaizenServer]:
    """A server on a repository without tasks, for the examples that create "summarize_ticket";
    KAIZEN_API_KEY and KAIZEN_BASE_URL point at it."""
    server = start_serve(make_repo(tmp_path / "empty", {"README.md": "A new repository.\n"}), fake_openai.url)
    monkeypatch.setenv("KAIZEN_API_KEY", server.api_key)
    monkeypatch.setenv("KAIZEN_BASE_URL", server.url)
    yield server
    server.process.stop()
