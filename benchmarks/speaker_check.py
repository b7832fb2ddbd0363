"""Scoring a speaker check: each speaker enrols on some of their clips and is tested on the rest,
against every other speaker's clips (`scripts/bench_speaker_check.py`)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from benchmarks.real_people import Clip

MIN_CLIPS = 6  # a speaker with fewer clips is not tested
MAX_ENROLLED = 8  # at most this many enrolled: about what `voice-rehab enroll` records


def verification(
    vectors: np.ndarray, clips: list[Clip], scale: tuple[np.ndarray, np.ndarray]
) -> dict[str, float | int]:
    """Equal error rate, and how many others pass where 99 % / 95 % of the person's own clips do."""
    units = (vectors - scale[0]) / scale[1]
    units /= np.linalg.norm(units, axis=1, keepdims=True)
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for index, clip in enumerate(clips):
        by_speaker[clip.speaker].append(index)
    own: list[float] = []
    others: list[float] = []
    for speaker, indices in by_speaker.items():
        if len(indices) < MIN_CLIPS:
            continue
        enrolled = min(len(indices) // 2, MAX_ENROLLED)
        centre = units[indices[:enrolled]].mean(axis=0)
        centre /= np.linalg.norm(centre)
        own += [float(units[i] @ centre) for i in indices[enrolled:]]
        others += [float(units[i] @ centre) for i, c in enumerate(clips) if c.speaker != speaker]
    mine, theirs = np.array(own), np.array(others)
    thresholds = np.sort(np.concatenate([mine, theirs]))
    missed = np.array([(mine < t).mean() for t in thresholds])
    passed = np.array([(theirs >= t).mean() for t in thresholds])
    at = int(np.argmin(np.abs(missed - passed)))
    return {
        "speakers": sum(len(v) >= MIN_CLIPS for v in by_speaker.values()),
        "own_trials": len(mine),
        "eer": round(float(missed[at] + passed[at]) / 2, 3),
        "others_pass_at_99": round(float((theirs >= np.quantile(mine, 0.01)).mean()), 3),
        "others_pass_at_95": round(float((theirs >= np.quantile(mine, 0.05)).mean()), 3),
    }
