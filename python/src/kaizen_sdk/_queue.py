"""The background sender of feedback and traces, shared by the sync and the async client.

``add`` returns at once; a daemon thread sends entries in batches (at ``flush_at`` entries or
every ``flush_interval`` seconds) and re-queues a batch that failed. The queue is bounded: what
it must drop is counted and reported through ``on_warning``, never silent. After three failures
in a row it pauses for a while (a circuit breaker) instead of hammering a server that is down.
``flush`` and ``close`` never raise: a Kaizen outage must not fail the application.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import CTAPIError

Batch = list[dict[str, Any]]

#: The server takes at most 1,000 entries (and 10 MB) in one batch request.
MAX_BATCH = 1000
_BREAKER_THRESHOLD = 3
_BREAKER_COOLDOWN = 5.0
_CLOSE_RETRY_PAUSE = 0.2


@dataclass
class QueueStats:
    queued: int = 0
    sent: int = 0
    dropped: int = 0
    failures: int = 0
    breaker_open: bool = False


class BackgroundQueue:
    def __init__(
        self,
        name: str,
        send: Callable[[Batch], None],
        *,
        flush_at: int = 100,
        flush_interval: float = 1.0,
        max_size: int = 10_000,
        on_warning: Callable[[str], None],
    ) -> None:
        self._name = name
        self._send = send
        self._flush_at = max(1, flush_at)
        self._flush_interval = flush_interval
        self._max_size = max_size
        self._warn = on_warning
        self._items: deque[dict[str, Any]] = deque()
        self._in_flight = 0
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closing = False
        self._deadline = float("inf")
        # Halved after a 413 (a batch over the server's byte limit), so big entries still go.
        self._batch_cap = MAX_BATCH
        self._flush_requested = False
        self._consecutive_failures = 0
        self._paused_until = 0.0
        self.stats = QueueStats()

    def add(self, item: dict[str, Any]) -> bool:
        """Queues one entry; False (and a warning) when it had to be dropped."""
        with self._cond:
            if self._closing or len(self._items) >= self._max_size:
                self.stats.dropped += 1
                reason = "the client is closed" if self._closing else f"the queue holds {self._max_size}"
                self._warn(f"dropped 1 {self._name} entry: {reason}")
                return False
            self._items.append(item)
            waiting = len(self._items)
            self.stats.queued = waiting
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"kaizen-{self._name}", daemon=True)
                self._thread.start()
            # The sender sleeps until the interval ends once it has entries: it needs waking only
            # for the first entry and when a batch is full (notifying on every add costs more
            # than everything else instrument() does).
            if waiting == 1 or waiting == self._flush_at:
                self._cond.notify_all()
            return True

    def flush(self, timeout: float = 10.0) -> bool:
        """Sends what is queued now; True when everything was delivered. Never raises."""
        deadline = time.monotonic() + timeout
        with self._cond:
            failures_before = self.stats.failures
            while self._items or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.stats.failures != failures_before or self._thread is None:
                    break
                # Asked again at each wake: a flush may take several batches.
                self._flush_requested = True
                self._cond.notify_all()
                self._cond.wait(remaining)
            return not self._items and not self._in_flight

    def close(self, timeout: float = 10.0) -> None:
        """Delivers what is queued, retrying through short outages until ``timeout``; then drops
        the rest with a warning. Never raises."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._closing = True
            self._deadline = deadline
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()) + 1.0)
        with self._cond:
            if self._items:
                count = len(self._items)
                self.stats.dropped += count
                self._items.clear()
                self.stats.queued = 0
                self._warn(
                    f"dropped {count} {self._name} entries: Kaizen was unreachable until close() gave up"
                )

    def _run(self) -> None:
        while True:
            with self._cond:
                batch = self._next_batch()
                if batch is None:
                    return
                self._in_flight = len(batch)
            try:
                self._send(batch)
            except Exception as error:
                self._failed(batch, error)
            else:
                self._delivered(batch)

    def _next_batch(self) -> Batch | None:
        """Waits (holding the condition) until a batch is due; None when the thread must stop."""
        oldest_wait_start = time.monotonic()
        while True:
            now = time.monotonic()
            if self._closing:
                if not self._items or now >= self._deadline:
                    return None
                if now < self._paused_until:
                    self._cond.wait(min(self._paused_until, self._deadline) - now)
                    continue
            elif not self._items:
                self._cond.wait()
                oldest_wait_start = time.monotonic()
                continue
            else:
                due = (
                    len(self._items) >= self._flush_at
                    or self._flush_requested
                    or now - oldest_wait_start >= self._flush_interval
                )
                if now < self._paused_until or not due:
                    wake = max(self._paused_until, oldest_wait_start + self._flush_interval)
                    self._cond.wait(max(0.001, wake - now))
                    continue
            self._flush_requested = False
            # Everything waiting goes at once (up to the server's limit): flush_at only says when.
            return [self._items.popleft() for _ in range(min(self._batch_cap, len(self._items)))]

    def _delivered(self, batch: Batch) -> None:
        with self._cond:
            self._in_flight = 0
            self._batch_cap = min(MAX_BATCH, self._batch_cap * 2)
            self.stats.sent += len(batch)
            self.stats.queued = len(self._items)
            self._consecutive_failures = 0
            self._paused_until = 0.0
            self.stats.breaker_open = False
            self._cond.notify_all()

    def _failed(self, batch: Batch, error: Exception) -> None:
        with self._cond:
            self._in_flight = 0
            refusal = _permanent_refusal(error)
            if refusal is not None:
                # The server answered, so it is up: no breaker, and never the same request again.
                self._consecutive_failures = 0
                if refusal == "split" and len(batch) > 1:
                    # The fault may be one entry's (or the batch's size): halve until it is alone.
                    self._batch_cap = max(1, len(batch) // 2)
                    self._items.extendleft(reversed(batch))
                    self._flush_requested = True
                else:
                    self.stats.dropped += len(batch)
                    self._warn(f"dropped {len(batch)} {self._name} entries the server refused: {error}")
                self.stats.queued = len(self._items)
                self._cond.notify_all()
                return
            self._items.extendleft(reversed(batch))
            self.stats.queued = len(self._items)
            self.stats.failures += 1
            self._consecutive_failures += 1
            if self._closing:
                pause = _CLOSE_RETRY_PAUSE
            elif self._consecutive_failures >= _BREAKER_THRESHOLD:
                pause = _BREAKER_COOLDOWN
                self.stats.breaker_open = True
            else:
                pause = self._flush_interval
            self._paused_until = time.monotonic() + pause
            self._warn(f"sending {len(batch)} {self._name} entries failed, will retry: {error}")
            self._cond.notify_all()


def _permanent_refusal(error: Exception) -> str | None:
    """How to handle an error the same request would get again (a 4xx other than 408 and 429):
    "drop" when every entry would be refused alike (a bad or revoked key), "split" when the
    fault may lie with one entry; None for a transient error, which is retried."""
    if not isinstance(error, CTAPIError):
        return None
    status = error.status_code
    if status < 400 or status >= 500 or status in (408, 429):
        return None
    return "drop" if status in (401, 403) else "split"
