#!/usr/bin/env python3
"""A person who wants to stop: how many times must they say it before the session ends?

Real people (Speech Commands speakers) say "stop" to a real session (the pure engine on a virtual
clock, paused in the middle of a hold) through the real listener, in each room; whatever the
player does, they say "stop" again, up to `--tries` times (their own stop clips in turn; a speaker
with one clip says it again). Where the player asks "Shall I end the session?", the next "stop"
answers it. Each trial ends when the session ends, or after the last try. `--before` runs the
same with the doubted stop treated as a pause (the player before it could ask to end), for
comparison. `--words` instead has each speaker say their ordinary words (no command) in a row, and
counts what the session did: an end there is an end nobody asked for.

\b
    .venv/bin/python scripts/bench_stop_flow.py [--split held-out|tune] [--jobs 2] [--before]
        [--words] [--conditions quiet,reverb] [--limit N]

Each trial goes to results/stop-flow.jsonl (`--out`) as it ends (a rerun skips what is there); the table is
printed and written to results/stop-flow.json. Credit: Speech Commands v0.02, Pete Warden,
Google (CC-BY-4.0).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_people import listener_for  # noqa: E402

from benchmarks.live_session import listen_as_asked, session_of  # noqa: E402
from benchmarks.real_people import (  # noqa: E402
    ALL_CONDITIONS,
    CONDITIONS,
    NOISY,
    Clip,
    babble_voices,
    in_condition,
    load,
    read_clips,
    task_of,
)
from benchmarks.report import machine  # noqa: E402
from voice_rehab.core.events import Command, Heard, Start, Tick  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.core.session import Session  # noqa: E402
from voice_rehab.listen.audio import RATE  # noqa: E402
from voice_rehab.listen.listener import CommandListener  # noqa: E402
from voice_rehab.listen.microphone import decision_event  # noqa: E402
from voice_rehab.listen.stream import decide_stream  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EN = phrases_for("en")
# One long hold: every "stop" is said while the person holds a stretch.
ROUTINE = "title: Flow\nprepare: 1\nexercises:\n  - {name: Knee hug, hold: 600}\n"
START_AT = 30.0  # seconds into the session when the person first speaks
GAP = 2.0  # seconds between the end of one clip and the next (the player's words in between)


def new_session() -> Session:
    session = session_of(ROUTINE, EN)
    session.handle(Start(0.0))
    session.handle(Tick(START_AT))
    return session


def say_to(
    session: Session, listener: CommandListener, audio: np.ndarray, condition: str, now: float, before: bool
) -> tuple[float, list[tuple[str, str]]]:
    """The person says `audio` at `now`: the listener decides, the session acts. Returns when the
    clip (and the room after it) has ended, and the listener's decisions (with the words heard)."""
    decisions = decide_stream(listener, audio, ending=condition not in NOISY)
    if condition in NOISY:
        decisions += listener.flush(len(audio) / RATE)
    values = []
    for decision in decisions:
        event = decision_event(decision, now + decision.t)
        if before and isinstance(event, Heard) and event.command is Command.MAYBE_STOP:
            event = Heard(event.now, Command.PAUSE, event.heard, event.source)
        values.append((decision.value if decision.kind != "unclear" else "unclear", decision.heard))
        listen_as_asked(listener, session.handle(event))
    end = now + len(audio) / RATE
    listen_as_asked(listener, session.handle(Tick(end)))
    return end + GAP, values


def outcome(session: Session) -> str:
    if session.finished:
        return f"ended ({session.end_reason})"
    if session.check is not None:
        return f"asking ({session.check.table.value})"
    return session.state.value


def run_trial(
    listener: CommandListener, clips: list[Clip], condition: str, seed: int, voices: list[np.ndarray], before: bool
) -> dict[str, Any]:
    """The person says `clips` in turn until the session ends."""
    listener.expect("commands")
    session = new_session()
    now = START_AT
    said: list[list[tuple[str, str]]] = []
    for index, clip in enumerate(clips):
        heard = in_condition(load(clip), condition, seed=seed + 101 * index, talkers=voices)
        now, values = say_to(session, listener, heard, condition, now, before)
        said.append(values)
        if session.finished:
            break
    listener.expect("commands")
    return {"outcome": outcome(session), "tries": len(said), "decisions": said}


def stop_trials(split: str, tries: int) -> list[tuple[str, list[Clip]]]:
    """For each stop clip of `split`: its speaker's stops from that one on, cycling, `tries` long."""
    by_speaker: dict[str, list[Clip]] = defaultdict(list)
    for clip in read_clips():
        if clip.split == split and clip.word == "stop":
            by_speaker[clip.speaker].append(clip)
    trials = []
    for _, stops in sorted(by_speaker.items()):
        for first in range(len(stops)):
            trials.append((stops[first].file, [stops[(first + k) % len(stops)] for k in range(tries)]))
    return trials


def word_trials(split: str) -> list[tuple[str, list[Clip]]]:
    """Each speaker of `split` saying every ordinary word of theirs (no command, no answer), in a row."""
    by_speaker: dict[str, list[Clip]] = defaultdict(list)
    for clip in read_clips():
        if clip.split == split and task_of(clip.word) == "distractor":
            by_speaker[clip.speaker].append(clip)
    return [(f"words/{speaker}", clips) for speaker, clips in sorted(by_speaker.items())]


def run_part(job: tuple[str, bool, list[tuple[str, list[Clip]]], list[Clip]]) -> list[dict[str, Any]]:
    condition, before, trials, babble_clips = job
    listener, _ = listener_for("ours")
    voices = [load(c) for c in babble_clips]
    rows = []
    for index, (trial_id, clips) in enumerate(trials):
        row = run_trial(listener, clips, condition, seed=13 + index, voices=voices, before=before)
        rows.append({"id": trial_id, "condition": condition, "before": before, "said": len(clips), **row})
    return rows


def summarise(rows: list[dict[str, Any]], words: bool) -> list[dict[str, Any]]:
    groups: dict[tuple[str, bool], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["condition"], r["before"])].append(r)
    table = []
    for (condition, before), rs in sorted(groups.items(), key=lambda kv: (ALL_CONDITIONS.index(kv[0][0]), kv[0][1])):
        line: dict[str, Any] = {
            "condition": condition,
            "player": "before" if before else "asks to end",
            "trials": len(rs),
        }
        if words:
            line["utterances"] = sum(r["said"] for r in rs)
            line["outcomes"] = dict(Counter(r["outcome"] for r in rs))
        else:
            for k in range(1, max(r["said"] for r in rs) + 1):
                line[f"ended within {k}"] = sum(r["outcome"].startswith("ended") and r["tries"] <= k for r in rs)
            line["not ended"] = dict(Counter(r["outcome"] for r in rs if not r["outcome"].startswith("ended")))
        table.append(line)
    return table


def print_table(table: list[dict[str, Any]], words: bool) -> None:
    if words:
        print("| room | player | speakers | words said | what the session was left in |")
        print("|---|---|---|---|---|")
        for t in table:
            left = ", ".join(f"{k} {v}" for k, v in sorted(t["outcomes"].items()))
            print(f"| {t['condition']} | {t['player']} | {t['trials']} | {t['utterances']} | {left} |")
        return
    tries = max((int(k.rsplit(" ", 1)[1]) for t in table for k in t if k.startswith("ended within")), default=0)
    columns = ["ended at the 1st", *(f"by the {ordinal(k)}" for k in range(2, tries + 1))]
    print(f"| room | player | stops | {' | '.join(columns)} | not ended (left in) |")
    print("|---|---|---|" + "---|" * len(columns) + "---|")
    for t in table:
        left = ", ".join(f"{k} {v}" for k, v in sorted(t["not ended"].items())) or "none"
        ended = " | ".join(str(t.get(f"ended within {k}", "-")) for k in range(1, tries + 1))
        print(f"| {t['condition']} | {t['player']} | {t['trials']} | {ended} | {left} |")


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@click.command()
@click.option("--split", type=click.Choice(["held-out", "tune"]), default="held-out", show_default=True)
@click.option("--conditions", default=",".join(CONDITIONS), show_default=True)
@click.option("--tries", type=int, default=3, show_default=True, help="How many times the person says stop.")
@click.option("--before", is_flag=True, help="Also run the player as it was: a doubted stop is a pause.")
@click.option("--words", is_flag=True, help="Ordinary words in a row instead of stops: ends nobody asked for.")
@click.option("--jobs", type=int, default=2, show_default=True)
@click.option("--limit", type=int, default=0, help="Only the first N trials (0: all).")
@click.option(
    "--out", type=click.Path(path_type=Path), default=ROOT / "results" / "stop-flow", show_default=True,
    help="Where the results go: OUT.jsonl (each trial) and OUT.json (the table).",
)  # fmt: skip
def main(split: str, conditions: str, tries: int, before: bool, words: bool, jobs: int, limit: int, out: Path) -> None:
    raw, summary = out.with_name(out.name + ".jsonl"), out.with_name(out.name + ".json")
    done = set()
    if raw.is_file():
        done = {(r["id"], r["condition"], r["before"]) for r in map(json.loads, raw.read_text().splitlines()) if r}
    trials = word_trials(split) if words else stop_trials(split, tries)
    trials = trials[:limit] if limit else trials
    babble = babble_voices(read_clips())
    jobs_list = []
    for condition in conditions.split(","):
        for as_before in [False, True] if before else [False]:
            todo = [t for t in trials if (t[0], condition, as_before) not in done]
            if todo:
                jobs_list.append((condition, as_before, todo, babble))
    with mp.get_context("spawn").Pool(max(1, jobs)) as pool, raw.open("a") as log:
        for rows in pool.imap_unordered(run_part, jobs_list):
            for row in rows:
                log.write(json.dumps({**row, "split": split}) + "\n")
            log.flush()
    rows = [r for r in map(json.loads, raw.read_text().splitlines()) if r and r["split"] == split]
    rows = [r for r in rows if r["id"].startswith("words/") == words]
    table = summarise(rows, words)
    print_table(table, words)
    summary.write_text(json.dumps({"machine": machine(), "split": split, "table": table}, indent=1) + "\n")


if __name__ == "__main__":
    main()
