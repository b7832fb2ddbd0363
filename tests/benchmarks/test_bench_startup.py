"""The start-up benchmark runs the real `play` in a fresh process and times its first cue."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_first_cue_of_a_real_play_is_timed(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_startup.py"), "--runs", "1", "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    result = json.loads(out.read_text())
    assert result["runs"] == 1 and "behind the first cue" in result["listener"]
    assert 0 < result["play_to_first_cue_s_median"] <= result["play_to_first_cue_s_max"]
