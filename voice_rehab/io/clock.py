"""The real inbox: a thread-safe queue read against the monotonic clock."""

from __future__ import annotations

import queue
import time

from voice_rehab.core.events import Event


class MonotonicInbox:
    def __init__(self) -> None:
        self._queue: queue.Queue[Event] = queue.Queue()

    def now(self) -> float:
        return time.monotonic()

    def put(self, event: Event) -> None:
        self._queue.put(event)

    def wait(self, deadline: float | None) -> Event | None:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
