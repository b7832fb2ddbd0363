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


def heard(listener: CommandListener, audio: np.ndarray) -> list[str]:
    return [d.value for d in decide_stream(listener, audio)]
