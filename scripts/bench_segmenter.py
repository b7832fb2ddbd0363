#!/usr/bin/env python3
"""Where the listener finds speech: does an utterance start on each real person's word, in each
room, and how often does one start on the room alone? The front end and the segmenter only (no
recogniser, no judge), so every room of both splits is heard in minutes.

\b
    .venv/bin/python scripts/bench_segmenter.py [--split held-out|tune] [--conditions ...] [--jobs 2] [--limit N]

The clips are heard in the order, with the seeds and the room carried from clip to clip (40 to a
listener), of `bench_real_people.py`, so a clip found here is a clip that reached the listener there. Each
setting (`levels`: the segmenter on levels alone; `detector`: with the speech detector) is
printed as a table and written to results/segmenter.json, with each clip's utterances
(results/segmenter.jsonl) so two settings can be compared clip by clip. Credit: Speech Commands
v0.02, Pete Warden, Google (CC-BY-4.0).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_people import _known_conditions, audio_of, counting_items, real_items  # noqa: E402

from benchmarks.real_people import ALL_CONDITIONS, NOISE_LEAD, NOISY, babble_voices, load, read_clips  # noqa: E402
from benchmarks.report import machine, pct  # noqa: E402
from benchmarks.segmenting import utterances_of  # noqa: E402
from voice_rehab.listen.audio import speech_bounds  # noqa: E402
from voice_rehab.listen.frontend import make_front_end  # noqa: E402
from voice_rehab.listen.segmenter import Segmenter, SegmenterSettings  # noqa: E402
from voice_rehab.listen.speech_detector import SpeechDetector  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "results" / "segmenter.jsonl"
SUMMARY = ROOT / "results" / "segmenter.json"
SETTINGS = {"levels": replace(SegmenterSettings(), speech_start=None), "detector": SegmenterSettings()}
PIECE = 40  # clips one listener hears in a row, as bench_real_people.py hears them
SPOKEN = ("stop", "yes_no", "severity")  # what the person must be heard saying


def run_room(job: tuple[str, str, list[dict]]) -> list[dict]:
    from benchmarks.real_people import in_condition

    setting, condition, items = job
    voices = [load(c) for c in babble_voices(read_clips())]
    front = make_front_end(True)
    segmenter = Segmenter(SETTINGS[setting])
    detector = SpeechDetector() if SETTINGS[setting].speech_start is not None else None
    rows = []
    for index, item in enumerate(items):
        said = audio_of(item)
        heard = in_condition(said, condition, seed=index + 7 * len(item["id"]), talkers=voices)
        lead = NOISE_LEAD if condition in NOISY else 0.5
        begin, end = speech_bounds(said)
        spans = utterances_of(segmenter, detector, front, heard)
        word = (lead + begin, lead + end)
        rows.append(
            {"setting": setting, "condition": condition, "id": item["id"], "split": item["split"],
             "task": item["task"], "word": [round(word[0], 2), round(word[1], 2)], "utterances": spans,
             "found": any(s < word[1] and e > word[0] for s, e in spans),
             "room_only": sum(1 for s, e in spans if e <= lead + begin - 0.1 or s >= lead + end + 0.3)}
        )  # fmt: skip
        if condition in NOISY:  # as the benchmark: the room falls silent between clips
            segmenter.end_utterance()
    return rows


def summarise(rows: list[dict]) -> list[dict]:
    table = []
    keys = sorted(
        {(r["split"], r["condition"], r["setting"]) for r in rows},
        key=lambda k: (k[0], ALL_CONDITIONS.index(k[1]), k[2]),
    )
    for split, condition, setting in keys:
        mine = [r for r in rows if (r["split"], r["condition"], r["setting"]) == (split, condition, setting)]
        spoken = [r for r in mine if r["task"] in SPOKEN]
        others = [r for r in mine if r["task"] not in SPOKEN]
        table.append(
            {"split": split, "condition": condition, "setting": setting,
             "answers and stops found": [sum(r["found"] for r in spoken), len(spoken)],
             "other words found": [sum(r["found"] for r in others), len(others)],
             "utterances on the room alone": sum(r["room_only"] for r in mine), "clips": len(mine)}
        )  # fmt: skip
    return table


def print_table(table: list[dict]) -> None:
    print("| split | room | segmenter | answers and stops found | other words found | utterances on the room alone |")
    print("|---|---|---|---|---|---|")
    for row in table:
        spoken, other = row["answers and stops found"], row["other words found"]
        print(
            f"| {row['split']} | {row['condition']} | {row['setting']} | {pct(spoken)} | {pct(other)} "
            f"| {row['utterances on the room alone']} (in {row['clips']} clips) |"
        )


@click.command(help=__doc__.splitlines()[0])
@click.option("--split", type=click.Choice(["held-out", "tune"]), default="tune", show_default=True)
@click.option(
    "--conditions",
    default=",".join(ALL_CONDITIONS),
    show_default=True,
    callback=lambda ctx, param, value: _known_conditions(value),
)
@click.option("--settings", default=",".join(SETTINGS), show_default=True)
@click.option("--jobs", type=int, default=2, show_default=True)
@click.option("--limit", type=int, default=0, show_default=True, help="at most N clips per word (a quick look)")
@click.option("--report-only", is_flag=True)
@click.option("--raw", type=click.Path(dir_okay=False, path_type=Path), default=RAW, show_default=True)
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), default=SUMMARY, show_default=True)
def main(**options: Any) -> None:
    if not options["report_only"]:
        jobs = [
            (setting, condition, items[k : k + PIECE])
            for items in (
                real_items(options["split"], options["limit"]),
                counting_items(options["split"], options["limit"]),
            )
            for setting in options["settings"].split(",")
            for condition in options["conditions"].split(",")
            for k in range(0, len(items), PIECE)
        ]
        with mp.get_context("spawn").Pool(options["jobs"]) as pool:
            for rows in pool.imap_unordered(run_room, jobs):
                with options["raw"].open("a", encoding="utf-8") as out:
                    out.writelines(json.dumps(r) + "\n" for r in rows)
                print(f"# {rows[0]['setting']} {rows[0]['condition']}: {len(rows)} clips", file=sys.stderr, flush=True)
    rows = [json.loads(line) for line in options["raw"].read_text().splitlines() if line.strip()]
    table = summarise(rows)
    print_table(table)
    options["summary"].write_text(json.dumps({"machine": machine(), "rows": table}, indent=1) + "\n")


if __name__ == "__main__":
    main()
