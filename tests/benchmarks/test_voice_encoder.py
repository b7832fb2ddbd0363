"""The voice encoder: whose voice an utterance is (real people's clips, no model downloaded)."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from benchmarks import voice_encoder as voice_id
from benchmarks.real_people import load, read_clips
from benchmarks.voice_encoder import MELS, WEIGHTS, VoiceEncoder, VoiceEncoderUnavailable, mel_power
from voice_rehab.listen.whisper_input import mel_filters


@pytest.fixture(scope="module")
def encoder() -> VoiceEncoder:
    return VoiceEncoder()


def test_the_mel_bands_cover_0_to_8_khz_with_equal_area() -> None:
    bands = mel_filters(MELS)
    assert bands.shape == (40, 201) and (bands >= 0).all()
    assert (bands.sum(axis=1) > 0).all()  # no empty band
    tone = np.sin(2 * np.pi * 1000 * np.arange(16000) / 16000).astype(np.float32)
    power = mel_power(tone)
    assert power.shape == (101, 40)  # a frame every 10 ms, centred
    peak = int(power.mean(axis=0).argmax())
    assert 12 <= peak <= 17  # 1 kHz is mel 15, at the knee of the scale


def test_an_embedding_is_of_unit_length_and_the_same_for_the_same_audio(encoder: VoiceEncoder) -> None:
    clip = load(read_clips()[0])
    first, second = encoder.embed(clip), encoder.embed(clip.copy())
    assert first.shape == (256,) and np.isclose(np.linalg.norm(first), 1.0, atol=1e-5)
    np.testing.assert_allclose(first, second, atol=1e-6)
    # a longer utterance is heard in several windows, and is still one voice
    longer = encoder.embed(np.concatenate([clip, clip, clip]))
    assert float(longer @ first) > 0.9


def test_a_person_s_clips_are_closer_to_each_other_than_to_other_people_s(encoder: VoiceEncoder) -> None:
    """Eight tuning speakers with six clips or more: each one's clips against the others' mean voice."""
    by_speaker: dict[str, list[np.ndarray]] = defaultdict(list)
    for clip in read_clips():
        if clip.split == "tune":
            by_speaker[clip.speaker].append(load(clip))
    speakers = [s for s, clips in sorted(by_speaker.items()) if len(clips) >= 6][:8]
    voices = {s: np.stack([encoder.embed(c) for c in by_speaker[s][:6]]) for s in speakers}
    right = 0
    for s in speakers:
        centre = voices[s][:3].mean(axis=0)
        for v in voices[s][3:]:
            others = max(float(v @ voices[o][:3].mean(axis=0)) for o in speakers if o != s)
            right += float(v @ centre) > others
    assert right >= 0.8 * 3 * len(speakers)  # 4.9 % equal error rate on the held-out speakers


def test_weights_that_are_not_the_shipped_file_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / WEIGHTS.name
    shutil.copy(WEIGHTS, copy)
    VoiceEncoder(copy)  # a copy elsewhere loads as given
    with pytest.raises(VoiceEncoderUnavailable, match="missing"):
        VoiceEncoder(tmp_path / "absent.npz")
    monkeypatch.setattr(voice_id, "WEIGHTS", copy)  # as if the copy were the shipped file
    with copy.open("ab") as changed:
        changed.write(b"\0")
    with pytest.raises(VoiceEncoderUnavailable, match="not the file that was shipped"):
        VoiceEncoder(copy)
