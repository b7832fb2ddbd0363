"""The JSON Schema editors use agrees with the loader: generated from its model, committed as
generated, accepting every good routine and rejecting what the loader rejects."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.conftest import SHIPPED
from tests.core.test_routine_validation import MALFORMED
from voice_rehab.authoring.schema import MODELINE, SCHEMA_FILE, routine_schema, schema_text
from voice_rehab.core.routine import RoutineError, library_entries, parse_routine

VALIDATOR = Draft202012Validator(routine_schema())

GOOD = [
    "title: T\nexercises:\n  - {name: a, reps: 3}\n",
    "title: T\nexercises:\n  - {name: a, hold: 30s, sides: [left, right], rest: 0}\n",
    "title: T\nexercises:\n  - {name: a, timer: 2 min, remind_every: 60}\n",
    "title: T\nexercises:\n  - {name: a, reps: 5, tempo: {up: 2, down: 2}, count: phases}\n",
    "title: T\nexercises:\n  - use: bird-dog\n",
    "title: T\nexercises:\n  - {use: pelvic-tilt, reps: 15, tempo: {tilt: 3, release: 3}}\n",
    "title: T\nexercises:\n  - {use: childs-pose, hold: 1 min 30 s}\n",
    "title: T\nlanguage: ko\nvoice: null\nprepare: 0\nexercises:\n  - {name: a, reps: 3}\n",
]


def errors(text: str) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(yaml.safe_load(text))]


def test_the_committed_schema_is_the_generated_one() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == routine_schema(), (
        "regenerate: voice-rehab schema -o routine.schema.json"
    )
    assert SCHEMA_FILE.read_text() == schema_text()
    Draft202012Validator.check_schema(routine_schema())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_routine_passes_the_schema_and_names_it(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text()
    assert text.splitlines()[0] == MODELINE
    assert errors(text) == []


@pytest.mark.parametrize("text", GOOD)
def test_good_routines_pass_both(text: str) -> None:
    parse_routine(text)
    assert errors(text) == []


def _yaml_level(text: str) -> bool:
    """Mistakes an editor's YAML parser reports before any schema: syntax, tags, duplicate keys."""
    try:
        yaml.safe_load(text)
    except yaml.YAMLError:
        return True
    return "duplicate key" in _loader_problems(text)


def _loader_problems(text: str) -> str:
    try:
        parse_routine(text)
    except RoutineError as exc:
        return str(exc)
    return ""


YAML_LEVEL = {"duplicate-key", "python-tag", "custom-tag", "yaml-syntax", "yaml-unclosed", "two-documents"}


def test_only_yaml_level_mistakes_are_left_to_the_editors_yaml_parser() -> None:
    assert {c[0] for c in MALFORMED if _yaml_level(c[1])} == YAML_LEVEL


@pytest.mark.parametrize("case", [c for c in MALFORMED if c[0] not in YAML_LEVEL], ids=lambda c: c[0])
def test_the_schema_rejects_what_the_loader_rejects(case) -> None:  # type: ignore[no-untyped-def]
    assert _loader_problems(case[1])
    assert errors(case[1]), "the schema accepts a routine the loader rejects"


def test_every_library_entry_is_a_valid_exercise_for_both() -> None:
    for name, entry in library_entries().items():
        text = yaml.safe_dump({"title": "T", "exercises": [entry]})
        parse_routine(text, name)
        assert errors(text) == [], name
