"""Session fixtures: one real ``kaizen serve`` on a temporary repository, and the fake
OpenAI-compatible server, started once for all tests and stopped at the end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import KaizenServer, Process, make_repo, start_fake_openai, start_serve


@pytest.fixture(scope="session")
def fake_openai() -> Iterator[Process]:
    process = start_fake_openai()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def kaizen(tmp_path_factory: pytest.TempPathFactory, fake_openai: Process) -> Iterator[KaizenServer]:
    server = start_serve(make_repo(tmp_path_factory.mktemp("repo")), fake_openai.url)
    yield server
    server.process.stop()


@pytest.fixture
def kaizen_env(kaizen: KaizenServer, monkeypatch: pytest.MonkeyPatch) -> KaizenServer:
    """KAIZEN_API_KEY and KAIZEN_BASE_URL set, as the seeds' examples expect."""
    monkeypatch.setenv("KAIZEN_API_KEY", kaizen.api_key)
    monkeypatch.setenv("KAIZEN_BASE_URL", kaizen.url)
    return kaizen


@pytest.fixture
def fresh_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")
