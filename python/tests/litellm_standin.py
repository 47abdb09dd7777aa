"""A stand-in for the ``litellm`` module (not installable here): a module object with
``completion`` and ``acompletion`` of litellm's signature, which call the fake model through
the real ``openai`` package. ``instrument()`` finds litellm by exactly these two names."""

from __future__ import annotations

import types
from typing import Any

import openai


def make_litellm(base_url: str) -> types.ModuleType:
    module = types.ModuleType("litellm")

    def completion(model: str, messages: Any, **kwargs: Any) -> Any:
        client = openai.OpenAI(base_url=base_url, api_key="sk-fake")
        return client.chat.completions.create(model=model, messages=messages, **kwargs)

    async def acompletion(model: str, messages: Any, **kwargs: Any) -> Any:
        client = openai.AsyncOpenAI(base_url=base_url, api_key="sk-fake")
        return await client.chat.completions.create(model=model, messages=messages, **kwargs)

    module.completion = completion  # type: ignore[attr-defined]
    module.acompletion = acompletion  # type: ignore[attr-defined]
    return module
