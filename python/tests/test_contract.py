"""The Python models against the zod records: the server's OpenAPI document is generated from
them, so a field added to a record and forgotten here fails this test (the SDKs cannot drift)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from kaizen_sdk import models

from .servers import KaizenServer

# OpenAPI component name → the Python model that reads it.
MODELS: dict[str, type[BaseModel]] = {
    "Task": models.Task,
    "FeedbackResult": models.FeedbackResult,
    "Prompt": models.Prompt,
    "Job": models.Job,
    "OptimizeResult": models.OptimizeResult,
    "CostEstimate": models.CostEstimate,
    "TraceResult": models.TraceResult,
}


@pytest.fixture(scope="module")
def schemas(kaizen: KaizenServer) -> dict[str, Any]:
    document = httpx.get(f"{kaizen.url}/api/v1/openapi.json").json()
    found: dict[str, Any] = document["components"]["schemas"]
    return found


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_record_field_is_in_the_python_model(name: str, schemas: dict[str, Any]) -> None:
    record = schemas[name]
    model = MODELS[name]
    missing = sorted(set(record["properties"]) - set(model.model_fields))
    assert missing == [], f"{model.__name__} lacks fields of the zod record {name}: {missing}"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_fields_the_model_requires_are_required_by_the_record(name: str, schemas: dict[str, Any]) -> None:
    record = schemas[name]
    required_here = {n for n, f in MODELS[name].model_fields.items() if f.is_required()}
    assert required_here <= set(record.get("required", [])), (
        f"{name}: the Python model requires fields the server may omit: "
        f"{sorted(required_here - set(record.get('required', [])))}"
    )


def test_the_models_ignore_fields_they_do_not_know() -> None:
    cost = models.CostEstimate.model_validate(
        {
            "estimated_cost_usd": 0.5,
            "estimated_llm_calls": 10,
            "train_size": 8,
            "val_size": 2,
            "max_trials": 3,
            "teacher_model": "gpt-4o",
            "judge_model": "gpt-4o-mini",
            "a_field_of_a_newer_server": {"x": 1},
        }
    )
    assert not hasattr(cost, "a_field_of_a_newer_server")


def test_the_seed_aliases_are_read() -> None:
    base = {"id": "3b4e1f2a-0000-4000-8000-000000000001", "created_at": "2024-01-15T10:30:00Z"}
    task = models.Task.model_validate({**base, "name": "t", "feedback_threshold": 5, "schema_json": {"a": 1}})
    assert task.task_schema == {"a": 1}
    feedback = models.FeedbackResult.model_validate({**base, "task_id": base["id"], "metadata_": {"k": "v"}})
    assert feedback.metadata == {"k": "v"}
    assert models.PromptVersion is models.Prompt


def test_a_failed_job_matches_both_spellings_of_the_seeds() -> None:
    job = models.Job.model_validate(
        {
            "id": "f1e2d3c4-b5a6-7890-fedc-ba0987654321",
            "task_id": "550e8400-e29b-41d4-a716-446655440000",
            "status": "FAILED",
            "created_at": "2024-01-15T10:29:55Z",
        }
    )
    assert job.status == "FAILED"
    assert job.status == "FAILURE"
    assert job.status in ("SUCCESS", "FAILURE", "PR_FAILED")
    assert job.is_terminal
    assert job.model_dump(mode="json")["status"] == "FAILED"
