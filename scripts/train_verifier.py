#!/usr/bin/env python3
"""Train the command verifier's head (voice_rehab/listen/verifier-LANGUAGE.npz).

\b
    .venv/bin/python scripts/train_verifier.py [--language en] [--out FILE] [--jobs N]
                                               [--voices N] [--rates 1.0] [--limit N]

Synthesises the training utterances (benchmarks/verifier_training.py: the tuning voices
and more variants of their accents, the commands, and words and sentences that are no command,
none of them in the benchmark), cuts each as the listener would, twice in a quiet room and once
in pink noise, and fits the head on their speech-embedding summaries (scikit-learn: `pip install
-e ".[train]"`). English: about 15 minutes on 2 cores, Korean 3; --voices/--rates/--limit make
a small run (the tests use one).
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import RATES  # noqa: E402
from benchmarks.verifier_training import (  # noqa: E402
    CUTS,
    Utterance,
    fit_head,
    texts_digest,
    training_summaries,
    training_utterances,
    training_voices,
)
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.listen.embedding import SpeechEmbedding, model_dir  # noqa: E402
from voice_rehab.listen.verifier import head_path  # noqa: E402

_embedding: SpeechEmbedding | None = None


def _features(job: tuple[Utterance, int]) -> list[np.ndarray]:
    global _embedding
    if _embedding is None:  # one per worker process
        _embedding = SpeechEmbedding()
    return training_summaries(_embedding, *job)


def _embedding_digest() -> str:
    """Which embedding the head was trained on top of (a head fits only its own)."""
    digest = hashlib.sha256()
    for name in ("melspectrogram.onnx", "embedding_model.onnx"):
        digest.update((model_dir() / name).read_bytes())
    return digest.hexdigest()[:16]


@click.command(help=__doc__)
@click.option("--language", default="en", show_default=True)
@click.option("--out", type=click.Path(path_type=Path))
@click.option("--jobs", type=int, default=mp.cpu_count(), show_default=True)
@click.option("--voices", type=int, help="only the first N training voices")
@click.option("--rates", help="speaking rates, comma-separated (default: 0.8,1.0,1.25)")
@click.option("--limit", type=int, help="only every k-th utterance, so that about N remain")
def main(**options: Any) -> None:
    args = SimpleNamespace(**options)
    phrases = phrases_for(args.language)
    voices = training_voices(args.language)[: args.voices or None]
    rates = tuple(float(r) for r in args.rates.split(",")) if args.rates else RATES
    utterances = list(training_utterances(phrases, voices, rates))
    if args.limit and len(utterances) > args.limit:
        utterances = utterances[:: len(utterances) // args.limit + 1]
    print(f"{len(utterances)} utterances in {len(voices)} voices, each heard {len(CUTS)} ways", flush=True)
    with mp.get_context("fork").Pool(args.jobs) as pool:
        per_utterance = pool.map(_features, [(u, i) for i, u in enumerate(utterances)], chunksize=16)
    features = np.array([f for fs in per_utterance for f in fs])
    labels = [u.label for u in utterances for _ in CUTS]
    counts = Counter(u.label for u in utterances)
    info = {
        "language": args.language,
        "voices": [f"{e}:{n}" for e, n in voices],
        "rates": list(rates),
        "utterances": dict(sorted(counts.items())),
        "cuts": list(CUTS),
        "embedding": _embedding_digest(),
        "texts": texts_digest(utterances),
    }
    head = fit_head(features, labels, info)
    out = args.out or head_path(args.language)
    head.save(out)
    right: Counter[tuple[str, bool]] = Counter()
    for f, label in zip(features, labels):
        posteriors = head.posteriors(f)
        right[label, max(posteriors, key=posteriors.__getitem__) == label] += 1
    print("class      heard as itself (training data)")
    for label in head.classes:
        print(f"{label:10} {right[label, True]}/{right[label, True] + right[label, False]}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
