"""``instrument(...)``: records every LLM call of an ``openai`` client (``OpenAI`` or
``AsyncOpenAI``: ``chat.completions.create`` and ``responses.create``) or of ``litellm``
(``completion`` / ``acompletion``) as a Kaizen trace: prompt, response, model, tokens, latency,
and the calling file and line. Found by duck typing: neither library is a dependency.

The call itself is unchanged: same arguments, same returned object (streams included, which
are observed as the caller reads them). The response gets a ``ct_trace_id`` attribute (not a
model field: ``model_dump()`` is unchanged) for a later ``score``. Recording never fails or
slows the call: a trace is put on a background queue, and when Kaizen is down it is dropped
with a counted warning.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import inspect
import json
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ._background import Background, warn
from ._core import DEFAULT_BASE_URL
from ._http import HttpConfig
from ._ids import uuid7
from ._registry import task_for_prompt, version_for_prompt
from .errors import CTConfigError

if TYPE_CHECKING:
    from .async_client import AsyncCTClient
    from .client import CTClient

T = TypeVar("T")

_MARK = "_kaizen_instrumented"


def instrument(
    target: T,
    *,
    client: CTClient | AsyncCTClient | None = None,
    task: str | None = None,
) -> T:
    """Traces the LLM calls made through ``target`` and returns it (patched in place).

    Args:
        target: an ``openai.OpenAI`` / ``openai.AsyncOpenAI`` client, or the ``litellm`` module.
        client: the Kaizen client whose background queue sends the traces; by default one
            made from ``KAIZEN_API_KEY`` / ``KAIZEN_BASE_URL`` (flushed at exit).
        task: the task every call is for; otherwise the task whose prompt (served by
            ``get_prompt``) the call sends. A call that matches no task is not recorded, and
            its response gets no ``ct_trace_id`` (a warning says so once).

    Example::

        import litellm
        from kaizen_sdk import CTClient, instrument

        instrument(litellm)
        response = litellm.completion(model="gpt-4o-mini", messages=[...])
        with CTClient() as kaizen:
            kaizen.score(trace_id=response.ct_trace_id, score=0.85, scored_by="human-review")
    """
    sink = _Sink(client._core.background if client is not None else None, task)
    patched = 0
    for path, kind in (("chat.completions", "chat"), ("responses", "responses")):
        owner = _resolve(target, path)
        if owner is not None and callable(getattr(owner, "create", None)):
            patched += _patch(owner, "create", kind, sink)
    if patched == 0 and not inspect.isclass(target):
        # litellm: module-level functions with OpenAI's chat shape.
        for name in ("completion", "acompletion"):
            if callable(getattr(target, name, None)):
                patched += _patch(target, name, "chat", sink)
    if patched == 0:
        raise CTConfigError(
            f"instrument() takes an openai client (OpenAI or AsyncOpenAI) or the litellm module, "
            f"not {type(target).__name__}: it has neither chat.completions.create, responses.create "
            "nor completion/acompletion"
        )
    return target


def _resolve(target: object, path: str) -> object | None:
    node: object | None = target
    for part in path.split("."):
        try:
            node = getattr(node, part, None)
        except Exception:
            return None
        if node is None:
            return None
    return node


def _patch(owner: object, name: str, kind: str, sink: _Sink) -> int:
    original = getattr(owner, name)
    if getattr(original, _MARK, False):
        return 1
    wrapper = _wrap(original, kind, sink)
    setattr(wrapper, _MARK, True)
    setattr(owner, name, wrapper)
    return 1


# ---- where traces go ---------------------------------------------------------------------

_default_lock = threading.Lock()
# One sender per (base URL, key) the environment has named, so a process that changes
# KAIZEN_BASE_URL (tests, a CLI serving several projects) sends each trace where it says now.
_defaults: dict[tuple[str, str], Background] = {}
_default_missing_warned = False


def _default_background() -> Background | None:
    """The process's own sender, for ``instrument(x)`` without a client; None without a key."""
    global _default_missing_warned
    key = os.environ.get("KAIZEN_API_KEY")
    if not key:
        if not _default_missing_warned:
            warn("instrument(): KAIZEN_API_KEY is not set, so calls are not traced")
            _default_missing_warned = True
        return None
    base_url = os.environ.get("KAIZEN_BASE_URL") or DEFAULT_BASE_URL
    with _default_lock:
        background = _defaults.get((base_url, key))
        if background is None:
            background = Background(HttpConfig(base_url=base_url, api_key=key, timeout=10.0))
            _defaults[(base_url, key)] = background
            atexit.register(background.close)
        return background


class _Sink:
    def __init__(self, background: Background | None, task: str | None) -> None:
        self._background = background
        self._task = task

    def task_for(self, prompt_text: str) -> str | None:
        """The task a call's trace is recorded under, or None: such a call is not recorded."""
        try:
            return self._task or task_for_prompt(prompt_text)
        except Exception:
            return None

    def record(self, trace: dict[str, Any]) -> None:
        try:
            task = self.task_for(trace["prompt_text"])
            if task is None:
                return
            background = self._background or _default_background()
            if background is not None:
                version = version_for_prompt(trace["prompt_text"]) if trace["prompt_text"] else None
                background.record_trace({**trace, "task_id": task, "prompt_version_id": version})
        except Exception as error:
            # Recording must never break the application's call.
            warn(f"instrument(): could not record a trace: {error}")


# ---- the wrapper -----------------------------------------------------------------------------


class _Call:
    """What is known of one traced call, and how its trace is completed."""

    def __init__(self, kind: str, kwargs: dict[str, Any], sink: _Sink) -> None:
        self.kind = kind
        self.sink = sink
        self.started = time.perf_counter()
        self.trace_id = uuid7()
        self.model = kwargs.get("model")
        self.prompt = _prompt_text(kwargs)
        # A call that matches no task is not recorded, so its response gets no ct_trace_id: an id
        # that was never stored would answer 404 to the score() that follows.
        self.recorded = sink.task_for(self.prompt) is not None
        caller = sys._getframe(2)  # 0: here, 1: the wrapper, 2: the application
        self.file: str | None = caller.f_code.co_filename
        self.line: int | None = caller.f_lineno
        self.text = ""
        self.tokens: int | None = None
        self.done = False

    def finish(self, response_text: str | None = None) -> None:
        if self.done:
            return
        self.done = True
        self.sink.record(
            {
                "id": self.trace_id,
                "prompt_text": self.prompt,
                "response_text": self.text if response_text is None else response_text,
                "model": None if self.model is None else str(self.model),
                "tokens": self.tokens,
                "latency_ms": round((time.perf_counter() - self.started) * 1000, 3),
                "source_file": self.file,
                "source_line": self.line,
                "source_variable": None,
            }
        )

    def response(self, value: Any) -> Any:
        """Tags and records a complete (not streamed) response; returns it unchanged."""
        try:
            _tag_if_recorded(value, self)
            self.tokens = _int(_get(_get(value, "usage"), "total_tokens"))
            self.finish(_response_text(value, self.kind))
        except Exception as error:
            warn(f"instrument(): could not read a response: {error}")
        return value

    def chunk(self, chunk: Any) -> None:
        try:
            if self.kind == "chat":
                choices = _get(chunk, "choices") or []
                if choices:
                    self.text += _get(_get(choices[0], "delta"), "content") or ""
                tokens = _int(_get(_get(chunk, "usage"), "total_tokens"))
            else:
                kind = _get(chunk, "type")
                if kind == "response.output_text.delta":
                    self.text += _get(chunk, "delta") or ""
                tokens = _int(_get(_get(_get(chunk, "response"), "usage"), "total_tokens"))
            if tokens:
                self.tokens = tokens
        except Exception:
            pass


def _wrap(original: Callable[..., Any], kind: str, sink: _Sink) -> Callable[..., Any]:
    @functools.wraps(original)
    def kaizen_instrumented(*args: Any, **kwargs: Any) -> Any:
        call = _Call(kind, kwargs, sink)
        result = original(*args, **kwargs)
        streaming = kwargs.get("stream") is True
        if inspect.isawaitable(result):
            return _complete_async(result, call, streaming)
        return _observe_stream(result, call) if streaming else call.response(result)

    return kaizen_instrumented


async def _complete_async(awaitable: Awaitable[Any], call: _Call, streaming: bool) -> Any:
    value = await awaitable
    return _observe_stream(value, call) if streaming else call.response(value)


# ---- streams ------------------------------------------------------------------------------------

_observed_classes: dict[type, type] = {}


def _observe_stream(stream: Any, call: _Call) -> Any:
    """Makes the stream report its chunks to ``call`` as the caller reads them: its class is
    swapped for a subclass that adds exactly that, so it stays the same object, of a subclass of
    the same type (``isinstance`` checks, ``with``, ``.response`` and ``close()`` keep working)."""
    try:
        _tag_if_recorded(stream, call)
        object.__setattr__(stream, "_kaizen_call", call)
        stream.__class__ = _observed_class(type(stream))
    except Exception as error:
        warn(f"instrument(): this stream is not traced: {error}")
    return stream


def _observed_class(cls: type) -> type:
    known = _observed_classes.get(cls)
    if known is not None:
        return known
    namespace: dict[str, Any] = {"__slots__": ()}
    if hasattr(cls, "__next__"):

        def __next__(self: Any) -> Any:
            try:
                item = cls.__next__(self)
            except StopIteration:
                self._kaizen_call.finish()
                raise
            self._kaizen_call.chunk(item)
            return item

        def __iter__(self: Any) -> Any:
            while True:
                try:
                    yield self.__next__()
                except StopIteration:
                    return

        namespace.update(__next__=__next__, __iter__=__iter__)
    if hasattr(cls, "__anext__"):

        async def __anext__(self: Any) -> Any:
            try:
                item = await cls.__anext__(self)
            except StopAsyncIteration:
                self._kaizen_call.finish()
                raise
            self._kaizen_call.chunk(item)
            return item

        async def _aiter(self: Any) -> Any:
            while True:
                try:
                    yield await self.__anext__()
                except StopAsyncIteration:
                    return

        namespace.update(__anext__=__anext__, __aiter__=_aiter)
    observed: type = type(cls.__name__, (cls,), namespace)
    observed.__module__ = cls.__module__
    observed.__qualname__ = cls.__qualname__
    _observed_classes[cls] = observed
    return observed


# ---- reading requests and responses ---------------------------------------------------------


def _get(value: Any, name: str) -> Any:
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name, None)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content, default=str)


def _prompt_text(kwargs: dict[str, Any]) -> str:
    messages = kwargs.get("messages")
    if isinstance(messages, list):
        return "\n".join(_text(_get(m, "content")) for m in messages)
    parts = [kwargs.get("instructions"), kwargs.get("input")]
    return "\n".join(_text(p) for p in parts if p)


def _response_text(value: Any, kind: str) -> str:
    if kind == "chat":
        choices = _get(value, "choices") or []
        return (_get(_get(choices[0], "message"), "content") or "") if choices else ""
    return _get(value, "output_text") or ""


_unmatched_warned = False


def _tag_if_recorded(value: Any, call: _Call) -> None:
    global _unmatched_warned
    if call.recorded:
        _tag(value, call.trace_id)
    elif not _unmatched_warned:
        _unmatched_warned = True
        warn(
            "instrument(): a call whose prompt matches no task is not recorded and gets no "
            "ct_trace_id; name its task with instrument(..., task=NAME), or fetch its prompt "
            "with get_prompt() first (said once)"
        )


def _tag(value: Any, trace_id: str) -> None:
    # A frozen or slotted object keeps no id; the trace is still recorded.
    with contextlib.suppress(Exception):
        object.__setattr__(value, "ct_trace_id", trace_id)
