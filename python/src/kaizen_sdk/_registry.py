"""Which task a prompt text belongs to, for ``instrument()``: every prompt served by
``get_prompt`` (any client of the process) is remembered, so a traced LLM call that sends that
prompt is attributed to its task without the caller naming it. Bounded.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

_MAX = 1000
_by_text: OrderedDict[str, str] = OrderedDict()
_version_by_text: dict[str, str] = {}
_lock = threading.Lock()


def remember_prompt(text: str | None, task: str, version_id: str | None = None) -> None:
    if not text:
        return
    with _lock:
        _by_text[text] = task
        _by_text.move_to_end(text)
        if version_id is not None:
            _version_by_text[text] = version_id
        while len(_by_text) > _MAX:
            old, _ = _by_text.popitem(last=False)
            _version_by_text.pop(old, None)


def version_for_prompt(sent: str) -> str | None:
    """The version whose template the sent text fills; of several (a candidate that adds words
    to the active template matches both), the one with the most literal text."""
    with _lock:
        known = list(_version_by_text.items())
    best: tuple[int, str] | None = None
    for text, version in known:
        if template_matches(text, sent):
            literal = len(_PLACEHOLDER.sub("", text).strip())
            if best is None or literal > best[0]:
                best = (literal, version)
    return best[1] if best else None


def task_for_prompt(sent: str) -> str | None:
    """The task whose prompt template, placeholders filled, the sent text contains."""
    with _lock:
        known = list(_by_text.items())
    for text, task in reversed(known):
        if template_matches(text, sent):
            return task
    return None


_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")


def template_matches(template: str, prompt: str) -> bool:
    """Whether ``prompt`` is ``template`` with its placeholders filled: every literal piece of
    the template appears in the prompt, in order (as the TypeScript SDK's ``templateMatches``).
    A template with no literal text matches nothing: it cannot say which task a call is for.
    """
    pieces = [piece.strip() for piece in _PLACEHOLDER.split(template)]
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        return False
    start = 0
    for piece in pieces:
        at = prompt.find(piece, start)
        if at == -1:
            return False
        start = at + len(piece)
    return True
