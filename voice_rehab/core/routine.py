"""Routines: the YAML format, its model, and loading with errors that name file, line and field.

The model (pydantic, strict, extra keys forbidden) is the single statement of the format: the
loader validates with it and, later, the JSON Schema is generated from it, so they cannot drift.
Reading the YAML safely and placing each problem at its line is `yamlfile`'s job.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from voice_rehab.core.phrases import available_languages
from voice_rehab.core.text import printable
from voice_rehab.core.yamlfile import Document, Problem, ProblemsError, parse_document, read_text, validate

_DURATION = re.compile(
    r"^\s*(?:(?P<min>\d+(?:\.\d+)?)\s*(?:m|min|mins|minute|minutes)\s*)?"
    r"(?:(?P<sec>\d+(?:\.\d+)?)\s*(?:s|sec|secs|second|seconds)?\s*)?$"
)


def parse_duration(value: Any) -> Any:
    """Accept seconds as a number, or text such as "30s", "2 min", "1 min 30 s"."""
    if isinstance(value, bool) or not isinstance(value, str):
        return value  # numbers pass through; anything else fails the float check below
    match = _DURATION.match(value)
    if not value.strip() or not match or not (match["min"] or match["sec"]):
        raise ValueError(f"not a duration: {value!r} (write seconds, or e.g. '30s', '2 min')")
    return float(match["min"] or 0) * 60 + float(match["sec"] or 0)


# The same durations in JSON Schema: a number, or text with at least one digit in the same form.
DURATION_PATTERN = (
    r"^(?=.*\d)\s*(?:\d+(?:\.\d+)?\s*(?:m|min|mins|minute|minutes)\s*)?"
    r"(?:\d+(?:\.\d+)?\s*(?:s|sec|secs|second|seconds)?\s*)?$"
)


def _duration_schema(bound: str) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", bound: 0, "maximum": MAX_SECONDS},
                {"type": "string", "pattern": DURATION_PATTERN},
            ],
            "description": "seconds, or text such as '30s', '2 min', '1 min 30 s'",
        }
    )


# Upper bounds: a shared file must never make the player hang or exhaust the machine (a 1e9 s hold,
# 100,000,000 reps, a 10,000-digit number), and no rehab dose comes near them. The seed's doses:
# 5-15 reps, holds of 10-30 s, 1-3 sets, ice or heat for 15-20 min, rests under 2 min.
MAX_SECONDS = 7200.0  # 2 h: a timer (a walk, heat); far above any hold, rest or phase
MAX_REPS = 500
MAX_SETS = 20
MAX_EXERCISES = 100
MAX_TEXT = 2000  # characters of one intro, cue, title or description (about 300 spoken words)
MAX_CUES = 20
Seconds = Annotated[
    float,
    BeforeValidator(parse_duration),
    Field(gt=0, le=MAX_SECONDS, allow_inf_nan=False),
    _duration_schema("exclusiveMinimum"),
]
RestSeconds = Annotated[
    float,
    BeforeValidator(parse_duration),
    Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False),
    _duration_schema("minimum"),
]  # 0: none
Reps = Annotated[int, Field(gt=0, le=MAX_REPS)]
Sets = Annotated[int, Field(gt=0, le=MAX_SETS)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Side = Literal["left", "right"]
NonEmptyText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


LIBRARY_FILE = Path(__file__).parent / "library" / "exercises.yaml"
WORK_KINDS = {"reps": ("tempo", "count"), "hold": (), "timer": ("remind_every",)}  # and what goes with each


@cache
def library_entries() -> dict[str, dict[str, Any]]:
    """The exercise library as written: id -> an exercise's fields (checked by the tests)."""
    return dict(yaml.safe_load(LIBRARY_FILE.read_text(encoding="utf-8")))


def _from_library(data: Any) -> Any:
    """`use: ID`: the library entry's fields, overridden by those given next to `use`."""
    if not isinstance(data, dict) or "use" not in data:
        return data
    wanted, entries = data["use"], library_entries()
    if not isinstance(wanted, str) or wanted not in entries:
        close = difflib.get_close_matches(str(wanted), list(entries), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else " (see `voice-rehab exercises`)"
        raise ValueError(f"use: '{wanted}' is not in the exercise library{hint}")
    base = dict(entries[wanted])
    own_kind = next((k for k in WORK_KINDS if k in data), None)
    if own_kind is not None and own_kind not in base:  # a different kind of work: drop the entry's
        for kind, companions in WORK_KINDS.items():
            for key in (kind, *companions):
                base.pop(key, None)
    return {**base, **data}


def _printable_texts(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: printable(v) if isinstance(v, str) else [printable(x) if isinstance(x, str) else x for x in v]
                if isinstance(v, list) else v for k, v in data.items()}  # fmt: skip
    return data


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    _texts = model_validator(mode="before")(_printable_texts)


def written_duration(seconds: float) -> str:
    """A length of time as shown: "20 s", "2 min", "1 min 30 s" (to the nearest second)."""
    minutes, rest = divmod(round(seconds), 60)
    return " ".join(([f"{minutes} min"] if minutes else []) + ([f"{rest} s"] if rest or not minutes else []))


class Exercise(_Strict):
    """One exercise: exactly one of `reps`, `hold` or `timer` says what kind of work it is."""

    use: str | None = Field(
        default=None,
        description="An exercise from the library (`voice-rehab exercises`); "
        "the fields given next to it override the library's",
    )
    name: NonEmptyText
    intro: Text = ""
    cues: Annotated[list[NonEmptyText], Field(max_length=MAX_CUES)] = []
    reps: Reps | None = None
    tempo: dict[NonEmptyText, Seconds] | None = Field(
        default=None, description="Seconds per phase of one rep, in order, e.g. {up: 2, down: 2}"
    )
    count: Literal["numbers", "phases"] = "numbers"
    hold: Seconds | None = None
    timer: Seconds | None = None
    remind_every: Seconds | None = None
    sides: list[Side] | None = None
    sets: Sets = 1
    rest: RestSeconds | None = Field(default=None, description="Rest between sets")
    rest_after: RestSeconds | None = Field(default=None, description="Rest before the next exercise")
    source: str = ""

    _library = model_validator(mode="before")(_from_library)

    @model_validator(mode="after")
    def _one_kind_of_work(self) -> Exercise:
        kinds = [k for k in ("reps", "hold", "timer") if getattr(self, k) is not None]
        if len(kinds) != 1:
            found = " and ".join(kinds) if kinds else "none"
            raise ValueError(f"give exactly one of reps, hold or timer (found {found})")
        if self.tempo is not None and self.reps is None:
            raise ValueError("tempo goes with reps")
        if self.tempo is not None and not self.tempo:
            raise ValueError("tempo needs at least one phase, e.g. {up: 2, down: 2}")
        if self.count == "phases" and self.tempo is None:
            raise ValueError("count: phases needs a tempo naming the phases, e.g. {up: 2, down: 2}")
        if self.remind_every is not None and self.timer is None:
            raise ValueError("remind_every goes with timer")
        if self.sides is not None and len(set(self.sides)) != len(self.sides):
            raise ValueError("sides lists the same side twice")
        if self.sides is not None and not self.sides:
            raise ValueError("sides must name at least one side, e.g. [left, right]")
        return self

    @property
    def dose(self) -> str:
        """The dose in a few words: "10 reps x 2 sets", "25 s hold each side"."""
        if self.reps is not None:
            text = f"{self.reps} reps"
        elif self.hold is not None:
            text = f"{self.hold:g} s hold"
        else:
            text = written_duration(self.timer or 0)
        if self.sides:
            text += " each side" if len(self.sides) > 1 else f" {self.sides[0]} side"
        return text + (f" x {self.sets} sets" if self.sets > 1 else "")

    @property
    def kind(self) -> Literal["reps", "hold", "timer"]:
        if self.reps is not None:
            return "reps"
        return "hold" if self.hold is not None else "timer"


class Routine(_Strict):
    """A whole routine as a person or physiotherapist writes it."""

    title: NonEmptyText
    description: Text = ""
    language: str = "en"
    voice: str | None = None
    rate: Annotated[int, Field(ge=60, le=400)] | None = Field(
        default=None, description="Speaking rate in words per minute"
    )
    prepare: RestSeconds = Field(default=3.0, description="Seconds to get into position after an introduction")
    rest_between_sets: RestSeconds = 15.0
    rest_between_exercises: RestSeconds = 20.0
    switch_sides: Seconds = 5.0
    source: str = ""
    exercises: Annotated[list[Exercise], Field(min_length=1, max_length=MAX_EXERCISES)]

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        """A language is an id from the list (never a path to some file)."""
        known = available_languages()
        if value not in known:
            raise ValueError(f"unknown language '{value}' (known: {', '.join(known)})")
        return value


class RoutineError(ProblemsError):
    """A routine could not be loaded; `problems` says every reason, each with its place."""


def parse_routine(text: str, file: str = "<routine>") -> Routine:
    """Parse and validate routine text; raise RoutineError listing every problem found."""
    try:
        return validate(parse_document(text, file), Routine)
    except ProblemsError as exc:
        raise RoutineError(exc.problems) from None


def load_routine(path: str | Path) -> Routine:
    """Load a routine file; every failure is a RoutineError with file, line and column."""
    return read_routine(path)[0]


def read_routine(path: str | Path) -> tuple[Routine, Document]:
    """The routine and its document (where each field was written, for lint warnings)."""
    path = Path(path)
    try:
        document = parse_document(read_text(path), str(path))
        return validate(document, Routine), document
    except ProblemsError as exc:
        raise RoutineError(exc.problems) from None


__all__ = ["Exercise", "Problem", "Routine", "RoutineError", "load_routine", "parse_routine", "read_routine"]
