"""A routine compiled into a flat list of timed steps, each with the cues to say at its offsets.

Compiling once keeps the engine simple (it only walks steps) and makes the spoken script of a
whole routine inspectable: render, simulate and the duration estimate all read this plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from voice_rehab.core.events import Priority
from voice_rehab.core.phrases import Phrases, speech_seconds
from voice_rehab.core.routine import Exercise, Routine

DEFAULT_REP_SECONDS = 3.0
GAP_AFTER_SPEECH = 1.0


class StepKind(str, Enum):
    START = "start"
    INTRO = "intro"
    READY = "ready"
    WORK = "work"
    REST = "rest"
    END = "end"


@dataclass(frozen=True)
class Cue:
    at: float  # seconds from the start of the step
    text: str
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class Step:
    kind: StepKind
    duration: float
    cues: tuple[Cue, ...]
    exercise: int = -1  # index into the routine's exercises; -1 outside any exercise
    name: str = ""
    set_no: int = 0
    sets: int = 0
    side: str | None = None
    work: str = ""  # "reps", "hold" or "timer" on WORK steps
    reps: int = 0
    rep_seconds: float = 0.0
    coming_up: str = ""


@dataclass(frozen=True)
class Plan:
    title: str
    language: str
    steps: tuple[Step, ...]
    exercise_names: tuple[str, ...]

    @property
    def duration(self) -> float:
        return sum(step.duration for step in self.steps)

    def work_steps(self) -> list[int]:
        return [i for i, step in enumerate(self.steps) if step.kind is StepKind.WORK]

    def next_work(self, index: int) -> int:
        """The first work step at or after `index` (`index` itself if there is none)."""
        return next((i for i in range(index, len(self.steps)) if self.steps[i].kind is StepKind.WORK), index)

    def lead_in(self, work: int) -> int:
        """Where to start so that a work step is announced: its "set 2, left side" words, or the
        exercise's introduction when it is the exercise's first work step."""
        index = work
        while index > 0 and self.steps[index - 1].exercise == self.steps[work].exercise:
            kind = self.steps[index - 1].kind
            if kind is StepKind.READY:
                index -= 1
            elif kind is StepKind.INTRO:
                return index - 1
            else:
                break
        return index

    def spoken(self) -> list[str]:
        """Every text the steps say, once each, in the order a session without interruptions says
        them (what a speaker can synthesise before it is due)."""
        return list(dict.fromkeys(cue.text for step in self.steps for cue in step.cues))

    def first_step_of(self, exercise: int) -> int | None:
        for index, step in enumerate(self.steps):
            if step.exercise == exercise:
                return index
        return None


def _secs(value: float) -> str:
    return f"{value:g}"


class _Compiler:
    def __init__(self, routine: Routine, phrases: Phrases, opening: tuple[str, ...], minutes: int):
        self.routine = routine
        self.opening = opening
        self.minutes = minutes  # the length said at the start
        self.p = phrases
        self.wpm = routine.rate or phrases.words_per_minute
        self.steps: list[Step] = []

    def talk_step(self, kind: StepKind, texts: list[str], pause_after: float, **info: Any) -> None:
        text = " ".join(" ".join(texts).split())  # YAML folded text may carry newlines
        duration = round(speech_seconds(text, self.wpm) + pause_after, 2)
        self.steps.append(Step(kind, duration, (Cue(0.0, text),), **info))  # type: ignore[arg-type]

    def compile(self) -> Plan:
        r, p = self.routine, self.p
        names = tuple(e.name for e in r.exercises)
        self.talk_step(
            StepKind.START,
            [
                *self.opening,
                p.say("routine_start", title=r.title, count=p.count_of("exercise", len(names)), minutes=self.minutes),
            ],
            GAP_AFTER_SPEECH,
            coming_up=names[0],
        )
        for index, exercise in enumerate(r.exercises):
            coming = names[index + 1] if index + 1 < len(names) else ""
            self.exercise(index, exercise, coming)
            if coming:
                rest = exercise.rest_after if exercise.rest_after is not None else r.rest_between_exercises
                texts = [p.say("rest_for", seconds=_secs(rest)), p.say("coming_up", name=coming)]
                self.rest(rest, texts, exercise=index, name=exercise.name, coming_up=coming)
        self.talk_step(StepKind.END, [p.say("routine_done")], 0.5)
        return Plan(r.title, r.language, tuple(self.steps), names)

    def exercise(self, index: int, ex: Exercise, coming: str) -> None:
        p = self.p
        info = dict(exercise=index, name=ex.name, sets=ex.sets, coming_up=coming)
        dose = {
            "reps": lambda: p.say("reps_dose", reps=ex.reps),
            "hold": lambda: p.say("hold_dose", seconds=_secs(ex.hold or 0)),
            "timer": lambda: p.say("timer_dose", duration=p.duration(ex.timer or 0)),
        }[ex.kind]()
        intro = [p.say("exercise_intro", name=ex.name), dose]
        if ex.sides:
            intro.append(p.say("per_side"))
        if ex.sets > 1:
            intro.append(p.say("sets_dose", sets=ex.sets))
        intro.append(ex.intro)
        if ex.kind == "reps":
            intro.extend(ex.cues)  # counting leaves no room for cues during the reps
        intro.append(p.say("get_ready"))
        self.talk_step(StepKind.INTRO, intro, self.routine.prepare, **info)
        rest = ex.rest if ex.rest is not None else self.routine.rest_between_sets
        for set_no in range(1, ex.sets + 1):
            for side_index, side in enumerate(ex.sides or [None]):
                texts = []
                if ex.sets > 1 and side_index == 0:
                    texts.append(p.say("set_of", set=set_no, sets=ex.sets))
                if side_index > 0:
                    texts.append(p.say("switch_sides"))
                if side:
                    texts.append(p.side(side))
                pause = self.routine.switch_sides if side_index > 0 else GAP_AFTER_SPEECH
                if texts:
                    self.talk_step(StepKind.READY, texts, pause, set_no=set_no, side=side, **info)
                self.steps.append(self.work(ex, set_no=set_no, side=side, **info))
            if set_no < ex.sets:
                self.rest(rest, [p.say("rest_for", seconds=_secs(rest))], set_no=set_no, **info)

    def rest(self, seconds: float, texts: list[str], **info: Any) -> None:
        if seconds <= 0:
            return  # no rest asked for: straight on
        cues = [Cue(0.0, " ".join(texts))]
        if seconds >= 12:
            cues.append(Cue(seconds - 5, self.p.say("seconds_left", seconds=5)))
        self.steps.append(Step(StepKind.REST, seconds, tuple(cues), **info))  # type: ignore[arg-type]

    def work(self, ex: Exercise, **info: Any) -> Step:
        if ex.kind == "reps":
            return self.reps_step(ex, **info)
        if ex.kind == "hold":
            return self.hold_step(ex, **info)
        return self.timer_step(ex, **info)

    def reps_step(self, ex: Exercise, **info: Any) -> Step:
        p = self.p
        reps = ex.reps or 0
        phases = list((ex.tempo or {"": DEFAULT_REP_SECONDS}).items())
        rep_seconds = sum(seconds for _, seconds in phases)
        cues: list[Cue] = []
        for rep in range(1, reps + 1):
            at = (rep - 1) * rep_seconds
            for phase_index, (phase, seconds) in enumerate(phases):
                if ex.count == "numbers":
                    text = str(rep) if phase_index == 0 else phase
                else:
                    text = phase.capitalize() if phase_index == 0 else p.say("phase_joiner", phase=phase)
                    if phase_index == 0 and rep == reps and reps > 1:
                        text = f"{p.say('last_rep')} {text}"
                if text:
                    cues.append(Cue(round(at, 2), text, Priority.LOW))
                at += seconds
        duration = round(reps * rep_seconds, 2)
        cues.append(Cue(duration, p.say("relax")))
        return Step(
            StepKind.WORK,
            duration,
            tuple(cues),
            work="reps",
            reps=reps,
            rep_seconds=rep_seconds,
            **info,
        )

    def hold_step(self, ex: Exercise, **info: Any) -> Step:
        p = self.p
        d = ex.hold or 0.0
        cues = [Cue(0.0, p.say("hold"))]
        # Form cues go in the first half, spread out, each given room to be said.
        for k, text in enumerate(ex.cues):
            at = d / 2 * (k + 1) / (len(ex.cues) + 1)
            if at >= 2.0 and d / 2 - at >= 2.0:
                cues.append(Cue(round(at, 2), text))
        if d >= 10:
            cues.append(Cue(round(d / 2, 2), p.say("halfway")))
        if d >= 30:
            cues.append(Cue(round(d - 10, 2), p.say("seconds_left", seconds=10)))
        if d >= 6:
            cues.extend(Cue(round(d - n, 2), str(n)) for n in (3, 2, 1))
        cues.append(Cue(d, p.say("release")))
        return Step(StepKind.WORK, d, tuple(sorted(cues, key=lambda c: c.at)), work="hold", **info)  # type: ignore[arg-type]

    def timer_step(self, ex: Exercise, **info: Any) -> Step:
        p = self.p
        d = ex.timer or 0.0
        every = ex.remind_every or 300.0
        cues = [Cue(0.0, " ".join([p.say("begin"), *ex.cues]))]
        at = every
        while d - at >= 90:
            cues.append(Cue(at, p.say("minutes_left", duration=p.duration(d - at))))
            at += every
        if d >= 180:
            cues.append(Cue(d - 60, p.say("one_minute_left")))
        cues.append(Cue(d, p.say("time_up")))
        return Step(StepKind.WORK, d, tuple(sorted(cues, key=lambda c: c.at)), work="timer", **info)  # type: ignore[arg-type]


def build_plan(routine: Routine, phrases: Phrases, opening: tuple[str, ...] = ()) -> Plan:
    """Compile a routine into the timed steps the engine walks through; `opening` is said first
    (today's dose, or where a resumed session continues)."""
    minutes = 1
    for _ in range(3):  # the length is said inside what it measures: settle it (the digits barely move it)
        plan = _Compiler(routine, phrases, opening, minutes).compile()
        spoken = spoken_minutes(plan.duration)
        if spoken == minutes:
            break
        minutes = spoken
    return plan


def spoken_minutes(seconds: float) -> int:
    """A session's length as said at its start and shown by `validate`: whole minutes, at least 1."""
    return max(1, round(seconds / 60))
