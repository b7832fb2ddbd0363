"""The stop-flow benchmark end to end: real people's stops through the real listener and session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .running import run_script


def run(tmp_path: Path, *options: str) -> tuple[list[dict], dict, str]:  # type: ignore[type-arg]
    out = tmp_path / "flow"
    printed = run_script(
        "bench_stop_flow.py", "--split", "held-out", "--conditions", "quiet", "--jobs", "1", "--out", str(out), *options
    ).stdout
    rows = [json.loads(line) for line in (tmp_path / "flow.jsonl").read_text().splitlines()]
    return rows, json.loads((tmp_path / "flow.json").read_text()), printed


@pytest.mark.slow
def test_a_clear_stop_ends_the_session_at_once_with_and_without_the_question(tmp_path: Path) -> None:
    rows, summary, printed = run(tmp_path, "--limit", "2", "--before", "--tries", "2")
    assert len(rows) == 4 and {r["before"] for r in rows} == {True, False}
    # these two held-out stops are heard surely (the judge's mean log-probability about -0.2)
    assert all(r["outcome"] == "ended (stopped)" and r["tries"] == 1 for r in rows)
    assert all(r["decisions"][0][-1][0] == "stop" for r in rows)
    assert [line["ended within 1"] for line in summary["table"]] == [2, 2]
    # one column for each try said: two tries, two columns
    assert "| stops | ended at the 1st | by the 2nd | not ended (left in) |" in printed
    assert "| quiet | asks to end | 2 | 2 | 2 | none |" in printed


@pytest.mark.slow
def test_ordinary_words_in_a_row_are_counted_by_what_the_session_was_left_in(tmp_path: Path) -> None:
    rows, summary, printed = run(tmp_path, "--words", "--limit", "1")
    [row] = rows
    assert row["id"].startswith("words/") and row["tries"] == len(row["decisions"]) <= row["said"]
    [line] = summary["table"]
    assert line["utterances"] == row["said"] and sum(line["outcomes"].values()) == 1
    assert "words said" in printed
