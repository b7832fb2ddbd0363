"""YAML files validated by a pydantic model, with every problem as FILE:LINE:COL: message.

YAML is read with `yaml.safe_load` semantics only: explicit tags such as `!!python/object` are
reported as errors and never constructed. Routines and settings are both read through here.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, with where it is."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if not self.line:  # about the file as a whole (it does not exist): no place in it
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ProblemsError(Exception):
    """A file could not be loaded; `problems` says every reason, each with its place."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# A shared file must never hang or exhaust the machine: a routine is a few kilobytes, a few hundred
# values, a few levels deep (the seed's longest is under 5 KB). These bounds are far above that and
# far below harm: a 600-byte "billion laughs" of aliases would otherwise expand to gigabytes.
MAX_BYTES = 1_000_000
MAX_VALUES = 100_000  # values built, counting each alias as often as it is used
MAX_DEPTH = 40

_SAFE_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
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


def field_name(path: Path_, root: str) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or root


class _Builder:
    """Turns a composed YAML node tree into plain data, refusing unsafe tags and duplicate keys."""

    def __init__(self, file: str, what: str):
        self.file = file
        self.what = what
        self.problems: list[Problem] = []
        self.marks = _Marks({}, {})
        self._scalars = yaml.constructor.SafeConstructor()
        self._built = 0

    def problem(self, where: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.file, where[0], where[1], message))

    def build(self, node: yaml.Node, path: Path_ = ()) -> Any:
        self._built += 1
        if self._built > MAX_VALUES:
            raise ProblemsError(
                [Problem(self.file, *_mark(node), f"more than {MAX_VALUES:,} values (aliases expand past it)")]
            )
        if len(path) > MAX_DEPTH:
            raise ProblemsError([Problem(self.file, *_mark(node), f"nested more than {MAX_DEPTH} levels deep")])
        self.marks.values[path] = _mark(node)
        if node.tag not in _SAFE_TAGS:
            self.problem(_mark(node), f"{field_name(path, self.what)}: tag {node.tag} is not allowed here")
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path + ("<key>",))
                if not isinstance(key, str):
                    self.problem(_mark(key_node), f"{field_name(path, self.what)}: keys must be text")
                    continue
                if key in result:
                    self.problem(_mark(key_node), f"{field_name(path + (key,), self.what)}: duplicate key")
                self.marks.keys[path + (key,)] = _mark(key_node)
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag.endswith(":timestamp"):
            return node.value  # keep dates as text; no field takes a date
        try:
            return self._scalars.construct_object(node)
        except ValueError:  # Python refuses to read an integer of more than 4,300 digits
            self.problem(_mark(node), f"{field_name(path, self.what)}: a number of {len(node.value)} digits")
            return None


def _describe(error: dict[str, Any], allowed: list[str], root: str) -> str:
    """A short message for one pydantic error, with a did-you-mean for unknown keys."""
    path = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(allowed)})"
        return f"{field_name(path[:-1], root)}: unknown field '{key}'{hint}"
    if kind == "missing":
        return f"{field_name(path, root)}: required field is missing"
    if kind == "too_short":
        return f"{field_name(path, root)}: must not be empty"
    message = error["msg"].removeprefix("Value error, ")
    if kind in ("greater_than", "greater_than_equal") and "duration" not in message:
        message += f", got {error.get('input')!r}"
    elif kind.endswith("_type") or kind in ("int_from_float", "literal_error"):
        message += f", got {error.get('input')!r}"
    return f"{field_name(path, root)}: {message}"


def _model_at(model: type[BaseModel], path: Path_) -> type[BaseModel]:
    """The model that describes the mapping at `path` (for naming the keys it allows)."""
    for part in path:
        if isinstance(part, int) or part not in model.model_fields:
            continue
        inner = _models_in(model.model_fields[part].annotation)
        if inner:
            model = inner[0]
    return model


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Path_:
    """The path in the document of a pydantic error's `loc`: pydantic's own parts (union branch
    names, validator names such as "function-after[...]") are dropped, found by walking the data,
    so that a key a person wrote ("[x", "function-x") is named as written."""
    path: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, int) or not str(part).startswith(("function-", "[")):
            data = None  # past the data: a missing field's name
        else:
            continue  # pydantic's own part
        path.append(part)
    return tuple(path)


def read_text(path: Path, what: str = "routine") -> str:
    """The file's text; every way it can be unreadable is one Problem at 1:1."""
    name = str(path)
    if not path.exists():
        raise ProblemsError([Problem(name, 0, 0, "no such file")])
    if path.is_dir():
        raise ProblemsError([Problem(name, 1, 1, f"is a directory, not a {what} file")])
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)  # no more: a huge file is refused without reading it all
    except OSError as exc:
        raise ProblemsError([Problem(name, 1, 1, f"cannot read: {exc.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise ProblemsError(
            [Problem(name, 1, 1, f"is larger than {MAX_BYTES / 1e6:g} MB; a {what} file is a few kilobytes")]
        )
    if b"\0" in data:
        raise ProblemsError([Problem(name, 1, 1, f"is a binary file, not a YAML {what}")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProblemsError([Problem(name, 1, 1, f"is not UTF-8 text ({exc.reason})")]) from None
    if not text.strip():
        raise ProblemsError([Problem(name, 1, 1, "is empty")])
    return text


@dataclass
class Document:
    """A YAML document as plain data, with where each value and key starts."""

    data: dict[str, Any]
    file: str
    marks: _Marks
    what: str = "routine"

    def problem(self, path: Path_, message: str, key: bool = False) -> Problem:
        return Problem(self.file, *self.marks.find(path, key=key), message)


def parse_document(text: str, file: str, what: str = "routine", expects: str = "title and exercises") -> Document:
    """Compose one YAML mapping safely; raise ProblemsError with every problem found."""
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ProblemsError([Problem(file, line, col, f"YAML syntax: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise ProblemsError([Problem(file, 1, 1, f"YAML: {exc}")]) from None
    except RecursionError:
        raise ProblemsError([Problem(file, 1, 1, f"nested more than {MAX_DEPTH} levels deep")]) from None
    documents = [d for d in documents if d is not None]
    if not documents:
        raise ProblemsError([Problem(file, 1, 1, "is empty")])
    if len(documents) > 1:
        raise ProblemsError([Problem(file, *_mark(documents[1]), f"one {what} per file")])
    builder = _Builder(file, what)
    data = builder.build(documents[0])
    if builder.problems:
        raise ProblemsError(builder.problems)
    if not isinstance(data, dict):
        raise ProblemsError([Problem(file, 1, 1, f"a {what} is a mapping with {expects}")])
    return Document(data, file, builder.marks, what)


M = typing.TypeVar("M", bound=BaseModel)


def validate(document: Document, model: type[M]) -> M:
    """Validate the document's data with `model`; every error becomes a Problem at its place."""
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = _clean_loc(error["loc"], document.data)
            described: dict[str, Any] = {**error, "loc": path}
            is_key = described["type"] == "extra_forbidden"
            problems.append(
                document.problem(
                    path, _describe(described, sorted(_model_at(model, path).model_fields), document.what), key=is_key
                )
            )
        raise ProblemsError(sorted(problems, key=lambda p: (p.line, p.column))) from None
