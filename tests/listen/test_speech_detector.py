"""The speech detector: Silero VAD's probabilities, streamed frame by frame, on real synthesised
speech and on noise."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen import speech_detector
from voice_rehab.listen.audio import CHUNK as FRAME
from voice_rehab.listen.audio import RATE, active_rms, pink_noise
from voice_rehab.listen.engines import choose
from voice_rehab.listen.speech_detector import CHUNK, MODEL, NoSpeechDetector, SpeechDetector
from voice_rehab.listen.voices import espeak

LEVEL = 0.05  # the speech level the benchmarks use (about -26 dBFS)


def probabilities(detector: SpeechDetector, audio: np.ndarray, step: int) -> list[float]:
    return [detector.push(audio[at : at + step]) for at in range(0, len(audio), step)]


def test_speech_is_speech_and_noise_is_not() -> None:
    word = espeak("stop", "en-us")
    word = word * np.float32(LEVEL / active_rms(word))
    pause = np.zeros(RATE // 2, np.float32)
    detector = SpeechDetector()
    assert max(probabilities(detector, np.concatenate([pause, word, pause]), FRAME)) >= 0.5
    detector.reset()
    assert max(probabilities(detector, pink_noise(2 * RATE, seed=4) * np.float32(LEVEL), FRAME)) < 0.2


def test_frames_of_any_length_hear_the_same_chunks() -> None:
    """The listener's 20 ms frames are buffered into Silero's 32 ms chunks: the result is the same
    as hearing whole chunks."""
    word = espeak("pause", "en-us")
    audio = np.concatenate([word, np.zeros(RATE // 4, np.float32)])
    audio = audio[: len(audio) // (5 * CHUNK) * (5 * CHUNK)]  # a whole number of chunks and of frames
    detector = SpeechDetector()
    by_chunk = probabilities(detector, audio, CHUNK)
    detector.reset()
    by_frame = probabilities(detector, audio, FRAME)
    assert by_frame[-1] == pytest.approx(by_chunk[-1], abs=1e-6)
    assert max(by_frame) == pytest.approx(max(by_chunk), abs=1e-6)


def test_reset_forgets_what_was_heard() -> None:
    word = espeak("next", "en-us")
    detector = SpeechDetector()
    first = probabilities(detector, word, CHUNK)
    detector.reset()
    assert detector.probability == 0.0
    assert probabilities(detector, word, CHUNK) == pytest.approx(first)


def test_the_model_is_the_one_faster_whisper_ships() -> None:
    spec = importlib.util.find_spec("faster_whisper")
    assert spec is not None and spec.submodule_search_locations, "faster-whisper is a test dependency"
    shipped = Path(next(iter(spec.submodule_search_locations))) / "assets" / MODEL.name
    assert hashlib.sha256(MODEL.read_bytes()).hexdigest() == hashlib.sha256(shipped.read_bytes()).hexdigest()


def test_a_missing_model_says_which_file(tmp_path: Path) -> None:
    missing = tmp_path / "silero_vad_v6.onnx"
    with pytest.raises(NoSpeechDetector, match="silero_vad_v6.onnx"):
        SpeechDetector(missing)


def test_the_player_listens_with_the_detector_and_says_when_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choice = choose("pocketsphinx", phrases_for("en"), enrolled=False)
    assert choice.listener is not None and isinstance(choice.listener.speech_detector, SpeechDetector)
    assert "speech detector" not in choice.reason
    monkeypatch.setattr(speech_detector, "MODEL", tmp_path / "silero_vad_v6.onnx")  # a broken install
    choice = choose("pocketsphinx", phrases_for("en"), enrolled=False)
    assert choice.listener is not None and choice.listener.speech_detector is None
    assert "no speech detector (the speech detector's model" in choice.reason
    assert "soft words under music may go unheard" in choice.reason
