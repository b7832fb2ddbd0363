#!/usr/bin/env python3
"""The first command of a session: is it heard as well as the later ones?

Every command utterance (one rate, with carriers) is the first thing a fresh listener hears, after
3 s of room noise: as the player starts it (pocketsphinx's cepstral mean from speech's, `SPEECH_CMN`), as
pocketsphinx alone would start it (its own mean), and, for comparison, with a recogniser that has
already heard all the utterances before it (adapted to the voice, as later in a session).

\b
    .venv/bin/python scripts/bench_first_command.py [--jobs N] [--out results/first-command.json]

Prints a table and writes the JSON results the table came from.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import LANGUAGES, Item, add_noise, build_stream, command_utterances  # noqa: E402
from benchmarks.metrics import MATCH_AFTER, score  # noqa: E402
from benchmarks.report import machine  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.listen.audio import RATE  # noqa: E402
from voice_rehab.listen.engines import verifier_for  # noqa: E402
from voice_rehab.listen.frontend import WebRtcFrontEnd  # noqa: E402
from voice_rehab.listen.listener import CommandListener  # noqa: E402
from voice_rehab.listen.recognizers import SPEECH_CMN, PocketSphinxRecognizer  # noqa: E402
from voice_rehab.listen.stream import decide_stream  # noqa: E402

EN = phrases_for("en")
CONDITIONS = {"clean": None, "10 dB": 10.0}
METHODS = ("ours (first command)", "pocketsphinx's own start (first command)", "adapted (later commands)")
SPLITS = {"tune": LANGUAGES["en"].tune, "held-out": LANGUAGES["en"].held_out}


def run(split: str, condition: str, method: str) -> dict:
    parts = command_utterances(EN, SPLITS[split], split)
    adapted = PocketSphinxRecognizer() if method.startswith("adapted") else None  # hears them all
    verifier = verifier_for("en")[0]  # as the player has it; it keeps nothing from one utterance to the next
    items: list[Item] = []
    decisions: list[tuple[float, str]] = []
    offset = 0.0  # each utterance is its own stream; scored on one timeline, one after another
    for part in parts:
        stream, (item,) = build_stream("first", [part], split)
        mic = add_noise(stream, CONDITIONS[condition])
        recognizer = adapted or PocketSphinxRecognizer(cmn_start=SPEECH_CMN if method.startswith("ours") else None)
        listener = CommandListener(recognizer, EN, WebRtcFrontEnd(), None, verifier)
        decisions += [(offset + d.t, d.value) for d in decide_stream(listener, mic) if d.kind == "command"]
        items.append(replace(item, start=offset + item.start, word_end=offset + item.word_end))
        offset += len(mic) / RATE + 2 * MATCH_AFTER  # windows of neighbouring utterances never meet
    s = score(items, decisions, offset)
    return {
        "split": split,
        "condition": condition,
        "method": method,
        "commands": s.commands,
        "recall": s.recall,
        "hurts": s.per_command["hurts"][1],
        "hurts_halted": s.hurts_halted,
    }


def table(rows: list[dict]) -> str:
    lines = ['| split | condition | method | recall | "that hurts" halted |', "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| {r['split']} | {r['condition']} | {r['method']} | {r['recall']:.1%} | {r['hurts_halted']}/{r['hurts']} |"
        for r in rows
    ]
    return "\n".join(lines)


@click.command(help=__doc__.split("\n\n")[0])
@click.option("--jobs", type=int, default=2, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("results/first-command.json"), show_default=True)
def main(**options: Any) -> None:
    args = SimpleNamespace(**options)
    runs = [(s, c, m) for s in SPLITS for c in CONDITIONS for m in METHODS]
    with mp.get_context("fork").Pool(args.jobs) as pool:
        rows = pool.starmap(run, runs)
    print(table(rows))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine(), "speech_cmn": SPEECH_CMN, "results": rows}, indent=1) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
