"""Small builders shared by the engine tests."""

from __future__ import annotations

from typing import Any

from voice_rehab.core.events import Answer, Command, Heard, Log, Say, StateChanged, StopSpeech, Typed
from voice_rehab.core.phrases import phrases_for
from voice_rehab.core.plan import Plan, build_plan
from voice_rehab.core.routine import parse_routine
from voice_rehab.core.session import Session
from voice_rehab.sim.simulation import Timeline, run_virtual
from voice_rehab.sim.virtual import EventAt

EN = phrases_for("en")


def plan_of(text: str) -> Plan:
    return build_plan(parse_routine(text), EN)


def at(t: float, what: str) -> tuple[float, EventAt]:
    """A scripted event: a command name, 'answer:TEXT' or 'key:K'."""
    if what.startswith("answer:"):
        return t, lambda now: Answer(now, what.removeprefix("answer:"))
    if what.startswith("key:"):
        return t, lambda now: Typed(now, what.removeprefix("key:"))
    return t, lambda now: Heard(now, Command(what))


def run(text_or_plan: str | Plan, *events: tuple[float, EventAt]) -> tuple[Session, Timeline]:
    plan = plan_of(text_or_plan) if isinstance(text_or_plan, str) else text_or_plan
    return run_virtual(plan, EN, list(events))


def said(timeline: Timeline) -> list[tuple[float, str]]:
    return [(round(t, 2), e.text) for t, e in timeline if isinstance(e, Say)]


def texts(timeline: Timeline) -> list[str]:
    return [text for _, text in said(timeline)]


def logs(timeline: Timeline, kind: str | None = None) -> list[dict[str, Any]]:
    return [
        {"kind": e.kind, "t": round(t, 2), **e.data}
        for t, e in timeline
        if isinstance(e, Log) and (kind is None or e.kind == kind)
    ]


def states(timeline: Timeline) -> list[str]:
    return [e.state for _, e in timeline if isinstance(e, StateChanged)]


def stops(timeline: Timeline) -> list[float]:
    return [round(t, 2) for t, e in timeline if isinstance(e, StopSpeech)]


def time_of(timeline: Timeline, text: str) -> float:
    return next(t for t, said_text in said(timeline) if said_text == text)


PLAN_SIMPLE = plan_of("title: T\nprepare: 1\nexercises:\n  - {name: A, hold: 12}\n")
