"""The judge on real audio: its words, how sure it is, and its next guesses."""

from __future__ import annotations

import numpy as np
import pytest

from voice_rehab.listen.judge import WhisperJudge
from voice_rehab.listen.voices import espeak


@pytest.mark.audio
def test_the_judge_writes_a_command_and_gives_its_next_guesses_below_it() -> None:
    judge = WhisperJudge()
    heard = judge.hear(np.concatenate([np.zeros(8000, np.float32), espeak("stop", "en-us")]), "pause, stop, next.")
    assert heard.text.lower().strip(".!") == "stop"
    assert heard.no_speech < 0.5
    assert len(heard.others) == judge.beam_size - 1  # the rest of its beam
    assert all(score <= heard.logprob + 0.05 for _, score in heard.others)


@pytest.mark.audio
def test_the_judge_also_writes_what_it_hears_when_not_told_the_phrases() -> None:
    judge = WhisperJudge()
    house = np.concatenate([np.zeros(8000, np.float32), espeak("house", "en-us")])
    told = judge.hear(house, "pause, stop, next.")
    assert told.plain is not None and "house" in told.plain.lower()
    # with no prompt there is nothing to hear again: its words are already the plain ones
    untold = judge.hear(house, "")
    assert untold.plain is None and "house" in untold.text.lower()


@pytest.mark.audio
def test_the_judge_says_how_likely_it_finds_a_phrase_when_not_told_the_phrases() -> None:
    judge = WhisperJudge()
    silence = np.zeros(8000, np.float32)
    stop = judge.hear(np.concatenate([silence, espeak("stop", "en-us")]), "pause, stop, next.", ("Stop.", "House."))
    house = judge.hear(np.concatenate([silence, espeak("house", "en-us")]), "pause, stop, next.", ("Stop.", "House."))
    said_stop, said_house = dict(stop.plain_scores), dict(house.plain_scores)
    assert [phrase for phrase, _ in stop.plain_scores] == ["Stop.", "House."]  # in the order asked
    assert all(score <= 0 for score in [*said_stop.values(), *said_house.values()])  # log-probabilities
    # each phrase is far likelier where it was said
    assert said_stop["Stop."] > said_house["Stop."] + 1.0
    assert said_house["House."] > said_stop["House."] + 1.0
    # nothing asked, nothing scored
    assert judge.hear(np.concatenate([silence, espeak("stop", "en-us")]), "").plain_scores == ()
