"""A virtual clock and a scripted inbox: a whole session runs without waiting or devices.

Used by `simulate`, `render` and the tests. `wait` jumps the clock straight to the next deadline
or the next scripted event, whichever comes first.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from functools import partial

from voice_rehab.core.events import Event
from voice_rehab.core.ports import InboxClosed

EventAt = Callable[[float], Event]  # builds the event for the time it arrives


class VirtualInbox:
    def __init__(self, script: list[tuple[float, EventAt]] | None = None, start: float = 0.0):
        self._now = start
        self._order = itertools.count()
        self._queue: list[tuple[float, int, EventAt]] = []
        for t, make in script or []:
            self.schedule(t, make)

    def now(self) -> float:
        return self._now

    def schedule(self, t: float, make: EventAt) -> None:
        heapq.heappush(self._queue, (t, next(self._order), make))

    def put(self, event: Event) -> None:
        self.schedule(self._now, partial(_already, event))

    def wait(self, deadline: float | None) -> Event | None:
        if self._queue and (deadline is None or self._queue[0][0] <= deadline):
            t, _, make = heapq.heappop(self._queue)
            self._now = max(self._now, t)
            return make(self._now)
        if deadline is None:
            raise InboxClosed("nothing scheduled and nothing can arrive")
        self._now = max(self._now, deadline)
        return None


def _already(event: Event, now: float) -> Event:
    """An event made before it is due (`put`): the same event whatever the time."""
    return event
