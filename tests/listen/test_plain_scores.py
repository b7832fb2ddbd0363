"""The listener asks the judge how likely "Stop." and "Ouch." are without the prompt, and decides on it."""

from __future__ import annotations

import numpy as np

from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen.audio import CHUNK, RATE
from voice_rehab.listen.judge import Transcript
from voice_rehab.listen.listener import CommandListener

from .scripted import HearsNoPhrase


class JudgeOfOuch:
    """Writes "I'll" (as Whisper did for a real "ouch"), and finds "Ouch." likely without the prompt."""

    name = "scripted"

    def __init__(self, ouch: float) -> None:
        self.ouch = ouch
        self.asked: list[tuple[str, ...]] = []

    def hear(self, samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        self.asked.append(scored)
        scores = {"Stop.": -4.0, "Ouch.": self.ouch}
        return Transcript("I'll.", 0.05, -0.4, (), "I'll.", tuple((p, scores[p]) for p in scored))


def _one_utterance(listener: CommandListener) -> list[str]:
    rng = np.random.default_rng(2)
    decided, t = [], 0.0
    for level_db, seconds in ((-70, 1.0), (-20, 0.4), (-70, 1.5)):
        for _ in range(int(seconds * RATE / CHUNK)):
            t += CHUNK / RATE
            chunk = (rng.standard_normal(CHUNK) * 10 ** (level_db / 20)).astype(np.float32)
            decided += [d.value for d in listener.feed(chunk, t)]
    return decided


def test_an_ouch_the_judge_wrote_as_other_words_asks_whether_it_hurts() -> None:
    judge = JudgeOfOuch(ouch=-1.4)
    listener = CommandListener(HearsNoPhrase(), phrases_for("en"), judge=judge)  # type: ignore[arg-type]
    assert _one_utterance(listener) == ["maybe hurts"]
    assert judge.asked == [("Stop.", "Ouch.")]
    record, verdict = listener.verdicts[-1]
    assert (record.plain_stop, record.plain_pain) == (-4.0, -1.4)
    assert verdict.rule == "pain the judge hears without the prompt"


def test_words_where_ouch_is_unlikely_decide_nothing() -> None:
    listener = CommandListener(HearsNoPhrase(), phrases_for("en"), judge=JudgeOfOuch(ouch=-4.5))  # type: ignore[arg-type]
    assert _one_utterance(listener) == []


def test_an_answer_is_not_scored() -> None:
    judge = JudgeOfOuch(ouch=-1.4)
    listener = CommandListener(HearsNoPhrase(), phrases_for("en"), judge=judge)  # type: ignore[arg-type]
    listener.expect("yes_no")
    _one_utterance(listener)
    assert judge.asked == [()]
    assert listener.verdicts[-1][0].plain_pain is None
