"""What a client sends without making the caller wait: feedback (``log_feedback(...,
background=True)``) and the traces of ``instrument()``. One ``Background`` per client, with
its own synchronous HTTP connection used only by the queues' thread, so the sync and the async
client share this code. Every live ``Background`` is known to the process, so that ``score()``
can first deliver the trace it is about to score, whichever client recorded it.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

import httpx

from ._http import HttpConfig, _sync_client, send
from ._queue import BackgroundQueue, Batch

logger = logging.getLogger("kaizen_sdk")

_live: weakref.WeakSet[Background] = weakref.WeakSet()
_live_lock = threading.Lock()


def warn(message: str) -> None:
    logger.warning("[kaizen] %s", message)


class Background:
    def __init__(
        self,
        config: HttpConfig,
        *,
        flush_at: int = 100,
        flush_interval: float = 1.0,
        max_queue_size: int = 10_000,
        close_timeout: float = 10.0,
    ) -> None:
        self._config = config
        self._http: httpx.Client | None = None
        self._http_lock = threading.Lock()
        self._close_timeout = close_timeout

        def queue(name: str, path: str, key: str) -> BackgroundQueue:
            def deliver(batch: Batch) -> None:
                send(self._client(), config, "POST", path, {key: batch})

            return BackgroundQueue(
                name,
                deliver,
                flush_at=flush_at,
                flush_interval=flush_interval,
                max_size=max_queue_size,
                on_warning=warn,
            )

        self.feedback = queue("feedback", "/api/v1/feedback/batch", "feedback")
        self.traces = queue("trace", "/api/v1/traces", "traces")
        with _live_lock:
            _live.add(self)

    def _client(self) -> httpx.Client:
        with self._http_lock:
            if self._http is None:
                self._http = _sync_client(self._config)
            return self._http

    def record_trace(self, trace: dict[str, Any]) -> None:
        self.traces.add(trace)

    def flush(self, timeout: float = 10.0) -> None:
        self.feedback.flush(timeout)
        self.traces.flush(timeout)

    def close(self) -> None:
        """Delivers everything queued (up to ``close_timeout``), then drops its connection."""
        self.feedback.close(self._close_timeout)
        self.traces.close(self._close_timeout)
        with self._http_lock:
            if self._http is not None:
                self._http.close()
                self._http = None
        with _live_lock:
            _live.discard(self)


def flush_all_traces(timeout: float = 10.0) -> None:
    """Delivers the traces every client of this process has queued (before a ``score``)."""
    with _live_lock:
        everyone = list(_live)
    for background in everyone:
        background.traces.flush(timeout)
