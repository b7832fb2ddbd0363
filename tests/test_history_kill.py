"""The history survives the player being killed (SIGKILL) at random moments, many times."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from voice_rehab.history import read_history, summarize

ROUTINE = "title: Kill test\nprepare: 0\nexercises:\n  - {name: Tilt, reps: 50, tempo: {up: 0.1, down: 0.1}}\n"
KILLS = 10


def test_sigkill_at_random_moments_never_loses_or_corrupts_the_history(tmp_path: Path) -> None:
    routine = tmp_path / "kill.yaml"
    routine.write_text(ROUTINE)
    home = tmp_path / "home"
    env = {**os.environ, "VOICE_REHAB_HOME": str(home)}
    command = [sys.executable, "-c", "from voice_rehab.cli import main; main()",
               "play", str(routine), "--no-audio", "--engine", "keyboard"]
    rng = random.Random(5)
    path = home / "history.jsonl"
    lines_before = 0
    started = 0  # runs that got as far as recording (a kill during start-up records nothing)
    for _ in range(KILLS):
        player = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        assert player.stdin is not None
        player.stdin.write(b"p\nc\n" * 2000)  # pause, resume, ...: an event (and an fsync) each
        player.stdin.flush()
        with contextlib.suppress(subprocess.TimeoutExpired):  # it plays on: kill it at a random moment
            player.wait(timeout=rng.uniform(0.6, 1.8))
        player.send_signal(signal.SIGKILL)
        player.wait()
        reading = read_history(path)
        lines = path.read_bytes().splitlines()
        # only the very last line may be torn; everything before it is whole
        assert set(reading.skipped_lines) <= {len(lines)}
        assert len(lines) >= lines_before  # nothing is ever lost
        started += len(lines) > lines_before
        lines_before = len(lines)
    # a normal session after all that starts on a fresh line and is recorded whole
    finished = subprocess.run(command, env=env, input=b"q\n", capture_output=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    reading = read_history(path)
    sessions = summarize(reading.events)
    assert started >= KILLS // 2 and len(sessions) == started + 1
    assert sessions[-1].ended == "stopped"
    for s in sessions:
        seqs = [e["seq"] for e in s.events]
        assert seqs == list(range(len(seqs)))  # no event missing in the middle of any session
        assert s.events[0]["kind"] == "session_start"
    assert sum(len(s.events) for s in sessions) > 10 * started  # the kills came mid-session
    for number in reading.skipped_lines:  # a torn line is set aside, never fatal, never rewritten
        raw = path.read_bytes().splitlines()[number - 1]
        try:
            json.loads(raw)
            raise AssertionError(f"line {number} is whole but was set aside")
        except ValueError:
            pass
