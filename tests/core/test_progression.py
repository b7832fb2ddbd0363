"""Pain-gated progression as a pure function over weeks of sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import EN
from voice_rehab.core.progression import ProgressionSettings, apply_dose, decide_dose
from voice_rehab.core.routine import parse_routine
from voice_rehab.core.today import new_session
from voice_rehab.io.history import SessionSummary
from voice_rehab.io.records import PainReport

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
DEFAULTS = ProgressionSettings()


def session(
    day: float, pain: int | None = None, red_flag: bool = False, ended: str = "completed", routine: str = "R"
) -> SessionSummary:
    reports = [] if pain is None else [PainReport(session="s", kind="pain_report", severity=pain, red_flags=red_flag)]
    when = START + timedelta(days=day)
    return SessionSummary(f"s{day}", when.isoformat(), routine, ended=ended, pain_reports=reports)


def every_day(days: range, **kw: object) -> list[SessionSummary]:
    return [session(d, **kw) for d in days]  # type: ignore[arg-type]


def test_no_history_is_the_routine_as_written() -> None:
    assert decide_dose([], DEFAULTS).factor == 1.0


def test_three_clean_sessions_raise_the_dose_by_ten_percent() -> None:
    assert decide_dose(every_day(range(2)), DEFAULTS).factor == 1.0
    dose = decide_dose(every_day(range(3)), DEFAULTS)
    assert dose.factor == pytest.approx(1.1) and "raised" in dose.reason


def test_at_most_one_increase_a_week_over_months_of_daily_clean_sessions() -> None:
    sessions = every_day(range(120))
    increases = []
    previous = 1.0
    for n in range(1, len(sessions) + 1):
        factor = decide_dose(sessions[:n], DEFAULTS).factor
        if factor > previous:
            assert factor <= previous * 1.10 + 1e-9  # never more than 10 % at once
            increases.append(n - 1)
        previous = factor
    assert increases[:3] == [2, 9, 16]  # one a week, after the first three sessions
    assert all(b - a >= 7 for a, b in zip(increases, increases[1:]))
    assert previous == DEFAULTS.max_dose  # and it stops at the ceiling
    assert "the most progression allows" in decide_dose(sessions, DEFAULTS).reason


def test_mild_pain_holds_the_dose_and_restarts_the_count() -> None:
    sessions = every_day(range(3)) + [session(8, pain=2)] + every_day(range(9, 11))
    dose = decide_dose(sessions, DEFAULTS)
    assert dose.factor == pytest.approx(1.1)  # held: the two clean sessions since are not three
    assert dose.clean_in_a_row == 2
    assert decide_dose(sessions + [session(11)], DEFAULTS).factor == pytest.approx(1.21)


def test_a_pain_report_without_a_score_still_holds_the_dose() -> None:
    unscored = SessionSummary(
        "u",
        (START + timedelta(days=3)).isoformat(),
        "R",
        ended="completed",
        pain_reports=[PainReport(session="s", kind="pain_report", severity=None, outcome="safe_choice")],
    )
    sessions = every_day(range(2)) + [unscored]
    dose = decide_dose(sessions, DEFAULTS)
    assert dose.factor == 1.0 and dose.clean_in_a_row == 0 and "score not given" in dose.reason


def test_pain_above_the_threshold_lowers_the_dose() -> None:
    sessions = every_day(range(3)) + [session(8, pain=6)]
    dose = decide_dose(sessions, DEFAULTS)
    assert dose.factor == pytest.approx(1.1 * 0.9) and "lowered" in dose.reason
    painful = every_day(range(30), pain=8)
    assert decide_dose(painful, DEFAULTS).factor == DEFAULTS.min_dose  # never below the floor


def test_a_red_flag_stops_progression_until_reset() -> None:
    sessions = every_day(range(10)) + [session(10, pain=5, red_flag=True)] + every_day(range(11, 40))
    dose = decide_dose(sessions, DEFAULTS)
    assert dose.stopped and dose.factor == 1.0 and "clinician" in dose.reason
    after_reset = decide_dose(sessions, DEFAULTS, since=START + timedelta(days=10, hours=12))
    assert not after_reset.stopped and after_reset.factor > 1.0


def test_unfinished_sessions_neither_count_nor_reset() -> None:
    sessions = every_day(range(2)) + [session(2, ended="stopped")] + [session(3)]
    assert decide_dose(sessions, DEFAULTS).factor == pytest.approx(1.1)
    assert decide_dose(sessions[:3], DEFAULTS).factor == 1.0


def test_settings_change_the_rules() -> None:
    strict = ProgressionSettings(sessions_needed=5, pain_threshold=0, weekly_step=0.05)
    assert decide_dose(every_day(range(4)), strict).factor == 1.0
    assert decide_dose(every_day(range(5)), strict).factor == pytest.approx(1.05)
    assert decide_dose(every_day(range(3)) + [session(3, pain=1)], strict).factor < 1.0
    with pytest.raises(ValueError):
        ProgressionSettings(weekly_step=0.2)  # the guide's ceiling is 10 % a week


ROUTINE = parse_routine(
    "title: R\nexercises:\n  - {name: Bridge, reps: 10}\n  - {name: Hug, hold: 30}\n"
    "  - {name: Tilt, reps: 5}\n  - {name: Walk, timer: 600}\n"
)


def test_the_dose_scales_reps_and_holds_rounded_down() -> None:
    dosed = apply_dose(ROUTINE, 1.1)
    assert [e.reps or e.hold or e.timer for e in dosed.exercises] == [11, 33.0, 5, 600.0]
    assert [e.reps or e.hold for e in apply_dose(ROUTINE, 1.21).exercises][:3] == [12, 36.0, 6]
    assert ROUTINE.exercises[0].reps == 10  # the routine itself is never changed


def test_play_says_the_dose_at_the_start() -> None:
    today = new_session(ROUTINE, EN, every_day(range(3)), DEFAULTS, None)
    first_words = today.plan.steps[0].cues[0].text
    assert first_words.startswith("Today's dose is 110 percent of the routine")
    assert today.routine.exercises[0].reps == 11
    other = new_session(ROUTINE, EN, every_day(range(3), routine="Another"), DEFAULTS, None)
    assert other.dose.factor == 1.0 and not other.plan.steps[0].cues[0].text.startswith("Today's")
