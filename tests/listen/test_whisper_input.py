"""The judge's features and tokens are exactly what faster-whisper, the reference, makes of them."""

from __future__ import annotations

import numpy as np
import pytest
import tokenizers
from faster_whisper.audio import pad_or_trim
from faster_whisper.feature_extractor import FeatureExtractor
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_suppressed_tokens

from voice_rehab.listen.judge import whisper_model_dir
from voice_rehab.listen.whisper_input import WINDOW_FRAMES, Tokens, log_mel, mel_filters


@pytest.mark.parametrize("seconds", [0.05, 0.77, 1.0, 4.0, 30.0])
def test_the_features_are_the_references_for_any_length_up_to_the_window(seconds: float) -> None:
    rng = np.random.default_rng(int(seconds * 100))
    audio = (rng.standard_normal(int(seconds * 16000)) * 0.1).astype(np.float32)
    audio[: len(audio) // 3] *= 0.01  # quiet then loud: the clip to 8 decades below the peak matters
    reference = pad_or_trim(FeatureExtractor()(audio))
    ours = log_mel(audio)
    assert ours.shape == (80, WINDOW_FRAMES) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, reference, atol=1e-5)


def test_the_mel_filters_are_the_references() -> None:
    np.testing.assert_allclose(mel_filters(), FeatureExtractor().mel_filters, atol=1e-7)


def test_the_tokens_are_the_references() -> None:
    hf = tokenizers.Tokenizer.from_file(str(whisper_model_dir() / "tokenizer.json"))
    ours, reference = Tokens(hf), Tokenizer(hf, False, task="transcribe", language="en")
    assert ours.suppressed() == list(get_suppressed_tokens(reference, [-1]))
    prompt = "that hurts, pause, stop."
    expected = [reference.sot_prev, *reference.encode(" " + prompt), *reference.sot_sequence, reference.no_timestamps]
    assert ours.start(prompt) == expected
    assert ours.start("") == [*reference.sot_sequence, reference.no_timestamps]
    ids = reference.encode(" Ouch, my back!")
    assert ours.decode([*ids, ours.eot]) == reference.decode(ids) == " Ouch, my back!"


def test_a_multilingual_model_is_told_english_and_to_transcribe() -> None:
    hf = tokenizers.Tokenizer.from_file(str(whisper_model_dir() / "tokenizer.json"))
    ours, reference = Tokens(hf, "en"), Tokenizer(hf, True, task="transcribe", language="en")
    prompt = "stop, pause."
    expected = [reference.sot_prev, *reference.encode(" " + prompt), *reference.sot_sequence, reference.no_timestamps]
    assert ours.start(prompt) == expected
