"""The microphone's front end: echo cancellation and noise suppression before anything listens.

The player knows exactly what it plays, so that signal is the echo canceller's reference: WebRTC's
audio processing module (AEC3, noise suppression, high-pass filter), through livekit's Python
binding, removes the player's own voice from the microphone signal while keeping the person's.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from .audio import RATE, to_float, to_int16

FRAME = RATE // 100  # WebRTC processes 10 ms frames


class FrontEnd(Protocol):
    name: str
    cancels_echo: bool

    def process(self, mic: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
        """Clean 16 kHz float samples (a multiple of 10 ms), given what the player played."""


class PassThrough:
    """No processing: where WebRTC's module is not installed (the player then mutes instead)."""

    name = "none"
    cancels_echo = False

    def process(self, mic: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
        return mic


class WebRtcFrontEnd:
    """Echo cancellation (with the played audio as reference), noise suppression, high-pass."""

    name = "webrtc"
    cancels_echo = True

    def __init__(self, noise_suppression: bool = True, delay_ms: int = 0):
        from livekit import rtc  # imported here: an optional, binary dependency

        self._rtc = rtc
        self._apm = rtc.AudioProcessingModule(echo_cancellation=True, noise_suppression=noise_suppression,
                                              high_pass_filter=True, auto_gain_control=False)
        self._apm.set_stream_delay_ms(delay_ms)
        self._silence = np.zeros(FRAME, dtype=np.int16)

    def _frame(self, samples: np.ndarray):  # type: ignore[no-untyped-def]
        return self._rtc.AudioFrame(samples.tobytes(), RATE, 1, FRAME)

    def process(self, mic: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
        mic16 = to_int16(mic)
        ref16 = to_int16(reference) if reference is not None else None
        out = np.empty(len(mic16), dtype=np.int16)
        for start in range(0, len(mic16) - FRAME + 1, FRAME):
            ref = ref16[start:start + FRAME] if ref16 is not None else self._silence
            self._apm.process_reverse_stream(self._frame(ref))
            frame = self._frame(mic16[start:start + FRAME])
            self._apm.process_stream(frame)
            out[start:start + FRAME] = np.frombuffer(frame.data, dtype=np.int16)
        return to_float(out)


def make_front_end(echo_cancellation: bool = True, noise_suppression: bool = True) -> FrontEnd:
    if not echo_cancellation and not noise_suppression:
        return PassThrough()
    try:
        front = WebRtcFrontEnd(noise_suppression=noise_suppression)
    except ImportError:
        return PassThrough()
    if not echo_cancellation:
        front.cancels_echo = False
    return front
