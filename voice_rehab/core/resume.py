"""Continuing an interrupted session from the exercise and set where it stopped.

A session can be resumed when its last run ended by a crash, Ctrl-C or "stop". One that was
completed, or ended because of pain or warning signs, is not resumed: the person starts afresh
(or, after warning signs, sees a clinician first).
"""

from __future__ import annotations

from voice_rehab.core.plan import Plan
from voice_rehab.core.session import ResumeFrom
from voice_rehab.io.history import SessionSummary

RESUMABLE = {"interrupted", "stopped"}
_WHY_NOT = {
    "completed": "was completed",
    "pain": "ended because it hurt; start afresh when you are ready (`voice-rehab play`)",
    "red_flag": "ended with warning signs: please see a clinician before continuing",
}


class CannotResume(RuntimeError):
    """Nothing to resume; the message says why."""


def _resumable_elsewhere(sessions: list[SessionSummary], last: SessionSummary) -> SessionSummary | None:
    """The most recent session of another routine that is itself that routine's last and can be
    continued (only offered after a completed session: after pain or warning signs, nothing is)."""
    latest: dict[str, SessionSummary] = {}
    for s in sessions:
        latest[s.routine] = s
    fits = [s for s in latest.values() if s.routine != last.routine and s.ended in RESUMABLE]
    fits = [s for s in fits if not s.in_pain_questions and s.routine_file]
    return max(fits, key=lambda s: sessions.index(s)) if fits else None


def latest_resumable(sessions: list[SessionSummary], routine: str | None = None) -> SessionSummary:
    """The most recent session (of `routine`, if given), if it can be continued."""
    candidates = [s for s in sessions if routine is None or s.routine == routine]
    if not candidates:
        raise CannotResume("no session to resume" + (f" for '{routine}'" if routine else ""))
    last = candidates[-1]
    if last.ended not in RESUMABLE:
        why = f"the last session ({last.routine}, {last.date}) " + _WHY_NOT.get(last.ended, f"ended ({last.ended})")
        other = _resumable_elsewhere(sessions, last) if routine is None and last.ended == "completed" else None
        if other is not None:
            why += (
                f"; '{other.routine}' ({other.date}) can be continued: voice-rehab play {other.routine_file!r} --resume"
            )
        raise CannotResume(why)
    if last.in_pain_questions:  # it stopped while saying where it hurt: not to be carried on from there
        raise CannotResume(
            f"the last session ({last.routine}, {last.date}) ended during the pain questions; "
            "start afresh when you are ready (`voice-rehab play`)"
        )
    if not last.routine_file:
        raise CannotResume(f"session {last.session} was recorded by an older version, without its routine file")
    return last


def resume_point(plan: Plan, summary: SessionSummary) -> ResumeFrom:
    """Continue at the first set (or side) not yet done, announced as it would have been."""
    done_sets = set(summary.sets_done)
    finished = set(summary.completed) | set(summary.skipped)
    for index in plan.work_steps():
        step = plan.steps[index]
        if step.exercise in finished or (step.exercise, step.set_no, step.side) in done_sets:
            continue
        return ResumeFrom(plan.lead_in(index), tuple(summary.completed), tuple(summary.skipped))
    raise CannotResume(f"every exercise of session {summary.session} is already done")
