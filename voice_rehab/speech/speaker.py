"""Speakers: the threaded audio speaker, and a caption-only one for machines without audio."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import numpy as np

from voice_rehab.core.events import Priority
from voice_rehab.listen.ducking import Ducking
from voice_rehab.speech.output import AudioOutput, full_volume
from voice_rehab.speech.synth import SpeechUnavailable, Synthesizer

STALE_LOW_PRIORITY = 1.0  # a count more than this late is dropped rather than said late


class PlaybackTap(Protocol):
    """Told exactly what is played, for the echo canceller."""

    def played(self, samples: np.ndarray, rate: int, text: str) -> None: ...

    def cut(self) -> None: ...


@dataclass
class QueuedCue:
    text: str
    priority: Priority
    queued_at: float


def enqueue(queue: deque[QueuedCue], cue: QueuedCue) -> None:
    """URGENT cues go ahead of everything queued except earlier urgent ones; others wait in line."""
    if cue.priority is Priority.URGENT:
        urgent = sum(1 for q in queue if q.priority is Priority.URGENT)
        queue.insert(urgent, cue)
    else:
        queue.append(cue)


def is_stale(cue: QueuedCue, now: float) -> bool:
    """A count said late is worse than one not said."""
    return cue.priority is Priority.LOW and now - cue.queued_at > STALE_LOW_PRIORITY


class AudioSpeaker:
    """Speaks on its own thread: synthesise (cached), then play in blocks we can cut.

    URGENT cues go ahead of anything queued; LOW cues (counts) are dropped when stale; stop()
    silences the current cue within one block and drops the queue.
    """

    def __init__(
        self,
        synth_factory: Callable[[], Synthesizer],
        output: AudioOutput,
        warm_up: list[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        tap: PlaybackTap | None = None,
        ducking: Ducking | None = None,
    ):
        self._output = output
        self._tap = tap
        self._gain = ducking.current if ducking is not None else full_volume
        self._ducking = ducking
        self._clock = clock
        self._queue: deque[QueuedCue] = deque()
        self._cond = threading.Condition()
        self._generation = 0
        self._busy = False
        self._closed = False
        self.error: str = ""
        self._ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(synth_factory, warm_up or []), name="speech", daemon=True
        )
        self._thread.start()

    def wait_ready(self, timeout: float = 10.0) -> str:
        """Wait until the engine is up; return an error message ('' when speech works)."""
        self._ready.wait(timeout)
        return self.error

    def say(self, text: str, priority: Priority) -> None:
        with self._cond:
            enqueue(self._queue, QueuedCue(text, priority, self._clock()))
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._generation += 1
            self._queue.clear()
            self._cond.notify_all()
        if self._tap is not None:
            self._tap.cut()
        if self._ducking is not None:
            self._ducking.release()  # what is said next answers the person: in full

    def wait_idle(self, timeout: float) -> None:
        deadline = self._clock() + timeout
        with self._cond:
            while (self._queue or self._busy) and not self._closed and self.error == "":
                remaining = deadline - self._clock()
                if remaining <= 0:
                    return
                self._cond.wait(min(remaining, 0.1))

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._generation += 1
            self._queue.clear()
            self._cond.notify_all()
        self._thread.join(timeout=2.0)
        self._output.close()

    def _superseded(self, generation: int) -> bool:
        """Has speech been stopped since this utterance began (a newer generation)?"""
        return self._generation != generation

    def _run(self, synth_factory: Callable[[], Synthesizer], warm_up: list[str]) -> None:
        ahead = list(reversed(warm_up))  # known cues, to synthesise before they are needed
        try:
            synth = synth_factory()
            if ahead:  # the first cue only: the session starts as soon as it can be said
                synth.synthesize(ahead.pop())
        except SpeechUnavailable as exc:
            self.error = str(exc)
            self._ready.set()
            with self._cond:
                self._cond.notify_all()
            return
        self._ready.set()
        while True:
            warm = None
            with self._cond:
                while not self._queue and not self._closed and not ahead:
                    self._cond.wait()
                if self._closed:
                    break
                if not self._queue:  # nothing to say now: warm the next known cue (one at a time)
                    warm = ahead.pop()
                else:
                    item = self._queue.popleft()
                    generation = self._generation
                    self._busy = True
            if warm is not None:
                try:
                    synth.synthesize(warm)
                except SpeechUnavailable:
                    ahead.clear()  # said when due instead, where the error shows
                continue
            try:
                if is_stale(item, self._clock()):
                    continue
                samples, rate = synth.synthesize(item.text)
                if self._tap is not None:
                    self._tap.played(samples, rate, item.text)
                self._output.play(samples, rate, partial(self._superseded, generation), self._gain)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
        synth.close()


class CaptionSpeaker:
    """No audio: the display already shows every cue as a caption, so this says nothing."""

    def say(self, text: str, priority: Priority) -> None:
        pass

    def stop(self) -> None:
        pass

    def wait_idle(self, timeout: float) -> None:
        pass

    def close(self) -> None:
        pass
