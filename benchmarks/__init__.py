"""Benchmark support: the synthetic corpus and the metrics (used by scripts/bench_*.py)."""
