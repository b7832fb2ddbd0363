"""A player asked to end by signals (Ctrl-C, `kill`) records the session whole, however many come."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from voice_rehab.io.history import read_history, summarize
from voice_rehab.io.records import PainAnswer

ROUTINE = "title: Signal test\nprepare: 0\nexercises:\n  - {name: Tilt, reps: 50, tempo: {up: 1, down: 1}}\n"


def _answered_severity(path: Path) -> bool:
    if not path.exists():
        return False
    return any(isinstance(e, PainAnswer) and e.value == "7" for e in read_history(path).events)


def test_a_burst_of_signals_during_the_pain_questions_keeps_the_answers_given(tmp_path: Path) -> None:
    """`timeout` signals the player and then its whole group: the second signal had landed while the
    first was being recorded, and the history lost the severity just given (ended "interrupted")."""
    routine = tmp_path / "signals.yaml"
    routine.write_text(ROUTINE)
    home = tmp_path / "home"
    player = _player(routine, home)
    assert player.stdin is not None
    player.stdin.write(b"h\n7\n")  # "that hurts", then severity 7
    player.stdin.flush()
    history = home / "history.jsonl"
    deadline = time.monotonic() + 60.0
    while not _answered_severity(history):
        assert player.poll() is None, "the player ended before the answer was recorded"
        assert time.monotonic() < deadline, "no answer recorded within 60 s"
        time.sleep(0.01)
    deadline = time.monotonic() + 10.0
    while player.poll() is None and time.monotonic() < deadline:  # signals, back to back, until it ends
        player.send_signal(signal.SIGTERM)
    player.wait(timeout=30)
    [session] = summarize(read_history(history).events)
    assert session.ended == "pain"
    assert [r.severity for r in session.pain_reports] == [7]
    assert player.stderr is not None and b"Aborted" not in player.stderr.read()


def _player(routine: Path, home: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from voice_rehab.cli.main import main; main()", "play", str(routine), "--no-audio",
         "--engine", "keyboard"],
        env={**os.environ, "VOICE_REHAB_HOME": str(home)},
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_ctrl_c_exits_130_as_shells_expect_and_the_session_is_recorded(tmp_path: Path) -> None:
    routine = tmp_path / "signals.yaml"
    routine.write_text(ROUTINE)
    history = tmp_path / "home" / "history.jsonl"
    player = _player(routine, tmp_path / "home")
    deadline = time.monotonic() + 60.0
    while not (history.exists() and "session_start" in history.read_text()):
        assert player.poll() is None and time.monotonic() < deadline, "the player never started counting"
        time.sleep(0.05)
    player.send_signal(signal.SIGINT)
    assert player.wait(timeout=30) == 130
    [session] = summarize(read_history(history).events)
    assert session.ended == "interrupted"


def test_the_help_lists_the_exit_codes() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", "from voice_rehab.cli.main import main; main()", "--help"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "130 ended by Ctrl-C" in " ".join(shown.split())
