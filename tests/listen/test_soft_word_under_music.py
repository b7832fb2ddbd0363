"""A soft word under music, through the player's own front end, segmenter and speech detector:
the music's usual peaks hide it from the level alone; the detector finds it, and the listener
decides it. The music is built here (a music box: decaying harmonic notes, several at once), not
recorded: what is tested is that a word the level misses reaches the listener, not how often."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from benchmarks.real_people import LEVEL
from benchmarks.segmenting import utterances_of
from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen.audio import RATE, active_rms, noise_floor, speech_bounds
from voice_rehab.listen.engines import choose
from voice_rehab.listen.frontend import make_front_end
from voice_rehab.listen.segmenter import Segmenter, SegmenterSettings
from voice_rehab.listen.speech_detector import SpeechDetector
from voice_rehab.listen.stream import decide_stream
from voice_rehab.listen.voices import espeak

SAID_AT = 3.0  # seconds of music before the word


def music_box(seconds: float, seed: int) -> np.ndarray:
    """Unit-RMS notes of five harmonics, each decaying over 0.6 s, a new one every 0.1-0.3 s."""
    rng = np.random.default_rng(seed)
    length = int(seconds * RATE)
    out = np.zeros(length + RATE, np.float32)
    t = np.arange(int(0.6 * RATE)) / RATE
    at = 0
    while at < length:
        pitch = 110 * 2 ** (rng.integers(0, 36) / 12)
        note = sum(np.sin(2 * np.pi * pitch * k * t) / k for k in range(1, 6)) * np.exp(-t * rng.uniform(3, 8))
        out[at : at + len(t)] += note * rng.uniform(0.5, 1.0)
        at += int(rng.uniform(0.1, 0.3) * RATE)
    return out[:length] / np.float32(np.sqrt(np.mean(out[:length] ** 2)))


def soft_word_under_music(word: str) -> tuple[np.ndarray, tuple[float, float]]:
    """`word` said at half the usual speech level, with music 6 dB under the usual level around it;
    the audio and where the word is (seconds)."""
    said = espeak(word, "en-us")
    said = said * np.float32(0.5 * LEVEL / active_rms(said))
    length = int(6.0 * RATE)
    audio = music_box(6.0, seed=3) * np.float32(0.5 * LEVEL) + noise_floor(length, seed=3)
    at = int(SAID_AT * RATE)
    audio[at : at + len(said)] += said
    begin, end = speech_bounds(said)
    return audio.astype(np.float32), (SAID_AT + begin, SAID_AT + end)


def test_the_level_alone_misses_the_word_and_the_detector_finds_it() -> None:
    audio, (begin, end) = soft_word_under_music("stop")
    levels = Segmenter(replace(SegmenterSettings(), speech_start=None))
    assert utterances_of(levels, None, make_front_end(True), audio) == []
    found = utterances_of(Segmenter(), SpeechDetector(), make_front_end(True), audio)
    assert len(found) == 1 and begin - 0.1 <= found[0][0] <= end  # the word, and not the music


@pytest.mark.audio
def test_the_player_decides_a_soft_stop_under_music() -> None:
    choice = choose("auto", phrases_for("en"), enrolled=False)
    assert choice.listener is not None and choice.listener.speech_detector is not None, choice.reason
    audio, _ = soft_word_under_music("stop")
    decided = [d.value for d in decide_stream(choice.listener, audio) if d.kind == "command"]
    assert decided and decided[-1] == "stop", decided
