"""Where synthesised audio goes: a PortAudio stream through sounddevice, or a null stream.

Both play in short blocks and check `cancelled` between blocks, so "pause" silences speech within
one block (about 23 ms at 22050 Hz) plus the device's own latency; each block is scaled by
`gain()` as it is played (the player is lowered while the person speaks over it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from voice_rehab.io.portaudio import sounddevice_with

BLOCK_FRAMES = 512
Gain = Callable[[], float]


def full_volume() -> float:
    return 1.0


def scaled(block: np.ndarray, gain: float) -> np.ndarray:
    return block if gain == 1.0 else (block * gain).astype(block.dtype)


class OutputUnavailable(RuntimeError):
    """No audio output device can be used; the message says why."""


class AudioOutput(Protocol):
    def play(self, samples: np.ndarray, rate: int, cancelled: Callable[[], bool], gain: Gain = full_volume) -> int:
        """Play mono int16 samples, each block scaled by `gain()`, stopping early when
        `cancelled()`; return frames played."""

    def close(self) -> None: ...


class SoundDeviceOutput:
    """The default output device through PortAudio."""

    def __init__(self) -> None:
        self._sd = sounddevice_with(
            lambda sd: sd.query_devices(kind="output"), "audio output device", OutputUnavailable
        )
        self._stream: Any = None  # a sounddevice.OutputStream once opened
        self._rate = 0

    def _open(self, rate: int):  # type: ignore[no-untyped-def]
        if self._stream is None or self._rate != rate:
            self.close()
            self._stream = self._sd.OutputStream(samplerate=rate, channels=1, dtype="int16", latency="low")
            self._rate = rate
        if not self._stream.active:
            self._stream.start()
        return self._stream

    def play(self, samples: np.ndarray, rate: int, cancelled: Callable[[], bool], gain: Gain = full_volume) -> int:
        stream = self._open(rate)
        played = 0
        for start in range(0, len(samples), BLOCK_FRAMES):
            if cancelled():
                stream.abort()  # drop what the device still holds, too
                return played
            block = samples[start : start + BLOCK_FRAMES]
            stream.write(scaled(block, gain()).reshape(-1, 1))
            played += len(block)
        return played

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close(ignore_errors=True)
            self._stream = None


class NullOutput:
    """An output stream with no device: consumes blocks, optionally at real-time pace.

    Used where there is no sound card (benchmarks of the playback path, tests of the speaker).
    """

    def __init__(
        self,
        realtime: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.realtime = realtime
        self._clock = clock
        self._sleep = sleep
        self.played: list[tuple[int, int]] = []  # (frames played, frames given) per play()
        self.gains: list[float] = []  # the gain of every block played

    def play(self, samples: np.ndarray, rate: int, cancelled: Callable[[], bool], gain: Gain = full_volume) -> int:
        played = 0
        start = self._clock()
        for offset in range(0, len(samples), BLOCK_FRAMES):
            if cancelled():
                break
            self.gains.append(gain())
            played += len(samples[offset : offset + BLOCK_FRAMES])
            if self.realtime:  # wait until this block would have finished playing
                delay = start + played / rate - self._clock()
                if delay > 0:
                    self._sleep(delay)
        self.played.append((played, len(samples)))
        return played

    def close(self) -> None:
        pass
