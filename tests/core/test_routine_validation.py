"""Loading routines: good files load, and every bad one is reported with its line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SHIPPED
from voice_rehab.core.routine import RoutineError, load_routine, parse_duration, parse_routine
from voice_rehab.core.yamlfile import ProblemsError

HEAD = "title: Test\nexercises:\n"


def problems_of(text: str) -> list[str]:
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.yaml")
    return [str(p) for p in caught.value.problems]


# (id, text, expected line, a substring naming the field, a substring of the message)
MALFORMED = [
    (
        "unknown-top-key",
        "title: T\ntitel: x\nexercises:\n  - {name: a, reps: 3}\n",
        2,
        "routine",
        "unknown field 'titel'",
    ),
    ("unknown-key-did-you-mean", HEAD + "  - name: a\n    hodl: 20\n", 4, "exercises[0]", "did you mean 'hold'"),
    ("unknown-key-no-guess", HEAD + "  - name: a\n    reps: 3\n    zzz: 1\n", 5, "exercises[0]", "unknown field 'zzz'"),
    ("reps-text", HEAD + "  - name: a\n    reps: ten\n", 4, "exercises[0].reps", "valid integer"),
    ("reps-float", HEAD + "  - name: a\n    reps: 2.5\n", 4, "exercises[0].reps", "valid integer"),
    ("reps-bool", HEAD + "  - name: a\n    reps: yes\n", 4, "exercises[0].reps", "valid integer"),
    ("reps-zero", HEAD + "  - name: a\n    reps: 0\n", 4, "exercises[0].reps", "greater than 0"),
    ("reps-negative", HEAD + "  - name: a\n    reps: -4\n", 4, "exercises[0].reps", "greater than 0"),
    ("hold-negative", HEAD + "  - name: a\n    hold: -5\n", 4, "exercises[0].hold", "greater than 0"),
    ("hold-zero", HEAD + "  - name: a\n    hold: 0\n", 4, "exercises[0].hold", "greater than 0"),
    ("hold-bad-unit", HEAD + "  - name: a\n    hold: 3 parsecs\n", 4, "exercises[0].hold", "not a duration"),
    ("hold-list", HEAD + "  - name: a\n    hold: [1, 2]\n", 4, "exercises[0].hold", "valid number"),
    ("timer-empty-text", HEAD + "  - name: a\n    timer: ''\n", 4, "exercises[0].timer", "not a duration"),
    ("no-kind-of-work", HEAD + "  - name: a\n    intro: x\n", 3, "exercises[0]", "exactly one of reps, hold or timer"),
    ("two-kinds-of-work", HEAD + "  - name: a\n    reps: 3\n    hold: 20\n", 3, "exercises[0]", "found reps and hold"),
    ("reps-without-count", HEAD + "  - name: a\n    reps:\n", 3, "exercises[0]", "exactly one of reps, hold or timer"),
    (
        "tempo-without-reps",
        HEAD + "  - name: a\n    hold: 20\n    tempo: {up: 2}\n",
        3,
        "exercises[0]",
        "tempo goes with reps",
    ),
    (
        "tempo-zero-phase",
        HEAD + "  - name: a\n    reps: 3\n    tempo: {up: 0}\n",
        5,
        "exercises[0].tempo.up",
        "greater than 0",
    ),
    (
        "tempo-not-mapping",
        HEAD + "  - name: a\n    reps: 3\n    tempo: 2\n",
        5,
        "exercises[0].tempo",
        "valid dictionary",
    ),
    ("tempo-empty", HEAD + "  - name: a\n    reps: 3\n    tempo: {}\n", 3, "exercises[0]", "at least one phase"),
    (
        "phases-without-tempo",
        HEAD + "  - name: a\n    reps: 3\n    count: phases\n",
        3,
        "exercises[0]",
        "needs a tempo",
    ),
    (
        "count-unknown",
        HEAD + "  - name: a\n    reps: 3\n    count: loud\n",
        5,
        "exercises[0].count",
        "'numbers' or 'phases'",
    ),
    (
        "remind-without-timer",
        HEAD + "  - name: a\n    reps: 3\n    remind_every: 60\n",
        3,
        "exercises[0]",
        "remind_every goes with timer",
    ),
    (
        "side-unknown",
        HEAD + "  - name: a\n    hold: 20\n    sides: [left, middle]\n",
        5,
        "exercises[0].sides[1]",
        "'left' or 'right'",
    ),
    (
        "sides-twice",
        HEAD + "  - name: a\n    hold: 20\n    sides: [left, left]\n",
        3,
        "exercises[0]",
        "same side twice",
    ),
    ("sides-empty", HEAD + "  - name: a\n    hold: 20\n    sides: []\n", 3, "exercises[0]", "at least one side"),
    ("sets-zero", HEAD + "  - name: a\n    reps: 3\n    sets: 0\n", 5, "exercises[0].sets", "greater than 0"),
    ("sets-text", HEAD + "  - name: a\n    reps: 3\n    sets: two\n", 5, "exercises[0].sets", "valid integer"),
    (
        "rest-negative",
        HEAD + "  - name: a\n    reps: 3\n    rest: -10\n",
        5,
        "exercises[0].rest",
        "greater than or equal to 0",
    ),
    ("use-unknown", HEAD + "  - use: bird-dgo\n", 3, "exercises[0]", "did you mean 'bird-dog'"),
    ("use-not-text", HEAD + "  - use: [bird-dog]\n", 3, "exercises[0]", "is not in the exercise library"),
    ("use-two-kinds", HEAD + "  - {use: bird-dog, reps: 3, hold: 5}\n", 3, "exercises[0]", "found reps and hold"),
    ("name-missing", HEAD + "  - reps: 3\n", 3, "exercises[0].name", "required field is missing"),
    ("name-empty", HEAD + "  - name: ''\n    reps: 3\n", 3, "exercises[0].name", "at least 1 character"),
    ("name-number", HEAD + "  - name: 12\n    reps: 3\n", 3, "exercises[0].name", "valid string"),
    ("cues-not-list", HEAD + "  - name: a\n    reps: 3\n    cues: breathe\n", 5, "exercises[0].cues", "valid list"),
    (
        "cue-empty",
        HEAD + "  - name: a\n    reps: 3\n    cues: ['']\n",
        5,
        "exercises[0].cues[0]",
        "at least 1 character",
    ),
    ("title-missing", "exercises:\n  - {name: a, reps: 3}\n", 1, "title", "required field is missing"),
    ("exercises-missing", "title: T\n", 1, "exercises", "required field is missing"),
    ("exercises-empty", "title: T\nexercises: []\n", 2, "exercises", "must not be empty"),
    ("exercises-not-list", "title: T\nexercises: stretch\n", 2, "exercises", "valid list"),
    ("exercise-not-mapping", HEAD + "  - stretch\n", 3, "exercises[0]", "valid dictionary"),
    (
        "second-exercise-bad",
        HEAD + "  - {name: a, reps: 3}\n  - name: b\n    hold: -1\n",
        5,
        "exercises[1].hold",
        "greater than 0",
    ),
    (
        "rate-too-high",
        "title: T\nrate: 900\nexercises:\n  - {name: a, reps: 3}\n",
        2,
        "rate",
        "less than or equal to 400",
    ),
    (
        "prepare-negative",
        "title: T\nprepare: -1\nexercises:\n  - {name: a, reps: 3}\n",
        2,
        "prepare",
        "greater than or equal to 0",
    ),
    ("duplicate-key", "title: T\ntitle: U\nexercises:\n  - {name: a, reps: 3}\n", 2, "title", "duplicate key"),
    (
        "python-tag",
        "title: !!python/object/apply:os.system ['echo owned']\nexercises:\n  - {name: a, reps: 3}\n",
        1,
        "title",
        "tag",
    ),
    ("custom-tag", HEAD + "  - name: !exercise a\n    reps: 3\n", 3, "exercises[0].name", "not allowed"),
    ("yaml-syntax", "title: T\nexercises:\n  - name: a\n   reps: 3\n", 4, "YAML syntax", ""),
    ("yaml-unclosed", "title: [T\nexercises: []\n", 2, "YAML syntax", ""),
    ("top-level-list", "- title: T\n", 1, "mapping", ""),
    ("two-documents", "title: T\nexercises:\n  - {name: a, reps: 3}\n---\ntitle: U\n", 5, "one routine per file", ""),
    ("non-text-key", "title: T\n1: x\nexercises:\n  - {name: a, reps: 3}\n", 2, "keys must be text", ""),
]


@pytest.mark.parametrize("text, line, field, message", [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_routine_names_line_and_field(text: str, line: int, field: str, message: str) -> None:
    problems = problems_of(text)
    matching = [p for p in problems if field in p and message in p]
    assert matching, problems
    assert matching[0].startswith(f"r.yaml:{line}:"), problems


def test_column_points_at_the_value() -> None:
    [problem] = problems_of(HEAD + "  - name: a\n    reps: ten\n")
    assert problem.startswith("r.yaml:4:11:")


def test_unknown_key_column_points_at_the_key() -> None:
    [problem] = problems_of(HEAD + "  - name: a\n    hodl: 20\n")
    assert problem.startswith("r.yaml:4:5:")


def test_every_problem_is_reported_not_only_the_first() -> None:
    problems = problems_of(HEAD + "  - name: a\n    reps: ten\n  - name: b\n    hold: -1\n")
    assert len(problems) == 2


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\nexercises: []\n"
    problems_of(text)
    assert not marker.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"   \n# only a comment\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"title: caf\xe9\n", "not UTF-8"),
    ],
)
def test_unreadable_files_get_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(content)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    [problem] = caught.value.problems
    assert message in problem.message and problem.file == str(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    for path, message in ((tmp_path / "nope.yaml", "no such file"), (tmp_path, "is a directory")):
        with pytest.raises(RoutineError) as caught:
            load_routine(path)
        assert message in str(caught.value)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_routines_load(path: Path) -> None:
    routine = load_routine(path)
    assert routine.exercises and all(e.source for e in routine.exercises)


def test_a_full_routine_reads_every_field() -> None:
    routine = parse_routine(
        "title: T\ndescription: d\nlanguage: en\nvoice: en-gb\nrate: 150\nprepare: 2\n"
        "rest_between_sets: 10s\nrest_between_exercises: 1 min\nswitch_sides: 4\n"
        "exercises:\n"
        "  - name: Bridge\n    reps: 8\n    tempo: {up: 2, down: 2}\n    count: phases\n"
        "    sets: 2\n    rest: 30\n    rest_after: 45\n    cues: [squeeze]\n    source: s\n"
        "  - name: Plank\n    hold: 1 min 30 s\n    sides: [right, left]\n"
        "  - name: Ice\n    timer: 12 min\n    remind_every: 5 min\n"
    )
    bridge, plank, ice = routine.exercises
    assert (bridge.kind, bridge.tempo, bridge.rest_after) == ("reps", {"up": 2.0, "down": 2.0}, 45.0)
    assert (plank.kind, plank.hold, plank.sides) == ("hold", 90.0, ["right", "left"])
    assert (ice.kind, ice.timer, ice.remind_every) == ("timer", 720.0, 300.0)
    assert routine.rest_between_exercises == 60.0 and routine.rest_between_sets == 10.0


@pytest.mark.parametrize(
    "text, seconds", [("30s", 30), ("2 min", 120), ("1m30s", 90), ("1 min 30 seconds", 90), ("45", 45), ("2.5 s", 2.5)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "timer, shown", [(20, "20 s"), (90, "1 min 30 s"), (120, "2 min"), (1, "1 s"), (0, "0 s")]
)  # fmt: skip
def test_a_timer_dose_is_shown_in_minutes_and_seconds_not_fractions(timer: float, shown: str) -> None:
    """`progress` had printed a 20 s timer as "0.333333 min"."""
    from voice_rehab.core.routine import written_duration

    assert written_duration(timer) == shown


BILLION_LAUGHS = (
    "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    + "title: *i\nexercises: []\n"
)


@pytest.mark.parametrize(
    "text, message",
    [
        (BILLION_LAUGHS, "values (aliases expand past it)"),
        ("a: &a [*a]\ntitle: T\nexercises: []\n", "levels deep"),
        ("title: T\nexercises: " + "[" * 3000 + "]" * 3000 + "\n", "levels deep"),
    ],
    ids=["billion laughs", "recursive alias", "3000 deep"],
)
def test_a_hostile_routine_is_refused_at_once_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    """These had run for a minute and reached 3-4 GB, or ended in a RecursionError traceback."""
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    with pytest.raises(ProblemsError, match=rf"{re.escape(str(path))}:\d+:\d+: .*{re.escape(message)}"):
        load_routine(path)


def test_a_huge_routine_file_is_refused_without_parsing_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("title: T\nexercises:\n" + "  - {name: A, reps: 1}\n" * 1_000_000)
    with pytest.raises(ProblemsError, match="larger than 1 MB"):
        load_routine(path)


def test_a_language_is_an_id_from_the_list_never_a_path(tmp_path: Path) -> None:
    """`language: ../library/exercises` had been opened as a phrase file (KeyError: 'answers')."""
    path = tmp_path / "r.yaml"
    path.write_text("title: T\nlanguage: ../library/exercises\nexercises:\n  - {name: A, reps: 2}\n")
    with pytest.raises(ProblemsError, match=rf"{re.escape(str(path))}:2:11: language: unknown language"):
        load_routine(path)


def test_control_characters_in_routine_text_never_reach_the_terminal(tmp_path: Path) -> None:
    """An escape sequence in a shared routine's title could retitle or clear the person's terminal."""
    path = tmp_path / "r.yaml"
    path.write_text('title: "T\\e]0;x\\a"\nexercises:\n  - {name: "A\\e[2J", reps: 2, cues: ["Slow\\e[31m."]}\n')
    routine = load_routine(path)
    assert routine.title == "T]0;x" and routine.exercises[0].name == "A[2J"
    assert routine.exercises[0].cues == ["Slow[31m."]


@pytest.mark.parametrize(
    "exercise, message",
    [
        ("{name: A, reps: 100000000}", "less than or equal to 500"),
        ("{name: A, reps: 2, sets: 1000000000}", "less than or equal to 20"),
        ("{name: A, hold: 1000000000}", "less than or equal to 7200"),
        ("{name: A, hold: .inf}", "less than or equal to 7200"),
        ("{name: A, timer: .nan}", "got nan"),
        ("{name: A, timer: 24 h}", "not a duration"),
        ("{name: A, timer: 1440 min}", "less than or equal to 7200"),
        ("{name: A, reps: 2, tempo: {up: 1.0e+9}}", "less than or equal to 7200"),
        ("{name: A, reps: 2, intro: " + "x" * 3000 + "}", "at most 2000 characters"),
    ],
)
def test_every_number_and_text_has_a_sane_upper_bound(tmp_path: Path, exercise: str, message: str) -> None:
    """Numbers the schema allowed had hung validate, simulate and render, or crashed with OverflowError."""
    path = tmp_path / "r.yaml"
    path.write_text(f"title: T\nexercises:\n  - {exercise}\n")
    with pytest.raises(ProblemsError, match=re.escape(message)):
        load_routine(path)


def test_ten_thousand_exercises_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("title: T\nexercises:\n" + "  - {name: A, reps: 1}\n" * 10_000)
    with pytest.raises(ProblemsError, match="at most 100 items"):
        load_routine(path)


@pytest.mark.parametrize("key", ["[x", "function-x"])
def test_a_key_that_looks_like_pydantic_s_own_is_named_as_written(tmp_path: Path, key: str) -> None:
    """A fuzzer's "[x" had raised IndexError; "function-x" was reported as "unknown field '0'"."""
    path = tmp_path / "r.yaml"
    path.write_text(f'title: T\nexercises:\n  - {{name: A, reps: 2, "{key}": 1}}\n')
    with pytest.raises(ProblemsError, match=rf":3:24: exercises\[0\]: unknown field '{re.escape(key)}'"):
        load_routine(path)
