"""The SDK's errors (seed 004): one root, an API error for error statuses, a request error for
the network.

``CTAPIError`` carries the ``status_code``, the parsed ``payload`` (FastAPI's shape:
``payload["detail"]``), the response ``headers`` and the ``request_id`` sent as X-Request-ID.
Each status the API documents has its own subclass, so ``except NotFoundError`` reads as what
it means. ``CTRequestError`` wraps the original exception (also set as ``__cause__``).
The seed's ``Kaizen*`` names are aliases of the same classes.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "AuthenticationError",
    "CTAPIError",
    "CTConfigError",
    "CTError",
    "CTRequestError",
    "CTTimeoutError",
    "ConflictError",
    "KaizenAPIError",
    "KaizenError",
    "KaizenRequestError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "UnprocessableEntityError",
    "api_error",
]


class CTError(Exception):
    """The root of every error the SDK raises."""


class CTConfigError(CTError):
    """The client is misconfigured (no API key) or was asked something impossible."""


class CTRequestError(CTError):
    """The request got no answer: the network failed or the server did not answer in time."""

    def __init__(self, message: str, *, original: BaseException, request_id: str) -> None:
        super().__init__(f"{message} (request {request_id})")
        self.original = original
        self.request_id = request_id


class CTTimeoutError(CTRequestError):
    """The server did not answer within the client's timeout."""


class CTAPIError(CTError):
    """The server answered with an error status."""

    def __init__(self, status_code: int, payload: Any, headers: httpx.Headers, request_id: str) -> None:
        self.status_code = status_code
        self.payload = payload
        self.headers = headers
        self.request_id = request_id
        self.detail: Any = payload.get("detail", payload) if isinstance(payload, dict) else payload
        shown = self.detail if isinstance(self.detail, str) else repr(self.detail)
        super().__init__(f"Kaizen API {status_code}: {shown} (request {request_id})")


class AuthenticationError(CTAPIError):
    """401: the API key is missing, malformed or revoked."""


class NotFoundError(CTAPIError):
    """404: no such task, prompt, job or trace (or it belongs to another repository)."""


class ConflictError(CTAPIError):
    """409: e.g. a job is already in flight for the task, or a task of that name exists."""


class UnprocessableEntityError(CTAPIError):
    """422: invalid input; ``detail`` lists every bad field with its ``loc``."""


class RateLimitError(CTAPIError):
    """429: the ingestion queue is full; ``retry_after`` says when to come back."""

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


class ServerError(CTAPIError):
    """5xx: the server failed."""


_BY_STATUS: dict[int, type[CTAPIError]] = {
    401: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def api_error(status_code: int, payload: Any, headers: httpx.Headers, request_id: str) -> CTAPIError:
    """The most specific error class for a status."""
    cls = _BY_STATUS.get(status_code, ServerError if status_code >= 500 else CTAPIError)
    return cls(status_code, payload, headers, request_id)


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the API sends seconds; an HTTP date is not used by Kaizen)."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


# The seed's names for the same classes.
KaizenError = CTError
KaizenAPIError = CTAPIError
KaizenRequestError = CTRequestError
