#!/usr/bin/env bash
# The Python SDK's checks and tests: ruff (lint and format), mypy --strict, then pytest against
# a real `kaizen serve` (the CLI bundle the tests build from src/: test/helpers/test-dist.ts).
# Creates python/.venv when it is missing, and fails when pytest ran no test at all (its exit
# code 5 must not pass silently).
set -euo pipefail
cd "$(dirname "$0")/../python"

# A fresh clone has no venv yet: README's `npm test` must work right after `npm ci`.
[ -x .venv/bin/pytest ] || bash ../scripts/setup-python.sh
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
