"""Every ``python`` block of docs/python-sdk.md, run in order in one namespace against a real
``kaizen serve`` on a new repository, with the fake model behind ``OpenAI()`` and the litellm
stand-in behind ``import litellm``: the guide cannot show code that does not work."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from .litellm_standin import make_litellm
from .seed_support import empty_server
from .servers import REPO_ROOT, KaizenServer, Process

__all__ = ["empty_server"]

GUIDE = REPO_ROOT / "docs" / "python-sdk.md"


def python_blocks(path: Path) -> list[tuple[int, str]]:
    text = path.read_text()
    blocks = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        blocks.append((text.count("\n", 0, match.start()) + 2, match.group(1)))
    return blocks


def test_the_guide_has_examples() -> None:
    assert len(python_blocks(GUIDE)) >= 8


def test_every_example_of_the_guide_runs(
    empty_server: KaizenServer,
    fake_openai: Process,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fake")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.url)
    monkeypatch.setitem(sys.modules, "litellm", make_litellm(fake_openai.url))
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    for line, code in python_blocks(GUIDE):
        # Compiled with the guide's file and line, so a failure points at the block.
        exec(compile("\n" * (line - 1) + code, str(GUIDE), "exec"), namespace)
    out = capsys.readouterr().out
    assert "0/100" in out and "0 Summarize: {{ticket}}" in out and "Scored trace" in out
