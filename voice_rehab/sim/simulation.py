"""Run a session on the virtual clock with no devices: for `simulate`, `render` and tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from voice_rehab.core.events import Effect, Log, Say, StateChanged, StopSpeech, View
from voice_rehab.core.phrases import Phrases
from voice_rehab.core.plan import Plan
from voice_rehab.core.ports import LogSink
from voice_rehab.core.session import ResumeFrom, Session
from voice_rehab.runner import Runner
from voice_rehab.sim.virtual import EventAt, VirtualInbox
from voice_rehab.speech.speaker import CaptionSpeaker

if TYPE_CHECKING:
    from voice_rehab.listen.room import VirtualRoom

Timeline = list[tuple[float, Effect]]


class NoDisplay:
    """A Display for runs nobody watches."""

    def show(self, view: View) -> None:
        pass

    def notice(self, text: str) -> None:
        pass

    def caption(self, text: str) -> None:
        pass


def run_virtual(
    plan: Plan,
    phrases: Phrases,
    script: list[tuple[float, EventAt]] | None = None,
    log: LogSink | None = None,
    resume: ResumeFrom | None = None,
) -> tuple[Session, Timeline]:
    """Play `plan` with the scripted events; return the session and every (time, effect)."""
    timeline: Timeline = []
    session = stream_virtual(plan, phrases, lambda t, effect: timeline.append((t, effect)), script, log, resume)
    return session, timeline


def stream_virtual(
    plan: Plan,
    phrases: Phrases,
    observer: Callable[[float, Effect], None],
    script: list[tuple[float, EventAt]] | None = None,
    log: LogSink | None = None,
    resume: ResumeFrom | None = None,
) -> Session:
    """Play `plan` with the scripted events, handing each effect to `observer` as it happens:
    nothing is kept, so a long routine's timeline costs no memory."""
    session = Session(plan, phrases, resume)
    Runner(session, VirtualInbox(script), CaptionSpeaker(), NoDisplay(), log=log, observer=observer).run()
    return session


def run_in_room(plan: Plan, phrases: Phrases, room: VirtualRoom) -> list[tuple[float, dict[str, Any]]]:
    """Play `plan` in a virtual room: the room is the runner's clock, microphone and speaker.

    Returns a timeline of records: what the listener decided (`heard`) and what the session did.
    """
    records: list[tuple[float, dict[str, Any]]] = []

    def observe(t: float, effect: Effect) -> None:
        record = effect_record(effect)
        if record is not None:
            records.append((t, record))

    session = Session(plan, phrases)
    runner = Runner(session, room, room, NoDisplay(), observer=observe, ears=room.listener)
    runner.run()
    for decision in room.heard:
        entry: dict[str, Any] = {"kind": "heard", decision.kind: decision.value, "heard": decision.heard}
        if decision.confidence is not None:
            entry["confidence"] = round(decision.confidence, 3)
        records.append((decision.t - runner.started, entry))
    records.sort(key=lambda r: (r[0], r[1]["kind"] != "heard"))
    return records


def effect_record(effect: Effect) -> dict[str, Any] | None:
    """An effect as a timeline record (display updates are left out)."""
    if isinstance(effect, Say):
        return {"kind": "say", "text": effect.text, "priority": effect.priority.name.lower()}
    if isinstance(effect, StopSpeech):
        return {"kind": "stop_speech"}
    if isinstance(effect, StateChanged):
        return {"kind": "state", "state": effect.state}
    if isinstance(effect, Log):
        return {"kind": "log", "event": effect.kind, "data": effect.data}
    return None
