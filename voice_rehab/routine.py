"""Routines: the YAML format, its model, and loading with errors that name file, line and field.

The model (pydantic, strict, extra keys forbidden) is the single statement of the format: the
loader validates with it and, later, the JSON Schema is generated from it, so they cannot drift.
YAML is read with `yaml.safe_load` semantics only: explicit tags such as `!!python/object` are
reported as errors and never constructed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a routine file, with where it is."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class RoutineError(Exception):
    """A routine could not be loaded; `problems` says every reason, each with its place."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


_SAFE_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
Path_ = tuple[str | int, ...]


@dataclass
class _Marks:
    """Where each value (and each mapping key) of the document starts, by its path."""

    values: dict[Path_, tuple[int, int]]
    keys: dict[Path_, tuple[int, int]]

    def find(self, path: Path_, key: bool = False) -> tuple[int, int]:
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return table[path[:end]]
            if path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _field_name(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "routine"


class _Builder:
    """Turns a composed YAML node tree into plain data, refusing unsafe tags and duplicate keys."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.marks = _Marks({}, {})
        self._scalars = yaml.constructor.SafeConstructor()

    def problem(self, where: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.file, where[0], where[1], message))

    def build(self, node: yaml.Node, path: Path_ = ()) -> Any:
        self.marks.values[path] = _mark(node)
        if node.tag not in _SAFE_TAGS:
            self.problem(_mark(node), f"{_field_name(path)}: tag {node.tag} is not allowed here")
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path + ("<key>",))
                if not isinstance(key, str):
                    self.problem(_mark(key_node), f"{_field_name(path)}: keys must be text")
                    continue
                if key in result:
                    self.problem(_mark(key_node), f"{_field_name(path + (key,))}: duplicate key")
                self.marks.keys[path + (key,)] = _mark(key_node)
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag.endswith(":timestamp"):
            return node.value  # keep dates as text; no field takes a date
        return self._scalars.construct_object(node)


def _describe(error: dict[str, Any], allowed: list[str]) -> str:
    """A short message for one pydantic error, with a did-you-mean for unknown keys."""
    path = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(allowed)})"
        return f"{_field_name(path[:-1])}: unknown field '{key}'{hint}"
    if kind == "missing":
        return f"{_field_name(path)}: required field is missing"
    if kind == "too_short":
        return f"{_field_name(path)}: must not be empty"
    message = error["msg"].removeprefix("Value error, ")
    if kind in ("greater_than", "greater_than_equal") and "duration" not in message:
        message += f", got {error.get('input')!r}"
    elif kind.endswith("_type") or kind in ("int_from_float", "literal_error"):
        message += f", got {error.get('input')!r}"
    return f"{_field_name(path)}: {message}"


def _allowed_keys(path: Path_) -> list[str]:
    model: type[BaseModel] = Exercise if "exercises" in path else Routine
    return sorted(model.model_fields)


def _clean_loc(loc: tuple[Any, ...]) -> Path_:
    """Drop pydantic's internal loc parts (union branch names, function validator names)."""
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(("function-", "[")))


def _read_text(path: Path) -> str:
    name = str(path)
    if not path.exists():
        raise RoutineError([Problem(name, 1, 1, "no such file")])
    if path.is_dir():
        raise RoutineError([Problem(name, 1, 1, "is a directory, not a routine file")])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RoutineError([Problem(name, 1, 1, f"cannot read: {exc.strerror}")]) from None
    if b"\0" in data:
        raise RoutineError([Problem(name, 1, 1, "is a binary file, not a YAML routine")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RoutineError([Problem(name, 1, 1, f"is not UTF-8 text ({exc.reason})")]) from None
    if not text.strip():
        raise RoutineError([Problem(name, 1, 1, "is empty")])
    return text


def parse_routine(text: str, file: str = "<routine>") -> Routine:
    """Parse and validate routine text; raise RoutineError listing every problem found."""
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RoutineError([Problem(file, line, col, f"YAML syntax: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise RoutineError([Problem(file, 1, 1, f"YAML: {exc}")]) from None
    documents = [d for d in documents if d is not None]
    if not documents:
        raise RoutineError([Problem(file, 1, 1, "is empty")])
    if len(documents) > 1:
        raise RoutineError([Problem(file, *_mark(documents[1]), "one routine per file")])
    builder = _Builder(file)
    data = builder.build(documents[0])
    if builder.problems:
        raise RoutineError(builder.problems)
    if not isinstance(data, dict):
        raise RoutineError([Problem(file, 1, 1, "a routine is a mapping with title and exercises")])
    try:
        return Routine.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = _clean_loc(error["loc"])
            error = {**error, "loc": path}
            is_key = error["type"] == "extra_forbidden"
            line, col = builder.marks.find(path, key=is_key)
            problems.append(Problem(file, line, col, _describe(error, _allowed_keys(path))))
        raise RoutineError(sorted(problems, key=lambda p: (p.line, p.column))) from None


def load_routine(path: str | Path) -> Routine:
    """Load a routine file; every failure is a RoutineError with file, line and column."""
    path = Path(path)
    return parse_routine(_read_text(path), str(path))
