"""`schema`, `exercises` and `new`: writing routines from the library, for editors and people."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from voice_rehab.authoring.lint import lint
from voice_rehab.authoring.schema import SCHEMA_FILE, routine_schema
from voice_rehab.cli.main import main
from voice_rehab.core.phrases import phrases_for
from voice_rehab.core.routine import library_entries, load_routine, read_routine
from voice_rehab.io.paths import user_routines_dir


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_schema_prints_the_generated_schema_and_writes_it(tmp_path: Path) -> None:
    assert json.loads(invoke("schema").output) == routine_schema()
    out = tmp_path / "s.json"
    assert invoke("schema", "-o", str(out)).exit_code == 0
    assert out.read_text() == SCHEMA_FILE.read_text()


def test_exercises_lists_the_library_and_shows_one() -> None:
    output = invoke("exercises").output
    for key in (
        "pelvic-tilt",
        "cat-cow",
        "knee-to-chest",
        "hip-hinge",
        "glute-bridge",
        "bird-dog",
        "side-plank",
        "dead-bug",
        "childs-pose",
        "romanian-deadlift",
    ):
        assert key in output
    assert "8 s hold each side x 3 sets" in output
    shown = invoke("exercises", "bird-dog").output
    assert shown.startswith("name: Bird-dog\n") and "hold: 8" in shown
    assert invoke("exercises", "nope").exit_code == 1


def test_a_library_exercise_with_overrides_keeps_the_rest() -> None:
    from voice_rehab.core.routine import parse_routine

    routine = parse_routine("title: T\nexercises:\n  - {use: bird-dog, hold: 12, sets: 2}\n")
    bird = routine.exercises[0]
    assert (bird.name, bird.hold, bird.sets, bird.sides) == ("Bird-dog", 12.0, 2, ["left", "right"])
    assert bird.cues == library_entries()["bird-dog"]["cues"]
    changed = parse_routine("title: T\nexercises:\n  - {use: childs-pose, timer: 2 min}\n").exercises[0]
    assert (changed.kind, changed.timer, changed.hold) == ("timer", 120.0, None)  # a kind replaces the kind


def test_new_with_defaults_writes_a_routine_that_validates_and_names_the_schema() -> None:
    result = invoke("new", "my-back", "-y")
    assert result.exit_code == 0, result.output
    path = user_routines_dir() / "my-back.yaml"
    first = path.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / first.split("=", 1)[1]).resolve() == SCHEMA_FILE.resolve()  # from where it lives
    assert not first.split("=", 1)[1].startswith("/")
    routine, document = read_routine(path)
    assert routine.title == "My back" and [e.use for e in routine.exercises][0] == "pelvic-tilt"
    assert lint(routine, document, phrases_for("en")) == []
    assert invoke("validate", "--strict", str(path)).exit_code == 0


def test_new_asks_its_questions(tmp_path: Path) -> None:
    out = tmp_path / "r.yaml"
    result = invoke("new", "strength", "-o", str(out), input="Strength day\nglute-bridge, bird-dog\nen\n")
    assert result.exit_code == 0, result.output
    routine = load_routine(out)
    assert routine.title == "Strength day"
    assert [e.name for e in routine.exercises] == ["Glute bridge", "Bird-dog"]


def test_new_asks_again_at_once_for_a_mistyped_exercise(tmp_path: Path) -> None:
    """A mistyped exercise had been reported only after every question, with no suggestion."""
    out = tmp_path / "r.yaml"
    result = invoke("new", "s", "-o", str(out), input="Strength\nglute-bridge, bird-dg\nglute-bridge, bird-dog\nen\n")
    assert result.exit_code == 0, result.output
    assert "not in the exercise library: 'bird-dg' (did you mean 'bird-dog'?)" in result.output
    assert [e.name for e in load_routine(out).exercises] == ["Glute bridge", "Bird-dog"]


def test_new_in_korean_writes_the_fields_out_to_translate(tmp_path: Path) -> None:
    out = tmp_path / "ko.yaml"
    assert (
        invoke("new", "k", "-o", str(out), "--title", "허리", "--exercises", "bird-dog", "--language", "ko").exit_code
        == 0
    )
    routine = load_routine(out)
    assert routine.language == "ko" and routine.exercises[0].use is None
    assert "translate name, intro and cues" in out.read_text()


def test_new_never_overwrites_and_refuses_unknown_exercises(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("title: precious\n")
    result = invoke("new", "x", "-o", str(out), "-y")
    assert result.exit_code == 1 and "already exists" in result.output
    assert out.read_text() == "title: precious\n"
    other = tmp_path / "other.yaml"
    result = invoke("new", "x", "-o", str(other), "--exercises", "bird-dog,moonwalk", "-y")
    assert result.exit_code == 1 and "moonwalk" in result.output and not other.exists()


def test_the_routine_guide_documents_every_field_and_library_exercise() -> None:
    from voice_rehab.core.routine import Exercise, Routine

    guide = (Path(__file__).resolve().parents[2] / "docs" / "ROUTINES.md").read_text()
    for field in [*Routine.model_fields, *Exercise.model_fields]:
        assert f"| `{field}` |" in guide, field
    for key in library_entries():
        assert f"| `{key}` |" in guide, key
