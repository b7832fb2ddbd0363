"""The segmenter benchmark end to end: real people's words in a quiet room, levels alone and with
the speech detector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .running import run_script


@pytest.mark.slow
def test_every_word_in_a_quiet_room_starts_an_utterance_either_way(tmp_path: Path) -> None:
    raw, summary = tmp_path / "raw.jsonl", tmp_path / "summary.json"
    printed = run_script(
        "bench_segmenter.py", "--split", "held-out", "--conditions", "quiet", "--limit", "1", "--jobs", "1",
        "--raw", str(raw), "--summary", str(summary),
    ).stdout  # fmt: skip
    rows = [json.loads(line) for line in raw.read_text().splitlines()]
    by_setting = {s: [r for r in rows if r["setting"] == s] for s in ("levels", "detector")}
    assert by_setting["levels"] and len(by_setting["levels"]) == len(by_setting["detector"])
    for row in rows:  # each word is where the clip put it, and an utterance covers it
        assert row["found"] and 0.5 <= row["word"][0] < row["word"][1] <= 1.6
        assert row["room_only"] == 0
    table = json.loads(summary.read_text())["rows"]
    assert {(r["setting"], r["condition"]) for r in table} == {("levels", "quiet"), ("detector", "quiet")}
    assert "| held-out | quiet | detector |" in printed
