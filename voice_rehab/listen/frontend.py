"""The microphone's front end: echo cancellation and noise suppression before anything listens.

The player knows exactly what it plays, so that signal is the echo canceller's reference: WebRTC's
audio processing module (AEC3, noise suppression, high-pass filter), through livekit's Python
binding, removes the player's own voice from the microphone signal while keeping the person's.

Noise suppression helps in a noisy room and costs recall in a quiet one (measured: see
docs/BENCHMARKS.md), so the front end gives two signals: a suppressed one to find speech in, and
one for the recogniser that is suppressed only while the room's noise floor is high.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from voice_rehab.listen.apm_calls import frame_call
from voice_rehab.listen.audio import CHUNK, RATE, RunningMinimum, level_db, to_float, to_int16

FRAME = RATE // 100  # WebRTC processes 10 ms frames
QUIET_ROOM_DB = -58.0  # a noise floor above this (dBFS) is a noisy room (a fan, traffic)
# The echo canceller learns the room from the player's first seconds of speech; until then its
# residue can look like the person speaking (the first cue of a session lowered itself in the
# virtual room, and was heard as "ouch" in a test): `learnt_the_room` waits for this much of it.
WARM_UP_CHUNKS = 250  # 5 s of the player's audio
Suppression = Literal["adaptive", "always", "never"]


@dataclass(frozen=True)
class Cleaned:
    segment: np.ndarray  # where speech is found: noise suppressed
    recognise: np.ndarray  # what the recogniser hears


class FrontEnd(Protocol):
    name: str
    cancels_echo: bool

    def process(self, mic: np.ndarray, reference: np.ndarray | None) -> Cleaned:
        """Clean 16 kHz float samples (a multiple of 10 ms), given what the player played."""

    def noisy(self) -> bool:
        """Should the recogniser hear the suppressed signal (the room is noisy)?"""

    def learnt_the_room(self) -> bool:
        """Can what is left of the player's voice be told from the person's (the canceller has heard
        enough of the player, or there is no canceller to learn)?"""

    def quiet_lately(self) -> bool:
        """Has the room been quiet for a while and in the last half second (the pause before an
        utterance)? A noise that started a moment ago counts, which `noisy` notices only later."""


class PassThrough:
    """No processing: where WebRTC's module is not installed (the player then mutes instead)."""

    name = "none"
    cancels_echo = False

    def __init__(self) -> None:
        self.floor = NoiseFloor()

    def process(self, mic: np.ndarray, reference: np.ndarray | None) -> Cleaned:
        for start in range(0, len(mic) - FRAME + 1, FRAME):
            self.floor.push(mic[start : start + FRAME])
        return Cleaned(mic, mic)

    def noisy(self) -> bool:
        return False  # nothing to suppress noise with

    def quiet_lately(self) -> bool:
        return self.floor.quiet_lately

    def learnt_the_room(self) -> bool:
        return True  # nothing to learn (without a canceller the listener mutes over the player)


class NoiseFloor:
    """The room's noise level: the quietest 10 ms frame of the last few seconds (minimum statistics),
    with hysteresis so the decision does not flicker around the threshold."""

    def __init__(
        self,
        threshold_db: float = QUIET_ROOM_DB,
        window_s: float = 5.0,
        hysteresis_db: float = 2.0,
        lately_s: float = 0.5,
    ):
        self.threshold_db = threshold_db
        self.hysteresis_db = hysteresis_db
        self._minimum = RunningMinimum(int(window_s * 100))
        self._lately = RunningMinimum(int(lately_s * 100))
        self.noisy = False
        self.quiet_lately = False  # quiet for a while, and in the last half second too

    def push(self, frame: np.ndarray) -> None:
        """`frame`: 10 ms of int16 or float samples."""
        level = level_db(frame)
        floor = self._minimum.push(level)
        if self.noisy and floor < self.threshold_db - self.hysteresis_db:
            self.noisy = False
        elif not self.noisy and floor > self.threshold_db + self.hysteresis_db:
            self.noisy = True
        # the long window takes seconds to notice a fan switched on; the short one does at once
        lately = self._lately.push(level)  # pushed every frame, so its window never goes stale
        self.quiet_lately = not self.noisy and lately < self.threshold_db


class _Canceller:
    """One WebRTC audio processing module, fed through frames allocated once: building two frames
    per 10 ms (and the copies livekit makes of immutable bytes) was a fifth of the front end's CPU,
    and so the requests about them can be prepared once too (`apm_calls`)."""

    def __init__(self, rtc, noise_suppression: bool, delay_ms: int) -> None:  # type: ignore[no-untyped-def]
        self._apm = rtc.AudioProcessingModule(
            echo_cancellation=True, noise_suppression=noise_suppression, high_pass_filter=True, auto_gain_control=False
        )
        self._apm.set_stream_delay_ms(delay_ms)
        mic, played = bytearray(FRAME * 2), bytearray(FRAME * 2)
        self._mic = np.frombuffer(mic, dtype=np.int16)  # views of what the module processes in place
        self._played = np.frombuffer(played, dtype=np.int16)
        self._process = frame_call(self._apm, rtc.AudioFrame(mic, RATE, 1, FRAME), "apm_process_stream")
        self._process_played = frame_call(
            self._apm, rtc.AudioFrame(played, RATE, 1, FRAME), "apm_process_reverse_stream"
        )

    def run(self, mic: np.ndarray, played: np.ndarray) -> np.ndarray:
        """Cancel `played` (10 ms of int16) from `mic`; the result is valid until the next call."""
        self._played[:] = played
        self._process_played()
        self._mic[:] = mic
        self._process()
        return self._mic


class WebRtcFrontEnd:
    """Echo cancellation (with the played audio as reference), noise suppression, high-pass.

    `suppression` says what the recogniser hears: "adaptive" (suppressed only when the noise floor
    of the echo-cancelled signal is above `noisy_floor_db`), "always" or "never".
    """

    name = "webrtc"
    cancels_echo = True

    def __init__(self, suppression: Suppression = "adaptive", noisy_floor_db: float = QUIET_ROOM_DB, delay_ms: int = 0):
        from livekit import rtc  # imported here: an optional, binary dependency

        self.suppression = suppression
        self._suppressed = _Canceller(rtc, True, delay_ms)
        # a second canceller without suppression, only when the recogniser may need its output
        self._plain = _Canceller(rtc, False, delay_ms) if suppression != "always" else None
        self.floor = NoiseFloor(noisy_floor_db)
        self._silence = np.zeros(FRAME, dtype=np.int16)
        self._player_heard = 0  # samples of the player's audio the cancellers have learnt from

    def noisy(self) -> bool:
        return self.suppression == "always" or (self.suppression == "adaptive" and self.floor.noisy)

    def learnt_the_room(self) -> bool:
        return self._player_heard > WARM_UP_CHUNKS * CHUNK

    def quiet_lately(self) -> bool:
        return self.suppression != "always" and self.floor.quiet_lately

    def process(self, mic: np.ndarray, reference: np.ndarray | None) -> Cleaned:
        mic16 = to_int16(mic)
        ref16 = to_int16(reference) if reference is not None else None
        if ref16 is not None and ref16.any():
            self._player_heard += len(ref16)
        suppressed = np.empty(len(mic16), dtype=np.int16)
        plain = np.empty(len(mic16), dtype=np.int16) if self._plain is not None else suppressed
        for start in range(0, len(mic16) - FRAME + 1, FRAME):
            ref = ref16[start : start + FRAME] if ref16 is not None else self._silence
            part = mic16[start : start + FRAME]
            suppressed[start : start + FRAME] = self._suppressed.run(part, ref)
            if self._plain is not None:
                plain[start : start + FRAME] = out = self._plain.run(part, ref)
                self.floor.push(out)
        segment = to_float(suppressed)
        return Cleaned(segment, segment if plain is suppressed else to_float(plain))


def make_front_end(echo_cancellation: bool = True, suppression: Suppression = "adaptive") -> FrontEnd:
    try:
        front = WebRtcFrontEnd(suppression=suppression)
    except ImportError:
        return PassThrough()
    if not echo_cancellation:
        front.cancels_echo = False
    return front
