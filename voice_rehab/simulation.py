"""Run a session on the virtual clock with no devices: for `simulate`, `render` and tests."""

from __future__ import annotations

from .events import Effect, View
from .phrases import Phrases
from .plan import Plan
from .runner import Runner
from .session import Session
from .speech.speaker import CaptionSpeaker
from .virtual import EventAt, VirtualInbox

Timeline = list[tuple[float, Effect]]


class NoDisplay:
    """A Display for runs nobody watches."""

    def show(self, view: View) -> None:
        pass

    def notice(self, text: str) -> None:
        pass

    def caption(self, text: str) -> None:
        pass


def run_virtual(plan: Plan, phrases: Phrases, script: list[tuple[float, EventAt]] | None = None,
                ) -> tuple[Session, Timeline]:
    """Play `plan` with the scripted events; return the session and every (time, effect)."""
    timeline: Timeline = []
    session = Session(plan, phrases)
    Runner(session, VirtualInbox(script), CaptionSpeaker(), NoDisplay(),
           observer=lambda t, effect: timeline.append((t, effect))).run()
    return session, timeline
