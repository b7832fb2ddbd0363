"""The session engine's rules, event in and effects out, on a virtual clock."""

from __future__ import annotations

import math

import pytest

from tests.conftest import SHIPPED
from tests.helpers import EN, at, logs, plan_of, run, said, states, stops, texts, time_of
from voice_rehab.core.events import (
    Answer,
    Command,
    Expect,
    Heard,
    Hearing,
    Log,
    Say,
    Show,
    Source,
    Start,
    StopSpeech,
    Tick,
    Typed,
)
from voice_rehab.core.plan import StepKind, build_plan
from voice_rehab.core.routine import load_routine, parse_routine
from voice_rehab.core.session import ANSWER_TIMEOUT, HALT_LIMIT, QUESTION_WAIT, Session, State

ROUTINE = "title: T\nprepare: 1\nexercises:\n  - {name: A, hold: 20}\n  - {name: B, reps: 3}\n"
PLAN = plan_of(ROUTINE)
WORK_A = sum(s.duration for s in PLAN.steps[: next(i for i, s in enumerate(PLAN.steps) if s.kind is StepKind.WORK)])
INSIDE_HOLD = WORK_A + 3.0


def session_in(state: State) -> Session:
    """A session brought into `state` by real events, at time INSIDE_HOLD."""
    s = Session(PLAN, EN)
    if state is State.READY:
        return s
    s.handle(Start(0.0))
    s.handle(Tick(INSIDE_HOLD))
    if state is State.PAUSED or state is State.RESUMING:
        s.handle(Heard(INSIDE_HOLD, Command.PAUSE))
    if state is State.RESUMING:
        s.handle(Heard(INSIDE_HOLD + 1, Command.RESUME))
    if state is State.ASSESSING:
        s.handle(Heard(INSIDE_HOLD, Command.HURTS))
    if state is State.FINISHED:
        s.handle(Heard(INSIDE_HOLD, Command.STOP))
    assert s.state is state
    return s


def spoken(effects: list) -> list[str]:  # type: ignore[type-arg]
    return [e.text for e in effects if isinstance(e, Say)]


# state, command -> (state after, first thing said, speech cut?)
EVERY_COMMAND_IN_EVERY_STATE = {
    (State.READY, Command.PAUSE): (State.READY, "Not started yet.", False),
    (State.READY, Command.RESUME): (State.READY, "Not started yet.", False),
    (State.READY, Command.TOGGLE): (State.READY, "Not started yet.", False),
    (State.READY, Command.NEXT): (State.READY, "Not started yet.", False),
    (State.READY, Command.REPEAT): (State.READY, "Not started yet.", False),
    (State.READY, Command.STOP): (State.FINISHED, "Ending the session.", True),
    (State.READY, Command.HURTS): (State.ASSESSING, "Stopping. How bad is the pain, from zero to ten?", True),
    (State.READY, Command.MAYBE_HURTS): (State.READY, "Not started yet.", False),
    (State.READY, Command.MAYBE_STOP): (State.READY, "Not started yet.", False),
    (State.RUNNING, Command.PAUSE): (State.PAUSED, "Paused.", True),
    (State.RUNNING, Command.RESUME): (State.RUNNING, "Already going.", False),
    (State.RUNNING, Command.TOGGLE): (State.PAUSED, "Paused.", True),
    (State.RUNNING, Command.NEXT): (State.RUNNING, "Moving on.", True),
    (State.RUNNING, Command.REPEAT): (State.RUNNING, "Once more.", True),
    (State.RUNNING, Command.STOP): (State.FINISHED, "Ending the session.", True),
    (State.RUNNING, Command.HURTS): (State.ASSESSING, "Stopping. How bad is the pain, from zero to ten?", True),
    (State.RUNNING, Command.MAYBE_HURTS): (State.PAUSED, "Paused. Does something hurt?", True),
    (State.RUNNING, Command.MAYBE_STOP): (State.PAUSED, "Paused.", True),
    (State.PAUSED, Command.PAUSE): (State.PAUSED, "Already paused.", False),
    (State.PAUSED, Command.RESUME): (State.RESUMING, "Back in 3", False),
    (State.PAUSED, Command.TOGGLE): (State.RESUMING, "Back in 3", False),
    (State.PAUSED, Command.NEXT): (State.RUNNING, "Moving on.", True),
    (State.PAUSED, Command.REPEAT): (State.RUNNING, "Once more.", True),
    (State.PAUSED, Command.STOP): (State.FINISHED, "Ending the session.", True),
    (State.PAUSED, Command.HURTS): (State.ASSESSING, "Stopping. How bad is the pain, from zero to ten?", True),
    (State.PAUSED, Command.MAYBE_HURTS): (State.PAUSED, "Already paused. Does something hurt?", False),
    (State.PAUSED, Command.MAYBE_STOP): (State.PAUSED, "Already paused. Shall I end the session?", False),
    (State.RESUMING, Command.PAUSE): (State.PAUSED, "Paused.", True),
    (State.RESUMING, Command.RESUME): (State.RESUMING, "Already going.", False),
    (State.RESUMING, Command.TOGGLE): (State.PAUSED, "Paused.", True),
    (State.RESUMING, Command.NEXT): (State.RUNNING, "Moving on.", True),
    (State.RESUMING, Command.REPEAT): (State.RUNNING, "Once more.", True),
    (State.RESUMING, Command.STOP): (State.FINISHED, "Ending the session.", True),
    (State.RESUMING, Command.HURTS): (State.ASSESSING, "Stopping. How bad is the pain, from zero to ten?", True),
    (State.RESUMING, Command.MAYBE_HURTS): (State.PAUSED, "Paused. Does something hurt?", True),
    (State.RESUMING, Command.MAYBE_STOP): (State.PAUSED, "Paused.", True),
    (State.ASSESSING, Command.PAUSE): (State.ASSESSING, "Please answer first.", False),
    (State.ASSESSING, Command.RESUME): (State.ASSESSING, "Please answer first.", False),
    (State.ASSESSING, Command.TOGGLE): (State.ASSESSING, "Please answer first.", False),
    (State.ASSESSING, Command.NEXT): (State.ASSESSING, "Please answer first.", False),
    (State.ASSESSING, Command.REPEAT): (State.ASSESSING, "Please answer first.", False),
    (State.ASSESSING, Command.STOP): (State.FINISHED, "Ending the session.", True),
    (State.ASSESSING, Command.HURTS): (State.ASSESSING, "How bad is the pain, from zero to ten?", False),
    (State.ASSESSING, Command.MAYBE_HURTS): (State.ASSESSING, "Please answer first.", False),
    (State.ASSESSING, Command.MAYBE_STOP): (State.ASSESSING, "Please answer first.", False),
}


@pytest.mark.parametrize(
    "state, command",
    list(EVERY_COMMAND_IN_EVERY_STATE),
    ids=[f"{s.value}-{c.value}" for s, c in EVERY_COMMAND_IN_EVERY_STATE],
)
def test_every_command_in_every_state(state: State, command: Command) -> None:
    session = session_in(state)
    effects = session.handle(Heard(INSIDE_HOLD + 2, command))
    after, first_words, cuts = EVERY_COMMAND_IN_EVERY_STATE[(state, command)]
    assert session.state is after
    assert first_words in spoken(effects)[0]
    assert any(isinstance(e, StopSpeech) for e in effects) is cuts


def expects(effects: list) -> list[str]:  # type: ignore[type-arg]
    return [e.what for e in effects if isinstance(e, Expect)]


def asked_if_it_hurts() -> Session:
    """Paused, then "pause" heard again by voice: the player asks whether something hurts."""
    session = session_in(State.PAUSED)
    effects = session.handle(Heard(INSIDE_HOLD + 2, Command.PAUSE, heard="wait", source=Source.VOICE))
    assert spoken(effects) == ["Already paused. Does something hurt?"]
    assert expects(effects) == ["hurt_check"]  # yes, no, or the pain said again
    assert session.state is State.PAUSED and session.next_deadline() == INSIDE_HOLD + 2 + QUESTION_WAIT
    return session


@pytest.mark.parametrize("said", ["yes", "that hurts", "ouch"])
def test_pausing_again_by_voice_asks_if_something_hurts_and_yes_or_the_pain_starts_the_questions(said: str) -> None:
    """A "that hurts" heard as "pause" is heard as "pause" again when repeated (one held-out voice
    in quiet, every time): without the question the pain questions were out of reach by voice."""
    session = asked_if_it_hurts()
    effects = session.handle(Answer(INSIDE_HOLD + 4, said, source=Source.VOICE))
    assert session.state is State.ASSESSING
    assert spoken(effects) == ["Stopping. How bad is the pain, from zero to ten?"]
    assert expects(effects) == ["severity"]
    assert [(e.kind, e.data.get("answer")) for e in effects if isinstance(e, Log)][0] == ("hurt_check", "yes")


@pytest.mark.parametrize("answer, after", [("yes", State.ASSESSING), ("no", State.PAUSED)])
def test_a_doubted_that_hurts_halts_and_asks_and_yes_starts_the_pain_questions(answer: str, after: State) -> None:
    """The verifier doubted a "that hurts" the grammar heard: on a voice unlike any it learnt it
    doubts real ones, so the movement stops and the person is asked rather than ignored."""
    session = session_in(State.RUNNING)
    effects = session.handle(Heard(INSIDE_HOLD + 2, Command.MAYBE_HURTS, heard="that hurts", source=Source.VOICE))
    assert session.state is State.PAUSED and any(isinstance(e, StopSpeech) for e in effects)
    assert spoken(effects) == ["Paused. Does something hurt?"] and expects(effects) == ["hurt_check"]
    assert ("hurt_check_asked", {"why": "doubted"}) in [(e.kind, e.data) for e in effects if isinstance(e, Log)]
    session.handle(Answer(INSIDE_HOLD + 4, answer, source=Source.VOICE))
    assert session.state is after
    # in silence it stays paused: nothing moves on by itself after a possible pain
    session = session_in(State.RUNNING)
    session.handle(Heard(INSIDE_HOLD + 2, Command.MAYBE_HURTS, heard="that hurts", source=Source.VOICE))
    session.handle(Tick(INSIDE_HOLD + 2 + QUESTION_WAIT + 30))
    assert session.state is State.PAUSED


@pytest.mark.parametrize("said", ["stop", "end session"])
def test_stop_said_while_asked_if_something_hurts_ends_the_session(said: str) -> None:
    """The question listens for its answers only: a "stop" was heard as no answer, and the person
    who meant it waited out the question to say it again."""
    session = asked_if_it_hurts()
    effects = session.handle(Answer(INSIDE_HOLD + 4, said, source=Source.VOICE))
    assert session.state is State.FINISHED and session.end_reason == "stopped"
    assert spoken(effects)[0] == "Ending the session."
    assert ("hurt_check", "stop") in [(e.kind, e.data.get("answer")) for e in effects if isinstance(e, Log)]


def test_no_or_silence_after_the_question_stays_paused_and_listens_for_commands_again() -> None:
    session = asked_if_it_hurts()
    effects = session.handle(Answer(INSIDE_HOLD + 4, "no", source=Source.VOICE))
    assert (session.state, spoken(effects), expects(effects)) == (State.PAUSED, ["Still paused."], ["commands"])
    assert session.next_deadline() is None
    session = asked_if_it_hurts()
    assert (
        expects(session.handle(Answer(INSIDE_HOLD + 3, "maybe", source=Source.VOICE))) == []
    )  # no answer: still asking
    assert expects(session.handle(Tick(INSIDE_HOLD + 2 + QUESTION_WAIT - 0.1))) == []
    effects = session.handle(Tick(INSIDE_HOLD + 2 + QUESTION_WAIT))
    assert (session.state, spoken(effects), expects(effects)) == (State.PAUSED, [], ["commands"])
    assert [(e.kind, e.data) for e in effects if isinstance(e, Log)] == [("hurt_check", {"answer": None})]
    # asked again at the next "pause" heard
    assert spoken(session.handle(Heard(INSIDE_HOLD + 20, Command.PAUSE, source=Source.VOICE)))[0].endswith("hurt?")


def test_keys_during_the_question_keep_their_meaning_and_the_question_ends_with_the_pause() -> None:
    session = asked_if_it_hurts()
    effects = session.handle(Typed(INSIDE_HOLD + 3, " "))  # space: resume
    assert session.state is State.RESUMING and expects(effects) == ["commands"]
    assert session.check is None
    session = asked_if_it_hurts()
    session.handle(Typed(INSIDE_HOLD + 3, "yes"))
    assert session.state is State.ASSESSING
    session = asked_if_it_hurts()
    session.handle(Typed(INSIDE_HOLD + 3, "n"))  # a key, not "no": next exercise
    assert session.state is State.RUNNING and session.step.name == "B"


def asked_to_end() -> Session:
    """A doubted "stop" paused the routine; heard so again while paused, the player asks to end."""
    session = session_in(State.RUNNING)
    effects = session.handle(Heard(INSIDE_HOLD + 1, Command.MAYBE_STOP, heard="stop", source=Source.VOICE))
    assert (session.state, spoken(effects), expects(effects)) == (State.PAUSED, ["Paused."], [])
    effects = session.handle(Heard(INSIDE_HOLD + 2, Command.MAYBE_STOP, heard="stop", source=Source.VOICE))
    assert spoken(effects) == ["Already paused. Shall I end the session?"]
    assert expects(effects) == ["end_check"]  # yes, the stop said again, no, or the pain
    assert ("end_check_asked", {"why": "doubted stop"}) in [(e.kind, e.data) for e in effects if isinstance(e, Log)]
    assert session.state is State.PAUSED and session.next_deadline() == INSIDE_HOLD + 2 + QUESTION_WAIT
    return session


@pytest.mark.parametrize("said", ["yes", "stop", "end session"])
def test_a_doubted_stop_said_again_asks_to_end_and_yes_or_the_stop_again_ends(said: str) -> None:
    """In noise the judge doubts real stops: a doubted stop pauses, and the person who meant
    "stop" says it again. That asks before ending, where "Does something hurt?" was asked."""
    session = asked_to_end()
    effects = session.handle(Answer(INSIDE_HOLD + 4, said, source=Source.VOICE))
    assert session.state is State.FINISHED and session.end_reason == "stopped"
    assert spoken(effects)[0] == "Ending the session." and any(isinstance(e, StopSpeech) for e in effects)
    assert ("end_check", "yes") in [(e.kind, e.data.get("answer")) for e in effects if isinstance(e, Log)]


@pytest.mark.parametrize("said", ["that hurts", "ouch"])
def test_the_pain_said_to_the_question_to_end_starts_the_pain_questions(said: str) -> None:
    session = asked_to_end()
    effects = session.handle(Answer(INSIDE_HOLD + 4, said, source=Source.VOICE))
    assert session.state is State.ASSESSING and expects(effects) == ["severity"]


def test_no_or_silence_after_the_question_to_end_stays_paused() -> None:
    session = asked_to_end()
    effects = session.handle(Answer(INSIDE_HOLD + 4, "no", source=Source.VOICE))
    assert (session.state, spoken(effects), expects(effects)) == (State.PAUSED, ["Still paused."], ["commands"])
    session = asked_to_end()
    effects = session.handle(Tick(INSIDE_HOLD + 2 + QUESTION_WAIT))
    assert (session.state, spoken(effects), expects(effects)) == (State.PAUSED, [], ["commands"])
    assert [(e.kind, e.data) for e in effects if isinstance(e, Log)] == [("end_check", {"answer": None})]
    # the keys keep their meaning while it waits: q ends, space resumes
    session = asked_to_end()
    session.handle(Typed(INSIDE_HOLD + 3, " "))
    assert session.state is State.RESUMING and session.check is None


def test_the_question_to_end_shows_its_answers_and_keys() -> None:
    session = session_in(State.PAUSED)
    effects = session.handle(Heard(INSIDE_HOLD + 2, Command.MAYBE_STOP, heard="stop", source=Source.VOICE))
    hint = [e.view.hint for e in effects if isinstance(e, Show)][-1]
    assert (hint.question, hint.keys) == ("end_check", ("q", "space"))


def test_a_doubted_stop_confirming_a_halt_says_paused() -> None:
    session = session_in(State.RUNNING)
    session.handle(Heard(INSIDE_HOLD + 1, Command.HALT, heard="stop", source=Source.VOICE))
    effects = session.handle(Heard(INSIDE_HOLD + 1.5, Command.MAYBE_STOP, heard="stop", source=Source.VOICE))
    assert session.state is State.PAUSED and spoken(effects) == ["Paused."]


def test_pausing_again_by_key_only_says_already_paused() -> None:
    session = session_in(State.PAUSED)
    effects = session.handle(Typed(INSIDE_HOLD + 2, "p"))
    assert spoken(effects) == ["Already paused."] and expects(effects) == []


def test_commands_after_the_end_do_nothing() -> None:
    session = session_in(State.FINISHED)
    for command in Command:
        assert [e for e in session.handle(Heard(99.0, command)) if not isinstance(e, Show)] == []


def test_a_whole_shipped_routine_runs_to_completion() -> None:
    for path in SHIPPED:
        plan = build_plan(load_routine(path), EN)
        session, timeline = run(plan)
        assert session.state is State.FINISHED
        assert session.completed == list(range(len(plan.exercise_names)))
        [end] = logs(timeline, "session_end")
        assert end["reason"] == "completed" and end["t"] == pytest.approx(plan.duration, abs=0.01)
        assert texts(timeline)[-1] == "Routine complete. Well done."


def test_cues_are_said_at_their_planned_times() -> None:
    _, timeline = run(PLAN)
    assert time_of(timeline, "Halfway.") == pytest.approx(WORK_A + 10)
    assert [t for t, text in said(timeline) if text in "321" and t < WORK_A + 20] == pytest.approx(
        [WORK_A + 17, WORK_A + 18, WORK_A + 19]
    )


def test_late_ticks_do_not_accumulate_drift() -> None:
    """Ticks that arrive late (a busy machine) delay a cue only until that tick, never after."""
    session = Session(PLAN, EN)
    heard = [(0.0, e.text) for e in session.handle(Start(0.0)) if isinstance(e, Say)]
    now = 0.0
    while not session.finished:
        now = round(now + 0.7, 6)  # ticks at a fixed 0.7 s, ignoring the deadlines asked for
        heard += [(now, e.text) for e in session.handle(Tick(now)) if isinstance(e, Say)]
    _, exact = run(PLAN)
    planned = said(exact)
    assert [text for _, text in heard] == [text for _, text in planned]
    for (late, _), (on_time, _) in zip(heard, planned):
        assert on_time <= late < on_time + 0.7 + 1e-6


def test_pause_freezes_every_timer_and_resume_counts_in() -> None:
    _, timeline = run(PLAN, at(WORK_A + 5, "pause"), at(WORK_A + 105, "resume"))
    assert stops(timeline)[0] == pytest.approx(WORK_A + 5)
    resumed = WORK_A + 105
    assert [(t, x) for t, x in said(timeline) if resumed <= t < resumed + 3] == [
        (pytest.approx(resumed), "Back in 3"),
        (pytest.approx(resumed + 1), "2"),
        (pytest.approx(resumed + 2), "1"),
    ]
    # 5 s of the hold were done before the pause; halfway comes 5 s after the count-in.
    assert time_of(timeline, "Halfway.") == pytest.approx(resumed + 3 + 5)
    assert not [t for t, _ in said(timeline) if WORK_A + 5 < t < resumed]


def test_resume_mid_rep_restarts_that_rep() -> None:
    plan = plan_of("title: T\nexercises:\n  - {name: Tilt, reps: 4, tempo: {up: 2, down: 2}}\n")
    work = sum(s.duration for s in plan.steps[:2])
    _, timeline = run(plan, at(work + 5, "pause"), at(work + 20, "resume"))
    after = [x for t, x in said(timeline) if t >= work + 23]
    assert after[:2] == ["2", "down"]  # rep 2 started at 4 s; paused at 5 s; it starts again


def test_resume_during_the_intro_says_it_again() -> None:
    intro_at = PLAN.steps[0].duration
    _, timeline = run(PLAN, at(intro_at + 1, "pause"), at(intro_at + 10, "resume"))
    intro = PLAN.steps[1].cues[0].text
    assert [t for t, x in said(timeline) if x == intro] == pytest.approx([intro_at, intro_at + 13])


def test_next_skips_to_the_next_exercise_and_logs_it() -> None:
    session, timeline = run(PLAN, at(INSIDE_HOLD, "next"))
    assert "Halfway." not in texts(timeline)
    assert "B. 3 reps. Get ready." in texts(timeline)
    assert [e["name"] for e in logs(timeline, "exercise_skipped")] == ["A"]
    assert session.completed == [1] and session.skipped == [0]


def test_next_on_the_last_exercise_ends_the_routine() -> None:
    b_work = sum(s.duration for s in PLAN.steps if s.exercise < 1 or s.kind is StepKind.INTRO)
    session, timeline = run(PLAN, at(b_work + 1, "next"))
    assert texts(timeline)[-1] == "Routine complete. Well done."
    assert session.skipped == [1]


def test_repeat_restarts_the_current_set() -> None:
    _, timeline = run(PLAN, at(INSIDE_HOLD + 10, "repeat"))  # 13 s into the 20 s hold
    holds = [t for t, x in said(timeline) if x == "Hold."]
    assert holds == pytest.approx([WORK_A, INSIDE_HOLD + 10])
    assert texts(timeline).count("Halfway.") == 2


def test_repeat_on_the_second_side_redoes_that_side() -> None:
    plan = plan_of("title: T\nexercises:\n  - {name: K, hold: 10, sides: [left, right]}\n")
    right = next(i for i, s in enumerate(plan.steps) if s.side == "right" and s.kind is StepKind.WORK)
    t = sum(s.duration for s in plan.steps[:right]) + 4
    _, timeline = run(plan, at(t, "repeat"))
    assert texts(timeline).count("Switch sides. Right side.") == 2
    assert texts(timeline).count("Left side.") == 1


def test_repeat_in_the_rest_between_sets_repeats_the_set_just_done() -> None:
    plan = plan_of("title: T\nexercises:\n  - {name: S, reps: 2, sets: 2, rest: 20}\n")
    rest = next(i for i, s in enumerate(plan.steps) if s.kind is StepKind.REST)
    t = sum(s.duration for s in plan.steps[:rest]) + 2
    _, timeline = run(plan, at(t, "repeat"))
    assert texts(timeline).count("Set 1 of 2.") == 2


def test_repeat_before_any_exercise_says_there_is_nothing() -> None:
    _, timeline = run(PLAN, at(1.0, "repeat"))
    assert "Nothing to go back to yet." in texts(timeline)


def test_stop_ends_with_a_short_summary() -> None:
    session, timeline = run(PLAN, at(INSIDE_HOLD, "stop"))
    assert texts(timeline)[-2:] == ["Ending the session.", "You completed 0 of 2 exercises."]
    assert logs(timeline, "session_end")[0]["reason"] == "stopped"
    assert session.finished


# ---- stop-and-assess ----


def assess(*answers: str, start: float = INSIDE_HOLD) -> tuple[Session, list]:  # type: ignore[type-arg]
    events = [at(start, "hurts")] + [at(start + 1 + i, f"answer:{a}") for i, a in enumerate(answers)]
    return run(PLAN, *events)


def test_that_hurts_stops_speech_and_timers_at_once() -> None:
    session, timeline = assess()
    assert stops(timeline) == [pytest.approx(INSIDE_HOLD)]
    assert (pytest.approx(INSIDE_HOLD), "Stopping. How bad is the pain, from zero to ten?") in said(timeline)
    assert not [x for t, x in said(timeline) if INSIDE_HOLD < t < INSIDE_HOLD + ANSWER_TIMEOUT]
    assert logs(timeline, "pain_start")[0]["name"] == "A"


def test_mild_dull_pain_goes_straight_to_the_choice_and_can_continue_gently() -> None:
    session, timeline = assess("3", "dull", "continue")
    words = texts(timeline)
    assert "Does it spread below your knee, or do you feel numbness or weakness?" not in words
    assert "Would you like to skip this exercise, end the session, or continue gently?" in words
    assert "Continuing gently. Move only as far as is comfortable." in words
    [report] = logs(timeline, "pain_report")
    assert (report["severity"], report["pain_type"], report["choice"], report["outcome"]) == (
        3,
        "dull",
        "continue",
        "continue",
    )
    # The hold continues from where it froze: 3 s done, so halfway 7 s after the count-in.
    resumed = INSIDE_HOLD + 3
    assert time_of(timeline, "Halfway.") == pytest.approx(resumed + 3 + 7)
    assert session.completed == [0, 1]


@pytest.mark.parametrize(
    "severity, kind, asks_red_flags",
    [("3", "dull", False), ("6", "dull", False), ("7", "dull", True), ("2", "sharp", True), ("10", "sharp", True)],
)
def test_red_flags_asked_when_pain_is_strong_or_sharp(severity: str, kind: str, asks_red_flags: bool) -> None:
    _, timeline = assess(severity, kind)
    asked = "Does it spread below your knee, or do you feel numbness or weakness?" in texts(timeline)
    assert asked is asks_red_flags


def test_a_red_flag_ends_the_session_with_advice_to_see_a_clinician() -> None:
    session, timeline = assess("8", "sharp", "yes")
    assert session.finished
    advice = [x for x in texts(timeline) if "clinician" in x]
    assert advice and "below the knee" in advice[0]
    # and the signs that cannot wait for an appointment (nerve roots pressed at the base of the spine)
    assert "bladder or bowels" in advice[0] and "emergency care now" in advice[0]
    [report] = logs(timeline, "pain_report")
    assert report["red_flags"] is True and report["outcome"] == "red_flag"
    assert logs(timeline, "session_end")[0]["reason"] == "red_flag"


def test_strong_pain_without_red_flags_advises_ending_then_offers_the_choice() -> None:
    session, timeline = assess("8", "dull", "no", "end")
    assert any("Ending here for today is the safe choice" in x for x in texts(timeline))
    assert session.finished and logs(timeline, "session_end")[0]["reason"] == "pain"
    assert logs(timeline, "pain_report")[0]["red_flags"] is False


def test_choosing_skip_moves_to_the_next_exercise_after_a_rest() -> None:
    session, timeline = assess("4", "sharp", "no", "skip")
    words = texts(timeline)
    assert words.index("Rest for 20 seconds. Coming up: B.") > words.index(
        "Skipping this exercise. Take your time; the following one starts after a rest."
    )
    assert session.skipped == [0] and session.completed == [1]


def test_an_unclear_answer_is_asked_again_once() -> None:
    session, timeline = assess("purple", "5", "dull", "continue")
    assert "Sorry, I didn't catch that. Stopping. How bad is the pain, from zero to ten?" in texts(timeline)
    assert logs(timeline, "pain_report")[0]["severity"] == 5


def test_two_unclear_answers_take_the_safe_choice_and_wait_paused() -> None:
    session, timeline = assess("purple", "banana")
    assert "I'll end this exercise to be safe. Paused: carry on when you are ready." in texts(timeline)
    assert session.state is State.PAUSED and session.step.name == "B"
    report = logs(timeline, "pain_report")[0]
    assert report["outcome"] == "safe_choice" and report["severity"] is None
    assert [a["value"] for a in logs(timeline, "pain_answer")] == [None, None]


def test_silence_is_asked_again_then_the_safe_choice_is_taken() -> None:
    session, timeline = run(PLAN, at(INSIDE_HOLD, "hurts"))
    asked = [t for t, x in said(timeline) if "How bad is the pain" in x]
    assert asked == pytest.approx([INSIDE_HOLD, INSIDE_HOLD + ANSWER_TIMEOUT])
    assert session.state is State.PAUSED
    assert logs(timeline, "pain_report")[0]["reason"] == "no answer"


def test_stop_during_the_dialogue_keeps_the_partial_report() -> None:
    session, timeline = run(
        PLAN, at(INSIDE_HOLD, "hurts"), at(INSIDE_HOLD + 1, "answer:6"), at(INSIDE_HOLD + 2, "stop")
    )
    [report] = logs(timeline, "pain_report")
    assert report["severity"] == 6 and report["outcome"] == "ended"
    assert session.finished
    # it ended because it hurt: `resume` says to start afresh rather than carry on where it hurt
    assert logs(timeline, "session_end")[0]["reason"] == "pain"


def test_keyboard_answers_and_keys() -> None:
    session, timeline = run(
        PLAN,
        at(INSIDE_HOLD, "key:h"),
        at(INSIDE_HOLD + 1, "key:x"),
        at(INSIDE_HOLD + 2, "key:s"),
        at(INSIDE_HOLD + 3, "key:n"),
        at(INSIDE_HOLD + 4, "key:e"),
    )
    report = logs(timeline, "pain_report")[0]
    assert (report["severity"], report["pain_type"], report["red_flags"], report["choice"]) == (
        10,
        "sharp",
        False,
        "end",
    )


@pytest.mark.parametrize(
    "key, state",
    [
        (" ", State.PAUSED),
        ("p", State.PAUSED),
        ("q", State.FINISHED),
        ("h", State.ASSESSING),
        ("that hurts", State.ASSESSING),
        ("ouch", State.ASSESSING),
        ("pause", State.PAUSED),
        ("z", State.RUNNING),
    ],
)
def test_typed_keys_and_lines(key: str, state: State) -> None:
    session = session_in(State.RUNNING)
    session.handle(Typed(INSIDE_HOLD + 1, key))
    assert session.state is state


def test_space_toggles_pause_and_resume() -> None:
    session = session_in(State.RUNNING)
    session.handle(Typed(INSIDE_HOLD + 1, " "))
    session.handle(Typed(INSIDE_HOLD + 2, " "))
    assert session.state is State.RESUMING


def test_answers_outside_the_dialogue_are_ignored() -> None:
    session = session_in(State.RUNNING)
    effects = session.handle(Answer(INSIDE_HOLD + 1, "7"))
    assert session.state is State.RUNNING and not spoken(effects)


def test_every_answer_is_logged_with_its_source() -> None:
    _, timeline = assess("3", "dull", "skip")
    answers = logs(timeline, "pain_answer")
    assert [(a["question"], a["value"]) for a in answers] == [
        ("severity", "3"),
        ("pain_type", "dull"),
        ("choice", "skip"),
    ]


# ---- what the runner needs: deadlines and the view ----


def test_no_deadline_while_paused_and_a_deadline_per_second_in_a_hold() -> None:
    session = session_in(State.RUNNING)
    deadline = session.next_deadline()
    assert deadline is not None and INSIDE_HOLD < deadline <= INSIDE_HOLD + 1
    session.handle(Heard(INSIDE_HOLD, Command.PAUSE))
    assert session.next_deadline() is None


def test_the_view_shows_a_large_countdown_during_a_hold() -> None:
    session = session_in(State.RUNNING)
    views = [e.view for e in session.handle(Tick(INSIDE_HOLD + 1.5)) if isinstance(e, Show)]
    assert views[-1].count == str(math.ceil(20 - 4.5)) and views[-1].exercise == "A"
    assert Command.HURTS in views[-1].hint.say and "h" in views[-1].hint.keys


def test_the_view_counts_reps_and_shows_the_question_while_assessing() -> None:
    plan = plan_of("title: T\nexercises:\n  - {name: Tilt, reps: 4, tempo: {up: 2, down: 2}}\n")
    work = sum(s.duration for s in plan.steps[:2])
    s = Session(plan, EN)
    s.handle(Start(0.0))
    view = [e.view for e in s.handle(Tick(work + 5)) if isinstance(e, Show)][-1]
    assert view.count == "2/4"
    view = [e.view for e in s.handle(Heard(work + 5, Command.HURTS)) if isinstance(e, Show)][-1]
    assert view.state == "assessing" and view.hint.question == "severity"


def test_session_log_counts_every_event_kind() -> None:
    _, timeline = run(PLAN, at(INSIDE_HOLD, "pause"), at(INSIDE_HOLD + 5, "resume"))
    kinds = [e["kind"] for e in logs(timeline)]
    for kind in ("session_start", "command", "pause", "resume", "exercise_done", "session_end"):
        assert kind in kinds
    assert states(timeline)[:4] == ["running", "paused", "resuming", "running"]


# state -> (state after losing the voice listener, what is said)
LOST = "I can no longer hear you. Use the keys instead: the space bar, or h if something hurts."
LOSING_THE_LISTENER = {
    State.READY: (State.READY, [LOST]),
    State.RUNNING: (State.PAUSED, ["Paused.", LOST]),
    State.RESUMING: (State.PAUSED, ["Paused.", LOST]),
    State.PAUSED: (State.PAUSED, [LOST]),
    State.ASSESSING: (State.ASSESSING, [LOST]),  # keys answer the questions too
}


def test_losing_the_listener_after_the_session_ended_says_nothing() -> None:
    assert session_in(State.FINISHED).handle(Hearing(INSIDE_HOLD + 2, False, "unplugged")) == []


@pytest.mark.parametrize("state", list(LOSING_THE_LISTENER))
def test_losing_the_listener_pauses_a_running_routine_and_says_to_use_the_keys(state: State) -> None:
    session = session_in(state)
    effects = session.handle(Hearing(INSIDE_HOLD + 2, False, "the microphone stopped sending sound"))
    after, said_now = LOSING_THE_LISTENER[state]
    assert session.state is after and spoken(effects) == said_now
    [log] = [e for e in effects if isinstance(e, Log) and e.kind == "hearing"]
    assert log.data == {"ok": False, "reason": "the microphone stopped sending sound"}
    if state in (State.RUNNING, State.RESUMING, State.PAUSED):  # the status line offers the keys alone
        hint = [e.view.hint for e in effects if isinstance(e, Show)][-1]
        assert not hint.voice and hint.keys[0] == "space"
    assert session.handle(Hearing(INSIDE_HOLD + 3, False, "again")) == []  # told once
    effects = session.handle(Hearing(INSIDE_HOLD + 5, True))
    assert spoken(effects) == ["I can hear you now."] and session.state is after  # it stays paused


# The listener's halt (silent) and its release, in every state: (state after, speech cut?)
HALT_IN_EVERY_STATE = {
    State.READY: (State.READY, False),
    State.RUNNING: (State.PAUSED, True),
    State.PAUSED: (State.PAUSED, False),
    State.RESUMING: (State.PAUSED, True),
    State.ASSESSING: (State.ASSESSING, False),
    State.FINISHED: (State.FINISHED, False),
}


@pytest.mark.parametrize("state", list(HALT_IN_EVERY_STATE), ids=[s.value for s in HALT_IN_EVERY_STATE])
def test_a_halt_stops_speech_and_timers_silently_and_a_release_undoes_only_a_halt(state: State) -> None:
    session = session_in(state)
    effects = session.handle(Heard(INSIDE_HOLD + 2, Command.HALT, heard="four", source=Source.VOICE))
    after, cuts = HALT_IN_EVERY_STATE[state]
    assert session.state is after and spoken(effects) == []
    assert any(isinstance(e, StopSpeech) for e in effects) is cuts
    released = session.handle(Heard(INSIDE_HOLD + 2.5, Command.RELEASE, heard="four", source=Source.VOICE))
    assert session.state is (State.RUNNING if cuts else state)
    assert spoken(released) == []  # no count-in, no words: as if nothing had happened


def test_a_released_halt_loses_only_the_half_second_it_lasted() -> None:
    session = session_in(State.RUNNING)  # 3 s into a 20 s hold
    session.handle(Heard(INSIDE_HOLD + 1.0, Command.HALT))
    session.handle(Heard(INSIDE_HOLD + 1.5, Command.RELEASE))
    assert session.next_deadline() is not None
    assert session.now - session.anchor == pytest.approx(4.0)  # 4 s held, not 4.5


@pytest.mark.parametrize(
    "decided, state, words",
    [
        (Command.PAUSE, State.PAUSED, ["Paused."]),  # no "Does something hurt?": it was paused once
        (Command.MAYBE_HURTS, State.PAUSED, ["Paused. Does something hurt?"]),
        (Command.HURTS, State.ASSESSING, ["Stopping. How bad is the pain, from zero to ten?"]),
        (Command.STOP, State.FINISHED, ["Ending the session."]),
    ],
)
def test_what_the_judge_decides_after_a_halt_acts_as_said(decided: Command, state: State, words: list[str]) -> None:
    session = session_in(State.RUNNING)
    session.handle(Heard(INSIDE_HOLD + 1.0, Command.HALT))
    effects = session.handle(Heard(INSIDE_HOLD + 1.6, decided, source=Source.VOICE))
    assert session.state is state and spoken(effects)[: len(words)] == words


def test_a_halt_never_decided_becomes_a_spoken_pause() -> None:
    session = session_in(State.RUNNING)
    session.handle(Heard(INSIDE_HOLD + 1.0, Command.HALT))
    assert session.next_deadline() == pytest.approx(INSIDE_HOLD + 1.0 + HALT_LIMIT)
    effects = session.handle(Tick(INSIDE_HOLD + 1.0 + HALT_LIMIT))
    assert spoken(effects) == ["Paused."] and session.state is State.PAUSED
    # too late: a pause said is the person's to end
    session.handle(Heard(INSIDE_HOLD + 2.0 + HALT_LIMIT, Command.RELEASE))
    assert session.state is State.PAUSED


def test_halt_and_release_cannot_be_typed() -> None:
    session = session_in(State.RUNNING)
    session.handle(Typed(INSIDE_HOLD + 1, "halt"))
    assert session.state is State.RUNNING


def test_the_command_table_says_what_every_command_does_in_every_state() -> None:
    """The table is total: no command in any live state falls through to doing nothing unsaid."""
    from voice_rehab.core.session import COMMAND_TABLE, Act

    live = [s for s in State if s is not State.FINISHED]
    typed = [c for c in Command if c not in (Command.TOGGLE, Command.HALT, Command.RELEASE)]
    assert set(COMMAND_TABLE) == set(typed)
    for command in typed:
        assert set(COMMAND_TABLE[command]) == set(live), command
    assert {act for row in COMMAND_TABLE.values() for act in row.values()} == set(Act)  # no act unused


def test_an_exercise_skipped_during_a_rep_records_the_reps_done() -> None:
    """Skipped during its 12th rep, an exercise had been recorded with 0 reps."""
    plan = plan_of(
        "title: T\nexercises:\n  - {name: Tilt, reps: 20, tempo: {up: 1, down: 1}}\n  - {name: B, reps: 2}\n"
    )
    work = next(s for s in plan.steps if s.kind is StepKind.WORK)
    start = sum(s.duration for s in plan.steps[: plan.steps.index(work)])
    _, timeline = run(plan, at(start + 11 * 2 + 0.5, "next"))  # during the 12th rep
    [partial] = [e for e in logs(timeline, "set_done") if e["name"] == "Tilt"]
    assert partial["reps"] == 11 and partial["partial"] is True


def test_a_hold_skipped_part_way_records_the_seconds_held() -> None:
    session, timeline = run(PLAN, at(INSIDE_HOLD, "next"))
    [partial] = [e for e in logs(timeline, "set_done") if e["name"] == "A"]
    assert partial["partial"] is True and 0 < partial["seconds"] < 20


def test_typed_words_are_the_routine_language_s_commands() -> None:
    """The typed words were an English list inside the engine; they are each language's phrases."""
    from voice_rehab.core.phrases import phrases_for

    ko = phrases_for("ko")
    plan = build_plan(
        parse_routine("title: T\nlanguage: ko\nexercises:\n  - {name: A, hold: 20}\n  - {name: B, hold: 20}\n"), ko
    )
    session = Session(plan, ko)
    session.handle(Start(0.0))
    work = next(k for k, step in enumerate(plan.steps) if step.kind is StepKind.WORK)
    inside = sum(step.duration for step in plan.steps[:work]) + 3.0
    session.handle(Tick(inside))
    session.handle(Typed(inside, "다음"))  # "next", typed in Korean
    assert session.skipped == [0]
    english = session_in(State.RUNNING)
    english.handle(Typed(INSIDE_HOLD + 1, "skip"))
    assert english.skipped == [0]
