"""Pain-gated progression: how much of a routine to do next time, decided from the history alone.

The seed guide's rule: add 10 % or less volume a week, and back off when it hurts. As a pure
function over a routine's past sessions (oldest first):
- A session counts as "clean" when it was completed with no pain report above `pain_threshold`.
- After `sessions_needed` clean sessions in a row, and at least 7 days after the last increase,
  the dose grows by `weekly_step` (10 %), never above `max_dose`.
- A pain report above the threshold lowers the dose by one step (never below `min_dose`);
  any pain report resets the run of clean sessions, so the dose holds.
- A red-flag answer stops progression: the dose goes back to the routine as written (or lower)
  and stays there until the person resets progression after seeing a clinician.
The dose multiplies reps and hold times; counts are rounded down, so no number ever exceeds
what the dose allows (small counts move a whole rep at a time, later).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from voice_rehab.core.routine import Routine
from voice_rehab.io.history import SessionSummary

WEEK = timedelta(days=7)


class ProgressionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    sessions_needed: int = Field(3, ge=1, le=20, description="clean sessions in a row before the dose may grow")
    pain_threshold: int = Field(3, ge=0, le=10, description="pain scores above this count as 'it hurt'")
    weekly_step: float = Field(0.10, gt=0, le=0.10, description="growth per week; the guide's ceiling is 10 %")
    max_dose: float = Field(1.5, ge=1.0, le=3.0, description="the most the dose may reach, times the routine")
    min_dose: float = Field(0.5, gt=0, le=1.0, description="the least a painful week may lower it to")


@dataclass(frozen=True)
class Dose:
    factor: float  # times the routine as written
    reason: str  # one sentence for a person
    stopped: bool = False  # a red flag: no progression until reset
    clean_in_a_row: int = 0
    since: datetime | None = None  # when the dose last changed


def decide_dose(sessions: list[SessionSummary], settings: ProgressionSettings, since: datetime | None = None) -> Dose:
    """The dose for the next session, from this routine's sessions (those before `since`, the last
    reset, are ignored)."""
    factor, clean, changed_at = 1.0, 0, None
    reason = "the routine as written (no sessions yet)" if not sessions else "the routine as written"
    for s in sessions:
        when = s.when
        if when is None or (since is not None and when < since):
            continue
        worst = s.worst_pain
        if s.red_flag:
            return Dose(
                min(factor, 1.0),
                f"progression stopped: warning signs reported on {when:%d %b}; see a clinician before doing more",
                stopped=True,
                since=when,
            )
        if worst is not None and worst > settings.pain_threshold:
            lowered = max(settings.min_dose, round(factor * (1 - settings.weekly_step), 3))
            if lowered < factor:
                factor, changed_at = lowered, when
            clean = 0
            reason = f"lowered after pain {worst} of 10 on {when:%d %b}"
            continue
        if s.pain_reports:  # mild, or a score never understood: either way it hurt, so hold
            clean = 0
            score = f"pain {worst} of 10" if worst is not None else "pain (score not given)"
            reason = f"held: {score} reported on {when:%d %b}"
            continue
        if s.ended != "completed":
            continue  # an unfinished session neither counts nor resets
        clean += 1
        week_passed = changed_at is None or when - changed_at >= WEEK
        if clean >= settings.sessions_needed and week_passed and factor < settings.max_dose:
            factor = min(settings.max_dose, round(factor * (1 + settings.weekly_step), 3))
            changed_at, clean = when, 0
            reason = f"raised {settings.weekly_step:.0%} after {settings.sessions_needed} sessions without pain"
        elif factor >= settings.max_dose:
            reason = f"at the most progression allows ({settings.max_dose:.0%}); ask your physiotherapist what next"
        elif clean >= settings.sessions_needed and not week_passed:
            reason = "held: at most one increase a week"
        else:
            reason = f"{clean} of {settings.sessions_needed} sessions without pain towards the next increase"
    return Dose(factor, reason, clean_in_a_row=clean, since=changed_at)


def scaled(value: float, factor: float, whole: bool) -> float:
    """A rep count or hold time times the dose, rounded down (whole reps; holds to the second)."""
    floor = math.floor(value * factor + 1e-9)
    return max(1, floor) if whole else max(1.0, float(floor))


def apply_dose(routine: Routine, factor: float) -> Routine:
    """The routine with reps and hold times scaled; sets, rest and timers are left as written."""
    if factor == 1.0:
        return routine
    exercises = []
    for exercise in routine.exercises:
        update: dict[str, float] = {}
        if exercise.reps is not None:
            update["reps"] = scaled(exercise.reps, factor, whole=True)
        if exercise.hold is not None:
            update["hold"] = scaled(exercise.hold, factor, whole=False)
        exercises.append(exercise.model_copy(update=update))
    return routine.model_copy(update={"exercises": exercises})
