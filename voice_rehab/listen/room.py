"""A virtual room: the person's voice, the player's own speech as echo, and noise, mixed into the
microphone signal and streamed through the real listener, faster than real time.

The room is the runner's inbox (its clock is the audio clock) and its speaker (what the player
says is synthesised and played into the room), so the real session and runner run unchanged.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voice_rehab.core.events import Event, Priority
from voice_rehab.core.ports import InboxClosed
from voice_rehab.listen.audio import CHUNK, RATE, active_rms, noise_floor, pink_noise, resample
from voice_rehab.listen.ducking import Ducking
from voice_rehab.listen.listener import CommandListener, Decision
from voice_rehab.listen.microphone import decision_event
from voice_rehab.speech.speaker import QueuedCue, enqueue, is_stale

Synthesize = Callable[[str], tuple[np.ndarray, int]]


@dataclass
class EchoPath:
    """How the player's speech reaches the microphone: later, quieter, with a little reverb."""

    delay: float = 0.05  # seconds
    gain: float = 0.3  # relative to what is played: about as loud as the person at the mic
    reverb: float = 0.15  # level of a 60 ms decaying tail


@dataclass
class _Playing:
    text: str
    samples: np.ndarray  # 16 kHz float, as played (lowered where ducked)
    start: int  # sample index in room time
    gain: float = 1.0  # what is yet to be played is played at this gain


class VirtualRoom:
    """Inbox and Speaker at once; `heard` collects every decision with its audio time."""

    def __init__(
        self,
        listener: CommandListener,
        synthesize: Synthesize,
        snr_db: float | None = None,
        echo: EchoPath | None = None,
        seed: int = 0,
        tail: float = 3.0,
        ducking: Ducking | None = None,
    ):
        """`ducking`: lower the player while the person speaks over it, as the player does (None: never)."""
        self.listener = listener
        self.ducking = ducking
        self.synthesize = synthesize
        self.echo = echo or EchoPath()
        self.snr_db = snr_db
        self.seed = seed
        self.tail = tail  # seconds of audio after the last scripted sound before giving up
        self._sample = 0  # room time, in samples
        self._user: list[tuple[int, np.ndarray]] = []
        self._events: list[tuple[float, int, Callable[[float], Event]]] = []
        self._order = itertools.count()
        self._queue: deque[QueuedCue] = deque()
        self._playing: _Playing | None = None
        self._played: list[_Playing] = []  # for the echo path: recent playback
        self._pending: deque[Event] = deque()
        self._rng = np.random.default_rng(seed)
        self._impulse = self._make_impulse()
        self.heard: list[Decision] = []
        self.speech_level = 0.05  # RMS of the person's voice, for the noise level

    # ---- the script ----

    def add_speech(self, t: float, samples: np.ndarray, level: float | None = 0.05) -> None:
        """The person says something (16 kHz float samples) starting at room time `t`, at
        `level` RMS while speaking (0.05, about -26 dBFS: a voice a metre from the microphone);
        None keeps a recording's own level."""
        current = active_rms(samples) if len(samples) else 0.0
        if level is not None and current > 0:
            samples = samples * (level / current)
        self.speech_level = max(self.speech_level, level or current)
        self._user.append((int(t * RATE), samples.astype(np.float32)))

    def add_event(self, t: float, make: Callable[[float], Event]) -> None:
        heapq.heappush(self._events, (t, next(self._order), make))

    @property
    def _script_end(self) -> int:
        ends = [start + len(s) for start, s in self._user]
        ends += [int(t * RATE) for t, _, _ in self._events]
        return max(ends, default=0)

    # ---- Inbox ----

    def now(self) -> float:
        return self._sample / RATE

    def put(self, event: Event) -> None:
        self._pending.append(event)

    def wait(self, deadline: float | None) -> Event | None:
        while True:
            if self._pending:
                return self._pending.popleft()
            if (
                self._events
                and (deadline is None or self._events[0][0] <= deadline)
                and self._events[0][0] <= self.now() + CHUNK / RATE
            ):
                t, _, make = heapq.heappop(self._events)
                return make(max(self.now(), t))
            if deadline is not None and self.now() >= deadline:
                return None
            if (
                deadline is None
                and not self._events
                and not self._busy()
                and self._sample > self._script_end + self.tail * RATE
            ):
                raise InboxClosed("the room is quiet and nothing more is scripted")
            self._step()

    def _busy(self) -> bool:
        return self._playing is not None or bool(self._queue)

    # ---- Speaker ----

    def say(self, text: str, priority: Priority) -> None:
        enqueue(self._queue, QueuedCue(text, priority, self.now()))

    def stop(self) -> None:
        self._queue.clear()
        if self._playing is not None:
            played = self._sample - self._playing.start
            self._playing.samples = self._playing.samples[: max(0, played)]
            self._playing = None
        if self.ducking is not None:
            self.ducking.release()  # as the player's speaker does

    def wait_idle(self, timeout: float) -> None:
        end = self._sample + int(timeout * RATE)
        while self._busy() and self._sample < end:
            self._step()

    def close(self) -> None:
        pass

    # ---- the audio ----

    def _make_impulse(self) -> np.ndarray:
        length = int(0.06 * RATE)
        decay = np.exp(-np.arange(length) / (0.015 * RATE))
        tail = self._rng.standard_normal(length) * decay * self.echo.reverb
        tail[0] = 1.0
        return tail.astype(np.float32)

    def _next_playback(self) -> None:
        while self._playing is None and self._queue:
            cue = self._queue.popleft()
            if is_stale(cue, self.now()):
                continue
            text = cue.text
            samples, rate = self.synthesize(text)
            audio = (
                resample(samples.astype(np.float32) / 32768.0, rate)
                if samples.dtype == np.int16
                else resample(samples, rate)
            )
            gain = self.ducking.gain if self.ducking is not None else 1.0  # the person may be speaking
            self._playing = _Playing(text, audio * gain, self._sample, gain)
            self._played.append(self._playing)

    def _render(self, items: list[tuple[int, np.ndarray]], start: int, n: int) -> np.ndarray:
        out = np.zeros(n, dtype=np.float32)
        for begin, samples in items:
            a, b = max(start, begin), min(start + n, begin + len(samples))
            if a < b:
                out[a - start : b - start] += samples[a - begin : b - begin]
        return out

    def _duck(self, gain: float) -> None:
        """What the player has yet to play of its cue is played at `gain`."""
        playing = self._playing
        if playing is None or gain == playing.gain:
            return
        done = max(0, self._sample - playing.start)
        playing.samples = np.concatenate([playing.samples[:done], playing.samples[done:] * (gain / playing.gain)])
        playing.gain = gain

    def _step(self) -> None:
        """Advance the room by one chunk: play, mix, listen."""
        self._next_playback()
        start = self._sample
        reference = self._render([(p.start, p.samples) for p in self._played], start, CHUNK)
        delay = int(self.echo.delay * RATE)
        history = len(self._impulse)
        echo_src = self._render(
            [(p.start + delay, p.samples) for p in self._played], start - history + 1, CHUNK + history - 1
        )
        echo = np.convolve(echo_src, self._impulse, mode="valid")[:CHUNK] * self.echo.gain
        mic = self._render(self._user, start, CHUNK) + echo
        mic += noise_floor(CHUNK, seed=self.seed * 100003 + start // CHUNK)
        if self.snr_db is not None:
            noise = pink_noise(CHUNK * 50, seed=self.seed + start // (CHUNK * 50))
            offset = (start // CHUNK) % 50 * CHUNK
            mic += noise[offset : offset + CHUNK] * self.speech_level / (10 ** (self.snr_db / 20))
        text = self._playing.text if self._playing is not None else ""
        self._sample += CHUNK
        for decision in self.listener.feed(mic, self.now(), reference, text):
            self.heard.append(decision)
            self._pending.append(decision_event(decision, self.now()))
        if self.ducking is not None:
            self._duck(self.ducking.update(self.listener.hearing, self._playing is not None))
        if self._playing is not None and self._sample >= self._playing.start + len(self._playing.samples):
            self._playing = None
        self._played = [p for p in self._played if p.start + len(p.samples) + delay + history > self._sample]
