"""What to play now: a new session at today's dose, or the continuation of an interrupted one.

Brings together the routine, the history, the settings and the progression state, and says the
result in the opening words ("Today's dose is 110 percent...", "Welcome back...").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from voice_rehab.core.phrases import Phrases
from voice_rehab.core.plan import Plan, build_plan
from voice_rehab.core.progression import Dose, ProgressionSettings, apply_dose, decide_dose
from voice_rehab.core.resume import CannotResume, resume_point
from voice_rehab.core.routine import Routine
from voice_rehab.core.session import ResumeFrom
from voice_rehab.io.history import SessionSummary


@dataclass(frozen=True)
class Today:
    routine: Routine  # at today's dose
    plan: Plan
    dose: Dose
    resume: ResumeFrom | None = None
    session_id: str | None = None  # the resumed session's id
    t_offset: float = 0.0  # where the resumed session's clock stopped


def dose_words(dose: Dose, phrases: Phrases) -> tuple[str, ...]:
    percent = round(dose.factor * 100)
    if dose.stopped:
        return (phrases.say("dose_stopped"),)
    if dose.factor > 1.0:
        return (phrases.say("dose_raised", percent=percent),)
    if dose.factor < 1.0:
        return (phrases.say("dose_lowered", percent=percent),)
    return ()


def new_session(
    routine: Routine,
    phrases: Phrases,
    sessions: list[SessionSummary],
    settings: ProgressionSettings,
    reset_at: datetime | None,
) -> Today:
    """Today's dose from this routine's past sessions, said before the routine starts."""
    own = [s for s in sessions if s.routine == routine.title]
    dose = decide_dose(own, settings, reset_at)
    dosed = apply_dose(routine, dose.factor)
    return Today(dosed, build_plan(dosed, phrases, dose_words(dose, phrases)), dose)


def continued_session(routine: Routine, phrases: Phrases, summary: SessionSummary) -> Today:
    """The interrupted session at the dose it had, from its first set not yet done."""
    dosed = apply_dose(routine, summary.dose)
    plain = build_plan(dosed, phrases)
    if summary.exercises and list(plain.exercise_names) != summary.exercises:
        raise CannotResume(
            f"the routine '{routine.title}' has changed since session {summary.session}; start it afresh"
        )
    start = resume_point(plain, summary)
    work = plain.steps[plain.next_work(start.step)]
    opening = (phrases.say("resume_from", name=work.name, set=max(1, work.set_no)),)
    dose = Dose(summary.dose, "as in the interrupted session")
    return Today(dosed, build_plan(dosed, phrases, opening), dose, start, summary.session, summary.duration)


def routine_file_of(summary: SessionSummary) -> Path:
    path = Path(summary.routine_file)
    if not path.is_file():
        raise CannotResume(f"the routine of session {summary.session} is no longer at {path}")
    return path
