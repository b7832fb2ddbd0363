#!/usr/bin/env bash
# Reruns every benchmark and rewrites results/*.json (add --quick for the short corpus).
# The real-people benchmark and enrolment come first (about 35 minutes); the synthetic corpus of
# the fast stage after them.
# About 115 minutes on 2 cores for the full corpus: English, then Korean, then the first command
# of a session, then the timing, then the verifier on tuning voices it was trained without.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f results/real-people.jsonl  # the real-people run continues an interrupted one; start afresh
.venv/bin/python scripts/bench_real_people.py --split held-out --corpus real,unseen --methods ours,fast-stage
.venv/bin/python scripts/bench_enrolment.py
.venv/bin/python scripts/bench_session_cpu.py
.venv/bin/python scripts/bench_listener.py "$@"
.venv/bin/python scripts/bench_listener.py --language ko "$@"
.venv/bin/python scripts/bench_first_command.py
.venv/bin/python scripts/bench_timing.py
.venv/bin/python scripts/bench_verifier.py
