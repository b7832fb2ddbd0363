"""The start-up benchmark runs the real `play` in a fresh process and times its first cue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .running import run_script


@pytest.mark.slow
def test_the_first_cue_of_a_real_play_is_timed(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    run_script("bench_startup.py", "--runs", "1", "--out", str(out), timeout=300)
    result = json.loads(out.read_text())
    assert result["runs"] == 1 and "behind the first cue" in result["listener"]
    assert 0 < result["play_to_first_cue_s_median"] <= result["play_to_first_cue_s_max"]
