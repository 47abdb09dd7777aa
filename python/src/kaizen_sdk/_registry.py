"""Which task a prompt text belongs to, for ``instrument()``: every prompt served by
``get_prompt`` (any client of the process) is remembered, so a traced LLM call that sends that
prompt is attributed to its task without the caller naming it. Bounded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

_MAX = 1000
_by_text: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def remember_prompt(text: str | None, task: str) -> None:
    if not text:
        return
    with _lock:
        _by_text[text] = task
        _by_text.move_to_end(text)
        while len(_by_text) > _MAX:
            _by_text.popitem(last=False)


def task_for_prompt(sent: str) -> str | None:
    """The task whose prompt the sent text contains (or starts like, before its first ``{{``)."""
    with _lock:
        known = list(_by_text.items())
    for text, task in reversed(known):
        head = text.split("{{", 1)[0].strip()
        if text in sent or (head and head in sent):
            return task
    return None
