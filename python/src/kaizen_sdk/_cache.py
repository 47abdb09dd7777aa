"""``get_prompt``'s cache: fresh for the TTL; then served at once while one background refresh
revalidates it (with the ETag, so an unchanged prompt costs a 304); while the server is slow or
down, a stale entry keeps being served up to ``max_stale_age``. Bounded, least recently used
first out. Thread-safe; the clients add single-flight on top (threads or asyncio tasks).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from .models import Prompt


@dataclass(frozen=True)
class CanarySplit:
    """The canary's split as the server announces it (``x-kaizen-canary``) with the active prompt."""

    candidate: str
    active: str
    share: float

    @staticmethod
    def parse(value: str | None) -> CanarySplit | None:
        if not value:
            return None
        fields = dict(part.strip().partition("=")[::2] for part in value.split(";"))
        try:
            share = float(fields.get("share", ""))
        except ValueError:
            return None
        if not fields.get("candidate") or not fields.get("active"):
            return None
        return CanarySplit(fields["candidate"], fields["active"], share)

    def serves_candidate(self, unit: str) -> bool:
        """Whether this unit gets the candidate: the server's rule (src/core/canary-split.ts),
        sha256 of ``candidate \0 unit``, its first four bytes as a fraction below the share."""
        if self.share <= 0:
            return False
        digest = hashlib.sha256(f"{self.candidate}\0{unit}".encode()).digest()
        return int.from_bytes(digest[:4], "big") / 2**32 < self.share


@dataclass(frozen=True)
class CachedPrompt:
    prompt: Prompt
    etag: str | None
    fetched_at: float
    canary: CanarySplit | None = None

    def age(self) -> float:
        return time.monotonic() - self.fetched_at

    def renewed(self) -> CachedPrompt:
        return replace(self, fetched_at=time.monotonic())


class PromptCache:
    def __init__(self, max_entries: int = 500) -> None:
        self._entries: OrderedDict[str, CachedPrompt] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key: str) -> CachedPrompt | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: CachedPrompt) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)
