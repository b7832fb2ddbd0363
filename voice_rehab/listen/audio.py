"""Audio as the listener wants it: 16 kHz mono float32, from files, synthesis or the microphone."""

from __future__ import annotations

import io
import math
import wave
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import numpy as np

RATE = 16000
CHUNK = 320  # 20 ms: the unit in which audio is streamed to the listener


class AudioFileError(ValueError):
    """A file that cannot be read as audio; the message names it."""


def to_float(samples: np.ndarray) -> np.ndarray:
    if samples.dtype == np.int16:
        return samples.astype(np.float32) / 32768.0
    return samples.astype(np.float32)


def to_int16(samples: np.ndarray) -> np.ndarray:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)


def resample(samples: np.ndarray, rate: int, target: int = RATE) -> np.ndarray:
    """High-quality rate conversion (libsoxr)."""
    if rate == target:
        return samples.astype(np.float32)
    import soxr

    return soxr.resample(samples.astype(np.float32), rate, target).astype(np.float32)


# What a recording can be: headers outside these are refused before any sample is read (a file
# that claims 1 Hz would be resampled into gigabytes).
FILE_RATES = (4000, 384_000)
MAX_CHANNELS = 32
BLOCK_SECONDS = 10.0  # read, mix and resample this much at a time: memory does not grow with length


def audio_blocks(path: Path) -> Iterator[np.ndarray]:
    """Any audio file libsndfile reads (WAV of any sample format, FLAC, OGG...) as 16 kHz mono
    float32, block by block; anything else is an AudioFileError naming the file."""
    import soundfile
    import soxr

    if not path.exists():
        raise AudioFileError(f"{path}: no such file")
    if path.is_dir():
        raise AudioFileError(f"{path}: is a directory")
    try:
        with soundfile.SoundFile(str(path)) as file:
            rate, channels = int(file.samplerate), int(file.channels)
            if not FILE_RATES[0] <= rate <= FILE_RATES[1]:
                raise AudioFileError(f"{path}: its header claims {rate} Hz, which no recording has")
            if not 1 <= channels <= MAX_CHANNELS:
                raise AudioFileError(f"{path}: its header claims {channels} channels")
            stream = soxr.ResampleStream(rate, RATE, 1, dtype="float32") if rate != RATE else None
            for block in file.blocks(blocksize=int(rate * BLOCK_SECONDS), dtype="float32", always_2d=True):
                mono = block.mean(axis=1).astype(np.float32)
                yield stream.resample_chunk(mono) if stream is not None else mono
            if stream is not None:
                yield stream.resample_chunk(np.zeros(0, np.float32), last=True)
    except AudioFileError:
        raise
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        why = str(exc).rsplit(": ", 1)[-1].rstrip(".").lower()  # without libsndfile's repeat of the path
        raise AudioFileError(f"{path}: not an audio file this program can read ({why})") from None


def read_wav(path: Path) -> np.ndarray:
    """The whole of an audio file (`audio_blocks`) as one 16 kHz mono float32 array."""
    blocks = list(audio_blocks(path))
    return np.concatenate(blocks) if blocks else np.zeros(0, np.float32)


def wav16_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    """16-bit mono WAV of `samples`, as the bytes of a file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(to_int16(samples).tobytes())
    return buffer.getvalue()


def write_wav16(path: Path, samples: np.ndarray, rate: int = RATE) -> None:
    path.write_bytes(wav16_bytes(samples, rate))


def noise_floor(length: int, level_db: float = -60.0, seed: int = 0) -> np.ndarray:
    """A faint white noise floor: digital silence is unrealistic and misleads recognisers."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(length) * 10 ** (level_db / 20)).astype(np.float32)


def pink_noise(length: int, seed: int = 0) -> np.ndarray:
    """Unit-RMS pink (1/f) noise, shaped in the frequency domain."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(length))
    freqs = np.arange(len(spectrum), dtype=np.float64)
    freqs[0] = 1.0
    pink = np.fft.irfft(spectrum / np.sqrt(freqs), n=length)
    return (pink / (np.sqrt(np.mean(pink**2)) + 1e-12)).astype(np.float32)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0


def level_db(frame: np.ndarray) -> float:
    """Mean power of a frame (float, or int16 scaled to float) in dB relative to full scale."""
    if not len(frame):
        return -120.0
    samples = frame.astype(np.float64)
    power = float(samples @ samples) / len(frame)  # a dot product: 3 times faster than mean(square)
    if frame.dtype == np.int16:
        power /= 32768.0**2
    return 10 * math.log10(power + 1e-12)


class RunningMinimum:
    """The lowest of the last `window` values: minimum statistics, the noise floor of frame levels
    (pauses between words pull it down to the noise; speech never drags it up)."""

    def __init__(self, window: int):
        self._window = window
        self._pushed = 0
        # (index, value) with values increasing: the front is the minimum, and a value that a
        # later, lower one outlasts can never be the minimum again (O(1) per value, not O(window))
        self._candidates: deque[tuple[int, float]] = deque()

    def push(self, value: float) -> float:
        while self._candidates and self._candidates[-1][1] >= value:
            self._candidates.pop()
        self._candidates.append((self._pushed, value))
        self._pushed += 1
        if self._candidates[0][0] <= self._pushed - 1 - self._window:
            self._candidates.popleft()
        return self._candidates[0][1]


def active_rms(samples: np.ndarray, frame: int = 320) -> float:
    """RMS over the loudest frames (speech), ignoring leading and trailing silence."""
    frames = samples[: len(samples) // frame * frame].reshape(-1, frame)
    if not len(frames):
        return rms(samples)
    energies = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    loud = energies[energies > energies.max() * 0.1]
    if not len(loud):  # digital silence: no frame is louder than a tenth of nothing
        return 0.0
    return float(np.sqrt(np.mean(loud**2)))


def mix_at_snr(speech: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """speech + noise scaled so the speech (its active part) is `snr_db` above the noise."""
    noise = noise[: len(speech)]
    gain = active_rms(speech) / (rms(noise) * 10 ** (snr_db / 20) + 1e-12)
    return (speech + gain * noise).astype(np.float32)


def speech_bounds(samples: np.ndarray, threshold_db: float = -40.0) -> tuple[float, float]:
    """(start, end) in seconds of the audible part of a clean utterance."""
    frame = 160
    frames = samples[: len(samples) // frame * frame].reshape(-1, frame)
    if not len(frames):
        return 0.0, 0.0
    level = 20 * np.log10(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)) + 1e-9)
    loud = np.nonzero(level > level.max() + threshold_db)[0]
    if not len(loud):
        return 0.0, 0.0
    return loud[0] * frame / RATE, (loud[-1] + 1) * frame / RATE
