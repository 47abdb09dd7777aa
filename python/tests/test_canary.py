"""``get_prompt(task, unit=...)`` against a real ``kaizen serve`` running a canary (sync and async):
the candidate for its share of units as the server decides, one fetch per version, and the
version served filled into ``log_feedback`` and ``instrument()``'s traces."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from kaizen_sdk import AsyncCTClient, CTClient, instrument

from .servers import HELPERS, REPO_ROOT, TSX, KaizenServer, Process, make_repo, run_kaizen, start_serve

ACTIVE_TEXT = "Greet {{name}}.\n"
CANDIDATE_TEXT = "Greet {{name}} warmly.\n"
FILES = {
    ".kaizen/tasks/greet.yml": "name: greet\nprompt_path: prompts/greet.txt\ncanary: {share: 0.3}\n",
    "prompts/greet.txt": ACTIVE_TEXT,
}
UNITS = [f"user-{i}" for i in range(1000)]


class Canary:
    def __init__(self, server: KaizenServer, active: str, candidate: str) -> None:
        self.server = server
        self.active = active
        self.candidate = candidate

    def served_by_server(self, unit: str) -> str:
        reply = httpx.get(
            f"{self.server.url}/api/v1/tasks/greet/prompt",
            params={"unit": unit},
            headers={"x-api-key": self.server.api_key},
        )
        assert reply.status_code == 200
        return str(reply.json()["id"])


def start_canary(repo: Path) -> Canary:
    ids = subprocess.run(
        [str(TSX), str(HELPERS / "put-candidate.ts"), str(repo), "greet", ACTIVE_TEXT, CANDIDATE_TEXT],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return Canary(start_serve(repo), ids[0], ids[1])


@pytest.fixture
def canary(tmp_path: Path) -> Iterator[Canary]:
    started = start_canary(make_repo(tmp_path / "repo", FILES))
    yield started
    started.server.process.stop()


@pytest.fixture
def two_instances(tmp_path: Path) -> Iterator[tuple[Canary, KaizenServer]]:
    """A canary deciding from 30 entries an arm, and a second ``kaizen serve`` of the same repository."""
    files = {
        **FILES,
        ".kaizen/tasks/greet.yml": FILES[".kaizen/tasks/greet.yml"].replace(
            "{share: 0.3}", "{share: 0.3, min_samples: 30}"
        ),
    }
    started = start_canary(make_repo(tmp_path / "repo", files))
    second = start_serve(started.server.repo)
    yield started, second
    second.process.stop()
    started.server.process.stop()


def check_split(canary: Canary, served: list[str], requests: float) -> None:
    share = sum(1 for v in served if v == canary.candidate) / len(served)
    assert abs(share - 0.3) <= 0.05
    # Cached per version, not per unit: the active version once, the candidate once.
    assert requests == 2
    for i in (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987):
        assert canary.served_by_server(UNITS[i]) == served[i]


def test_sync_client_serves_the_share_sticky_from_one_fetch_per_version(canary: Canary) -> None:
    with CTClient(api_key=canary.server.api_key, base_url=canary.server.url) as client:
        before = canary.server.prompt_requests()
        served = [str(client.get_prompt("greet", unit=u).id) for u in UNITS]
        check_split(canary, served, canary.server.prompt_requests() - before)
        assert [str(client.get_prompt("greet", unit=u).id) for u in UNITS[:100]] == served[:100]
        assert str(client.get_prompt("greet").id) == canary.active

        on_candidate = UNITS[served.index(canary.candidate)]
        on_active = UNITS[served.index(canary.active)]
        client.log_feedback("greet", output="Hi!", score=1.0, unit=on_candidate)
        client.log_feedback("greet", output="Hi.", score=0.0, unit=on_active)
        recorded = httpx.get(
            f"{canary.server.url}/api/v1/tasks/greet/feedback", headers={"x-api-key": canary.server.api_key}
        ).json()
        assert sorted(f["prompt_version_id"] for f in recorded) == sorted([canary.candidate, canary.active])
        figures = httpx.get(
            f"{canary.server.url}/api/v1/tasks/greet/canary", headers={"x-api-key": canary.server.api_key}
        ).json()
        assert figures["arms"] == {"active": {"n": 1, "mean": 0.0}, "candidate": {"n": 1, "mean": 1.0}}


def test_async_client_serves_the_same_split(canary: Canary) -> None:
    async def run() -> list[str]:
        async with AsyncCTClient(api_key=canary.server.api_key, base_url=canary.server.url) as client:
            served = [str((await client.get_prompt("greet", unit=u)).id) for u in UNITS]
            on_candidate = UNITS[served.index(canary.candidate)]
            result = await client.log_feedback("greet", output="Hi!", score=1.0, unit=on_candidate)
            assert str(result.prompt_version_id) == canary.candidate
            return served

    before = canary.server.prompt_requests()
    served = asyncio.run(run())
    check_split(canary, served, canary.server.prompt_requests() - before)


def test_instrument_fills_the_version_of_the_prompt_it_matched(canary: Canary, fake_openai: Process) -> None:
    with CTClient(api_key=canary.server.api_key, base_url=canary.server.url) as client:
        served = {str(client.get_prompt("greet", unit=u).id) for u in UNITS[:50]}
        assert served == {canary.active, canary.candidate}
        llm = instrument(openai.OpenAI(base_url=fake_openai.url, api_key="sk-fake"), client=client)
        ids = []
        for text in ("Greet Ada warmly.", "Greet Bob."):
            reply = llm.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": text}]
            )
            ids.append(reply.ct_trace_id)  # type: ignore[attr-defined]
        versions = [str(client.score(trace_id, 1.0).prompt_version_id) for trace_id in ids]
        assert versions == [canary.candidate, canary.active]


def score_traffic(canary: Canary, candidate_score: float) -> None:
    """Production on the first instance: 300 units, each scored by the version it was served."""
    with CTClient(api_key=canary.server.api_key, base_url=canary.server.url) as client:
        for unit in UNITS[:300]:
            served = str(client.get_prompt("greet", unit=unit).id)
            score = candidate_score if served == canary.candidate else 1.0 - candidate_score
            client.log_feedback("greet", output="Hi", score=score, unit=unit)


def served_on(server: KaizenServer) -> set[str]:
    with CTClient(api_key=server.api_key, base_url=server.url) as client:
        return {str(client.get_prompt("greet", unit=u).id) for u in UNITS}


def test_a_stop_on_one_instance_serves_every_unit_the_active_version_on_the_other(
    two_instances: tuple[Canary, KaizenServer],
) -> None:
    canary, second = two_instances
    assert served_on(second) == {canary.active, canary.candidate}
    score_traffic(canary, candidate_score=0.0)
    with CTClient(api_key=second.api_key, base_url=second.url) as client:
        figures = httpx.get(
            f"{second.url}/api/v1/tasks/greet/canary", headers={"x-api-key": second.api_key}
        ).json()
        assert figures["decision"] == "stop"
        assert figures["share"] == 0
        assert str(client.get_prompt("greet").id) == canary.active
    assert served_on(second) == {canary.active}


def test_a_promote_makes_the_candidate_what_the_other_instance_serves_every_unit(
    two_instances: tuple[Canary, KaizenServer],
) -> None:
    canary, second = two_instances
    score_traffic(canary, candidate_score=1.0)
    figures = httpx.get(
        f"{second.url}/api/v1/tasks/greet/canary", headers={"x-api-key": second.api_key}
    ).json()
    assert figures["decision"] == "promote"
    assert figures["arms"]["candidate"]["n"] >= 30
    promoted = run_kaizen(canary.server.repo, "canary", "promote", "--task", "greet")
    assert promoted.returncode == 0, promoted.stderr
    assert served_on(second) == {canary.candidate}
