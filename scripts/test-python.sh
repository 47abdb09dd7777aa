#!/usr/bin/env bash
# The Python SDK's checks and tests: ruff (lint and format), mypy --strict, then pytest against
# a real `kaizen serve` (started by the tests through tsx from src/). Fails when python/.venv is
# missing, and when pytest ran no test at all (its exit code 5 must not pass silently).
set -euo pipefail
cd "$(dirname "$0")/../python"

if [ ! -x .venv/bin/pytest ]; then
  echo "test-python: python/.venv is missing or incomplete; create it with: bash scripts/setup-python.sh" >&2
  exit 1
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
set +e
.venv/bin/pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test-python: pytest collected no tests; that is a failure, not a pass" >&2
  exit 1
fi
exit "$status"
