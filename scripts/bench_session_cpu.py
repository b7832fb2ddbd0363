#!/usr/bin/env python3
"""The listener's CPU over a whole session: the shipped gentle routine played in the virtual room
(the player's own voice as echo, a faint room), with a person who counts along, says "pause" and
"resume" once and "that hurts" once, answering the pain questions. The judge runs only on
utterances, so its cost is averaged over the session as a person would use it.

\b
    .venv/bin/python scripts/bench_session_cpu.py [--snr 20]

Prints a table and writes results/session-cpu.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.report import machine  # noqa: E402
from benchmarks.timed_judge import TimedJudge  # noqa: E402
from voice_rehab.authoring.catalog import shipped_routines_dir  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.core.plan import build_plan  # noqa: E402
from voice_rehab.core.routine import load_routine  # noqa: E402
from voice_rehab.listen.ducking import Ducking  # noqa: E402
from voice_rehab.listen.engines import judge_for, speech_detector_for, verifier_for  # noqa: E402
from voice_rehab.listen.frontend import WebRtcFrontEnd  # noqa: E402
from voice_rehab.listen.listener import CommandListener  # noqa: E402
from voice_rehab.listen.recognizers import PocketSphinxRecognizer  # noqa: E402
from voice_rehab.listen.room import VirtualRoom  # noqa: E402
from voice_rehab.listen.voices import espeak  # noqa: E402
from voice_rehab.sim.simulation import run_in_room  # noqa: E402
from voice_rehab.speech.synth import Synthesizer  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "results" / "session-cpu.json"
EN = phrases_for("en")


class TimedListener(CommandListener):
    """The player's listener, with the CPU time it spends on the microphone's audio."""

    cpu = 0.0

    def feed(self, chunk, t, reference=None, reference_text=""):  # type: ignore[no-untyped-def]
        start = time.process_time()
        decided = super().feed(chunk, t, reference, reference_text)
        self.cpu += time.process_time() - start
        return decided


@click.command(help=__doc__.splitlines()[0])
@click.option("--snr", type=float, default=None, show_default=True, help="pink noise in the room, dB")
def main(**options: Any) -> None:
    args = SimpleNamespace(**options)
    plan = build_plan(load_routine(shipped_routines_dir() / "gentle-mobility.yaml"), EN)
    found, why = judge_for("en")
    if found is None:
        sys.exit(f"no judge: {why}")
    judge = TimedJudge(found)
    listener = TimedListener(
        PocketSphinxRecognizer(),
        EN,
        WebRtcFrontEnd(),
        None,
        verifier_for("en")[0],
        judge,
        speech_detector=speech_detector_for()[0],
    )
    synth = Synthesizer("en-us", 160)
    room = VirtualRoom(listener, synth.synthesize, snr_db=args.snr, ducking=Ducking())
    voice = "en-gb-x-rp+f3"
    first = plan.steps[0].duration + plan.steps[1].duration
    said = [(first + 8 + 3 * k, w) for k, w in enumerate(("one", "two", "three", "four", "five"))]
    said += [(first + 40, "pause"), (first + 46, "resume"), (first + 120, "that hurts"), (first + 126, "three")]
    said += [(first + 132, "dull"), (first + 138, "continue")]
    for t, text in said:
        room.add_speech(t, espeak(text, voice))
    records = run_in_room(plan, EN, room)
    session = max(t for t, _ in records)
    row = {
        "session_s": round(session, 1),
        "utterances_said": len(said),
        "judge_calls": len(judge.cpu),
        "judge_cpu_s": round(sum(judge.cpu), 2),
        "listener_cpu_s": round(listener.cpu, 2),
        "cores_used_mean": round(listener.cpu / session, 4),
        "snr_db": args.snr,
        "heard": [r.get("command") or r.get("answer") for _, r in records if r["kind"] == "heard"],
    }
    print("| session | utterances said | judge calls | judge CPU | listener CPU | mean share of one core |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {row['session_s']:.0f} s | {row['utterances_said']} | {row['judge_calls']} | {row['judge_cpu_s']} s | "
        f"{row['listener_cpu_s']} s | {row['cores_used_mean']:.3f} |"
    )
    print("heard:", row["heard"])
    OUT.write_text(json.dumps({"machine": machine(), **row}, indent=1) + "\n")


if __name__ == "__main__":
    main()
