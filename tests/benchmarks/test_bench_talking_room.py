"""The talking-room benchmark streams other people's talk through the listener and counts what acts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_one_other_person_talking_is_segmented_judged_and_counted(tmp_path: Path) -> None:
    out = tmp_path / "talking-room.json"
    printed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_talking_room.py"), "--minutes", "0.5", "--talkers", "1",
         "--levels", "0", "--jobs", "1", "--out", str(out)],
        check=True, capture_output=True, text=True, timeout=600,
    ).stdout  # fmt: skip
    [row] = json.loads(out.read_text())["rows"]
    assert (row["talkers"], row["below_speech_db"], row["minutes"]) == (1, 0.0, 0.5)
    assert row["utterances_judged"] > 0  # one voice at the speech level starts utterances
    assert row["acted_per_hour"] == sum(row["acted"].values()) * 120
    assert "| 1 | 0 dB | 0.5 |" in printed
