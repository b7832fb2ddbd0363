"""The microphone thread: audio source -> listener -> events in the runner's inbox; it also
lowers the player while the listener hears the person speak over it (ducking.py).

The source is an interface: PortAudio through sounddevice on a real machine, a WAV file (or
any array) where there is no microphone, so the same thread is exercised either way.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from voice_rehab.core.events import Answer, Command, Heard, Hearing, Source
from voice_rehab.core.ports import Inbox
from voice_rehab.io.portaudio import sounddevice_with
from voice_rehab.listen.audio import CHUNK, RATE, resample
from voice_rehab.listen.ducking import Ducking
from voice_rehab.listen.listener import Decision

# A microphone sends a chunk every 20 ms: none for this long, and it has gone (unplugged, taken by
# another program, a driver that stalled).
NO_SOUND_TIMEOUT = 2.0


class MicrophoneUnavailable(RuntimeError):
    """No microphone can be opened; the message says why."""


class AudioSource(Protocol):
    def start(self, on_chunk: Callable[[np.ndarray], None]) -> None:
        """Begin delivering 20 ms chunks of 16 kHz mono float32 to `on_chunk` (another thread)."""

    def close(self) -> None: ...


class SoundDeviceSource:
    """The default input device through PortAudio, 16 kHz mono."""

    def __init__(self) -> None:
        self._sd = sounddevice_with(
            lambda sd: sd.check_input_settings(samplerate=RATE, channels=1, dtype="float32"),
            "microphone",
            MicrophoneUnavailable,
        )
        self._stream: Any = None  # a sounddevice.InputStream once started

    def start(self, on_chunk: Callable[[np.ndarray], None]) -> None:
        def callback(indata, frames, time_info, status):  # type: ignore[no-untyped-def]
            on_chunk(indata[:, 0].copy())

        try:
            self._stream = self._sd.InputStream(
                samplerate=RATE, channels=1, dtype="float32", blocksize=CHUNK, callback=callback
            )
            self._stream.start()
        except Exception as exc:  # noqa: BLE001
            raise MicrophoneUnavailable(f"cannot open the microphone ({exc})") from None

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close(ignore_errors=True)
            self._stream = None


class Listens(Protocol):
    """What the microphone thread runs: the player's `CommandListener` (or a benchmark's baseline)."""

    @property
    def hearing(self) -> bool: ...

    def expect(self, what: str) -> None: ...

    def feed(
        self, chunk: np.ndarray, t: float, reference: np.ndarray | None = None, reference_text: str = ""
    ) -> list[Decision]: ...


class ReferenceTap:
    """What the player is playing, kept for the echo canceller: pushed by the speaker thread,
    read by the microphone thread in step with the microphone's chunks. At most `MAX_BACKLOG`
    seconds wait unread: with no microphone reading them (keyboard only), a session's audio
    would otherwise pile up for as long as it plays (230 MB an hour)."""

    MAX_BACKLOG = 2.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._samples: deque[np.ndarray] = deque()
        self._queued = 0  # samples in `_samples`
        self._pending = np.zeros(0, dtype=np.float32)
        self.text = ""

    def played(self, samples: np.ndarray, rate: int, text: str) -> None:
        block = resample(samples.astype(np.float32) / (32768.0 if samples.dtype == np.int16 else 1.0), rate)
        with self._lock:
            self._samples.append(block)
            self._queued += len(block)
            while self._queued > self.MAX_BACKLOG * RATE and len(self._samples) > 1:
                self._queued -= len(self._samples.popleft())
            self.text = text

    def skip_backlog(self) -> None:
        """A microphone starts reading now: what was played before it is not in what it hears."""
        with self._lock:
            self._drop_queued()

    def cut(self) -> None:
        """Speech was stopped: nothing queued will be played."""
        with self._lock:
            self._drop_queued()
            self.text = ""

    def _drop_queued(self) -> None:  # with the lock held
        self._samples.clear()
        self._queued = 0
        self._pending = np.zeros(0, dtype=np.float32)

    def take(self, n: int) -> tuple[np.ndarray | None, str]:
        with self._lock:
            while len(self._pending) < n and self._samples:
                block = self._samples.popleft()
                self._queued -= len(block)
                self._pending = np.concatenate([self._pending, block])
            if not len(self._pending):
                self.text = ""
                return None, ""
            out, self._pending = self._pending[:n], self._pending[n:]
            text = self.text
        if len(out) < n:
            out = np.concatenate([out, np.zeros(n - len(out), dtype=np.float32)])
        return out, text


def decision_event(decision: Decision, now: float) -> Heard | Answer:
    if decision.kind == "command":
        return Heard(now, Command(decision.value), heard=decision.heard, source=Source.VOICE)
    return Answer(now, decision.value if decision.kind == "answer" else "", source=Source.VOICE)


class MicrophoneInput:
    """Runs the listener on a thread of its own; decisions become events in the inbox, and so does
    losing the person's voice (no sound for `no_sound_timeout` seconds, or the listener failing) and
    hearing it again: the person, on the floor, must know that "that hurts" is no longer heard."""

    def __init__(
        self,
        source: AudioSource,
        listener: Listens,
        inbox: Inbox,
        reference: ReferenceTap | None = None,
        ducking: Ducking | None = None,
        no_sound_timeout: float | None = None,
    ):
        """`no_sound_timeout` None: a source that ends (a file) is not watched."""
        self.source = source
        self.no_sound_timeout = no_sound_timeout
        self._hearing = True
        self.listener = listener
        self.inbox = inbox
        self.reference = reference
        self.ducking = ducking
        self._chunks: queue.Queue[np.ndarray | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="listener", daemon=True)
        self._audio_time = 0.0
        self.decisions: list[Decision] = []

    def expect(self, what: str) -> None:
        self.listener.expect(what)

    def start(self) -> MicrophoneInput:
        self._thread.start()
        self.source.start(self._chunks.put)
        return self

    def _run(self) -> None:
        failed = False
        while True:
            timeout = self.no_sound_timeout
            if timeout is not None and not self._audio_time:
                timeout *= 3  # opening a device may take a moment: the first chunk is given longer
            try:
                chunk = self._chunks.get(timeout=timeout)
            except queue.Empty:
                self._tell(False, "the microphone stopped sending sound")
                continue
            if chunk is None:
                return
            if failed:
                continue  # nothing listens any more; the chunks are only drained
            self._tell(True, "")
            try:
                self._hear(chunk)
            except Exception as exc:  # noqa: BLE001 - whatever broke, the person must be told
                failed = True
                self._tell(False, f"the listener failed ({type(exc).__name__}: {exc})")

    def _tell(self, hearing: bool, reason: str) -> None:
        if hearing != self._hearing:
            self._hearing = hearing
            if not hearing and self.ducking is not None:
                self.ducking.update(False, False)  # lowered for a person no longer heard, it would stay so
            self.inbox.put(Hearing(self.inbox.now(), hearing, reason))

    def _hear(self, chunk: np.ndarray) -> None:
        self._audio_time += len(chunk) / RATE
        ref, text = self.reference.take(len(chunk)) if self.reference else (None, "")
        if ref is not None and self.ducking is not None:
            ref = ref * self.ducking.gain  # the canceller's reference is what was really played
        for decision in self.listener.feed(chunk, self._audio_time, ref, text):
            self.decisions.append(decision)
            self.inbox.put(decision_event(decision, self.inbox.now()))
        if self.ducking is not None:
            self.ducking.update(self.listener.hearing, ref is not None)

    def close(self) -> None:
        self.source.close()
        self._chunks.put(None)
        self._thread.join(timeout=2.0)


class StartingMicrophone:
    """The microphone and its listener, started on a thread of their own while the session begins:
    loading the recognisers and the judge takes 1-1.5 s, which the person would otherwise wait in
    silence for the first cue. What the session expects meanwhile is passed on once it has started;
    a session that ends first closes it as soon as it exists. If starting fails, `on_failure` is
    told why (on this thread, where no one would otherwise see it) and the keys remain."""

    def __init__(
        self, start: Callable[[], MicrophoneInput | None], on_failure: Callable[[str], None] = lambda why: None
    ) -> None:
        self._on_failure = on_failure
        self._lock = threading.Lock()
        self._microphone: MicrophoneInput | None = None
        self._expecting: str | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._start, args=(start,), name="microphone start", daemon=True)
        self._thread.start()

    def _start(self, start: Callable[[], MicrophoneInput | None]) -> None:
        try:
            microphone = start()
        except Exception as exc:  # noqa: BLE001 - whatever broke, the person must be told
            self._on_failure(f"the listener could not start ({type(exc).__name__}: {exc})")
            return
        with self._lock:
            if microphone is not None and not self._closed:
                self._microphone = microphone
                if self._expecting is not None:
                    microphone.expect(self._expecting)
                return
        if microphone is not None:
            microphone.close()  # the session ended while it was starting

    @property
    def microphone(self) -> MicrophoneInput | None:
        """The running microphone (None: not started yet, or none to be had)."""
        with self._lock:
            return self._microphone

    def wait_started(self, timeout: float | None = None) -> MicrophoneInput | None:
        self._thread.join(timeout)
        return self.microphone

    def expect(self, what: str) -> None:
        with self._lock:
            self._expecting = what
            if self._microphone is not None:
                self._microphone.expect(what)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            microphone, self._microphone = self._microphone, None
        if microphone is not None:
            microphone.close()
