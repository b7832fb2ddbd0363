"""The judge hears more of the room before an utterance than the fast stage does."""

from __future__ import annotations

import numpy as np

from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen.audio import CHUNK, RATE
from voice_rehab.listen.judge import Transcript
from voice_rehab.listen.listener import CommandListener, ListenerSettings

from .scripted import HearsNoPhrase


class JudgeThatKeeps:
    name = "scripted"

    def __init__(self) -> None:
        self.heard: list[np.ndarray] = []

    def hear(self, samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        self.heard.append(samples)
        return Transcript("Four.", 0.05, -0.2)


def test_the_judge_hears_the_room_before_the_utterance_beyond_the_fast_stage_s_preroll() -> None:
    fast, judge = HearsNoPhrase(), JudgeThatKeeps()
    settings = ListenerSettings()
    listener = CommandListener(fast, phrases_for("en"), judge=judge, settings=settings)  # type: ignore[arg-type]
    rng = np.random.default_rng(1)
    heard_by_fast = []
    t = 0.0
    for level_db, seconds in ((-70, 2.0), (-20, 0.4), (-70, 1.0)):
        for _ in range(int(seconds * RATE / CHUNK)):
            t += CHUNK / RATE
            listener.feed((rng.standard_normal(CHUNK) * 10 ** (level_db / 20)).astype(np.float32), t)
            if listener.hearing:
                heard_by_fast.append(fast.accepted)
    assert len(judge.heard) == 1
    judged = judge.heard[0]
    extra = settings.judge_lead_frames - settings.preroll_frames
    assert len(judged) == max(heard_by_fast) + extra * CHUNK  # the fast stage's audio, and more room before it
    # 0.6 s of it is the room, not the voice (the last 2 frames before the start are loud: they start it)
    lead = judged[: int(0.6 * RATE) - 2 * CHUNK]
    assert 20 * np.log10(np.sqrt(np.mean(lead**2))) < -60
