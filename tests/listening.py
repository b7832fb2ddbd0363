"""Audio for the listener tests: synthetic speech in a room, and what a listener decides on it."""

from __future__ import annotations

import numpy as np

from voice_rehab.listen.audio import active_rms, noise_floor, pink_noise
from voice_rehab.listen.listener import CommandListener
from voice_rehab.listen.stream import decide_stream


def utterance(speech: np.ndarray, before: float = 0.5, after: float = 1.0, seed: int = 0) -> np.ndarray:
    """Speech at a natural level in a stretch of faint room noise (never digital silence)."""
    speech = speech * (0.05 / max(active_rms(speech), 1e-6))
    audio = np.concatenate(
        [np.zeros(int(before * 16000), np.float32), speech, np.zeros(int(after * 16000), np.float32)]
    )
    return audio + noise_floor(len(audio), seed=seed)


def with_noise(audio: np.ndarray, snr_db: float, seed: int = 1) -> np.ndarray:
    return audio + pink_noise(len(audio), seed=seed) * 0.05 / 10 ** (snr_db / 20)


def with_babble(audio: np.ndarray, snr_db: float, talkers: list[np.ndarray], seed: int = 1) -> np.ndarray:
    """`audio` in a room of people talking: each talker says their sentence over and over from
    a different point, all at once, `snr_db` below speech at the level of `utterance`."""
    rng = np.random.default_rng(seed)
    mix = np.zeros(len(audio), np.float32)
    for voice in talkers:
        reps = np.tile(voice, len(audio) // len(voice) + 2)
        start = int(rng.integers(len(voice)))
        mix += reps[start : start + len(audio)] * np.float32(10 ** (rng.uniform(-3, 3) / 20))
    return audio + mix / np.sqrt(np.mean(mix**2)) * 0.05 / 10 ** (snr_db / 20)


def heard(listener: CommandListener, audio: np.ndarray) -> list[str]:
    return [d.value for d in decide_stream(listener, audio)]
