#!/usr/bin/env python3
"""What enrolment earns: speakers of Speech Commands with several clips of "stop" enrol on two of
them (and two of their other words as talk), and are heard on the rest, with and without their
profile, quiet, in babble and in a reverberant room.

\b
    .venv/bin/python scripts/bench_enrolment.py [--jobs 2]

Prints a table and writes results/enrolment.json. Credit: Speech Commands v0.02, Pete Warden,
Google (CC-BY-4.0).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.real_people import Clip, babble_voices, final_decision, in_condition, load, read_clips  # noqa: E402
from benchmarks.report import machine  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.listen.engines import judge_for, verifier_for  # noqa: E402
from voice_rehab.listen.enrolment import TALK, VoiceProfile, save_take  # noqa: E402
from voice_rehab.listen.frontend import make_front_end  # noqa: E402
from voice_rehab.listen.listener import CommandListener, ListenerSettings  # noqa: E402
from voice_rehab.listen.recognizers import PocketSphinxRecognizer  # noqa: E402
from voice_rehab.listen.stream import decide_stream  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "results" / "enrolment.json"
CONDITIONS = ("quiet", "babble 10 dB", "reverb")
ENROL_STOPS = 2
ENROL_TALK = 2
OTHERS_TESTED = 15  # of each speaker's other words, after those enrolled (keeps the run short)


def speakers() -> dict[str, list[Clip]]:
    by: dict[str, list[Clip]] = defaultdict(list)
    for clip in read_clips():
        by[clip.speaker].append(clip)
    return {s: cs for s, cs in by.items() if sum(c.word == "stop" for c in cs) > ENROL_STOPS}


def run_speaker(job: tuple[str, list[Clip], list[Clip]]) -> list[dict]:
    speaker, clips, babble_clips = job
    stops = [c for c in clips if c.word == "stop"]
    others = [c for c in clips if c.word != "stop"]
    verifier = verifier_for("en")[0]
    judge = judge_for("en")[0]
    assert verifier is not None and judge is not None
    babble = [load(c) for c in babble_clips]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        takes: list = []
        for index, clip in enumerate(stops[:ENROL_STOPS] + others[:ENROL_TALK]):
            command = "stop" if clip.word == "stop" else TALK
            takes = save_take(Path(folder), takes, clip.word, command, in_condition(load(clip), "quiet", seed=index))
        profile = VoiceProfile.from_takes(Path(folder), takes, verifier.standardised)
        tests = stops[ENROL_STOPS:] + others[ENROL_TALK : ENROL_TALK + OTHERS_TESTED]
        for enrolled in (False, True):
            for condition in CONDITIONS:
                listener = CommandListener(
                    PocketSphinxRecognizer(),
                    phrases_for("en"),
                    make_front_end(True),
                    ListenerSettings(),
                    verifier,
                    judge,
                    profile if enrolled else None,
                )
                for index, clip in enumerate(tests):
                    heard = in_condition(load(clip), condition, seed=1000 + index, talkers=babble)
                    decided = final_decision(d.value for d in decide_stream(listener, heard))
                    rows.append(
                        {"speaker": speaker, "enrolled": enrolled, "condition": condition, "word": clip.word,
                         "decided": decided}
                    )  # fmt: skip
    return rows


@click.command(help=__doc__.splitlines()[0])
@click.option("--jobs", type=int, default=2, show_default=True)
def main(**options: Any) -> None:
    args = SimpleNamespace(**options)
    clips = read_clips()
    babble = babble_voices(clips)
    chosen = speakers()
    jobs = [(s, cs, [b for b in babble if b.speaker != s]) for s, cs in sorted(chosen.items())]
    rows: list[dict] = []
    with mp.get_context("spawn").Pool(args.jobs) as pool:
        for part in pool.imap_unordered(run_speaker, jobs):
            rows += part
            print(f"# {part[0]['speaker']}: {len(part)} decisions", file=sys.stderr, flush=True)
    table = []
    print(f"{len(chosen)} speakers, {ENROL_STOPS} 'stop' and {ENROL_TALK} other words enrolled each")
    print("| condition | enrolled | stop heard | other words acting |")
    print("|---|---|---|---|")
    for condition in CONDITIONS:
        for enrolled in (False, True):
            mine = [r for r in rows if r["condition"] == condition and r["enrolled"] is enrolled]
            stops = [r for r in mine if r["word"] == "stop"]
            others = [r for r in mine if r["word"] != "stop"]
            heard = sum(r["decided"] == "stop" for r in stops)
            acted = sum(r["decided"] is not None for r in others)
            table.append({"condition": condition, "enrolled": enrolled, "stop": [heard, len(stops)],
                          "others_acting": [acted, len(others)]})  # fmt: skip
            print(f"| {condition} | {'yes' if enrolled else 'no'} | {heard}/{len(stops)} | {acted}/{len(others)} |")
    OUT.write_text(json.dumps({"machine": machine(), "speakers": len(chosen), "rows": table, "raw": rows}) + "\n")


if __name__ == "__main__":
    main()
