#!/usr/bin/env python3
"""From typing `voice-rehab play` to the first cue reaching the sound card, in a fresh process.

\b
    .venv/bin/python scripts/bench_startup.py [--runs 5] [--listener-first] [--out results/startup.json]

Each run starts a new Python process that runs the real `play` command on the shipped default
routine, with the two parts this machine lacks replaced at their edge: the sound card by
`NullOutput` (which plays at real-time pace) and the microphone by a silent 16 kHz source
(so the listener, its recognisers and the judge load as they would). The process prints a line
when the first block of the first cue reaches the output; the time is taken from just before the
process was started (imports, routine, synthesis of the first cue, listener start-up included).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.report import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# Run inside the fresh process: the edges replaced, then the real command line.
CHILD = """
import sys, threading
import numpy as np
import voice_rehab.player as player
from voice_rehab.speech.output import NullOutput

class FirstCueOutput(NullOutput):
    announced = False
    def play(self, samples, rate, cancelled, *rest):
        if not FirstCueOutput.announced and len(samples):
            FirstCueOutput.announced = True
            print("FIRST-CUE", flush=True)
        return super().play(samples, rate, cancelled, *rest)

class SilentMicrophone:
    def __init__(self):
        self._stop = threading.Event()
    def start(self, on_chunk):
        def feed():
            while not self._stop.wait(0.02):
                on_chunk(np.zeros(320, np.float32))
        threading.Thread(target=feed, daemon=True).start()
    def close(self):
        self._stop.set()

class ListenerFirst:  # the ablation: the microphone and its listener started before the first cue
    def __init__(self, start):
        self._microphone = start()
    def expect(self, what):
        if self._microphone:
            self._microphone.expect(what)
    def close(self):
        if self._microphone:
            self._microphone.close()

player.SoundDeviceOutput = FirstCueOutput
player.SoundDeviceSource = SilentMicrophone
if "--listener-first" in sys.argv:
    player.StartingMicrophone = ListenerFirst
from voice_rehab.cli.main import main
sys.argv = sys.argv[:1]
main(["play"])
"""


def one_run(home: Path, listener_first: bool) -> float:
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD] + (["--listener-first"] if listener_first else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env={"VOICE_REHAB_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("FIRST-CUE"):
                return time.monotonic() - started
        raise RuntimeError("play ended without a cue")
    finally:
        child.kill()
        child.wait()


@click.command(help=__doc__.splitlines()[0])
@click.option("--runs", type=int, default=5, show_default=True)
@click.option("--listener-first", is_flag=True, help="Start the listener before the first cue (as play did before).")
@click.option("--out", type=click.Path(path_type=Path), default=ROOT / "results" / "startup.json", show_default=True)
def main(runs: int, listener_first: bool, out: Path) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as home:
        one_run(Path(home), listener_first)  # the first run after an install fills the file cache: not counted
        times = [one_run(Path(home), listener_first) for _ in range(runs)]
    result = {
        "machine": machine(),
        "runs": runs,
        "listener": "before the first cue" if listener_first else "behind the first cue (as play does)",
        "play_to_first_cue_s_median": round(statistics.median(times), 3),
        "play_to_first_cue_s_max": round(max(times), 3),
    }
    print("| listener | play to first cue (median) | max |")
    print("|---|---|---|")
    print(
        f"| {result['listener']} | {result['play_to_first_cue_s_median']} s | {result['play_to_first_cue_s_max']} s |"
    )
    out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
