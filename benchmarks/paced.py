"""An audio source that delivers recorded samples as a sound card would: each 20 ms chunk once its
last sample would have been captured, on absolute monotonic deadlines, from a thread of its own.

It stands in for the microphone (an `AudioSource`, as `SoundDeviceSource` is) where there is no
sound card, so that the real microphone thread, listener and inbox can be timed in real time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from voice_rehab.listen.audio import CHUNK, RATE


class PacedSource:
    def __init__(
        self,
        samples: np.ndarray,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[float], object] | None = None,
    ) -> None:
        """`clock` and `wait` (sleep that long, or less if closed) are the real ones unless a test gives its own."""
        self.samples = samples
        self._clock = clock
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None
        self.started_at = 0.0  # the clock's time of the stream's first sample

    def captured_at(self, audio_time: float) -> float:
        """When the sample at `audio_time` seconds into the stream reached the microphone."""
        return self.started_at + audio_time

    def start(self, on_chunk: Callable[[np.ndarray], None]) -> None:
        self.started_at = self._clock()
        self._thread = threading.Thread(target=self._deliver, args=(on_chunk,), name="paced source", daemon=True)
        self._thread.start()

    def _deliver(self, on_chunk: Callable[[np.ndarray], None]) -> None:
        for begin in range(0, len(self.samples) - CHUNK + 1, CHUNK):
            due = self.captured_at((begin + CHUNK) / RATE)  # absolute: late chunks do not delay the rest
            while not self._stop.is_set() and (left := due - self._clock()) > 0:
                self._wait(left)
            if self._stop.is_set():
                return
            on_chunk(self.samples[begin : begin + CHUNK])

    def finished(self, timeout: float | None = None) -> bool:
        """Wait until every chunk was delivered (or the source was closed)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    def close(self) -> None:
        self._stop.set()
        self.finished()
