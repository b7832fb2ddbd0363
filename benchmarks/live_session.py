"""A real session engine driven by what a real listener decides, as the player drives it: the
session's questions set what the listener listens for next."""

from __future__ import annotations

from collections.abc import Iterable

from voice_rehab.core.events import Effect, Expect
from voice_rehab.core.phrases import Phrases
from voice_rehab.core.plan import build_plan
from voice_rehab.core.routine import parse_routine
from voice_rehab.core.session import Session
from voice_rehab.listen.listener import CommandListener


def session_of(routine: str, phrases: Phrases) -> Session:
    """A session of the routine written in `routine` (YAML text)."""
    return Session(build_plan(parse_routine(routine), phrases), phrases)


def listen_as_asked(listener: CommandListener, effects: Iterable[Effect]) -> None:
    """Carry out the session's `Expect` effects on `listener` (the rest are not the listener's)."""
    for effect in effects:
        if isinstance(effect, Expect):
            listener.expect(effect.what.value)
