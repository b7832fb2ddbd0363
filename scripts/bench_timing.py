#!/usr/bin/env python3
"""Timing benchmark of the real runner, clock and speech path (real threads, real monotonic clock).

\b
    .venv/bin/python scripts/bench_timing.py [--minutes 10] [--out results/timing.json]
                                             [--only cues,start,pause,latency]

1. Cue timing error over a long session: every cue's actual time against its planned time; the
   error must not grow with session length (absolute deadlines, no accumulated sleeps).
2. Start to first spoken cue: from starting the runner to the first block reaching the output.
3. "pause" to silence: from the pause command to the playback loop going quiet, through the real
   speaker thread and playback path (a null output stream where there is no sound card).
4. Command to event: the held-out voices' command phrases, delivered in real time as a sound card
   would (`PacedSource`) to the player's own listener on its microphone thread: from the end of
   the command's last word reaching the microphone to its event reaching the runner's inbox
   (wall time), next to the same decision's audio time (as `recognize` reports it). The usual pipelines (a closed grammar,
   keyword spotting, the full language model) are timed the same way.

With --only, the parts not run keep their results in --out.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import LANGUAGES, Item, build_stream, command_utterances  # noqa: E402
from benchmarks.endpointed import EndpointedListener, SphinxUtterance, command_in, grammar_utterance, sphinx_decoder  # noqa: E402
from benchmarks.metrics import pipeline_latencies  # noqa: E402
from benchmarks.paced import PacedSource  # noqa: E402
from benchmarks.report import KEYWORD_THRESHOLD, machine  # noqa: E402
from benchmarks.spotting import KeywordSpotter, keyword_decoder  # noqa: E402
from voice_rehab.core.events import Command, Heard, Priority, Say  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.core.plan import build_plan  # noqa: E402
from voice_rehab.core.routine import parse_routine  # noqa: E402
from voice_rehab.core.session import Session  # noqa: E402
from voice_rehab.io.clock import MonotonicInbox  # noqa: E402
from voice_rehab.listen.engines import choose  # noqa: E402
from voice_rehab.listen.grammar import SAFETY  # noqa: E402
from voice_rehab.listen.microphone import Listens, MicrophoneInput  # noqa: E402
from voice_rehab.listen.policy import HALT, LEAVES_STOPPED  # noqa: E402
from voice_rehab.runner import Runner  # noqa: E402
from voice_rehab.sim.simulation import NoDisplay, run_virtual  # noqa: E402
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
    runner = Runner(
        Session(plan, EN),
        inbox,
        CaptionSpeaker(),
        NoDisplay(),
        observer=lambda t, e: actual.append(t) if isinstance(e, Say) else None,
    )
    runner.run()
    errors = np.array(actual) - np.array(planned_times)
    n = len(errors)
    third = max(1, n // 3)
    return {
        "session_minutes": plan.duration / 60,
        "cues": n,
        "error_ms_median": float(np.median(errors) * 1000),
        "error_ms_max": float(errors.max() * 1000),
        "error_ms_first_third_mean": float(errors[:third].mean() * 1000),
        "error_ms_last_third_mean": float(errors[-third:].mean() * 1000),
    }


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
    return {
        "trials": trials,
        "pause_to_silence_ms_median": float(np.median(d)),
        "pause_to_silence_ms_p95": float(np.percentile(d, 95)),
        "pause_to_silence_ms_max": float(d.max()),
    }


def through_the_microphone_thread(listener: Listens, name: str, stream: np.ndarray, items: list[Item]) -> dict:
    """`stream` in real time to `listener` on the microphone thread."""
    source = PacedSource(stream)
    inbox = MonotonicInbox()
    microphone = MicrophoneInput(source, listener, inbox).start()
    source.finished()
    microphone.close()  # after the chunks still queued have been heard
    events = []
    while (event := inbox.wait(0.0)) is not None:
        events.append(event)
    heard = [e for e in events if isinstance(e, Heard)]
    decided = [(d.t, d.value, e.now) for d, e in zip(microphone.decisions, heard)]
    latencies = pipeline_latencies(items, decided, source.captured_at)
    audio, wall, lag = (np.array([getattr(x, f) for x in latencies]) * 1000 for f in ("audio", "wall", "lag"))
    # The halt: for "pause", "stop" and "that hurts", the first decision that stops speech and timers
    halting = [replace(i, command=HALTED if i.command in SAFETY else None) for i in items]
    halts = [(t, HALTED if c in HALTING else c, now) for t, c, now in decided]
    halted = pipeline_latencies(halting, halts, source.captured_at)
    halt_wall = np.array([x.wall for x in halted]) * 1000 if halted else np.array([np.nan])
    return {
        "halts": len(halted),
        "safety_commands": sum(i.command in SAFETY for i in items),
        "halt_wall_ms_median": float(np.median(halt_wall)),
        "halt_wall_ms_p95": float(np.percentile(halt_wall, 95)),
        "listener": name,
        "commands": len(items),
        "heard": len(latencies),
        "audio_ms_median": float(np.median(audio)),
        "audio_ms_p95": float(np.percentile(audio, 95)),
        "wall_ms_median": float(np.median(wall)),
        "wall_ms_p95": float(np.percentile(wall, 95)),
        "lag_ms_median": float(np.median(lag)),
        "lag_ms_p95": float(np.percentile(lag, 95)),
        "lag_ms_max": float(lag.max()),
    }


HALTED = "halted"
HALTING = LEAVES_STOPPED | {HALT}


def baselines() -> dict[str, tuple[str, Listens]]:
    """The usual pipelines of the listener benchmark, each as one streaming listener."""

    def decide(text: str) -> str | None:
        return command_in(EN, text)

    phrases = list(EN.command_of)
    return {
        "ps grammar": (
            "pocketsphinx's Endpointer and a closed grammar",
            EndpointedListener(grammar_utterance(phrases), decide),
        ),
        "ps keywords": (
            f"pocketsphinx keyword spotting at {KEYWORD_THRESHOLD:g}",
            KeywordSpotter(keyword_decoder(phrases, KEYWORD_THRESHOLD), decide),
        ),
        "ps full LM": (
            "pocketsphinx's Endpointer and its full English language model",
            EndpointedListener(SphinxUtterance(sphinx_decoder()), decide),
        ),
    }


def command_to_event() -> dict:
    """Ours (the player's own listener) and the usual pipelines, the same way."""
    choice = choose("auto", EN)
    if choice.listener is None:
        sys.exit(f"no listener to time: {choice.reason}")
    parts = [p for p in command_utterances(EN, LANGUAGES["en"].held_out, "held-out") if p[1] in EN.command_of]
    stream, items = build_stream("latency", parts, "held-out")  # the held-out command phrases
    listeners = {"ours": (choice.reason, choice.listener), **baselines()}
    return {
        method: through_the_microphone_thread(listener, name, stream, items)
        for method, (name, listener) in listeners.items()
    }


def _pipeline_rows(timed: dict) -> list[str]:
    rows = []
    for method, w in timed.items():
        rows += [
            f"| {method}: pause, stop or that hurts to the halt ({w['halts']} of {w['safety_commands']}), wall time, "
            f"median / p95 | {w['halt_wall_ms_median']:.0f} / {w['halt_wall_ms_p95']:.0f} ms |",
            f"| {method}: command to event ({w['heard']} of {w['commands']} commands heard), median / p95: "
            f"audio time | {w['audio_ms_median']:.0f} / {w['audio_ms_p95']:.0f} ms |",
            f"| {method}: the same, wall time from the word's end reaching the microphone to the event in the "
            f"inbox | {w['wall_ms_median']:.0f} / {w['wall_ms_p95']:.0f} ms |",
            f"| {method}: processing, from the decided chunk reaching the microphone to the event, median / p95 / "
            f"max | {w['lag_ms_median']:.0f} / {w['lag_ms_p95']:.0f} / {w['lag_ms_max']:.0f} ms |",
        ]
    return rows


PARTS = {"cues": "cue_timing", "start": "start", "pause": "pause", "latency": "command_to_event"}
# the table's rows of each part's results
TABLE: dict[str, list[Callable[[dict], str]]] = {
    "cue_timing": [
        lambda c: f"| session length | {c['session_minutes']:.1f} min, {c['cues']} cues |",
        lambda c: f"| cue error, median / max | {c['error_ms_median']:.1f} / {c['error_ms_max']:.1f} ms |",
        lambda c: (
            f"| cue error, first third / last third (mean) | {c['error_ms_first_third_mean']:.1f} / "
            f"{c['error_ms_last_third_mean']:.1f} ms |"
        ),
    ],
    "start": [lambda s: f"| start to first spoken cue | {s['start_to_first_cue_s']:.2f} s |"],
    "pause": [
        lambda p: (
            f"| pause to silence, median / p95 / max | {p['pause_to_silence_ms_median']:.0f} / "
            f"{p['pause_to_silence_ms_p95']:.0f} / {p['pause_to_silence_ms_max']:.0f} ms |"
        )
    ],
}


@click.command(help=__doc__)
@click.option("--minutes", type=float, default=10.0, show_default=True, help="length of the timed session")
@click.option("--out", type=click.Path(path_type=Path), default=Path("results/timing.json"), show_default=True)
@click.option("--only", help=f"these parts only ({','.join(PARTS)}); the others keep their results")
def main(**options: Any) -> None:
    args = SimpleNamespace(**options)
    only = args.only.split(",") if args.only else list(PARTS)
    results = json.loads(args.out.read_text()) if args.only and args.out.is_file() else {}
    host = machine()
    if not args.only:
        results["machine"] = host  # of every part; a part run alone has its own in "machines"
    runs = {
        "cues": lambda: cue_timing(args.minutes),
        "start": start_to_first_cue,
        "pause": lambda: pause_to_silence(30),
        "latency": command_to_event,
    }
    for part in only:
        results[PARTS[part]] = runs[part]()
        if args.only:
            results.setdefault("machines", {})[PARTS[part]] = host
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    print("| measure | value |\n|---|---|")
    for key, rows in TABLE.items():
        for row in rows if key in results else ():
            print(row(results[key]))
    for line in _pipeline_rows(results.get("command_to_event", {})):  # a row per listener
        print(line)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
