"""Paging ``GET /api/v1/tasks`` (``limit``/``offset``) through the SDK against a real
``kaizen serve`` holding more tasks than one page: the pages walked one by one, and
``list_tasks()`` without a limit, hold every task once, in name order, sync and async alike."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaizen_sdk import AsyncCTClient, CTClient

from .servers import TASK_FILES, KaizenServer, make_repo, start_serve

# More than two of the server's largest pages (200), and not a multiple of a page.
TASKS = 451
NAMES = sorted([f"paged_{i:04d}" for i in range(TASKS)] + ["classify", "summarize_ticket"])


@pytest.fixture(scope="module")
def many_tasks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KaizenServer]:
    files = dict(TASK_FILES)
    for name in NAMES:
        if name.startswith("paged_"):
            files[f".kaizen/tasks/{name}.yml"] = f"name: {name}\nprompt_path: prompts/classify.txt\n"
    repo: Path = make_repo(tmp_path_factory.mktemp("many-tasks"), files)
    server = start_serve(repo)
    yield server
    server.process.stop()


def test_pages_walked_by_limit_and_offset_hold_every_task_once(many_tasks: KaizenServer) -> None:
    with CTClient(api_key=many_tasks.api_key, base_url=many_tasks.url) as client:
        seen: list[str] = []
        pages: list[int] = []
        offset = 0
        while True:
            page = client.list_tasks(limit=150, offset=offset)
            pages.append(len(page))
            seen.extend(task.name for task in page)
            if len(page) < 150:
                break
            offset += 150
        assert pages == [150, 150, 150, 3]
        assert seen == NAMES
        assert client.list_tasks(limit=10, offset=len(NAMES)) == []
        # Without a limit the SDK walks the server's pages of 200 itself.
        assert [task.name for task in client.list_tasks()] == NAMES


def test_the_async_client_walks_the_same_pages(many_tasks: KaizenServer) -> None:
    async def main() -> tuple[list[str], list[str]]:
        async with AsyncCTClient(api_key=many_tasks.api_key, base_url=many_tasks.url) as client:
            every = [task.name for task in await client.list_tasks()]
            second = [task.name for task in await client.list_tasks(limit=200, offset=200)]
            return every, second

    every, second = asyncio.run(main())
    assert every == NAMES
    assert second == NAMES[200:400]
