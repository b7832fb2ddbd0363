#!/usr/bin/env python3
"""The command verifier's head on voices it never learnt: kinds of head, and more training voices.

\b
    .venv/bin/python scripts/bench_verifier.py [--heads lr0.05,mlp256/0.1,lr0.05+mlp256/0.1]
                                               [--more-voices] [--jobs N] [--out FILE] [--limit N]

The tuning voices are split in two (every other one); a head is trained on everything
`scripts/train_verifier.py` trains on except one half's voices, and judges that half's utterances
of the benchmark's texts (the commands, the player's cues, chatter, look-alike words), each cut as
the listener cuts it, in quiet and at 10 and 5 dB; the counts of both halves are summed. No
held-out voice is used, so a head can be chosen here and still be reported on the held-out ones.
Each synthesiser's voices are also counted apart: a head judging a flite voice learnt flite from
only the other half's two flite voices, as a real person's voice is unlike every voice learnt.
What counts is `benchmarks/verifier_check.py`. Heads: `lrC` logistic regression (the
shipped kind, `C` its regularisation), `mlpH/A` a network of H hidden units and L2 penalty A,
`a+b` the mean of two heads' posteriors. `--more-voices` adds 24 espeak-ng variants of the
tuning accents to the training voices. About 15 minutes on 2 cores (25 with --more-voices).
Prints a table and writes the JSON results it came from; the heads not run keep their rows there.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import LANGUAGES, RATES, Voice, player_cues, utterances  # noqa: E402
from benchmarks.report import machine  # noqa: E402
from benchmarks.verifier_check import ALONE, FLOORS, HeadTally, alone_row, floors_row, table_row  # noqa: E402
from benchmarks.verifier_training import (  # noqa: E402
    CUTS,
    Utterance,
    at_level,
    fit_head,
    heard_summary,
    training_summaries,
    training_utterances,
    training_voices,
)
from voice_rehab.authoring.catalog import shipped_routines_dir  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.listen.embedding import SpeechEmbedding  # noqa: E402

EN = phrases_for("en")
CONDITIONS = {"clean": None, "10 dB": 10.0, "5 dB": 5.0}
KINDS = ("look-alike", "cue", "chatter")
ENGINES = ("espeak", "flite")
# espeak-ng variants none of the held-out voices uses (they use m2, m4, f2, f4), spread over the
# tuning voices' accents
MORE_VARIANTS = (
    "Alex",
    "Alicia",
    "Andy",
    "Annie",
    "aunty",
    "belinda",
    "benjamin",
    "caleb",
    "david",
    "ed",
    "Gene",
    "Jacky",
    "john",
    "Lee",
    "linda",
    "max",
    "Michael",
    "paul",
    "rob",
    "steph",
    "zac",
    "grandpa",
    "grandma",
    "klatt3",
)
ACCENTS = ("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp")
MORE_VOICES: list[Voice] = [("espeak", f"{ACCENTS[i % len(ACCENTS)]}+{v}") for i, v in enumerate(MORE_VARIANTS)]

Posteriors = Callable[[np.ndarray], dict[str, float]]
_embedding: SpeechEmbedding | None = None


def _embedder() -> SpeechEmbedding:
    global _embedding
    if _embedding is None:  # one per worker process
        _embedding = SpeechEmbedding()
    return _embedding


def _training(job: tuple[Utterance, int]) -> list[np.ndarray]:
    return training_summaries(_embedder(), *job)


def _heard(job: tuple[int, tuple[str, str, str | None, Voice, float]]) -> list[np.ndarray]:
    """One benchmark utterance cut as the listener cuts it, in each condition."""
    seed, (_, text, _, voice, rate) = job
    speech = at_level(voice, text, rate)
    rng = np.random.default_rng(seed)
    return [heard_summary(_embedder(), speech, rng, snr) for snr in CONDITIONS.values()]


def _mlp(features: np.ndarray, labels: np.ndarray, hidden: int, alpha: float) -> Posteriors:
    from sklearn.neural_network import MLPClassifier

    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale == 0] = 1.0
    counts = Counter(labels.tolist())
    weight = np.array([1.0 / counts[label] for label in labels])
    # every class alike, as the linear head's class weights do: resampled, since the network takes no weights
    pick = np.random.default_rng(0).choice(len(labels), size=len(labels), p=weight / weight.sum())
    model = MLPClassifier(
        hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=300, early_stopping=True, random_state=0
    ).fit(((features - mean) / scale)[pick], labels[pick])
    return lambda f: dict(zip(model.classes_, model.predict_proba(((f - mean) / scale)[None])[0].tolist()))


def fit(kind: str, features: np.ndarray, labels: np.ndarray) -> Posteriors:
    if "+" in kind:
        heads = [fit(k, features, labels) for k in kind.split("+")]

        def mean_of(f: np.ndarray) -> dict[str, float]:
            each = [head(f) for head in heads]
            return {c: sum(p[c] for p in each) / len(each) for c in each[0]}

        return mean_of
    if kind.startswith("lr"):
        return fit_head(features, labels.tolist(), {}, c=float(kind[2:])).posteriors
    if kind.startswith("mlp"):
        hidden, alpha = kind[3:].split("/")
        return _mlp(features, labels, int(hidden), float(alpha))
    raise SystemExit(f"unknown head kind '{kind}' (lrC, mlpH/A, a+b)")


def _per_threshold(
    title: str, columns: list[str], row_of: Callable[[str, dict, tuple[str, ...]], str], rows: list[dict]
) -> None:
    """A table of every head, condition and voices by threshold."""
    print(f"\n{title}\n")
    print("| head, condition, voices | " + " | ".join(columns) + " |")
    print("|" + " --- |" * (1 + len(columns)))
    for row in rows:
        print(row_of(f"{row['head']}, {row['condition']}, {row['voices']}", row, KINDS))


@click.command(help=__doc__)
@click.option("--heads", default="lr0.05,lr0.02,mlp256/0.1,lr0.05+mlp256/0.1", show_default=True)
@click.option("--more-voices", is_flag=True)
@click.option("--jobs", type=int, default=mp.cpu_count(), show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("results/verifier-voices.json"), show_default=True)
@click.option("--limit", type=int, help="only every k-th utterance of each set, so that about N remain")
def main(**options: Any) -> None:
    args = SimpleNamespace(**options)
    voices = training_voices("en") + (MORE_VOICES if args.more_voices else [])
    train = list(training_utterances(EN, voices, RATES))
    tune = LANGUAGES["en"].tune
    cues = player_cues(sorted(shipped_routines_dir().glob("*.yaml")), EN)
    judged_items = list(utterances(EN, tune, "tune", cues))
    if args.limit:
        train = train[:: len(train) // args.limit + 1]
        judged_items = judged_items[:: len(judged_items) // args.limit + 1]
    print(
        f"training: {len(train)} utterances in {len(voices)} voices; judged: {len(judged_items)} "
        f"utterances of the {len(tune)} tuning voices",
        flush=True,
    )
    with mp.get_context("fork").Pool(args.jobs) as pool:
        per_utterance = pool.map(_training, [(u, i) for i, u in enumerate(train)], chunksize=16)
        heard = pool.map(_heard, list(enumerate(judged_items)), chunksize=8)
    features = np.array([f for fs in per_utterance for f in fs])
    labels = np.array([u.label for u in train for _ in CUTS])
    trained_voice = np.array([f"{u.voice[0]}:{u.voice[1]}" for u in train for _ in CUTS])
    halves = [tune[0::2], tune[1::2]]
    rows = []
    for kind in args.heads.split(","):
        # per condition: all judged voices, and each synthesiser's (a voice unlike the others learnt)
        tallies = {(condition, who): HeadTally() for condition in CONDITIONS for who in ("all", *ENGINES)}
        for half in halves:
            names = [f"{e}:{n}" for e, n in half]
            posteriors = fit(kind, features[~np.isin(trained_voice, names)], labels[~np.isin(trained_voice, names)])
            for (item_kind, _, command, voice, _), summaries in zip(judged_items, heard):
                if voice in half:
                    for condition, f in zip(CONDITIONS, summaries):
                        judged_as = posteriors(f)
                        for who in ("all", voice[0]):
                            tallies[condition, who].add(item_kind, command, judged_as)
        rows += [
            {"head": kind, "condition": condition, "voices": who, **tally.counts}
            for (condition, who), tally in tallies.items()
        ]
    name = "more voices" if args.more_voices else "training voices"
    print(
        f"\n| head ({name}) | condition | voices | halts acting | halts as themselves | other commands acting | "
        + " | ".join(f"{k}: as halt + as other / said" for k in KINDS)
        + " |"
    )
    print("|" + " --- |" * (6 + len(KINDS)))
    for row in rows:
        print(table_row(row["head"], f"{row['condition']} | {row['voices']}", row, KINDS))
    _per_threshold(
        f'"that hurts" heard by the grammar, judged by the head: dropped / said; distractors heard '
        f"as it that would halt / said, if dropped below each floor ({name})",
        [f"below {f}" for f in FLOORS],
        floors_row,
        rows,
    )
    _per_threshold(
        f"Decided by the head alone, at each threshold: commands other than the safety ones as "
        f"themselves / said; distractors as one of them / said ({name})",
        [f"at {a}" for a in ALONE],
        alone_row,
        rows,
    )
    previous = json.loads(args.out.read_text()) if args.out.is_file() else {"runs": []}
    # the heads not run now keep their rows from the last run on the same voices
    same: dict[str, Any] = next((r for r in previous["runs"] if r["more_voices"] == args.more_voices), {"rows": []})
    kept = [row for row in same["rows"] if row["head"] not in args.heads.split(",")]
    today = date.today().isoformat()
    run = {
        "training_voices": [f"{e}:{n}" for e, n in voices],
        "more_voices": args.more_voices,
        "machine": machine(),
        "rows": [{**row, "date": today} for row in rows] + kept,
    }
    runs = [r for r in previous["runs"] if r["more_voices"] != args.more_voices] + [run]
    args.out.write_text(json.dumps({"runs": runs}, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
