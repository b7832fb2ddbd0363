"""Routines: the YAML format, its model, and loading with errors that name file, line and field.

The model (pydantic, strict, extra keys forbidden) is the single statement of the format: the
loader validates with it and, later, the JSON Schema is generated from it, so they cannot drift.
Reading the YAML safely and placing each problem at its line is `yamlfile`'s job.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from .yamlfile import Problem, ProblemsError, parse_document, read_text, validate

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


Seconds = Annotated[float, BeforeValidator(parse_duration), Field(gt=0)]
PositiveInt = Annotated[int, Field(gt=0)]
Side = Literal["left", "right"]
NonEmptyText = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Exercise(_Strict):
    """One exercise: exactly one of `reps`, `hold` or `timer` says what kind of work it is."""

    name: NonEmptyText
    intro: str = ""
    cues: list[NonEmptyText] = []
    reps: PositiveInt | None = None
    tempo: dict[NonEmptyText, Seconds] | None = Field(
        default=None, description="Seconds per phase of one rep, in order, e.g. {up: 2, down: 2}"
    )
    count: Literal["numbers", "phases"] = "numbers"
    hold: Seconds | None = None
    timer: Seconds | None = None
    remind_every: Seconds | None = None
    sides: list[Side] | None = None
    sets: PositiveInt = 1
    rest: Seconds | None = Field(default=None, description="Rest between sets")
    rest_after: Seconds | None = Field(default=None, description="Rest before the next exercise")
    source: str = ""

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
    def kind(self) -> Literal["reps", "hold", "timer"]:
        if self.reps is not None:
            return "reps"
        return "hold" if self.hold is not None else "timer"


class Routine(_Strict):
    """A whole routine as a person or physiotherapist writes it."""

    title: NonEmptyText
    description: str = ""
    language: str = "en"
    voice: str | None = None
    rate: Annotated[int, Field(ge=60, le=400)] | None = Field(
        default=None, description="Speaking rate in words per minute"
    )
    prepare: Annotated[float, BeforeValidator(parse_duration), Field(ge=0)] = 3.0
    rest_between_sets: Seconds = 15.0
    rest_between_exercises: Seconds = 20.0
    switch_sides: Seconds = 5.0
    source: str = ""
    exercises: Annotated[list[Exercise], Field(min_length=1)]


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
    path = Path(path)
    try:
        text = read_text(path)
    except ProblemsError as exc:
        raise RoutineError(exc.problems) from None
    return parse_routine(text, str(path))


__all__ = ["Exercise", "Problem", "Routine", "RoutineError", "load_routine", "parse_routine"]
