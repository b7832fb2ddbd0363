"""Honest fakes: real classes implementing the same interfaces as the devices they stand in for."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from voice_rehab.core.events import Priority, View
from voice_rehab.listen.audio import CHUNK


class RecordingSpeaker:
    """A Speaker that remembers what it was asked to say and when it was told to stop."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.closed = False

    @property
    def said(self) -> list[str]:
        return [text for kind, text in self.calls if kind == "say"]

    def say(self, text: str, priority: Priority) -> None:
        self.calls.append(("say", text))

    def stop(self) -> None:
        self.calls.append(("stop", None))

    def wait_idle(self, timeout: float) -> None:
        self.calls.append(("wait_idle", timeout))

    def close(self) -> None:
        self.closed = True


class RecordingDisplay:
    """A Display that keeps every view and notice."""

    def __init__(self) -> None:
        self.views: list[View] = []
        self.notices: list[str] = []
        self.captions: list[str] = []

    def show(self, view: View) -> None:
        self.views.append(view)

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def caption(self, text: str) -> None:
        self.captions.append(text)


class ListLog:
    """A LogSink keeping (kind, t, data) in memory."""

    def __init__(self) -> None:
        self.records: list[tuple[str, float, dict[str, Any]]] = []

    def write(self, kind: str, t: float, data: dict[str, Any]) -> None:
        self.records.append((kind, t, data))

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.records]


class GatedOutput:
    """An AudioOutput with no device that records what it plays and can hold the first play
    until a test releases it, so queue order can be checked without timing."""

    def __init__(self, hold_first: bool = False) -> None:
        self.lengths: list[int] = []
        self.started = threading.Event()
        self.release = threading.Event()
        if not hold_first:
            self.release.set()

    def play(self, samples, rate, cancelled, gain=lambda: 1.0):  # type: ignore[no-untyped-def]
        self.lengths.append(len(samples))
        self.started.set()
        self.release.wait(10)
        return 0 if cancelled() else len(samples)

    def close(self) -> None:
        pass


class ArraySource:
    """An AudioSource with no device: delivers an array in 20 ms chunks from its own thread."""

    def __init__(self, samples: np.ndarray):
        self.samples = samples
        self._thread: threading.Thread | None = None

    def start(self, on_chunk) -> None:  # type: ignore[no-untyped-def]
        def run() -> None:
            for i in range(0, len(self.samples) - CHUNK + 1, CHUNK):
                on_chunk(self.samples[i : i + CHUNK])

        self._thread = threading.Thread(target=run)
        self._thread.start()

    def close(self) -> None:
        if self._thread:
            self._thread.join()
