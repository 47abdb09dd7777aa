"""Every request of the SDK, sync and async: one X-Request-ID per call (kept across retries and
echoed in errors), one Idempotency-Key per write (so a retried ``trigger_optimization`` never
starts two paid jobs), and retries with exponential backoff and jitter on network errors,
timeouts, 429 (honouring Retry-After) and 5xx; never on 409 or another 4xx.

The decisions live in ``_Call``; ``send`` and ``send_async`` only differ in how they wait.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._ids import uuid7
from ._version import __version__
from .errors import CTRequestError, CTTimeoutError, api_error, parse_retry_after


@dataclass(frozen=True)
class HttpConfig:
    base_url: str
    api_key: str
    timeout: float
    max_retries: int = 2
    #: First backoff in seconds; doubled each retry, with jitter, at most 30 s.
    backoff: float = 0.5
    #: A Retry-After longer than this is not waited for: the error is raised at once.
    max_retry_after: float = 60.0
    user_agent: str = field(default=f"kaizen-sdk-python/{__version__}")


@dataclass(frozen=True)
class Reply:
    status_code: int
    body: Any
    headers: httpx.Headers


def _sync_client(config: HttpConfig) -> httpx.Client:
    return httpx.Client(base_url=config.base_url.rstrip("/"), timeout=config.timeout)


def _async_client(config: HttpConfig) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=config.base_url.rstrip("/"), timeout=config.timeout)


class _Call:
    """One logical request and its retries."""

    def __init__(
        self,
        config: HttpConfig,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.config = config
        self.method = method
        self.path = path
        self.request_id = uuid7()
        self.attempt = 0
        self.headers = {
            "x-api-key": config.api_key,
            "x-request-id": self.request_id,
            "user-agent": config.user_agent,
            "accept": "application/json",
            **(headers or {}),
        }
        if method == "POST":
            self.headers["idempotency-key"] = uuid7()
        self.content: bytes | None = None
        if body is not None:
            self.content = json.dumps(body).encode()
            self.headers["content-type"] = "application/json"

    def after_failure(self, error: httpx.TransportError) -> float:
        """The wait before the next attempt, or raises CTRequestError when out of retries."""
        if self.attempt >= self.config.max_retries:
            if isinstance(error, httpx.TimeoutException):
                raise CTTimeoutError(
                    f"Kaizen did not answer {self.method} {self.path} within {self.config.timeout} s",
                    original=error,
                    request_id=self.request_id,
                ) from error
            raise CTRequestError(
                f"cannot reach Kaizen at {self.config.base_url}: {error!r}",
                original=error,
                request_id=self.request_id,
            ) from error
        return self._next_wait(None)

    def after_response(self, response: httpx.Response) -> Reply | float:
        """The reply, the wait before a retry, or raises the API error."""
        if response.status_code == 304:
            return Reply(304, None, response.headers)
        body: Any = None
        if response.content:
            try:
                body = response.json()
            except ValueError:
                body = response.text
        if response.is_success:
            return Reply(response.status_code, body, response.headers)
        retryable = response.status_code == 429 or response.status_code >= 500
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        too_long = retry_after is not None and retry_after > self.config.max_retry_after
        if not retryable or too_long or self.attempt >= self.config.max_retries:
            raise api_error(response.status_code, body, response.headers, self.request_id)
        return self._next_wait(retry_after)

    def _next_wait(self, retry_after: float | None) -> float:
        attempt = self.attempt
        self.attempt += 1
        if retry_after is not None:
            return retry_after
        return min(self.config.backoff * 2.0**attempt, 30.0) * (0.5 + random.random() / 2)


def send(
    client: httpx.Client,
    config: HttpConfig,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    call = _Call(config, method, path, body, headers)
    while True:
        try:
            response = client.request(method, path, content=call.content, headers=call.headers)
        except httpx.TransportError as error:
            time.sleep(call.after_failure(error))
            continue
        outcome = call.after_response(response)
        if isinstance(outcome, Reply):
            return outcome
        time.sleep(outcome)


async def send_async(
    client: httpx.AsyncClient,
    config: HttpConfig,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    call = _Call(config, method, path, body, headers)
    while True:
        try:
            response = await client.request(method, path, content=call.content, headers=call.headers)
        except httpx.TransportError as error:
            await asyncio.sleep(call.after_failure(error))
            continue
        outcome = call.after_response(response)
        if isinstance(outcome, Reply):
            return outcome
        await asyncio.sleep(outcome)
