"""Real processes for the tests: ``kaizen serve`` (the CLI's bundle, built from the working tree
as the TypeScript tests build it: test/helpers/test-dist.ts) on a temporary git repository, and
the project's fake OpenAI-compatible server. Nothing here is a mock: the SDK talks HTTP to the
same server users run."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
TSX = REPO_ROOT / "node_modules" / ".bin" / "tsx"
# TypeScript helpers a Python test runs through tsx (the canary test writes a candidate with one).
HELPERS = REPO_ROOT / "test" / "helpers" / "python"
# Node 24, the project's devDependency (the machine's own node may be older).
NODE = REPO_ROOT / "node_modules" / ".bin" / "node"

TASK_FILES = {
    ".kaizen/tasks/summarize_ticket.yml": (
        "name: summarize_ticket\n"
        "description: Summarize a customer support ticket in one sentence.\n"
        "prompt_path: prompts/summarize_ticket.md\n"
        "prompt_format: markdown\n"
        "feedback_threshold: 50\n"
        "cost_budget: 1.00\n"
    ),
    "prompts/summarize_ticket.md": (
        "You are a support engineer. Summarize the ticket below in one sentence.\n\nTicket:\n{{ticket}}\n"
    ),
    ".kaizen/tasks/classify.yml": (
        "name: classify\nfeedback_threshold: 50\nprompt_path: prompts/classify.txt\n"
    ),
    "prompts/classify.txt": "Classify the intent of this message: {{text}}\n",
}

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def new_key() -> str:
    """A key of the shape ``kaizen serve`` accepts in KAIZEN_API_KEY (kz_local_<id>_<secret>)."""
    return f"kz_local_{uuid.uuid4().hex}_{secrets.token_urlsafe(32)}"


def make_repo(directory: Path, files: dict[str, str] = TASK_FILES) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = {**os.environ, **_GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "tasks"]):
        subprocess.run(["git", *args], cwd=directory, env=env, check=True)
    return directory


@dataclass
class Process:
    """A child process in its own process group, and the URL it printed."""

    popen: subprocess.Popen[str]
    url: str
    output: list[str]

    def stop(self) -> None:
        if self.popen.poll() is None:
            # Its own group: anything it started goes with it.
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(5)


@cache
def built() -> Path:
    """The bundles, built (or found up to date) once per test session: a process then starts in
    about a second instead of compiling src/ through tsx, and never from a stale build."""
    if not TSX.exists() or not NODE.exists():
        raise RuntimeError("node_modules is missing: run `npm ci` at the repository root first")
    result = subprocess.run(
        [str(TSX), "test/helpers/test-dist.ts"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"building the bundles for the tests failed:\n{result.stderr}")
    return Path(result.stdout.strip())


def start(
    bundle: str,
    args: list[str],
    url_pattern: str,
    env: dict[str, str] | None = None,
    timeout: float = 90,
) -> Process:
    popen = subprocess.Popen(
        [str(NODE), str(built() / f"{bundle}.js"), *args],
        cwd=REPO_ROOT,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert popen.stdout is not None
        for line in popen.stdout:
            output.append(line)
            match = re.search(url_pattern, _ANSI.sub("", line))
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(timeout)
    if not found:
        Process(popen, "", output).stop()
        raise RuntimeError(f"{bundle} {' '.join(args)} did not start:\n{''.join(output)}")
    return Process(popen, found[0], output)


@dataclass
class KaizenServer:
    url: str
    api_key: str
    repo: Path
    process: Process

    def metric(self, name: str, contains: str = "") -> float:
        """The sum of a Prometheus metric's samples whose labels contain ``contains``."""
        text = httpx.get(f"{self.url}/metrics").text
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name) and contains in line:
                total += float(line.rsplit(" ", 1)[1])
        return total

    def prompt_requests(self) -> float:
        return self.metric("kaizen_http_requests_total", '/prompt"')


def start_serve(repo: Path, openai_base_url: str | None = None) -> KaizenServer:
    key = new_key()
    env = {"KAIZEN_API_KEY": key}
    if openai_base_url:
        # Jobs run in the server against the fake model, so they reach SUCCESS or FAILED.
        env.update(OPENAI_API_KEY="sk-fake", OPENAI_BASE_URL=openai_base_url)
    else:
        env["OPENAI_API_KEY"] = ""
    process = start(
        "cli/index",
        ["serve", "--repo", str(repo), "--port", "0"],
        r"Kaizen is serving .* at (http://\S+)",
        env,
    )
    return KaizenServer(process.url, key, repo, process)


def run_kaizen(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The ``kaizen`` CLI as a person runs it, in the repository, to its end."""
    return subprocess.run(
        [str(NODE), str(built() / "cli" / "index.js"), *args],
        cwd=repo,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def start_small_queue_serve(repo: Path, max_queued: int, commit_interval_ms: int) -> KaizenServer:
    key = new_key()
    process = start(
        "test-helpers/serve-small-queue-process",
        [
            str(repo),
            key,
            str(max_queued),
            str(commit_interval_ms),
        ],
        r"READY (http://\S+)",
    )
    return KaizenServer(process.url, key, repo, process)


def start_fake_openai() -> Process:
    return start("test-helpers/fake-openai-process", [], r"READY (http://\S+)")


def wait_until(predicate: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")
