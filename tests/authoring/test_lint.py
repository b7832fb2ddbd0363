"""Lint: routines that load but would not work well on the mat get warnings with file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SHIPPED
from voice_rehab.authoring.lint import lint
from voice_rehab.cli.main import main
from voice_rehab.core.phrases import phrases_for
from voice_rehab.core.routine import read_routine

HEAD = "title: Test\nrest_between_exercises: 10\nexercises:\n"


def warnings_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(text)
    routine, document = read_routine(path)
    return [str(w).replace(str(path), "r.yaml") for w in lint(routine, document, phrases_for(routine.language))]


CASES = [
    (
        "command-in-cue",
        HEAD + "  - name: Bridge\n    reps: 5\n    cues:\n      - Breathe.\n      - Stop at the top.\n",
        "r.yaml:8:9: warning: exercises[0].cues[1]: says 'stop'",
    ),
    (
        "command-in-intro",
        HEAD + "  - name: Bridge\n    intro: Wait for the count.\n    reps: 5\n",
        "r.yaml:5:12: warning: exercises[0].intro: says 'wait'",
    ),
    (
        "command-in-phase",
        HEAD + "  - name: Bridge\n    reps: 5\n    tempo: {up: 2, pause: 2}\n",
        "r.yaml:6:20: warning: exercises[0].tempo.pause: says 'pause'",
    ),
    (
        "long-hold",
        HEAD + "  - name: Plank\n    hold: 5 min\n",
        "r.yaml:5:11: warning: exercises[0].hold: a 300 s hold is longer than two minutes",
    ),
    (
        "many-reps",
        HEAD + "  - name: Tilt\n    reps: 80\n",
        "r.yaml:5:11: warning: exercises[0].reps: 80 reps in one set is more than 50",
    ),
    (
        "sides-missing",
        HEAD + "  - name: Side plank\n    hold: 20\n",
        "r.yaml:4:5: warning: exercises[0]: 'Side plank' talks about sides ('Side plank') but has no sides",
    ),
    (
        "sides-in-intro",
        HEAD + "  - name: Lunge stretch\n    intro: Then do the other side.\n    hold: 20\n",
        "r.yaml:4:5: warning: exercises[0]: 'Lunge stretch' talks about sides ('other side')",
    ),
    (
        "tempo-too-fast",
        HEAD + "  - name: Tilt\n    reps: 5\n    tempo: {up: 0.5, down: 0.5}\n",
        "r.yaml:6:12: warning: exercises[0].tempo: a rep of 1 s is too fast to follow by voice",
    ),
    (
        "phase-too-short",
        HEAD + "  - name: Tilt\n    reps: 5\n    count: phases\n    tempo: {straighten: 0.4, release: 2}\n",
        "r.yaml:7:12: warning: exercises[0].tempo: 'straighten' lasts 0.4 s but takes about",
    ),
    (
        "no-rest",
        "title: T\nrest_between_exercises: 0\nrest_between_sets: 0\nexercises:\n"
        "  - {name: A, reps: 5, sets: 2}\n  - {name: B, reps: 5}\n",
        "r.yaml:2:1: warning: rest_between_exercises: there is no rest at all",
    ),
    (
        "library-english-in-korean",
        "title: 루틴\nlanguage: ko\nexercises:\n  - use: bird-dog\n",
        "r.yaml:4:5: warning: exercises[0]: the library's 'bird-dog' is written in English",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_rule_warns_at_its_line(tmp_path: Path, case) -> None:  # type: ignore[no-untyped-def]
    _, text, expected = case
    found = warnings_of(tmp_path, text)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


def test_a_sensible_routine_has_no_warnings(tmp_path: Path) -> None:
    text = (
        HEAD + "  - {use: bird-dog}\n  - {name: Bridge, reps: 10, tempo: {up: 2, down: 2}, count: phases}\n"
        "  - {name: Knee hug, hold: 30, sides: [left, right]}\n"
    )
    assert warnings_of(tmp_path, text) == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_routines_are_lint_clean(path: Path) -> None:
    routine, document = read_routine(path)
    assert lint(routine, document, phrases_for(routine.language)) == []


def test_validate_prints_warnings_and_fails_only_when_strict(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(HEAD + "  - name: Plank\n    hold: 300\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert f"{path}:5:11: warning: exercises[0].hold" in result.output
    assert CliRunner().invoke(main, ["validate", "--strict", str(path)]).exit_code == 1


def test_a_cue_a_short_hold_cannot_say_is_warned_at_its_line(tmp_path: Path) -> None:
    """An 8 s hold with two form cues said neither, in silence."""
    text = "title: T\nexercises:\n  - {name: A, hold: 8, cues: [Breathe out., Flat back.]}\n"
    found = warnings_of(tmp_path, text)
    assert [w.split(": warning: ")[1].split(":")[0] for w in found] == ["exercises[0].cues[0]", "exercises[0].cues[1]"]
    assert found[0].startswith("r.yaml:3:31: warning:")


def test_a_remind_every_that_reminds_nothing_is_warned(tmp_path: Path) -> None:
    found = warnings_of(tmp_path, "title: T\nexercises:\n  - {name: Ice, timer: 60, remind_every: 10s}\n")
    assert len(found) == 1 and "remind_every: no reminder is said" in found[0]
    assert warnings_of(tmp_path, "title: T\nexercises:\n  - {name: Ice, timer: 10 min, remind_every: 2 min}\n") == []
