"""`history`, `history show/export/plot`, `progress`, `resume` and bad data folders, through the CLI."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import struct
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_rehab.cli.main import main
from voice_rehab.io.history import HistoryLog
from voice_rehab.io.history_report import COLUMNS
from voice_rehab.io.paths import history_file

ROUTINE = "title: Mine\nprepare: 0\nexercises:\n  - {name: Bridge, reps: 10}\n  - {name: Hug, hold: 20}\n"
DAY0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def routine(tmp_path: Path) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(ROUTINE)
    return path


def in_data_dir(name: str) -> Path:
    """A file in the (per-test) data folder, with the folder made."""
    path = history_file().parent / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def record(
    day: int, pain: int | None = None, red_flag: bool = False, ended: str = "completed", routine_file: str = "mine.yaml"
) -> str:
    log = HistoryLog(
        history_file(),
        "Mine",
        session_id=f"day{day:02d}x",
        wall_clock=lambda: DAY0 + timedelta(days=day),
        start_fields={"routine_file": routine_file, "dose": 1.0},
    )
    log.write("session_start", 0.0, {"planned": 2, "exercises": ["Bridge", "Hug"]})
    log.write("set_done", 30.0, {"exercise": 0, "name": "Bridge", "set": 1, "side": None, "reps": 10})
    log.write("exercise_done", 30.0, {"exercise": 0, "name": "Bridge"})
    log.write("pause", 40.0, {"exercise": 1, "name": "Hug", "set": 1, "side": None})
    if pain is not None:
        log.write(
            "pain_report",
            50.0,
            {
                "exercise": 1,
                "name": "Hug",
                "severity": pain,
                "pain_type": "dull",
                "red_flags": red_flag,
                "outcome": "end",
            },
        )
    if ended:
        log.write("session_end", 60.0, {"reason": ended, "completed": 1, "planned": 2})
    log.close()
    return log.session_id


def test_the_table_shows_each_session_with_its_worst_pain() -> None:
    record(0)
    record(1, pain=4, ended="pain")
    lines = invoke("history").output.splitlines()
    assert lines[0].split()[:3] == ["id", "date", "routine"]
    assert "2026-03-02 08:00" in lines[1] and "1/2" in lines[1] and "completed" in lines[1]
    assert "1 (worst 4)" in lines[2] and lines[2].rstrip().endswith("pain")


def test_show_prints_one_sessions_timeline() -> None:
    record(0)
    sid = record(1, pain=6, ended="pain")
    output = invoke("history", "show", sid[:5]).output
    assert output.splitlines()[0].startswith(f"Session {sid}: Mine, 2026-03-03")
    assert "Bridge: set 1 done, 10 reps" in output
    assert "pain report: 6/10, dull, warning signs no, then end" in output
    assert invoke("history", "show", "day").exit_code == 1  # ambiguous: both ids start so


def test_show_never_turns_an_unanswered_pain_question_into_a_no() -> None:
    """What a clinician reads: a question not reached says so, and so does one left unanswered."""
    log = HistoryLog(history_file(), "Mine", session_id="painx")
    log.write("session_start", 0.0, {"planned": 2, "exercises": ["Bridge", "Hug"]})
    log.write("pain_start", 5.0, {"exercise": 0, "name": "", "set": None, "side": None})  # during the opening
    log.write("pain_report", 9.0, {"exercise": 0, "name": "", "severity": 7, "outcome": "ended"})
    log.write("pain_start", 20.0, {"exercise": 1, "name": "Hug", "set": 1, "side": None})
    log.write(
        "pain_report",
        40.0,
        {
            "exercise": 1,
            "name": "Hug",
            "severity": 8,
            "pain_type": "sharp",
            "red_flags": None,
            "outcome": "safe_choice",
        },
    )
    log.close()
    output = invoke("history", "show", "painx").output
    assert "pain reported before the first exercise" in output
    assert "pain report: 7/10, kind not given, warning signs not asked, then ended" in output
    assert "pain reported during Hug" in output
    assert "pain report: 8/10, sharp, warning signs no answer, then safe_choice" in output


def test_show_tells_the_question_asked_when_pause_was_heard_while_paused() -> None:
    log = HistoryLog(history_file(), "Mine", session_id="asked01", wall_clock=lambda: DAY0)
    log.write("session_start", 0.0, {"planned": 2, "exercises": ["Bridge", "Hug"]})
    log.write("hurt_check_asked", 41.0, {})
    log.write("hurt_check", 43.0, {"answer": "yes", "heard": "yes", "source": "voice"})
    log.write("hurt_check", 60.0, {"answer": None})
    log.write("hurt_check_asked", 70.0, {"why": "doubted"})
    log.write("end_check_asked", 80.0, {"why": "doubted stop"})
    log.write("end_check", 82.0, {"answer": "no", "heard": "no", "source": "voice"})
    log.close()
    lines = invoke("history", "show", "asked01").output.splitlines()
    assert lines[2:] == [
        '    0:41  "pause" heard while paused: asked whether something hurts',
        "    0:43    does something hurt? yes",
        "    1:00    does something hurt? no answer",
        '    1:10  "that hurts" heard, but not surely: paused and asked whether something hurts',
        '    1:20  "stop" heard again while paused, but not surely: asked whether to end',
        "    1:22    end the session? no",
    ]


def test_export_csv_opens_as_a_spreadsheet(tmp_path: Path) -> None:
    for day in range(3):
        record(day, pain=2 if day == 1 else None)
    out = tmp_path / "sessions.csv"
    assert invoke("history", "export", "--csv", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == COLUMNS and len(rows) == 3
    assert [r["worst_pain"] for r in rows] == ["", "2", ""]
    assert rows[0]["reps"] == "10" and rows[0]["completed"] == "1" and rows[0]["planned"] == "2"


def test_export_json_keeps_the_pain_reports() -> None:
    record(0, pain=7, red_flag=True, ended="red_flag")
    data = json.loads(invoke("history", "export", "--json").output)
    assert data[0]["red_flag"] is True
    assert data[0]["pain"] == [{"severity": 7, "pain_type": "dull", "red_flags": True, "outcome": "end", "name": "Hug"}]


def test_plot_writes_a_png(tmp_path: Path) -> None:
    for day in range(5):
        record(day, pain=day if day % 2 else None)
    out = tmp_path / "trend.png"
    result = invoke("history", "plot", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (900, 600)
    assert invoke("history", "plot", "-o", str(tmp_path / "missing" / "dir" / "x.png")).exit_code == 0


def test_plot_with_no_sessions_says_so(tmp_path: Path) -> None:
    result = invoke("history", "plot", "-o", str(tmp_path / "x.png"))
    assert result.exit_code == 1 and "no sessions to plot" in result.output


def test_plot_without_matplotlib_names_the_install_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record(0)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real_find_spec(name, *a)
    )
    out = tmp_path / "x.png"
    result = invoke("history", "plot", "-o", str(out))
    assert result.exit_code == 1 and "pip install 'voice-rehab[plot]'" in result.output
    assert not out.exists()


def test_progress_shows_the_next_dose_and_reset_returns_to_the_routine(routine: Path) -> None:
    for day in range(3):
        record(day)
    output = invoke("progress", str(routine)).output
    assert "next session at 110% of the routine as written" in output
    assert "10 reps -> 11 reps" in output and "20 s hold -> 22 s hold" in output
    assert "reset" in invoke("progress", str(routine), "--reset").output
    assert "at 100%" in invoke("progress", str(routine)).output
    assert routine.read_text() == ROUTINE  # the person's file is never rewritten


def _seconds(wav_file: Path) -> float:
    with wave.open(str(wav_file)) as wav:
        return wav.getnframes() / wav.getframerate()


def test_render_today_writes_the_session_play_would_give_today(routine: Path, tmp_path: Path) -> None:
    """A person who plays the file from a phone on the mat hears today's dose, not the file's."""
    for day in range(3):
        record(day)  # three pain-free sessions: the next one is at 110 %
    written, today = tmp_path / "written.wav", tmp_path / "today.wav"
    assert invoke("render", str(routine), "-o", str(written)).exit_code == 0
    result = invoke("render", str(routine), "-o", str(today), "--today")
    assert result.exit_code == 0 and "Today's dose: 110% of the routine as written" in result.output, result.output
    # 11 reps instead of 10, a 22 s hold instead of 20, and the player says today's dose first
    assert 2.0 + 1.0 < _seconds(today) - _seconds(written) < 30.0


def test_simulate_today_runs_the_session_play_would_give_today(routine: Path) -> None:
    """A physiotherapist checking what today's session will say sees today's dose, not the file's;
    with --json, stdout stays one JSON object a line (the dose line goes to stderr)."""
    for day in range(3):
        record(day)  # three pain-free sessions: the next one is at 110 %
    written = invoke("simulate", str(routine), "--json")
    today = invoke("simulate", str(routine), "--json", "--today")
    assert written.exit_code == 0 and today.exit_code == 0, today.output
    said = {
        name: " | ".join(json.loads(line).get("text", "") for line in result.stdout.splitlines())
        for name, result in (("written", written), ("today", today))
    }
    assert "Bridge. 10 reps." in said["written"] and "Hold for 20 seconds." in said["written"]
    assert "Bridge. 11 reps." in said["today"] and "Hold for 22 seconds." in said["today"]
    assert "110 percent" in said["today"] and "percent" not in said["written"]
    assert "Today's dose: 110% of the routine as written" in today.stderr


def test_a_red_flag_stops_progression_and_says_see_a_clinician(routine: Path) -> None:
    for day in range(3):
        record(day)
    record(3, pain=8, red_flag=True, ended="red_flag")
    output = invoke("progress", str(routine)).output
    assert "at 100%" in output and "see a clinician" in output


def test_play_resume_continues_the_interrupted_session(routine: Path) -> None:
    record(0, ended="stopped", routine_file=str(routine))  # Bridge done, stopped in Hug
    result = invoke("play", str(routine), "--resume", "--no-audio", "--engine", "keyboard", input="q\n")
    assert result.exit_code == 0, result.output
    assert "Welcome back. Continuing with Hug, set 1." in result.output
    output = invoke("history").output
    assert len(output.splitlines()) == 2 and "(resumed)" in output  # still one session


def test_resume_refuses_a_completed_session_and_says_why() -> None:
    record(0)
    result = invoke("resume", "--no-audio")
    assert result.exit_code == 1 and "cannot resume: the last session" in result.output
    assert "was completed" in result.output


def test_a_data_folder_that_is_a_file_is_a_clear_error(tmp_path: Path, monkeypatch, routine: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("mine")
    monkeypatch.setenv("VOICE_REHAB_HOME", str(blocker))
    result = invoke("play", str(routine), "--no-audio", input="q\n")
    assert result.exit_code == 1 and "cannot write the history" in result.output
    assert blocker.read_text() == "mine"
    assert invoke("history").output.startswith("No sessions yet")


def test_a_history_that_is_a_folder_is_a_clear_error() -> None:
    history_file().mkdir(parents=True)
    result = invoke("history")
    assert result.exit_code == 1 and "is a directory" in result.output


def test_a_foreign_file_in_place_of_the_history_is_never_appended_to(routine: Path) -> None:
    path = in_data_dir("history.jsonl")
    foreign = b"\x89PNG\r\n\x1a\n" + os.urandom(64).replace(b"\x00", b"\x01")
    path.write_bytes(foreign)
    result = invoke("play", str(routine), "--no-audio", input="q\n")
    assert result.exit_code == 1 and "is not a voice-rehab history" in result.output
    assert path.read_bytes() == foreign


def test_lines_from_a_newer_version_are_kept_and_noted() -> None:
    record(0)
    with open(history_file(), "a") as f:
        f.write(json.dumps({"v": 99, "session": "future", "kind": "session_start"}) + "\n")
    before = history_file().read_bytes()
    result = CliRunner().invoke(main, ["history"])
    assert "written by a newer voice-rehab" in result.output
    assert "day00x" in result.output and "future" not in result.output
    assert history_file().read_bytes() == before


def test_a_history_from_the_first_version_is_read() -> None:
    path = in_data_dir("history.jsonl")
    path.write_text(
        '{"v": 1, "session": "old1", "seq": 0, "at": "2025-12-01T09:00:00+00:00", "t": 0, '
        '"routine": "Gentle mobility", "kind": "session_start", "planned": 4}\n'
        '{"v": 1, "session": "old1", "seq": 1, "at": "2025-12-01T09:10:00+00:00", "t": 600, '
        '"routine": "Gentle mobility", "kind": "session_end", "reason": "completed"}\n'
    )
    assert "Gentle mobility" in invoke("history").output
    assert "old1" in invoke("history", "export", "--csv").output


def test_bad_settings_name_file_line_and_field(routine: Path) -> None:
    settings = in_data_dir("settings.yaml")
    settings.write_text("progression:\n  sessions_needed: 3\n  weekly_stp: 0.1\n")
    result = invoke("progress", str(routine))
    assert result.exit_code == 1
    assert f"{settings}:3:3: progression: unknown field 'weekly_stp' (did you mean 'weekly_step'?)" in result.output
    settings.write_text("progression:\n  weekly_step: 0.5\n")
    assert ":2:16: progression.weekly_step:" in invoke("progress", str(routine)).output


def test_a_corrupt_progression_file_is_a_clear_error_and_kept(routine: Path) -> None:
    state = in_data_dir("progress.json")
    state.write_text("{not json")
    result = invoke("progress", str(routine))
    assert result.exit_code == 1 and "cannot read the progression state" in result.output
    assert state.read_text() == "{not json"


def test_progress_shows_a_short_timer_in_seconds(tmp_path: Path) -> None:
    routine = tmp_path / "walk.yaml"
    routine.write_text("title: Walk\nexercises:\n  - {name: Walk, timer: 20s}\n")
    output = invoke("progress", str(routine)).output
    assert "20 s -> 20 s" in output and "0.33" not in output
