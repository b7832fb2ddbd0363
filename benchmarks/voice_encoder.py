"""Whose voice is it: a speaker embedding that tells one person from another (a benchmark
candidate for a speaker check; the listener does not use it: docs/BENCHMARKS.md says why).

Resemblyzer's voice encoder (Resemble AI, Apache-2.0): the GE2E speaker encoder (Wan et al.,
arXiv:1710.10467), three LSTM layers over 40 mel bands of 1.6 s windows, trained on thousands of
speakers, whose final state gives 256 numbers per voice. Its weights are kept beside this module
(`voice_encoder_weights/`, converted from Resemblyzer's wheel by `scripts/convert_voice_encoder.py`)
and it runs in numpy: Resemblyzer itself needs PyTorch, about 800 MB for one small LSTM.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from voice_rehab.listen.audio import RATE
from voice_rehab.listen.whisper_input import mel_filters

WEIGHTS = Path(__file__).resolve().parent / "voice_encoder_weights" / "ge2e-resemblyzer.npz"
WEIGHTS_SHA256 = "89217312ca56df560b8d11ae6f4b775cfce5b4419df39955e96b12315c1e088f"
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
MELS = 40
PARTIAL_FRAMES = 160  # one window of the encoder: 1.6 s
PARTIALS_PER_SECOND = 1.3  # how densely a longer utterance is covered by windows
LOUDNESS_DBFS = -30.0  # quieter audio is raised to this before it is heard, as the encoder was trained
LAYERS = 3
HIDDEN = 256


class VoiceEncoderUnavailable(RuntimeError):
    """The weights are missing or not the file that was shipped."""


def mel_power(samples: np.ndarray) -> np.ndarray:
    """(frames, 40) mel power (not its log: the encoder learnt power) of 16 kHz audio, 10 ms apart."""
    padded = np.pad(np.asarray(samples, dtype=np.float32), N_FFT // 2)  # windows centred on each hop
    frames = 1 + (len(padded) - N_FFT) // HOP
    windows = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:frames]
    hann = np.hanning(N_FFT + 1)[:-1].astype(np.float32)
    power = np.abs(np.fft.rfft(windows * hann, axis=-1)) ** 2
    return (power @ mel_filters(MELS).T).astype(np.float32)


def _raised(samples: np.ndarray) -> np.ndarray:
    """The audio raised to the encoder's loudness (never lowered)."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) + 1e-12
    gain = 10.0 ** ((LOUDNESS_DBFS - 20.0 * np.log10(rms)) / 20.0)
    return samples * np.float32(gain) if gain > 1.0 else samples


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # never overflows


class VoiceEncoder:
    """The voice encoder's numbers for an utterance: `embed(samples)` (unit length)."""

    def __init__(self, weights: Path = WEIGHTS) -> None:
        if not weights.is_file():
            raise VoiceEncoderUnavailable(f"the voice encoder's weights are missing: {weights}")
        if weights == WEIGHTS and hashlib.sha256(weights.read_bytes()).hexdigest() != WEIGHTS_SHA256:
            raise VoiceEncoderUnavailable(
                f"{weights.name} is not the file that was shipped (convert it again: scripts/convert_voice_encoder.py)"
            )
        with np.load(weights) as saved:
            self._layers = [
                (saved[f"input_{k}"].astype(np.float32), saved[f"hidden_{k}"].astype(np.float32),
                 saved[f"bias_{k}"].astype(np.float32))
                for k in range(LAYERS)
            ]  # fmt: skip
            self._out = (saved["linear_weight"].astype(np.float32), saved["linear_bias"].astype(np.float32))

    def embed(self, samples: np.ndarray) -> np.ndarray:
        """256 numbers of unit length for the voice in `samples` (16 kHz); the mean over windows of
        1.6 s (a shorter utterance is padded to one)."""
        mel = mel_power(_raised(np.asarray(samples, dtype=np.float32)))
        if len(mel) <= PARTIAL_FRAMES:
            windows = np.pad(mel, ((0, PARTIAL_FRAMES - len(mel)), (0, 0)))[None]
        else:
            step = int(round(RATE / PARTIALS_PER_SECOND / HOP))
            windows = np.stack([mel[s : s + PARTIAL_FRAMES] for s in range(0, len(mel) - PARTIAL_FRAMES + 1, step)])
        mean = self._windows(windows).mean(axis=0)
        return mean / (np.linalg.norm(mean) + 1e-12)

    def _windows(self, x: np.ndarray) -> np.ndarray:
        """(windows, 160, 40) -> (windows, 256): the last layer's final state through the head."""
        state = np.zeros((len(x), HIDDEN), np.float32)
        for to_gates, from_state, bias in self._layers:
            ahead = x @ to_gates + bias  # every step's input to the gates at once
            state = np.zeros((len(x), HIDDEN), np.float32)
            cell = np.zeros((len(x), HIDDEN), np.float32)
            steps = np.empty((len(x), x.shape[1], HIDDEN), np.float32)
            for t in range(x.shape[1]):
                gates = ahead[:, t] + state @ from_state
                into, forget, new, out = np.split(gates, 4, axis=1)  # PyTorch's order of the gates
                cell = _sigmoid(forget) * cell + _sigmoid(into) * np.tanh(new)
                state = _sigmoid(out) * np.tanh(cell)
                steps[:, t] = state
            x = steps
        weight, bias = self._out
        raw = np.maximum(state @ weight + bias, 0.0)
        return raw / (np.linalg.norm(raw, axis=1, keepdims=True) + 1e-12)
