"""The rooms' sounds: each as loud as asked, repeatable, and with the character that makes it hard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from benchmarks.real_people import ALL_CONDITIONS, LEVEL, NOISY, in_condition
from benchmarks.room_noise import SOUNDS, MissingSound, fan, kitchen, music, street
from voice_rehab.listen.audio import RATE, active_rms, noise_floor

BUILT = ("fan", "kitchen", "street")  # music is read from recordings


def _band_share(noise: np.ndarray, low: float, high: float) -> float:
    power = np.abs(np.fft.rfft(noise)) ** 2
    freqs = np.fft.rfftfreq(len(noise), 1.0 / RATE)
    return float(power[(freqs >= low) & (freqs < high)].sum() / power.sum())


def _frame_levels(noise: np.ndarray, seconds: float) -> np.ndarray:
    frame = int(seconds * RATE)
    frames = noise[: len(noise) // frame * frame].reshape(-1, frame)
    return 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)


@pytest.mark.parametrize("kind", BUILT)
def test_each_sound_is_unit_loud_the_same_for_a_seed_and_new_for_another(kind: str) -> None:
    make = SOUNDS[kind]
    noise = make(4 * RATE, 3)
    assert noise.dtype == np.float32 and len(noise) == 4 * RATE
    assert np.sqrt(np.mean(noise.astype(np.float64) ** 2)) == pytest.approx(1.0, rel=1e-3)
    assert np.array_equal(noise, make(4 * RATE, 3))
    assert abs(np.corrcoef(noise, make(4 * RATE, 4))[0, 1]) < 0.2
    assert abs(np.corrcoef(noise, noise_floor(4 * RATE, seed=3))[0, 1]) < 0.05  # not the room's floor


def test_a_fan_is_steady_and_dark() -> None:
    noise = fan(8 * RATE, 1)
    assert _band_share(noise, 0, 1000) > 0.6 and _band_share(noise, 4000, 8000) < 0.05
    levels = _frame_levels(noise, 0.5)
    assert levels.max() - levels.min() < 2.0  # no swells, no knocks


def test_a_kitchen_clatters_over_a_running_tap() -> None:
    noise = kitchen(8 * RATE, 1)
    assert _band_share(noise, 0, 250) < 0.1  # a tap and dishes: no rumble
    levels = _frame_levels(noise, 0.02)
    assert levels.max() - np.median(levels) > 8.0  # knocks far above the tap for a moment
    assert np.percentile(levels, 10) > levels.max() - 40.0  # and the tap never stops


def test_a_street_swells_as_cars_pass() -> None:
    noise = street(20 * RATE, 2)
    assert _band_share(noise, 0, 500) > 0.6
    levels = _frame_levels(noise, 0.5)
    assert levels.max() - levels.min() > 4.0


def test_music_is_a_stretch_of_a_recording_at_the_piece_level(tmp_path: Path) -> None:
    t = np.arange(10 * 22050) / 22050
    melody = 0.3 * np.sin(2 * np.pi * 440 * t) * (t < 5) + 0.03 * np.sin(2 * np.pi * 660 * t) * (t >= 5)
    sf.write(tmp_path / "piece.flac", np.stack([melody, melody], axis=1), 22050)  # stereo, 22.05 kHz
    loud = music(RATE, seed=0, folder=tmp_path)
    stretches = [music(RATE, seed=s, folder=tmp_path) for s in range(12)]
    levels = sorted(float(np.sqrt(np.mean(x**2))) for x in stretches)
    piece_rms = np.sqrt(np.mean(np.concatenate([np.full(5, 0.3), np.full(5, 0.03)]) ** 2 / 2))
    assert len(loud) == RATE and loud.dtype == np.float32
    assert levels[-1] == pytest.approx(0.3 / np.sqrt(2) / piece_rms, rel=0.1)  # the loud half
    assert levels[0] == pytest.approx(0.03 / np.sqrt(2) / piece_rms, rel=0.2)  # quiet stays quiet


def test_music_without_its_package_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(MissingSound, match="apt-get install asc-music"):
        music(RATE, seed=0, folder=tmp_path / "nowhere")


@pytest.mark.parametrize("condition", [c for c in NOISY if c.split()[0] in BUILT])
def test_a_room_with_a_sound_is_ten_db_under_the_speech_around_it(condition: str) -> None:
    speech = (np.random.default_rng(0).standard_normal(RATE) * 0.2).astype(np.float32)
    heard = in_condition(speech, condition, seed=1)
    assert len(heard) == 6 * RATE  # 2.5 s of the room before the clip and after it
    sound = SOUNDS[condition.split()[0]](len(heard), 1) * LEVEL / 10 ** (10 / 20)
    room = sound + noise_floor(len(heard), seed=1)
    assert 20 * np.log10(LEVEL / np.sqrt(np.mean(room.astype(np.float64) ** 2))) == pytest.approx(10.0, abs=0.1)
    spoken = heard - room
    assert active_rms(spoken) == pytest.approx(LEVEL, rel=0.05)
    assert np.abs(spoken[: 2 * RATE]).max() < 1e-6  # the person speaks after 2.5 s of the room


@pytest.mark.parametrize("condition, gain_db", [("soft voice", -12.0), ("loud voice", 10.0)])
def test_a_soft_or_loud_voice_moves_the_speech_not_the_room(condition: str, gain_db: float) -> None:
    speech = (np.random.default_rng(0).standard_normal(RATE) * 0.05).astype(np.float32)
    heard = in_condition(speech, condition, seed=1)
    quiet = in_condition(speech, "quiet", seed=1)
    assert condition in ALL_CONDITIONS and condition not in NOISY
    assert 20 * np.log10(active_rms(heard) / active_rms(quiet)) == pytest.approx(gain_db, abs=0.5)
    floor = heard[: RATE // 4]  # the room before the person speaks
    assert np.sqrt(np.mean(floor**2)) == pytest.approx(10 ** (-60 / 20), rel=0.2)
    assert np.abs(heard).max() <= 1.0  # a loud voice clips as a sound card would
