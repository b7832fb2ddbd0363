"""The real-people benchmark's pieces, with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.real_people import (
    DATA,
    LEVEL,
    Clip,
    babble,
    babble_voices,
    expected_of,
    final_decision,
    in_condition,
    load,
    read_clips,
    split_of,
    task_of,
)
from voice_rehab.listen.audio import RATE, active_rms


def test_the_split_is_by_speaker_and_holds_out_about_two_in_five() -> None:
    clips = read_clips(DATA)
    by_speaker: dict[str, set[str]] = {}
    for clip in clips:
        by_speaker.setdefault(clip.speaker, set()).add(clip.split)
    assert all(len(splits) == 1 for splits in by_speaker.values())  # never both
    held_out = sum("held-out" in s for s in by_speaker.values()) / len(by_speaker)
    assert 0.3 < held_out < 0.5
    assert split_of("abc") == split_of("abc")


@pytest.mark.parametrize(
    "word, task, expected",
    [("stop", "stop", "stop"), ("yes", "yes_no", "yes"), ("seven", "severity", "7"), ("dog", "distractor", None),
     ("up", "distractor", None)],
)  # fmt: skip
def test_what_each_word_measures(word: str, task: str, expected: str | None) -> None:
    assert task_of(word) == task
    assert expected_of(Clip("x.wav", word, "s")) == expected


def test_a_halt_and_its_release_are_no_decision() -> None:
    assert final_decision(["halt", "release"]) is None
    assert final_decision(["halt", "stop"]) == "stop"
    assert final_decision([]) is None


def test_babble_is_made_of_no_command_and_no_answer() -> None:
    talkers = babble_voices(read_clips(DATA))
    assert talkers and all(task_of(c.word) == "distractor" and c.word not in ("up", "go", "off") for c in talkers)
    assert all(c.split == "tune" for c in talkers)


def test_babble_never_repeats_itself_as_a_looped_clip_would() -> None:
    voices = [load(c) for c in babble_voices(read_clips(DATA))[:20]]
    noise = babble(4 * RATE, voices, seed=5)
    assert np.sqrt(np.mean(noise**2)) == pytest.approx(1.0, rel=1e-3)
    for lag in (RATE // 2, RATE, 2 * RATE):  # a one-second clip tiled repeats at each of these
        assert abs(np.corrcoef(noise[:-lag], noise[lag:])[0, 1]) < 0.1


def test_a_clip_in_a_condition_keeps_its_speech_level_and_gains_the_room_around_it() -> None:
    rng = np.random.default_rng(0)
    speech = (rng.standard_normal(RATE) * 0.2).astype(np.float32)
    quiet = in_condition(speech, "quiet", seed=1)
    assert len(quiet) == 2 * RATE and active_rms(quiet) == pytest.approx(LEVEL, rel=0.1)
    noisy = in_condition(speech, "pink 10 dB", seed=1)
    assert len(noisy) == 6 * RATE  # the noisy room goes on for 2.5 s before the clip, and after
    noise = noisy[2 * RATE : 4 * RATE] - quiet
    assert 20 * np.log10(LEVEL / np.sqrt(np.mean(noise**2))) == pytest.approx(10.0, abs=0.5)


def test_a_silent_clip_stays_silent_at_the_speech_level() -> None:
    # a clip of digital silence has no speech to bring to the level: it stays zeros, never NaN
    assert active_rms(np.zeros(RATE, np.float32)) == 0.0
    quiet = in_condition(np.zeros(RATE, np.float32), "quiet", seed=1)
    assert np.isfinite(quiet).all() and np.sqrt(np.mean(quiet**2)) < 0.01


@pytest.mark.audio
def test_a_reverberant_room_smears_the_speech_into_what_follows() -> None:
    click = np.zeros(RATE // 10, np.float32)
    click[0] = 1.0
    heard = in_condition(click, "reverb", seed=3)
    tail = heard[RATE // 2 + RATE // 10 : RATE // 2 + RATE // 5]
    assert np.sqrt(np.mean(tail**2)) > 1e-3  # the room rings on after the sound ended
