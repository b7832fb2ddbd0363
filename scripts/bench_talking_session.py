#!/usr/bin/env python3
"""A whole session in a room where other people talk: what does their talk do to it?

`bench_talking_room.py` counts what the listener decides on other people's words, one decision
at a time. Here those decisions go to a real session (the pure engine, on the audio's clock),
and the session's questions change what the listener listens for, as in the player: a pause
from talk, "Does something hurt?" answered by talk, the pain questions, "Shall I end the
session?". The person says nothing; they resume with the space bar 5 s after the player has
paused with no question waiting, and start again when a session ends. Counted per hour: pauses,
each question asked, pain questions begun, exercises skipped or repeated, and sessions ended.

\b
    .venv/bin/python scripts/bench_talking_session.py [--minutes 10] [--talkers 1:0,1:10,3:0,3:10] [--jobs 2]

Prints a table and writes results/talking-session.json. Credit: Speech Commands v0.02, Pete
Warden, Google (CC-BY-4.0).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_people import listener_for  # noqa: E402
from bench_talking_room import rooms, talking_room  # noqa: E402

from benchmarks.live_session import listen_as_asked, session_of  # noqa: E402
from benchmarks.real_people import read_clips  # noqa: E402
from benchmarks.report import machine  # noqa: E402
from voice_rehab.core.events import Effect, Log, Start, Tick, Typed  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.core.session import Session, State  # noqa: E402
from voice_rehab.listen.audio import CHUNK, RATE  # noqa: E402
from voice_rehab.listen.listener import CommandListener, Decision  # noqa: E402
from voice_rehab.listen.microphone import decision_event  # noqa: E402
from voice_rehab.listen.stream import chunks  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "results" / "talking-session.json"
EN = phrases_for("en")
# Five long holds: talk that says "next" moves on, and the routine outlasts the room.
ROUTINE = "title: Holds\nprepare: 1\nexercises:\n" + "".join(f"  - {{name: Hold {k}, hold: 300}}\n" for k in range(5))
RESUMES_AFTER = 5.0  # seconds the person waits, paused with no question, before pressing space
# What the session's log says happened, and the name it is counted under
COUNTED = {
    "pause": "pauses",
    "hurt_check_asked": "asked if it hurts",
    "end_check_asked": "asked to end",
    "pain_start": "pain questions",
    "exercise_skipped": "skipped",
    "repeat": "repeated",
}


class Person:
    """A session, and the person on the mat who says nothing but resumes by key and starts again."""

    def __init__(self, listener: CommandListener) -> None:
        self.listener = listener
        self.counts: Counter[str] = Counter()
        self.paused_since: float | None = None
        self.session = self._start(0.0)

    def _start(self, now: float) -> Session:
        session = session_of(ROUTINE, EN)
        self.listener.expect("commands")
        self._carry_out(session.handle(Start(now)))
        return session

    def _carry_out(self, effects: list[Effect]) -> None:
        listen_as_asked(self.listener, effects)
        for effect in effects:
            if isinstance(effect, Log) and effect.kind in COUNTED:
                self.counts[COUNTED[effect.kind]] += 1
            elif isinstance(effect, Log) and effect.kind == "session_end":
                self.counts[f"ended ({effect.data['reason']})"] += 1

    def at(self, now: float, decisions: list[Decision]) -> None:
        """Time `now` has come, with what the listener decided since the last time."""
        for decision in decisions:
            self._carry_out(self.session.handle(decision_event(decision, now)))
        self._carry_out(self.session.handle(Tick(now)))
        if self.session.finished:
            self.session = self._start(now)
        waiting = self.session.state is State.PAUSED and self.session.check is None and self.session.halted is None
        if not waiting:
            self.paused_since = None
        elif self.paused_since is None:
            self.paused_since = now
        elif now - self.paused_since >= RESUMES_AFTER:
            self._carry_out(self.session.handle(Typed(now, " ")))
            self.paused_since = None


def live_in_the_room(job: tuple[float, int, float]) -> dict[str, Any]:
    minutes, talkers, below_db = job
    room = talking_room(minutes, talkers, below_db, read_clips())
    listener, _ = listener_for("ours")
    person = Person(listener)
    for index, chunk in enumerate(chunks(room.astype("float32"))):
        t = (index + 1) * CHUNK / RATE
        person.at(t, listener.feed(chunk, t))
    hours = minutes / 60
    return {
        "minutes": minutes,
        "talkers": talkers,
        "below_speech_db": below_db,
        "counts": dict(person.counts),
        "per_hour": {k: round(v / hours, 1) for k, v in sorted(person.counts.items())},
    }


@click.command()
@click.option("--minutes", type=float, default=10.0, show_default=True)
@click.option("--talkers", default="1:0,1:10,3:0,3:10", show_default=True, help="rooms as talkers:dB under speech")
@click.option("--jobs", type=int, default=2, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=OUT, show_default=True)
def main(minutes: float, talkers: str, jobs: int, out: Path) -> None:
    todo = [(minutes, int(t), float(db)) for t, db in rooms(talkers, levels="0")]
    with mp.get_context("spawn").Pool(jobs) as pool:
        rows = sorted(pool.map(live_in_the_room, todo), key=lambda r: (r["talkers"], r["below_speech_db"]))
    out.write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1) + "\n")
    print("| talkers | under speech | per hour: what other people's talk did to the session |")
    print("|---|---|---|")
    for r in rows:
        did = ", ".join(f"{k} {v:g}" for k, v in r["per_hour"].items()) or "nothing"
        print(f"| {r['talkers']} | {r['below_speech_db']:g} dB | {did} |")


if __name__ == "__main__":
    main()
