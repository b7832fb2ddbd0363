#!/usr/bin/env bash
# The tests: their extras (pytest, the Korean model, jsonschema, scikit-learn) into .venv, then the
# fast tier (every rule, about a minute). Arguments go to pytest: `bash scripts/test.sh -m slow`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  echo "No .venv: run bash scripts/setup.sh first." >&2
  exit 1
fi
.venv/bin/python -m pip install -q -e '.[test]'
exec .venv/bin/python -m pytest -q "$@"
