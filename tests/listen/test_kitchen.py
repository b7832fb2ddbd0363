"""The player's own listener (fast stage and judge) in a kitchen: dishes clattering over a running
tap, 10 dB under the speech. Told "yes" and "no", the judge writes them, or "Okay.", for a knock,
while it says there was most likely no speech: no answer may come of that."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.real_people import LEVEL
from benchmarks.room_noise import kitchen
from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen.audio import RATE, active_rms, noise_floor
from voice_rehab.listen.engines import choose
from voice_rehab.listen.listener import CommandListener
from voice_rehab.listen.stream import decide_stream
from voice_rehab.listen.voices import espeak

pytestmark = pytest.mark.audio


@pytest.fixture
def listener() -> CommandListener:
    """A new one each time: what it learnt of one room must not decide another."""
    choice = choose("auto", phrases_for("en"), enrolled=False)
    assert choice.listener is not None and choice.listener.judge is not None, choice.reason
    return choice.listener


def _kitchen(seconds: float, seed: int) -> np.ndarray:
    length = int(seconds * RATE)
    return (kitchen(length, seed) * LEVEL / 10 ** (10 / 20) + noise_floor(length, seed=seed)).astype(np.float32)


@pytest.mark.parametrize("expecting", ["yes_no", "severity"])
def test_what_the_judge_wrote_for_a_knock_it_heard_as_no_speech_answers_nothing(
    listener: CommandListener, expecting: str
) -> None:
    listener.expect(expecting)
    decide_stream(listener, _kitchen(10.0, seed=0))
    doubted = [(record, verdict) for record, verdict in listener.verdicts if record.no_speech >= 0.6]
    assert len(doubted) >= 3, listener.verdicts  # knocks, judged, and heard as no speech
    assert all(verdict.kind == "none" for _, verdict in doubted), doubted
    assert any(record.judge_words for record, _ in doubted)  # words the prompt put there


def test_a_yes_said_in_the_kitchen_is_the_answer(listener: CommandListener) -> None:
    yes = espeak("yes", "en-us")
    room = _kitchen(6.0, seed=2)
    room[3 * RATE : 3 * RATE + len(yes)] += yes * LEVEL / active_rms(yes)
    listener.expect("yes_no")
    answers = [(d.value, d.t) for d in decide_stream(listener, room) if d.kind == "answer"]
    assert [value for value, _ in answers] == ["yes"] and 3.0 < answers[0][1] < 4.5, answers
