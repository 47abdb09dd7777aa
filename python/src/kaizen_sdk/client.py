"""``CTClient``: the synchronous client of seed 001.

Every method of the seed with its signature and return type, plus the TypeScript SDK's
conveniences: ``wait_for_job``, a stale-while-revalidate prompt cache with a ``fallback``,
feedback sent in the background (``background=True``) and flushed by ``close()``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx

from ._background import flush_all_traces, warn
from ._cache import CachedPrompt
from ._core import TASK_PAGE, ClientCore, fallback_prompt, jobs_path, seg, task_body, tasks_path
from ._http import _sync_client, send
from .errors import AuthenticationError, CTError, NotFoundError
from .models import FeedbackResult, Job, OptimizeResult, Prompt, Task, TraceResult


class _Flight:
    """One prompt request that concurrent callers of the same task share."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: CachedPrompt | None = None
        self.error: BaseException | None = None

    def wait(self) -> CachedPrompt:
        self.done.wait()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


class CTClient:
    """Synchronous client for Kaizen.

    Example::

        with CTClient() as client:  # KAIZEN_API_KEY, KAIZEN_BASE_URL
            prompt = client.get_prompt("summarize_ticket")
            print(prompt.prompt_text)
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
        """
        Args:
            api_key: falls back to ``KAIZEN_API_KEY``; ``CTError`` when neither is set.
            base_url: falls back to ``KAIZEN_BASE_URL``, then ``http://localhost:8000``.
            cache_ttl: seconds a prompt is served from memory without asking the server.
            timeout: seconds before a request is abandoned.
            max_retries: retries on network errors, timeouts, 429 and 5xx.
            max_stale_age: seconds a cached prompt may still be served while Kaizen is down.
            background: send ``log_feedback`` in the background by default.
            flush_at, flush_interval: a background batch is sent at this many entries or
                after this many seconds.
            max_queue_size: background entries held at most (beyond, dropped with a warning).
            close_timeout: seconds ``close()`` keeps retrying queued entries through an outage.
        """
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
        self._http: httpx.Client = _sync_client(self._core.config)
        self._flights: dict[str, _Flight] = {}
        self._flights_lock = threading.Lock()
        self._closed = False

    # ---- prompts ---------------------------------------------------------------------

    def get_prompt(self, task_id: str, *, fallback: str | None = None, unit: str | None = None) -> Prompt:
        """The task's active prompt, TTL-cached in memory.

        After the TTL the cached prompt is served at once while one background request
        revalidates it; while Kaizen is down it keeps being served (up to ``max_stale_age``).
        With nothing cached and Kaizen unable to answer, ``fallback`` (when given) is served as
        version 0, with a warning; a 401 is always raised.

        With ``unit`` (a user, session or request id), while the task's canary runs, the
        candidate is served to its share of units, the same unit always the same version; the
        choice is made here from the cached split, so one fetch per version serves every unit,
        and the active version is served whenever the candidate cannot be had. Example::

            prompt = client.get_prompt("summarize_ticket", unit=user_id)
            client.log_feedback("summarize_ticket", output=reply, score=1.0, unit=user_id)
        """
        active = self._active_prompt(task_id, fallback)
        if unit is None:
            return active
        served = active
        candidate = self._core.candidate_for(task_id, unit, active)
        if candidate is not None:
            served = self._core.cached_version(task_id, candidate) or active
            if served is active:
                try:
                    reply = send(self._http, self._core.config, "GET", self._core.unit_path(task_id, unit))
                    served = self._core.cache_version(task_id, candidate, reply) or active
                except CTError as error:
                    warn(f"serving the active prompt of {task_id}: the canary's candidate: {error}")
        self._core.remember_unit(task_id, unit, served)
        return self._core.served(task_id, served)

    def _active_prompt(self, task_id: str, fallback: str | None) -> Prompt:
        state, entry = self._core.cache_state(task_id)
        if state == "fresh" and entry is not None:
            return self._core.served(task_id, entry.prompt)
        if state == "stale" and entry is not None:
            self._refresh_behind(task_id)
            return self._core.served(task_id, entry.prompt)
        try:
            return self._core.served(task_id, self._refresh(task_id).prompt)
        except CTError as error:
            if fallback is None or isinstance(error, AuthenticationError):
                raise
            warn(f"serving the fallback prompt for {task_id}: {error}")
            return fallback_prompt(fallback)

    def _refresh(self, task_id: str) -> CachedPrompt:
        with self._flights_lock:
            flight = self._flights.get(task_id)
            leader = flight is None
            if flight is None:
                flight = self._flights[task_id] = _Flight()
        if not leader:
            return flight.wait()
        try:
            previous = self._core.cache.get(task_id)
            headers = {"if-none-match": previous.etag} if previous and previous.etag else None
            reply = send(
                self._http, self._core.config, "GET", f"/api/v1/tasks/{seg(task_id)}/prompt", None, headers
            )
            flight.result = self._core.cache_reply(task_id, previous, reply)
            return flight.result
        except NotFoundError as error:
            # A task that is gone must not be served forever from the cache.
            self._core.cache.delete(task_id)
            flight.error = error
            raise
        except BaseException as error:
            flight.error = error
            raise
        finally:
            with self._flights_lock:
                del self._flights[task_id]
            flight.done.set()

    def _refresh_behind(self, task_id: str) -> None:
        with self._flights_lock:
            if task_id in self._flights or self._closed:
                return

        def run() -> None:
            try:
                self._refresh(task_id)
            except Exception as error:
                if not self._closed:
                    warn(f"serving a stale prompt for {task_id}: {error}")

        threading.Thread(target=run, name="kaizen-prompt-refresh", daemon=True).start()

    def invalidate(self, task_id: str) -> None:
        """Drops the cached prompt of one task."""
        self._core.cache.delete(task_id)

    def list_prompts(self, task_id: str) -> list[Prompt]:
        """Every prompt version of the task, newest first."""
        return [Prompt.model_validate(p) for p in self._get(f"/api/v1/tasks/{seg(task_id)}/prompts")]

    def activate_prompt(self, task_id: str, version_id: str) -> Prompt:
        """Activates a prompt version and invalidates the cached prompt of the task."""
        prompt = Prompt.model_validate(
            self._post(f"/api/v1/tasks/{seg(task_id)}/prompts/{seg(version_id)}/activate")
        )
        self.invalidate(task_id)
        return prompt

    # ---- feedback and traces -----------------------------------------------------------

    def log_feedback(
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
        """Logs a feedback entry; returns it once the server committed it.

        With ``background=True`` (or a client made with ``background=True``) it returns at
        once with the entry's client-made id, and the entry is sent in a batch; ``close()``
        delivers what is still queued. Your own ``id`` makes a retry harmless. With ``unit``,
        the version ``get_prompt(..., unit=...)`` served that unit through this client becomes
        the entry's ``prompt_version_id`` (the canary counts by it); or pass it yourself.
        """
        body = self._core.feedback_body(
            task_id, inputs, output, score, source, metadata, id, unit, prompt_version_id
        )
        if background if background is not None else self._core.background_by_default:
            return self._core.queue_feedback(body)
        return FeedbackResult.model_validate(self._post("/api/v1/feedback", body))

    def score(self, trace_id: str, score: float, scored_by: str = "sdk") -> TraceResult:
        """Scores a trace captured by ``instrument()`` (``response.ct_trace_id``)."""
        flush_all_traces()
        return TraceResult.model_validate(
            self._post(f"/api/v1/traces/{seg(trace_id)}/score", {"score": score, "scored_by": scored_by})
        )

    # ---- tasks and jobs ------------------------------------------------------------------

    def list_tasks(self, *, limit: int | None = None, offset: int = 0) -> list[Task]:
        """The repository's tasks by name: one page with ``limit`` (at most 200), else every task."""
        if limit is not None:
            return [Task.model_validate(t) for t in self._get(tasks_path(limit, offset))]
        tasks: list[Task] = []
        while True:
            page = [Task.model_validate(t) for t in self._get(tasks_path(TASK_PAGE, offset))]
            tasks.extend(page)
            if len(page) < TASK_PAGE:
                return tasks
            offset += TASK_PAGE

    def get_task(self, task_id: str) -> Task:
        return Task.model_validate(self._get(f"/api/v1/tasks/{seg(task_id)}"))

    def create_task(
        self,
        name: str,
        description: str | None = None,
        schema_json: dict[str, Any] | None = None,
        feedback_threshold: int = 50,
        **kwargs: Any,
    ) -> Task:
        """Creates a task (``**kwargs`` are further task fields, e.g. ``teacher_model``)."""
        return Task.model_validate(
            self._post("/api/v1/tasks", task_body(name, description, schema_json, feedback_threshold, kwargs))
        )

    def trigger_optimization(self, task_id: str) -> OptimizeResult:
        return OptimizeResult.model_validate(self._post(f"/api/v1/tasks/{seg(task_id)}/optimize"))

    def get_job(self, job_id: str) -> Job:
        return Job.model_validate(self._get(f"/api/v1/jobs/{seg(job_id)}"))

    def list_jobs(
        self, task_id: str | None = None, *, limit: int | None = None, offset: int | None = None
    ) -> list[Job]:
        return [Job.model_validate(j) for j in self._get(jobs_path(task_id, limit, offset))]

    def retry_pr(self, job_id: str) -> Job:
        """Re-opens the pull request of a PR_FAILED job."""
        return Job.model_validate(self._post(f"/api/v1/jobs/{seg(job_id)}/retry-pr"))

    def wait_for_job(
        self,
        job_id: str,
        *,
        interval: float = 5.0,
        timeout: float = 3600.0,
        on_progress: Callable[[Job], None] | None = None,
    ) -> Job:
        """Polls a job until it is SUCCESS, FAILED or PR_FAILED (the seeds' polling loop).

        ``on_progress`` is called each time the status or step changes; ``CTError`` when the
        job is still running after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        last: tuple[str, str | None] | None = None
        while True:
            job = self.get_job(job_id)
            seen = (str(job.status), job.progress_step)
            if on_progress is not None and seen != last:
                on_progress(job)
            last = seen
            if job.is_terminal:
                return job
            if time.monotonic() >= deadline:
                raise CTError(f"job {job_id} is still {job.status} after {timeout} s")
            time.sleep(interval)

    # ---- lifecycle -------------------------------------------------------------------------

    def flush(self) -> None:
        """Sends the queued background feedback and traces now; never raises."""
        self._core.background.flush()

    def close(self) -> None:
        """Delivers the queued feedback and traces, then closes the connection pool."""
        self._closed = True
        self._core.background.close()
        self._http.close()

    def __enter__(self) -> CTClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _get(self, path: str) -> Any:
        return send(self._http, self._core.config, "GET", path).body

    def _post(self, path: str, body: Any = None) -> Any:
        return send(self._http, self._core.config, "POST", path, body).body
