#!/usr/bin/env bash
# Reruns every benchmark and rewrites results/*.json (add --quick for the short corpus).
# About 115 minutes on 2 cores for the full corpus: English, then Korean, then the first command
# of a session, then the timing, then the verifier on tuning voices it was trained without.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python scripts/bench_listener.py "$@"
.venv/bin/python scripts/bench_listener.py --language ko "$@"
.venv/bin/python scripts/bench_first_command.py
.venv/bin/python scripts/bench_timing.py
.venv/bin/python scripts/bench_verifier.py
