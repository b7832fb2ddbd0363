"""Samples of any length cut into the whole frames a pocketsphinx piece takes, as the usual
pipelines need them both over whole streams and chunk by chunk on the microphone thread."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from voice_rehab.listen.audio import to_int16


class Frames:
    """Whole frames of `frame_bytes` bytes of 16-bit audio; a part frame waits for the next call."""

    def __init__(self, frame_bytes: int) -> None:
        self.frame_bytes = frame_bytes
        self._rest = b""

    def of(self, samples: np.ndarray) -> Iterator[bytes]:
        pending = self._rest + to_int16(samples).tobytes()
        whole = len(pending) - len(pending) % self.frame_bytes
        self._rest = pending[whole:]
        # by offset: a whole stream at once is not copied again at every frame
        return (pending[begin : begin + self.frame_bytes] for begin in range(0, whole, self.frame_bytes))
