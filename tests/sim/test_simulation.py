"""A routine on the virtual clock: effects are handed on as they happen, never piled up."""

from __future__ import annotations

import tracemalloc

import pytest

from voice_rehab.core.events import Effect, Say
from voice_rehab.core.phrases import phrases_for
from voice_rehab.core.plan import build_plan
from voice_rehab.core.routine import parse_routine
from voice_rehab.sim.simulation import run_virtual, stream_virtual

EN = phrases_for("en")
LONG = "title: Long\nexercises:\n" + "  - {name: Tilt, reps: 100, sets: 5, tempo: {up: 1, down: 1}}\n" * 8


class Seen(Exception):
    pass


def test_each_effect_is_handed_on_as_it_happens() -> None:
    plan = build_plan(parse_routine(LONG), EN)

    def first_cue(t: float, effect: Effect) -> None:
        if isinstance(effect, Say):
            raise Seen(effect.text)

    with pytest.raises(Seen, match="Long"):  # at the first cue, long before the routine's end
        stream_virtual(plan, EN, first_cue)


def test_streaming_a_long_routine_keeps_nothing_and_sees_what_run_virtual_collects() -> None:
    plan = build_plan(parse_routine(LONG), EN)
    count = 0

    def counted(t: float, effect: Effect) -> None:
        nonlocal count
        count += 1

    tracemalloc.start()
    stream_virtual(plan, EN, counted)
    _, streamed_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    _, timeline = run_virtual(plan, EN)
    _, collected_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == len(timeline) > 10_000
    assert streamed_peak * 3 < collected_peak  # what grows with the routine is the collected list
