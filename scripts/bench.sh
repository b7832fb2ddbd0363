#!/usr/bin/env bash
# Reruns every benchmark and rewrites results/*.json (add --quick for the short corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python scripts/bench_listener.py "$@"
.venv/bin/python scripts/bench_timing.py
