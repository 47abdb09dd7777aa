"""Kaizen's Python SDK: ``CTClient``, ``AsyncCTClient``, the response models and
``instrument()``. See docs/python-sdk.md in the Kaizen repository."""

from ._version import __version__
from .async_client import AsyncCTClient
from .client import CTClient
from .errors import (
    AuthenticationError,
    ConflictError,
    CTAPIError,
    CTConfigError,
    CTError,
    CTRequestError,
    CTTimeoutError,
    KaizenAPIError,
    KaizenError,
    KaizenRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
)
from .instrument import instrument
from .models import (
    CostEstimate,
    FeedbackResult,
    Job,
    JobStatus,
    OptimizeResult,
    Prompt,
    PromptVersion,
    Task,
    TraceResult,
)

__all__ = [
    "AsyncCTClient",
    "AuthenticationError",
    "CTAPIError",
    "CTClient",
    "CTConfigError",
    "CTError",
    "CTRequestError",
    "CTTimeoutError",
    "ConflictError",
    "CostEstimate",
    "FeedbackResult",
    "Job",
    "JobStatus",
    "KaizenAPIError",
    "KaizenError",
    "KaizenRequestError",
    "NotFoundError",
    "OptimizeResult",
    "Prompt",
    "PromptVersion",
    "RateLimitError",
    "ServerError",
    "Task",
    "TraceResult",
    "UnprocessableEntityError",
    "__version__",
    "instrument",
]
