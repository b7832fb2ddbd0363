#!/usr/bin/env python3
"""A room where other people talk and nobody speaks to the player: how often does the listener act?

A television or people chatting near the mat for minutes on end: babble of 1, 3 or 12 other
people (tuning speakers' ordinary words, one after another with the pauses people leave) at the
speech level and 10 dB under it, streamed through the listener as it ships while it listens for
commands. Every decision is counted; none should act.

\b
    .venv/bin/python scripts/bench_talking_room.py [--minutes 10] [--talkers 1,3,12] [--levels 0,10] [--jobs 2]

Prints a table and writes results/talking-room.json (each row as it finishes). Credit: Speech
Commands v0.02, Pete Warden, Google (CC-BY-4.0).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
from collections import Counter
from pathlib import Path

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_people import listener_for  # noqa: E402

from benchmarks.real_people import LEVEL, babble, babble_voices, load, read_clips  # noqa: E402
from benchmarks.report import machine  # noqa: E402
from voice_rehab.listen.audio import RATE, noise_floor  # noqa: E402
from voice_rehab.listen.policy import HALT, RELEASE  # noqa: E402
from voice_rehab.listen.stream import decide_stream  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "results" / "talking-room.json"


def hear_the_room(job: tuple[float, int, float]) -> dict:
    """`minutes` of `talkers` people talking `below_db` under the speech level, through the listener."""
    minutes, talkers, below_db = job
    voices = [load(c) for c in babble_voices(read_clips())]
    n = int(minutes * 60 * RATE)
    room = noise_floor(n, seed=5) + babble(n, voices, seed=11, talkers=talkers) * (LEVEL / 10 ** (below_db / 20))
    listener, judge = listener_for("ours")
    listener.expect("commands")
    decisions = decide_stream(listener, room.astype(np.float32), ending=False)
    acted = [d for d in decisions if d.value not in (HALT, RELEASE)]
    return {
        "minutes": minutes,
        "talkers": talkers,
        "below_speech_db": below_db,
        "utterances_judged": len(judge.heard) if judge else 0,
        "halts": sum(d.value == HALT for d in decisions),
        "acted": dict(Counter(d.value for d in acted)),
        "acted_per_hour": round(len(acted) * 60 / minutes, 1),
        "examples": [[d.value, round(d.t, 1), d.heard] for d in acted[:10]],
    }


@click.command()
@click.option("--minutes", type=float, default=10.0, show_default=True)
@click.option("--talkers", default="1,3,12", show_default=True)
@click.option("--levels", default="0,10", show_default=True, help="dB under the speech level")
@click.option("--jobs", type=int, default=2, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=OUT, show_default=True)
def main(minutes: float, talkers: str, levels: str, jobs: int, out: Path) -> None:
    todo = [(minutes, int(t), float(db)) for t in talkers.split(",") for db in levels.split(",")]
    rows: list[dict] = []
    with mp.get_context("spawn").Pool(jobs) as pool:
        for row in pool.imap_unordered(hear_the_room, todo):
            rows.append(row)
            rows.sort(key=lambda r: (r["talkers"], r["below_speech_db"]))
            out.write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1) + "\n")
    print("| talkers | under speech | minutes | utterances judged | halts (released) | acted | acted per hour |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        acted = ", ".join(f"{k} {v}" for k, v in r["acted"].items()) or "none"
        print(
            f"| {r['talkers']} | {r['below_speech_db']:g} dB | {r['minutes']:g} | {r['utterances_judged']} | "
            f"{r['halts']} | {acted} | {r['acted_per_hour']} |"
        )


if __name__ == "__main__":
    main()
