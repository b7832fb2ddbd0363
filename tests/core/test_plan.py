"""The spoken script a routine compiles to: counts, holds, sides, sets, rests, timers."""

from __future__ import annotations

from tests.conftest import SHIPPED
from tests.helpers import EN, plan_of
from voice_rehab.core.plan import StepKind, build_plan, spoken_minutes
from voice_rehab.core.routine import load_routine

ONE = "title: T\nprepare: 2\nexercises:\n"


def cues(plan, kind=StepKind.WORK):  # type: ignore[no-untyped-def]
    return [(c.at, c.text) for s in plan.steps if s.kind is kind for c in s.cues]


def test_hold_has_halfway_and_countdown() -> None:
    plan = plan_of(ONE + "  - {name: Stretch, hold: 20}\n")
    assert cues(plan) == [(0, "Hold."), (10, "Halfway."), (17, "3"), (18, "2"), (19, "1"), (20, "And release.")]


def test_long_hold_warns_ten_seconds_before_the_end_and_spreads_cues() -> None:
    plan = plan_of(ONE + "  - {name: Plank, hold: 40, cues: [Breathe, Shoulders down]}\n")
    work = cues(plan)
    assert (20, "Halfway.") in work and (30, "10 seconds left.") in work
    cue_times = [t for t, text in work if text in ("Breathe", "Shoulders down")]
    assert len(cue_times) == 2 and all(2 <= t <= 18 for t in cue_times)


def test_short_hold_has_no_halfway() -> None:
    plan = plan_of(ONE + "  - {name: Squeeze, hold: 5}\n")
    assert [t for _, t in cues(plan)] == ["Hold.", "And release."]


def test_reps_counted_with_numbers_at_the_tempo() -> None:
    plan = plan_of(ONE + "  - {name: Tilt, reps: 3, tempo: {up: 2, down: 2}}\n")
    assert cues(plan) == [(0, "1"), (2, "down"), (4, "2"), (6, "down"), (8, "3"), (10, "down"), (12, "And relax.")]


def test_reps_counted_by_phases_with_a_last_one() -> None:
    plan = plan_of(ONE + "  - {name: Tilt, reps: 2, tempo: {up: 2, down: 3}, count: phases}\n")
    assert cues(plan) == [(0, "Up"), (2, "and down"), (5, "Last one. Up"), (7, "and down"), (10, "And relax.")]


def test_reps_without_tempo_take_three_seconds_each() -> None:
    plan = plan_of(ONE + "  - {name: Tilt, reps: 2}\n")
    assert cues(plan) == [(0, "1"), (3, "2"), (6, "And relax.")]


def test_per_side_sets_switch_sides_and_rest_between_sets() -> None:
    plan = plan_of(ONE + "  - {name: Plank, hold: 6, sides: [left, right], sets: 2, rest: 12}\n")
    kinds = [(s.kind.value, s.set_no, s.side) for s in plan.steps if s.exercise == 0]
    assert kinds == [
        ("intro", 0, None),
        ("ready", 1, "left"),
        ("work", 1, "left"),
        ("ready", 1, "right"),
        ("work", 1, "right"),
        ("rest", 1, None),
        ("ready", 2, "left"),
        ("work", 2, "left"),
        ("ready", 2, "right"),
        ("work", 2, "right"),
    ]
    ready = [c.text for s in plan.steps if s.kind is StepKind.READY for c in s.cues]
    assert ready == [
        "Set 1 of 2. Left side.",
        "Switch sides. Right side.",
        "Set 2 of 2. Left side.",
        "Switch sides. Right side.",
    ]
    rest = next(s for s in plan.steps if s.kind is StepKind.REST)
    assert rest.duration == 12 and [c.text for c in rest.cues] == ["Rest for 12 seconds.", "5 seconds left."]


def test_switching_sides_leaves_time_to_move() -> None:
    plan = plan_of("title: T\nswitch_sides: 7\nexercises:\n  - {name: P, hold: 6, sides: [left, right]}\n")
    switch = [s for s in plan.steps if s.kind is StepKind.READY][1]
    assert switch.duration >= 7


def test_rest_between_exercises_says_what_comes_next() -> None:
    plan = plan_of(ONE + "  - {name: A, reps: 2}\n  - {name: B, hold: 10, rest_after: 30}\n  - {name: C, reps: 2}\n")
    rests = [s for s in plan.steps if s.kind is StepKind.REST]
    assert [r.duration for r in rests] == [20, 30]
    assert rests[0].cues[0].text == "Rest for 20 seconds. Coming up: B."


def test_timer_reminds_every_interval_and_before_the_end() -> None:
    plan = plan_of(ONE + "  - {name: Ice, timer: 12 min, remind_every: 5 min}\n")
    assert cues(plan) == [
        (0, "Begin."),
        (300, "7 minutes left."),
        (600, "2 minutes left."),
        (660, "1 minute left."),
        (720, "Time is up."),
    ]


def test_a_short_timer_is_announced_in_seconds_and_a_long_one_in_minutes_and_seconds() -> None:
    short = cues(plan_of(ONE + "  - {name: Walk, timer: 20s}\n"), StepKind.INTRO)[0][1]
    assert "20 seconds." in short and "minute" not in short
    long = plan_of(ONE + "  - {name: Walk, timer: 11 min, remind_every: 5 min 30 s}\n")
    assert "11 minutes." in cues(long, StepKind.INTRO)[0][1]
    assert (330, "5 minutes 30 seconds left.") in cues(long)


def test_intro_says_dose_sides_sets_and_cues() -> None:
    plan = plan_of(ONE + "  - {name: Bridge, reps: 10, sets: 2, sides: [left], intro: Lie down., cues: [Squeeze.]}\n")
    intro = cues(plan, StepKind.INTRO)[0][1]
    assert intro == "Bridge. 10 reps. Each side. 2 sets. Lie down. Squeeze. Get ready."


def test_rate_changes_how_long_speech_is_given() -> None:
    slow = plan_of("title: T\nrate: 100\nexercises:\n  - {name: A, reps: 2, intro: a b c d e f g h}\n")
    fast = plan_of("title: T\nrate: 250\nexercises:\n  - {name: A, reps: 2, intro: a b c d e f g h}\n")
    assert slow.steps[1].duration > fast.steps[1].duration


def test_shipped_routine_durations_match_the_seed() -> None:
    minutes = {p.stem: build_plan(load_routine(p), EN).duration / 60 for p in SHIPPED}
    assert 5 <= minutes["core-activation"] <= 10  # seed: daily activation, 5-10 minutes
    assert 10 <= minutes["ice-heat"] <= 15  # seed: ice or heat for 10-15 minutes
    assert minutes["gentle-mobility"] < 15


def test_the_length_said_at_the_start_is_the_plans_own_length() -> None:
    # a long rest between exercises: there is none after the last one, and the opening words count
    plan = plan_of(
        "title: T\nrest_between_exercises: 75\nexercises:\n  - {name: A, hold: 20}\n"
        "  - {name: B, hold: 20}\n  - {name: C, hold: 20}\n"
    )
    assert plan.duration < 5 * 60
    assert f"about {spoken_minutes(plan.duration)} minutes" in plan.steps[0].cues[0].text
    for routine in (load_routine(path) for path in SHIPPED):
        if routine.language == "en":
            shipped = build_plan(routine, EN)
            assert f"about {spoken_minutes(shipped.duration)} minute" in shipped.steps[0].cues[0].text, routine.title


def test_the_plan_lists_what_an_uninterrupted_session_says_in_order() -> None:
    """What the player synthesises ahead: the same texts, in the same order, as the engine says
    them in a session nobody interrupts (without running one)."""
    from voice_rehab.sim.render import scripted_cues

    plan = plan_of(ONE + "  - {name: A, hold: 20}\n  - {name: B, reps: 2, sets: 2}\n")
    said = list(dict.fromkeys(text for _, text in scripted_cues(plan, EN)))
    assert [t for t in said if t in plan.spoken()] == plan.spoken()
    assert set(said) - set(plan.spoken()) <= {EN.say("summary", done=2, planned=2)}
