"""The real-people benchmark end to end: real digits said while the player listens for commands;
it and the segmenter benchmark refuse a room they do not know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .running import run_script


@pytest.mark.slow
def test_counting_aloud_is_heard_as_commands_are_and_counted_apart(tmp_path: Path) -> None:
    raw, summary = tmp_path / "raw.jsonl", tmp_path / "summary.json"
    printed = run_script(
        "bench_real_people.py", "--split", "held-out", "--corpus", "counting", "--methods", "ours",
        "--conditions", "quiet", "--limit", "1", "--jobs", "1", "--raw", str(raw), "--summary", str(summary),
    ).stdout  # fmt: skip
    rows = [json.loads(line) for line in raw.read_text().splitlines()]
    assert rows and {r["task"] for r in rows} == {"counting"}
    assert all(r["listen"] == "commands" and r["expected"] is None and r["id"].startswith("counting/") for r in rows)
    assert {r["text"] for r in rows} <= {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
    [line] = json.loads(summary.read_text())["rows"]
    assert line["counting_acted"][1] == line["counting_halted"][1] == len(rows)
    assert line["severity"] == [0, 0]  # the digits here are no answers
    assert "counting aloud" in printed


@pytest.mark.parametrize("script", ["bench_real_people.py", "bench_segmenter.py"])
def test_a_room_it_does_not_know_is_named_with_the_rooms_it_does(tmp_path: Path, script: str) -> None:
    done = run_script(
        script, "--conditions", "quiet,sauna", "--raw", str(tmp_path / "raw.jsonl"),
        "--summary", str(tmp_path / "summary.json"), timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "no room called sauna" in done.stderr and "kitchen 10 dB" in done.stderr
    assert not (tmp_path / "raw.jsonl").exists()
