"""The command line through click's test runner."""

from __future__ import annotations

import json
import wave
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SHIPPED
from voice_rehab.cli.main import main

GOOD = "title: Mine\nexercises:\n  - {name: Bridge, reps: 5}\n"


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_validate_good_files_prints_a_summary_and_exits_0() -> None:
    result = invoke("validate", *map(str, SHIPPED))
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == len(SHIPPED)
    assert "ok: 'Gentle mobility', 4 exercises, about" in result.output


def test_validate_bad_file_prints_file_line_col_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nexercises:\n  - name: a\n    hodl: 20\n")
    result = invoke("validate", str(bad), str(SHIPPED[0]))
    assert result.exit_code == 1
    assert f"{bad}:4:5: exercises[0]: unknown field 'hodl' (did you mean 'hold'?)" in result.output
    assert "ok:" in result.output  # the good file is still checked


def test_validate_missing_file_and_directory_are_one_line_errors(tmp_path: Path) -> None:
    for target, message in ((tmp_path / "none.yaml", "no such file"), (tmp_path, "is a directory")):
        result = invoke("validate", str(target))
        assert result.exit_code == 1
        assert message in result.output and len(result.output.splitlines()) == 1 and "Traceback" not in result.output


def test_a_routine_name_that_is_no_routine_is_an_error_with_the_nearest_name(private_data_dir: Path) -> None:
    (private_data_dir / "routines").mkdir(parents=True)
    (private_data_dir / "routines" / "my-evening.yaml").write_text(GOOD)
    for command in ("play", "simulate", "progress"):
        for given, nearest in (
            ("gentle-mobilty", "gentle-mobility"),
            ("core", "core-activation"),
            ("my-evenin", "my-evening"),
        ):
            result = invoke(command, given)
            assert result.exit_code == 1 and "Traceback" not in result.output, (command, given)
            assert f"{given}: no such file, nor a routine of that name" in result.output
            assert f"Did you mean '{nearest}'?" in result.output
    result = invoke("simulate", "zzzz")
    assert result.exit_code == 1 and "Did you mean" not in result.output  # nothing near: no guess


def test_list_shows_shipped_user_and_given_routines(private_data_dir: Path, tmp_path: Path) -> None:
    (private_data_dir / "routines").mkdir(parents=True)
    (private_data_dir / "routines" / "mine.yaml").write_text(GOOD)
    extra = tmp_path / "extra.yaml"
    extra.write_text("title: Broken\nexercises: []\n")
    result = invoke("list", str(extra))
    lines = result.output.splitlines()
    assert any(line.startswith("gentle-mobility") and "shipped" in line and "Gentle mobility" in line for line in lines)
    assert any(line.startswith("mine") and "user" in line for line in lines)
    assert any(line.startswith("extra") and "INVALID" in line for line in lines)


def test_simulate_json_timeline() -> None:
    result = invoke(
        "simulate",
        "gentle-mobility",
        "--json",
        "--at",
        "40:hurts",
        "--at",
        "41:answer:3",
        "--at",
        "42:answer:dull",
        "--at",
        "43:answer:end",
    )
    records = [json.loads(line) for line in result.output.splitlines()]
    assert all({"t", "kind"} <= set(r) for r in records)
    hurts = next(r for r in records if r["kind"] == "stop_speech")
    assert hurts["t"] == 40.0
    report = next(r for r in records if r["kind"] == "log" and r["event"] == "pain_report")
    assert report["data"]["severity"] == 3 and report["data"]["outcome"] == "end"
    assert records[-1] == {"t": 43.0, "kind": "state", "state": "finished"}
    says = [r for r in records if r["kind"] == "say"]
    assert says[0]["text"].startswith("Gentle mobility.") and "priority" in says[0]


def test_simulate_readable_timeline_without_events() -> None:
    result = invoke("simulate", "ice-heat")
    assert result.exit_code == 0
    assert "say         Time is up." in result.output
    assert "session_end" in result.output


def test_simulate_rejects_a_bad_event() -> None:
    result = CliRunner().invoke(main, ["simulate", "ice-heat", "--at", "5:dance"])
    assert result.exit_code == 2 and "unknown event 'dance'" in result.output


def test_play_with_a_bad_routine_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nexercises:\n  - {name: a, reps: -1}\n")
    result = CliRunner().invoke(main, ["play", str(bad)])
    assert result.exit_code == 1 and f"{bad}:3:" in result.output


def test_play_from_piped_commands_records_history(tmp_path: Path) -> None:
    """The real runner on the real clock: a piped 'stop' ends the session at once."""
    routine = tmp_path / "r.yaml"
    routine.write_text(GOOD)
    result = invoke("play", str(routine), "--no-audio", input="q\n")
    assert result.exit_code == 0
    assert "Ending the session." in result.output
    history = invoke("history")
    assert "Mine" in history.output and "stopped" in history.output


def test_stopping_in_the_pain_dialogue_does_not_offer_to_resume(tmp_path: Path) -> None:
    """The player has just said that ending is the safe choice: the last line must not invite
    the person to carry on where it hurt."""
    routine = tmp_path / "r.yaml"
    routine.write_text(GOOD)
    result = invoke("play", str(routine), "--no-audio", input="h\n7\nq\n")
    assert result.exit_code == 0, result.output
    assert "How bad is the pain" in result.output
    assert result.output.rstrip().endswith("0 of 1 exercises completed, 1 pain report.")
    assert invoke("history").output.splitlines()[-1].rstrip().endswith("pain")  # how it ended


def test_history_with_no_sessions() -> None:
    assert "No sessions yet" in invoke("history").output


def test_render_writes_a_wav_of_the_whole_routine(tmp_path: Path) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text("title: Short\nprepare: 1\nexercises:\n  - {name: A, hold: 8}\n")
    out = tmp_path / "session.wav"
    result = invoke("render", str(routine), "-o", str(out))
    assert result.exit_code == 0 and "Wrote" in result.output
    with wave.open(str(out)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert 10 < seconds < 40


def test_a_misspelt_voice_in_a_routine_is_an_error_at_its_line(tmp_path: Path) -> None:
    """It had been accepted in silence and the default voice used instead."""
    path = tmp_path / "r.yaml"
    path.write_text("title: T\nvoice: en-uss\nexercises:\n  - {name: A, reps: 2}\n")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:2:8: voice: unknown voice 'en-uss' (did you mean 'en-us'" in result.output


def test_a_misspelt_voice_option_stops_play_and_render_before_they_start(tmp_path: Path) -> None:
    for command in (["play", "--no-audio", "--no-history"], ["render", "-o", str(tmp_path / "x.wav")]):
        result = invoke(command[0], "gentle-mobility", *command[1:], "--voice", "en-gbb")
        assert result.exit_code == 1, command
        assert "--voice: unknown voice 'en-gbb' (did you mean 'en-gb'" in result.output
    assert not (tmp_path / "x.wav").exists()


def test_a_known_voice_and_variant_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("title: T\nvoice: en-gb+f3\nexercises:\n  - {name: A, reps: 2}\n")
    assert invoke("validate", str(path)).exit_code == 0


def test_help_imports_no_audio_no_models_and_no_pydantic() -> None:
    """--help took 0.7 s, most of it numpy (for an exception class) and the routine models."""
    import subprocess
    import sys

    code = (
        "import sys; from voice_rehab.cli.main import main\n"
        "heavy = [m for m in ('numpy', 'pydantic', 'onnxruntime', 'ctranslate2', 'pocketsphinx', 'sounddevice',"
        " 'pyttsx3', 'matplotlib') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert shown == ""


def test_a_mistyped_routine_or_exercise_gets_a_did_you_mean_and_no_false_position(tmp_path: Path) -> None:
    result = invoke("validate", "gentle-mobilty")
    assert result.exit_code == 1
    assert result.output.startswith("gentle-mobilty: no such file, nor a routine of that name")
    assert "Did you mean 'gentle-mobility'?" in result.output and ":1:1:" not in result.output
    result = invoke("exercises", "bird-dg")
    assert result.exit_code == 1 and "did you mean 'bird-dog'?" in result.output


def test_validate_counts_one_exercise_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("title: T\nexercises:\n  - {name: A, reps: 2}\n")
    assert "'T', 1 exercise, about" in invoke("validate", str(path)).output
