"""Pydantic response models returned by the Kaizen SDK (seed 000).

Every model ignores fields it does not know (``extra='ignore'``), so a newer server never
breaks an older SDK. Fields are snake_case, exactly as on the wire; the seeds' API aliases
(``schema_json`` for ``task_schema``, ``metadata_`` for ``metadata``) are accepted when reading.
A test reads the server's OpenAPI document (generated from the zod records) and fails when a
record has a field that these models lack, so the TypeScript and Python SDKs cannot drift.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

__all__ = [
    "TERMINAL_JOB_STATUSES",
    "CostEstimate",
    "FeedbackResult",
    "Job",
    "JobStatus",
    "OptimizeResult",
    "Prompt",
    "PromptVersion",
    "Task",
    "TraceResult",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=False)


class JobStatus(str):
    """A job status as the server writes it (``FAILED`` for a failure).

    The seeds' Python examples test for ``"FAILURE"`` while the REST API says ``"FAILED"``:
    a ``FAILED`` status compares equal to both, so the seeds' polling loops end either way.
    """

    _SYNONYMS: dict[str, str] = {"FAILURE": "FAILED"}  # noqa: RUF012 (a constant, not a field)

    def __new__(cls, value: str) -> JobStatus:
        return super().__new__(cls, cls._SYNONYMS.get(value, value))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str.__eq__(self, self._SYNONYMS.get(other, other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = str.__hash__

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls, core_schema.str_schema(), serialization=core_schema.to_string_ser_schema()
        )


#: The statuses after which a job never changes again.
TERMINAL_JOB_STATUSES = frozenset({"SUCCESS", "FAILED", "PR_FAILED"})


class Task(_Model):
    """A tuning task (e.g. ``"summarize_ticket"``) with its configuration and current status."""

    id: uuid.UUID
    name: str
    description: str | None = None
    task_schema: dict[str, Any] | None = Field(
        default=None, validation_alias=AliasChoices("task_schema", "schema_json")
    )
    feedback_threshold: int
    feedback_retention_limit: int = 1000
    evaluator_config: dict[str, Any] | None = None
    teacher_model: str | None = None
    judge_model: str | None = None
    #: Not in the seeds: the model the prompt runs on in production.
    student_model: str | None = None
    module_type: str = "predict"
    #: Not in the seeds: whether (false) and how many ({"max": N}) examples a prompt may quote.
    demonstrations: dict[str, Any] | bool | None = None
    #: Not in the seeds: the production canary ({"share", "min_samples", "max_loss", "promote"}).
    canary: dict[str, Any] | None = None
    cost_budget: float | None = None
    github_repo: str | None = None
    github_base_branch: str | None = None
    prompt_path: str | None = None
    prompt_format: str | None = None
    #: Not in the seeds: the task's own prices per million tokens, by model.
    model_prices: dict[str, Any] | None = None
    created_at: datetime
    feedback_count: int = 0
    last_optimization: datetime | None = None
    active_prompt_score: float | None = None
    threshold_progress: str = "0/50"


class FeedbackResult(_Model):
    """A single feedback entry logged for a task."""

    id: uuid.UUID
    task_id: uuid.UUID
    inputs: dict[str, Any] | None = None
    output: str | None = None
    score: float | None = None
    source: str | None = None
    metadata: dict[str, Any] | None = Field(
        default=None, validation_alias=AliasChoices("metadata", "metadata_")
    )
    #: Not in the seeds: the prompt version that produced the output (the canary counts by it).
    prompt_version_id: uuid.UUID | None = None
    created_at: datetime


class Prompt(_Model):
    """A prompt version produced by optimization (or the initial baseline)."""

    id: uuid.UUID
    task_id: uuid.UUID
    version_number: int
    prompt_text: str | None = None
    eval_score: float | None = None
    status: str
    optimizer: str | None = None
    dspy_version: str | None = None
    created_at: datetime
    #: Not in the seeds: the job that produced this version (None for a baseline).
    job_id: uuid.UUID | None = None


#: The seeds use ``PromptVersion`` in listings: the same type.
PromptVersion = Prompt


class Job(_Model):
    """An optimization job (running or completed)."""

    id: uuid.UUID
    task_id: uuid.UUID
    prompt_version_id: uuid.UUID | None = None
    status: JobStatus
    triggered_by: str | None = None
    feedback_count: int | None = None
    pr_url: str | None = None
    error_message: str | None = None
    job_metadata: dict[str, Any] | None = None
    progress_step: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    created_at: datetime

    @property
    def is_terminal(self) -> bool:
        """Whether the job is SUCCESS, FAILED or PR_FAILED (it will not change again)."""
        return str(self.status) in TERMINAL_JOB_STATUSES


class CostEstimate(_Model):
    """Estimated resource usage for an optimization run."""

    estimated_cost_usd: float
    estimated_llm_calls: int
    train_size: int
    val_size: int
    max_trials: int
    teacher_model: str
    judge_model: str


class OptimizeResult(_Model):
    """Returned by ``trigger_optimization()``: the queued job and a cost estimate."""

    job: Job
    cost_estimate: CostEstimate
    budget_warning: str | None = None


class TraceResult(_Model):
    """A trace captured by ``instrument()``."""

    id: uuid.UUID
    task_id: uuid.UUID
    prompt_text: str | None = None
    response_text: str | None = None
    model: str | None = None
    tokens: int | None = None
    latency_ms: float | None = None
    source_file: str | None = None
    #: Not in the seeds: the line of the call in ``source_file``.
    source_line: int | None = None
    source_variable: str | None = None
    score: float | None = None
    scored_by: str | None = None
    #: Not in the seeds: the prompt version the traced call sent.
    prompt_version_id: uuid.UUID | None = None
    created_at: datetime
