"""The judge with the CPU time of each utterance it hears recorded, for the benchmarks."""

from __future__ import annotations

import time

import numpy as np

from voice_rehab.listen.judge import Judge, Transcript


class TimedJudge:
    """Hears as `judge` does; keeps each call's CPU time and what it heard."""

    def __init__(self, judge: Judge) -> None:
        self.judge = judge
        self.name = judge.name
        self.cpu: list[float] = []
        self.heard: list[Transcript] = []

    def hear(self, samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        start = time.process_time()
        heard = self.judge.hear(samples, prompt, scored)
        self.cpu.append(time.process_time() - start)
        self.heard.append(heard)
        return heard
