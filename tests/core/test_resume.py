"""Resuming an interrupted session on the virtual clock: from the set where it stopped, as one
session in the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EN, at, said
from voice_rehab.core.plan import StepKind, build_plan
from voice_rehab.core.resume import CannotResume, latest_resumable
from voice_rehab.core.routine import parse_routine
from voice_rehab.core.today import continued_session
from voice_rehab.io.history import HistoryLog, read_history, summarize
from voice_rehab.sim.simulation import run_virtual

ROUTINE = parse_routine(
    "title: Two\nprepare: 1\nexercises:\n"
    "  - {name: Pelvic tilt, reps: 3, tempo: {tilt: 1, release: 1}}\n"
    "  - {name: Bird dog, hold: 8, sets: 3, sides: [left, right], rest: 5}\n"
    "  - {name: Child's pose, hold: 10}\n"
)


def start_of(exercise: int, set_no: int, side: str | None) -> float:
    plan = build_plan(ROUTINE, EN)
    t = 0.0
    for step in plan.steps:
        if step.kind is StepKind.WORK and (step.exercise, step.set_no, step.side) == (exercise, set_no, side):
            return t
        t += step.duration
    raise AssertionError("no such set")


def play(path: Path, stop_at: float | None = None, resume: bool = False):  # type: ignore[no-untyped-def]
    if resume:
        summary = latest_resumable(summarize(read_history(path).events))
        today = continued_session(ROUTINE, EN, summary)
        log = HistoryLog(
            path,
            ROUTINE.title,
            session_id=today.session_id,
            t_offset=today.t_offset,
            start_fields={"routine_file": "two.yaml", "dose": 1.0},
        )
        plan, start = today.plan, today.resume
    else:
        log = HistoryLog(path, ROUTINE.title, start_fields={"routine_file": "two.yaml", "dose": 1.0})
        plan, start = build_plan(ROUTINE, EN), None
    script = [at(stop_at, "stop")] if stop_at is not None else []
    session, timeline = run_virtual(plan, EN, script, log=log, resume=start)
    log.close()
    return session, said(timeline)


def test_a_stopped_session_continues_at_the_set_where_it_stopped(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    stopped_in = start_of(1, 2, "right") + 3.0  # during set 2, right side
    first, _ = play(path, stop_at=stopped_in)
    assert first.end_reason == "stopped" and first.completed == [0]
    second, words = play(path, resume=True)
    assert words[0][1].startswith("Welcome back. Continuing with Bird dog, set 2.")
    later = [text for _, text in words[1:]]
    assert later[0] == "Switch sides. Right side."  # the side it stopped on; set 2 left is not redone
    assert later.count("Set 3 of 3. Left side.") == 1 and "Set 2 of 3. Left side." not in later
    assert second.end_reason == "completed" and second.completed == [0, 1, 2]
    sessions = summarize(read_history(path).events)
    assert len(sessions) == 1  # one session in the history, in two runs
    whole = sessions[0]
    assert (whole.runs, whole.ended, len(whole.completed), whole.planned) == (2, "completed", 3, 3)
    assert whole.duration > stopped_in  # the resumed run's clock continues where it stopped
    assert sorted(set(whole.sets_done)) == sorted(whole.sets_done)  # no set done twice


def test_a_crash_mid_set_redoes_that_set(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    log = HistoryLog(path, ROUTINE.title, start_fields={"routine_file": "two.yaml"})
    crash_at = start_of(1, 1, "left") + 4.0
    session, _ = run_virtual(build_plan(ROUTINE, EN), EN, [], log=_Until(log, crash_at))
    log.close()  # the process died: no session_end in the history
    summary = latest_resumable(summarize(read_history(path).events))
    assert summary.ended == "interrupted"
    _, words = play(path, resume=True)
    assert words[0][1].startswith("Welcome back. Continuing with Bird dog, set 1.")
    assert words[1][1].startswith("Bird dog. Hold for 8 seconds.")  # first set: the whole introduction


def test_a_crash_during_the_pain_questions_is_not_resumed(tmp_path: Path) -> None:
    """Resuming would carry on with the movement that hurt, with the questions never answered."""
    path = tmp_path / "history.jsonl"
    log = HistoryLog(path, ROUTINE.title, start_fields={"routine_file": "two.yaml"})
    hurt_at = start_of(1, 1, "left") + 2.0
    run_virtual(build_plan(ROUTINE, EN), EN, [at(hurt_at, "hurts")], log=_Until(log, hurt_at + 1.0))
    log.close()  # the process died before the first answer
    with pytest.raises(CannotResume, match="during the pain questions"):
        latest_resumable(summarize(read_history(path).events))


class _Until:
    """A log that stops recording at `t`, as a killed process would."""

    def __init__(self, log: HistoryLog, t: float):
        self.log, self.t = log, t

    def write(self, kind: str, t: float, data: dict) -> None:  # type: ignore[type-arg]
        if t < self.t:
            self.log.write(kind, t, data)


@pytest.mark.parametrize(
    "ending, why", [("completed", "was completed"), ("pain", "because it hurt"), ("red_flag", "see a clinician")]
)
def test_finished_painful_or_red_flag_sessions_are_not_resumed(tmp_path: Path, ending: str, why: str) -> None:
    path = tmp_path / "history.jsonl"
    log = HistoryLog(path, "Two", start_fields={"routine_file": "two.yaml"})
    log.write("session_start", 0.0, {"planned": 3})
    log.write("session_end", 9.0, {"reason": ending})
    log.close()
    with pytest.raises(CannotResume, match=why):
        latest_resumable(summarize(read_history(path).events))


def test_a_routine_changed_since_is_not_resumed(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    play(path, stop_at=start_of(1, 1, "left"))
    changed = ROUTINE.model_copy(update={"exercises": ROUTINE.exercises[:2]})
    with pytest.raises(CannotResume, match="has changed"):
        continued_session(changed, EN, latest_resumable(summarize(read_history(path).events)))


def _session(path: Path, routine: str, ending: str | None) -> None:
    log = HistoryLog(path, routine, start_fields={"routine_file": f"{routine.lower()}.yaml"})
    log.write("session_start", 0.0, {"planned": 3})
    if ending:
        log.write("session_end", 9.0, {"reason": ending})
    log.close()


def test_after_a_completed_session_resume_names_an_interrupted_one_of_another_routine(tmp_path: Path) -> None:
    """`resume` looked at the very last session only and refused, though another routine's
    interrupted session could be continued."""
    path = tmp_path / "history.jsonl"
    _session(path, "Evening", "stopped")
    _session(path, "Morning", "completed")
    with pytest.raises(
        CannotResume, match=r"'Evening' \(.*\) can be continued: voice-rehab play 'evening.yaml' --resume"
    ):
        latest_resumable(summarize(read_history(path).events))


@pytest.mark.parametrize("ending", ["pain", "red_flag"])
def test_after_pain_or_warning_signs_no_other_session_is_offered(tmp_path: Path, ending: str) -> None:
    path = tmp_path / "history.jsonl"
    _session(path, "Evening", "stopped")
    _session(path, "Morning", ending)
    with pytest.raises(CannotResume) as raised:
        latest_resumable(summarize(read_history(path).events))
    assert "can be continued" not in str(raised.value)
