"""What the sync and the async client share: configuration from the arguments and the
environment, the routes, request bodies, the prompt-cache decision and the fallback prompt.
Each client only adds its way of waiting (threads or asyncio)."""

from __future__ import annotations

import os
import threading
import uuid
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Literal
from urllib.parse import quote, urlencode

from ._background import Background
from ._cache import CachedPrompt, CanarySplit, PromptCache
from ._http import HttpConfig, Reply
from ._ids import uuid7
from ._registry import remember_prompt
from .errors import CTConfigError
from .models import FeedbackResult, Prompt

DEFAULT_BASE_URL = "http://localhost:8000"
NIL_UUID = uuid.UUID(int=0)

CacheState = Literal["fresh", "stale", "miss"]
#: Units whose served version a client remembers for log_feedback.
MAX_REMEMBERED_UNITS = 10_000


class ClientCore:
    """Configuration and state of one client (see ``CTClient`` for the parameters)."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        cache_ttl: float,
        timeout: float,
        *,
        max_retries: int,
        max_stale_age: float,
        background: bool,
        flush_at: int,
        flush_interval: float,
        max_queue_size: int,
        close_timeout: float,
    ) -> None:
        key = api_key or os.environ.get("KAIZEN_API_KEY")
        if not key:
            raise CTConfigError("no Kaizen API key: pass api_key=... or set KAIZEN_API_KEY")
        self.config = HttpConfig(
            base_url=base_url or os.environ.get("KAIZEN_BASE_URL") or DEFAULT_BASE_URL,
            api_key=key,
            timeout=timeout,
            max_retries=max_retries,
        )
        self.cache = PromptCache()
        # task \n unit -> the version served to it, for log_feedback's prompt_version_id.
        self._unit_versions: OrderedDict[str, str] = OrderedDict()
        self._units_lock = threading.Lock()
        self.cache_ttl = cache_ttl
        self.max_stale_age = max_stale_age
        self.background_by_default = background
        self.background = Background(
            self.config,
            flush_at=flush_at,
            flush_interval=flush_interval,
            max_queue_size=max_queue_size,
            close_timeout=close_timeout,
        )

    @property
    def base_url(self) -> str:
        return self.config.base_url

    def cache_state(self, task_id: str) -> tuple[CacheState, CachedPrompt | None]:
        entry = self.cache.get(task_id)
        if entry is None:
            return "miss", None
        age = entry.age()
        if age < self.cache_ttl:
            return "fresh", entry
        if age < self.max_stale_age:
            return "stale", entry
        return "miss", entry

    def cache_reply(self, task_id: str, previous: CachedPrompt | None, reply: Reply) -> CachedPrompt:
        """Stores what a prompt request answered (a 304 renews the previous entry)."""
        split = CanarySplit.parse(reply.headers.get("x-kaizen-canary"))
        if reply.status_code == 304 and previous is not None:
            entry = replace(previous, canary=split).renewed()
        else:
            entry = CachedPrompt(
                Prompt.model_validate(reply.body), reply.headers.get("etag"), 0.0, split
            ).renewed()
        self.cache.set(task_id, entry)
        return entry

    def served(self, task_id: str, prompt: Prompt) -> Prompt:
        remember_prompt(prompt.prompt_text, task_id, str(prompt.id) if prompt.version_number > 0 else None)
        return prompt

    # ---- the canary: one fetch per version serves every unit ---------------------------------

    def candidate_for(self, task_id: str, unit: str, active: Prompt) -> str | None:
        """The candidate's id when the cached split gives it this unit, else None (the active)."""
        entry = self.cache.get(task_id)
        split = entry.canary if entry is not None else None
        if split is None or split.active != str(active.id) or not split.serves_candidate(unit):
            return None
        return split.candidate

    def cached_version(self, task_id: str, version_id: str) -> Prompt | None:
        entry = self.cache.get(f"{task_id}\nversion\n{version_id}")
        return entry.prompt if entry is not None else None

    def cache_version(self, task_id: str, version_id: str, reply: Reply) -> Prompt | None:
        """Keeps the candidate a unit request returned, by its id (None if the server chose otherwise)."""
        prompt = Prompt.model_validate(reply.body)
        if str(prompt.id) != version_id:
            return None
        self.cache.set(f"{task_id}\nversion\n{version_id}", CachedPrompt(prompt, None, 0.0).renewed())
        return prompt

    def unit_path(self, task_id: str, unit: str) -> str:
        return f"/api/v1/tasks/{seg(task_id)}/prompt?{urlencode({'unit': unit})}"

    def remember_unit(self, task_id: str, unit: str, prompt: Prompt) -> None:
        key = f"{task_id}\n{unit}"
        with self._units_lock:
            self._unit_versions[key] = str(prompt.id)
            self._unit_versions.move_to_end(key)
            while len(self._unit_versions) > MAX_REMEMBERED_UNITS:
                self._unit_versions.popitem(last=False)

    def version_of_unit(self, task_id: str, unit: str | None) -> str | None:
        if unit is None:
            return None
        with self._units_lock:
            return self._unit_versions.get(f"{task_id}\n{unit}")

    def feedback_body(
        self,
        task_id: str,
        inputs: dict[str, Any] | None,
        output: str | None,
        score: float | None,
        source: str,
        metadata: dict[str, Any] | None,
        id: str | None,
        unit: str | None = None,
        prompt_version_id: str | None = None,
    ) -> dict[str, Any]:
        return {
            "id": id or uuid7(),
            "task_id": task_id,
            "inputs": inputs,
            "output": output,
            "score": score,
            "source": source,
            "metadata": metadata,
            "prompt_version_id": prompt_version_id or self.version_of_unit(task_id, unit),
        }

    def queue_feedback(self, body: dict[str, Any]) -> FeedbackResult:
        """Queues feedback for the background sender; the result carries the client-made id."""
        self.background.feedback.add(body)
        return FeedbackResult.model_validate(
            {**body, "task_id": _uuid_or_nil(body["task_id"]), "created_at": datetime.now(timezone.utc)}
        )


def task_body(
    name: str,
    description: str | None,
    schema_json: dict[str, Any] | None,
    feedback_threshold: int,
    extra: dict[str, Any],
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "feedback_threshold": feedback_threshold, **extra}
    if description is not None:
        body["description"] = description
    if schema_json is not None:
        body["task_schema"] = schema_json
    return body


def fallback_prompt(text: str) -> Prompt:
    """Version 0: not a version Kaizen stored, the caller's own text."""
    return Prompt(
        id=NIL_UUID,
        task_id=NIL_UUID,
        version_number=0,
        prompt_text=text,
        status="active",
        created_at=datetime(1970, 1, 1, tzinfo=timezone.utc),
    )


def _uuid_or_nil(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        return NIL_UUID


def seg(value: str) -> str:
    """One path segment (a task may be named by id or by name)."""
    return quote(str(value), safe="")


TASK_PAGE = 200
"""The server's largest page of tasks: listing every task takes the fewest requests."""


def tasks_path(limit: int, offset: int) -> str:
    return f"/api/v1/tasks?{urlencode({'limit': limit, 'offset': offset})}"


def jobs_path(task_id: str | None, limit: int | None, offset: int | None) -> str:
    query = {k: v for k, v in {"task_id": task_id, "limit": limit, "offset": offset}.items() if v is not None}
    return "/api/v1/jobs" + (f"?{urlencode(query)}" if query else "")
