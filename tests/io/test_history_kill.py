"""The history survives the player being killed (SIGKILL) at random moments, many times."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from voice_rehab.io.history import read_history, summarize

ROUTINE = "title: Kill test\nprepare: 0\nexercises:\n  - {name: Tilt, reps: 50, tempo: {up: 0.1, down: 0.1}}\n"
KILLS = 10


def _sessions(path: Path) -> int:
    return len(summarize(read_history(path).events)) if path.exists() else 0


def _wait_for_a_new_session(player: subprocess.Popen[bytes], path: Path, sessions_before: int) -> None:
    """Until the session's first event is recorded whole: a kill during start-up (importing, reading
    the routine) records nothing, and how long start-up takes depends on how busy the machine is."""
    deadline = time.monotonic() + 60.0
    while _sessions(path) <= sessions_before:
        assert player.poll() is None, "the player ended before recording its session"
        assert time.monotonic() < deadline, "no session recorded within 60 s"
        time.sleep(0.01)


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_or_corrupts_the_history(tmp_path: Path) -> None:
    routine = tmp_path / "kill.yaml"
    routine.write_text(ROUTINE)
    home = tmp_path / "home"
    env = {**os.environ, "VOICE_REHAB_HOME": str(home)}
    command = [
        sys.executable,
        "-c",
        "from voice_rehab.cli.main import main; main()",
        "play",
        str(routine),
        "--no-audio",
        "--engine",
        "keyboard",
    ]
    rng = random.Random(5)
    path = home / "history.jsonl"
    lines_before = 0
    torn_before: set[int] = set()
    for killed in range(KILLS):
        player = subprocess.Popen(
            command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        assert player.stdin is not None
        player.stdin.write(b"p\nc\n" * 2000)  # pause, resume, ...: an event (and an fsync) each
        player.stdin.flush()
        _wait_for_a_new_session(player, path, killed)
        with contextlib.suppress(subprocess.TimeoutExpired):  # it plays on: kill it at a random moment
            player.wait(timeout=rng.uniform(0.2, 1.2))
        player.send_signal(signal.SIGKILL)
        player.wait()
        reading = read_history(path)
        lines = path.read_bytes().splitlines()
        # this kill may have torn only the very last line; a line torn by an earlier kill stays where
        # it was, alone (the next session starts on a fresh line), and everything else is whole
        assert set(reading.skipped_lines) <= torn_before | {len(lines)}
        torn_before = set(reading.skipped_lines)
        assert len(lines) >= lines_before  # nothing is ever lost
        lines_before = len(lines)
    # a normal session after all that starts on a fresh line and is recorded whole
    finished = subprocess.run(command, env=env, input=b"q\n", capture_output=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    reading = read_history(path)
    sessions = summarize(reading.events)
    assert len(sessions) == KILLS + 1
    assert [s.ended for s in sessions] == ["interrupted"] * KILLS + ["stopped"]
    for s in sessions:
        seqs = [e.seq for e in s.events]
        assert seqs == list(range(len(seqs)))  # no event missing in the middle of any session
        assert s.events[0].kind == "session_start"
    # the kills came mid-session, while events were being written (not before the first command)
    assert sum(len(s.events) > 2 for s in sessions[:KILLS]) >= KILLS // 2
    for number in reading.skipped_lines:  # a torn line is set aside, never fatal, never rewritten
        raw = path.read_bytes().splitlines()[number - 1]
        try:
            json.loads(raw)
            raise AssertionError(f"line {number} is whole but was set aside")
        except ValueError:
            pass
