#!/usr/bin/env python3
"""Decide again, with the listener's rules as they are now, every utterance the real-people
benchmark saved, and print its table: a change to `voice_rehab/listen/policy.py` is measured in
seconds, on exactly the same hearings, without hearing the audio again.

\b
    .venv/bin/python scripts/rescore_real_people.py [--split tune|held-out|unseen voices|all] [--write]

The rules are pure (an utterance record in, a verdict out), and what the judge's saved words mean
is worked out again (`understand.py`, the phrase tables), so this is exact for everything decided
after the judge has written its words; the fast stage's halts are kept as they were heard. Rules are chosen on the tuning
speakers (`--split tune`) and only then read on the held-out ones.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_people import RAW, SUMMARY, print_table, summarise  # noqa: E402

from benchmarks.report import machine  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.listen.grammar import grammar_for  # noqa: E402
from voice_rehab.listen.policy import RELEASE, Utterance, decide  # noqa: E402
from voice_rehab.listen.understand import judged_fields, understand  # noqa: E402

EN = phrases_for("en")


# What a record says of the judge's next guesses and its words without the prompt: where the run
# saved only the records (no `judged`), what they said stands.
FROM_GUESSES = ("plain_safety", "plain_meaning", "stop_written", "halt_guesses", "command_guesses")


def heard_again(u: dict, judged: list | None = None) -> Utterance:
    """The saved utterance, with what the listener now makes of the judge's saved words (and of its
    next guesses and its words without the prompt, where the run saved them in `judged`: [text,
    no_speech, logprob, guesses, plain])."""
    grammar = grammar_for(EN, u["expecting"])
    words = u["judge_words"]
    others = [(text, score) for text, score in judged[3]] if judged and len(judged) > 3 else []
    plain = judged[4] if judged and len(judged) > 4 else None
    heard_plain = None if plain is None else understand(plain, grammar, EN)
    fields = judged_fields(understand(words, grammar, EN), words, EN, u["logprob"], others, heard_plain, grammar)
    if judged is None:
        fields = {k: v for k, v in fields.items() if k not in FROM_GUESSES}
    saved = {k: tuple(v) if isinstance(v, list) else v for k, v in u.items()}  # JSON made the tuples lists
    return Utterance(**{**saved, **fields})


def redecided(row: dict, talk_before: int | None = None) -> dict:
    """The row with its decisions made again by today's rules (the halts as they were);
    `talk_before`: as if that many utterances of other words had come in the last minute (what a
    rule for a talking room would cost where people talk)."""
    halts = [d for d in row["decisions"] if d[1] == "halt"]
    judged = row.get("judged", [])
    paired = judged if len(judged) == len(row["utterances"]) else [None] * len(row["utterances"])
    records = [heard_again(u, j) for u, j in zip(row["utterances"], paired)]
    if talk_before is not None:
        records = [replace(r, talk_before=talk_before) for r in records]
    verdicts = [decide(r) for r in records]
    acted = [[v.kind, v.value, None, ""] for v in verdicts if v.kind != "none" and v.value != RELEASE]
    return {**row, "decisions": halts + acted}


@click.command()
@click.option(
    "--split",
    default="tune",
    type=click.Choice(["tune", "tune voices", "held-out", "unseen voices", "all"]),
    show_default=True,
)
@click.option("--method", default="ours", show_default=True)
@click.option("--write", is_flag=True, help="Also write every split's table to results/real-people.json.")
def main(split: str, method: str, write: bool) -> None:
    rows = [json.loads(line) for line in RAW.read_text().splitlines() if line.strip()]
    mine = [r for r in rows if r["method"] == method and split in ("all", r["split"]) and "utterances" in r]
    print_table(summarise([redecided(r) for r in mine]))
    if write:  # the published table: every method, the judge's rows decided by today's rules
        table = summarise([redecided(r) if "utterances" in r and r["method"] == method else r for r in rows])
        SUMMARY.write_text(
            json.dumps({"machine": machine(), "rules": "as of this commit", "rows": table}, indent=1) + "\n"
        )
        print(f"\nwrote {SUMMARY}:")
        print_table(table)


if __name__ == "__main__":
    main()
