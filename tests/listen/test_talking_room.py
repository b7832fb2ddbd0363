"""In a room where people talk, a "pause" the judge writes only when told the phrases is let go."""

from __future__ import annotations

import numpy as np

from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen.audio import CHUNK, RATE
from voice_rehab.listen.judge import Transcript
from voice_rehab.listen.listener import CommandListener, Decision, ListenerSettings

from .scripted import HearsNoPhrase


class JudgeOfARoom:
    """Writes each utterance as scripted: (told the phrases, not told)."""

    name = "scripted"

    def __init__(self, script: list[tuple[str, str]]) -> None:
        self.script = list(script)

    def hear(self, samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        told, plain = self.script.pop(0)
        return Transcript(told, 0.05, -0.2, (), plain)


def _words(listener: CommandListener, count: int, quiet_before_last: float = 1.2) -> list[Decision]:
    """`count` utterances of 0.4 s with 1.2 s of quiet after each (`quiet_before_last` before the
    last), fed in real-time steps."""
    rng = np.random.default_rng(2)
    decided: list[Decision] = []
    t = 0.0
    steps = (
        [(-70.0, 2.0)]
        + [(-20.0, 0.4), (-70.0, 1.2)] * (count - 1)
        + [(-70.0, quiet_before_last), (-20.0, 0.4), (-70.0, 1.2)]
    )
    for level_db, seconds in steps:
        for _ in range(int(seconds * RATE / CHUNK)):
            t += CHUNK / RATE
            decided += listener.feed((rng.standard_normal(CHUNK) * 10 ** (level_db / 20)).astype(np.float32), t)
    return decided


def _listener(script: list[tuple[str, str]]) -> CommandListener:
    judge = JudgeOfARoom(script)
    return CommandListener(HearsNoPhrase(), phrases_for("en"), judge=judge, settings=ListenerSettings())  # type: ignore[arg-type]


def test_after_a_minute_of_other_words_a_pause_the_prompt_put_there_is_let_go() -> None:
    talk = [("House.", "House.")] * 12
    decided = _words(_listener([*talk, ("Pause.", "House."), ("Pause.", "Pause.")]), 14)
    # the first "Pause." is what the judge writes for "house" when told the phrases; the second
    # it also writes when not told: that one is a pause
    assert [d.value for d in decided] == ["pause"]


def test_a_pause_the_prompt_put_there_acts_in_a_quiet_room() -> None:
    decided = _words(_listener([("House.", "House."), ("Pause.", "House.")]), 2)
    assert [d.value for d in decided] == ["pause"]


def test_a_minute_after_the_talk_ended_the_room_is_quiet_again() -> None:
    talk = [("House.", "House.")] * 12
    decided = _words(_listener([*talk, ("Pause.", "House.")]), 13, quiet_before_last=61.0)
    assert [d.value for d in decided] == ["pause"]
