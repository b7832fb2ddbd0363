"""A scripted fast stage for listener tests where only the judge decides."""

from __future__ import annotations

import numpy as np


class HearsNoPhrase:
    """A fast stage that makes no phrase of anything (the judge decides)."""

    name = "scripted"
    stable_partials = False

    def __init__(self) -> None:
        self.accepted = 0  # samples heard in the current utterance

    def set_phrases(self, phrases: list[str], before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> None:
        pass

    def begin(self, signal: str = "") -> None:
        self.accepted = 0

    def accept(self, samples: np.ndarray) -> None:
        self.accepted += len(samples)

    def partial(self) -> str:
        return ""

    def end(self) -> tuple[str, float | None]:
        return "", None

    def unknown_words(self, words: list[str]) -> list[str]:
        return []

    def second_opinion(self) -> None:
        return None
