"""The JSON Schema of the routine format, generated from the loader's own model.

pydantic writes the fields; the rules the model checks in code (exactly one kind of work, tempo
goes with reps, ...) are added here in JSON Schema terms, so an editor with the YAML language
server flags the same mistakes as `voice-rehab validate`. A test checks the schema against the
loader on every malformed case, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from voice_rehab.core.phrases import available_languages
from voice_rehab.core.routine import Routine, library_entries

SCHEMA_NAME = "routine.schema.json"
# The schema beside the shipped routines' folder, in the repository and in an installed package.
SCHEMA_FILE = Path(__file__).resolve().parents[2] / SCHEMA_NAME
MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_NAME}"


def _given(field: str) -> dict[str, Any]:
    """`field` is present and not empty (YAML `reps:` with nothing after it is null)."""
    return {"required": [field], "properties": {field: {"not": {"type": "null"}}}}


def _unless_use(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule for exercises written out in full (with `use`, the library fills the rest)."""
    return {"if": {"not": {"required": ["use"]}}, "then": rule}


def routine_schema() -> dict[str, Any]:
    schema = Routine.model_json_schema()
    exercise = schema["$defs"]["Exercise"]
    props = exercise["properties"]
    props["use"] = {"enum": sorted(library_entries()), "description": props["use"]["description"]}
    props["sides"]["anyOf"][0].update(minItems=1, uniqueItems=True)
    props["tempo"]["anyOf"][0]["minProperties"] = 1
    exercise["required"] = []
    kinds = ["reps", "hold", "timer"]
    pairs = [(a, b) for i, a in enumerate(kinds) for b in kinds[i + 1 :]]
    exercise["allOf"] = [
        _unless_use({"required": ["name"], "oneOf": [_given(k) for k in kinds]}),
        {"not": {"anyOf": [{"allOf": [_given(a), _given(b)]} for a, b in pairs]}},
        _unless_use({"if": _given("tempo"), "then": _given("reps")}),
        _unless_use({"if": _given("remind_every"), "then": _given("timer")}),
        _unless_use(
            {"if": {"required": ["count"], "properties": {"count": {"const": "phases"}}}, "then": _given("tempo")}
        ),
    ]
    schema["properties"]["language"] = {**schema["properties"]["language"], "enum": available_languages()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "voice-rehab routine",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(routine_schema(), indent=2, ensure_ascii=False) + "\n"
