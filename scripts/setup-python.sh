#!/usr/bin/env bash
# Creates python/.venv and installs the Python SDK (editable) with its test extras, from the
# machine's package index. Idempotent: re-running only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "setup-python: the Python SDK needs Python 3.10 or later; $PYTHON is $("$PYTHON" --version 2>&1)" >&2
  exit 1
fi
[ -x python/.venv/bin/python ] || "$PYTHON" -m venv python/.venv
# PIP_RETRIES=0: where only a local index answers, pip must not wait on retries of the others.
PIP_RETRIES="${PIP_RETRIES:-0}" python/.venv/bin/pip install --disable-pip-version-check -q -e 'python[test]'
echo "python: $(python/.venv/bin/python --version), kaizen-sdk installed in python/.venv"
