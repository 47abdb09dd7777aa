"""``AsyncCTClient``: the asynchronous mirror of ``CTClient`` (seed 002). Same constructor,
same methods and return types, every method ``async``; the background queue and the prompt
cache are shared code (see ``_core``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx

from ._background import flush_all_traces, warn
from ._cache import CachedPrompt
from ._core import TASK_PAGE, ClientCore, fallback_prompt, jobs_path, seg, task_body, tasks_path
from ._http import _async_client, send_async
from .errors import AuthenticationError, CTError, NotFoundError
from .models import FeedbackResult, Job, OptimizeResult, Prompt, Task, TraceResult


class AsyncCTClient:
    """Asynchronous client for Kaizen.

    Example::

        async with AsyncCTClient() as client:
            prompt = await client.get_prompt("summarize_ticket")
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        cache_ttl: float = 300.0,
        timeout: float = 30.0,
        *,
        max_retries: int = 2,
        max_stale_age: float = 24 * 3600.0,
        background: bool = False,
        flush_at: int = 100,
        flush_interval: float = 1.0,
        max_queue_size: int = 10_000,
        close_timeout: float = 10.0,
    ) -> None:
        """The same parameters as ``CTClient``."""
        self._core = ClientCore(
            api_key,
            base_url,
            cache_ttl,
            timeout,
            max_retries=max_retries,
            max_stale_age=max_stale_age,
            background=background,
            flush_at=flush_at,
            flush_interval=flush_interval,
            max_queue_size=max_queue_size,
            close_timeout=close_timeout,
        )
        self._http: httpx.AsyncClient = _async_client(self._core.config)
        self._flights: dict[str, asyncio.Task[CachedPrompt]] = {}
        self._behind: set[asyncio.Task[None]] = set()

    # ---- prompts ---------------------------------------------------------------------

    async def get_prompt(
        self, task_id: str, *, fallback: str | None = None, unit: str | None = None
    ) -> Prompt:
        """The task's active prompt, TTL-cached; with ``unit``, the canary's choice for that
        unit, from one fetch per version (see ``CTClient.get_prompt``)."""
        active = await self._active_prompt(task_id, fallback)
        if unit is None:
            return active
        served = active
        candidate = self._core.candidate_for(task_id, unit, active)
        if candidate is not None:
            served = self._core.cached_version(task_id, candidate) or active
            if served is active:
                try:
                    reply = await send_async(
                        self._http, self._core.config, "GET", self._core.unit_path(task_id, unit)
                    )
                    served = self._core.cache_version(task_id, candidate, reply) or active
                except CTError as error:
                    warn(f"serving the active prompt of {task_id}: the canary's candidate: {error}")
        self._core.remember_unit(task_id, unit, served)
        return self._core.served(task_id, served)

    async def _active_prompt(self, task_id: str, fallback: str | None) -> Prompt:
        state, entry = self._core.cache_state(task_id)
        if state == "fresh" and entry is not None:
            return self._core.served(task_id, entry.prompt)
        if state == "stale" and entry is not None:
            if task_id not in self._flights:
                behind = asyncio.create_task(self._refresh_quietly(task_id))
                self._behind.add(behind)
                behind.add_done_callback(self._behind.discard)
            return self._core.served(task_id, entry.prompt)
        try:
            return self._core.served(task_id, (await self._refresh(task_id)).prompt)
        except CTError as error:
            if fallback is None or isinstance(error, AuthenticationError):
                raise
            warn(f"serving the fallback prompt for {task_id}: {error}")
            return fallback_prompt(fallback)

    async def _refresh(self, task_id: str) -> CachedPrompt:
        flight = self._flights.get(task_id)
        if flight is None:
            flight = self._flights[task_id] = asyncio.ensure_future(self._load(task_id))
            flight.add_done_callback(lambda _: self._flights.pop(task_id, None))
        # Shielded: a caller that is cancelled does not cancel the others' shared request.
        return await asyncio.shield(flight)

    async def _load(self, task_id: str) -> CachedPrompt:
        previous = self._core.cache.get(task_id)
        headers = {"if-none-match": previous.etag} if previous and previous.etag else None
        try:
            reply = await send_async(
                self._http, self._core.config, "GET", f"/api/v1/tasks/{seg(task_id)}/prompt", None, headers
            )
        except NotFoundError:
            self._core.cache.delete(task_id)
            raise
        return self._core.cache_reply(task_id, previous, reply)

    async def _refresh_quietly(self, task_id: str) -> None:
        try:
            await self._refresh(task_id)
        except Exception as error:
            warn(f"serving a stale prompt for {task_id}: {error}")

    def invalidate(self, task_id: str) -> None:
        """Drops the cached prompt of one task."""
        self._core.cache.delete(task_id)

    async def list_prompts(self, task_id: str) -> list[Prompt]:
        return [Prompt.model_validate(p) for p in await self._get(f"/api/v1/tasks/{seg(task_id)}/prompts")]

    async def activate_prompt(self, task_id: str, version_id: str) -> Prompt:
        """Activates a prompt version and invalidates the cached prompt of the task."""
        prompt = Prompt.model_validate(
            await self._post(f"/api/v1/tasks/{seg(task_id)}/prompts/{seg(version_id)}/activate")
        )
        self.invalidate(task_id)
        return prompt

    # ---- feedback and traces -----------------------------------------------------------

    async def log_feedback(
        self,
        task_id: str,
        inputs: dict[str, Any] | None = None,
        output: str | None = None,
        score: float | None = None,
        source: str = "sdk",
        metadata: dict[str, Any] | None = None,
        *,
        id: str | None = None,
        background: bool | None = None,
        unit: str | None = None,
        prompt_version_id: str | None = None,
    ) -> FeedbackResult:
        """Logs a feedback entry (see ``CTClient.log_feedback``; ``background=True`` never waits)."""
        body = self._core.feedback_body(
            task_id, inputs, output, score, source, metadata, id, unit, prompt_version_id
        )
        if background if background is not None else self._core.background_by_default:
            return self._core.queue_feedback(body)
        return FeedbackResult.model_validate(await self._post("/api/v1/feedback", body))

    async def score(self, trace_id: str, score: float, scored_by: str = "sdk") -> TraceResult:
        """Scores a trace captured by ``instrument()`` (``response.ct_trace_id``)."""
        await asyncio.to_thread(flush_all_traces)
        return TraceResult.model_validate(
            await self._post(
                f"/api/v1/traces/{seg(trace_id)}/score", {"score": score, "scored_by": scored_by}
            )
        )

    # ---- tasks and jobs ------------------------------------------------------------------

    async def list_tasks(self, *, limit: int | None = None, offset: int = 0) -> list[Task]:
        """The repository's tasks by name: one page with ``limit`` (at most 200), else every task."""
        if limit is not None:
            return [Task.model_validate(t) for t in await self._get(tasks_path(limit, offset))]
        tasks: list[Task] = []
        while True:
            page = [Task.model_validate(t) for t in await self._get(tasks_path(TASK_PAGE, offset))]
            tasks.extend(page)
            if len(page) < TASK_PAGE:
                return tasks
            offset += TASK_PAGE

    async def get_task(self, task_id: str) -> Task:
        return Task.model_validate(await self._get(f"/api/v1/tasks/{seg(task_id)}"))

    async def create_task(
        self,
        name: str,
        description: str | None = None,
        schema_json: dict[str, Any] | None = None,
        feedback_threshold: int = 50,
        **kwargs: Any,
    ) -> Task:
        body = task_body(name, description, schema_json, feedback_threshold, kwargs)
        return Task.model_validate(await self._post("/api/v1/tasks", body))

    async def trigger_optimization(self, task_id: str) -> OptimizeResult:
        return OptimizeResult.model_validate(await self._post(f"/api/v1/tasks/{seg(task_id)}/optimize"))

    async def get_job(self, job_id: str) -> Job:
        return Job.model_validate(await self._get(f"/api/v1/jobs/{seg(job_id)}"))

    async def list_jobs(
        self, task_id: str | None = None, *, limit: int | None = None, offset: int | None = None
    ) -> list[Job]:
        return [Job.model_validate(j) for j in await self._get(jobs_path(task_id, limit, offset))]

    async def retry_pr(self, job_id: str) -> Job:
        return Job.model_validate(await self._post(f"/api/v1/jobs/{seg(job_id)}/retry-pr"))

    async def wait_for_job(
        self,
        job_id: str,
        *,
        interval: float = 5.0,
        timeout: float = 3600.0,
        on_progress: Callable[[Job], None] | None = None,
    ) -> Job:
        """Polls a job until it is SUCCESS, FAILED or PR_FAILED (see ``CTClient.wait_for_job``)."""
        deadline = time.monotonic() + timeout
        last: tuple[str, str | None] | None = None
        while True:
            job = await self.get_job(job_id)
            seen = (str(job.status), job.progress_step)
            if on_progress is not None and seen != last:
                on_progress(job)
            last = seen
            if job.is_terminal:
                return job
            if time.monotonic() >= deadline:
                raise CTError(f"job {job_id} is still {job.status} after {timeout} s")
            await asyncio.sleep(interval)

    # ---- lifecycle -------------------------------------------------------------------------

    async def flush(self) -> None:
        """Sends the queued background feedback and traces now; never raises."""
        await asyncio.to_thread(self._core.background.flush)

    async def close(self) -> None:
        """Delivers the queued feedback and traces, then closes the connection pool."""
        await asyncio.to_thread(self._core.background.close)
        for behind in list(self._behind):
            behind.cancel()
        await self._http.aclose()

    async def __aenter__(self) -> AsyncCTClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _get(self, path: str) -> Any:
        return (await send_async(self._http, self._core.config, "GET", path)).body

    async def _post(self, path: str, body: Any = None) -> Any:
        return (await send_async(self._http, self._core.config, "POST", path, body)).body
