"""The interfaces the runner talks to; real devices and honest fakes both implement them."""

from __future__ import annotations

from typing import Any, Protocol

from voice_rehab.core.events import Event, Priority, View


class InboxClosed(Exception):
    """No event can ever arrive again (a virtual script has run out while nothing is scheduled)."""


class Inbox(Protocol):
    """Where input threads leave events, and the runner's clock."""

    def now(self) -> float:
        """Monotonic time in seconds."""

    def put(self, event: Event) -> None:
        """Deliver an event to the runner (thread-safe)."""

    def wait(self, deadline: float | None) -> Event | None:
        """The next event, or None once `deadline` (absolute) has passed without one."""


class Speaker(Protocol):
    """Says text aloud (or shows that it would)."""

    def say(self, text: str, priority: Priority) -> None: ...

    def stop(self) -> None:
        """Stop speaking at once and drop everything queued."""

    def wait_idle(self, timeout: float) -> None:
        """Wait (at most `timeout` seconds) until everything queued has been said."""

    def close(self) -> None: ...


class Display(Protocol):
    """Shows the session to a person on the floor."""

    def show(self, view: View) -> None: ...

    def caption(self, text: str) -> None:
        """Everything said is also shown, so the player works without speakers."""

    def notice(self, text: str) -> None:
        """A one-off message (a missing device, a fallback taken)."""


class LogSink(Protocol):
    """Receives session events for the history."""

    def write(self, kind: str, t: float, data: dict[str, Any]) -> None: ...


class Ears(Protocol):
    """Whatever listens for speech: told which phrases to listen for next."""

    def expect(self, what: str) -> None: ...
