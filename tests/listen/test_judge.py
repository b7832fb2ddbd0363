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
