#!/usr/bin/env python3
"""Timing benchmark of the real runner, clock and speech path (real threads, real monotonic clock).

    .venv/bin/python scripts/bench_timing.py [--minutes 3] [--out results/timing.json]

1. Cue timing error over a long session: every cue's actual time against its planned time; the
   error must not grow with session length (absolute deadlines, no accumulated sleeps).
2. Start to first spoken cue: from starting the runner to the first block reaching the output.
3. "pause" to silence: from the pause command to the playback loop going quiet, through the real
   speaker thread and playback path (a null output stream where there is no sound card).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voice_rehab.bench.report import machine  # noqa: E402
from voice_rehab.clock import MonotonicInbox  # noqa: E402
from voice_rehab.events import Command, Heard, Priority, Say  # noqa: E402
from voice_rehab.phrases import phrases_for  # noqa: E402
from voice_rehab.plan import build_plan  # noqa: E402
from voice_rehab.routine import parse_routine  # noqa: E402
from voice_rehab.runner import Runner  # noqa: E402
from voice_rehab.session import Session  # noqa: E402
from voice_rehab.simulation import NoDisplay, run_virtual  # noqa: E402
from voice_rehab.speech.output import NullOutput, OutputUnavailable, SoundDeviceOutput, full_volume  # noqa: E402
from voice_rehab.speech.speaker import AudioSpeaker, CaptionSpeaker  # noqa: E402
from voice_rehab.speech.synth import Synthesizer  # noqa: E402

EN = phrases_for("en")


def long_routine(minutes: float) -> str:
    holds = max(1, int(minutes * 60 / 40))
    body = "".join(f"  - {{name: Hold {i + 1}, hold: 30}}\n" for i in range(holds))
    return f"title: Timing\nprepare: 1\nrest_between_exercises: 5\nexercises:\n{body}"


def cue_timing(minutes: float) -> dict:
    plan = build_plan(parse_routine(long_routine(minutes)), EN)
    _, planned = run_virtual(plan, EN)
    planned_times = [t for t, e in planned if isinstance(e, Say)]
    actual: list[float] = []
    inbox = MonotonicInbox()
    runner = Runner(Session(plan, EN), inbox, CaptionSpeaker(), NoDisplay(),
                    observer=lambda t, e: actual.append(t) if isinstance(e, Say) else None)
    runner.run()
    errors = np.array(actual) - np.array(planned_times)
    n = len(errors)
    third = max(1, n // 3)
    return {"session_minutes": plan.duration / 60, "cues": n,
            "error_ms_median": float(np.median(errors) * 1000), "error_ms_max": float(errors.max() * 1000),
            "error_ms_first_third_mean": float(errors[:third].mean() * 1000),
            "error_ms_last_third_mean": float(errors[-third:].mean() * 1000)}


class TimedOutput(NullOutput):
    """A null output stream that notes when playback starts and stops."""

    def __init__(self) -> None:
        super().__init__(realtime=True)
        self.first_block: float | None = None
        self.stopped_at: list[float] = []

    def play(self, samples, rate, cancelled, gain=full_volume):  # type: ignore[no-untyped-def]
        if self.first_block is None:
            self.first_block = time.monotonic()
        played = super().play(samples, rate, cancelled, gain)
        if played < len(samples):
            self.stopped_at.append(time.monotonic())
        return played


def output() -> TimedOutput:
    try:
        SoundDeviceOutput()
        print("note: a sound card exists, but the null stream is measured for comparability")
    except OutputUnavailable:
        pass
    return TimedOutput()


def start_to_first_cue() -> dict:
    plan = build_plan(parse_routine(long_routine(1)), EN)
    out = output()
    started = time.monotonic()
    warm = [e.text for _, e in run_virtual(plan, EN)[1] if isinstance(e, Say)]
    speaker = AudioSpeaker(lambda: Synthesizer("en-us", 160), out, warm_up=list(dict.fromkeys(warm)))
    speaker.wait_ready()
    inbox = MonotonicInbox()
    session = Session(plan, EN)
    thread = threading.Thread(target=Runner(session, inbox, speaker, NoDisplay()).run, daemon=True)
    thread.start()
    while out.first_block is None:
        time.sleep(0.001)
    first = out.first_block - started
    inbox.put(Heard(inbox.now(), Command.STOP))
    thread.join(5)
    return {"start_to_first_cue_s": first}


def pause_to_silence(trials: int) -> dict:
    out = output()
    speaker = AudioSpeaker(lambda: Synthesizer("en-us", 160), out)
    speaker.wait_ready()
    delays = []
    for i in range(trials):
        speaker.say(f"Lie on your back with your knees bent, trial {i}, and breathe slowly.", Priority.NORMAL)
        time.sleep(0.6 + 0.013 * i)  # land at different points of a playback block
        before = len(out.stopped_at)
        asked = time.monotonic()
        speaker.stop()
        while len(out.stopped_at) == before:
            time.sleep(0.0005)
        delays.append(out.stopped_at[-1] - asked)
        speaker.wait_idle(2)
    speaker.close()
    d = np.array(delays) * 1000
    return {"trials": trials, "pause_to_silence_ms_median": float(np.median(d)),
            "pause_to_silence_ms_p95": float(np.percentile(d, 95)), "pause_to_silence_ms_max": float(d.max())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the timed session")
    parser.add_argument("--out", type=Path, default=Path("results/timing.json"))
    args = parser.parse_args()
    results = {"machine": machine()}
    results["cue_timing"] = cue_timing(args.minutes)
    results["start"] = start_to_first_cue()
    results["pause"] = pause_to_silence(30)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    c, s, p = results["cue_timing"], results["start"], results["pause"]
    print("| measure | value |\n|---|---|")
    print(f"| session length | {c['session_minutes']:.1f} min, {c['cues']} cues |")
    print(f"| cue error, median / max | {c['error_ms_median']:.1f} / {c['error_ms_max']:.1f} ms |")
    print(f"| cue error, first third / last third (mean) | {c['error_ms_first_third_mean']:.1f} / "
          f"{c['error_ms_last_third_mean']:.1f} ms |")
    print(f"| start to first spoken cue | {s['start_to_first_cue_s']:.2f} s |")
    print(f"| pause to silence, median / p95 / max | {p['pause_to_silence_ms_median']:.0f} / "
          f"{p['pause_to_silence_ms_p95']:.0f} / {p['pause_to_silence_ms_max']:.0f} ms |")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
