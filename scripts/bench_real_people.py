#!/usr/bin/env python3
"""Real people and unseen voices: how the listener hears Speech Commands speakers (stop, yes/no,
digits as answers, and ordinary words that must not act) and synthesisers it never learnt
(festival, Piper: every command, pain said in free words, chatter), quiet, in noise and in a
reverberant room; `--conditions` also takes a fan, music, a kitchen, a street and a soft or loud
voice (benchmarks/room_noise.py; music needs `apt-get install asc-music`).

\b
    .venv/bin/python scripts/bench_real_people.py [--split held-out|tune|all] [--jobs 2]
        [--methods ours,fast-stage] [--conditions quiet,reverb] [--limit N] [--corpus real,unseen,counting]

Each clip's decisions go to results/real-people.jsonl as they are made (a rerun skips what is
there, so an interrupted run continues); the table is printed and written to
results/real-people.json. Credit: Speech Commands v0.02, Pete Warden, Google (CC-BY-4.0).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import time
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.real_people import (  # noqa: E402
    ALL_CONDITIONS,
    CONDITIONS,
    NOISY,
    Clip,
    babble_voices,
    expected_of,
    final_decision,
    in_condition,
    listens_for,
    load,
    read_clips,
    task_of,
)
from benchmarks.report import machine, pct  # noqa: E402
from benchmarks.timed_judge import TimedJudge  # noqa: E402
from benchmarks.unseen_voices import (  # noqa: E402
    COMMANDS,
    NOT_COMMANDS,
    PAIN_SAID,
    UnseenVoice,
    say,
    tuning_voices,
    voices,
)
from benchmarks.whisper_base import whisper_base_dir  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.listen.engines import judge_for, speech_detector_for, verifier_for  # noqa: E402
from voice_rehab.listen.frontend import make_front_end  # noqa: E402
from voice_rehab.listen.judge import WhisperJudge  # noqa: E402
from voice_rehab.listen.listener import CommandListener, ListenerSettings  # noqa: E402
from voice_rehab.listen.policy import HALT, LEAVES_STOPPED  # noqa: E402
from voice_rehab.listen.recognizers import PocketSphinxRecognizer  # noqa: E402
from voice_rehab.listen.stream import decide_stream  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "results" / "real-people.jsonl"
SUMMARY = ROOT / "results" / "real-people.json"
METHODS = ("ours", "fast-stage")  # also "ours-noprompt", "ours-beam1", "ours-base" (Whisper base): judges compared
STOPPED = LEAVES_STOPPED  # decisions that leave the player stopped
HALTING = LEAVES_STOPPED | {HALT}  # any of these stops speech and timers
EN = phrases_for("en")


def listener_for(method: str) -> tuple[CommandListener, TimedJudge | None]:
    judge = None
    settings = ListenerSettings(judge_prompt=method != "ours-noprompt")
    if method == "ours-base":
        judge = TimedJudge(WhisperJudge(whisper_base_dir(), threads=1, name="whisper-base"))
    elif method.startswith("ours"):
        found, why = judge_for("en")
        if found is None:
            sys.exit(f"no judge: {why}")
        if method == "ours-beam1":
            found.beam_size = 1  # type: ignore[attr-defined]
        judge = TimedJudge(found)
    verifier = verifier_for("en")[0]
    detector = speech_detector_for()[0]
    listener = CommandListener(
        PocketSphinxRecognizer(), EN, make_front_end(True), settings, verifier, judge, speech_detector=detector
    )
    return listener, judge


def real_items(split: str, limit: int) -> list[dict]:
    """Speech Commands clips of `split` ("all": both), at most `limit` per word (0: all)."""
    per_word: dict[str, int] = defaultdict(int)
    items = []
    for clip in read_clips():
        if split not in ("all", clip.split):
            continue
        per_word[clip.word] += 1
        if limit and per_word[clip.word] > limit:
            continue
        task = task_of(clip.word) or "distractor"
        items.append(
            {"id": clip.file, "text": clip.word, "speaker": clip.speaker, "split": clip.split, "task": task,
             "expected": expected_of(clip), "listen": listens_for(task)}
        )  # fmt: skip
    return items


COUNTING = "counting/"  # before a clip's file in the id of its item as counting aloud


def counting_items(split: str, limit: int) -> list[dict]:
    """The digits of `split` said while the player listens for commands: a person counting their
    reps aloud, where nothing may act."""
    return [
        {**item, "id": COUNTING + item["id"], "task": "counting", "expected": None, "listen": "commands"}
        for item in real_items(split, limit)
        if item["task"] == "severity"
    ]


def unseen_items(tuning: bool = False) -> list[dict]:
    """Every phrase in every unseen voice: never trained or tuned on, so all of it is held out.
    `tuning`: the same phrases in the tuning synthetic voices instead (where rules may be chosen)."""
    said: list[tuple[str | None, str, str]] = [(c, p, "command") for c, ps in COMMANDS.items() for p in ps]
    said += [("hurts", p, "pain") for p in PAIN_SAID] + [(None, p, "distractor") for p in NOT_COMMANDS]
    split = "tune voices" if tuning else "unseen voices"
    return [
        {"id": f"{v.label}/{text}", "text": text, "speaker": v.label, "split": split, "task": task,
         "expected": command, "listen": "commands"}
        for v in (tuning_voices() if tuning else voices()) for command, text, task in said
    ]  # fmt: skip


def audio_of(item: dict) -> np.ndarray:
    if item["split"] in ("unseen voices", "tune voices"):
        engine, rest = item["speaker"].split(":", 1)
        name, speed = rest.split("@")
        return say(UnseenVoice(engine, name, float(speed)), item["text"])
    return load(Clip(item["id"].removeprefix(COUNTING), item["text"], item["speaker"]))


def run_part(job: tuple[str, str, list[dict], list[Clip]]) -> list[dict]:
    method, condition, items, babble_clips = job
    listener, judge = listener_for(method)
    voices = [load(c) for c in babble_clips]
    rows = []
    for index, item in enumerate(items):
        heard = in_condition(audio_of(item), condition, seed=index + 7 * len(item["id"]), talkers=voices)
        listener.expect(item["listen"])
        before = len(judge.cpu) if judge else 0
        verdicts_before = len(listener.verdicts)
        start = time.process_time()
        # a noisy room goes on: what it holds open is not decided by the end of the audio
        decisions = decide_stream(listener, heard, ending=condition not in NOISY)
        cpu = time.process_time() - start
        rows.append(
            {
                "method": method,
                "condition": condition,
                **item,
                "decisions": [[d.kind, d.value, d.t, d.heard] for d in decisions],
                "cpu_s": round(cpu, 4),
                "audio_s": round(len(heard) / 16000, 3),
                "judge_cpu_s": [round(c, 4) for c in judge.cpu[before:]] if judge else [],
                "utterances": [asdict(u) for u, _ in listener.verdicts[verdicts_before:]],
                "judged": [
                    [
                        h.text,
                        round(h.no_speech, 3),
                        round(h.logprob, 3),
                        [[o, round(s, 3)] for o, s in h.others],
                        h.plain,
                    ]
                    for h in judge.heard[before:]
                ]
                if judge
                else [],
            }
        )
        if condition in NOISY:  # the room falls silent between clips; what was open is not the next clip's
            listener.flush(len(heard) / 16000)
    return rows


def done_keys(raw: Path) -> set[tuple[str, str, str]]:
    if not raw.is_file():
        return set()
    rows = [json.loads(line) for line in raw.read_text().splitlines() if line.strip()]
    return {(r["method"], r["condition"], r["id"]) for r in rows}


def summarise(rows: list[dict]) -> list[dict]:
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["split"], r["method"], r["condition"])].append(r)
    table = []
    for (split, method, condition), rs in sorted(groups.items()):
        line: dict = {"split": split, "method": method, "condition": condition}
        for task in ("stop", "yes_no", "severity", "command", "pain"):
            mine = [r for r in rs if r["task"] == task]
            line[task] = [sum(final_decision(d[1] for d in r["decisions"]) == r["expected"] for r in mine), len(mine)]
        safety = [r for r in rs if r["expected"] in ("stop", "hurts")]
        right = sum(final_decision(d[1] for d in r["decisions"]) == r["expected"] for r in safety)
        line["stop_hurts"] = [right, len(safety)]
        halts = [r for r in rs if r["expected"] in ("stop", "hurts", "pause")]
        halted = sum(any(d[1] in HALTING for d in r["decisions"]) for r in halts)
        line["safety_halted"] = [halted, len(halts)]
        # what the person is left with: the player stopped (a stop, a pause, the pain questions, or
        # "Does something hurt?"), not a halt that was released and carried on
        kept = sum(final_decision(d[1] for d in r["decisions"]) in STOPPED for r in halts)
        line["safety_kept"] = [kept, len(halts)]
        distractors = [r for r in rs if r["task"] == "distractor"]
        acted = [r for r in distractors if final_decision(d[1] for d in r["decisions"]) is not None]
        line["distractor_acted"] = [len(acted), len(distractors)]
        line["distractor_halted"] = [
            sum(any(d[1] == "halt" for d in r["decisions"]) for r in distractors),
            len(distractors),
        ]
        counting = [r for r in rs if r["task"] == "counting"]
        if counting:  # a person counting reps aloud: real digits said while commands are listened for
            line["counting_acted"] = [
                sum(final_decision(d[1] for d in r["decisions"]) is not None for r in counting),
                len(counting),
            ]
            line["counting_halted"] = [
                sum(any(d[1] == "halt" for d in r["decisions"]) for r in counting),
                len(counting),
            ]
        kinds: dict[str, int] = defaultdict(int)
        for r in acted:
            kinds[f"{r['text']}->{final_decision(d[1] for d in r['decisions'])}"] += 1
        line["acted_as"] = dict(sorted(kinds.items(), key=lambda kv: -kv[1])[:12])
        judge = [c for r in rs for c in r["judge_cpu_s"]]
        line["judge_cpu_median_s"] = round(float(np.median(judge)), 3) if judge else None
        line["judge_cpu_p90_s"] = round(float(np.percentile(judge, 90)), 3) if judge else None
        line["rtf"] = round(sum(r["cpu_s"] for r in rs) / sum(r["audio_s"] for r in rs), 3)
        table.append(line)
    return table


def print_table(table: list[dict]) -> None:
    print(
        "| voices | listener | condition | stop / that hurts decided | halted at once | left stopped | all commands |"
        " pain in free words | yes/no | digits | non-commands acting | non-commands halting | judge CPU med/p90 s | RTF |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for t in table:
        cpu = f"{t['judge_cpu_median_s']} / {t['judge_cpu_p90_s']}" if t["judge_cpu_median_s"] is not None else "-"
        print(
            f"| {t['split']} | {t['method']} | {t['condition']} | {pct(t['stop_hurts'])} | {pct(t['safety_halted'])} | "
            f"{pct(t.get('safety_kept'))} | {pct(t['command'])} | {pct(t['pain'])} | {pct(t['yes_no'])} | {pct(t['severity'])} | "
            f"{pct(t['distractor_acted'])} | {pct(t['distractor_halted'])} | {cpu} | {t['rtf']} |"
        )
    counted = [t for t in table if "counting_acted" in t]
    if counted:
        print("\n| voices | listener | condition | counting aloud: digits acting | digits halting |")
        print("|---|---|---|---|---|")
        for t in counted:
            print(
                f"| {t['split']} | {t['method']} | {t['condition']} | {pct(t['counting_acted'])} | "
                f"{pct(t['counting_halted'])} |"
            )


def _known_conditions(value: str) -> str:
    unknown = [c for c in value.split(",") if c not in ALL_CONDITIONS]
    if unknown:
        raise click.BadParameter(f"no room called {', '.join(unknown)}: choose from {', '.join(ALL_CONDITIONS)}")
    return value


@click.command(help=__doc__.splitlines()[0])
@click.option("--split", type=click.Choice(["held-out", "tune", "all"]), default="held-out", show_default=True)
@click.option("--methods", default=",".join(METHODS), show_default=True)
@click.option(
    "--conditions",
    default=",".join(CONDITIONS),
    show_default=True,
    help=f"any of {', '.join(ALL_CONDITIONS)}",
    callback=lambda ctx, param, value: _known_conditions(value),
)
@click.option("--jobs", type=int, default=2, show_default=True)
@click.option("--limit", type=int, default=0, show_default=True, help="at most N clips per word (a quick look)")
@click.option(
    "--corpus",
    default="real,unseen",
    show_default=True,
    help="real (Speech Commands), unseen (synthesisers), tune-voices, counting (real digits said among commands)",
)
@click.option("--report-only", is_flag=True)
@click.option("--raw", type=click.Path(dir_okay=False, path_type=Path), default=RAW, show_default=True)
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), default=SUMMARY, show_default=True)
def main(**options: Any) -> None:
    args = SimpleNamespace(**options)
    clips = read_clips()
    babble_clips = babble_voices(clips)
    if not args.report_only:
        chosen = real_items(args.split, args.limit) if "real" in args.corpus else []
        chosen += unseen_items() if "unseen" in args.corpus else []
        chosen += unseen_items(tuning=True) if "tune-voices" in args.corpus else []
        chosen += counting_items(args.split, args.limit) if "counting" in args.corpus else []
        done = done_keys(args.raw)
        jobs = []
        for method in args.methods.split(","):
            for condition in args.conditions.split(","):
                todo = [c for c in chosen if (method, condition, c["id"]) not in done]
                for k in range(0, len(todo), 40):  # pieces that save as they finish
                    jobs.append((method, condition, todo[k : k + 40], babble_clips))
        args.raw.parent.mkdir(exist_ok=True)
        with mp.get_context("spawn").Pool(args.jobs) as pool:
            for rows in pool.imap_unordered(run_part, jobs):
                with args.raw.open("a", encoding="utf-8") as out:
                    out.writelines(json.dumps(r) + "\n" for r in rows)
                print(f"# {rows[0]['method']} {rows[0]['condition']}: {len(rows)} clips", file=sys.stderr, flush=True)
    rows = [json.loads(line) for line in args.raw.read_text().splitlines() if line.strip()]
    table = summarise(rows)
    print_table(table)
    args.summary.write_text(json.dumps({"machine": machine(), "rows": table}, indent=1) + "\n")


if __name__ == "__main__":
    main()
