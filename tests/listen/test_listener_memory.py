"""A whole session of talk through the listener keeps only its recent verdicts and rejections."""

from __future__ import annotations

import numpy as np

from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen.audio import CHUNK
from voice_rehab.listen.judge import Transcript
from voice_rehab.listen.listener import KEPT, CommandListener

from .scripted import HearsNoPhrase


class JudgeOfFour:
    name = "scripted"

    def hear(self, samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        return Transcript("Four.", 0.05, -0.2)


def test_an_hour_of_talk_keeps_only_the_recent_verdicts_and_rejections() -> None:
    listener = CommandListener(HearsNoPhrase(), phrases_for("en"), judge=JudgeOfFour())  # type: ignore[arg-type]
    rng = np.random.default_rng(0)
    loud, quiet = 10 ** (-20 / 20), 10 ** (-70 / 20)
    t = 0.0
    for _ in range(int(KEPT * 1.6)):  # one word every 0.8 s: far more than KEPT utterances
        for level, frames in ((loud, 15), (quiet, 25)):
            for _ in range(frames):
                t += CHUNK / 16000
                listener.feed((rng.standard_normal(CHUNK) * level).astype(np.float32), t)
    assert KEPT // 2 <= len(listener.verdicts) <= KEPT
    assert KEPT // 2 <= len(listener.rejections) <= KEPT
    record, verdict = listener.verdicts[-1]
    assert record.judge_words == "four" and verdict.kind == "none"  # the newest are the ones kept
