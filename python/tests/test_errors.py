"""401, 404, 409, 422 and 429 from a real ``kaizen serve``, each mapped to its error class;
network failures, retries, Retry-After, X-Request-ID and idempotency keys."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from kaizen_sdk import (
    AuthenticationError,
    ConflictError,
    CTAPIError,
    CTClient,
    CTConfigError,
    CTError,
    CTRequestError,
    KaizenAPIError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
)

from .seed_support import log_usable_feedback
from .servers import KaizenServer, make_repo, new_key, start_small_queue_serve, wait_until


def client_for(server: KaizenServer, **options: Any) -> CTClient:
    return CTClient(api_key=server.api_key, base_url=server.url, **options)


def test_a_missing_key_is_a_ct_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAIZEN_API_KEY", raising=False)
    with pytest.raises(CTError, match="KAIZEN_API_KEY"):
        CTClient()
    with pytest.raises(CTConfigError):
        CTClient(api_key="")


def test_401_is_an_authentication_error(kaizen: KaizenServer) -> None:
    with (
        CTClient(api_key=new_key(), base_url=kaizen.url) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.list_tasks()
    error = caught.value
    assert isinstance(error, CTAPIError) and isinstance(error, KaizenAPIError)
    assert error.status_code == 401
    assert isinstance(error.payload, dict) and error.payload["detail"] == error.detail
    assert error.headers["content-type"].startswith("application/json")
    assert error.request_id in str(error)


def test_404_is_a_not_found_error(kaizen: KaizenServer) -> None:
    with client_for(kaizen) as client:
        with pytest.raises(NotFoundError, match="no_such_task"):
            client.get_task("no_such_task")
        with pytest.raises(NotFoundError) as caught:
            client.get_job(str(uuid.uuid4()))
        assert caught.value.status_code == 404


def test_409_is_a_conflict_error(kaizen: KaizenServer) -> None:
    with client_for(kaizen) as client, pytest.raises(ConflictError, match="already exists") as caught:
        client.create_task(name="classify", feedback_threshold=10)
    assert caught.value.status_code == 409


def test_422_is_an_unprocessable_entity_error_with_the_bad_fields(kaizen: KaizenServer) -> None:
    with client_for(kaizen) as client, pytest.raises(UnprocessableEntityError) as caught:
        client.log_feedback(task_id="classify", output="x", score=5)
    assert caught.value.status_code == 422
    assert caught.value.detail[0]["loc"] == ["body", "score"]


@pytest.fixture
def small_queue(tmp_path: Path) -> Iterator[KaizenServer]:
    """The server's real ingestion queue, made tiny (2 entries) and slow (a commit every 2 s)."""
    server = start_small_queue_serve(make_repo(tmp_path / "repo"), max_queued=2, commit_interval_ms=2000)
    yield server
    server.process.stop()


def fill_queue(server: KaizenServer) -> threading.Thread:
    """Commits one entry (so the next commit must wait 2 s), then fills the queue in the background."""
    with client_for(server) as client:
        client.log_feedback(task_id="classify", output="first", score=0.5)

    def fill() -> None:
        with client_for(server) as filler:
            for output in ("a", "b"):
                threading.Thread(
                    target=filler.log_feedback, kwargs={"task_id": "classify", "output": output}, daemon=True
                ).start()
            wait_until(lambda: server.metric("kaizen_ingestion_queue_depth") == 0, timeout=30)

    thread = threading.Thread(target=fill, daemon=True)
    thread.start()
    wait_until(lambda: server.metric("kaizen_ingestion_queue_depth") >= 2, timeout=10)
    return thread


def test_429_from_a_full_ingestion_queue_is_a_rate_limit_error(small_queue: KaizenServer) -> None:
    filler = fill_queue(small_queue)
    with client_for(small_queue, max_retries=0) as client, pytest.raises(RateLimitError) as caught:
        client.log_feedback(task_id="classify", output="one too many")
    assert caught.value.status_code == 429
    assert caught.value.retry_after == 2
    assert "queue is full" in caught.value.detail
    filler.join(30)


def test_a_429_is_retried_after_retry_after_and_then_succeeds(small_queue: KaizenServer) -> None:
    filler = fill_queue(small_queue)
    with client_for(small_queue) as client:
        started = time.monotonic()
        result = client.log_feedback(task_id="classify", output="waited its turn")
        assert time.monotonic() - started >= 2  # it waited Retry-After (2 s) before the retry
    assert result.output == "waited its turn"
    filler.join(30)


def test_an_unreachable_server_is_a_request_error_wrapping_the_original() -> None:
    client = CTClient(api_key=new_key(), base_url="http://127.0.0.1:9", max_retries=1)
    with client, pytest.raises(CTRequestError) as caught:
        client.list_tasks()
    assert isinstance(caught.value.original, httpx.ConnectError)
    assert caught.value.__cause__ is caught.value.original


class Recorder(BaseHTTPRequestHandler):
    """Answers with the statuses queued in ``script``, recording every request's headers."""

    script: list[tuple[int, dict[str, str], str]] = []  # noqa: RUF012 (set per test)
    seen: list[dict[str, str]] = []  # noqa: RUF012

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        Recorder.seen.append({k.lower(): v for k, v in self.headers.items()})
        status, headers, body = Recorder.script.pop(0)
        self.send_response(status)
        for name, value in {"content-type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[str]:
    """A local HTTP server whose answers each test scripts (5xx and Retry-After on demand)."""
    Recorder.script, Recorder.seen = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


JOB = json.dumps(
    {
        "job": {
            "id": "f1e2d3c4-b5a6-7890-fedc-ba0987654321",
            "task_id": "550e8400-e29b-41d4-a716-446655440000",
            "status": "PENDING",
            "created_at": "2024-01-15T10:29:55Z",
        },
        "cost_estimate": {
            "estimated_cost_usd": 0.1,
            "estimated_llm_calls": 1,
            "train_size": 1,
            "val_size": 1,
            "max_trials": 1,
            "teacher_model": "gpt-4o",
            "judge_model": "gpt-4o-mini",
        },
    }
)


def test_a_retried_write_keeps_its_idempotency_key_and_request_id(scripted: str) -> None:
    Recorder.script = [
        (503, {}, '{"detail": "busy"}'),
        (429, {"retry-after": "0"}, '{"detail": "slow down"}'),
        (202, {}, JOB),
    ]
    with CTClient(api_key="k", base_url=scripted, max_retries=2) as client:
        result = client.trigger_optimization("summarize_ticket")
    assert str(result.job.id) == "f1e2d3c4-b5a6-7890-fedc-ba0987654321"
    keys = {seen["idempotency-key"] for seen in Recorder.seen}
    request_ids = {seen["x-request-id"] for seen in Recorder.seen}
    assert len(Recorder.seen) == 3 and len(keys) == 1 and len(request_ids) == 1


def test_each_call_has_its_own_request_id_and_reads_send_no_idempotency_key(scripted: str) -> None:
    Recorder.script = [(200, {}, "[]"), (200, {}, "[]")]
    with CTClient(api_key="k", base_url=scripted) as client:
        client.list_tasks()
        client.list_tasks()
    assert Recorder.seen[0]["x-request-id"] != Recorder.seen[1]["x-request-id"]
    assert "idempotency-key" not in Recorder.seen[0]


def test_retries_stop_after_max_retries_with_a_server_error(scripted: str) -> None:
    Recorder.script = [(500, {}, '{"detail": "boom"}')] * 3
    with CTClient(api_key="k", base_url=scripted, max_retries=2) as client, pytest.raises(ServerError):
        client.list_tasks()
    assert len(Recorder.seen) == 3


def test_a_409_is_never_retried(scripted: str) -> None:
    Recorder.script = [(409, {}, '{"detail": "job in flight"}')]
    with CTClient(api_key="k", base_url=scripted, max_retries=5) as client, pytest.raises(ConflictError):
        client.trigger_optimization("t")
    assert len(Recorder.seen) == 1


def test_a_retry_after_beyond_the_limit_is_raised_at_once(scripted: str) -> None:
    Recorder.script = [(429, {"retry-after": "3600"}, '{"detail": "come back in an hour"}')]
    with CTClient(api_key="k", base_url=scripted) as client, pytest.raises(RateLimitError) as caught:
        client.list_tasks()
    assert caught.value.retry_after == 3600 and len(Recorder.seen) == 1


def test_the_same_idempotency_key_twice_starts_one_job(kaizen: KaizenServer) -> None:
    """What makes retrying trigger_optimization safe: the real server answers a repeated key
    with the first response instead of starting a second paid job."""
    with client_for(kaizen) as client:
        name = f"idem_{uuid.uuid4().hex[:8]}"
        client.create_task(name=name, prompt_path=f"prompts/{name}.txt", prompt="Say: {{x}}")
    log_usable_feedback(kaizen, name)
    headers = {"x-api-key": kaizen.api_key, "idempotency-key": str(uuid.uuid4())}
    url = f"{kaizen.url}/api/v1/tasks/{name}/optimize"
    first = httpx.post(url, headers=headers, timeout=60)
    second = httpx.post(url, headers=headers, timeout=60)
    assert first.status_code == 202 and second.status_code == 202
    assert first.json()["job"]["id"] == second.json()["job"]["id"]


PROMPT = json.dumps(
    {
        "id": "01a224b5-6c38-71dc-bbd6-d44a7576dd8f",
        "task_id": "cc7c5c8b-cc6e-5155-83ad-cd18c92a09ca",
        "version_number": 3,
        "prompt_text": "Summarize: {{ticket}}",
        "status": "active",
        "created_at": "2024-01-15T10:29:55Z",
    }
)


def test_a_cached_prompt_is_served_while_kaizen_fails(
    scripted: str, caplog: pytest.LogCaptureFixture
) -> None:
    Recorder.script = [(200, {"etag": '"v3"'}, PROMPT), (503, {}, '{"detail": "down"}')]
    with CTClient(api_key="k", base_url=scripted, cache_ttl=0.05, max_retries=0) as client:
        first = client.get_prompt("summarize_ticket")
        time.sleep(0.1)
        assert client.get_prompt("summarize_ticket") == first  # stale, while the refresh fails
        wait_until(lambda: "serving a stale prompt" in caplog.text)
    assert Recorder.seen[1]["if-none-match"] == '"v3"'


def test_trigger_optimization_without_usable_feedback_is_refused_at_once(kaizen: KaizenServer) -> None:
    """A job that could not do its work is never started: 422, naming how many more entries."""
    with client_for(kaizen) as client:
        name = f"early_{uuid.uuid4().hex[:8]}"
        client.create_task(name=name, prompt_path=f"prompts/{name}.txt", prompt="Say: {{x}}")
        client.log_feedback(task_id=name, inputs={"x": "hi"}, output="hello", score=1.0)
        with pytest.raises(UnprocessableEntityError) as refused:
            client.trigger_optimization(name)
        assert "29 more are needed" in str(refused.value.detail)
        assert client.list_jobs(task_id=name) == []
