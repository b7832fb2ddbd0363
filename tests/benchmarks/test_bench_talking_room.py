"""The talking-room benchmark streams other people's talk, with the person's stops among it,
through the listener and counts what acts, by the rules as shipped and without the talking-room rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .running import run_script


@pytest.mark.slow
def test_one_other_person_talking_and_the_person_s_stop_are_judged_and_counted(tmp_path: Path) -> None:
    out = tmp_path / "talking-room.json"
    printed = run_script(
        "bench_talking_room.py", "--minutes", "0.5", "--talkers", "1", "--levels", "0", "--person", "tune",
        "--jobs", "1", "--out", str(out),
    ).stdout  # fmt: skip
    rows = {row["method"]: row for row in json.loads(out.read_text())["rows"]}
    assert set(rows) == {"ours", "ours-no-talk-rule"}  # one hearing, decided by both rule sets
    for row in rows.values():
        assert (row["talkers"], row["below_speech_db"], row["minutes"]) == (1, 0.0, 0.5)
        assert row["utterances_judged"] > 0  # one voice at the speech level starts utterances
        assert row["acted_per_hour"] == sum(row["acted"].values()) * 120
        assert row["stops_said"] == 1  # at 15 s: the person says "stop" every 30 s
        [[at, decided]] = row["stops"]
        assert at == 15.0 and all(0 <= dt <= 3.0 for _, dt, _ in decided)
    assert rows["ours"]["utterances_judged"] == rows["ours-no-talk-rule"]["utterances_judged"]
    assert "| 1 | 0 dB | ours |" in printed
    # the hearing is saved, and deciding it again gives the same rows
    [room] = [json.loads(line) for line in out.with_suffix(".hearings.jsonl").read_text().splitlines()]
    assert room["said_at"] == [15.0] and len(room["records"]) == rows["ours"]["utterances_judged"]
    run_script("bench_talking_room.py", "--replay", "--out", str(out), timeout=120)
    replayed = {row["method"]: row for row in json.loads(out.read_text())["rows"]}
    assert replayed == rows


@pytest.mark.slow
def test_an_enrolled_person_s_room_measures_how_like_their_voice_each_utterance_is(tmp_path: Path) -> None:
    out = tmp_path / "enrolled.json"
    run_script(
        "bench_talking_room.py", "--minutes", "0.5", "--talkers", "1:0", "--person", "tune", "--enrolled", "1",
        "--jobs", "1", "--out", str(out),
    )  # fmt: skip
    row = json.loads(out.read_text())["rows"][0]
    assert row["person"].startswith("tune ") and row["stops_said"] == 1  # one speaker, their own stop
    [room] = [json.loads(line) for line in out.with_suffix(".hearings.jsonl").read_text().splitlines()]
    assert all(len(saved) == 3 and -1.0 <= saved[2] <= 1.0 for saved in room["records"])  # each with its voice
    assert row["voice"]["others"] + row["voice"]["person"] <= len(room["records"])
    assert set(row["voice"]["below"]) == {"0.6", "0.65", "0.7"}


@pytest.mark.slow
def test_a_session_in_a_talking_room_counts_what_the_talk_did_to_it(tmp_path: Path) -> None:
    out = tmp_path / "session.json"
    printed = run_script(
        "bench_talking_session.py", "--minutes", "0.5", "--talkers", "1:0", "--jobs", "1", "--out", str(out)
    ).stdout
    [row] = json.loads(out.read_text())["rows"]
    assert (row["talkers"], row["below_speech_db"], row["minutes"]) == (1, 0.0, 0.5)
    counted = {"pauses", "asked if it hurts", "asked to end", "pain questions", "skipped", "repeated"}
    assert set(row["counts"]) <= counted | {k for k in row["counts"] if k.startswith("ended (")}
    assert row["per_hour"] == {k: v * 120 for k, v in sorted(row["counts"].items())}
    assert "| 1 | 0 dB |" in printed
