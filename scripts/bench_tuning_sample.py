#!/usr/bin/env python3
"""A quick A/B of a listener change on the tuning side only: a fixed sample (every "stop", 300
other words and 60 yes/no answers of the tuning speakers; the tuning voices' commands and pain
phrases) through the listener of this tree, in babble, pink noise and quiet. The clips and the
rooms' seeds are the same every run, so two trees' outputs differ only by the change.

\b
    .venv/bin/python scripts/bench_tuning_sample.py run OUT.jsonl [--conditions "babble 10 dB,quiet"]
    .venv/bin/python scripts/bench_tuning_sample.py table A.jsonl B.jsonl [--talking]

About 25 minutes for the three rooms on one core. `table` decides every saved hearing again with
the rules of this tree (as `rescore_real_people.py` does), so a rule can be compared on one run.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_people import print_table, real_items, run_part, summarise, unseen_items  # noqa: E402
from rescore_real_people import redecided  # noqa: E402

from benchmarks.real_people import babble_voices, read_clips  # noqa: E402
from voice_rehab.listen.policy import Thresholds  # noqa: E402

ROOMS = ("babble 10 dB", "pink 10 dB", "quiet")
PIECE = 40  # clips per listener, as the benchmark runs them (the rooms' seeds depend on it)


def sample(condition: str) -> list[dict]:
    """The fixed sample of `condition`: the same items in the same order every run."""
    items = real_items("tune", 0)
    stops = [i for i in items if i["task"] == "stop"]
    words = [i for i in items if i["task"] == "distractor"]
    random.Random(3).shuffle(words)
    answers = [i for i in items if i["task"] == "yes_no"]
    random.Random(4).shuffle(answers)
    voices = [i for i in unseen_items(tuning=True) if i["task"] in ("command", "pain")]
    return {
        "babble 10 dB": stops + words[:300] + answers[:60] + voices,
        "pink 10 dB": stops + words[:300] + answers[:60],
        "quiet": stops + words[:150] + voices,
    }[condition]


@click.group()
def main() -> None:
    pass


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--conditions", default=",".join(ROOMS), show_default=True)
@click.option("--method", default="ours", show_default=True, help="the listener (bench_real_people's methods)")
def run(out: Path, conditions: str, method: str) -> None:
    """Hear the sample with this tree's listener; rows go to OUT as each piece finishes."""
    talkers = babble_voices(read_clips())
    with out.open("a", encoding="utf-8") as written:
        for condition in conditions.split(","):
            chosen = sample(condition)
            for k in range(0, len(chosen), PIECE):
                rows = run_part((method, condition, chosen[k : k + PIECE], talkers))
                written.writelines(json.dumps(r) + "\n" for r in rows)
                written.flush()
                print(f"# {condition}: {k + len(rows)} of {len(chosen)}", file=sys.stderr, flush=True)


@main.command()
@click.argument("runs", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--talking", is_flag=True, help="decide as if the room had been talking (the talking-room rule applies)")
def table(runs: tuple[Path, ...], talking: bool) -> None:
    """The table of each run, decided again by this tree's rules."""
    talk_before = Thresholds().talking_room if talking else None
    for path in runs:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        print(f"\n{path}:")
        print_table(summarise([redecided(r, talk_before) if "utterances" in r else r for r in rows]))


if __name__ == "__main__":
    main()
