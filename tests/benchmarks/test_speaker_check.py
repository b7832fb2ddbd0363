"""The speaker check's scoring, on embeddings whose answer is known."""

from __future__ import annotations

import numpy as np

from benchmarks.real_people import Clip
from benchmarks.speaker_check import verification


def _speakers(spread: float) -> tuple[np.ndarray, list[Clip]]:
    """Six speakers of eight clips, each around their own direction, `spread` apart within."""
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((6, 16)) * 3
    vectors = np.concatenate([c + spread * rng.standard_normal((8, 16)) for c in centres])
    clips = [Clip(f"{s}-{k}.wav", "word", f"speaker{s}") for s in range(6) for k in range(8)]
    return vectors, clips


def test_voices_far_apart_are_told_apart() -> None:
    vectors, clips = _speakers(spread=0.1)
    scored = verification(vectors, clips, (np.zeros(16), np.ones(16)))
    assert scored["speakers"] == 6 and scored["own_trials"] == 6 * 4  # half of each enrolled
    assert scored["eer"] == 0.0 and scored["others_pass_at_99"] == 0.0


def test_voices_that_are_all_alike_are_not() -> None:
    vectors, clips = _speakers(spread=100.0)
    scored = verification(vectors, clips, (np.zeros(16), np.ones(16)))
    assert scored["eer"] > 0.3 and scored["others_pass_at_95"] > 0.5


def test_a_speaker_with_too_few_clips_is_not_tested() -> None:
    vectors, clips = _speakers(spread=0.1)
    scored = verification(vectors[:45], clips[:45], (np.zeros(16), np.ones(16)))
    assert scored["speakers"] == 5  # the last speaker kept only five clips
